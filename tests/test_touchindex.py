"""The history index (tracker/touchindex.py), the one stored view of history: every query on it
answers what a plain git walk answers (a task's log, the last changes, the first-parent timeline,
a window, the commits that created tasks), on histories with merges, wrong clocks, renames and
deletions; it follows new commits, clones, fetches, syncs and rewritten history and never answers
from a stale state; a damaged, missing, locked or unwritable index only means git is asked, or
the index is built in memory."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests_support import git, run_cli
from tracker import touchindex
from tracker.history import entries_from_log, history
from tracker.store import Workspace

P = "plan/2020/tasks/05.yaml"


@pytest.fixture
def repo(plan_repo):
    return plan_repo


def task_file(repo, number: int):
    return repo / "plan" / "2020" / "tasks" / f"{number:02d}.yaml"


def cli(repo, *args):
    return run_cli(repo, "--repo", str(repo), *args, env={"TRACKER_LANG": "zh"})


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
    out = cli(repo, "index", "--lang", "en")  # the English words; zh: Chinese only
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


# -- every query == a plain git walk, on histories with merges, wrong clocks, renames, deletions ----

def _commit(repo, message, when, *, committer_when=None, author="甲 <a@example.invalid>"):
    name, _, mail = author.partition(" <")
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": committer_when or when,
           "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail.rstrip(">"),
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": mail.rstrip(">")}
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=env)


def _edit(repo, number, old, new):
    f = task_file(repo, number)
    text = f.read_text("utf-8")
    assert old in text, (number, old)
    f.write_text(text.replace(old, new, 1), "utf-8")
    git(repo, "add", str(f))


def git_timeline(ws):
    """The first-parent history of the plan folder, as one plain `git log` walk gives it."""
    from tracker.asof import TimelineCommit, local_day

    fmt = "\x1e%H\x1f%ct\x1f%cI\x1f%an\x1f%aI"
    out = git(ws.root, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", f"--format={fmt}",
              "--raw", "--no-renames", "--no-abbrev", "-z", "HEAD", "--", "plan/2020/")
    commits = []
    for chunk in out.split("\x1e")[1:]:
        header, _, raw = chunk.partition("\0") if "\0" in chunk.split("\n", 1)[0] else chunk.partition("\n")
        sha, ct, ci, an, ai = header.strip("\n").split("\x1f")
        fields = raw.lstrip("\n").split("\0")
        files, j = [], 0
        while j + 1 < len(fields):
            meta = fields[j].strip("\n")
            if not meta.startswith(":"):
                j += 1
                continue
            parts = meta[1:].split()
            files.append((fields[j + 1], None if parts[4].startswith("D") else parts[3]))
            j += 2
        commits.append(TimelineCommit(sha, int(ct), local_day(ci), an, ai, tuple(files)))
    return commits


def git_created(ws):
    return frozenset(git(ws.root, "log", "--diff-filter=A", "--format=%H", "HEAD", "--", "plan/2020/tasks").split())


def git_deletions(ws):
    out = git(ws.root, "log", "--diff-filter=D", "--no-renames", "--name-only", "-z",
              "--format=\x1e%H\x1f%an\x1f%aI", "HEAD", "--", "plan/2020/")
    rows = []
    for chunk in out.split("\x1e")[1:]:
        head, _, names = chunk.partition("\n")
        if "\0" in head:
            head, _, rest = head.partition("\0")
            names = rest + names
        sha, author, when = head.split("\x1f")
        rows += [(sha, author, when, n.strip("\n")) for n in names.split("\0") if n.strip("\n")]
    return rows


def assert_index_equals_git(ws):
    """Every query on the index against its plain git walk (fresh in-process state each time)."""
    from tracker import analytics, asof, lastchange
    from tracker.history import _SEEN

    asof._TIMELINES.clear()
    asof._LINES.clear()
    _SEEN.clear()
    assert touchindex.last_changes(ws) == lastchange.full_walk(ws)
    assert lastchange.last_changes(ws) == lastchange.clamp_future(ws, lastchange.full_walk(ws))
    assert asof.timeline(ws).commits == git_timeline(ws)
    assert analytics.creation_commits(ws) == git_created(ws)
    assert touchindex.deletions(ws) == git_deletions(ws)
    depth = int(git(ws.root, "rev-list", "--first-parent", "--count", "HEAD"))
    for rng in ["HEAD", "HEAD^2..HEAD" if git(ws.root, "log", "-1", "--format=%P").count(" ") else "HEAD"] + \
            [f"HEAD~{k}..HEAD" for k in (1, 3) if depth > k]:
        want = list(ws.git.log_changes(["plan/2020/"], rev=rng))
        assert touchindex.window_log(ws, rng, ["plan/2020/"]) == want, rng
        want = list(ws.git.log_changes(["plan/2020/tasks/05.yaml", "plan/2020/targets/"], rev=rng))
        assert touchindex.window_log(ws, rng, ["plan/2020/tasks/05.yaml", "plan/2020/targets/"]) == want, rng
    assert history(ws) == entries_from_log(ws.git, ws.git.log_changes(["plan/2020/"]), "plan/2020/")
    for path in ("plan/2020/tasks/05.yaml", "plan/2020/tasks/06.yaml", "plan/2020/tasks/61.yaml",
                 "plan/2020/plan.yaml"):
        assert history(ws, [path]) == from_git(ws, path), path


def _messy_history(repo):
    """Renames, deletions, a re-added file, a fast and a slow clock, then a merge whose two sides
    both touch task 05, and more commits on top."""
    git(repo, "mv", "plan/2020/tasks/60.yaml", "plan/2020/tasks/61.yaml")
    _commit(repo, "rename 60 -> 61", "2020-10-01T10:00:00+08:00")
    git(repo, "rm", "-q", "plan/2020/tasks/59.yaml")
    _commit(repo, "withdraw 59", "2020-10-02T10:00:00+08:00")
    git(repo, "checkout", "-q", "HEAD~1", "--", "plan/2020/tasks/59.yaml")
    _commit(repo, "59 back", "2020-10-03T10:00:00+08:00")
    _edit(repo, 5, "progress: 0", "progress: 10")
    _commit(repo, "fast clock", "2031-01-01T10:00:00+08:00", author="乙 <b@example.invalid>")
    _edit(repo, 6, "progress: 0", "progress: 20")
    _commit(repo, "slow clock", "2020-01-05T10:00:00+08:00")
    git(repo, "switch", "-q", "-c", "side")
    _edit(repo, 5, "progress: 10", "progress: 30")
    _commit(repo, "side: 05", "2020-10-05T10:00:00+08:00", author="丙 <c@example.invalid>")
    _edit(repo, 7, "progress: 0", "progress: 7")
    _commit(repo, "side: 07", "2020-10-06T10:00:00+08:00", author="丙 <c@example.invalid>")
    git(repo, "switch", "-q", "main")
    _edit(repo, 8, "progress: 0", "progress: 8")
    _commit(repo, "main: 08", "2020-10-05T12:00:00+08:00")
    git(repo, "merge", "-q", "--no-edit", "side", env={"GIT_COMMITTER_DATE": "2020-10-07T10:00:00+08:00",
                                                       "GIT_AUTHOR_DATE": "2020-10-07T10:00:00+08:00"})
    _edit(repo, 9, "progress: 0", "progress: 9")
    _commit(repo, "after the merge", "2020-10-08T10:00:00+08:00")


def test_every_query_equals_git_on_a_linear_history_with_wrong_clocks_renames_and_deletes(repo):
    ws = Workspace(repo)
    _messy_history(repo)
    git(repo, "reset", "-q", "--hard", "HEAD~4")  # before the side branch: linear
    assert not git(repo, "rev-list", "--merges", "HEAD").strip()
    assert_index_equals_git(ws)
    assert touchindex.log_for(ws, P) is not None  # linear: the index answers a task's log itself


def test_every_query_equals_git_on_a_history_with_merges(repo):
    ws = Workspace(repo)
    assert touchindex.refresh(ws, build=True)  # built before: the merge arrives in a refresh
    _messy_history(repo)
    assert git(repo, "rev-list", "--merges", "HEAD").strip()
    assert_index_equals_git(ws)
    touchindex._drop(touchindex.index_path(ws))  # and built from scratch on the merged history
    assert_index_equals_git(ws)
    from tracker.asof import timeline

    merge = git(repo, "rev-parse", "HEAD~1").strip()
    on_line = {c.sha: c for c in timeline(ws).commits}
    assert {p for p, _ in on_line[merge].files} == {"plan/2020/tasks/05.yaml", "plan/2020/tasks/07.yaml"}


def test_a_merge_that_takes_the_other_side_wholesale(repo):
    """Default history simplification hides the first-parent side of a merge that is TREESAME to
    its second parent; the timeline must still have it, `git log` copies must still hide it."""
    ws = Workspace(repo)
    _edit(repo, 5, "progress: 0", "progress: 10")
    _commit(repo, "main: 05 to 10", "2020-10-02T10:00:00+08:00")  # newer than the side's, and hidden by git
    git(repo, "switch", "-q", "-c", "side", "HEAD~1")
    _edit(repo, 5, "progress: 0", "progress: 50")
    _commit(repo, "side: 05 to 50", "2020-10-01T10:00:00+08:00")
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "-s", "ours", "--no-commit", "side")
    git(repo, "checkout", "side", "--", "plan/2020/tasks/05.yaml")
    _commit(repo, "merge side, its 05", "2020-10-03T10:00:00+08:00")
    git(repo, "rev-parse", "HEAD^2")  # a real merge
    assert_index_equals_git(ws)
    from tracker import lastchange

    assert lastchange.full_walk(ws)[P].sha == git(repo, "rev-parse", "HEAD^2").strip()


# -- never stale: clones, fetches, syncs, rewritten history ---------------------------------------

def test_a_clone_a_fetch_and_a_forced_rewrite_are_never_answered_from_before(repo, tmp_path):
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    git(tmp_path, "clone", "-q", str(bare), str(a))
    git(tmp_path, "clone", "-q", str(bare), str(b))
    wa, wb = Workspace(a), Workspace(b)
    wb.update_task(5, {"progress": 10})
    wb.update_task(6, {"progress": 20})
    git(b, "push", "-q", "origin", "main")
    assert_index_equals_git(wa)  # a fresh clone: built on first use
    git(a, "pull", "-q", "--ff-only")
    assert_index_equals_git(wa)  # fast-forward: extended
    old = git(a, "rev-parse", "HEAD").strip()
    git(b, "reset", "-q", "--hard", "HEAD~1")  # b rewrites the shared history and forces it
    wb.update_task(7, {"progress": 30})
    git(b, "push", "-q", "--force", "origin", "main")
    git(a, "fetch", "-q")
    git(a, "reset", "-q", "--hard", "origin/main")  # non-fast-forward: commits left the history
    assert_index_equals_git(wa)
    from tracker import lastchange

    assert old not in {lc.sha for lc in lastchange.last_changes(wa).values()}
    assert touchindex.stats(wa)[0] == int(git(a, "rev-list", "--count", "HEAD", "--", "plan/2020/"))


def test_a_sync_that_rebases_local_commits_is_followed(repo, tmp_path):
    from tracker.sync import sync

    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        git(tmp_path, "clone", "-q", str(bare), str(d))
    wa, wb = Workspace(a), Workspace(b)
    wa.update_task(5, {"progress": 10})
    assert_index_equals_git(wa)  # the index holds a's local commit
    local = git(a, "rev-parse", "HEAD").strip()
    wb.update_task(6, {"progress": 20})
    git(b, "push", "-q", "origin", "main")
    sync(wa)
    assert git(a, "rev-parse", "HEAD").strip() != local  # rebased: the local commit was replaced
    assert_index_equals_git(wa)


def test_an_index_of_another_history_is_not_trusted(repo, tmp_path):
    """An index copied from another clone (or left by a history that was replaced wholesale)."""
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(repo), str(other))
    wo = Workspace(other)
    git(other, "reset", "-q", "--hard", "HEAD~1")
    wo.update_task(6, {"progress": 60})
    import shutil

    shutil.copy(touchindex.index_path(ws), touchindex.index_path(wo))  # its HEAD is not other's
    assert_index_equals_git(wo)


def test_an_unwritable_git_folder_gets_the_index_in_memory(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    import shutil

    shutil.rmtree(repo / ".git" / "tracker", ignore_errors=True)
    (repo / ".git" / "tracker").write_text("not a folder", "utf-8")  # nothing can be kept there
    try:
        from tracker import lastchange

        assert lastchange.last_changes(ws) == lastchange.full_walk(ws)
        assert touchindex.window_log(ws, "HEAD", ["plan/2020/"]) == list(ws.git.log_changes(["plan/2020/"]))
    finally:
        (repo / ".git" / "tracker").unlink()


def test_a_locked_index_does_not_block_a_query_forever(repo, monkeypatch):
    import sqlite3

    from tracker import lastchange

    ws = Workspace(repo)
    assert touchindex.refresh(ws, build=True)
    ws.update_task(5, {"progress": 10})
    monkeypatch.setattr(touchindex, "QUERY_WAIT", 0.2)
    holder = sqlite3.connect(touchindex.index_path(ws), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert lastchange.last_changes(ws) == lastchange.full_walk(ws)  # from the in-memory index
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_as_of_queries_equal_a_replay_of_the_whole_timeline(repo, monkeypatch):
    """Last changes as of a day, a bulletin's window and the plan's creation are one query each on
    a linear history; they must equal the replay of the whole timeline (the path a history with
    merges takes), with wrong clocks and a bulletin tag in the way."""
    from datetime import date, timedelta

    from tracker import analytics, asof

    ws = Workspace(repo)
    git(repo, "commit", "-q", "--amend", "--no-edit", "--date", "2020-09-15T10:00:00+08:00",
        env={"GIT_COMMITTER_DATE": "2020-09-15T10:00:00+08:00"})  # the seed in 2020, as an import would be
    _messy_history(repo)
    git(repo, "reset", "-q", "--hard", "HEAD~4")  # linear
    _edit(repo, 10, "progress: 0", "progress: 11")
    _commit(repo, "late", "2020-10-06T10:00:00+08:00")
    git(repo, "tag", "bulletin/2020-10-03", "HEAD~3")
    days = [date(2020, 9, 30) + timedelta(days=i) for i in range(10)] + [date.today(), date(2031, 1, 2)]

    def answers():
        asof._TIMELINES.clear()
        out = [asof.last_changes_as_of(ws, d) for d in days]
        out += [analytics.net_between(ws, a, b) for a in days[:6] for b in days[4:9] if a < b]
        return out + [analytics.plan_creation(ws)]

    fast = answers()
    assert any(fast[:len(days)]) and any(n for n, _ in fast[len(days):-1])
    monkeypatch.setattr(touchindex, "on_line", lambda *a, **k: None)
    assert answers() == fast


# -- the `last` table: the newest touch of each path, kept by every refresh --------------------------

def _last_rows(ws):
    """The `last` table as stored, and as the whole-touches query (the question before the table,
    its definition) computes it from the touches: they must be equal after every refresh."""
    import sqlite3

    con = sqlite3.connect(touchindex.index_path(ws))
    try:
        linear = dict(con.execute("SELECT key, value FROM meta"))["linear"] == "1"
        order = "t.commit_id" if linear else "c.shown"
        stored = sorted(con.execute("SELECT l.path, c.sha, l.status FROM last l JOIN commits c ON c.id = l.commit_id"))
        want = sorted((p, sha, st) for p, _, st, sha in con.execute(
            f"SELECT t.path, max({order}), t.status, c.sha FROM touches t JOIN commits c ON c.id = t.commit_id "
            "WHERE c.shown > 0 AND instr(c.parents, ' ') = 0 GROUP BY t.path"))
    finally:
        con.close()
    return stored, want


def assert_last_right(ws, where):
    from tracker import lastchange

    got = touchindex.last_changes(ws)  # brings the index to HEAD
    assert got == lastchange.full_walk(ws), where
    touchindex._ANSWERS.clear()
    assert touchindex.last_changes(ws) == got, where  # read again from the file, not remembered
    stored, want = _last_rows(ws)
    assert stored == want, where


def test_the_last_table_follows_a_linear_history_commit_by_commit(repo, monkeypatch):
    """New commits, a reset to an older commit, an amend, a deleted file, the file re-added, a new
    file that then leaves the history: each refresh only adds or drops commits (no rebuild), and
    the table equals the whole-touches query and git's own walk after each."""
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    walks = []
    real = touchindex._walk

    def spy(ws_, revs, prefix):
        walks.append(revs)
        return real(ws_, revs, prefix)

    monkeypatch.setattr(touchindex, "_walk", spy)
    assert_last_right(ws, "built")
    ws.update_task(5, {"progress": 20})
    ws.update_task(6, {"note": "第一次督办"})
    _edit(repo, 7, "progress: 0", "progress: 7")
    _commit(repo, "a hand edit", "2020-10-01T10:00:00+08:00", author="住建局 孙红 <s@example.invalid>")
    assert_last_right(ws, "three new commits")
    assert touchindex.last_changes(ws)["plan/2020/tasks/07.yaml"].author == "住建局 孙红"
    git(repo, "reset", "-q", "--hard", "HEAD~2")  # 06 and 07 back to their older commits
    assert_last_right(ws, "reset to an older commit")
    git(repo, "commit", "-q", "--amend", "-m", "amended")  # 05's newest commit replaced by another
    assert_last_right(ws, "amend")
    _edit(repo, 5, "progress: 20", "progress: 25")
    git(repo, "commit", "-q", "--amend", "-m", "amended with an edit")
    assert_last_right(ws, "amend with an edit")
    git(repo, "rm", "-q", "plan/2020/tasks/08.yaml")
    _commit(repo, "withdraw 08", "2020-10-02T10:00:00+08:00")
    assert_last_right(ws, "a deleted file")
    assert "plan/2020/tasks/08.yaml" not in touchindex.last_changes(ws)
    git(repo, "checkout", "-q", "HEAD~1", "--", "plan/2020/tasks/08.yaml")
    _commit(repo, "08 back", "2020-10-03T10:00:00+08:00")
    assert_last_right(ws, "the file re-added")
    back = git(repo, "rev-parse", "HEAD").strip()
    assert touchindex.last_changes(ws)["plan/2020/tasks/08.yaml"].sha == back
    new = repo / "plan" / "2020" / "tasks" / "61.yaml"
    new.write_text(task_file(repo, 9).read_text("utf-8"), "utf-8")
    git(repo, "add", str(new))
    _commit(repo, "a new file", "2020-10-04T10:00:00+08:00")
    assert_last_right(ws, "a new file")
    git(repo, "reset", "-q", "--hard", "HEAD~2")  # the new file and the re-add leave: 08 deleted again
    assert_last_right(ws, "reset across a re-add")
    assert "plan/2020/tasks/61.yaml" not in touchindex.last_changes(ws)
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # before the deletion: 08 is back with its old commit
    assert_last_right(ws, "reset across a deletion")
    assert "plan/2020/tasks/08.yaml" in touchindex.last_changes(ws)
    assert walks and all(".." in r for revs in walks for r in revs[:1]), walks  # never rebuilt


