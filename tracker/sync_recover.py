"""A sync of this clone that was killed half-way, finished or put back: the sync's state on disk.

`tracker sync` moves the index, work tree and branch in two recorded steps (`_apply`): the marker
`.git/tracker/sync.json` names both commits before anything moves.  Every tracker command opens a
repository through Workspace.recover, which calls `recover_on_open` here: one stat when there is
no marker; otherwise a sync killed between the index and the branch is finished (`_finish_apply`),
and a rebase/merge/cherry-pick left half-way is put back with `--abort` (`recover_interrupted`).
Nothing of anyone's is lost: a file edited by hand since is named and nothing is touched.

This module sits below both the store (whose save room calls `recover_on_open`) and tracker.sync
(which re-exports these names): it imports neither.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .gitstore import GitError
from .i18n import Said, book, said, say
from .model import TrackerError
from .sync_setup import interrupted_state


class SyncError(TrackerError):
    """A sync that could not finish; `kind` tells the TUI how to show it.  Nothing was lost."""

    def __init__(self, kind: str, message: str, *, key: str | None = None, **args):
        self.kind = kind
        super().__init__(message, key=key, **args)



# -- recovery ---------------------------------------------------------------------------------
book("sync_recover", {
    "lock": ("已删除一次被中断的同步留下的锁", "removed a lock left by an interrupted sync"),
    "finished": ("已完成一次被中断的同步：分支现在包含合并后的提交（{sha}）",
                 "finished an interrupted sync: the branch now holds the integrated commits ({sha})"),
    "abort_failed": ("仓库正处于 {state} 过程中，且 `git {cmd} --abort` 失败：\n  {err}\n请手工完成或放弃它；未丢失任何内容。",
                     "the repository is in the middle of a {state} and `git {cmd} --abort` failed:\n"
                     "  {err}\nFinish or abort it by hand; nothing was lost."),
    "edited_since": ("一次同步在更新文件时被中断，此后这些文件被手工修改过：{files}\n未改动任何内容。请先保存您的修改，"
                     "然后对每个文件运行 `git checkout HEAD -- 文件`，再运行 `tracker sync`。",
                     "a sync was interrupted while it updated the files, and since then these files were edited by hand: "
                     "{files}\nNothing was touched. Keep a copy of your edits, then run `git checkout HEAD -- FILE` for "
                     "each and `tracker sync` again."),
    "put_back": ("已撤回一个未完成的 {state}（同步被中断？）；您的提交完好无损",
                 "put back an unfinished {state} (an interrupted sync?); your commits are intact"),
})


def _stuck(entry: str, **args) -> SyncError:
    return SyncError("stuck", say(f"sync_recover.{entry}", "en", **args), key=f"sync_recover.{entry}", **args)


def _marker(ws) -> Path:
    return ws.state_dir / "sync.json"


def recover_interrupted(ws) -> str | None:
    """Put back a rebase/merge/cherry-pick left half-way (a killed sync, a crashed git pull).

    `--abort` returns the branch to its commits before the operation: the local commits are
    intact and the next integration redoes the work.  Returns a sentence, or None."""
    gd = ws.git.git_dir
    notes = []
    marker = _marker(ws)
    lock = gd / "index.lock"
    if lock.exists() and marker.exists():
        try:
            pid = json.loads(marker.read_text("utf-8")).get("pid")
        except (OSError, ValueError):
            pid = None
        if pid and not _alive(pid):  # our own killed sync left git's lock behind
            lock.unlink(missing_ok=True)
            notes.append(said("sync_recover.lock"))
    note = _finish_apply(ws, marker)
    if note:
        notes.append(note)
    state = interrupted_state(gd)
    if state:
        cmd = {"rebase": "rebase", "merge": "merge", "cherry-pick": "cherry-pick"}[state]
        try:
            ws.git.run(cmd, "--abort")
        except GitError as exc:
            if state == "rebase":  # a damaged rebase folder: quit it and go back to the branch as it was
                orig = _read(gd / "rebase-merge" / "orig-head") or _read(gd / "rebase-apply" / "orig-head")
                head_name = _read(gd / "rebase-merge" / "head-name") or _read(gd / "rebase-apply" / "head-name")
                ws.git.run("rebase", "--quit", check=False)
                if orig and head_name and head_name.startswith("refs/heads/"):
                    ws.git.run("checkout", "-q", "-f", head_name.removeprefix("refs/heads/"))
                    ws.git.run("reset", "-q", "--keep", orig, check=False)
            else:
                raise _stuck("abort_failed", state=state, cmd=cmd, err=exc.stderr) from exc
        notes.append(said("sync_recover.put_back", state=state))
    marker.unlink(missing_ok=True)
    return Said(*notes) if notes else None


def _apply(ws, before: str, target: str) -> None:
    """Move the index, work tree and branch from `before` to `target`, in two recorded steps.

    The marker (.git/tracker/sync.json) names both commits before anything moves, so a sync
    killed between the index and the branch (issue 10, point 9) is finished by the next tracker
    command (`_finish_apply`), whatever it is.  `read-tree -m -u` refuses, like `reset --keep`,
    when a file it must change has local edits."""
    from .yamlio import atomic_write, fault

    git = ws.git
    marker = _marker(ws)
    try:
        job = json.loads(marker.read_text("utf-8"))
    except (OSError, ValueError):
        job = {"pid": os.getpid()}
    job.update({"before": before, "target": target, "branch": git.run("symbolic-ref", "-q", "HEAD").strip()})
    atomic_write(marker, json.dumps(job))
    git.run("update-index", "-q", "--refresh", check=False)
    git.run("read-tree", "-m", "-u", before, target)
    fault("sync-index")
    git.run("update-ref", "-m", "tracker sync", "HEAD", target, before)


def _finish_apply(ws, marker: Path) -> str | None:
    """A sync killed after `_apply` wrote the index and before the branch moved: finish the step.

    Every file the step changes must hold either its old or its new content (then nothing of
    anyone's is lost by finishing); otherwise the files are named and nothing is touched."""
    try:
        job = json.loads(marker.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    before, target, branch = job.get("before"), job.get("target"), job.get("branch")
    if not (before and target):
        return None
    git = ws.git
    head = git.run("rev-parse", "-q", "--verify", "HEAD", check=False).strip()
    if head != before or git.run("symbolic-ref", "-q", "HEAD", check=False).strip() != branch:
        return None  # the step finished (or the branch moved on since): nothing to do
    if not git.ok("cat-file", "-e", f"{target}^{{commit}}"):
        return None
    paths = [p for p in git.run("diff", "--name-only", "--no-renames", "-z", before, target).split("\0") if p]
    if paths:
        old = _tree_blobs(git, before, paths)
        new = _tree_blobs(git, target, paths)
        foreign = []
        for p in paths:
            f = ws.root / p
            have = git.run("hash-object", "--", p).strip() if f.is_file() else None
            if have not in (old.get(p), new.get(p)):
                foreign.append(p)
        if foreign:
            raise _stuck("edited_since", files=foreign)
    git.run("update-ref", "-m", "tracker sync (finished after an interruption)", "HEAD", target, before)
    if paths:
        git.run("reset", "-q", target, "--", *paths)
        present = [p for p in paths if p in new]
        if present:
            git.run("checkout", "-q", target, "--", *present)
        for p in paths:
            if p not in new:
                (ws.root / p).unlink(missing_ok=True)
    return said("sync_recover.finished", sha=target[:7])


def _tree_blobs(git, rev: str, paths: list[str]) -> dict[str, str]:
    out = {}
    for rec in git.run("ls-tree", "-z", "--full-tree", rev, "--", *paths).split("\0"):
        if rec:
            meta, _, path = rec.partition("\t")
            out[path] = meta.split()[2]
    return out


def recover_on_open(ws) -> str | None:
    """Run by every tracker command as it opens a repository (Workspace.recover): a sync of this
    clone that was killed half-way is finished or undone first.  One stat when there is none."""
    marker = _marker(ws)
    if not marker.exists():
        return None
    try:
        pid = json.loads(marker.read_text("utf-8")).get("pid")
    except (OSError, ValueError):
        pid = None
    if pid and _alive(pid):
        return None  # a sync is running right now
    with ws.lock(timeout=30):
        return recover_interrupted(ws)


def _read(p: Path) -> str | None:
    try:
        return p.read_text().strip()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
