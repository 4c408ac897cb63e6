"""The audit trail after a sync tells the truth (issue 10): messages match diffs, conflict sides
name who set each value, a stale resolve never drops a side, an identical change keeps its trail,
bad files are not pushed, a killed sync never leaves a stuck clone, a stale remote lock is named."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from sync_support import clone
from tests_support import git, run_cli

from tracker import conflicts as conflicts_mod
from tracker.audit import audit_commits
from tracker.store import Workspace
from tracker.sync import SyncError, sync

pytestmark = pytest.mark.slow

T5 = "plan/2020/tasks/05.yaml"


def ws(repo: Path) -> Workspace:
    from tracker.sync_setup import ensure_repo_config

    w = Workspace(repo)
    ensure_repo_config(w)
    return w


def load(repo: Path, rel: str) -> dict:
    return yaml.safe_load((repo / rel).read_text("utf-8"))


def head_message(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev)


def assert_true_log(repo: Path) -> None:
    """Every commit's message matches its own diff (the check the soak also runs)."""
    bad = audit_commits(Workspace(repo))
    assert bad == [], "\n".join(bad)


# -- 1. a replayed commit describes its own diff ----------------------------------------------
def test_replayed_commit_that_became_a_conflict_says_so(offices):
    a, b, _ = offices
    ws(b).update_task(5, {"progress": 60})
    sync(ws(b), lang="en")
    ws(a).update_task(5, {"progress": 45, "problems": "资金缺口"})
    sync(ws(a), lang="en")
    msg = head_message(a)
    subject = msg.splitlines()[0]
    assert "进度: 0 → 45" not in msg  # no longer what the commit does (only the "was" line keeps it)
    assert "冲突" in subject and "45" in subject and "60" in subject, subject
    diff = git(a, "show", "--format=", "HEAD", "--", T5)
    assert "+progress" not in diff and "conflicts:" in diff
    tr = dict(line.split(": ", 1) for line in msg.strip().split("\n\n")[-1].splitlines())
    assert set(tr["Tracker-Fields"].split(", ")) == {"problems", "conflicts"}
    assert_true_log(a)


def test_resolve_replayed_onto_a_newer_value_is_rewritten(offices):
    a, b, _ = offices
    ws(a).update_task(5, {"status": "in_progress"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "blocked"})
    sync(ws(b), lang="en")
    sync(ws(a), lang="en")
    # both see the conflict; B resolves for blocked and syncs, A resolves for in_progress (ours)
    conflicts_mod.resolve(ws(b), "5", {"status": "theirs"}, lang="zh")
    sync(ws(b), lang="en")
    conflicts_mod.resolve(ws(a), "5", {"status": "ours"}, lang="zh")
    sync(ws(a), lang="en")
    assert_true_log(a)
    msg = head_message(a)
    assert "Tracker-Resolve: status=ours" not in msg  # the entry was already gone: it resolved nothing
    # two resolutions that disagree are a disagreement again: recorded, with who chose what
    t = load(a, T5)
    assert t["status"] == "blocked"
    [entry] = t["conflicts"]
    assert {(s["value"], s["author"]) for s in (entry["ours"], entry["theirs"])} == {("blocked", "李四"), ("in_progress", "张三")}
    assert "冲突" in msg.splitlines()[0]


# -- 2. a conflict side names who set the value --------------------------------------------------
def test_conflict_side_names_the_office_that_set_the_value(offices):
    a, b, c = offices
    ws(b).update_task(5, {"status": "blocked"})
    sync(ws(b), lang="en")
    sync(ws(c), lang="en")
    ws(c).update_task(5, {"note": "王五的备注"})
    sync(ws(c), lang="en")
    ws(a).update_task(5, {"status": "done", "progress": 100})
    sync(ws(a), lang="en")
    [entry] = load(a, T5)["conflicts"]
    sides = {s["value"]: s["author"] for s in (entry["ours"], entry["theirs"])}
    assert sides == {"blocked": "李四", "done": "张三"}
    assert_true_log(a)


