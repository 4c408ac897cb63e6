"""The audit trail, reconstructed from git: who changed which field from what to what, when.

Works from the blobs, not from commit messages, so a hand edit committed with plain git shows
up field by field just like a change made by the tool.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from .changes import FieldChange, diff_records
from .gitstore import LogEntry
from .yamlio import YamlError, decode, fast_load

_TASK = re.compile(r"^plan/(\d{4})/tasks/(?:.*/)?(\d+)\.yaml$")
_TARGET = re.compile(r"^plan/(\d{4})/targets/(\d+)\.yaml$")


_PLAN_FILE = re.compile(r"^plan/(\d{4})/plan\.yaml$")


def history_item(path: str) -> str | None:
    """item_id, and '2020-plan' for the plan's own settings file (plan.yaml): its changes (a
    threshold, the start date, the categories) belong in the audit trail too."""
    if m := _PLAN_FILE.match(path):
        return f"{m.group(1)}-plan"
    return item_id(path)


def item_id(path: str) -> str | None:
    """'plan/2020/tasks/05.yaml' -> '2020-05'; 'plan/2020/targets/01.yaml' -> '2020-T01'."""
    if m := _TASK.match(path):
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    if m := _TARGET.match(path):
        return f"{m.group(1)}-T{int(m.group(2)):02d}"
    return None


@dataclass(frozen=True)
class HistoryEntry:
    sha: str
    author: str
    email: str
    date: str  # ISO 8601, author's offset
    timestamp: int
    subject: str
    path: str
    item: str  # task or target id
    changes: list[FieldChange]
    unreadable: bool = False  # one side could not be parsed (a broken hand edit)
    same_as: str = ""  # an empty "same as" commit (same_as_entries): what it says it matched

    def as_json(self) -> dict[str, Any]:
        return {"commit": self.sha, "author": self.author, "email": self.email, "date": self.date,
                "subject": self.subject, "path": self.path, "id": self.item,
                "changes": [c.as_json() for c in self.changes], "unreadable": self.unreadable,
                **({"same_as": self.same_as} if self.same_as else {})}


def _parse(blob: bytes | None, path: str) -> tuple[Any, bool]:
    if blob is None:
        return None, False
    try:
        return fast_load(decode(blob, path), path), False
    except YamlError:
        return None, True


def entries_from_log(git, log: Iterable[LogEntry], prefix: str) -> list[HistoryEntry]:
    log = list(log)
    wanted = [(e, f) for e in log for f in e.files if f.path.startswith(prefix) and history_item(f.path)]
    blobs = git.blobs([s for _, f in wanted for s in (f.old, f.new)])
    parsed: dict[tuple[str, str], tuple[Any, bool]] = {}  # each version is the new side of one entry and the old of the next

    def parse(sha: str, path: str) -> tuple[Any, bool]:
        key = (sha, path)
        hit = parsed.get(key)
        if hit is None:
            hit = parsed[key] = _parse(blobs.get(sha), path)
        return hit

    out = []
    for e, f in wanted:
        old, bad_old = parse(f.old, f.path)
        new, bad_new = parse(f.new, f.path)
        if f.status == "A" or (old is None and not bad_old):
            label = new.get("title") or new.get("text") if isinstance(new, dict) else None
            changes = [FieldChange("created", None, label or f.path)]
        elif f.status == "D" or (new is None and not bad_new):
            changes = [FieldChange("deleted", (old or {}).get("title") if isinstance(old, dict) else f.path, None)]
        elif _PLAN_FILE.match(f.path) and isinstance(old, dict) and isinstance(new, dict):
            changes = _flat_diff(old, new)  # settings.red_behind: 30 -> 25, not the whole settings
        else:
            changes = diff_records(old, new)
        out.append(HistoryEntry(sha=e.sha, author=e.author, email=e.email, date=e.date, timestamp=e.timestamp,
                                subject=e.subject, path=f.path, item=history_item(f.path) or f.path,
                                changes=changes, unreadable=bad_old or bad_new))
    return out


def _flat_diff(old: dict, new: dict, prefix: str = "") -> list[FieldChange]:
    """Field changes between two mappings, nested mappings as dotted names (plan.yaml's settings)."""
    out: list[FieldChange] = []
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            out += _flat_diff(a, b, name + ".")
        elif a != b:
            out.append(FieldChange(name, a, b))
    return out


def history(ws, paths: list[str] | None = None, *, since: str | None = None, until: str | None = None,
            rev: str = "HEAD", max_count: int | None = None) -> list[HistoryEntry]:
    """Newest first.  `paths` default to the whole plan folder.  The commits are git's (`rev-list`,
    no diffs), what they changed comes from the history index (tracker.touchindex)."""
    paths = paths or [ws.plan_rel + "/"]
    if hasattr(ws.git, "commit_graph_stale") and ws.git.commit_graph_stale():
        ws.git.refresh_commit_graph(background=True)  # commits from a pull: Bloom filters for next time
    if (len(paths) == 1 and not paths[0].endswith("/") and since is None and until is None and max_count is None
            and rev == "HEAD" and hasattr(ws.git, "head_fast")):
        return _one_file(ws, paths[0])
    if since is not None or until is not None:
        rng = date_range(ws, since, until, rev)
        if rng is None:
            return []
        rev = rng
    elif ws.git.run("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False).strip() == "":
        return []
    prefix = ws.plan_rel + "/"
    log = None
    if all(p == prefix.rstrip("/") or p.startswith(prefix) for p in paths):
        from . import touchindex

        log = touchindex.window_log(ws, rev, paths, max_count)
    if log is None:
        log = ws.git.log_changes(paths, rev=rev, max_count=max_count)
    return entries_from_log(ws.git, log, prefix)


def _grep_same_as(ws, rev: str) -> list[list]:
    """[sha, author, email, date, timestamp, subject, item] of every commit of `rev` with a
    `Tracker-Same-As` trailer, newest first: one `git log --grep`."""
    from .commitmsg import trailers

    out = ws.git.run("log", "-z", "--fixed-strings", "--grep=Tracker-Same-As: ",
                     "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%at%x1f%s%x1f%B", rev, "--", check=False)
    rows = []
    for rec in out.split("\0"):
        parts = rec.strip("\n").split("\x1f", 6)
        if len(parts) != 7:
            continue
        sha, author, email, when, ts, subject, body = parts
        tr = trailers(body)
        item = tr.get("Tracker-Task") or tr.get("Tracker-Target")
        if tr.get("Tracker-Same-As") and item:
            rows.append([sha, author, email, when, int(ts or 0), subject, item])
    return rows


def _same_as_rows(ws, rev: str) -> list[list]:
    """_grep_same_as of HEAD, kept in .git/tracker/history/same-as.json at its HEAD and extended
    with `last..HEAD` only (a long history is walked once); any other range is read directly."""
    import json
    import os

    head = ws.git.head_fast() if rev == "HEAD" and hasattr(ws.git, "head_fast") else None
    if head is None:
        return _grep_same_as(ws, rev)
    try:
        folder = ws.state_dir / "history"
        folder.mkdir(exist_ok=True)
        cache = folder / "same-as.json"
    except OSError:
        return _grep_same_as(ws, head)
    old, old_head = None, None
    try:
        data = json.loads(cache.read_text("utf-8"))
        if data.get("v") == 1 and isinstance(data.get("head"), str) and isinstance(data.get("rows"), list):
            old, old_head = data["rows"], data["head"]
    except (OSError, ValueError, TypeError, AttributeError):
        old = None
    if old is not None and old_head == head:
        return old
    if old is not None and ws.git.ok("merge-base", "--is-ancestor", old_head, head):
        rows = _grep_same_as(ws, f"{old_head}..{head}") + old
    else:
        rows = _grep_same_as(ws, head)
    try:
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"v": 1, "head": head, "rows": rows}, ensure_ascii=False), "utf-8")
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass
    return rows


