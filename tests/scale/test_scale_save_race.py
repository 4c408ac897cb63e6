"""A save racing a hand edit (issue 10, point 11): the save commits exactly the bytes it validated,
and a change made to the file between the save's read and its write is refused, never overwritten.

The race is made deterministic with the save's own step hook (`tracker.store.fault`, the hook
the SIGKILL tests use): at a chosen step the hook edits the file by hand, as an officer's editor
would, in the real repository."""
from __future__ import annotations

import pytest

import tracker.store as store_mod
from scale_support import git, task_file
from tracker.store import StaleError, Workspace


def _hand_edit_at(monkeypatch, step: str, edit) -> None:
    real = store_mod.fault

    def hook(name: str) -> None:
        if name == step:
            edit()
        real(name)

    monkeypatch.setattr(store_mod, "fault", hook)


def test_hand_edit_between_read_and_write_is_refused_not_overwritten(repo, monkeypatch):
    ws = Workspace(repo)
    path = task_file(repo, 5)
    before_head = git(repo, "rev-parse", "HEAD").strip()
    hand = path.read_text("utf-8").replace("progress: 0", "progress: 33") + "# 手工修改\n"
    assert hand != path.read_text("utf-8")

    def edit():  # in place, like an editor that rewrites the file
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(hand)

    _hand_edit_at(monkeypatch, "journal", edit)
    with pytest.raises(StaleError) as err:
        ws.update_task(5, {"note": "竺山圩主体完工"})
    assert "plan/2020/tasks/05.yaml" in str(err.value)
    assert path.read_text("utf-8") == hand  # the hand edit survives
    assert git(repo, "rev-parse", "HEAD").strip() == before_head  # nothing committed
    assert not (ws.state_dir / "pending.json").exists()


def test_commit_holds_the_validated_bytes_when_the_file_changes_after_the_write(repo, monkeypatch):
    ws = Workspace(repo)
    path = task_file(repo, 5)

    def truncate():  # an editor truncating the file in place to rewrite it, caught half-way
        with open(path, "w", encoding="utf-8"):
            pass

    _hand_edit_at(monkeypatch, "written", truncate)
    res = ws.update_task(5, {"progress": 40})
    committed = git(repo, "show", f"{res.sha}:plan/2020/tasks/05.yaml")
    assert "progress: 40" in committed and "title:" in committed  # the bytes that were validated
    assert "进度 0 → 40" in res.message
    assert git(repo, "diff", "--stat", f"{res.sha}^", res.sha).count("\n") == 2  # one file, one line
    assert path.read_text("utf-8") == ""  # the later hand edit is not hidden: it shows as a change
    assert git(repo, "status", "--porcelain").strip() == "M plan/2020/tasks/05.yaml"


def test_save_keeps_other_staged_work_and_leaves_a_clean_status(repo):
    ws = Workspace(repo)
    other = task_file(repo, 7)
    other.write_text(other.read_text("utf-8") + "# staged by hand\n", "utf-8")
    git(repo, "add", str(other))
    res = ws.update_task(5, {"progress": 40})
    assert git(repo, "show", "--name-only", "--format=", res.sha).split() == ["plan/2020/tasks/05.yaml"]
    assert git(repo, "status", "--porcelain").splitlines() == ["M  plan/2020/tasks/07.yaml"]
    assert git(repo, "log", "-1", "--format=%an", res.sha).strip()