# -- 3. a resolve on a view that has since gained a side stays open ------------------------------
def test_stale_resolve_keeps_every_side(offices):
    a, b, c = offices
    ws(a).update_task(5, {"status": "in_progress"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "blocked"})
    ws(c).update_task(5, {"status": "done", "progress": 100})  # C is offline for now
    sync(ws(b), lang="en")
    sync(ws(a), lang="en")  # A sees the two-sided conflict
    assert len(conflicts_mod.find(ws(a), "5").entries) == 1
    sync(ws(c), lang="en")  # C's third value joins the entry (more:)
    conflicts_mod.resolve(ws(a), "5", {"status": "theirs"}, lang="zh")  # A resolves its two-sided view
    sync(ws(a), lang="en")
    t = load(a, T5)
    values = {s["value"] for s in [t["conflicts"][0]["ours"], t["conflicts"][0]["theirs"], *t["conflicts"][0].get("more", [])]}
    assert values == {"in_progress", "blocked", "done"}  # nobody's value vanished; still open
    msg = head_message(a)
    assert "Tracker-Resolve:" not in msg and "王五" in msg  # it says the resolve did not take, and why
    assert_true_log(a)
    # a resolve now lists every side
    res = conflicts_mod.resolve(ws(a), "5", {"status": "done"}, lang="zh")
    assert all(name in res.message for name in ("张三", "李四", "王五"))


# -- 4. an identical change keeps the second office's trail ----------------------------------------
def test_identical_change_keeps_second_offices_commit(offices):
    a, b, _ = offices
    ws(a).update_task(5, {"status": "done"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "done"})
    ws(b).update_task(6, {"progress": 10})
    sync(ws(b), lang="en")
    log = git(b, "log", "--format=%an%x1f%B%x1e")
    mine = [c for c in log.split("\x1e") if c.strip().startswith("李四") and "Tracker-Task: 2020-05" in c]
    assert mine, "B's commit for task 5 vanished from the shared log"
    assert "Tracker-Same-As:" in mine[0] and "张三" in mine[0]
    assert_true_log(b)
    assert load(b, "plan/2020/tasks/06.yaml")["progress"] == 10


# -- 6. sync never pushes invalid files; a bad file from elsewhere never blocks ------------------
def test_sync_refuses_to_push_an_invalid_file(offices):
    a, b, _ = offices
    text = (a / T5).read_text("utf-8").replace("progress: 0", "progress: 150")
    (a / T5).write_text(text, encoding="utf-8")
    git(a, "commit", "-q", "-am", "hand edit")
    with pytest.raises(SyncError) as exc:
        sync(ws(a), lang="en")
    assert exc.value.kind == "invalid" and T5 in str(exc.value) and "progress" in str(exc.value)
    assert git(a, "ls-remote", "origin", "main").split()[0] != git(a, "rev-parse", "HEAD").strip()


def test_bad_file_from_elsewhere_does_not_block(offices, remote, tmp_path):
    a, b, _ = offices
    # a bad commit reaches the remote by plain git (not through tracker)
    text = (b / T5).read_text("utf-8").replace("progress: 0", "progress: 150")
    (b / T5).write_text(text, encoding="utf-8")
    git(b, "commit", "-q", "-am", "hand edit")
    git(b, "push", "-q", "origin", "main")
    ws(a).update_task(5, {"note": "我的备注"})
    ws(a).update_task(6, {"progress": 20})
    res = sync(ws(a), lang="en")
    assert res.pushed == 2
    assert T5 in " ".join(res.invalid)
    assert git(a, "ls-remote", "origin", "main").split()[0] == git(a, "rev-parse", "HEAD").strip()
    assert load(a, T5)["note"] == "我的备注"


# -- 9. a sync killed between the index and the branch move --------------------------------------
def test_sync_killed_after_index_before_branch_moves(offices):
    a, b, _ = offices
    ws(b).update_task(5, {"progress": 60})
    sync(ws(b), lang="en")
    ws(a).update_task(6, {"progress": 10})
    before = git(a, "rev-parse", "HEAD").strip()
    r = run_cli(a, "sync", env={"TRACKER_FAULT": "sync-index"})
    assert r.returncode != 0
    assert git(a, "rev-parse", "HEAD").strip() == before  # the branch did not move
    assert git(a, "status", "--porcelain", "--untracked-files=no").strip()  # the stuck state
    # any tracker command finishes the step first; a set on that task commits only its own change
    r = run_cli(a, "set", "5", "--note", "甲的备注", "--lang", "en")  # the English words; zh: Chinese only
    assert r.returncode == 0, r.stderr
    assert "interrupted sync" in r.stderr
    msg = head_message(a)
    assert "Tracker-Fields: note" in msg
    assert git(a, "status", "--porcelain", "--untracked-files=no").strip() == ""
    assert load(a, T5)["progress"] == 60
    sync(ws(a), lang="en")
    assert_true_log(a)


