"""`tracker`: the command line.  With no subcommand it opens the TUI."""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .model import TrackerError
from .output import err_console, visible


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", metavar="PATH", help="the tracking repository (default: the git work tree here, or $TRACKER_REPO)")
    common.add_argument("--plan", metavar="YEAR", type=int, help="the plan year (default: the newest plan/<year>)")
    common.add_argument("--lang", choices=("zh", "en"), help="language of labels (default: $TRACKER_LANG, the locale)")
    parser = argparse.ArgumentParser(
        prog="tracker", parents=[common],
        description="督查督办 tracker: key tasks as YAML files in git; every update is one commit.",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from .commands import modules

    for mod in modules():
        mod.register(sub, common)
    parser.set_defaults(func=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.func is None:
        from .commands.tui import run_tui

        args.func = run_tui
    try:
        return int(args.func(args) or 0)
    except TrackerError as exc:
        err_console().print(f"tracker: {visible(exc, keep_newlines=True)}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130