def test_the_last_table_with_merges(repo):
    """With merges every refresh walks afresh and the table is computed once after the walk: a
    merge arriving in a refresh, commits on top, a file deleted on one side and kept (then
    changed) on the other, and the merge undone (linear again)."""
    ws = Workspace(repo)
    assert touchindex.refresh(ws, build=True)
    git(repo, "switch", "-q", "-c", "side")
    _edit(repo, 5, "progress: 0", "progress: 30")
    _commit(repo, "side: 05", "2020-10-05T10:00:00+08:00", author="丙 <c@example.invalid>")
    git(repo, "rm", "-q", "plan/2020/tasks/09.yaml")
    _commit(repo, "side: withdraw 09", "2020-10-05T11:00:00+08:00", author="丙 <c@example.invalid>")
    git(repo, "switch", "-q", "main")
    _edit(repo, 6, "progress: 0", "progress: 6")
    _commit(repo, "main: 06", "2020-10-05T12:00:00+08:00")
    assert_last_right(ws, "linear before the merge")
    git(repo, "merge", "-q", "--no-commit", "side")
    git(repo, "checkout", "HEAD", "--", "plan/2020/tasks/09.yaml")  # the merge keeps 09
    _commit(repo, "merge side, keep 09", "2020-10-06T10:00:00+08:00")
    assert len(git(repo, "log", "-1", "--format=%P").split()) == 2
    assert_last_right(ws, "a merge arrives")
    assert "plan/2020/tasks/09.yaml" in touchindex.last_changes(ws)  # HEAD holds it
    _edit(repo, 9, "progress: 0", "progress: 9")
    _commit(repo, "after the merge: 09", "2020-10-07T10:00:00+08:00")
    assert_last_right(ws, "a commit on top of the merge")
    assert touchindex.last_changes(ws)["plan/2020/tasks/09.yaml"].sha == git(repo, "rev-parse", "HEAD").strip()
    touchindex._drop(touchindex.index_path(ws))
    assert_last_right(ws, "built from scratch on the merged history")
    git(repo, "reset", "-q", "--hard", "HEAD~2")  # the merge undone
    assert_last_right(ws, "linear again")


