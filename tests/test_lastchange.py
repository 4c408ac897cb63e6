"""The "last change" table: a query on the history index (tracker.touchindex), brought to HEAD
incrementally, always equal to a full walk."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests_support import git
from tracker import lastchange
from tracker.store import Workspace


@pytest.fixture
def repo(plan_repo):
    return plan_repo


def task_file(repo, number: int):
    return repo / "plan" / "2020" / "tasks" / f"{number:02d}.yaml"


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
    from tracker import touchindex

    con = sqlite3.connect(touchindex.index_path(ws))  # kept in the history index, at HEAD
    assert dict(con.execute("SELECT key, value FROM meta"))["head"] == git(repo, "rev-parse", "HEAD").strip()
    con.close()
    assert not (ws.state_dir / "lastchange-2020.json").exists()  # no second copy of history


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


def test_corrupt_or_foreign_index_means_a_full_walk(repo):
    from tracker import touchindex

    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    path = touchindex.index_path(ws)
    for junk in (b"", b"{", b"SQLite format 3\x00" + b"\x00" * 200, json.dumps([1, 2, 3]).encode()):
        touchindex._drop(path)
        path.write_bytes(junk)
        assert lastchange.last_changes(ws) == lastchange.full_walk(ws), junk
    assert lastchange.last_changes(ws) == lastchange.full_walk(ws)
    con = sqlite3.connect(path)  # an index claiming HEAD~1 with a lie in it: brought to HEAD, the lie stays
    con.execute("UPDATE meta SET value = ? WHERE key = 'head'", (git(repo, "rev-parse", "HEAD~1").strip(),))
    con.execute("UPDATE meta SET value = '2' WHERE key = 'v'")  # ...but from another version: rebuilt
    con.commit()
    con.close()
    assert lastchange.last_changes(ws) == lastchange.full_walk(ws)


def test_empty_repository(tmp_path):
    from tracker.gitstore import init_repo
    import shutil
    from tests_support import ROOT

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


# -- a fresh clone of a long history: the first answer does not wait for the index build ------

def _busy_history(repo, rounds: int = 6):
    """Commits touching a few tasks again and again (Chinese authors), the rest untouched since."""
    import os

    for i in range(rounds):
        for n in (3, 5, 7):
            f = task_file(repo, n)
            f.write_text(f.read_text("utf-8").replace(f"progress: {i * 5}", f"progress: {i * 5 + 5}")
                         if i else f.read_text("utf-8").replace("progress: 0", "progress: 5"), "utf-8")
            env = {"GIT_AUTHOR_NAME": f"住建局 孙红{i}{n}"}
            git(repo, "commit", "-q", "-am", f"任务 {n} 第 {i} 次", env={**os.environ, **env})


def test_early_walk_equals_full_walk(repo, monkeypatch):
    from tracker import gitstore

    _busy_history(repo)
    ws = Workspace(repo)
    real = gitstore.Running.chunks
    monkeypatch.setattr(gitstore.Running, "chunks", lambda self, size=7: real(self, 7))  # records cut anywhere
    for settle in (0, 3, 16, 100):
        assert lastchange.early_walk(ws, settle) == lastchange.full_walk(ws), settle
    got = lastchange.early_walk(ws)
    assert got["plan/2020/tasks/05.yaml"].author == "住建局 孙红55"
    assert len(got) == 71


def test_early_walk_stops_before_the_end(repo, monkeypatch):
    _busy_history(repo)
    ws = Workspace(repo)
    walked = []
    real = lastchange._walk

    def spy(ws_, args, want, settle):
        out = real(ws_, args, want, settle)
        walked.append((args, len(want), len(out)))
        return out

    monkeypatch.setattr(lastchange, "_walk", spy)
    lastchange.early_walk(ws, settle=len(lastchange.full_walk(ws)) - 3)
    assert walked[0][2] == 3  # the plan-wide walk stopped after the three busy tasks
    assert len(walked) > 1  # the others were found by walks limited to them


def test_fresh_clone_of_a_long_history_answers_without_the_index(repo, monkeypatch):
    from tracker import touchindex

    _busy_history(repo, rounds=2)
    monkeypatch.setattr(lastchange, "EARLY_AFTER", 3)
    ws = Workspace(repo)
    got = lastchange.last_changes(ws)
    assert got == lastchange.full_walk(ws)
    assert not touchindex.index_path(ws).exists()  # not built in this process (TRACKER_INDEX_AFTER: no background)
    monkeypatch.setattr(lastchange, "EARLY_AFTER", 10_000)
    assert lastchange.last_changes(ws) == got  # a short history: the index, built at once
    assert touchindex.index_path(ws).exists()


def test_fresh_clone_with_merges_asks_the_index(repo, monkeypatch):
    from tracker import touchindex

    git(repo, "checkout", "-q", "-b", "field")
    f = task_file(repo, 9)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 45"), "utf-8")
    git(repo, "commit", "-q", "-am", "field office")
    git(repo, "checkout", "-q", "main")
    g = task_file(repo, 10)
    g.write_text(g.read_text("utf-8").replace("progress: 0", "progress: 15"), "utf-8")
    git(repo, "commit", "-q", "-am", "office")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "field")
    monkeypatch.setattr(lastchange, "EARLY_AFTER", 1)
    ws = Workspace(repo)
    assert lastchange.early_walk(ws) is None
    assert lastchange.last_changes(ws) == lastchange.full_walk(ws)
    assert touchindex.index_path(ws).exists()


def test_the_same_head_is_answered_from_memory_until_head_or_the_index_changes(repo, monkeypatch):
    """The TUI asks again and again at one HEAD: the answer is remembered per HEAD and index file
    (no sqlite query); a new commit, or any write to the index file, means the index is asked."""
    import time

    from tracker import touchindex

    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    first = lastchange.last_changes(ws)
    opened = []
    real = touchindex._Open.__enter__

    def spy(self):
        opened.append(1)
        return real(self)

    monkeypatch.setattr(touchindex._Open, "__enter__", spy)
    again = lastchange.last_changes(ws)
    assert again == first and opened == []  # remembered
    again.pop("plan/2020/tasks/05.yaml")  # the caller's copy: what is remembered stays whole
    assert lastchange.last_changes(ws) == first and opened == []
    ws.update_task(6, {"progress": 20})
    got = lastchange.last_changes(ws)
    assert opened and got == lastchange.full_walk(ws) != first  # a new HEAD: asked
    time.sleep(0.05)  # the file's mtime moves on (coarse clocks)
    con = sqlite3.connect(touchindex.index_path(ws))  # a lie planted at the same HEAD: read, not remembered
    con.execute("UPDATE commits SET author = '改过的' WHERE sha = ?", (git(repo, "rev-parse", "HEAD").strip(),))
    con.commit()
    con.close()
    assert lastchange.last_changes(ws)["plan/2020/tasks/06.yaml"].author == "改过的"