def same_as_entries(ws, paths: list[str] | None, rev: str = "HEAD", skip: set[str] | frozenset = frozenset()
                    ) -> list[HistoryEntry]:
    """The commits of `rev` that name an item of `paths` (default: the whole plan) in their
    trailers with `Tracker-Same-As` and are not in `skip`: an office's change that the shared
    history already held, kept by sync as a commit of its own, empty when nothing else was left
    in it (docs/sync.md, "Identical changes").  A path-limited `git log` never lists an empty
    commit, so `tracker log` adds these.  Newest first."""
    prefix = ws.plan_rel + "/"
    paths = paths or [prefix]
    wanted = {item for p in paths if not p.endswith("/") and (item := item_id(p))}
    out = []
    for sha, author, email, when, ts, subject, item in _same_as_rows(ws, rev):
        if sha in skip or (wanted and item not in wanted) or (not wanted and not item.startswith(f"{ws.year}-")):
            continue
        path = _item_path(ws, item)
        if path is None:
            continue
        what = subject.split(": ", 1)[1] if ": " in subject else subject
        out.append(HistoryEntry(sha=sha, author=author, email=email, date=when, timestamp=ts, subject=subject,
                                path=path, item=item, changes=[], same_as=what))
    return out


def _item_path(ws, item: str) -> str | None:
    year, _, n = item.partition("-")
    if n.startswith("T") and n[1:].isdigit():
        return f"plan/{year}/targets/{int(n[1:]):02d}.yaml"
    if n.isdigit():
        try:
            return ws.rel(ws.task_path(int(n))) if year == str(ws.year) else f"plan/{year}/tasks/{int(n):02d}.yaml"
        except Exception:  # noqa: BLE001 - a task that no longer exists keeps its usual name
            return f"plan/{year}/tasks/{int(n):02d}.yaml"
    return None