def test_an_index_of_version_3_is_rebuilt(repo):
    """An index an older tracker wrote (version 3: no `last` table) is dropped and rebuilt, also
    when it is at HEAD already (else the new question would find an empty table)."""
    import sqlite3

    from tracker import lastchange

    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert touchindex.refresh(ws, build=True)
    con = sqlite3.connect(touchindex.index_path(ws))
    con.execute("DROP TABLE last")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'v'")
    con.commit()
    con.close()
    touchindex._ANSWERS.clear()
    got = lastchange.last_changes(ws)
    assert got == lastchange.full_walk(ws) and len(got) == 71
    con = sqlite3.connect(touchindex.index_path(ws))
    try:
        assert dict(con.execute("SELECT key, value FROM meta"))["v"] == touchindex.VERSION != "3"
        assert con.execute("SELECT count(*) FROM last").fetchone()[0] == 71
    finally:
        con.close()


def test_the_index_builds_process_never_runs_a_tracker_folder_in_the_work_tree(repo, monkeypatch):
    """The build started for a long history (`python -m tracker index` in the work tree) runs this
    code, not a `tracker/` folder some office committed (tracker.childenv)."""
    (repo / "tracker").mkdir()
    (repo / "tracker" / "__init__.py").write_text(
        "import pathlib\npathlib.Path('PLANTED-CODE-RAN').write_text('x')\nraise SystemExit(3)\n", encoding="utf-8")
    ws = Workspace(repo)
    monkeypatch.setattr(touchindex, "OWN_PROCESS_AFTER", 0)
    touchindex.build_in_process_of_its_own(ws)
    assert not (repo / "PLANTED-CODE-RAN").exists()
    assert touchindex.index_path(ws).exists()  # built by the child: this code ran


