"""One task's history, cached per file and extended from its HEAD: always what git says."""
from __future__ import annotations

from scale_support import git, task_file
from tracker.history import entries_from_log, history
from tracker.store import Workspace

P = "plan/2020/tasks/05.yaml"


def _fresh(ws):
    return entries_from_log(ws.git, ws.git.log_changes([P]), ws.plan_rel + "/")


def test_cached_history_follows_new_commits_and_rewrites(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    first = history(ws, [P])
    assert first == _fresh(ws) and len(first) == 2
    assert history(ws, [P]) == first  # same HEAD: from the cache
    ws.update_task(5, {"status": "in_progress", "note": "多行\n进展"})
    ws.update_task(6, {"progress": 5})  # another file: no entry here
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8").replace("progress: 10", "progress: 15"), "utf-8")
    git(repo, "commit", "-q", "-am", "hand edit")
    now = history(ws, [P])
    assert now == _fresh(ws) and len(now) == 4
    assert [c.field for c in now[0].changes] == ["progress"]
    git(repo, "reset", "-q", "--hard", "HEAD~3")  # history rewritten under the cache
    ws.update_task(5, {"progress": 20})
    assert history(ws, [P]) == _fresh(ws)


def test_corrupt_history_cache_is_rebuilt(repo):
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    history(ws, [P])
    for f in (ws.state_dir / "history").iterdir():
        f.write_text('{"v": 1, "path": "%s", "head": "x", "entries": [[1, 2]]}' % P, "utf-8")
    assert history(ws, [P]) == _fresh(ws)
    for f in (ws.state_dir / "history").iterdir():
        f.write_text("\x00not json", "utf-8")
    assert history(ws, [P]) == _fresh(ws)
