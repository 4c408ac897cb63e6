"""One task's history, read from the history index (no per-file copy): always what git says."""
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


def test_no_per_file_copy_and_an_old_one_is_ignored(repo):
    """The history index is the one stored view: nothing is written per file, and the per-file
    JSON copies of older versions (.git/tracker/history/) are never read."""
    ws = Workspace(repo)
    ws.update_task(5, {"progress": 10})
    assert history(ws, [P]) == _fresh(ws)
    assert not (ws.state_dir / "history").exists()
    from tracker.history import _SEEN

    (ws.state_dir / "history").mkdir()
    (ws.state_dir / "history" / "x.json").write_text(
        '{"v": 1, "path": "%s", "head": "%s", "entries": []}' % (P, git(repo, "rev-parse", "HEAD").strip()), "utf-8")
    _SEEN.clear()
    assert history(ws, [P]) == _fresh(ws) and len(_fresh(ws)) == 2
