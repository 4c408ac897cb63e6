"""`tracker`: the command line.  With no subcommand it opens the TUI."""
from __future__ import annotations

import argparse
import re
import sys

from . import __version__
from .inputs import arg_int
from .model import TrackerError
from .output import err_console, visible


def _common(suppress: bool) -> argparse.ArgumentParser:
    """--repo/--plan/--lang, accepted before or after the subcommand.

    The subcommands' copies default to SUPPRESS so that `tracker --repo X list` keeps X
    (argparse would otherwise overwrite it with the subparser's default None)."""
    kw = {"default": argparse.SUPPRESS} if suppress else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", metavar="PATH", help="the tracking repository (default: the git work tree here, or $TRACKER_REPO)", **kw)
    common.add_argument("--plan", metavar="YEAR", type=arg_int(2000, 2099), help="the plan year (default: the newest plan/<year>)", **kw)
    common.add_argument("--lang", choices=("zh", "en"), help="language of labels (default: $TRACKER_LANG, the locale)", **kw)
    return common


_VALUED = ("--repo", "--plan", "--lang")


def _command_word(argv: list[str]) -> str | None:
    """The subcommand named on the line (the first word that is not an option or its value)."""
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in _VALUED:
            skip = True
            continue
        if a == "--":
            return None
        if not a.startswith("-"):
            return a
    return None


def _modules_for(command: str) -> list[str] | None:
    """Command modules whose source registers `command` (read as text: importing them all costs
    ~0.1 s that `tracker list` need not pay); None when none is found."""
    from pathlib import Path

    # `sub.add_parser(`: the top-level subparsers, as every `register(sub, common)` names them; a
    # module's own sub-subcommand (`office list`) does not make `tracker list` import that module
    pattern = re.compile(r"(?<![\w.])sub\.add_parser\(\s*[\"']" + re.escape(command) + r"[\"']")
    found = []
    for path in sorted((Path(__file__).parent / "commands").glob("[!_]*.py")):
        try:
            if pattern.search(path.read_text("utf-8")):
                found.append(path.stem)
        except OSError:
            return None
    return found or None


def build_parser(only: str | None = None, *, bare: bool = False) -> argparse.ArgumentParser:
    """The argument parser; `only` registers just the module(s) defining that subcommand and
    `bare` none at all (the TUI); both fall back to every module when the command is not found."""
    common = _common(suppress=True)
    parser = argparse.ArgumentParser(
        prog="tracker", parents=[_common(suppress=False)],
        description="督查督办 tracker: key tasks as YAML files in git; every update is one commit.",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.set_defaults(func=None)
    if bare:
        return parser
    if only is not None:
        import importlib

        names = _modules_for(only)
        if names:
            for name in names:
                importlib.import_module(f"{__package__}.commands.{name}").register(sub, common)
            if only in sub.choices:
                return parser
            return build_parser()
    from .commands import modules

    for mod in modules():
        mod.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    command = _command_word(words)
    wants_help = any(w in ("-h", "--help") for w in words)
    parser = build_parser(command, bare=command is None and not wants_help)
    args = parser.parse_args(words)
    if args.func is None:
        from .commands.tui import run_tui

        args.func = run_tui
    try:
        return int(args.func(args) or 0)
    except TrackerError as exc:  # in the user's language when the error carries a label-book key
        from .i18n import detect_lang

        text = exc.text(detect_lang(getattr(args, "lang", None)))
        err_console().print(f"tracker: {visible(text, keep_newlines=True)}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130
