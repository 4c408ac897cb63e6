"""The "last change" table: cached per HEAD, updated incrementally, always equal to a full walk."""
from __future__ import annotations

import json

from scale_support import git, task_file
from tracker import lastchange
from tracker.store import Workspace


def _log_calls(monkeypatch, ws):
    calls = []
    real = ws.git.start

    def spy(*args):
        if args and args[0] == "log":
            calls.append(args)
        return real(*args)

    monkeypatch.setattr(ws.git, "start", spy)
    return calls


def test_first_call_equals_full_walk_and_is_cached(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    got = lastchange.last_changes(ws)
    assert got == lastchange.full_walk(ws)
    assert got["plan/2020/tasks/05.yaml"].sha == git(repo, "rev-parse", "HEAD").strip()
    assert len(got) == 71  # plan.yaml, 10 targets, 60 tasks
    cache = json.loads((ws.state_dir / "lastchange-2020.json").read_text("utf-8"))
    assert cache["head"] == git(repo, "rev-parse", "HEAD").strip()


def test_same_head_runs_no_walk(repo, monkeypatch):
    ws = Workspace(repo)
    lastchange.last_changes(ws)
    calls = _log_calls(monkeypatch, ws)
    lastchange.last_changes(ws)
    assert calls == []


def test_new_commits_walk_only_the_new_range(repo, monkeypatch):
    ws = Workspace(repo)
    lastchange.last_changes(ws)
    old = git(repo, "rev-parse", "HEAD").strip()
    ws.update_task(5, {"progress": 10})
    ws.update_task(6, {"status": "blocked"})
    f = task_file(repo, 7)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 3"), "utf-8")
    git(repo, "commit", "-q", "-am", "hand edit with plain git")
    calls = _log_calls(monkeypatch, ws)
    got = lastchange.last_changes(ws)
    head = git(repo, "rev-parse", "HEAD").strip()
    assert [c for c in calls if f"{old}..{head}" in c], calls
    assert not [c for c in calls if head in c and f"{old}..{head}" not in c and f"{head}..{old}" not in c]
    assert got == lastchange.full_walk(ws)
    assert got["plan/2020/tasks/07.yaml"].sha == head


def test_rewritten_history_is_looked_up_again(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    ws.update_task(6, {"progress": 20})
    lastchange.last_changes(ws)
    git(repo, "reset", "-q", "--hard", "HEAD~2")  # like a sync that dropped/rebased local commits
    ws.update_task(8, {"progress": 30})
    got = lastchange.last_changes(ws)
    assert got == lastchange.full_walk(ws)
    seed = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert got["plan/2020/tasks/05.yaml"].sha == seed  # not the commit that left the history


def test_merge_from_another_branch(repo):
    ws = Workspace(repo)
    lastchange.last_changes(ws)
    git(repo, "switch", "-q", "-c", "other")
    ws.update_task(9, {"progress": 40})
    git(repo, "switch", "-q", "main")
    ws.update_task(10, {"progress": 50})
    git(repo, "merge", "-q", "--no-edit", "other")
    assert lastchange.last_changes(ws) == lastchange.full_walk(ws)


def test_corrupt_or_foreign_cache_means_a_full_walk(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    path = ws.state_dir / "lastchange-2020.json"
    for junk in ("", "{", json.dumps({"v": 1, "prefix": "plan/2020", "head": "0" * 40, "map": {}}),
                 json.dumps({"v": 1, "prefix": "plan/2020", "head": git(repo, "rev-parse", "HEAD~1").strip(),
                             "map": {"plan/2020/tasks/05.yaml": ["x", "y"]}}),
                 json.dumps([1, 2, 3])):
        path.write_text(junk, "utf-8")
        assert lastchange.last_changes(ws) == lastchange.full_walk(ws), junk


def test_empty_repository(tmp_path):
    from tracker.gitstore import init_repo
    import shutil
    from scale_support import ROOT

    repo = tmp_path / "empty"
    init_repo(repo)
    shutil.copytree(ROOT / "plan" / "2020", repo / "plan" / "2020")
    assert lastchange.last_changes(Workspace(repo)) == {}


def test_commit_graph_is_refreshed_after_commits_from_elsewhere(repo):
    """A pull or a plain `git commit` leaves commits without Bloom filters: the next look at
    history notices (a few stats) and refreshes the commit-graph."""
    import time

    ws = Workspace(repo)
    ws.git.refresh_commit_graph(background=False)
    time.sleep(0.05)
    assert not ws.git.commit_graph_stale()
    git(repo, "commit", "-q", "--allow-empty", "-m", "from elsewhere")
    assert ws.git.commit_graph_stale()
    lastchange.last_changes(ws)
    deadline = time.time() + 20
    while ws.git.commit_graph_stale() and time.time() < deadline:
        time.sleep(0.1)
    assert not ws.git.commit_graph_stale()
    head = git(repo, "rev-parse", "HEAD").strip()
    out = git(repo, "-c", "core.commitGraph=true", "commit-graph", "verify")
    assert out == "" and head