def with_same_as(ws, entries: list[HistoryEntry], paths: list[str] | None, *, since: str | None = None,
                 until: str | None = None, rev: str = "HEAD", max_count: int | None = None) -> list[HistoryEntry]:
    """`entries` (history(), newest first) with the empty "same as" commits of the same paths and
    range put in their place along the history (by ancestry, never by dates)."""
    if since is not None or until is not None:
        rng = date_range(ws, since, until, rev)
        if rng is None:
            return entries
        rev = rng
    extra = same_as_entries(ws, paths, rev, skip={e.sha for e in entries})
    if not extra:
        return entries
    if len(extra) > 8:  # many: one walk gives every position
        order = {sha: i for i, sha in enumerate(ws.git.run("rev-list", rev).split())}
        merged = sorted(entries + extra, key=lambda e: order.get(e.sha, len(order)))
    else:  # a few: each finds its place among the entries (newest first) by ancestry, a bisection
        merged = list(entries)
        for e in extra:
            lo, hi = 0, len(merged)
            while lo < hi:
                mid = (lo + hi) // 2
                if ws.git.ok("merge-base", "--is-ancestor", merged[mid].sha, e.sha):
                    hi = mid
                else:
                    lo = mid + 1
            merged.insert(lo, e)
    if max_count is not None:
        keep = set(list(dict.fromkeys(e.sha for e in merged))[:max_count])
        merged = [e for e in merged if e.sha in keep]
    return merged


def _day(text: str, what: str):
    from datetime import date

    from .model import TrackerError

    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        args = {"what": what, "text": text}
        raise TrackerError(_say("history_dates.not_date", "en", **args), key="history_dates.not_date", **args) from None


def date_range(ws, since: str | None, until: str | None, rev: str = "HEAD") -> str | None:
    """The commits of `rev` from `since` (on or after that day) up to `until` (to the end of it),
    as a graph range under the one as-of rule (tracker.asof): never `git log --since`, which
    stops at the first commit dated before the day and so hides the edits behind one office's
    slow clock.  None when the range holds nothing."""
    from datetime import timedelta

    from .asof import commit_at

    lo = commit_at(ws, _day(since, "--since") - timedelta(days=1), rev) if since is not None else None
    hi = commit_at(ws, _day(until, "--until"), rev) if until is not None else \
        ws.git.run("rev-parse", "--verify", "-q", rev, check=False).strip() or None
    if hi is None or lo == hi:
        return None
    return f"{lo}..{hi}" if lo else hi


# -- one file's history ----------------------------------------------------------------------
_SEEN: dict[tuple[str, str, str], list[HistoryEntry]] = {}  # (root, path, HEAD) -> entries, this process only