def test_the_background_build_runs_at_a_lower_priority_and_builds(repo):
    """The TUI's build (its git walks take every core) is started under `nice -n 10`, so that the
    UI keeps the CPU it needs for keys; the command line it uses does build the index."""
    import shutil

    from tracker.childenv import own_code_env

    ws = Workspace(repo)
    argv = touchindex._index_argv(ws)
    if shutil.which("nice"):
        assert argv[:3] == [shutil.which("nice"), "-n", "10"]
    probe = subprocess.run([*argv[:3], "sh", "-c", "nice"] if shutil.which("nice") else ["true"],
                           capture_output=True, text=True)
    if shutil.which("nice"):
        assert int(probe.stdout) >= 10  # the priority the build's processes (git's included) inherit
    subprocess.run(argv, cwd=repo, env=own_code_env(), check=True, capture_output=True)
    assert touchindex.index_path(ws).exists() and touchindex.stats(ws)[0] > 0


# -- a long linear history is walked in ranges, one git process each ----------------------------------

def _dump(ws):
    import sqlite3

    con = sqlite3.connect(touchindex.index_path(ws))
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("meta", "commits", "touches", "last")}
    finally:
        con.close()


def _rebuild(ws):
    touchindex._drop(touchindex.index_path(ws))
    touchindex._ANSWERS.clear()
    assert touchindex.refresh(ws, build=True)
    return _dump(ws)


