"""The plan in a git work tree: load every file, change one, commit it.

Loading is fast and forgiving: each file is read with the C loader, validated, and either
becomes a typed object or a listed problem; one broken file never hides the others.  Writing
is careful: one file is round-tripped with ruamel (a status change is a one-line diff), written
atomically, and committed alone under a lock, with a journal so that a crash between the write
and the commit is finished (or reported) on the next start.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from .changes import FieldChange, diff_records
from .gitstore import GitError, GitRepo
from .model import (EDITABLE_FIELDS, STATUSES, PlanInfo, Target, Task, TrackerError, parse_task_id)
from .schema import Problem, check_plan, check_target, check_task
from .yamlio import MAX_FILE_BYTES, YamlError, atomic_write, decode, fast_load, fault, rt_dump, rt_load, text_scalar


class StaleError(TrackerError):
    """The file changed on disk since the caller read it: the edit is refused, nothing written."""


def blob_id(data: bytes) -> str:
    """The id git gives these bytes: lets the cache and stale checks agree with `git ls-files -s`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class PlanData:
    """Everything one load found: typed objects, and a problem for everything that failed."""

    info: PlanInfo | None
    tasks: list[Task]
    targets: list[Target]
    problems: list[Problem]
    digests: dict[str, str] = field(default_factory=dict)  # path -> blob id as loaded
    conflicted: dict[str, list] = field(default_factory=dict)  # path -> recorded merge conflicts
    root: Path | None = None  # the repository's work tree: its units.yaml names the units (tracker.analytics)

    def task(self, number: int) -> Task | None:
        return next((t for t in self.tasks if t.number == number), None)

    def target(self, number: int) -> Target | None:
        return next((t for t in self.targets if t.number == number), None)

    @property
    def broken_paths(self) -> list[str]:
        return list(dict.fromkeys(p.path for p in self.problems))


@dataclass(frozen=True)
class CommitResult:
    sha: str
    message: str
    path: str
    changes: list[FieldChange]

    @property
    def short(self) -> str:
        return self.sha[:7]


_TASK_NAME = re.compile(r"^(\d+)\.yaml$")


