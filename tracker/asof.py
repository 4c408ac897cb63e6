"""The plan as it was on a past date, and the plan's history replayed from git.

The clocks (one rule, used by every as-of board, window, burn-up and bulletin):

* A commit's *day* is its committer date on the committer's own clock (the offset recorded in
  the commit): when the change entered this line of history (a sync that replays a commit gives
  it a new committer date; the author date keeps when it was written).
* Its *effective day* is read along the first-parent line of HEAD (the shared history, oldest
  first): the later of its own day and its parent's effective day, so it never goes backwards.
  A commit dated earlier than its parent (a slow clock, or an offline commit pushed as it was)
  counts from its parent's day; a commit dated more than a day after today (a fast clock)
  counts from its parent's day too, so it freezes nothing.  Both are flagged (`clock_flags`).
* "As of DATE" is the newest commit whose effective day is on or before DATE (effective days
  only grow along the line, so this is a prefix of the history: a later, wrongly dated commit
  can neither hide earlier ones nor slip in before them), and never past the commit a bulletin
  of DATE or later was issued from (tag bulletin/<day>): the board of an issued bulletin is
  rebuilt exactly, whatever arrived after it.
* A bulletin's period is a graph range, not dates: from the previous bulletin's commit to this
  one's, so a change that arrives late (written offline on 09-25, synced on 10-07) is in the
  next bulletin's changes.

The as-of commit's tree is read with one `git ls-tree` and one `git cat-file --batch`, and every blob
goes through the same fast loader and schema checks as `Workspace.load`, so an as-of view has
exactly the same objects (and problems) the live view had on that day.  Nothing is checked out.

`Timeline` is the first-parent history of the plan folder, oldest first: the line from one `git
log --first-parent` without diffs, what each commit changed from the history index
(tracker.touchindex, the one stored view of history), so that many dates (last changes as of a
date, a bulletin's window) cost one query.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

from .model import PlanInfo
from .touchindex import LastChange
from .schema import Problem, error_problem, problem, check_plan, check_target, check_task
from .store import PlanData, Workspace
from .yamlio import YamlError, decode, fast_load

_TASK_NAME = re.compile(r"^(\d+)\.yaml$")
_SEP = "\x1f"


def local_day(iso: str) -> date:
    """'2020-10-31T23:30:00+08:00' -> 2020-10-31: the day on the clock of whoever committed."""
    return date.fromisoformat(iso[:10])


def _upper_bound(when: date) -> str:
    """An absolute instant after the end of `when` in every time zone (UTC-12 ends last... +14h)."""
    end = datetime(when.year, when.month, when.day, tzinfo=timezone.utc) + timedelta(days=1, hours=12)
    return end.strftime("%Y-%m-%d %H:%M:%S +0000")


FUTURE_SLACK = timedelta(days=1)  # time zones: a commit "tomorrow" may be today somewhere else
BEFORE_PARENT_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class ClockFlag:
    """A commit whose date cannot be right: in the future, or far before its parent."""

    sha: str
    kind: str  # "future" | "before_parent"
    day: date  # its committer day
    parent_day: date | None
    effective: date  # the day it counts from
    author: str
    subject: str

    def as_json(self) -> dict[str, Any]:
        return {"commit": self.sha, "kind": self.kind, "day": self.day.isoformat(),
                "parent_day": self.parent_day.isoformat() if self.parent_day else None,
                "effective": self.effective.isoformat(), "author": self.author, "subject": self.subject}


@dataclass
class Line:
    """The first-parent line of a revision, oldest first, with each commit's effective day."""

    shas: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    eff: list[date] = field(default_factory=list)
    flags: list[ClockFlag] = field(default_factory=list)
    pos: dict[str, int] = field(default_factory=dict)

    def index_at(self, when: date) -> int:
        """How many commits (a prefix) make up the state at the end of `when`."""
        import bisect

        return bisect.bisect_right(self.eff, when)

    def effective(self, sha: str) -> date | None:
        i = self.pos.get(sha)
        return self.eff[i] if i is not None else None


_LINES: dict[tuple[str, str, date], Line] = {}


