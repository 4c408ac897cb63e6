"""Past versions parsed once for ever (tracker.cache.BlobStore behind tracker.asof), and the
burn-up's trees replayed from the history index: each fast path against the slow one, on a
history with the awkward cases (a broken version, a conflicted file, a deleted task, a hidden
file, a nested folder, a symbolic link, a moved file, Chinese text)."""
from __future__ import annotations

import os
from datetime import date

import pytest
from analytics_history import dated, git, seed_dated

from tracker import analytics as an
from tracker import asof, cache, touchindex
from tracker.report import build
from tracker.report.md import render_md
from tracker.store import Workspace


def _forget_process_memory():
    """What a new process starts with: no parsed versions in memory, no store opened."""
    asof._PARSED.clear()
    asof._STORE.clear()
    cache._STORES.clear()
    asof._LINES.clear()
    asof._TIMELINES.clear()


def _commit(repo, when, msg):
    with dated(when):
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", msg)


@pytest.fixture
def odd_repo(tmp_path):
    """The bundled plan and a month of awkward history."""
    _forget_process_memory()
    repo = seed_dated(tmp_path / "office")
    tasks = repo / "plan/2020/tasks"
    f5, f6 = tasks / "05.yaml", tasks / "06.yaml"
    good5 = f5.read_text("utf-8")
    f5.write_text(good5.replace("progress: 0", "progress: [oops"), "utf-8")  # a broken version
    f6.write_text(f6.read_text("utf-8").replace("progress: 0", "progress: 35") +
                  "conflicts:\n- field: progress\n  ours: 35\n  theirs: 40\n", "utf-8")  # a sync's conflict
    _commit(repo, "2020-09-20T10:00:00+08:00", "hand edits")
    f5.write_text(good5.replace("progress: 0", "progress: 30").replace("status: not_started", "status: in_progress"),
                  "utf-8")
    (tasks / ".draft.yaml").write_text("status: done\nprogress: 100\ndue: 2020-12-31\n", "utf-8")  # hidden
    (tasks / "sub").mkdir()
    (tasks / "sub" / "90.yaml").write_text("status: done\nprogress: 100\ndue: 2020-12-31\n", "utf-8")  # nested
    os.symlink("07.yaml", tasks / "91.yaml")  # a symbolic link
    _commit(repo, "2020-09-27T10:00:00+08:00", "fixed, and odd files")
    git(repo, "rm", "-q", "plan/2020/tasks/08.yaml")
    f9 = tasks / "09.yaml"
    f9.write_text(f9.read_text("utf-8").replace("progress: 0", "progress: 100").replace(
        "status: not_started", "status: done"), "utf-8")
    _commit(repo, "2020-10-04T10:00:00+08:00", "task 8 withdrawn, task 9 done")
    git(repo, "mv", "plan/2020/tasks/sub/90.yaml", "plan/2020/tasks/sub/92.yaml")
    _commit(repo, "2020-10-11T10:00:00+08:00", "moved")
    yield repo
    _forget_process_memory()


def _same_data(a, b):
    assert a.tasks == b.tasks
    assert a.targets == b.targets
    assert a.problems == b.problems
    assert a.digests == b.digests
    assert a.conflicted == b.conflicted


DAYS = [date(2020, 9, 16), date(2020, 9, 21), date(2020, 9, 28), date(2020, 10, 5), date(2020, 10, 12)]


def test_as_of_from_the_store_equals_a_fresh_parse(odd_repo, monkeypatch):
    ws = Workspace(odd_repo)
    monkeypatch.setenv("TRACKER_NO_CACHE", "1")
    slow = {d: asof.load_as_of(ws, d) for d in DAYS}
    assert not (ws.state_dir / "parsed.sqlite").exists()
    monkeypatch.delenv("TRACKER_NO_CACHE")
    _forget_process_memory()
    for d in DAYS:
        asof.load_as_of(ws, d)  # fills the store
    assert (ws.state_dir / "parsed.sqlite").exists()
    _forget_process_memory()
    for d in DAYS:
        _same_data(asof.load_as_of(ws, d), slow[d])
    assert any(p.path.endswith("05.yaml") for p in slow[DAYS[1]].problems)  # the broken version is a problem
    assert "plan/2020/tasks/06.yaml" in slow[DAYS[1]].conflicted  # and the conflict survives the store