# -- 10. a stale lock on a path remote ------------------------------------------------------------
def test_stale_remote_lock_is_named_and_can_be_broken(offices, remote):
    a, _, _ = offices
    lock = remote / "refs" / "heads" / "main.lock"
    lock.write_text("0" * 40 + "\n")
    old = time.time() - 600
    os.utime(lock, (old, old))
    ws(a).update_task(5, {"progress": 5})
    with pytest.raises(SyncError) as exc:
        sync(ws(a), lang="en", max_attempts=2)
    msg = str(exc.value)
    assert "main.lock" in msg and "10 min" in msg and "--break-lock" in msg
    assert "syncing right now" not in msg
    r = run_cli(a, "sync", "--break-lock")
    assert r.returncode == 0, r.stderr
    assert "已删除共享仓库中遗留的过期锁：" in r.stdout + r.stderr, r.stdout + r.stderr  # issue 11: in the user's language
    assert not lock.exists()
    assert git(a, "ls-remote", "origin", "main").split()[0] == git(a, "rev-parse", "HEAD").strip()


def test_fresh_remote_lock_is_not_broken(offices, remote):
    a, _, _ = offices
    lock = remote / "refs" / "heads" / "main.lock"
    lock.write_text("0" * 40 + "\n")
    ws(a).update_task(5, {"progress": 5})
    r = run_cli(a, "sync", "--break-lock", "--attempts", "1", "--lang", "en")  # the English words; zh: Chinese only
    assert r.returncode != 0
    assert lock.exists() and "minutes" in r.stderr


# -- bulletin tags travel ---------------------------------------------------------------------------
def test_bulletin_tags_travel_with_sync(offices):
    a, b, _ = offices
    git(a, "tag", "bulletin/2020-09", "HEAD")
    sync(ws(a), lang="en")
    sync(ws(b), lang="en")
    assert git(b, "tag", "-l", "bulletin/*").split() == ["bulletin/2020-09"]


# -- the git rebase path rewrites messages too ----------------------------------------------------
def test_rebase_path_rewrites_messages(offices):
    """A non-plan file changed on both sides sends the sync through git rebase: messages still true."""
    a, b, _ = offices
    (a / "notes.txt").write_text("一\n二\n三\n四\n五\n", encoding="utf-8")
    git(a, "add", "notes.txt")
    git(a, "commit", "-q", "-m", "notes")
    sync(ws(a), lang="en")
    sync(ws(b), lang="en")
    (a / "notes.txt").write_text("一 甲\n二\n三\n四\n五\n", encoding="utf-8")
    git(a, "commit", "-q", "-am", "notes a")
    (b / "notes.txt").write_text("一\n二\n三\n四\n五 乙\n", encoding="utf-8")
    git(b, "commit", "-q", "-am", "notes b")
    ws(a).update_task(5, {"progress": 60})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 45, "problems": "资金缺口"})
    sync(ws(b), lang="en")
    msg = git(b, "log", "-1", "--format=%B", "--author=李四", "--", T5)
    assert "冲突" in msg.splitlines()[0] and "进度: 0 → 45" not in msg
    assert_true_log(b)


# -- signed clones stay signed ----------------------------------------------------------------------
def test_replayed_commits_stay_signed(offices, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("ssh-keygen"):
        pytest.skip("ssh-keygen missing")
    a, b, _ = offices
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "李四", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"{git(b, 'config', 'user.email').strip()} {(tmp_path / 'key.pub').read_text()}")
    for k, v in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("commit.gpgsign", "true"),
                 ("gpg.ssh.allowedSignersFile", str(allowed))):
        git(b, "config", k, v)
    ws(a).update_task(5, {"progress": 60})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 45})  # becomes a recorded conflict: rewritten, replayed
    ws(b).update_task(6, {"progress": 10})
    sync(ws(b), lang="en")
    mine = git(b, "log", "--format=%H %G?", "--author=李四").split("\n")
    mine = [ln for ln in mine if ln.strip()]
    assert len(mine) == 2
    assert all(ln.endswith(" G") for ln in mine), mine