def effective_days(days: list[date], today: date) -> tuple[list[date], list[tuple[int, str]]]:
    """The effective day of each commit of a first-parent line (oldest first), and the clock
    flags as (index, kind).  See the module docstring."""
    eff: list[date] = []
    flags: list[tuple[int, str]] = []
    prev: date | None = None
    for i, d in enumerate(days):
        e = d
        if d > today + FUTURE_SLACK:
            flags.append((i, "future"))
            e = prev if prev is not None else today
        elif prev is not None and d < prev - BEFORE_PARENT_SLACK:
            flags.append((i, "before_parent"))
        if prev is not None and e < prev:
            e = prev
        eff.append(e)
        prev = e
    return eff, flags


def first_parent_line(ws: Workspace, rev: str = "HEAD", today: date | None = None) -> Line:
    """The first-parent line of `rev` with effective days: one `git log` without diffs (about
    0.2 s at 50,000 commits), kept in memory per tip."""
    today = today or date.today()
    if rev == "HEAD":  # read from the ref files: no process (every as-of query starts here)
        tip = ws.git.head_fast() or ""
    else:
        tip = ws.git.run("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False).strip()
    if not tip:
        return Line()
    key = (str(ws.root), tip, today)
    with _LOCK:
        hit = _LINES.get(key)
    if hit is not None:
        return hit
    out = ws.git.run("log", "--first-parent", "--reverse", "--format=%H %cI", tip)
    shas, days = [], []
    seen: dict[str, date] = {}
    for ln in out.split("\n"):
        if not ln:
            continue
        sha, _, iso = ln.partition(" ")
        shas.append(sha)
        d = seen.get(iso[:10])
        if d is None:
            d = seen[iso[:10]] = local_day(iso)
        days.append(d)
    eff, raw_flags = effective_days(days, today)
    meta: dict[str, tuple[str, str]] = {}
    if raw_flags:  # author and subject only of the few commits flagged
        wanted = [shas[i] for i, _ in raw_flags]
        for k in range(0, len(wanted), 500):
            part = wanted[k:k + 500]
            for ln in ws.git.run("log", "--no-walk=unsorted", f"--format=%H{_SEP}%an{_SEP}%s", *part).split("\n"):
                if ln:
                    sha, an, subject = (ln.split(_SEP, 2) + ["", ""])[:3]
                    meta[sha] = (an, subject)
    flags = [ClockFlag(shas[i], kind, days[i], days[i - 1] if i else None, eff[i], *meta.get(shas[i], ("", "")))
             for i, kind in raw_flags]
    line = Line(shas=shas, days=days, eff=eff, flags=flags, pos={s: i for i, s in enumerate(shas)})
    with _LOCK:
        if len(_LINES) > 8:
            _LINES.clear()
        _LINES[key] = line
    return line


def bulletin_pins(ws: Workspace) -> list[tuple[date, str]]:
    """(day, commit) of every bulletin tag (bulletin/YYYY-MM-DD), ascending by day."""
    out = ws.git.run("for-each-ref", "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)",
                     "refs/tags/bulletin/", check=False)
    pins = []
    for ln in out.splitlines():
        parts = ln.split("\t")
        if len(parts) < 2:
            continue
        try:
            day = date.fromisoformat(parts[0][len("bulletin/"):])
        except ValueError:
            continue
        if day > date.today():  # a bulletin dated ahead was issued before its day: it fixes nothing
            continue
        pins.append((day, parts[2] if len(parts) > 2 and parts[2] else parts[1]))
    return sorted(pins)


def index_at(ws: Workspace, line: Line, when: date) -> int:
    """How many commits of `line` make up the board at the end of `when`: the effective-day
    prefix, cut at the commit of the first bulletin issued for `when` or later."""
    n = line.index_at(when)
    for day, sha in bulletin_pins(ws):
        if day >= when:
            i = line.pos.get(sha)
            if i is not None:
                n = min(n, i + 1)
            break
    return n


def commit_at(ws: Workspace, when: date, rev: str = "HEAD") -> str | None:
    """The commit the board of the end of `when` is read from (see the module docstring), or None."""
    if ws.git.head_fast() is None:
        return None
    line = first_parent_line(ws, rev)
    n = index_at(ws, line, when)
    return line.shas[n - 1] if n else None


def clock_flags(ws: Workspace, rev: str = "HEAD") -> list[ClockFlag]:
    """Commits of the first-parent line dated in the future or far before their parent."""
    if ws.git.head_fast() is None:
        return []
    return list(first_parent_line(ws, rev).flags)


# parsed objects by (blob id, kind, year, categories): time travel back and forth parses each
# version once per process.  Bounded so a long TUI session does not grow without limit.  Behind
# it, tracker.cache.BlobStore keeps them between runs (`.git/tracker/parsed.sqlite`): a version
# parsed once, by any command, is never parsed again.
_PARSED: dict[tuple, tuple[Any, list[Problem], bool]] = {}
_PARSED_MAX = 200_000
_LOCK = threading.Lock()
_CATS: dict[tuple[str, ...], str] = {}
_STORE: list = []  # the blob store last opened by load_tree (results are a function of the key: any store answers)


def _store_key(sha: str, rel: str, kind: str, year: int, cats: tuple[str, ...]) -> str:
    h = _CATS.get(cats)
    if h is None:
        import hashlib

        h = _CATS[cats] = hashlib.sha1(repr(tuple(cats)).encode("utf-8")).hexdigest()[:16]
    return f"{sha} {kind} {year} {h} {rel}"


def _encode_result(result: tuple) -> tuple:
    from . import cache

    obj, probs, conflicted = result
    return (None if obj is None else cache.encode(obj), cache.encode(list(probs))[1], bool(conflicted))


def _decode_result(rec: Any) -> tuple | None:
    from . import cache

    try:
        enc, probs, conflicted = rec
        return (None if enc is None else cache.decode(enc), cache.decode(("P", probs)) if probs else [], bool(conflicted))
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def _remember(key: tuple, result: tuple) -> None:
    with _LOCK:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = result


def _parse_blob(raw: bytes, rel: str, kind: str, year: int, cats: tuple[str, ...], sha: str, store=None,
                asked: bool = False):
    """(object, problems, conflicted) of one version: from this process's memory, else the blob
    store, else parsed (and kept in both).  `asked`: the store is known not to hold it."""
    key = (sha, rel, kind, year, cats)
    with _LOCK:
        hit = _PARSED.get(key)
    if hit is not None:
        return hit
    if store is None and _STORE:
        store = _STORE[0]
    skey = _store_key(sha, rel, kind, year, cats) if store is not None else ""
    if store is not None and not asked:
        rec = store.get_many("parsed", [skey]).get(skey)
        hit = _decode_result(rec) if rec is not None else None
        if hit is not None:
            _remember(key, hit)
            return hit
    conflicted = False
    try:
        text = decode(raw, rel)
        data = fast_load(text, rel)
    except YamlError as exc:
        result = (None, [error_problem(exc)], False)
    else:
        if kind == "task":
            obj, probs = check_task(data, rel, text, year, cats)
        else:
            obj, probs = check_target(data, rel, text, year)
        conflicted = bool(isinstance(data, dict) and data.get("conflicts"))
        result = (obj, probs, conflicted)
    _remember(key, result)
    if store is not None:
        try:
            store.put("parsed", skey, _encode_result(result))
        except (TypeError, ValueError):
            pass
    return result


def _from_store(ws, wanted: list[tuple[str, str, str]], year: int, cats: tuple[str, ...]) -> dict[str, tuple]:
    """rel -> (object, problems, conflicted) of each (rel, blob, kind) this process or the blob
    store has parsed before."""
    from . import cache

    out: dict[str, tuple] = {}
    ask: dict[str, tuple[str, tuple]] = {}
    with _LOCK:
        for rel, sha, kind in wanted:
            key = (sha, rel, kind, year, cats)
            hit = _PARSED.get(key)
            if hit is not None:
                out[rel] = hit
            else:
                ask[_store_key(sha, rel, kind, year, cats)] = (rel, key)
    if not ask:
        return out
    store = cache.blob_store(ws)
    _STORE[:] = [store]
    for skey, rec in store.get_many("parsed", list(ask)).items():
        hit = _decode_result(rec)
        if hit is not None:
            rel, key = ask[skey]
            out[rel] = hit
            _remember(key, hit)
    return out


def prefetch(ws, wanted: list[tuple[str, str, str]], cats: tuple[str, ...]) -> None:
    """Bring the parses of many (path, blob, kind) from the blob store into this process at once
    (one query, not one per `_parse_blob` call): a bulletin's window reads both sides of every
    changed file."""
    _from_store(ws, wanted, ws.year, cats)


def _flush_stores() -> None:
    for store in list(_STORE):
        try:
            store.flush()
        except Exception:  # noqa: BLE001 - an optimisation only, at exit
            pass


import atexit  # noqa: E402

atexit.register(_flush_stores)


def tree_files(ws: Workspace, rev: str) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob id) of every file under the plan folder at `rev`."""
    out = ws.git.run("ls-tree", "-r", "-z", "--full-tree", rev, "--", ws.plan_rel + "/")
    files: dict[str, tuple[str, str]] = {}
    for rec in out.split("\0"):
        if not rec:
            continue
        meta, _, path = rec.partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob":
            files[path] = (mode, sha)
    return files


def _cached(pc, rel: str, sha: str):
    """(object or None, problems) from the work tree's parse cache when it holds this very blob."""
    if pc is None:
        return None
    try:
        hit = pc.by_blob(rel, sha)
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        return None
    if hit is None:
        return None
    return (None, hit) if isinstance(hit, list) else (hit, [])