@pytest.mark.parametrize("cores", [2, 3, 4])
def test_a_walk_split_into_ranges_stores_what_one_walk_stores(repo, monkeypatch, cores):
    ws = Workspace(repo)
    _messy_history(repo)
    git(repo, "reset", "-q", "--hard", "HEAD~4")  # linear, with renames, deletions and wrong clocks
    for n in range(6):
        ws.update_task(10 + n, {"progress": 10 + n})
    head = git(repo, "rev-parse", "HEAD").strip()
    one = _rebuild(ws)
    assert touchindex._ranges(ws, head)[1] == [[head]]  # short: one walk
    monkeypatch.setattr(touchindex, "SPLIT_AFTER", 2)
    monkeypatch.setattr(touchindex, "_cores", lambda: cores)
    flat, parts = touchindex._ranges(ws, head)
    assert flat and len(parts) == cores and parts[-1][0].endswith(".." + head)
    walked = [sha for r in parts for sha in git(repo, "rev-list", "--reverse", *r).split()]
    assert walked == git(repo, "rev-list", "--reverse", "HEAD").split()  # consecutive, none twice
    assert _rebuild(ws) == one  # the same ids, rows and last table
    assert_index_equals_git(ws)
    ws.update_task(5, {"progress": 77})  # a refresh after a split build
    assert_last_right(ws, "after a split build")