def test_same_as_commit_survives_a_second_integration(offices, monkeypatch):
    """The push is rejected after the replay made an empty "same as" commit: the next integration
    (same sync, attempt 2) keeps it (found by the soak)."""
    import tracker.sync as S

    a, b, c = offices
    ws(a).update_task(5, {"status": "done"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "done"})
    ws(c).update_task(8, {"progress": 80})
    real_fetch = S._fetch
    calls = []

    def racing_fetch(w, remote, url):
        real_fetch(w, remote, url)
        calls.append(1)
        if len(calls) == 1:  # right after B's first fetch, office C pushes
            sync(ws(c), lang="en")

    monkeypatch.setattr(S, "_fetch", racing_fetch)
    res = sync(ws(b), lang="en")
    monkeypatch.undo()
    assert res.attempts == 2
    log = git(b, "log", "--format=%an%x1f%B%x1e", "origin/main")
    assert any(c.startswith("李四") and "Tracker-Same-As:" in c for c in log.split("\x1e"))


def test_resolve_of_an_actual_describes_its_diff(offices):
    """A resolve of a target's actual names the field as its diff does (found by the soak)."""
    a, b, _ = offices
    t4 = "plan/2020/targets/04.yaml"
    assert run_cli(a, "actual", "4", "--period", "2020-09", "--value", "100").returncode == 0
    sync(ws(a), lang="en")
    assert run_cli(b, "actual", "4", "--period", "2020-09", "--value", "200").returncode == 0
    sync(ws(b), lang="en")
    [entry] = load(b, t4)["conflicts"]
    conflicts_mod.resolve(ws(b), "T4", {entry["field"]: "theirs"}, lang="zh")
    assert_true_log(b)


@pytest.mark.parametrize("take, value", [("ours", 40), ("theirs", 60)])
@pytest.mark.parametrize("path", ["replay", "rebase"])
def test_identical_resolve_keeps_second_offices_trail(offices, monkeypatch, take, value, path):
    """Two offices resolve the same conflict the same way; the second to sync keeps a commit that
    names the field and the commit it matched (found by the soak: "missing ... @resolve:progress = 40",
    a resolve that kept the current value left no trace of who resolved it)."""
    import tracker.sync as S

    a, b, _ = offices
    ws(a).update_task(5, {"progress": 40})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 60})
    sync(ws(b), lang="en")
    sync(ws(a), lang="en")  # both see the conflict: progress 40 (张三) / 60 (李四)
    conflicts_mod.resolve(ws(b), "5", {"progress": take}, lang="zh")
    sync(ws(b), lang="en")
    resolver = git(b, "rev-parse", "HEAD").strip()
    conflicts_mod.resolve(ws(a), "5", {"progress": take}, lang="zh")
    if path == "rebase":
        def no_replay(*_a, **_k):
            raise S._Fallback("test: the git rebase path")

        monkeypatch.setattr(S, "_replay", no_replay)
    sync(ws(a), lang="en")
    monkeypatch.undo()
    assert load(a, T5)["progress"] == value and "conflicts" not in load(a, T5)
    msg = head_message(a)
    assert git(a, "log", "-1", "--format=%an").strip() == "张三"
    subject = msg.splitlines()[0]
    assert "解决冲突 进度 取" in subject and str(value) in subject and "李四" in subject, msg
    tr = dict(line.split(": ", 1) for line in msg.strip().split("\n\n")[-1].splitlines() if ": " in line)
    assert tr["Tracker-Same-As"] == f"progress={resolver[:12]}", msg
    assert "未再解决" not in msg  # it resolved it the same way: not "no longer resolves it"
    assert "原提交在另一版本上做的是：解决冲突 进度 取" in msg
    assert_true_log(a)