def load_tree(ws: Workspace, files: dict[str, tuple[str, str]], blobs: dict[str, bytes] | None = None,
              pc=None) -> PlanData:
    """A PlanData from a {path: (mode, blob)} listing, with the checks `Workspace.load` makes.

    `pc` (Workspace.open_cache()) supplies files whose version is the one the work tree's parse
    cache holds, so a past date costs a parse only for the files that changed since."""
    plan_path = f"{ws.plan_rel}/plan.yaml"
    hits: dict[str, tuple] = {}
    if pc is not None:
        for rel, (mode, sha) in files.items():
            if rel != plan_path and mode != "120000":
                h = _cached(pc, rel, sha)
                if h is not None:
                    hits[rel] = h
    info_blob = files.get(plan_path)
    if blobs is None:
        blobs = {}
        if info_blob is not None:
            blobs = ws.git.blobs([info_blob[1]])
    else:
        blobs = dict(blobs)
    info: PlanInfo | None = None
    problems: list[Problem] = []
    if plan_path in files and files[plan_path][1] in blobs:
        try:
            text = decode(blobs[files[plan_path][1]], plan_path)
            info, problems = check_plan(fast_load(text, plan_path), plan_path, text)
        except YamlError as exc:
            problems = [error_problem(exc)]
    else:
        problems = [problem(plan_path, None, None, "", "plan_missing")]
    cats = info.categories if info else ()
    data = PlanData(info=info, tasks=[], targets=[], problems=list(problems), root=ws.root)
    task_prefix, target_prefix = f"{ws.plan_rel}/tasks/", f"{ws.plan_rel}/targets/"
    kinds: dict[str, str] = {}
    for rel, (mode, sha) in files.items():
        name = rel.rsplit("/", 1)[-1]
        if not name.endswith(".yaml") or name.startswith(".") or mode == "120000" or rel in hits:
            continue
        if rel.startswith(task_prefix):
            kinds[rel] = "task"
        elif rel.startswith(target_prefix) and "/" not in rel[len(target_prefix):]:
            kinds[rel] = "target"
    stored = _from_store(ws, [(rel, files[rel][1], k) for rel, k in kinds.items()], ws.year, cats)
    missing = [files[rel][1] for rel in kinds if rel not in stored and files[rel][1] not in blobs]
    if missing:
        blobs.update(ws.git.blobs(missing))
    store = _STORE[0] if _STORE else None
    seen: dict[int, str] = {}
    dup: set[int] = set()
    tseen: set[int] = set()
    for rel in sorted(files):
        mode, sha = files[rel]
        name = rel.rsplit("/", 1)[-1]
        if not name.endswith(".yaml") or name.startswith("."):
            continue
        if rel.startswith(task_prefix):
            kind = "task"
        elif rel.startswith(target_prefix) and "/" not in rel[len(target_prefix):]:
            kind = "target"
        else:
            continue
        if mode == "120000":
            data.problems.append(problem(rel, None, None, "", "symlink"))
            continue
        if rel in hits:
            obj, probs = hits[rel]
            conflicted = False
        elif rel in stored:
            obj, probs, conflicted = stored[rel]
        else:
            raw = blobs.get(sha)
            if raw is None:
                data.problems.append(problem(rel, None, None, "", "blob_missing", sha=sha[:7]))
                continue
            obj, probs, conflicted = _parse_blob(raw, rel, kind, ws.year, cats, sha, store, asked=rel in kinds)
        data.digests[rel] = sha
        data.problems += probs
        if obj is None:
            continue
        if kind == "task":
            m = _TASK_NAME.match(name)
            if not m or int(m.group(1)) != obj.number:
                data.problems.append(problem(rel, 1, 1, "number", "file_name", name=name, number=obj.number, expected=f"{obj.number:02d}.yaml"))
                continue
            if obj.number in seen:
                dup.add(obj.number)
                data.problems.append(problem(rel, 1, 1, "number", "number_also", number=obj.number, other=seen[obj.number]))
                continue
            seen[obj.number] = rel
            data.tasks.append(obj)
            if conflicted:
                data.conflicted[rel] = [True]
        else:
            if obj.number in tseen:
                data.problems.append(problem(rel, 1, 1, "number", "target_twice", number=obj.number))
                continue
            tseen.add(obj.number)
            data.targets.append(obj)
    if dup:
        for t in [t for t in data.tasks if t.number in dup]:
            data.problems.append(problem(t.path, 1, 1, "number", "number_clash", number=t.number))
        data.tasks = [t for t in data.tasks if t.number not in dup]
    data.tasks.sort(key=lambda t: t.number)
    data.targets.sort(key=lambda t: t.number)
    if store is not None:
        store.flush()
    return data


