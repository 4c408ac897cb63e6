"""tracker carry-over FROM TO (结转): unfinished items copied into the next year's plan, each
linked to its origin, one commit; run once; clear refusals.  Real git, Chinese data."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests_support import commit_count, git, make_plan_repo, run_cli  # noqa: E402


@pytest.fixture
def repo(tmp_path):
    r = make_plan_repo(tmp_path / "r")
    for n, status in (("01", "done"), ("02", "in_progress"), ("03", "closed"), ("04", "cancelled")):
        p = r / f"plan/2020/tasks/{n}.yaml"
        p.write_text(p.read_text("utf-8").replace("status: not_started\nprogress: 0",
                                                  f"status: {status}\nprogress: {45 if status == 'in_progress' else 100}"
                                                  + ("\ncancelled: {date: 2020-06-01, by: 督查室, reason: 并入2020-05}"
                                                     if status == "cancelled" else ""), 1),
                     "utf-8")
    git(r, "commit", "-qam", "进度")
    return r


def test_carry_over_copies_unfinished_items_with_their_origin(repo):
    before = commit_count(repo)
    r = run_cli(repo, "carry-over", "2020", "2021", "--due", "2021-06-30")
    assert r.returncode == 0, r.stderr
    assert commit_count(repo) == before + 1
    # 2020-01 applied for closure (申请办结) and nobody closed it: unfinished, carried as it is;
    # 2020-03 closed (已销号) and 2020-04 cancelled (已撤销): not carried
    assert "2021-01 ← 2020-01" in r.stdout and "申请办结 100%" in r.stdout
    assert "2021-02 ← 2020-02 努力提振村级经济" in r.stdout
    assert "← 2020-03" not in r.stdout and "← 2020-04" not in r.stdout
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert "plan/2021/plan.yaml" in changed and len(changed) == 1 + 58
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject == "结转 2020 → 2021：58项未完成事项"
    assert "原时限 2020-12-31 → 2021-06-30" in git(repo, "log", "-1", "--format=%b")
    rows = json.loads(run_cli(repo, "--plan", "2021", "list", "--format", "json").stdout)
    assert len(rows) == 58
    assert (rows[0]["id"], rows[0]["origin"], rows[0]["status"]) == ("2021-01", "2020-01", "done")
    first = rows[1]
    assert (first["id"], first["origin"], first["title"], first["progress"], first["status"], first["due"],
            first["start"]) == ("2021-02", "2020-02", "努力提振村级经济", 45, "in_progress", "2021-06-30", "2021-01-01")
    assert "year: 2021" in (repo / "plan/2021/plan.yaml").read_text("utf-8")
    # once only: a second run is refused, naming the items, and writes nothing
    again = run_cli(repo, "carry-over", "2020", "2021")
    assert again.returncode == 2 and "2020-02" in again.stderr
    assert commit_count(repo) == before + 1 and git(repo, "status", "--porcelain") == ""
    # the office reviews the carried application in the new year
    assert run_cli(repo, "--plan", "2021", "close", "1").returncode == 0


def test_carry_over_refuses_clearly(repo):
    before = commit_count(repo)
    r = run_cli(repo, "carry-over", "2019", "2020")
    assert r.returncode == 2 and "2019" in r.stderr
    r = run_cli(repo, "carry-over", "2020", "2020")
    assert r.returncode == 2
    r = run_cli(repo, "carry-over", "2020", "2021", "--due", "2022-01-01")
    assert r.returncode == 2 and "2022-01-01" in r.stderr
    assert commit_count(repo) == before and not (repo / "plan/2021").exists()
