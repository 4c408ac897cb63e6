"""The history index (tracker/touchindex.py) always answers what `git log -- FILE` answers, follows
new commits and rewritten history, and a damaged, missing or half-built index only means git is asked."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from scale_support import cli, git, task_file
from tracker import touchindex
from tracker.history import entries_from_log, history
from tracker.store import Workspace

P = "plan/2020/tasks/05.yaml"


def from_git(ws, path):
    return entries_from_log(ws.git, ws.git.log_changes([path]), ws.plan_rel + "/")


def from_index(ws, path):
    log = touchindex.log_for(ws, path)
    assert log is not None, "the index should answer"
    return entries_from_log(ws.git, log, ws.plan_rel + "/")


def plan_files(repo):
    return [p for p in git(repo, "ls-files", "plan").split() if p.endswith(".yaml")]


def test_index_answers_what_git_log_answers_for_every_file(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10, "status": "in_progress"})
    ws.update_task(6, {"note": "第一行\n第二行"})
    ws.update_task(5, {"progress": 30})
    f = task_file(repo, 7)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 5"), "utf-8")
    git(repo, "commit", "-q", "-am", "a hand edit with plain git")
    git(repo, "rm", "-q", "plan/2020/tasks/08.yaml")
    git(repo, "commit", "-q", "-m", "a task withdrawn")
    assert touchindex.log_for(ws, P) is None  # not built: the caller asks git
    assert touchindex.refresh(ws, build=True)
    for path in plan_files(repo) + ["plan/2020/tasks/08.yaml"]:
        assert from_index(ws, path) == from_git(ws, path), path
    assert [c.field for c in from_index(ws, P)[0].changes] == ["progress"]
    commits, touches = touchindex.stats(ws)
    assert commits == int(git(repo, "rev-list", "--count", "HEAD")) and touches >= len(plan_files(repo)) + 4


def test_index_follows_new_commits_and_rewritten_history(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    ws.update_task(5, {"progress": 20})
    ws.update_task(9, {"progress": 5})
    assert from_index(ws, P) == from_git(ws, P)  # refreshed from its HEAD on the way
    assert len(from_index(ws, P)) == 3
    gone = git(repo, "rev-parse", "HEAD~1").strip()
    git(repo, "reset", "-q", "--hard", "HEAD~2")  # as a sync that rebased local commits does
    ws.update_task(5, {"status": "in_progress"})
    got = from_index(ws, P)
    assert got == from_git(ws, P) and gone not in {e.sha for e in got}
    assert from_index(ws, "plan/2020/tasks/09.yaml") == from_git(ws, "plan/2020/tasks/09.yaml")


def test_history_uses_the_index_and_stays_right(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    # the index is what answers the first view: a lie planted in it shows (and so proves it is read)
    import sqlite3

    con = sqlite3.connect(touchindex.index_path(ws))
    con.execute("UPDATE commits SET subject = 'from the index' WHERE sha = ?", (git(repo, "rev-parse", "HEAD").strip(),))
    con.commit()
    con.close()
    assert history(ws, [P])[0].subject == "from the index"


def test_damaged_index_is_rebuilt_and_never_trusted(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    path = touchindex.index_path(ws)
    path.write_bytes(b"this is not a database" * 100)
    assert touchindex.log_for(ws, P) is None
    assert history(ws, [P]) == from_git(ws, P)
    assert touchindex.refresh(ws, build=True)
    assert from_index(ws, P) == from_git(ws, P)
    # an index whose HEAD git no longer has (a foreign or stale file) is rebuilt, not extended
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'head'", ("0" * 40,))
    con.commit()
    con.close()
    ws.update_task(5, {"progress": 40})
    assert from_index(ws, P) == from_git(ws, P)


def test_cli_index_command_and_a_kill_mid_build(repo):
    ws = Workspace(repo)
    # a longer history, so that the build can be killed part way (fast-import: 3,000 commits)
    head = git(repo, "rev-parse", "HEAD").strip()
    lines = []
    for i in range(3000):
        n = 1 + i % 60
        blob = f"number: {n}\ntitle: 生成的任务 {i}\n"
        lines += [f"commit refs/heads/main", f"committer 甲 <a@example.invalid> {1600000000 + i} +0800",
                  f"data {len(f'c{i}'.encode())}", f"c{i}"]
        if i == 0:
            lines.append(f"from {head}")
        lines += [f"M 100644 inline plan/2020/tasks/{900 + n}.yaml", f"data {len(blob.encode())}", blob.rstrip("\n")]
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=repo, input="\n".join(lines) + "\n",
                   text=True, check=True)
    git(repo, "reset", "-q", "--hard", "main")
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--repo", str(repo), "index"], cwd=repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # killed before or after its one transaction: either no usable index (git is asked) or a whole one
    extra = "plan/2020/tasks/907.yaml"
    log = touchindex.log_for(ws, extra)
    if log is not None:
        assert entries_from_log(ws.git, log, "plan/2020/") == from_git(ws, extra)
    assert history(ws, [extra]) == from_git(ws, extra)
    out = cli(repo, "index")
    assert out.returncode == 0, out.stderr
    assert "3" in out.stdout and "commits" in out.stdout
    assert from_index(ws, extra) == from_git(ws, extra) and len(from_git(ws, extra)) == 50
    assert not [p for p in os.listdir(ws.state_dir) if p.startswith("touches") and p.endswith("-journal")]


def test_a_slow_first_view_starts_a_background_build(repo, monkeypatch):
    """A CLI user who never opens the TUI: a history view that had to ask git, slowly, leaves an
    index being built in the background (TRACKER_INDEX_AFTER=0 makes every git log 'slow')."""
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    monkeypatch.setenv("TRACKER_INDEX_AFTER", "1000")
    history(ws, [P])
    time.sleep(0.5)
    assert not touchindex.index_path(ws).exists()  # fast enough: nothing started
    monkeypatch.setenv("TRACKER_INDEX_AFTER", "0")
    history(ws, ["plan/2020/tasks/06.yaml"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not touchindex.refresh(ws):
        time.sleep(0.2)
    assert touchindex.refresh(ws)
    assert from_index(ws, P) == from_git(ws, P)


def test_history_with_merge_commits_is_left_to_git(repo):
    """Found in review: with plain `git merge`, a plan-wide walk follows other sides than
    `git log -- FILE` (which simplifies per file and orders by date); the index steps aside."""
    ws = Workspace(repo)
    assert touchindex.refresh(ws, build=True)
    git(repo, "switch", "-q", "-c", "side")
    ws.update_task(5, {"progress": 10})
    ws.update_task(6, {"progress": 20})
    git(repo, "switch", "-q", "main")
    ws.update_task(5, {"next_steps": "下月验收"})  # the same file on main, another line
    git(repo, "merge", "-q", "--no-edit", "side")
    assert len(git(repo, "log", "-1", "--format=%P").split()) == 2  # a real merge commit
    assert touchindex.refresh(ws)  # brought to HEAD...
    assert touchindex.log_for(ws, P) is None  # ...but a history with merges is git's to tell
    assert history(ws, [P]) == from_git(ws, P)
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # the merge undone: linear again, the index answers
    ws.update_task(7, {"progress": 5})
    assert from_index(ws, P) == from_git(ws, P)


def test_a_history_view_does_not_wait_behind_a_long_build(repo):
    """Found in review: a reader waited up to 30 s for another process's write lock."""
    import sqlite3

    ws = Workspace(repo)
    assert touchindex.refresh(ws, build=True)
    ws.update_task(5, {"progress": 10})  # stale: the view would refresh it
    holder = sqlite3.connect(touchindex.index_path(ws), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as a big build does when it spills to disk
    try:
        t = time.monotonic()
        assert touchindex.log_for(ws, P) is None
        got = history(ws, [P])
        assert time.monotonic() - t < 5
        assert got == from_git(ws, P)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert from_index(ws, P) == from_git(ws, P)