def load_rev(ws: Workspace, rev: str, pc=None) -> PlanData:
    return load_tree(ws, tree_files(ws, rev), pc=pc)


def load_as_of(ws: Workspace, when: date) -> PlanData:
    """The whole plan as committed at the end of `when` (see the module docstring).

    Before the first commit the plan had no tasks: an empty PlanData whose `info` is today's
    plan.yaml, so that titles and settings can still be shown."""
    sha = commit_at(ws, when)
    if sha is None:
        info, problems = ws.load_info()
        return PlanData(info=info, tasks=[], targets=[], problems=[], root=ws.root)
    files = tree_files(ws, sha)
    pc = None
    plan_path = f"{ws.plan_rel}/plan.yaml"
    try:
        if plan_path in files and ws.git.ls_files_stage(plan_path).get(plan_path) == files[plan_path][1]:
            pc = ws.open_cache()  # same plan.yaml (categories) as the work tree: its parses apply
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        pc = None
    data = load_tree(ws, files, pc=pc)
    if data.info is None:  # plan.yaml broken or absent then: fall back on today's for labels
        info, _ = ws.load_info()
        data.info = info
    return data


# -- the history of the plan folder, replayed -------------------------------------------------

@dataclass(frozen=True)
class TimelineCommit:
    sha: str
    timestamp: int
    day: date  # committer's local date
    author: str
    author_date: str  # ISO 8601 with offset
    files: tuple[tuple[str, str | None], ...]  # (path, new blob id or None when deleted)