def test_identical_change_keeps_its_commit_on_the_rebase_path(offices, monkeypatch):
    """The `git rebase` path keeps a commit that became empty, and one whose patch the remote
    already holds (git would drop both), and says whose commit it matched."""
    import tracker.sync as S

    a, b, _ = offices
    ws(a).update_task(5, {"status": "done"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "done"})

    def no_replay(*_a, **_k):
        raise S._Fallback("test: the git rebase path")

    monkeypatch.setattr(S, "_replay", no_replay)
    sync(ws(b), lang="en")
    monkeypatch.undo()
    mine = [c for c in git(b, "log", "--format=%an%x1f%B%x1e", "origin/main").split("\x1e") if c.strip().startswith("李四")]
    assert mine and "Tracker-Same-As: status=" in mine[0] and "张三" in mine[0], mine
    assert_true_log(b)


# -- a resolve is a save like any other (journaled, committed from the validated bytes) -----------
def _conflict_on_progress(a: Path, b: Path) -> None:
    ws(a).update_task(5, {"progress": 40})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 60})
    sync(ws(b), lang="en")
    sync(ws(a), lang="en")


@pytest.mark.parametrize("step", ["written", "ref-moved"])
def test_resolve_killed_mid_save_is_finished_by_the_next_command(offices, step):
    """A resolve SIGKILLed between its write and its commit is committed by the next command, with
    its own message, as a save is (before, it left the file resolved but uncommitted, or nothing)."""
    a, b, _ = offices
    _conflict_on_progress(a, b)
    p = run_cli(a, "resolve", "5", "--field", "progress", "--take", "theirs", env={**os.environ, "TRACKER_FAULT": step})
    assert p.returncode == -9, p.stderr
    assert run_cli(a, "list").returncode == 0
    assert git(a, "status", "--porcelain", "--untracked-files=no").strip() == ""
    msg = head_message(a)
    assert "Tracker-Resolve: progress=theirs" in msg and "解决冲突" in msg.splitlines()[0], msg
    assert load(a, T5)["progress"] == 60 and "conflicts" not in load(a, T5)
    assert_true_log(a)


def test_resolve_refuses_on_a_detached_head(offices):
    """A resolve made where a commit would be on no branch (a sync killed mid-rebase leaves HEAD
    detached; its abort would then drop the commit) is refused, like a save, and nothing changes."""
    a, b, _ = offices
    _conflict_on_progress(a, b)
    git(a, "checkout", "-q", "--detach")
    head = git(a, "rev-parse", "HEAD").strip()
    p = run_cli(a, "resolve", "5", "--field", "progress", "--take", "theirs")
    assert p.returncode == 2 and "分离状态" in p.stderr, (p.returncode, p.stderr)  # zh locale: Chinese details
    assert git(a, "rev-parse", "HEAD").strip() == head
    assert load(a, T5)["conflicts"]


def test_resolve_of_a_field_resolved_meanwhile_is_refused(offices, monkeypatch):
    """The entries are read again under the lock: one resolved since (by a sync) is named, not a crash."""
    a, b, _ = offices
    _conflict_on_progress(a, b)
    real_find = conflicts_mod.find
    calls = []

    def find_then_resolved_elsewhere(w, ref):
        fc = real_find(w, ref)
        calls.append(1)
        if len(calls) == 1:
            conflicts_mod.resolve(ws(a), "5", {"progress": "ours"}, lang="en")  # e.g. another window
        return fc

    monkeypatch.setattr(conflicts_mod, "find", find_then_resolved_elsewhere)
    with pytest.raises(conflicts_mod.TrackerError, match="no longer in conflict"):
        conflicts_mod.resolve(ws(a), "5", {"progress": "theirs"}, lang="en")
    monkeypatch.undo()
    assert load(a, T5)["progress"] == 40


