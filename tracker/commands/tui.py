"""tracker (no subcommand) / tracker tui: open the Textual app."""
from __future__ import annotations

from ._common import lang_of, workspace


def register(sub, common) -> None:
    p = sub.add_parser("tui", parents=[common], help="open the terminal UI (the default)")
    p.set_defaults(func=run_tui)


def run_tui(args) -> int:
    ws = workspace(args)
    from ..app import make_app  # Textual is imported only here: the CLI stays fast

    make_app(ws, lang=lang_of(args, ws)).run()
    return 0
