"""tracker (no subcommand) / tracker tui: open the Textual app."""
from __future__ import annotations

from ..i18n import book
from ._common import helps, lang_of, workspace

HELP = book("help.tui", {"tui": ("打开终端界面（默认）", "open the terminal UI (the default)")})


def register(sub, common) -> None:
    p = sub.add_parser("tui", parents=[common], help=helps("tui", common)("tui"))
    p.set_defaults(func=run_tui)


def no_plan_root(args):
    """The repository root when it is a git repository whose plan/ holds no year yet, else None."""
    import os
    from pathlib import Path

    from ..gitstore import GitRepo

    if getattr(args, "plan", None) is not None:
        return None
    start = getattr(args, "repo", None) or os.environ.get("TRACKER_REPO") or os.getcwd()
    if not Path(start).exists():
        return None
    top = GitRepo.toplevel(start)
    if top is None or any(p.is_dir() for p in (Path(top) / "plan").glob("[0-9][0-9][0-9][0-9]")):
        return None
    return Path(top)


def run_tui(args) -> int:
    root = no_plan_root(args)
    if root is not None:  # how to start, instead of an error or an empty board
        from ..i18n import detect_lang
        from ..screens.noplan import NoPlanApp

        NoPlanApp(root, lang=detect_lang(getattr(args, "lang", None), None)).run()
        return 0
    ws = workspace(args)
    from ..app import make_app  # Textual is imported only here: the CLI stays fast

    make_app(ws, lang=lang_of(args, ws)).run()
    return 0
