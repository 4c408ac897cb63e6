"""`tracker`: the command line.  With no subcommand it opens the TUI."""
from __future__ import annotations

import argparse
import functools
import re
import sys
from contextlib import contextmanager

from . import __version__
from .i18n import book, detect_lang, say
from .inputs import arg_int
from .model import TrackerError
from .output import err_console, visible

#: argparse's own frame ("usage:", "error:", "invalid choice", "required"...) in the user's language:
#: argparse says its words through gettext's `_`, which `_argparse_speaks` points at these entries
#: while the line is parsed (the English is argparse's msgid, so English stays argparse's own).
ARGPARSE_WORDS = book("argparse", {
    "usage": ("用法：", "usage: "),
    "error": ("%(prog)s：错误：%(message)s\n", "%(prog)s: error: %(message)s\n"),
    "argument": ("参数 %(argument_name)s：%(message)s", "argument %(argument_name)s: %(message)s"),
    "invalid_choice": ("无效的选项：%(value)r（可选：%(choices)s）", "invalid choice: %(value)r (choose from %(choices)s)"),
    "required": ("缺少必需的参数：%s", "the following arguments are required: %s"),
    "one_required": ("须给出以下参数之一：%s", "one of the arguments %s is required"),
    "unrecognized": ("无法识别的参数：%s", "unrecognized arguments: %s"),
    "one_value": ("须给出一个值", "expected one argument"),
    "at_least_one": ("须至少给出一个值", "expected at least one argument"),
    "at_most_one": ("至多给出一个值", "expected at most one argument"),
    "not_allowed_with": ("不能与参数 %s 同时使用", "not allowed with argument %s"),
    "ambiguous": ("有歧义的选项：%(option)s 可能是 %(matches)s", "ambiguous option: %(option)s could match %(matches)s"),
    "invalid_value": ("无效的%(type)s值：%(value)r", "invalid %(type)s value: %(value)r"),
    "positional": ("位置参数", "positional arguments"),
    "options": ("选项", "options"),
    "help": ("显示本帮助并退出", "show this help message and exit"),
    "version": ("显示版本号并退出", "show program's version number and exit"),
})
_ARGPARSE_MSGIDS = {en: f"argparse.{key}" for key, (_zh, en) in ARGPARSE_WORDS.items()}

#: The line's own words in `--help`: the program's description and the options every command takes.
#: Each command module keeps its help texts in its own area "help.<module>" (commands/_common.helps);
#: all of them are said in the line's language (Parser.lang), known before the parser is built.
HELP = book("help.cli", {
    "description": ("督查督办 tracker：重点任务以 YAML 文件存于 git；每次更新即一次提交。",
                    "督查督办 tracker: key tasks as YAML files in git; every update is one commit."),
    "repo": ("跟踪仓库（默认：当前目录所在的 git 工作区，或 $TRACKER_REPO）",
             "the tracking repository (default: the git work tree here, or $TRACKER_REPO)"),
    "plan": ("计划年度（默认：最新的 plan/<year>）", "the plan year (default: the newest plan/<year>)"),
    "lang": ("界面语言，zh 中文或 en 英文（默认：$TRACKER_LANG，否则按系统区域设置）",
             "language of labels (default: $TRACKER_LANG, the locale)"),
})


@contextmanager
def _argparse_speaks(lang: str):
    """argparse's frame in `lang` while the line is parsed (its gettext `_` looked up in the book)."""
    real = argparse._
    argparse._ = lambda msg: say(_ARGPARSE_MSGIDS[msg], lang) if msg in _ARGPARSE_MSGIDS else real(msg)
    try:
        yield
    finally:
        argparse._ = real


#: a wide (CJK) character: a line may break before or after it (textwrap breaks at spaces only)
_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"


@functools.lru_cache(maxsize=None)
def _rx(name: str) -> "re.Pattern[str]":
    """The wrapping patterns, compiled on first use (their character classes cost ~8 ms at import,
    which every command would pay; only --help uses them)."""
    return re.compile({
        "piece": f"\\s+|[{_WIDE}]|[^\\s{_WIDE}]+",
        "piece_runs": f"\\s+|[{_WIDE}]+|[^\\s{_WIDE}]+",   # English with Chinese terms: 延期 stays whole
        "cjk_heading": f"^([^\\s].*[{_WIDE}]):$",
    }[name], re.M if name == "cjk_heading" else 0)


#: punctuation that never starts a line (it stays with what it closes) / never ends one
_NO_START = set("，。、；：？！）》」』】〕…—,.;:?!)]}")
_NO_END = set("（《「『【〔([{")


