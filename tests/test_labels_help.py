"""Every `--help` in the command line's language (issue 11 point 3): each command's summary and
description and each option's help text is a label-book entry "help.<module>.<key>" (zh, en) of
the module that registers the command (`tracker set`'s field options: the field table's `help`,
entries "help.field.<name>"), said in the language `main()` knows before it builds the parser.
English stays as it was; the Chinese is Chinese, not English words left in; and the help is
wrapped by terminal cells, so a Chinese line does not run past the terminal's edge."""
from __future__ import annotations

import argparse
import re
from contextlib import contextmanager

import pytest
from rich.cells import cell_len

from tests_support import run_cli

from tracker import cli
from tracker.i18n import say
from tracker.model import EDITABLE_FIELDS, FIELD

HAN = re.compile(r"[\u4e00-\u9fff]")

#: Narrow words a Chinese help may keep: file formats, tools and names that are written so in
#: Chinese text too.  Option names, metavars (FILE, DATE), $VARIABLES, %(placeholders)s, paths,
#: choices written a|b|c and `quoted command lines` are masked by their shape, not listed here.
ALLOWED_WORDS = {"yaml", "git", "csv", "docx", "xlsx", "json", "id", "md", "html", "pdf", "txt", "doc", "wps",
                 "xls", "excel", "word", "libreoffice", "ssh", "sqlite", "tracker", "origin", "main"}


@contextmanager
def _speaking(lang: str):
    old = cli.Parser.lang
    cli.Parser.lang = lang
    try:
        with cli._argparse_speaks(lang):
            yield
    finally:
        cli.Parser.lang = old


def _helps(lang: str) -> dict[str, str | None]:
    """Every help text of the whole parser in `lang`: {"tracker set --force": text, ...}; a
    subcommand's summary as "tracker set #summary", a parser's description as "... #description"."""
    with _speaking(lang):
        parser = cli.build_parser()
        out: dict[str, str | None] = {}

        def walk(p: argparse.ArgumentParser, path: str) -> None:
            if p.description is not None or path == "tracker":
                out[f"{path} #description"] = p.description
            for action in p._actions:
                if isinstance(action, argparse._SubParsersAction):
                    for choice in action._choices_actions:
                        out[f"{path} {choice.dest} #summary"] = choice.help
                    for name, child in action.choices.items():
                        walk(child, f"{path} {name}")
                elif action.help != argparse.SUPPRESS:
                    out[f"{path} {'/'.join(action.option_strings) or action.dest}"] = action.help

        walk(parser, "tracker")
        return out


@pytest.fixture(scope="module")
def helps() -> dict[str, dict[str, str | None]]:
    return {lang: _helps(lang) for lang in ("zh", "en")}


def _english_runs(text: str) -> list[str]:
    """Runs of three or more English words in `text`, once the allowed narrow words are masked."""
    text = re.sub(r"`[^`]*`", "□", text)

    def mask(m: re.Match) -> str:
        tok = m.group()
        keep = (re.search(r"[-./|$%<>:~_=0-9()\[\]{}]", tok) or tok.isupper()
                or tok.lower().strip(",;'\"") in ALLOWED_WORDS)
        return "□" if keep else tok

    text = re.sub(r"[\x21-\x7e]+", mask, text)
    return re.findall(r"\b[A-Za-z]{2,}(?:[\s,]+[A-Za-z]{2,}){2,}\b", text)


def test_the_whole_parser_is_walked(helps):
    zh = helps["zh"]
    assert len(zh) > 150, len(zh)
    for key in ("tracker set --force", "tracker set --note", "tracker ledger export -o/--output", "tracker new --kind",
                "tracker measure add --text", "tracker serve install --branch", "tracker list #summary",
                "tracker office join #summary", "tracker --lang", "tracker --version", "tracker #description"):
        assert key in zh, key
    assert set(helps["zh"]) == set(helps["en"])


def test_every_help_has_both_languages(helps):
    missing = [f"{lang}: {key}" for lang in ("zh", "en") for key, text in helps[lang].items()
               if not (text and text.strip())]
    assert not missing, "\n".join(missing)


def test_the_chinese_help_is_chinese(helps):
    """Where the English has words, the Chinese differs from it and has Chinese in it."""
    zh, en = helps["zh"], helps["en"]
    bad = [f"{key}: {zh[key]!r}" for key in zh
           if en[key] and re.search(r"[A-Za-z]{2}", en[key]) and (zh[key] == en[key] or not HAN.search(zh[key] or ""))]
    assert not bad, "\n".join(bad)


def test_no_english_left_in_the_chinese_help(helps):
    bad = [f"{key}: {runs} in {text!r}" for key, text in helps["zh"].items() if text and (runs := _english_runs(text))]
    assert not bad, "\n".join(bad)


def test_the_english_check_can_fail():
    assert _english_runs("only tasks of this category") == ["only tasks of this category"]
    assert _english_runs("任务编号（show the task）") == ["show the task"]
    assert _english_runs("与 --due 同用：`tracker extend`，YAML 文件，$TRACKER_REPO，FILE.xlsx（Excel、WPS）") == []
    assert _english_runs("未启动|推进中（或 not_started|in_progress|done|blocked）") == []


