"""A save killed (SIGKILL) at every step: no half-written file, a valid repository, and the next
start either finishes the save or reports it; nothing committed is lost."""
from __future__ import annotations

import signal

import pytest

from scale_support import cli, git, task_file
from tracker.store import Workspace

STEPS = ["locked", "journal", "tmp", "written", "ref-moved", "committed"]


def _yaml_files_parse(repo):
    from tracker.yamlio import decode, fast_load

    for p in (repo / "plan").rglob("*.yaml"):
        fast_load(decode(p.read_bytes(), str(p)), str(p))  # raises on a half-written file


@pytest.mark.parametrize("step", STEPS)
def test_killed_save_is_finished_or_reported(repo, step):
    ws = Workspace(repo)
    ws.update_task(4, {"progress": 20})  # history that must survive
    before_head = git(repo, "rev-parse", "HEAD").strip()
    before_log = git(repo, "log", "--format=%H %s")
    old_text = task_file(repo, 5).read_text("utf-8")

    p = cli(repo, "set", "5", "--progress", "40", "--note", "竺山圩主体完工", env={"TRACKER_FAULT": step})
    assert p.returncode == -signal.SIGKILL, (p.returncode, p.stderr)

    # right after the kill: the repository is valid, no file is half-written
    git(repo, "fsck", "--no-progress")
    _yaml_files_parse(repo)
    assert not (repo / ".git" / "index.lock").exists()
    text_now = task_file(repo, 5).read_text("utf-8")
    assert text_now in (old_text,) or "progress: 40" in text_now

    # the next start finishes or reports, and leaves a clean tree
    nxt = cli(repo, "list", "--format", "json", "--lang", "en")  # the English words; zh: Chinese only
    assert nxt.returncode == 0, nxt.stderr
    assert not list((repo / "plan").rglob(".*.tmp")), "a temporary file was left behind"
    assert not (ws.state_dir / "pending.json").exists()
    head_subject = git(repo, "log", "-1", "--format=%s")
    status = git(repo, "status", "--porcelain")
    if step in ("locked", "journal", "tmp"):
        assert task_file(repo, 5).read_text("utf-8") == old_text  # the save never happened
        assert git(repo, "rev-parse", "HEAD").strip() == before_head
    else:
        assert "2020-05" in head_subject and "进度 0 → 40" in head_subject
        assert "progress: 40" in task_file(repo, 5).read_text("utf-8")
        if step == "written":
            assert "finished an interrupted save" in nxt.stderr
    assert status == ""
    # nothing committed is lost: the old history is still the history
    assert git(repo, "log", "--format=%H %s", before_head) == before_log
    git(repo, "merge-base", "--is-ancestor", before_head, "HEAD")  # raises unless the old HEAD is kept


def test_pending_change_is_reported_when_it_cannot_be_finished(repo):
    """Killed after the write; then the officer edits the file by hand: the next start says so."""
    p = cli(repo, "set", "5", "--progress", "40", env={"TRACKER_FAULT": "written"})
    assert p.returncode == -signal.SIGKILL
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8").replace("progress: 40", "progress: 45"), "utf-8")
    nxt = cli(repo, "list", "--format", "json", "--lang", "en")
    assert nxt.returncode == 0
    assert "uncommitted changes from an interrupted save" in nxt.stderr
    assert "progress: 45" in f.read_text("utf-8")  # the officer's text is never thrown away


def test_pending_change_waits_while_head_is_detached(repo):
    p = cli(repo, "set", "5", "--progress", "40", env={"TRACKER_FAULT": "written"})
    assert p.returncode == -signal.SIGKILL
    git(repo, "checkout", "-q", "--detach")
    nxt = cli(repo, "list", "--lang", "en")
    assert "will be committed on the next start" in nxt.stderr and "detached" in nxt.stderr
    assert (Workspace(repo).state_dir / "pending.json").exists()
    git(repo, "switch", "-q", "main")
    again = cli(repo, "list", "--lang", "en")
    assert "finished an interrupted save" in again.stderr
    assert "进度 0 → 40" in git(repo, "log", "-1", "--format=%s")


def test_fault_hook_is_inert_unless_named(repo):
    p = cli(repo, "set", "5", "--progress", "40", env={"TRACKER_FAULT": "no-such-step"})
    assert p.returncode == 0, p.stderr
    assert "进度 0 → 40" in git(repo, "log", "-1", "--format=%s")


def test_tampered_journal_cannot_commit_outside_the_plan(repo):
    """The journal is only trusted for plan files: a record pointing elsewhere is dropped."""
    import json

    ws = Workspace(repo)
    outside = repo.parent / "outside.yaml"
    outside.write_text("x: 1\n", "utf-8")
    from tracker.store import blob_id

    for path in ("../outside.yaml", "plan/../../outside.yaml", ".git/config", "README.md"):
        (ws.state_dir / "pending.json").write_text(json.dumps(
            {"path": path, "message": "forged\n", "old": "0" * 40, "new": blob_id(b"x: 1\n")}), "utf-8")
        head = git(repo, "rev-parse", "HEAD")
        note = ws.recover()
        assert note and "ignored" in note
        assert git(repo, "rev-parse", "HEAD") == head
        assert not (ws.state_dir / "pending.json").exists()
    assert outside.read_text("utf-8") == "x: 1\n"
