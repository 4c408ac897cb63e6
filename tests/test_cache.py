"""The parse cache (.git/tracker/cache): same answers as a fresh parse, never hides an edit."""
from __future__ import annotations

import os

import pytest

from tests_support import git
from tracker import cache as cache_mod
from tracker.store import Workspace


def task_file(repo, number: int):
    return repo / "plan" / "2020" / "tasks" / f"{number:02d}.yaml"


@pytest.fixture
def repo(plan_repo):
    """The bundled 2020 plan, committed once (tests/conftest.py's plan_repo)."""
    return plan_repo


def _same(a, b):
    assert a.tasks == b.tasks
    assert a.targets == b.targets
    assert a.problems == b.problems
    assert a.digests == b.digests


@pytest.fixture
def trusted(monkeypatch):
    """Stats are trusted at once (else only after 2 s): the tests then exercise the stat fast path."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)


def test_cached_load_equals_fresh_parse(repo, trusted):
    ws = Workspace(repo)
    fresh = ws.load(parsed_cache=False)
    first = ws.load()  # builds the cache
    assert (ws.state_dir / "cache").exists()
    pc = ws.open_cache()
    second = ws.load()
    _same(fresh, first)
    _same(fresh, second)
    assert len(pc.old) == 70  # 60 tasks + 10 targets, each with its stat and blob id


def test_warm_load_reads_no_file(repo, trusted, monkeypatch):
    ws = Workspace(repo)
    ws.load()
    reads = []
    real = Workspace._read
    monkeypatch.setattr(Workspace, "_read", lambda self, p, st=None: reads.append(p) or real(self, p, st))
    ws.load()
    assert [p.name for p in reads] == ["plan.yaml"]


def test_same_size_edit_with_restored_mtime_is_seen(repo, trusted):
    """A hand edit keeping the size and setting the mtime back still changes ctime: the cache sees it."""
    ws = Workspace(repo)
    assert ws.load().task(5).progress == 0
    path = task_file(repo, 5)
    st = path.stat()
    text = path.read_text("utf-8")
    edited = text.replace("progress: 0\n", "progress: 7\n")
    assert len(edited) == len(text) and edited != text
    with open(path, "r+", encoding="utf-8") as fh:  # in place: same inode
        fh.write(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size
    data = ws.load()
    assert data.task(5).progress == 7
    from tracker.store import blob_id

    assert data.digests[ws.rel(path)] == blob_id(edited.encode("utf-8"))


def test_racy_stat_is_not_trusted(repo, monkeypatch):
    """A file changed within RACY_NS of being recorded is re-read next time (git's racy-clean rule)."""
    ws = Workspace(repo)
    path = task_file(repo, 5)
    path.write_text(path.read_text("utf-8").replace("progress: 0\n", "progress: 1\n"), "utf-8")
    ws.load()
    pc = ws.open_cache()
    rel = ws.rel(path)
    assert pc.old[rel][0] is None  # just written: its stat is not trusted, the file is hashed next time
    assert pc.old[rel][1]  # but its blob id and parse are kept
    path.write_text(path.read_text("utf-8").replace("progress: 1\n", "progress: 2\n"), "utf-8")
    assert ws.load().task(5).progress == 2


def test_corrupt_cache_is_ignored_and_rebuilt(repo, trusted):
    ws = Workspace(repo)
    ws.load()
    path = ws.state_dir / "cache"
    for junk in (b"", b"\x00garbage" * 100, path.read_bytes()[: len(path.read_bytes()) // 2]):
        path.write_bytes(junk)
        data = ws.load()
        _same(data, ws.load(parsed_cache=False))
        assert len(data.tasks) == 60
    assert ws.open_cache().old  # rebuilt


def test_cache_lives_in_git_dir_and_is_never_committed(repo):
    ws = Workspace(repo)
    ws.load()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    ws.update_task(3, {"progress": 30})
    assert "cache" not in git(repo, "show", "--stat", "--format=", "HEAD")
    assert git(repo, "ls-files").count("tracker/cache") == 0


def test_plan_categories_change_revalidates(repo, trusted):
    """Cached results are only valid for the categories they were checked against."""
    ws = Workspace(repo)
    assert ws.load().task(1) is not None
    plan = repo / "plan" / "2020" / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("  - 农业农村类\n", ""), "utf-8")
    data = ws.load()
    assert data.task(1) is None
    assert any(p.path.endswith("tasks/01.yaml") and p.field == "category" for p in data.problems)


def test_broken_file_problems_are_cached_identically(repo, trusted):
    ws = Workspace(repo)
    task_file(repo, 7).write_text("number: 7\ntitle: [unclosed\n", "utf-8")
    a = ws.load()
    b = ws.load()
    assert a.problems == b.problems and a.problems
    assert all(p.path.endswith("tasks/07.yaml") for p in a.problems)
    assert len(b.tasks) == 59


def test_deleted_and_added_files(repo, trusted):
    ws = Workspace(repo)
    ws.load()
    src = task_file(repo, 9).read_text("utf-8")
    task_file(repo, 9).unlink()
    (repo / "plan/2020/tasks/61.yaml").write_text(src.replace("number: 9\n", "number: 61\n"), "utf-8")
    data = ws.load()
    assert data.task(9) is None and data.task(61) is not None
    assert "plan/2020/tasks/09.yaml" not in ws.open_cache().old


def test_disabled_by_environment(repo, monkeypatch):
    monkeypatch.setenv("TRACKER_NO_CACHE", "1")
    ws = Workspace(repo)
    ws.load()
    assert not (ws.state_dir / "cache").exists()


def test_cache_never_executes_code(repo, trusted):
    """The cache is marshal data of plain tuples: a planted pickle payload is just garbage."""
    import pickle

    ws = Workspace(repo)
    ws.load()

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(repo / "PWNED"),))

    (ws.state_dir / "cache").write_bytes(pickle.dumps(Boom()))
    assert len(ws.load().tasks) == 60
    assert not (repo / "PWNED").exists()


