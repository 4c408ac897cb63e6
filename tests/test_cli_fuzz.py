"""Property-based CLI fuzz (hypothesis): every subcommand with odd options and values, run in-process
through `tracker.cli.main`.  Whatever is typed: no Python traceback, exit 0 or 2 (1 only for
`check`, which lists problems), and the repository is still valid afterwards."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests_support import git, make_plan_repo

ODD_TEXT = ["", " ", "-", "--", "0", "-1", "5", "05", "2020-05", "T4", "999999999999", "1e309", "nan", "inf",
            "-inf", "٥٠", "５０", "50%", "x" * 300, "[bold]x[/]", "\x1b[31m", "督查", "\n", "a\x00b", "..", "/"]
ODD_DATES = ["2020-10-31", "２０２０－１０－３１", "9999-12-31", "0001-01-01", "2020-W01", "2020-W01-1", "20200101",
             "2020-02-30", "2020-13-01", "2099-12-31", "2000-01-01", "1999-12-31", "2100-01-01", "٢٠٢٠-١٠-٣١", "yesterday"]
ODD_INTS = ["0", "1", "7", "366", "367", "99999999", "999999999999999999999", "-5", "1.5", "１０", "٣", "x", ""]


def _values(kind: str, tmp: Path):
    files = [str(tmp / "out" / "b.md"), str(tmp / "out" / "b.docx"), str(tmp / "out" / "b.xlsx"),
             str(tmp / "out" / "b.html"), str(tmp / "out"), str(tmp / "nofolder" / "x.md"), "/dev/full",
             "/proc/self/x", "/dev/null"]
    base = {
        "text": st.sampled_from(ODD_TEXT) | st.text(max_size=20),
        "date": st.sampled_from(ODD_DATES) | st.text(max_size=12),
        "int": st.sampled_from(ODD_INTS) | st.integers(-10**20, 10**20).map(str),
        "task": st.sampled_from(["5", "05", "2020-05", "T4", "61", "0", "-1", "2020-99", "plan/2020/tasks/05.yaml",
                                 "999999999999999999999", "٥", "５"]) | st.text(max_size=8),
        "status": st.sampled_from(["done", "推进中", "blocked", "受阻", "in_progress", "x", ""]),
        "good_int": st.sampled_from(["1", "2", "50", "５０", "100"]),
        "good_date": st.sampled_from(["2020-10-31", "2020-06-30", "２０２０－１２－３１", "2020-01-01"]),
        "good_task": st.sampled_from(["5", "05", "2020-07", "60"]),
        "light": st.sampled_from(["red", "红灯", "红", "blue", "x", ""]),
        "out": st.sampled_from(files),
        "in": st.sampled_from(["/dev/zero", "/dev/null", str(tmp), str(tmp / "missing.txt"), str(tmp / "notice.txt"),
                               "/proc/self/status"]),
        "dest": st.sampled_from([str(tmp / "new-repo"), "/proc/x", "/dev/null", str(tmp / "notice.txt"),
                                 str(tmp / "out"), str(tmp / "plan-out")]),
        "period": st.sampled_from(["2020-09", "2020-Q3", "2020-H1", "2020", "2021-01", "2020-13", "x", "２０２０-09"]),
        "url": st.sampled_from([str(tmp / "remote.git"), str(tmp / "missing.git"), "", "x"]),
        "lang": st.sampled_from(["zh", "en", "fr"]),
        "plan": st.sampled_from(["2020", "2021", "0", "99999999999", "x"]),
    }
    return base[kind]


#: command -> ([(option, kind or None for a flag)], [positional kinds])
COMMANDS: dict[str, tuple[list[tuple[str, str | None]], list[str]]] = {
    "list": ([("--status", "status"), ("--unit", "text"), ("--category", "text"), ("--light", "light"),
              ("--as-of", "date"), ("--format", "text")], []),
    "show": ([("--as-of", "date")], ["task"]),
    "set": ([("--status", "status"), ("--progress", "int"), ("--note", "text"), ("--problems", "text"),
             ("--next-steps", "text"), ("--due", "date"), ("--measure", "int"), ("--measure-status", "status")], ["task"]),
    "log": ([("--since", "date"), ("--until", "date"), ("-n", "int")], ["task"]),
    "changes": ([("--since", "date"), ("--until", "date"), ("--net", None)], []),
    "remind": ([("--as-of", "date"), ("--unit", "text")], []),
    "burnup": ([("--from", "date"), ("--as-of", "date"), ("--step", "int")], []),
    "targets": ([("--as-of", "date")], []),
    "actual": ([("--indicator", "text"), ("--period", "period"), ("--value", "text"), ("--note", "text")], ["int"]),
    "units": ([("--ranking", None), ("--as-of", "date"), ("--sort", "text")], []),
    "report": ([("--as-of", "date"), ("--since", "date"), ("-o", "out"), ("--no-record", None)], []),
    "import": ([("--year", "int"), ("--out", "dest"), ("--language", "lang")], ["in"]),
    "init": ([], ["dest"]),
    "check": ([], []),
    "index": ([], []),
    "sync": ([("--attempts", "int")], []),
    "conflicts": ([], []),
    "resolve": ([("--field", "text"), ("--take", "text")], ["task"]),
    "remote": ([("--name", "text")], ["text", "url"]),
}


@st.composite
def command_lines(draw, tmp: Path):
    cmd = draw(st.sampled_from(sorted(COMMANDS)))
    options, positionals = COMMANDS[cmd]
    argv = [cmd]
    for kind in positionals:
        if draw(st.booleans()) or kind != "url":
            argv.append(draw(_values(kind, tmp)))
    good = draw(st.integers(0, 2)) == 0  # a third of the calls use only sensible values, to reach deeper
    if good and argv[1:2] and positionals[0] in ("task", "int"):
        argv[1] = draw(_values("good_task", tmp))
    for opt, kind in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        argv.append(opt)
        if kind is not None:
            if good and kind in ("int", "date", "task"):
                kind = "good_" + kind
            argv.append(draw(_values(kind, tmp)))
    if cmd == "remote" and len(argv) > 1:
        argv[1] = draw(st.sampled_from(["show", "add", "set-url", "x"]))
    if draw(st.booleans()):
        argv += ["--lang", draw(_values("lang", tmp))]
    if draw(st.integers(0, 9)) == 0:
        argv += ["--plan", draw(_values("plan", tmp))]
    return argv


def run_main(argv: list[str]) -> int:
    from tracker.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse: 2 for a bad argument, 0 for --help
        return 0 if exc.code is None else int(exc.code) if isinstance(exc.code, int) else 2


@pytest.mark.slow
def test_cli_fuzz_no_traceback_and_repo_valid(tmp_path, monkeypatch):
    repo = make_plan_repo(tmp_path / "office")
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "remote.git")], check=True)
    (tmp_path / "out").mkdir()
    (tmp_path / "notice.txt").write_text("宜兴市人民政府\n一、测试\n1. 一项任务。（牵头单位：市发改委）\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("COLUMNS", "120")
    seen: list[list[str]] = []

    @settings(max_examples=int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "60")), deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(argv=command_lines(tmp_path))
    def one(argv):
        seen.append(argv)
        rc = run_main(argv)  # an exception here (a traceback) fails the test with the argv that caused it
        allowed = (0, 1, 2) if argv[0] == "check" else (0, 2)
        assert rc in allowed, (argv, rc)

    one()
    assert len(seen) >= 20
    # the repository is still valid: every file checks, nothing left half-written or uncommitted
    assert run_main(["check"]) == 0
    status = git(repo, "status", "--porcelain", "--untracked-files=all", "--", "plan")
    assert status == "", status
    assert git(repo, "fsck", "--no-progress") is not None


def test_fuzz_found_cases_are_clear_errors(tmp_path, monkeypatch, capsys):
    """The calls the month of use found as tracebacks or unbounded reads: each a clear error (exit 2)
    naming the argument."""
    repo = make_plan_repo(tmp_path / "office")
    monkeypatch.chdir(repo)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    cases = [
        (["list", "--as-of", "9999-12-31"], "--as-of"), (["show", "5", "--as-of", "9999-12-31"], "--as-of"),
        (["targets", "--as-of", "9999-12-31"], "--as-of"), (["units", "--as-of", "9999-12-31"], "--as-of"),
        (["units", "--ranking", "--as-of", "9999-12-31"], "--as-of"), (["remind", "--as-of", "9999-12-31"], "--as-of"),
        (["burnup", "--as-of", "9999-12-31"], "--as-of"), (["report", "--as-of", "9999-12-31"], "--as-of"),
        (["burnup", "--step", "99999999"], "--step"), (["burnup", "--step", "9" * 30], "--step"),
        (["report", "-o", str(tmp_path)], "-o"), (["report", "-o", "/dev/full"], "-o"),
        (["report", "-o", "/proc/self/x"], "-o"), (["report", "-o", "/proc/self/x.docx"], "-o"),
        (["report", "-o", "/dev/full", "--format", "docx"], "-o"),
        (["init", "/proc/x"], "/proc/x"), (["init", "/dev/null"], "/dev/null"),
        (["init", str(tmp_path / "afile")], "afile"),
        (["import", "/dev/zero", "--year", "2021", "--out", str(tmp_path / "p")], "/dev/zero"),
        (["set", "5", "--due", "2020-W01"], "--due"), (["set", "5", "--due", "0001-01-01"], "--due"),
        (["set", "5", "--due", "9999-12-31"], "--due"), (["set", "5", "--progress", "٥٠"], "--progress"),
        (["actual", "2", "--period", "2020-09", "--value", "nan"], "--value"),
        (["actual", "2", "--period", "2020-09", "--value", "inf"], "--value"),
        (["actual", "2", "--period", "2020-09", "--value", "1e309"], "--value"),
    ]
    for argv, named in cases:
        rc = run_main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (argv, rc, err)
        assert named in err, (argv, err)
        assert "Traceback" not in err
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "tag") == ""


def test_full_width_digits_accepted_and_normalised(tmp_path, monkeypatch):
    repo = make_plan_repo(tmp_path / "office")
    monkeypatch.chdir(repo)
    assert run_main(["set", "5", "--progress", "５０"]) == 0
    assert run_main(["set", "5", "--due", "２０２０－１１－３０", "--reason", "工期调整"]) == 0  # a due change is 延期
    text = (repo / "plan" / "2020" / "tasks" / "05.yaml").read_text("utf-8")
    assert "progress: 50\n" in text and "due: 2020-11-30\n" in text


def test_targets_json_valid_after_a_hand_edited_nan(tmp_path, monkeypatch, capsys):
    """A non-finite value written by hand is a problem in that file, never `NaN` in the JSON output."""
    repo = make_plan_repo(tmp_path / "office")
    monkeypatch.chdir(repo)
    path = repo / "plan" / "2020" / "targets" / "01.yaml"
    text = path.read_text("utf-8")
    assert "value: 6.5\n" in text
    path.write_text(text.replace("value: 6.5\n", "value: .nan\n"), encoding="utf-8")
    capsys.readouterr()
    run_main(["targets", "--format", "json"])
    out = capsys.readouterr().out
    json.loads(out, parse_constant=lambda c: pytest.fail(f"invalid JSON constant {c}"))
    assert run_main(["check", "--lang", "en"]) == 1  # the English words (zh: test_labels_schema.py)
    assert "finite" in capsys.readouterr().out
