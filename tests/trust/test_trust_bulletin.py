"""The bulletin states whether its period verified clean (tracker.verify over the period's
commits) where offices.yaml governs the repository; without offices.yaml it says nothing."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tests_support import git, make_plan_repo, run_cli
from trust_support import build_world, commit, ok, write_task_field


def _dated(monkeypatch, when: str) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


@pytest.fixture
def dated_world(tmp_path, monkeypatch):
    """The offices' world (offices.yaml, the water office's signing clone), all set up on 2020-10-01;
    the November bulletin's baseline recorded as bulletin/2020-10-31."""
    _dated(monkeypatch, "2020-10-01T09:00:00+08:00")
    world = build_world(tmp_path, hook=False)
    from tracker.analytics import record_bulletin
    from tracker.store import Workspace

    assert record_bulletin(Workspace(world.water), date(2020, 10, 31)) == "bulletin/2020-10-31"
    return world


def _bulletin(repo, lang="zh"):
    from tracker.report import build
    from tracker.store import Workspace

    return build(Workspace(repo), as_of=date(2020, 11, 30), since=date(2020, 10, 31), lang=lang)


def test_a_clean_period_says_every_commit_verified_in_every_format(dated_world, monkeypatch, tmp_path):
    from tracker.report import write

    w = dated_world.water
    _dated(monkeypatch, "2020-11-05T10:00:00+08:00")
    ok(run_cli(w, "set", "5", "--progress", "40"))
    _dated(monkeypatch, "2020-11-10T10:00:00+08:00")
    ok(run_cli(w, "set", "5", "--note", "竺山圩主体完工"))
    b = _bulletin(w)
    v = b.verified
    assert v is not None and (v.commits, v.ok, v.findings) == (2, 2, 0)
    line = "本期 2 个提交均经签名核验（tracker verify）。"
    assert b.verify_line == line
    for fmt in ("md", "html", "xlsx", "docx"):
        write(b, fmt, tmp_path / f"b.{fmt}")
    assert line in (tmp_path / "b.md").read_text("utf-8")
    assert f'<p class="verify">{line}</p>' in (tmp_path / "b.html").read_text("utf-8")
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "b.xlsx")["总体情况"]["A5"].value == line
    from docx import Document

    assert line in [p.text for p in Document(tmp_path / "b.docx").paragraphs]
    assert _bulletin(w, "en").verify_line == ("All 2 commits of this period verified: signed by members of "
                                              "offices.yaml, within their offices' rights (tracker verify).")


def test_findings_are_counted_with_the_command_that_lists_them(dated_world, monkeypatch):
    w = dated_world.water
    _dated(monkeypatch, "2020-11-05T10:00:00+08:00")
    ok(run_cli(w, "set", "5", "--progress", "40"))
    _dated(monkeypatch, "2020-11-12T10:00:00+08:00")
    commit(w, "unsigned hand edit", write_task_field(w, 5, "progress: 40", "progress: 45"),
           extra=("-c", "commit.gpgsign=false"))
    _dated(monkeypatch, "2020-11-13T10:00:00+08:00")
    commit(w, "another unit's task", write_task_field(w, 1, "progress: 0", "progress: 20"))
    _dated(monkeypatch, "2020-12-02T10:00:00+08:00")  # after the bulletin's day: not its period
    commit(w, "December, unsigned", write_task_field(w, 5, "progress: 45", "progress: 50"),
           extra=("-c", "commit.gpgsign=false"))
    b = _bulletin(w)
    v = b.verified
    assert (v.commits, v.ok, v.unsigned, v.failed, v.findings) == (3, 1, 1, 1, 2)
    assert b.verify_line == ("本期 3 个提交中 1 个未签名、1 个未通过核验（共 2 项问题），"
                             "详见 tracker verify --since bulletin/2020-10-31。")
    assert _bulletin(w, "en").verify_line == (
        "Of the 3 commits of this period: 1 unsigned, 1 failed verification (2 findings); "
        "see tracker verify --since bulletin/2020-10-31.")
    # the command named finds what the bulletin counted (and, run today, December's commit too)
    r = run_cli(w, "verify", "--since", "bulletin/2020-10-31", "--format", "json")
    assert r.returncode == 1, r.stderr
    states = [c["state"] for c in json.loads(r.stdout)["commits"]]
    assert (len(states), states.count("unsigned"), states.count("failed")) == (4, 2, 1)


def test_a_period_reaching_back_before_offices_yaml_says_which_commits_were_not_governed(tmp_path, monkeypatch):
    _dated(monkeypatch, "2020-10-01T09:00:00+08:00")
    world = build_world(tmp_path, hook=False)
    from tracker.report import build
    from tracker.store import Workspace

    ws = Workspace(world.water)
    b = build(ws, as_of=date(2020, 10, 31), since=date(2020, 9, 30))  # nothing committed by then: all history
    v = b.verified
    n = int(git(world.water, "rev-list", "--count", "HEAD"))
    assert v.commits == n and v.unenforced == 1 and v.ok == n - 1 and v.since_rev == ""
    assert b.verify_line == f"本期 {n} 个提交中 {n - 1} 个经签名核验，1 个在启用 offices.yaml 之前（tracker verify）。"


def test_no_line_without_offices_yaml(tmp_path):
    from tracker.report import build, write
    from tracker.store import Workspace

    repo = make_plan_repo(tmp_path / "plain")
    ok(run_cli(repo, "set", "5", "--progress", "40"))
    b = build(Workspace(repo), lang="zh")
    assert b.verified is None and b.verify_line == ""
    write(b, "md", tmp_path / "b.md")
    assert "签名核验" not in (tmp_path / "b.md").read_text("utf-8")