def _one_file(ws, path: str) -> list[HistoryEntry]:
    """History of one file: a lookup in the history index (tracker/touchindex.py) when there is
    one for HEAD, else one path-limited `git log` (the commit-graph's Bloom filters skip most of
    the rest), which starts a background build of the index when it was slow.  Nothing is stored
    besides the index; the same view again in one process (the TUI) is remembered per HEAD."""
    import time

    from . import touchindex

    head = ws.git.head_fast()
    if head is None:
        return []
    key = (str(ws.root), path, head)
    hit = _SEEN.get(key)
    if hit is not None:
        return hit
    log = touchindex.log_for(ws, path)  # the index, when one exists, else git log
    if log is None:
        t0 = time.perf_counter()
        log = list(ws.git.log_changes([path], rev=head))
        if time.perf_counter() - t0 > touchindex.slow_log_seconds() and not touchindex.index_path(ws).exists():
            touchindex.build_in_background(ws)  # a long history: the next first view is a lookup
    entries = entries_from_log(ws.git, log, ws.plan_rel + "/")
    if len(_SEEN) > 256:
        _SEEN.clear()
    _SEEN[key] = entries
    return entries


# -- files that should exist: a task deleted or renamed with plain git ----------------------------
@dataclass(frozen=True)
class MissingItem:
    """A task or target file the history says should exist and the work tree lacks."""

    item: str  # '2020-05'
    path: str  # where it last was
    how: str  # "deleted" (by a commit) | "uncommitted" (gone from the work tree only) | "gap"
    sha: str = ""  # the commit that deleted it
    author: str = ""
    date: str = ""

    def message(self, lang: str = "en") -> str:
        from .i18n import say

        return say(f"missing.{self.how}", lang, path=self.path, item=self.item, sha=self.sha[:7],
                   author=self.author, day=self.date[:10])


from .i18n import book as _book  # noqa: E402  (i18n imports nothing of ours)
from .i18n import say as _say  # noqa: E402

_book("history_dates", {"not_date": ("{what} {text!r} 不是日期：请写 YYYY-MM-DD，例如 2020-10-01",
                                     "{what} {text!r} is not a date: write YYYY-MM-DD, e.g. 2020-10-01")})

_book("missing", {
    "uncommitted": ("{path}: 任务 {item} 的文件已从工作区删除（尚未提交）；恢复：git restore -- {path}",
                    "{path}: the file of {item} was deleted from the work tree (not committed); "
                    "bring it back with: git restore -- {path}"),
    "deleted": ("{path}: 任务 {item} 已被提交 {sha}（{author}，{day}）删除或改名，"
                "现在没有文件保存它；恢复：git checkout {sha}^ -- {path}",
                "{path}: {item} was deleted or renamed by commit {sha} ({author}, "
                "{day}) and no file holds it now; bring it back with: git checkout {sha}^ -- {path}"),
    "gap": ("{path}: 任务编号跳过了 {item}（没有这个文件，历史中也没有它的删除记录）",
            "{path}: the task numbers skip {item} (no such file, and no commit deleting it)"),
})


def missing_items(ws, present: set[str]) -> list[MissingItem]:
    """Tasks and targets that should exist but do not: `present` is the set of item ids the work
    tree holds (e.g. {'2020-01', ..., '2020-T01'}).  There is no command that deletes a task, so
    a task file that a commit deleted (`git rm`, or `git mv` to a name that is not NN.yaml) and
    that no file holds now, one deleted from the work tree, or a gap in the task numbers is
    reported.  One query on the history index (tracker.touchindex.deletions) and one `git ls-tree`."""
    prefix = ws.plan_rel + "/"
    out: list[MissingItem] = []
    seen: set[str] = set()
    if ws.git.head() is not None:
        for rec in ws.git.run("ls-tree", "-r", "-z", "--name-only", "HEAD", "--", prefix).split("\0"):
            item = item_id(rec) if rec else None
            if item and item not in present and item not in seen and not (ws.root / rec).exists():
                seen.add(item)
                out.append(MissingItem(item, rec, "uncommitted"))
        from . import touchindex

        for sha, author, when, name in touchindex.deletions(ws):  # newest deletion first
            item = item_id(name)
            if item and item not in present and item not in seen:
                seen.add(item)
                out.append(MissingItem(item, name, "deleted", sha, author, when))
    numbers = sorted(int(i.split("-")[1]) for i in present if "-T" not in i and i.split("-")[1].isdigit())
    year = ws.year
    for n in range(1, numbers[-1] if numbers else 0):
        item = f"{year}-{n:02d}"
        if item not in present and item not in seen:
            out.append(MissingItem(item, f"{prefix}tasks/{n:02d}.yaml", "gap"))
    return sorted(out, key=lambda m: m.item)
