"""Parsed plan files kept between runs, so that a start with nothing changed parses nothing.

The cache lives in `.git/tracker/cache` (inside the git directory: never in the work tree, never
committed, never pushed).  For every plan file it keeps

    path -> (inode, size, mtime_ns, ctime_ns, blob id, parsed result)

where the blob id is the one git gives the file's bytes and the parsed result is the validated
object (or the list of problems) that bytes produced.  A file is not read at all when its stat
still matches; otherwise it is read and hashed, and parsed only when its blob id changed.

A hand edit is never hidden: any write to a file changes its ctime (which no user tool can set
back), and an atomic save (rename) changes its inode.  A stat recorded less than RACY_NS after
the file last changed is not trusted (git's "racily clean" rule), so a second edit within the
timestamp resolution is still seen.  The cache is versioned and also keyed by the plan's year and
categories and the code that validates (a change to schema.py drops it); a missing, corrupt or
foreign cache is ignored and rebuilt.  It is `marshal` data of plain tuples, never pickle, so a
tampered cache can at worst be wrong about a file - and it is checked against the file's stat.
"""
from __future__ import annotations

import marshal
import os
import time
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from .model import TASK_TABLE, Actual, Indicator, Measure, Target, Task
from .schema import Problem

CACHE_VERSION = 4  # 2: an actual carries its assessment; 3: a task record in the field table's order; 4: the cycle's fields
RACY_NS = 2_000_000_000  # a stat younger than this (vs. the file's mtime/ctime) is re-checked next time
_CODE = ("schema.py", "model.py", "cache.py", "yamlio.py", "yamlloader.py", "yamlsimple.py")


def code_stamp() -> tuple:
    """Size and mtime of the modules whose output is cached: edited code never meets old results."""
    here = Path(__file__).parent
    out = []
    for name in _CODE:
        try:
            st = os.stat(here / name)
            out.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((name, 0, 0))
    return tuple(out)


# -- encoding: plain tuples for marshal -------------------------------------------------------
_dates: dict[int, date] = {}


def _d(ordinal: int | None) -> date | None:
    if ordinal is None:
        return None
    v = _dates.get(ordinal)
    if v is None:
        v = _dates[ordinal] = date.fromordinal(ordinal)
    return v


def _o(d: date | None) -> int | None:
    return None if d is None else d.toordinal()


_new = object.__new__
_set = object.__setattr__
#: a task's record: ("T", year, path, then every field of tracker.model.TASK_TABLE in table order)
_TASK_KEYS = ("", "year", "path", *(f.name for f in TASK_TABLE))
_TASK_DATES = tuple(f.name for f in TASK_TABLE if f.kind == "date")


_task_values = attrgetter(*_TASK_KEYS[1:])  # every value of a task, in record order, at once
_TASK_DATE_AT = tuple(i for i, k in enumerate(_TASK_KEYS[1:]) if k in _TASK_DATES)
_TASK_TUPLE_AT = tuple(i for i, k in enumerate(_TASK_KEYS[1:]) if k in {f.name for f in TASK_TABLE if f.kind == "names"})
_TASK_MEASURES_AT = _TASK_KEYS[1:].index("measures")


def encode(obj: Any) -> tuple:
    if isinstance(obj, Task):
        v = list(_task_values(obj))
        for i in _TASK_DATE_AT:
            v[i] = _o(v[i])
        for i in _TASK_TUPLE_AT:
            v[i] = tuple(v[i])
        v[_TASK_MEASURES_AT] = tuple((m.number, m.text, m.status, _o(m.due)) for m in v[_TASK_MEASURES_AT])
        return ("T", *v)
    if isinstance(obj, Target):
        return ("G", obj.year, obj.number, obj.text, tuple(obj.units),
                tuple((i.name, i.comparator, i.value, i.min, i.max, i.unit,
                       tuple((a.period, a.value, a.note, a.assessment) for a in i.actuals)) for i in obj.indicators),
                obj.path)
    if isinstance(obj, list):  # problems
        return ("P", tuple((p.path, p.line, p.col, p.field, p.message) for p in obj))
    raise TypeError(type(obj))


def _measure(m: tuple) -> Measure:
    o = _new(Measure)
    _set(o, "__dict__", {"number": m[0], "text": m[1], "status": m[2], "due": _d(m[3])})
    return o


