"""A stale index.lock, a detached HEAD, a repository mid-merge: a clear message and a way forward."""
from __future__ import annotations

import os
import time

import pytest

from scale_support import cli, git, task_file
from tracker.model import TrackerError
from tracker.store import Workspace


def test_stale_index_lock(repo):
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    before = task_file(repo, 5).read_text("utf-8")
    p = cli(repo, "set", "5", "--progress", "10", "--lang", "en")  # the English words; zh: Chinese only
    assert p.returncode == 2
    msg = " ".join(p.stderr.split())
    assert "index.lock" in msg and "Nothing was saved" in msg and "rm " in msg and "stale" in msg
    assert task_file(repo, 5).read_text("utf-8") == before
    lock.unlink()  # the way forward
    assert cli(repo, "set", "5", "--progress", "10").returncode == 0
    assert "进度 0 → 10" in git(repo, "log", "-1", "--format=%s")


def test_detached_head(repo):
    git(repo, "checkout", "-q", "--detach")
    ws = Workspace(repo)
    before = git(repo, "rev-parse", "HEAD")
    with pytest.raises(TrackerError) as exc:
        ws.update_task(5, {"progress": 10})
    assert "detached" in str(exc.value) and "git switch main" in str(exc.value)
    assert git(repo, "rev-parse", "HEAD") == before
    assert git(repo, "status", "--porcelain") == ""
    git(repo, "switch", "-q", "main")
    assert ws.update_task(5, {"progress": 10}) is not None


def _start_conflicting_merge(repo):
    git(repo, "switch", "-q", "-c", "other")
    f = task_file(repo, 6)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 11"), "utf-8")
    git(repo, "commit", "-q", "-am", "other side")
    git(repo, "switch", "-q", "main")
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 22"), "utf-8")
    git(repo, "commit", "-q", "-am", "this side")
    git(repo, "-c", "merge.tracker.driver=false", "merge", "other", check=False)
    assert (repo / ".git" / "MERGE_HEAD").exists()


def test_mid_merge(repo):
    _start_conflicting_merge(repo)
    ws = Workspace(repo)
    with pytest.raises(TrackerError) as exc:
        ws.update_task(5, {"progress": 10})
    msg = str(exc.value)
    assert "middle of a merge" in msg and "tracker sync" in msg and "git merge --abort" in msg
    assert "progress: 0" in task_file(repo, 5).read_text("utf-8")
    git(repo, "merge", "--abort")
    assert ws.update_task(5, {"progress": 10}) is not None


def test_mid_merge_still_lists(repo):
    """Reading keeps working mid-merge: the conflicted file is named, the rest of the plan listed."""
    _start_conflicting_merge(repo)
    p = cli(repo, "list", "--format", "json")
    assert p.returncode == 0
    import json

    assert len(json.loads(p.stdout)) >= 59


def test_identity_lost_during_a_session(repo, git_env, monkeypatch):
    """The identity is checked once per session; if it disappears later, the commit is still
    refused (never signed with a guessed name), explained, and the file is put back."""
    ws = Workspace(repo)
    assert ws.update_task(5, {"progress": 10}) is not None
    git_env.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    before = task_file(repo, 5).read_text("utf-8")
    head = git(repo, "rev-parse", "HEAD")
    with pytest.raises(TrackerError) as exc:
        ws.update_task(5, {"progress": 20})
    assert "who you are" in str(exc.value) and "Nothing was saved" in str(exc.value)
    assert task_file(repo, 5).read_text("utf-8") == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""