def test_parallel_cold_load_equals_serial(repo, monkeypatch):
    """The helper process of a cold load gives exactly what this process would have computed."""
    import tracker.store as store_mod

    task_file(repo, 7).write_text("number: 7\ntitle: [broken\n", "utf-8")
    f = task_file(repo, 8)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 一半"), "utf-8")
    c = task_file(repo, 9)
    c.write_text(c.read_text("utf-8") + "conflicts:\n  - field: progress\n    ours: 10\n    theirs: 20\n", "utf-8")
    monkeypatch.setattr(store_mod, "PARALLEL_MIN", 1)
    used = []
    real = store_mod._Prefetch.result
    monkeypatch.setattr(store_mod._Prefetch, "result", lambda self, rel: used.append(rel) or real(self, rel))
    ws = Workspace(repo)
    par = ws.load()
    assert used, "the helper process was not used"
    monkeypatch.setenv("TRACKER_WORKERS", "0")
    ser = ws.load(parsed_cache=False)
    _same(par, ser)
    assert par.conflicted.keys() == ser.conflicted.keys() == {"plan/2020/tasks/09.yaml"}
    assert len(par.tasks) == 58


def test_cold_load_helper_never_imports_code_from_the_repository(repo, monkeypatch):
    """The helper process runs in the repository's work tree, whose files come from every office:
    a `tracker/` folder there must not shadow the installed code (`python -c` would put the work
    tree first on sys.path)."""
    import tracker.store as store_mod

    planted = repo / "tracker"
    planted.mkdir()
    payload = f"open({str(repo / 'PWNED')!r}, 'w').close()\n"
    (planted / "__init__.py").write_text(payload, "utf-8")
    (planted / "store_load.py").write_text(payload + "def _worker_main():\n    pass\n", "utf-8")
    monkeypatch.setattr(store_mod, "PARALLEL_MIN", 1)
    used = []
    real = store_mod._Prefetch.result
    monkeypatch.setattr(store_mod._Prefetch, "result", lambda self, rel: used.append(real(self, rel)) or used[-1])
    data = Workspace(repo).load()
    assert not (repo / "PWNED").exists()
    assert len(data.tasks) == 60
    assert any(r is not None for r in used), "the helper process gave no result"