Touch = LastChange  # the last commit that touched a path: one type, tracker.touchindex.LastChange


@dataclass
class Timeline:
    """Every first-parent commit that touched the plan folder, oldest first, placed on the
    first-parent line (`line`) so that days are read with the one as-of rule (module docstring)."""

    commits: list[TimelineCommit] = field(default_factory=list)
    head: str | None = None
    line: Line | None = None
    pins: list[tuple[date, str]] = field(default_factory=list)
    _tpos: list[int] | None = None

    def _positions(self) -> list[int]:
        if self._tpos is None:
            pos = self.line.pos if self.line is not None else {}
            self._tpos = [pos.get(c.sha, -1) for c in self.commits]
        return self._tpos

    def index_at(self, when: date) -> int:
        """How many commits (a prefix) make up the state at the end of `when`."""
        import bisect

        if self.line is None or not self.line.shas:
            n = 0
            while n < len(self.commits) and self.commits[n].day <= when:
                n += 1
            return n
        limit = self.line.index_at(when)
        for day, sha in self.pins:
            if day >= when:
                i = self.line.pos.get(sha)
                if i is not None:
                    limit = min(limit, i + 1)
                break
        return bisect.bisect_left(self._positions(), limit)

    def effective(self, c: TimelineCommit) -> date:
        e = self.line.effective(c.sha) if self.line is not None else None
        return e if e is not None else c.day

    def touch(self, c: TimelineCommit) -> Touch:
        """The touch of commit `c`, its date the author date unless that is after the day the
        commit counts from (a fast clock): then that day, so that nothing looks fresh forever."""
        eff = self.effective(c)
        when = c.author_date
        if local_day(when) > eff:
            when = f"{eff.isoformat()}T00:00:00+00:00"
        return Touch(c.sha, c.author, when, c.timestamp)

    def replay(self, days: Iterable[date]) -> Iterable[tuple[date, dict[str, str], dict[str, Touch]]]:
        """For each day (ascending): (day, path -> blob id, path -> last touch) at its end.

        The commits of each day are the prefix `index_at(day)` (the one as-of rule: effective
        days along the first-parent line, cut at a bulletin's commit)."""
        state: dict[str, str] = {}
        touched: dict[str, Touch] = {}
        i = 0
        for day in days:
            n = self.index_at(day)
            while i < n:
                c = self.commits[i]
                t = self.touch(c)
                for path, blob in c.files:
                    if blob is None:
                        state.pop(path, None)
                        touched.pop(path, None)
                    else:
                        state[path] = blob
                        touched[path] = t
                i += 1
            yield day, state, touched

    def last_changes_at(self, when: date) -> dict[str, Touch]:
        for _, _, touched in self.replay([when]):
            return dict(touched)
        return {}


