"""Helpers shared by the subcommands."""
from __future__ import annotations

import argparse
from typing import Callable

from ..i18n import STATUS_LABELS, book, detect_lang, say, told
from ..inputs import KeyedTypeError, bad
from ..model import STATUSES, TASK_STATUSES, TrackerError, task_id
from ..output import err_console, visible
from ..store import PlanData, Workspace


OPEN_WORDS = book("open", {
    "no_driver": ("无法安装合并驱动：{error}", "could not install the merge driver: {error}"),
    "mid_state": ("仓库正处于未完成的 {state} 中（同步被中断？）；`tracker sync` 会安全地完成它",
                  "the repository is in the middle of a {state} (an interrupted sync?); `tracker sync` finishes it safely"),
    "hidden": ("{n} 个文件有问题，未显示；运行 `tracker check` 查看详情：",
               "{n} file(s) have problems and are not shown; run `tracker check` for details:"),
    "no_change": ("{id}：没有变化，未提交", "{id}: no change; nothing committed"),
})


def no_change(ws, number: int, args) -> str:
    """An edit that changes nothing: said, and no commit made (set, the cycle's steps, items)."""
    return say("open.no_change", lang_of(args, ws), id=task_id(ws.year, number)) + "\n"


def workspace(args: argparse.Namespace) -> Workspace:
    """The repository and plan the arguments name; finishes an interrupted save first."""
    ws = Workspace.discover(getattr(args, "repo", None), getattr(args, "plan", None))
    hook = getattr(ws, "on_open", None)
    if hook:
        hook()
    from ..sync_setup import ensure_repo_config, interrupted_state

    try:
        ensure_repo_config(ws)  # git does not clone config: every clone installs the merge driver
    except (TrackerError, OSError) as exc:  # a read-only repository still reads
        text = exc.text(lang_of(args, ws)) if isinstance(exc, TrackerError) else str(exc)
        err_console().print(f"tracker: {say('open.no_driver', lang_of(args, ws), error=visible(text))}", markup=False)
    state = interrupted_state(ws.git.git_dir)
    if state and getattr(getattr(args, "func", None), "__name__", "") != "cmd_sync":
        err_console().print(f"tracker: {say('open.mid_state', lang_of(args, ws), state=state)}", markup=False)
    note = ws.recover()
    if note:
        err_console().print(f"tracker: {visible(told(note, lang_of(args, ws)))}", markup=False)
    return ws


def lang_of(args: argparse.Namespace, ws: Workspace | None = None) -> str:
    setting = None
    if ws is not None:
        try:
            setting = ws.language()
        except TrackerError:
            setting = None
    return detect_lang(getattr(args, "lang", None), setting)


def status_arg(value: str) -> str:
    """A status as its key (in_progress) or either label (推进中, 'in progress')."""
    v = value.strip()
    if v in TASK_STATUSES:  # the cycle's own states too: `list --status closed`; `set` sends them to their step
        return v
    for labels in STATUS_LABELS.values():
        for key, label in labels.items():
            if v == label or v.lower() == label.lower():
                return key
    allowed = [f"{s} ({STATUS_LABELS['zh'][s]})" for s in STATUSES]
    raise KeyedTypeError(bad("not_status", value=value, allowed=allowed))


def warn_problems(data: PlanData, lang: str | None = None) -> None:
    if data.problems:
        n = len(data.broken_paths)
        err_console().print(f"tracker: {say('open.hidden', lang or detect_lang(), n=n)}", markup=False)
        for path in data.broken_paths[:10]:
            err_console().print(f"  {visible(path)}", markup=False)


HELP = book("help.common", {
    "format": ("输出格式（默认：table 表格；输出到管道时为纯文本）", "output format (default: table; plain text when piped)"),
})


def helps(area: str, parser) -> Callable[[str], str]:
    """`h(key)`: the help text "help.<area>.<key>" of the label book in the command line's language.

    `parser` is the cli.Parser a command registers on (`common` or a subparser made by it), whose
    `lang` main() set from the line (--lang, $TRACKER_LANG, the locale) before the parser was built;
    a plain argparse parser (a test's) speaks English, as argparse's own help does."""
    lang = getattr(parser, "lang", "en")
    return lambda key: say(f"help.{area}.{key}", lang)


def add_format(p: argparse.ArgumentParser, *choices: str) -> None:
    p.add_argument("--format", choices=choices or ("table", "json"), default="table",
                   help=helps("common", p)("format"))