def wrap_cells(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells (rich.cells.cell_len: a Chinese character is
    two), broken at spaces and between wide characters, never before a closing or after an opening
    mark; a piece wider than `width` (not_started|in_progress|...) breaks after a "|", else anywhere
    (as textwrap breaks a long word).  Whitespace runs count as one space, as in argparse.
    In a text mostly of narrow characters (English quoting a Chinese term) a run of wide ones is kept whole."""
    from rich.cells import cell_len

    text = text.strip()
    wide = cell_len(text) - len(text)
    pieces: list[str] = []   # unbreakable pieces; " " marks where a space was
    for tok in _rx("piece_runs" if wide * 2 < len(text) else "piece").findall(text):
        if tok.isspace():
            pieces.append(" ")
        elif pieces and pieces[-1] != " " and (tok[0] in _NO_START or pieces[-1][-1] in _NO_END):
            pieces[-1] += tok
        else:
            pieces.append(tok)
    lines: list[str] = []
    line, space = "", False
    for piece in (part for piece in pieces for part in _cut(piece, width)):
        if piece == " ":
            space = True
            continue
        joined = line + (" " if space and line else "") + piece
        if line and cell_len(joined) > width:
            lines.append(line)
            joined = piece
        line, space = joined, False
    return lines + [line] if line else lines


def _cut(piece: str, width: int) -> list[str]:
    """A piece as parts no wider than `width` cells: after each "|", then by characters."""
    from rich.cells import cell_len

    if cell_len(piece) <= width:
        return [piece]
    parts: list[str] = []
    for part in re.findall(r"[^|]+\|?|\|", piece):
        while cell_len(part) > width > 0:
            n = 1
            while cell_len(part[:n + 1]) <= width:
                n += 1
            parts.append(part[:n])
            part = part[n:]
        parts.append(part)
    return parts


class CellFormatter(argparse.HelpFormatter):
    """argparse's help layout, but a text with wide characters is wrapped by terminal cells (a
    Chinese help line counted by characters would run past the terminal's edge); an all-narrow
    text is wrapped by argparse itself, exactly as before."""

    def _split_lines(self, text, width):
        from rich.cells import cell_len

        flat = self._whitespace_matcher.sub(" ", text).strip()
        return wrap_cells(flat, width) if cell_len(flat) != len(flat) else super()._split_lines(text, width)

    def _fill_text(self, text, width, indent):
        from rich.cells import cell_len

        flat = self._whitespace_matcher.sub(" ", text).strip()
        if cell_len(flat) == len(flat):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(flat, width - len(indent)))

    def format_help(self):
        """A Chinese section heading ends with a full-width colon (选项：), as 用法： does; argparse adds ":"."""
        return _rx("cjk_heading").sub("\\1：", super().format_help())


class Parser(argparse.ArgumentParser):
    """argparse's parser, but an option's value refused by one of tracker's types (inputs.arg_date,
    arg_int, status_arg: a KeyedTypeError) is explained in the user's language, not argparse's English
    str(); and its help is wrapped by terminal cells (CellFormatter).  Subparsers are made of this
    class too (add_subparsers uses the parent's class)."""

    lang = "en"   # set by main() from --lang / $TRACKER_LANG / the locale before parsing (and building)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", CellFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        exc = sys.exc_info()[1]
        cause = getattr(exc, "__context__", None)
        if isinstance(exc, argparse.ArgumentError) and callable(getattr(cause, "text", None)) and exc.argument_name:
            message = argparse._("argument %(argument_name)s: %(message)s") % {
                "argument_name": exc.argument_name, "message": cause.text(self.lang)}
        super().error(message)


def _line_lang(words: list[str]) -> str:
    """The language asked for on the line (--lang X / --lang=X), else $TRACKER_LANG or the locale."""
    explicit = None
    for i, w in enumerate(words):
        if w == "--lang" and i + 1 < len(words):
            explicit = words[i + 1]
        elif w.startswith("--lang="):
            explicit = w.partition("=")[2]
    return detect_lang(explicit)


def _common(suppress: bool) -> argparse.ArgumentParser:
    """--repo/--plan/--lang, accepted before or after the subcommand.

    The subcommands' copies default to SUPPRESS so that `tracker --repo X list` keeps X
    (argparse would otherwise overwrite it with the subparser's default None)."""
    kw = {"default": argparse.SUPPRESS} if suppress else {}
    common = Parser(add_help=False)
    common.add_argument("--repo", metavar="PATH", help=say("help.cli.repo", Parser.lang), **kw)
    common.add_argument("--plan", metavar="YEAR", type=arg_int(2000, 2099), help=say("help.cli.plan", Parser.lang), **kw)
    common.add_argument("--lang", choices=("zh", "en"), help=say("help.cli.lang", Parser.lang), **kw)
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
    parser = Parser(
        prog="tracker", parents=[_common(suppress=False)],
        description=say("help.cli.description", Parser.lang),
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}",
                        help=say("argparse.version", Parser.lang))  # a literal of argparse 3.11, not said through `_`
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
    Parser.lang = _line_lang(words)
    with _argparse_speaks(Parser.lang):  # the help's headings are made with the parser, the errors as it parses
        parser = build_parser(command, bare=command is None and not wants_help)
        args = parser.parse_args(words)
    if args.func is None:
        from .commands.tui import run_tui

        args.func = run_tui
    try:
        return int(args.func(args) or 0)
    except TrackerError as exc:  # in the user's language when the error carries a label-book key
        text = exc.text(detect_lang(getattr(args, "lang", None)))
        err_console().print(f"tracker: {visible(text, keep_newlines=True)}", markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130