class Workspace:
    """A repository root and the plan year in it."""

    def __init__(self, root: str | Path, year: int | None = None):
        self.root = Path(root).resolve()
        self.git = GitRepo(self.root)
        years = sorted(int(p.name) for p in (self.root / "plan").glob("[0-9][0-9][0-9][0-9]") if p.is_dir())
        if year is None:
            if not years:
                raise TrackerError(f"no plan found: {self.root}/plan/<year>/ does not exist (tracker init, or tracker import)")
            year = years[-1]
        elif year not in years:
            raise TrackerError(f"no plan for {year} in {self.root}/plan/ (found: {', '.join(map(str, years)) or 'none'})")
        self.year = year
        self.plan_rel = f"plan/{year}"

    # -- discovery ----------------------------------------------------------------------------
    @classmethod
    def discover(cls, repo: str | None = None, plan: int | None = None, cwd: str | None = None) -> "Workspace":
        start = repo or os.environ.get("TRACKER_REPO") or cwd or os.getcwd()
        if not Path(start).exists():
            raise TrackerError(f"repository path does not exist: {start}")
        top = GitRepo.toplevel(start)
        if top is None:
            raise TrackerError(f"not inside a git repository: {Path(start).resolve()} (use --repo PATH, TRACKER_REPO, or tracker init PATH)")
        return cls(top, plan)

    @property
    def plan_dir(self) -> Path:
        return self.root / self.plan_rel

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def state_dir(self) -> Path:
        d = self.git.git_dir / "tracker"
        d.mkdir(parents=True, exist_ok=True)
        return d

    # -- loading ------------------------------------------------------------------------------
    def _check_link(self, path: Path) -> None:
        """A symbolic link is read only when it leads to a file inside the work tree (not .git/)."""
        target = path.resolve()
        if not target.is_relative_to(self.root):
            raise YamlError(self.rel(path), None, None, f"is a symbolic link to {target}, outside the repository; not read")
        if target.is_relative_to(self.git.git_dir):
            raise YamlError(self.rel(path), None, None, f"is a symbolic link into the git directory ({target}); not read")

    def _read(self, path: Path, st: os.stat_result | None = None) -> bytes:
        """Bytes of a plan file: refuses links that lead out of the repository, anything that is not
        a regular file (a FIFO would block), and files too big to be a plan file (without reading them)."""
        if st is None:
            st = os.lstat(path)
        follow = False
        if stat.S_ISLNK(st.st_mode):
            self._check_link(path)
            follow = True
        try:
            return read_regular(str(path), follow=follow)
        except _NotRegular as exc:
            raise YamlError(self.rel(path), None, None, str(exc)) from None

    def _scan(self, base: Path, recursive: bool) -> list[tuple[str, os.DirEntry]]:
        """(relative path, entry) of every *.yaml under `base`, in path order, without stat calls."""
        out: list[tuple[str, os.DirEntry]] = []
        prefix = self.rel(base) + "/"

        def walk(d: str, pre: str) -> None:
            try:
                it = os.scandir(d)
            except (FileNotFoundError, NotADirectoryError):
                return
            with it:
                for e in it:
                    if e.name.startswith("."):
                        continue
                    if recursive and e.is_dir(follow_symlinks=False):
                        walk(e.path, pre + e.name + "/")
                    elif e.name.endswith(".yaml"):
                        out.append((pre + e.name, e))

        walk(str(base), prefix)
        if any("/" in rel[len(prefix):] for rel, _ in out):
            out.sort(key=lambda x: x[0].split("/"))  # folders: path order, as pathlib sorts
        else:
            out.sort(key=lambda x: x[0])
        return out

    def task_files(self) -> list[Path]:
        return [self.root / rel for rel, _ in self._scan(self.plan_dir / "tasks", True)]

    def target_files(self) -> list[Path]:
        return [self.root / rel for rel, _ in self._scan(self.plan_dir / "targets", False)]

    def load_info(self) -> tuple[PlanInfo | None, list[Problem]]:
        path = self.plan_dir / "plan.yaml"
        rel = self.rel(path)
        try:
            text = decode(self._read(path), rel)
            return check_plan(fast_load(text, rel), rel, text)
        except FileNotFoundError:
            return None, [Problem(rel, None, None, "", "plan.yaml is missing")]
        except YamlError as exc:
            return None, [Problem(exc.path, exc.line, exc.col, "", exc.problem)]

    def open_cache(self, info: PlanInfo | None = None):
        """The on-disk parse cache (tracker.cache.PlanCache) for this plan, or None when disabled."""
        from . import cache as cache_mod

        if cache_mod.disabled():
            return None
        if info is None:
            info, _ = self.load_info()
        ctx = (self.plan_rel, self.year, info.categories if info else ())
        try:
            path = cache_mod.cache_path(self)
        except OSError:
            return None
        return cache_mod.PlanCache(path, ctx)

    def load(self, *, parsed_cache: Any = None) -> PlanData:
        """Every file of the plan.

        By default parsed files are reused from `.git/tracker/cache` (tracker.cache) when their
        stat and blob id say they did not change.  `parsed_cache=False` reads and parses every
        file; any other object with get(digest, kind) / put(digest, kind, obj) is used instead."""
        info, problems = self.load_info()
        cats = info.categories if info else ()
        data = PlanData(info=info, tasks=[], targets=[], problems=list(problems), root=self.root)
        pc = None
        if parsed_cache is None:
            pc = self.open_cache(info)
            parsed_cache = None
        elif parsed_cache is False:
            parsed_cache = None
        task_entries = self._scan(self.plan_dir / "tasks", True)
        target_entries = self._scan(self.plan_dir / "targets", False)
        pre = _Prefetch.start(self, [(r, e, "task") for r, e in task_entries] + [(r, e, "target") for r, e in target_entries],
                              cats, pc) if parsed_cache is None else None
        seen: dict[int, str] = {}
        dup: set[int] = set()
        for rel, entry in task_entries:
            task, probs, raw = self._load_one(entry, rel, "task", cats, data, parsed_cache, pc, pre)
            data.problems += probs
            if task is None:
                continue
            m = _TASK_NAME.match(entry.name)
            if not m or int(m.group(1)) != task.number:
                data.problems.append(Problem(rel, 1, 1, "number", f"file name {entry.name!r} does not match the task number {task.number} (expected {task.number:02d}.yaml)"))
                continue
            if task.number in seen:
                dup.add(task.number)
                data.problems.append(Problem(rel, 1, 1, "number", f"task number {task.number} is also used by {seen[task.number]}"))
                continue
            seen[task.number] = rel
            data.tasks.append(task)
            if isinstance(raw, dict) and raw.get("conflicts"):
                data.conflicted[rel] = raw["conflicts"]
        if dup:
            for t in [t for t in data.tasks if t.number in dup]:
                data.problems.append(Problem(t.path, 1, 1, "number", f"task number {t.number} is used by more than one file; neither is loaded"))
            data.tasks = [t for t in data.tasks if t.number not in dup]
        tseen: set[int] = set()
        for rel, entry in target_entries:
            target, probs, raw = self._load_one(entry, rel, "target", cats, data, parsed_cache, pc, pre)
            data.problems += probs
            if target is not None:
                if target.number in tseen:
                    data.problems.append(Problem(rel, 1, 1, "number", f"target number {target.number} appears twice"))
                    continue
                tseen.add(target.number)
                data.targets.append(target)
                if isinstance(raw, dict) and raw.get("conflicts"):
                    data.conflicted[rel] = raw["conflicts"]
        data.tasks.sort(key=lambda t: t.number)
        data.targets.sort(key=lambda t: t.number)
        if pc is not None:
            pc.save()
        return data

    def _load_one(self, entry: os.DirEntry, rel: str, kind: str, cats: tuple[str, ...], data: PlanData,
                  parsed_cache: Any, pc: Any = None, pre: "_Prefetch | None" = None) -> tuple[Any, list[Problem], Any]:
        """One file -> (object or None, problems, raw dict when it was parsed here)."""
        try:
            st = entry.stat(follow_symlinks=False)
            if pc is not None and stat.S_ISREG(st.st_mode):
                hit = pc.by_stat(rel, st)
                if hit is not None:
                    data.digests[rel] = hit[0]
                    return (None, hit[1], None) if isinstance(hit[1], list) else (hit[1], [], None)
            done = pre.result(rel) if pre is not None else None
            if done is not None:  # read, hashed, parsed and validated by the helper process
                digest, result = done
                data.digests[rel] = digest
                if pc is not None:
                    pc.record(rel, st, digest, result)
                return (None, result, None) if isinstance(result, list) else (result, [], None)
            raw_bytes = self._read(Path(entry.path), st)
        except YamlError as exc:
            return None, [Problem(exc.path, exc.line, exc.col, "", exc.problem)], None
        except OSError as exc:
            return None, [Problem(rel, None, None, "", f"cannot read: {exc.strerror}")], None
        digest = blob_id(raw_bytes)
        data.digests[rel] = digest
        cache_st = st if stat.S_ISREG(st.st_mode) else None
        if pc is not None:
            hit = pc.by_blob(rel, digest)
            if hit is not None:
                pc.record(rel, cache_st, digest, hit)
                return (None, hit, None) if isinstance(hit, list) else (hit, [], None)
        if parsed_cache is not None:
            hit = parsed_cache.get(digest, kind)
            if hit is not None:
                return hit, [], None
        try:
            text = decode(raw_bytes, rel)
            raw = fast_load(text, rel)
        except YamlError as exc:
            probs = [Problem(exc.path, exc.line, exc.col, "", exc.problem)]
            if pc is not None:
                pc.record(rel, cache_st, digest, probs)
            return None, probs, None
        if kind == "task":
            obj, probs = check_task(raw, rel, text, self.year, cats)
        else:
            obj, probs = check_target(raw, rel, text, self.year)
        conflicted = isinstance(raw, dict) and bool(raw.get("conflicts"))
        if pc is not None:
            pc.record(rel, cache_st, digest, None if conflicted else (obj if obj is not None else probs))
        if obj is not None and parsed_cache is not None and not conflicted:
            parsed_cache.put(digest, kind, obj)
        return obj, probs, raw

    # -- resolving ids ------------------------------------------------------------------------
    def task_number(self, text: str) -> int:
        return parse_task_id(text, self.year)

    def task_path(self, number: int) -> Path:
        flat = self.plan_dir / "tasks" / f"{number:02d}.yaml"
        if flat.exists():
            return flat
        for p in self.task_files():
            m = _TASK_NAME.match(p.name)
            if m and int(m.group(1)) == number:
                return p
        raise TrackerError(f"no task {self.year}-{number:02d} in {self.plan_rel}/tasks/ (tracker list shows the tasks)")

    def target_path(self, number: int) -> Path:
        p = self.plan_dir / "targets" / f"{number:02d}.yaml"
        if not p.exists():
            raise TrackerError(f"no overall target {number} in {self.plan_rel}/targets/")
        return p

    def language(self) -> str:
        info, _ = self.load_info()
        return info.language if info else "zh"

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float = 10.0) -> Iterator[None]:
        """One writer at a time across processes (TUI instances, CLI): an OS lock in .git/tracker/."""
        fd = os.open(self.state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TrackerError("another tracker process is saving; try again in a moment") from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(fd)

    def _journal(self) -> Path:
        return self.state_dir / "pending.json"

    def pending(self) -> dict | None:
        try:
            return json.loads(self._journal().read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def recover(self) -> str | None:
        """Finish a save that was interrupted between writing the file and committing it.

        Returns a sentence for the user, or None when there was nothing to do.  A sync of this
        clone killed half-way is finished (or put back) first (tracker.sync.recover_on_open)."""
        synced = None
        if (self.state_dir / "sync.json").exists():  # one stat; the sync module only when needed
            from .sync import recover_on_open

            synced = recover_on_open(self)
        note = self._recover_save()
        return "; ".join(x for x in (synced, note) if x) or None

    def _recover_save(self) -> str | None:
        job = self.pending()
        if not job:
            if self._journal().exists():  # unreadable journal (cannot happen with atomic writes; be safe)
                self._journal().unlink(missing_ok=True)
            return None
        with self.lock():
            job = self.pending()
            if not job:
                return None
            if not isinstance(job, dict) or not all(isinstance(job.get(k), str) for k in ("path", "message", "new")) \
                    or not job["path"].startswith("plan/") or ".." in job["path"].split("/"):
                self._journal().unlink(missing_ok=True)
                return "ignored an unreadable record of an interrupted save (.git/tracker/pending.json)"
            path = self.root / job["path"]
            for stray in path.parent.glob(f".{path.name}.*.tmp"):  # a write killed before its rename
                stray.unlink(missing_ok=True)
            try:
                current = blob_id(path.read_bytes())
            except FileNotFoundError:
                current = None
            head_bytes = self.git.show("HEAD", job["path"])
            head = blob_id(head_bytes) if head_bytes is not None else None
            if current == job["new"] and head != job["new"]:
                try:
                    self.check_repo_state()
                except TrackerError as exc:
                    return (f"{job['path']} holds a change whose save was interrupted, not yet committed; it will be "
                            f"committed on the next start once this is resolved: {exc}")
                try:
                    if self.git.ok("cat-file", "-e", job["new"]):  # the validated bytes, as hashed before the write
                        mode = "100755" if os.stat(path).st_mode & 0o100 else "100644"
                        sha = self.git.commit_blob(job["path"], job["new"], job["message"], mode=mode)
                    else:
                        sha = self.git.commit_paths([job["path"]], job["message"])
                except GitError as exc:
                    raise TrackerError(f"an interrupted save of {job['path']} could not be finished; the file holds "
                                       f"the change, uncommitted.\n{explain_git_error(exc, saved=False)}") from exc
                self._journal().unlink(missing_ok=True)
                return f"finished an interrupted save of {job['path']} as commit {sha[:7]}"
            if head == job["new"] and self.git.ls_files_stage(job["path"]).get(job["path"]) != head:
                # killed after the branch moved and before the index followed (commit_blob's "ref-moved")
                mode = "100755" if path.exists() and os.stat(path).st_mode & 0o100 else "100644"
                self.git.run("update-index", "--add", "--cacheinfo", f"{mode},{head},{job['path']}")
            self._journal().unlink(missing_ok=True)
            if current == head or current == job.get("old"):
                return None  # the commit happened, or the write never did
            return f"{job['path']} has uncommitted changes from an interrupted save; review them with git diff"

    def _read_or_none(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _refuse_if_changed(self, path: Path, rel: str, raw: bytes) -> None:
        """Just before the write: the file must still hold the bytes the save read and validated.
        A hand edit (or another program) in between is refused, naming the file, never overwritten."""
        now = self._read_or_none(path)
        if now != raw:
            self._journal().unlink(missing_ok=True)
            what = "was deleted" if now is None else "changed on disk"
            raise StaleError(f"{rel} {what} while this save was being prepared (a hand edit or another program); "
                             "your edit was not saved and the file was left as it is now. Reload it and try again.")

    def check_repo_state(self) -> None:
        """Refuse to save, with the way forward, where a commit would be lost or refused.

        Reads only files in .git (no process): a detached HEAD (the commit would be on no branch),
        a merge, rebase or cherry-pick in progress, a stale index.lock."""
        gd = self.git.git_dir
        try:
            head = (gd / "HEAD").read_text("utf-8").strip()
        except OSError:
            head = "ref: "
        if not head.startswith("ref: "):
            raise TrackerError(
                f"HEAD is detached (at {head[:7]}, not on a branch): a save now would make a commit no branch holds. "
                "Nothing was saved. Go back to the branch with `git switch main` (or keep this state as a branch "
                "with `git switch -c NAME`), then save again.")
        for name, what in (("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
                           ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
            if (gd / name).exists():
                raise TrackerError(
                    f"the repository is in the middle of a {what} (.git/{name} exists): a save now could mix your "
                    f"change into it. Nothing was saved. Finish it with `tracker sync` (or give it up with "
                    f"`git {'rebase' if what == 'rebase' else what} --abort`), then save again.")
        lock = gd / "index.lock"
        deadline = time.monotonic() + 2.0  # a `git status` elsewhere holds it for a moment
        while lock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if lock.exists():
            try:
                age = time.time() - lock.stat().st_mtime
            except OSError:
                age = 0.0
            raise TrackerError(
                f"{lock} exists: another git process is working in this repository"
                + (f", or one was killed {age / 60:.0f} minutes ago and left its lock behind" if age > 60 else "")
                + ". Nothing was saved. Wait for it and try again; if no git process is running, the lock is stale: "
                  f"remove it (rm {lock}) and save again.")

    def _commit_edit(self, path: Path, mutate: Callable[[Any], None], *, expect: str | None,
                     subject: Callable[[dict], tuple[str, str]], check: Callable[[Any, str, str], list[Problem]],
                     trailers: dict[str, str] | None = None, lang: str | None = None,
                     line_changes: dict[str, Any] | None = None,
                     compose: Callable[[Any, Any], str] | None = None) -> CommitResult | None:
        """The one write path: read, mutate the round-trip tree, validate, write atomically, commit.

        Steps (each a TRACKER_FAULT name, see `fault`): lock, journal, tmp, written, ref-moved (in
        GitRepo.commit_blob), committed.  The commit is made from the blob of the validated bytes
        (never a re-read of the file), and the file must still hold what was read just before the
        write, else the save is refused (StaleError) and the file left as it is.  `compose(before,
        after)`, when given, writes the commit message (a resolve's: tracker.conflicts.resolve).
        The identity check and HEAD's copy of the file are read by git processes started as the
        lock is taken, so they overlap the round-trip parse instead of adding to it."""
        rel = self.rel(path)
        if lang is None:
            lang = self.language()
        self.check_repo_state()
        with self.lock():
            fault("locked")
            # once per GitRepo: a later loss of the identity still fails the commit (useConfigOnly), explained
            ident_job = None if getattr(self.git, "_ident_ok", False) else \
                self.git.start("-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT")
            head_job = self.git.start("cat-file", "blob", f"HEAD:{rel}")
            try:
                if path.is_symlink():
                    raise TrackerError(f"{rel} is a symbolic link; edit the file it points to ({path.resolve()})")
                raw = self._read(path)
                if expect is not None and blob_id(raw) != expect:
                    raise StaleError(f"{rel} changed on disk since it was shown (by another window, a hand edit or a sync); "
                                     "your edit was not saved, reload and try again")
                text = decode(raw, rel)
                before = fast_load(text, rel)
                probs = check(before, rel, text)
                if probs:
                    raise TrackerError(f"{rel} has problems; fix them before editing:\n  " + "\n  ".join(map(str, probs)))
                new_text = None
                if line_changes is not None:  # scalar fields: only their lines (tracker/lineedit.py)
                    from .lineedit import edit

                    new_text = edit(text, line_changes)
                if new_text is None:
                    tree = rt_load(text, rel)
                    mutate(tree)
                    new_text = rt_dump(tree)
                if new_text == text:
                    return None
                after = fast_load(new_text, rel)
                if line_changes is not None:
                    from .lineedit import expected, same

                    want = expected(before, line_changes)
                    if not same(after, want):
                        # e.g. a comment indented under a value that becomes a block would join it
                        moved = sorted(k for k in (after or {}) if not same((after or {}).get(k), (want or {}).get(k)))
                        raise TrackerError(
                            f"{rel}: this save would also change {', '.join(moved) or 'the file'} (a comment or "
                            "layout in the file the YAML writer cannot keep apart). Nothing was saved. Move the "
                            "comment above the field, or edit the file by hand.")
                probs = check(after, rel, new_text)
                if probs:  # a bug here, never the user's: refuse rather than write a bad file
                    raise TrackerError("refusing to write an invalid file:\n  " + "\n  ".join(map(str, probs)))
                if ident_job is not None:
                    if ident_job.wait(check=False)[0] != 0:
                        self.git.identity()  # raises the explanation; nothing was touched
                    self.git._ident_ok = True
                st, head_bytes, _ = head_job.wait(check=False)
            finally:
                if ident_job is not None:
                    ident_job.wait(check=False)
                head_job.wait(check=False)
            try:
                base = fast_load(decode(head_bytes, rel), rel) if st == 0 else None
            except YamlError:  # the committed version is broken (fixed by hand since): describe from the work tree
                base = before
            changes = diff_records(base, after)
            sid, title = subject(after)
            from . import commitmsg  # (rich.cells: only a save needs it)

            message = compose(before, after) if compose is not None else \
                commitmsg.task_message(sid, title, changes, lang, **(trailers or {})) if changes else \
                commitmsg.compose(sid, title, [], lang, {"Tracker-Task": sid}, subject_text="")
            new_bytes = new_text.encode("utf-8")
            blob_job = self.git.start("hash-object", "-w", "--no-filters", "--stdin", input=new_bytes)
            atomic_write(self._journal(), json.dumps({"path": rel, "message": message, "old": blob_id(raw),
                                                      "new": blob_id(new_bytes)}, ensure_ascii=False), durable=False)
            try:
                blob = blob_job.wait()[1].decode().strip()
            except GitError as exc:
                self._journal().unlink(missing_ok=True)
                raise TrackerError(explain_git_error(exc, saved=False)) from exc
            fault("journal")
            mode = "100755" if os.stat(path).st_mode & 0o100 else "100644"
            self._refuse_if_changed(path, rel, raw)
            atomic_write(path, new_text, fault_step="tmp", sync_dir=False)
            fault("written")
            try:
                # the commit holds the validated bytes (the blob), never a re-read of the file
                sha = self.git.commit_blob(rel, blob, message, mode=mode)
            except GitError as exc:
                if self._read_or_none(path) == new_bytes:
                    atomic_write(path, text)  # put the file back as it was: nothing half-done
                self._journal().unlink(missing_ok=True)
                raise TrackerError(explain_git_error(exc)) from exc
            fault("committed")
            self._journal().unlink(missing_ok=True)
            return CommitResult(sha=sha, message=message, path=rel, changes=changes)

    def update_task(self, number: int, changes: dict[str, Any], *, expect: str | None = None) -> CommitResult | None:
        """Apply validated `changes` ({'status': 'done', 'measures.2.status': 'done', ...}); one commit."""
        path = self.task_path(number)
        tid = f"{self.year}-{number:02d}"
        clean = validate_changes(changes, tid)
        info, _ = self.load_info()
        cats = info.categories if info else ()
        lang = info.language if info else "zh"

        return self._commit_edit(
            path, lambda tree: apply_task_changes(tree, clean, tid), expect=expect,
            subject=lambda d: (tid, str(d.get("title", ""))),
            check=lambda data, rel, text: check_task(data, rel, text, self.year, cats)[1], lang=lang,
            line_changes=clean,
        )

    def record_actual(self, number: int, indicator: str, period: str, value: float | None, note: str = "",
                      *, expect: str | None = None) -> CommitResult | None:
        """Record (or replace) an indicator's actual value for a period: one commit."""
        path = self.target_path(number)
        period = validate_period(period)
        if not period.startswith(str(self.year)):
            raise TrackerError(f"period: {period!r} is outside the {self.year} plan; use a period of {self.year}, "
                               f"e.g. {self.year}-09 or {self.year}-Q3")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TrackerError(f"value: {value!r} is not a number")

        def mutate(tree: Any) -> None:
            from ruamel.yaml.comments import CommentedMap

            for ind in tree.get("indicators") or []:
                if ind.get("name") == indicator:
                    acts = ind.setdefault("actuals", [])
                    entry = CommentedMap([("period", period), ("value", value), ("note", text_scalar(note))])
                    for i, a in enumerate(acts):
                        if str(a.get("period")) == period:
                            if a.get("value") != value or (a.get("note") or "") != note:
                                acts[i] = entry
                            return
                    acts.append(entry)
                    return
            names = ", ".join(str(i.get("name")) for i in tree.get("indicators") or [])
            raise TrackerError(f"target {number} has no indicator {indicator!r} (it has: {names})")

        return self._commit_edit(
            path, mutate, expect=expect,
            subject=lambda d: (f"{self.year}-T{number:02d}", str(d.get("text", ""))),
            check=lambda data, rel, text: check_target(data, rel, text, self.year)[1],
            trailers={"Tracker-Target": f"{self.year}-T{number:02d}"},
        )


class _NotRegular(Exception):
    pass


def read_regular(path: str, *, follow: bool = False) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, checked on the open file itself: a
    file swapped for a link (O_NOFOLLOW), a FIFO (O_NONBLOCK: never blocks) or a giant since it
    was listed is refused, never followed or read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("is not a regular file; not read")
        if st.st_size > MAX_FILE_BYTES:
            raise _NotRegular(f"file is {st.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a plan file may have; not read")
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            data = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not data:
                break
            chunks.append(data)
            total += len(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


PARALLEL_MIN = 400  # files to parse before a helper process pays for its start-up (~0.1 s)


def parse_file(path: str, rel: str, kind: str, year: int, cats: tuple[str, ...]) -> tuple[str, Any] | None:
    """(blob id, Task/Target or list of problems) for one regular file; None when it holds
    recorded merge conflicts (the caller reads those itself) or cannot be read here."""
    try:
        raw_bytes = read_regular(path)
    except (OSError, _NotRegular):
        return None  # the caller reads it itself and reports why
    digest = blob_id(raw_bytes)
    try:
        text = decode(raw_bytes, rel)
        raw = fast_load(text, rel)
    except YamlError as exc:
        return digest, [Problem(exc.path, exc.line, exc.col, "", exc.problem)]
    if isinstance(raw, dict) and raw.get("conflicts"):
        return None
    obj, probs = check_task(raw, rel, text, year, cats) if kind == "task" else check_target(raw, rel, text, year)
    return digest, (obj if obj is not None else probs)


def _worker_main() -> None:
    """The helper process of a cold load: marshal job on stdin, marshal results on stdout."""
    import marshal
    import sys

    from .cache import encode

    root, year, cats, items = marshal.loads(sys.stdin.buffer.read())
    out = []
    for rel, kind in items:
        try:
            res = parse_file(os.path.join(root, rel), rel, kind, year, tuple(cats))
            out.append((rel, None) if res is None else (rel, (res[0], encode(res[1]))))
        except Exception:  # noqa: BLE001 - the parent parses this file itself
            out.append((rel, None))
    sys.stdout.buffer.write(marshal.dumps(out))


class _Prefetch:
    """A cold load with many files to parse hands the last ~45% of them to one helper process
    (`python -c ...store._worker_main`), which reads, hashes, parses and validates them while
    this process does the rest: about 1.7x faster on two cores.  Any failure of the helper only
    means this process parses those files itself.  TRACKER_WORKERS=0 turns it off."""

    def __init__(self, proc: Any, rels: set[str]):
        self.proc, self.rels, self.results = proc, rels, None

    @classmethod
    def start(cls, ws: "Workspace", entries: list[tuple[str, os.DirEntry, str]], cats: tuple[str, ...],
              pc: Any) -> "_Prefetch | None":
        if os.environ.get("TRACKER_WORKERS", "1") == "0" or len(entries) < PARALLEL_MIN:
            return None
        if pc is not None and pc.old:  # a warm start: a sample of 200 tells, without checking every file
            sample = entries[:: max(1, len(entries) // 200)]
            hits = 0
            for rel, entry, _ in sample:
                try:
                    hits += pc.peek_stat(rel, entry.stat(follow_symlinks=False))
                except OSError:
                    pass
            if hits >= 0.9 * len(sample):
                return None
        todo = []
        for rel, entry, kind in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                continue
            if pc is not None and pc.peek_stat(rel, st):
                continue
            todo.append((rel, kind))
        if len(todo) < PARALLEL_MIN:
            return None
        theirs = todo[len(todo) * 55 // 100:]
        import marshal
        import subprocess
        import sys

        try:
            proc = subprocess.Popen([sys.executable, "-c", "from tracker.store import _worker_main; _worker_main()"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    cwd=str(ws.root))
            proc.stdin.write(marshal.dumps((str(ws.root), ws.year, list(cats), theirs)))
            proc.stdin.close()
        except (OSError, ValueError):
            return None
        return cls(proc, {r for r, _ in theirs})

    def result(self, rel: str) -> tuple[str, Any] | None:
        if rel not in self.rels:
            return None
        if self.results is None:
            import marshal

            from .cache import decode as decode_rec

            self.results = {}
            try:
                data = self.proc.stdout.read()
                self.proc.wait()
                for r, res in marshal.loads(data):
                    if res is not None:
                        self.results[r] = (res[0], decode_rec(res[1]))
            except (OSError, ValueError, EOFError, TypeError):
                self.results = {}
        return self.results.get(rel)


def validate_period(period: str) -> str:
    period = str(period).strip()
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?", period):
        raise TrackerError(f"period: {period!r} is not a period (use 2020-09 for a month, 2020-Q3 for a quarter, 2020-H1 or 2020)")
    return period


def apply_task_changes(tree: Any, clean: dict[str, Any], tid: str) -> None:
    """Validated changes applied to a task's round-trip tree (ruamel): what a save writes when the
    line edit (tracker/lineedit.py) steps aside."""
    for key, value in clean.items():
        if key.startswith("measures."):
            _, num, fld = key.split(".")
            for m in tree.get("measures") or []:
                if m.get("number") == int(num):
                    if m.get(fld) != value:
                        m[fld] = value
                    break
            else:
                have = ", ".join(str(m.get("number")) for m in tree.get("measures") or [])
                raise TrackerError(f"task {tid} has no measure {num} (it has: {have or 'none'})")
        elif tree.get(key) != value:
            tree[key] = text_scalar(value) if isinstance(value, str) and key != "status" else value


def validate_changes(changes: dict[str, Any], tid: str) -> dict[str, Any]:
    """Check every requested value before anything is touched; messages name field and allowed values."""
    allowed_status = ", ".join(f"{s}" for s in STATUSES)
    out: dict[str, Any] = {}
    for key, value in changes.items():
        fld = key.split(".")[-1] if key.startswith("measures.") else key
        if key.startswith("measures."):
            parts = key.split(".")
            if len(parts) != 3 or not parts[1].isdigit() or parts[2] != "status":
                raise TrackerError(f"{key}: only a measure's status can be set (measures.N.status)")
        elif key not in EDITABLE_FIELDS:
            raise TrackerError(f"{key}: not a field that can be set (settable: {', '.join(EDITABLE_FIELDS)})")
        if fld == "status":
            if value not in STATUSES:
                raise TrackerError(f"{key}: {value!r} is not a status; allowed: {allowed_status} (未启动, 推进中, 已完成, 受阻)")
        elif fld == "progress":
            try:
                ivalue = int(str(value).strip().rstrip("%"))
            except ValueError:
                raise TrackerError(f"progress: {value!r} is not a whole number; allowed: 0 to 100") from None
            if not 0 <= ivalue <= 100:
                raise TrackerError(f"progress: {ivalue} is out of range; allowed: 0 to 100")
            value = ivalue
        elif fld == "due":
            if isinstance(value, date):
                pass
            else:
                try:
                    value = date.fromisoformat(str(value).strip())
                except ValueError:
                    raise TrackerError(f"due: {value!r} is not a date; use YYYY-MM-DD, e.g. 2020-12-31") from None
        else:
            if not isinstance(value, str):
                raise TrackerError(f"{key}: must be text")
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            value = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and not 0x7f <= ord(ch) <= 0x9f))
            value = value.rstrip()
        out[key] = value
    return out


def explain_git_error(exc: GitError, saved: bool = True) -> str:
    """git's words plus what the officer can do about them."""
    err = exc.stderr
    tail = " Nothing was saved." if saved else ""
    if "index.lock" in err:
        return (f"{err}\nAnother git process may be running. If none is, the lock is stale: "
                f"remove .git/index.lock and try again.{tail}")
    if "not possible because you have unmerged files" in err or "unmerged" in err or "merging" in err.lower():
        return (f"{err}\nThe repository is in the middle of a merge: run `tracker sync` to finish it "
                f"(or `git merge --abort` to give it up).{tail}")
    if (("failed to write commit object" in err and ("key" in err.lower() or "sign" in err.lower()))
            or "Load key" in err or "passphrase" in err or "failed to sign" in err):  # commit / commit-tree -S
        return (f"{err}\nSigning the commit failed (this clone signs every commit: tracker office join). A key "
                f"with a passphrase must be loaded into ssh-agent (ssh-add KEY): tracker never asks for it; a "
                f"moved key: tracker office join OFFICE --key KEY again. 签名失败：请先 ssh-add 加载密钥。{tail}")
    if "empty ident" in err or "tell me who you are" in err.lower() or "user.useConfigOnly" in err:
        return (f"{err}\ngit does not know who you are: git config --global user.name \"张三\" and "
                f"git config --global user.email \"zhangsan@example.gov.cn\".{tail}")
    return f"{err}\n{tail.strip()}" if tail else err