# -- tracker log TASK shows the empty "same as" commits ------------------------------------------
def test_log_of_a_task_shows_empty_same_as_commits(offices):
    """An identical change kept as an empty commit is in `tracker log 5`, in its place, not only in git log."""
    import json

    a, b, _ = offices
    ws(a).update_task(5, {"status": "done"})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"status": "done"})
    ws(b).update_task(6, {"progress": 10})
    sync(ws(b), lang="en")
    empty = git(b, "log", "-1", "--format=%H", "--author=李四", "--grep=Tracker-Same-As").strip()
    assert empty and git(b, "diff-tree", "--no-commit-id", "-r", "--name-only", empty).strip() == ""
    rows = json.loads(run_cli(b, "log", "5", "--format", "json").stdout)
    shas = [r["commit"] for r in rows]
    assert empty in shas, rows
    mine = rows[shas.index(empty)]
    assert mine["author"] == "李四" and mine["id"] == "2020-05" and "张三" in mine["same_as"]
    assert shas.index(empty) < shas.index(git(a, "rev-parse", "HEAD").strip())  # after 张三's, newest first
    table = run_cli(b, "log", "5")
    assert table.returncode == 0 and "与 张三 相同" in table.stdout and empty[:7] in table.stdout
    whole = json.loads(run_cli(b, "log", "--format", "json").stdout)
    assert empty in [r["commit"] for r in whole]
    assert empty not in [r["commit"] for r in json.loads(run_cli(b, "log", "6", "--format", "json").stdout)]
    assert len(json.loads(run_cli(b, "log", "5", "-n", "1", "--format", "json").stdout)) == 1
    # kept at HEAD in .git/tracker/history/same-as.json, then extended from it after a new commit
    assert (b / ".git" / "tracker" / "history" / "same-as.json").exists()
    ws(b).update_task(5, {"progress": 30})
    rows = json.loads(run_cli(b, "log", "5", "--format", "json").stdout)
    assert [r["commit"] for r in rows][:2] == [git(b, "rev-parse", "HEAD").strip(), empty]


def test_conflict_side_already_held_is_named_when_replayed_again(offices, monkeypatch):
    """B's edit became a recorded conflict side (60 / 40); its push is rejected because C meanwhile
    pushed the same side (60 / 40, by C); integrated again, B's commit adds nothing.  It must still
    name the field and say whose side it matched (found by the soak: "missing ... progress = 30",
    the second rewrite said only "no field changes")."""
    import tracker.sync as S

    a, b, c = offices
    ws(a).update_task(5, {"progress": 40})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 60})
    ws(c).update_task(5, {"progress": 60})
    real_fetch = S._fetch
    calls = []

    def racing_fetch(w, remote, url):
        real_fetch(w, remote, url)
        calls.append(1)
        if len(calls) == 1:  # right after B's first fetch, office C pushes its own 60 / 40
            monkeypatch.setattr(S, "_fetch", real_fetch)
            sync(ws(c), lang="en")
            monkeypatch.setattr(S, "_fetch", racing_fetch)

    monkeypatch.setattr(S, "_fetch", racing_fetch)
    res = sync(ws(b), lang="en")
    monkeypatch.undo()
    assert res.attempts == 2
    c_commit = git(c, "rev-parse", "HEAD").strip()
    msg = head_message(b)
    assert git(b, "log", "-1", "--format=%an").strip() == "李四"
    tr = dict(line.split(": ", 1) for line in msg.strip().split("\n\n")[-1].splitlines() if ": " in line)
    assert tr.get("Tracker-Same-As") == f"progress={c_commit[:12]}", msg
    assert "王五" in msg.splitlines()[0] and "60" in msg.splitlines()[0], msg
    assert "原提交在另一版本上做的是：进度 0 → 60" in msg  # what the officer did, kept through both rewrites
    assert_true_log(b)


def test_edit_whose_value_is_already_a_side_says_whose(offices):
    """B sets 60 offline; C's 60 against A's 40 is already a recorded conflict when B syncs: B's
    commit adds nothing, and says its value is already C's side (not "conflict recorded: this commit 60")."""
    a, b, c = offices
    ws(a).update_task(5, {"progress": 40})
    sync(ws(a), lang="en")
    ws(b).update_task(5, {"progress": 60})
    ws(c).update_task(5, {"progress": 60})
    sync(ws(c), lang="en")
    c_commit = git(c, "rev-parse", "HEAD").strip()
    sync(ws(b), lang="en")
    msg = head_message(b)
    assert git(b, "diff-tree", "--no-commit-id", "-r", "--name-only", "HEAD").strip() == ""
    assert "王五" in msg.splitlines()[0] and "本提交 60（李四）" not in msg, msg
    tr = dict(line.split(": ", 1) for line in msg.strip().split("\n\n")[-1].splitlines() if ": " in line)
    assert tr.get("Tracker-Same-As") == f"progress={c_commit[:12]}" and "Tracker-Conflict" not in tr, msg
    assert_true_log(b)