_TIMELINES: dict[tuple[str, str, str], Timeline] = {}


def timeline(ws: Workspace) -> Timeline:
    """The plan folder's first-parent history: the first-parent line of HEAD (one `git log`
    without diffs, tracker.asof.first_parent_line) and what each of its commits changed, read
    from the history index (tracker.touchindex, built when missing and brought to HEAD first, so
    a rewritten history is never answered from before).  Kept in memory per HEAD."""
    from . import touchindex

    head = ws.git.head_fast()
    if head is None:
        return Timeline()
    key = (str(ws.root), head, ws.plan_rel)
    with _LOCK:
        hit = _TIMELINES.get(key)
    if hit is not None:
        return _placed(ws, hit)
    line = first_parent_line(ws, head)
    pos = line.pos
    by_sha: dict[str, list] = {}
    for sha, ct, ci, an, ai, path, status, new in touchindex.line_changes(ws):
        if sha not in pos:
            continue  # not on the first-parent line (a merged side branch)
        rec = by_sha.get(sha)
        if rec is None:
            rec = by_sha[sha] = [ct, ci, an, ai, []]
        rec[4].append((path, None if status.startswith("D") or new == touchindex.ZERO else new))
    commits: list[TimelineCommit] = []
    days: dict[str, date] = {}
    for sha in line.shas:
        rec = by_sha.get(sha)
        if rec is None:
            continue  # changed no plan file
        ci = rec[1][:10]
        day = days.get(ci)
        if day is None:
            day = days[ci] = date.fromisoformat(ci)
        commits.append(TimelineCommit(sha, rec[0], day, rec[2], rec[3], tuple(rec[4])))
    tl = Timeline(commits=commits, head=head)
    with _LOCK:
        if len(_TIMELINES) > 8:
            _TIMELINES.clear()
        _TIMELINES[key] = tl
    return _placed(ws, tl)


def _placed(ws: Workspace, tl: Timeline) -> Timeline:
    """`tl` with the first-parent line and the bulletin tags of now (tags move without HEAD)."""
    return Timeline(commits=tl.commits, head=tl.head, line=first_parent_line(ws, tl.head or "HEAD"),
                    pins=bulletin_pins(ws))


def last_changes_as_of(ws: Workspace, when: date) -> dict[str, Touch]:
    """path -> the last commit (first-parent line) that touched it, as of the end of `when`.  In a
    linear history one query on the history index (the newest touch of each path up to the
    day's commit), else a replay of the timeline; the same clock rule either way."""
    from . import touchindex

    head = ws.git.head_fast()
    if head is None:
        return {}
    line = first_parent_line(ws, head)
    part = touchindex.on_line(ws, line.shas[:index_at(ws, line, when)])
    if part is None:
        return timeline(ws).last_changes_at(when)
    out: dict[str, Touch] = {}
    for path, status, sha, author, adate, cts in part["last"]:
        if status.startswith("D"):
            continue
        out[path] = clamped(line, sha, author, adate, cts)
    return out


def clamped(line: Line, sha: str, author: str, author_date: str, cts: int) -> Touch:
    """The touch of a commit, dated by its author date unless that is after the day the commit
    counts from (a fast clock): then that day (Timeline.touch, without a Timeline)."""
    eff = line.effective(sha)
    if eff is not None and local_day(author_date) > eff:
        author_date = f"{eff.isoformat()}T00:00:00+00:00"
    return Touch(sha, author, author_date, cts)