def decode(rec: tuple) -> Any:
    """Objects as the validator made them (built without re-running dataclass __init__)."""
    tag = rec[0]
    if tag == "T":
        if len(rec) != len(_TASK_KEYS):
            raise ValueError("task record of another layout")
        d = dict(zip(_TASK_KEYS, rec))
        del d[""]
        for k in _TASK_DATES:
            d[k] = _d(d[k])
        d["measures"] = tuple(map(_measure, d["measures"]))
        o = _new(Task)
        _set(o, "__dict__", d)
        return o
    if tag == "G":
        inds = tuple(Indicator(name=i[0], comparator=i[1], value=i[2], min=i[3], max=i[4], unit=i[5],
                               actuals=tuple(Actual(*a) for a in i[6])) for i in rec[5])
        return Target(year=rec[1], number=rec[2], text=rec[3], units=rec[4], indicators=inds, path=rec[6])
    if tag == "P":
        return [Problem(*p) for p in rec[1]]
    raise ValueError(tag)


# -- the cache file ---------------------------------------------------------------------------
class PlanCache:
    """One load's view of `.git/tracker/cache`; `save()` writes it back when anything changed."""

    def __init__(self, path: Path | None, context: tuple):
        self.path = path
        self.context = (CACHE_VERSION, context, code_stamp())
        self.old: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        self.dirty = False
        self.hits = self.reads = self.parses = 0
        if path is None:
            return
        try:
            with open(path, "rb") as fh:
                data = marshal.loads(fh.read())  # marshal.load(fh) reads in small pieces: 5x slower
            if (isinstance(data, tuple) and len(data) == 2 and data[0] == self.context
                    and isinstance(data[1], dict)):
                self.old = data[1]
        except (OSError, EOFError, ValueError, TypeError):
            self.old = {}  # missing, corrupt, foreign: only slower

    # stat fast path
    def by_stat(self, rel: str, st: os.stat_result) -> tuple[str, Any] | None:
        """(blob id, parsed result) when the file's stat is exactly the one recorded with them."""
        rec = self.old.get(rel)
        if rec is None or rec[0] is None or rec[2] is None:
            return None
        if rec[0] != (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns):
            return None
        try:
            obj = decode(rec[2])
        except (ValueError, TypeError, IndexError):
            return None
        self.new[rel] = rec
        self.hits += 1
        return rec[1], obj

    def peek_stat(self, rel: str, st: os.stat_result) -> bool:
        """Whether `by_stat` would answer for this file (nothing decoded)."""
        rec = self.old.get(rel)
        return (rec is not None and rec[0] is not None and rec[2] is not None
                and rec[0] == (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))

    def by_blob(self, rel: str, blob: str) -> Any:
        rec = self.old.get(rel)
        if rec is None or rec[1] != blob or rec[2] is None:
            return None
        try:
            return decode(rec[2])
        except (ValueError, TypeError, IndexError):
            return None

    def record(self, rel: str, st: os.stat_result | None, blob: str, result: Any) -> None:
        """Remember what `blob` (read with stat `st`) produced; None result = do not reuse (e.g. conflicts)."""
        key = None
        if st is not None:
            newest = max(st.st_mtime_ns, st.st_ctime_ns)
            if time.time_ns() - newest > RACY_NS:
                key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        payload = encode(result) if result is not None else None
        rec = (key, blob, payload)
        if self.old.get(rel) != rec:
            self.dirty = True
        self.new[rel] = rec

    def save(self) -> None:
        """Write the entries seen by this load (files gone since are dropped)."""
        if self.path is None:
            return
        if not self.dirty and self.new.keys() == self.old.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(marshal.dumps((self.context, self.new)))
            os.replace(tmp, self.path)
            self.old, self.dirty = dict(self.new), False
        except (OSError, ValueError):
            try:
                tmp.unlink()  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass


def cache_path(ws) -> Path:
    return ws.state_dir / "cache"


def disabled() -> bool:
    return bool(os.environ.get("TRACKER_NO_CACHE"))


def clear(ws) -> None:
    try:
        cache_path(ws).unlink()
    except FileNotFoundError:
        pass