def test_a_history_with_merges_is_walked_as_one(repo, monkeypatch):
    ws = Workspace(repo)
    _messy_history(repo)
    monkeypatch.setattr(touchindex, "SPLIT_AFTER", 2)
    monkeypatch.setattr(touchindex, "_cores", lambda: 4)
    head = git(repo, "rev-parse", "HEAD").strip()
    assert touchindex._ranges(ws, head) == (False, [[head]])
    _rebuild(ws)
    assert_index_equals_git(ws)


def test_records_of_several_commands_come_in_order_and_failures_are_raised(repo, monkeypatch):
    from tracker.gitstore import GitError

    ws = Workspace(repo)
    for n in range(3):
        ws.update_task(5, {"progress": 10 + n})
    shas = git(repo, "rev-list", "--reverse", "HEAD").split()
    cmds = [["log", "--format=\x1e%H", "--reverse", shas[1]], ["log", "--format=\x1e%H", "--reverse", f"{shas[1]}..HEAD"]]
    assert [r.strip() for r in ws.git.stream_records_of(cmds)] == shas
    with pytest.raises(GitError):
        list(ws.git.stream_records_of([cmds[0], ["log", "no-such-revision"]]))
    started = []
    real_start = type(ws.git).start

    def start(self, *args, **kw):  # the real git, its Popen kept to look at afterwards
        job = real_start(self, *args, **kw)
        started.append(job.proc)
        return job

    monkeypatch.setattr(type(ws.git), "start", start)
    for stop_after in (1, 3):  # in the first command's records; in the second's (the first one waited for)
        started.clear()
        it = ws.git.stream_records_of(cmds)
        for k in range(stop_after):
            assert next(it).strip() == shas[k]
        assert len(started) == 2  # both commands started at once
        if stop_after == 1:
            assert [p.returncode for p in started] == [None, None]  # still to be read and waited for
        it.close()  # the reader gives up: every process is ended and reaped (no zombie left)
        assert [p.returncode is not None for p in started] == [True, True]
