"""`tracker`: the command line.  With no subcommand it opens the TUI."""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .model import TrackerError
from .output import err_console, visible


def _common(suppress: bool) -> argparse.ArgumentParser:
    """--repo/--plan/--lang, accepted before or after the subcommand.

    The subcommands' copies default to SUPPRESS so that `tracker --repo X list` keeps X
    (argparse would otherwise overwrite it with the subparser's default None)."""
    kw = {"default": argparse.SUPPRESS} if suppress else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", metavar="PATH", help="the tracking repository (default: the git work tree here, or $TRACKER_REPO)", **kw)
    common.add_argument("--plan", metavar="YEAR", type=int, help="the plan year (default: the newest plan/<year>)", **kw)
    common.add_argument("--lang", choices=("zh", "en"), help="language of labels (default: $TRACKER_LANG, the locale)", **kw)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common(suppress=True)
    parser = argparse.ArgumentParser(
        prog="tracker", parents=[_common(suppress=False)],
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