def test_placeholders_survive_in_both_languages(helps):
    """argparse formats a help with %: a placeholder of the English is in the Chinese too, and every
    text formats (a bare % would make `--help` crash)."""
    for key, en in helps["en"].items():
        zh = helps["zh"][key] or ""
        assert sorted(re.findall(r"%\(\w+\)s", zh)) == sorted(re.findall(r"%\(\w+\)s", en or "")), key
        for text in (zh, en or ""):
            text % {"default": 1, "prog": "tracker", "choices": "a", "metavar": "X", "dest": "x", "required": False,
                    "type": None, "const": None, "nargs": None, "option_strings": [], "help": "", "version": "1"}


def test_set_options_come_from_the_field_table(helps):
    """`tracker set --<field>`'s help is the field table's (zh, en) help, entry help.field.<name>."""
    for name in EDITABLE_FIELDS:
        f = FIELD[name]
        assert f.help is not None and all(t.strip() for t in f.help), name
        for i, lang in enumerate(("zh", "en")):
            assert helps[lang][f"tracker set {f.option}"] == f.help[i] == say(f"help.field.{name}", lang)


def test_the_english_help_is_as_it_was(helps):
    en = helps["en"]
    assert en["tracker set --force"] == "mark done although progress is below 100 or measures are open"
    assert en["tracker set --status"] == "not_started|in_progress|done|blocked (or 未启动|推进中|已完成|受阻)"
    assert en["tracker list #summary"] == "list tasks (filters: --status --unit --category)"
    assert en["tracker --repo"] == "the tracking repository (default: the git work tree here, or $TRACKER_REPO)"
    assert en["tracker #description"] == "督查督办 tracker: key tasks as YAML files in git; every update is one commit."
    assert en["tracker -h/--help"] == "show this help message and exit"
    assert en["tracker --version"] == "show program's version number and exit"


CHINESE_ENV = {"TRACKER_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}


def test_set_help_speaks_chinese_by_default_and_english_when_asked(tmp_path):
    r = run_cli(tmp_path, "set", "--help", env=CHINESE_ENV)
    assert r.returncode == 0, r.stderr
    assert "该措施的新状态" in r.stdout and "进度不足 100 或仍有措施未完成时，也标记为已完成" in r.stdout
    assert "显示本帮助并退出" in r.stdout and "任务编号：5、05 或 2020-05" in r.stdout
    assert "measure" not in r.stdout.replace("--measure", "")
    r = run_cli(tmp_path, "set", "--help", "--lang", "en", env=CHINESE_ENV)
    assert r.returncode == 0, r.stderr
    assert "that measure's new status" in r.stdout
    assert "mark done although progress is below 100 or measures are open" in r.stdout
    assert "该措施的新状态" not in r.stdout


def test_top_help_lists_every_command_with_a_chinese_summary(tmp_path):
    r = run_cli(tmp_path, "--help", env=CHINESE_ENV)
    assert r.returncode == 0, r.stderr
    assert "督查督办 tracker：重点任务以 YAML 文件存于 git；每次更新即一次提交。" in r.stdout
    with _speaking("zh"):
        commands = list(next(a for a in cli.build_parser()._actions
                             if isinstance(a, argparse._SubParsersAction)).choices)
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^    (\S+) +(.+)$", r.stdout, re.M)}
    for name in commands:
        assert name in lines, name
        assert HAN.search(lines[name]), f"{name}: {lines[name]}"
    assert lines["set"] == "修改任务的字段：一次提交"
    assert "\n位置参数：\n" in r.stdout and "\n选项：\n" in r.stdout   # the headings' colon is full-width as 用法：
    assert lines["remind"].startswith("催办：逾期、红灯")


@pytest.mark.parametrize("command", [(), ("new",), ("ledger", "export"), ("set",)])
def test_chinese_help_fits_the_terminal(tmp_path, command):
    """A Chinese character is two cells: the help is wrapped by cells, not characters (usage lines are
    argparse's own layout of option names and stay as they are)."""
    r = run_cli(tmp_path, *command, "--help", env={**CHINESE_ENV, "COLUMNS": "60"})
    assert r.returncode == 0, r.stderr
    body = r.stdout.split("\n\n", 1)[1]
    wide = [line for line in body.splitlines() if cell_len(line) > 60]
    assert not wide, "\n".join(wide)
    assert HAN.search(body)


def test_wrap_cells():
    text = "在共享裸仓库上强制执行这些检查（`tracker serve install`），发现任何问题时以 1 退出。"
    lines = cli.wrap_cells(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= 20 for line in lines)
    assert cli.wrap_cells("（或 not_started|in_progress|done|blocked）", 16) == \
        ["（或", "not_started|", "in_progress|", "done|blocked）"]   # a long a|b|c breaks after a "|"
    assert not any(line[0] in "，。；：）、" for line in lines)         # no line starts with closing punctuation
    assert not any(line[-1] in "（" for line in lines)                 # nor ends with an opening one
    assert cli.wrap_cells("apply for closure (申请办结) with the closure report (办结报告)", 30) == \
        ["apply for closure (申请办结)", "with the closure report", "(办结报告)"]   # English keeps a term whole
    assert cli.wrap_cells("", 10) == []