def test_a_repeated_as_of_parses_nothing(odd_repo, monkeypatch):
    ws = Workspace(odd_repo)
    parses = []
    real = asof.fast_load
    monkeypatch.setattr(asof, "fast_load", lambda text, rel: parses.append(rel) or real(text, rel))
    asof.load_as_of(ws, date(2020, 10, 5))
    assert len(parses) > 50  # every file of that day parsed once (the work tree's cache holds other versions)
    _forget_process_memory()  # a new process
    parses.clear()
    again = asof.load_as_of(ws, date(2020, 10, 5))
    assert parses == ["plan/2020/plan.yaml"]  # the plan's settings (one small file) only
    assert again.task(9).status == "done" and again.task(8) is None


def test_the_bulletin_is_the_same_from_the_store(odd_repo, monkeypatch):
    ws = Workspace(odd_repo)
    monkeypatch.setenv("TRACKER_NO_CACHE", "1")
    slow = render_md(build(ws, as_of=date(2020, 10, 12), since=date(2020, 9, 21)))
    monkeypatch.delenv("TRACKER_NO_CACHE")
    _forget_process_memory()
    build(ws, as_of=date(2020, 10, 12), since=date(2020, 9, 21))
    _forget_process_memory()
    assert render_md(build(ws, as_of=date(2020, 10, 12), since=date(2020, 9, 21))) == slow


def test_burnup_trees_from_the_index_equal_ls_tree(odd_repo):
    ws = Workspace(odd_repo)
    assert touchindex.refresh(ws, build=True)
    at = an.commits_on(ws, DAYS + [date(2020, 9, 1)])
    prefix = ws.plan_rel + "/tasks/"
    slow = an._burnup_trees(ws, at, prefix, use_index=False)
    fast = an._burnup_trees(ws, at, prefix)
    assert len(fast) == 5 and all(fast.values())
    # a symbolic link: ls-tree's listing leaves it out, the index's keeps its blob, which reads as no task
    link = git(odd_repo, "rev-parse", "HEAD:plan/2020/tasks/91.yaml").strip()
    assert an._mini(b"07.yaml", "x") is None
    assert {s: sorted(b for b in v if b != link) for s, v in fast.items()} == {s: sorted(v) for s, v in slow.items()}


def test_burnup_from_the_index_and_store_equals_the_slow_path(odd_repo, monkeypatch):
    ws = Workspace(odd_repo)
    monkeypatch.setenv("TRACKER_NO_CACHE", "1")
    slow = an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=3)  # no index, no store
    assert not touchindex.index_path(ws).exists()
    monkeypatch.delenv("TRACKER_NO_CACHE")
    assert touchindex.refresh(ws, build=True)
    first = an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=3)
    _forget_process_memory()
    again = an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=3)
    assert first == slow and again == slow
    assert slow[-1].total == 60  # 60 tasks, 8 withdrawn, the nested 92.yaml counted; hidden and link not
    assert slow[-1].done == 2


def test_a_repeated_burnup_starts_no_ls_tree_and_reads_no_blob(odd_repo, monkeypatch):
    ws = Workspace(odd_repo)
    touchindex.refresh(ws, build=True)
    an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=7)
    _forget_process_memory()
    calls = []
    real_run, real_blobs = ws.git.run, ws.git.blobs
    monkeypatch.setattr(ws.git, "run", lambda *a, **k: calls.append(a[0]) or real_run(*a, **k))
    monkeypatch.setattr(ws.git, "blobs", lambda shas: calls.append("blobs") or real_blobs(shas))
    an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=7)
    assert "ls-tree" not in calls and "blobs" not in calls


