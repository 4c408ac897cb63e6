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
import threading
import time
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from .model import TASK_TABLE, Actual, Indicator, Measure, Target, Task
from .schema import Problem

CACHE_VERSION = 5  # 2: an actual carries its assessment; 3: a task record in the field table's order; 4: the cycle's fields;
#                   5: a problem carries its book key and arguments (7 values)
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
        return ("P", tuple((p.path, p.line, p.col, p.field, str(p.message), p.key, dict(p.args)) for p in obj))
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
        out = []
        for p in rec[1]:
            if len(p) != 7 or not isinstance(p[6], dict):
                raise ValueError("problem record of another layout")  # an old cache: parsed again
            out.append(Problem(*p))
        return out
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


# -- parsed versions by blob id (past versions: as-of boards, windows, the burn-up) -----------
class BlobStore:
    """What a version of a plan file parses to, keyed by its blob id, kept between runs in
    `.git/tracker/parsed.sqlite` (the work tree's cache above answers only for the version on
    disk; an as-of board, a bulletin's window and the burn-up read past versions).

    A blob id names the bytes, so a result recorded for (blob, path, kind, year, categories) is
    the result for ever: nothing here can be stale, only missing.  Two tables: `parsed` holds
    the validated object and its problems (tracker.asof.load_tree), `mini` the three fields the
    burn-up reads (tracker.analytics._mini).  The file is stamped with CACHE_VERSION and the code
    that produces the results (_CODE plus analytics.py); another stamp empties it.  Values are
    `marshal` data of plain tuples (the encoding above), never pickle: a planted file can at
    worst be wrong, not run code.  Any error (locked, damaged, read-only `.git`) makes it answer
    nothing and keep nothing: it is an optimisation only.  Thread-safe (TUI workers share it)."""

    MAX_ROWS = 400_000  # a store past this is emptied (about 200 MB): it refills with what is asked

    def __init__(self, path: Path | None):
        import sqlite3

        self._sqlite = sqlite3
        self.lock = threading.Lock()
        self.con = None
        self.pending: dict[str, list[tuple[str, bytes]]] = {"parsed": [], "mini": []}
        if path is None:
            return
        stamp = repr((CACHE_VERSION, code_stamp(), _file_stamp("analytics.py")))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
            con.executescript(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS parsed (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
                "CREATE TABLE IF NOT EXISTS mini (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;")
            row = con.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            if row is None or row[0] != stamp:
                con.execute("BEGIN IMMEDIATE")
                con.execute("DELETE FROM parsed")
                con.execute("DELETE FROM mini")
                con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('stamp', ?)", (stamp,))
                con.execute("COMMIT")
            self.con = con
        except (sqlite3.Error, OSError) as exc:
            try:
                con.close()  # type: ignore[possibly-undefined]
            except Exception:  # noqa: BLE001 - not opened at all
                pass
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                for suffix in ("", "-journal", "-wal", "-shm"):  # not a database (damaged): made again next time
                    try:
                        os.unlink(f"{path}{suffix}")
                    except OSError:
                        pass
            self.con = None

    def get_many(self, table: str, keys: list[str]) -> dict[str, Any]:
        """key -> the unmarshalled value of each key the store holds."""
        out: dict[str, Any] = {}
        if self.con is None or not keys:
            return out
        with self.lock:
            try:
                for i in range(0, len(keys), 900):
                    part = keys[i:i + 900]
                    for k, v in self.con.execute(
                            f"SELECT k, v FROM {table} WHERE k IN ({','.join('?' * len(part))})", part):
                        try:
                            out[k] = marshal.loads(v)
                        except (EOFError, ValueError, TypeError):
                            pass
            except self._sqlite.Error:
                return {}
        return out

    def put(self, table: str, key: str, value: Any) -> None:
        """Remember `value` (plain tuples) under `key`; written by flush()."""
        if self.con is None:
            return
        try:
            data = marshal.dumps(value)
        except ValueError:
            return
        with self.lock:
            self.pending[table].append((key, data))

    def flush(self) -> None:
        """Write what put() gathered, in one transaction (nothing when the store is busy)."""
        if self.con is None:
            return
        with self.lock:
            todo = {t: rows for t, rows in self.pending.items() if rows}
            self.pending = {"parsed": [], "mini": []}
            if not todo:
                return
            con = self.con
            try:
                con.execute("BEGIN IMMEDIATE")
                for table, rows in todo.items():
                    con.executemany(f"INSERT OR REPLACE INTO {table} (k, v) VALUES (?, ?)", rows)
                n = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("parsed", "mini"))
                if n > self.MAX_ROWS:
                    con.execute("DELETE FROM parsed")
                    con.execute("DELETE FROM mini")
                con.execute("COMMIT")
            except self._sqlite.Error:
                try:
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                except self._sqlite.Error:
                    pass


def _file_stamp(name: str) -> tuple:
    try:
        st = os.stat(Path(__file__).parent / name)
        return (name, st.st_size, st.st_mtime_ns)
    except OSError:
        return (name, 0, 0)


_STORES: dict[str, BlobStore] = {}
_STORES_LOCK = threading.Lock()


def blob_store(ws) -> BlobStore:
    """The BlobStore of `ws`'s repository, one per process (a store that answers nothing when
    TRACKER_NO_CACHE is set or `.git/tracker` cannot be used)."""
    try:
        path = None if disabled() else ws.state_dir / "parsed.sqlite"
    except OSError:
        path = None
    key = str(path)
    with _STORES_LOCK:
        st = _STORES.get(key)
        if st is None:
            st = _STORES[key] = BlobStore(path)
        return st
