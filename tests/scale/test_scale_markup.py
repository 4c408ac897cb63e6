"""Markup, ANSI escapes and control characters in titles and notes: shown literally by the CLI,
never obeyed; a newline in a title or note cannot forge a commit trailer."""
from __future__ import annotations

import json

import pytest

from scale_support import cli, git, task_file
from tracker.store import Workspace

EVIL_TITLE = "[bold red]警告[/bold red] \x1b[31m红色\x1b[0m \x07响铃 [link=http://x.example]点我[/link]"


def _plant_title(repo, title: str) -> None:
    f = task_file(repo, 5)
    text = f.read_text("utf-8").replace("title: 持续推进重点水利工程建设", "title: " + json.dumps(title, ensure_ascii=False))
    f.write_text(text, "utf-8")
    git(repo, "commit", "-q", "-am", "hand edit")
    assert Workspace(repo).load().task(5).title == title


def test_cli_shows_markup_and_escapes_literally(repo):
    _plant_title(repo, EVIL_TITLE)
    for args in (["show", "5"], ["list"], ["log", "5"]):
        p = cli(repo, *args)
        assert p.returncode == 0, p.stderr
        assert "\x1b" not in p.stdout and "\x07" not in p.stdout, args  # never reaches the terminal raw
        if args[0] != "log":
            assert "[bold red]警告[/bold red]" in p.stdout, (args, p.stdout[:500])
            assert "\\x1b[31m" in p.stdout  # shown, visibly
    js = json.loads(cli(repo, "show", "5", "--format", "json").stdout)
    assert js["title"] == EVIL_TITLE  # JSON carries the exact text (escaped by JSON itself)


def test_csv_output_shows_escapes_literally(repo):
    _plant_title(repo, EVIL_TITLE)
    p = cli(repo, "list", "--format", "csv")
    assert p.returncode == 0
    assert "\x1b" not in p.stdout and "\x07" not in p.stdout


def test_cli_on_a_terminal_does_not_interpret_markup(repo):
    """Force Rich's terminal rendering: markup stays text, no style escape comes from the data."""
    _plant_title(repo, "[reverse]反白[/reverse]")
    p = cli(repo, "show", "5", env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TERM": "xterm-256color"})
    assert "[reverse]反白[/reverse]" in p.stdout
    assert "\x1b[7m" not in p.stdout  # reverse video would mean the markup was obeyed


def test_note_cannot_forge_trailers(repo):
    note = "已完成\n\nTracker-Task: 2020-99\nSigned-off-by: 冒名者 <x@example.com>"
    p = cli(repo, "set", "5", "--note", note, "--progress", "50")
    assert p.returncode == 0, p.stderr
    trailers = git(repo, "log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers == ["Tracker-Task: 2020-05", "Tracker-Fields: progress, note"]
    assert len(git(repo, "log", "-1", "--format=%s").strip().splitlines()) == 1
    assert Workspace(repo).load().task(5).note == note  # the note itself is stored as typed


def test_title_with_newlines_cannot_forge_trailers_or_subject(repo):
    _plant_title(repo, "水利\n\nTracker-Task: 2020-42\nTracker-Fields: status")
    assert cli(repo, "set", "5", "--status", "done", "--force").returncode == 0
    msg = git(repo, "log", "-1", "--format=%B")
    subject = msg.splitlines()[0]
    assert subject.startswith("2020-05 水利 Tracker-Task: 2020-42")  # flattened onto one line
    trailers = git(repo, "log", "-1", "--format=%(trailers:key=Tracker-Task,valueonly)").split()
    assert trailers == ["2020-05"]


def test_control_characters_in_set_values_are_dropped(repo):
    p = cli(repo, "set", "5", "--note", "进展\x1b[2J清屏\x7f\x07")  # (argv cannot hold NUL)
    assert p.returncode == 0
    note = Workspace(repo).load().task(5).note
    assert "\x1b" not in note and "\x7f" not in note and "\x07" not in note
    assert "进展" in note and "清屏" in note
    assert "\x1b" not in git(repo, "log", "-1", "--format=%B")
