"""The first bulletin (issue 16): the plan's own creation is not 本期新增; the burn-up starts when
the plan existed, not a week before."""
from __future__ import annotations

import os
import subprocess
from datetime import date

from tests_support import make_plan_repo

from tracker.report import build
from tracker.store import Workspace


def _commit_env(day: str) -> dict:
    return {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}


def test_first_bulletin_does_not_count_the_plan_as_added(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2020-10-14T09:00:00+08:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2020-10-14T09:00:00+08:00")
    repo = make_plan_repo(tmp_path / "office")
    p = repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 20", 1), "utf-8")
    subprocess.run(["git", "commit", "-qam", "an update"], cwd=repo, env=_commit_env("2020-10-20"), check=True)
    ws = Workspace(repo)
    b = build(ws, as_of=date(2020, 10, 31), lang="zh")
    assert b.added == 0
    assert [c.item for c in b.changes] == ["2020-05"]
    assert b.burnup and b.burnup[0].day >= date(2020, 10, 14) and b.burnup[0].total == 60
    from tracker.report.md import render_md

    md = render_md(b)
    assert "本期新增" not in md


def test_a_task_added_later_is_counted(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2020-10-14T09:00:00+08:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2020-10-14T09:00:00+08:00")
    repo = make_plan_repo(tmp_path / "office")
    src = repo / "plan/2020/tasks/05.yaml"
    (repo / "plan/2020/tasks/61.yaml").write_text(src.read_text("utf-8").replace("number: 5\n", "number: 61\n", 1), "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "a new task"], cwd=repo, env=_commit_env("2020-10-20"), check=True)
    b = build(Workspace(repo), as_of=date(2020, 10, 31), lang="zh")
    assert b.added == 1
