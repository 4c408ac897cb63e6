"""The loading room of the store (tracker.store.Workspace): every file of a plan, read and checked.

Loading is fast and forgiving: each file is read with the C loader, validated, and either becomes
a typed object or a listed problem; one broken file never hides the others.  Parsed files are
reused from `.git/tracker/cache` (tracker.cache) when their stat and blob id say they did not
change; a cold load of many files hands part of them to one helper process (_Prefetch).  Links
out of the repository, FIFOs and giant files are refused without being read (read_regular).

`PlanLoading` is a mixin of Workspace: it uses the workspace's root, git, year and plan_rel.
"""
from __future__ import annotations

import gc
import hashlib
import os
import threading
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .childenv import own_code_env, python_argv
from .i18n import book, say
from .model import PlanInfo, Target, Task, TrackerError, parse_task_id
from .schema import Problem, error_problem, problem, check_plan, check_target, check_task
from .yamlio import MAX_FILE_BYTES, YamlError, decode, fast_load, yaml_error


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


_TASK_NAME = re.compile(r"^(\d+)\.yaml$")


class _GcPause:
    """The cyclic garbage collector held off while files are parsed: a cold load makes a few
    hundred thousand objects that all live on (dicts, strings, Tasks), and every collection
    rescans them for nothing (a cold `list` at 10,000 tasks: 433 passes and 0.15 s before, 70 and
    0.08 s after, most of it the first passes after the load).  Reentrant and thread-safe:
    the first load in restores the collector as it found it when the last one leaves.  Nothing is
    lost: garbage made meanwhile (there is hardly any cyclic) is collected after."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_on = False

    def __enter__(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.was_on = gc.isenabled()
                gc.disable()
            self.depth += 1

    def __exit__(self, *exc: Any) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.was_on:
                gc.enable()


gc_paused = _GcPause()



class PlanLoading:
    """Workspace's reading half: discovery of the files, load(), the ids and paths of tasks."""

    # -- loading ------------------------------------------------------------------------------
    def _check_link(self, path: Path) -> None:
        """A symbolic link is read only when it leads to a file inside the work tree (not .git/)."""
        target = path.resolve()
        if not target.is_relative_to(self.root):
            raise yaml_error(self.rel(path), None, None, "link_out", target=str(target))
        if target.is_relative_to(self.git.git_dir):
            raise yaml_error(self.rel(path), None, None, "link_git", target=str(target))

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
            raise yaml_error(self.rel(path), None, None, exc.entry, **exc.words) from None

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
            return None, [problem(rel, None, None, "", "plan_missing")]
        except YamlError as exc:
            return None, [error_problem(exc)]

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
        with gc_paused:
            return self._load(parsed_cache)

    def _load(self, parsed_cache: Any) -> PlanData:
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
                data.problems.append(problem(rel, 1, 1, "number", "file_name", name=entry.name, number=task.number, expected=f"{task.number:02d}.yaml"))
                continue
            if task.number in seen:
                dup.add(task.number)
                data.problems.append(problem(rel, 1, 1, "number", "number_also", number=task.number, other=seen[task.number]))
                continue
            seen[task.number] = rel
            data.tasks.append(task)
            if isinstance(raw, dict) and raw.get("conflicts"):
                data.conflicted[rel] = raw["conflicts"]
        if dup:
            for t in [t for t in data.tasks if t.number in dup]:
                data.problems.append(problem(t.path, 1, 1, "number", "number_clash", number=t.number))
            data.tasks = [t for t in data.tasks if t.number not in dup]
        tseen: set[int] = set()
        for rel, entry in target_entries:
            target, probs, raw = self._load_one(entry, rel, "target", cats, data, parsed_cache, pc, pre)
            data.problems += probs
            if target is not None:
                if target.number in tseen:
                    data.problems.append(problem(rel, 1, 1, "number", "target_twice", number=target.number))
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
            if stat.S_ISREG(st.st_mode):  # the common case, without a Path a file (_read checks links)
                try:
                    raw_bytes = read_regular(entry.path)
                except _NotRegular as exc:
                    raise yaml_error(rel, None, None, exc.entry, **exc.words) from None
            else:
                raw_bytes = self._read(Path(entry.path), st)
        except YamlError as exc:
            return None, [error_problem(exc)], None
        except OSError as exc:
            return None, [problem(rel, None, None, "", "cannot_read", why=exc.strerror)], None
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
            probs = [error_problem(exc)]
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
        raise _err("no_task", id=f"{self.year}-{number:02d}", where=f"{self.plan_rel}/tasks/")

    def target_path(self, number: int) -> Path:
        p = self.plan_dir / "targets" / f"{number:02d}.yaml"
        if not p.exists():
            raise _err("no_target", number=number, where=f"{self.plan_rel}/targets/")
        return p

    def language(self) -> str:
        info, _ = self.load_info()
        return info.language if info else "zh"


book("loading", {
    "no_task": ("{where} 中没有任务 {id}（tracker list 列出全部任务）", "no task {id} in {where} (tracker list shows the tasks)"),
    "no_target": ("{where} 中没有综合目标 {number}", "no overall target {number} in {where}"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `loading.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"loading.{entry}", **args)


class _NotRegular(Exception):
    """Not a plan file to read: the book entry `yaml.<entry>` and its words say why."""

    def __init__(self, entry: str, **words: Any) -> None:
        super().__init__(say(f"yaml.{entry}", "en", **words))
        self.entry, self.words = entry, words


def read_regular(path: str, *, follow: bool = False) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, checked on the open file itself: a
    file swapped for a link (O_NOFOLLOW), a FIFO (O_NONBLOCK: never blocks) or a giant since it
    was listed is refused, never followed or read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("not_regular")
        if st.st_size > MAX_FILE_BYTES:
            raise _NotRegular("too_big", size=f"{st.st_size:,}", limit=f"{MAX_FILE_BYTES:,}")
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


def _parallel_min() -> int:
    """PARALLEL_MIN as `tracker.store` has it (the knob tests set there, tests/scale/test_scale_cache.py)."""
    import sys

    return getattr(sys.modules.get("tracker.store"), "PARALLEL_MIN", PARALLEL_MIN)


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
        return digest, [error_problem(exc)]
    if isinstance(raw, dict) and raw.get("conflicts"):
        return None
    obj, probs = check_task(raw, rel, text, year, cats) if kind == "task" else check_target(raw, rel, text, year)
    return digest, (obj if obj is not None else probs)


def _worker_main() -> None:
    """The helper process of a cold load: marshal job on stdin, marshal results on stdout."""
    import marshal
    import sys

    from .cache import encode

    gc.disable()  # a process that parses and exits: see _GcPause
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
    def start(cls, ws: "PlanLoading", entries: list[tuple[str, os.DirEntry, str]], cats: tuple[str, ...],
              pc: Any) -> "_Prefetch | None":
        least = _parallel_min()
        if os.environ.get("TRACKER_WORKERS", "1") == "0" or len(entries) < least:
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
        if len(todo) < least:
            return None
        theirs = todo[len(todo) * 55 // 100:]
        import marshal
        import subprocess

        try:
            proc = subprocess.Popen(python_argv("-c", "from tracker.store_load import _worker_main; _worker_main()"),
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    cwd=str(ws.root), env=own_code_env())
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