def test_burnup_does_not_build_the_index(odd_repo):
    """The dashboard's burn-up on a fresh clone: git's trees, not a whole-history walk first."""
    ws = Workspace(odd_repo)
    points = an.burnup(ws, date(2020, 9, 10), date(2020, 10, 20), step_days=7)
    assert points[-1].total == 60
    assert not touchindex.index_path(ws).exists()


def test_a_history_with_merges_reads_trees_from_git(odd_repo):
    repo = odd_repo
    git(repo, "checkout", "-q", "-b", "field")
    f = repo / "plan/2020/tasks/07.yaml"
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 45"), "utf-8")
    _commit(repo, "2020-10-13T10:00:00+08:00", "field office")
    git(repo, "checkout", "-q", "main")
    with dated("2020-10-14T10:00:00+08:00"):
        git(repo, "merge", "-q", "--no-ff", "-m", "merge field", "field")
    ws = Workspace(repo)
    touchindex.refresh(ws, build=True)
    at = an.commits_on(ws, [date(2020, 10, 14)])
    assert touchindex.states(ws, [[at[date(2020, 10, 14)]]], ws.plan_rel + "/tasks/") is None
    points = an.burnup(ws, date(2020, 10, 1), date(2020, 10, 14), step_days=7)
    data = asof.load_as_of(ws, date(2020, 10, 14))
    assert points[-1].total == len(data.tasks) + 1  # the nested 92.yaml, which the board does not load


def test_a_damaged_store_is_made_again(odd_repo):
    ws = Workspace(odd_repo)
    asof.load_as_of(ws, date(2020, 10, 5))
    path = ws.state_dir / "parsed.sqlite"
    _forget_process_memory()
    path.write_bytes(b"this is not a database" * 100)
    data = asof.load_as_of(ws, date(2020, 10, 5))  # damaged: answers nothing, the board is read from git
    assert data.task(9).status == "done"
    _forget_process_memory()
    store = cache.blob_store(ws)  # and it is made again
    assert store.con is not None
    store.put("mini", "k", ("done", 100, 1))
    store.flush()
    assert store.get_many("mini", ["k", "other"]) == {"k": ("done", 100, 1)}


def test_another_code_stamp_empties_the_store(tmp_path, monkeypatch):
    path = tmp_path / "parsed.sqlite"
    s = cache.BlobStore(path)
    s.put("parsed", "a", (None, (), False))
    s.flush()
    assert cache.BlobStore(path).get_many("parsed", ["a"]) == {"a": (None, (), False)}
    monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    assert cache.BlobStore(path).get_many("parsed", ["a"]) == {}


def test_an_unusable_store_answers_nothing(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", "utf-8")  # .git/tracker cannot be made (also as root)
    s = cache.BlobStore(blocker / "parsed.sqlite")
    s.put("mini", "k", None)
    s.flush()
    assert s.con is None and s.get_many("mini", ["k"]) == {}


def test_a_days_last_touches_follow_a_new_commit(odd_repo):
    """touchindex.on_line keeps a day's answer per index head: a commit made since is never missed."""
    ws = Workspace(odd_repo)
    day = date(2030, 1, 1)
    before = asof.last_changes_as_of(ws, day)
    assert asof.last_changes_as_of(ws, day) == before  # the kept answer
    f = odd_repo / "plan/2020/tasks/11.yaml"
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 20"), "utf-8")
    _commit(odd_repo, "2020-10-20T10:00:00+08:00", "任务 11")
    after = asof.last_changes_as_of(ws, day)
    head = git(odd_repo, "rev-parse", "HEAD").strip()
    assert after["plan/2020/tasks/11.yaml"].sha == head != before["plan/2020/tasks/11.yaml"].sha
