"""`tracker list --format json` re-uses its last answer only while no plan file changed."""
from __future__ import annotations

import json

import pytest

import tracker.listcache as listcache
from tracker.cli import main

from tests_support import git


@pytest.fixture
def run_list(plan_repo, monkeypatch, capsys):
    monkeypatch.chdir(plan_repo)
    monkeypatch.setattr(listcache, "RACY_NS", 0)  # the test's files are seconds old

    def run(*extra):
        assert main(["list", "--format", "json", *extra]) == 0
        return capsys.readouterr().out

    return run


def test_second_run_is_served_from_the_stored_answer_and_is_identical(run_list, plan_repo, monkeypatch):
    first = run_list()
    stored = plan_repo / ".git/tracker/list-json"
    assert stored.exists()
    assert "list-json" not in git(plan_repo, "status", "--porcelain", "--ignored")
    calls = []
    monkeypatch.setattr("tracker.commands.tasks.board", lambda *a: calls.append(a) or pytest.fail("full load"))
    second = run_list()
    assert second == first and calls == []
    tasks = json.loads(second)
    assert len(tasks) == 60 and {"light", "expected"} <= set(tasks[0])


def test_hand_edit_new_file_and_plan_change_are_seen(run_list, plan_repo):
    run_list()
    p = plan_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 45"), encoding="utf-8")
    assert {t["id"]: t["progress"] for t in json.loads(run_list())}["2020-05"] == 45
    (plan_repo / "plan/2020/tasks/61.yaml").write_text(
        p.read_text("utf-8").replace("number: 5", "number: 61"), encoding="utf-8")
    assert len(json.loads(run_list())) == 61
    from tracker.store import Workspace

    ws = Workspace(plan_repo)
    before = listcache.snapshot(ws)
    plan = plan_repo / "plan/2020/plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("red_behind: 30", "red_behind: 31"), encoding="utf-8")
    assert listcache.snapshot(ws) != before  # thresholds live in plan.yaml: its change means a full load


def test_filtered_lists_and_broken_files_take_the_full_path(run_list, plan_repo, capsys):
    run_list()
    only = json.loads(run_list("--status", "not_started"))
    assert len(only) == 60
    p = plan_repo / "plan/2020/tasks/07.yaml"
    p.write_text("number: [\n", encoding="utf-8")
    assert len(json.loads(run_list())) == 59
    stored_before = (plan_repo / ".git/tracker/list-json").read_bytes()
    assert len(json.loads(run_list())) == 59  # still the full path: the problem is reported each time
    assert (plan_repo / ".git/tracker/list-json").read_bytes() == stored_before


def test_corrupt_store_is_ignored(run_list, plan_repo):
    first = run_list()
    (plan_repo / ".git/tracker/list-json").write_bytes(b"\x00garbage")
    assert run_list() == first
