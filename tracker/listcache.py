"""`tracker list --format json` when no plan file changed since the last run: the last answer again.

The parse cache (tracker/cache.py) saves parsing; at 10,000 tasks what is left is building
10,000 objects and encoding them (~0.5 s).  This keeps the encoded JSON of each task from the last
full load, with the stat of every file in the plan folder.  When every stat (inode, size, mtime,
ctime) and the set of file names are the same, the output is the stored pieces joined, with each
task's light and expected progress computed for today.  Any difference - a hand edit, a save, a
new or removed file, a change to plan.yaml, newer code - means a full load, which stores a fresh
answer.  Nothing is stored while a file has problems (the full path must list them) or while a
file is younger than the racy window (a second edit within the timestamp resolution).
Kept in `.git/tracker/` like the parse cache: never committed.

The file is the sizes of its first two parts, then three marshal objects: (context, stat
snapshot, day key), the whole answer for that day, the pieces.  The day key is the date and the
thresholds' repr: a second run on the same day reads the answer and stops (the pieces, ~10,000
tuples, are never unmarshalled); the first run of a new day computes the lights from the pieces
(once per distinct status/progress/due/start) and keeps that day's answer.
"""
from __future__ import annotations

import json
import marshal
import os
import struct
import time
from datetime import date

from .cache import RACY_NS, code_stamp

VERSION = 4  # 3: the day's whole answer kept before the pieces; 4: their sizes first
_FILE = "list-json"
_SIZES = struct.Struct("<QQ")  # the sizes of the first two parts: marshal.load of a stream is slow (~250 ms here)


def snapshot(ws) -> tuple | None:
    """(name, inode, size, mtime, ctime) of plan.yaml and every entry of tasks/ and targets/."""
    out = []
    try:
        st = os.stat(ws.plan_dir / "plan.yaml", follow_symlinks=False)
        out.append(("plan.yaml", st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        for sub in ("tasks", "targets"):
            with os.scandir(ws.plan_dir / sub) as it:
                for e in it:
                    st = e.stat(follow_symlinks=False)
                    out.append((f"{sub}/{e.name}", st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        return None
    out.sort()
    return tuple(out)


def _path(ws):
    return ws.state_dir / _FILE


def _context(ws) -> tuple:
    return (VERSION, code_stamp(), str(ws.root), ws.year)


def day_key(on: date, th) -> tuple:
    """What a task's light and expected progress depend on besides the task: the day, the thresholds."""
    return (on.toordinal(), repr(th))


def answer(ws, on: date, th, snap: tuple | None) -> str | None:
    """The JSON text for today when nothing changed since `snap` was stored, else None."""
    if os.environ.get("TRACKER_NO_CACHE") or snap is None:
        return None
    key = day_key(on, th)
    try:
        with open(_path(ws), "rb") as fh:
            head_len, text_len = _SIZES.unpack(fh.read(_SIZES.size))
            if _SIZES.size + head_len + text_len > os.fstat(fh.fileno()).st_size:
                return None  # not this format (an older tracker's file) or cut short
            ctx, stored_snap, day = marshal.loads(fh.read(head_len))
            if ctx != _context(ws) or stored_snap != snap:
                return None
            if day == key:
                text = marshal.loads(fh.read(text_len))
                if isinstance(text, str):
                    return text  # the same day: the answer as it was written
            fh.seek(_SIZES.size + head_len + text_len)
            rows = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None
    from .schedule import expected_progress, light

    parts, tails = [], {}
    try:
        for frag, status, progress, due, start in rows:
            tail = tails.get((status, progress, due, start))
            if tail is None:
                t = _Stub(status, progress, date.fromordinal(due), date.fromordinal(start) if start else None)
                tail = tails[(status, progress, due, start)] = f',"light":"{light(t, th, on)}","expected":{expected_progress(t, th, on)}}}'
            parts.append(frag + tail)
    except (TypeError, ValueError):
        return None
    text = "[" + ",".join(parts) + "]"
    _write(ws, snap, rows, key, text)  # the day's answer, for the next run today
    return text


#: json.dumps(..., ensure_ascii=False, separators=(",", ":")) made once: the same bytes without a new
#: encoder a task, and without the circular-reference bookkeeping (as_json is a tree of fresh values)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def render(tasks, lights: dict[int, str], expected: dict[int, int]) -> tuple[str, list[tuple]]:
    """The compact JSON text of `tasks` and the pieces `store` keeps (same bytes as json.dumps)."""
    rows, parts = [], []
    encode = _ENCODE
    for t in tasks:
        frag = encode(t.as_json())[:-1]
        rows.append((frag, t.status, t.progress, t.due.toordinal(), t.start.toordinal() if t.start else None))
        parts.append(f'{frag},"light":"{lights[t.number]}","expected":{expected[t.number]}}}')
    return "[" + ",".join(parts) + "]", rows


def store(ws, snap: tuple | None, rows: list[tuple], text: str | None = None, day: tuple | None = None) -> None:
    """Keep the pieces of a full load (and its whole `text`, the answer on `day`) for the next run."""
    if snap is None or os.environ.get("TRACKER_NO_CACHE"):
        return
    now = time.time_ns()
    if any(now - max(s[3], s[4]) < RACY_NS for s in snap):
        return  # a file changed just now: its stat cannot vouch for its content yet
    _write(ws, snap, tuple(rows), day if text is not None else None, text if text is not None else "")


def _write(ws, snap: tuple, rows: tuple | list, day: tuple | None, text: str) -> None:
    path = _path(ws)
    tmp = path.with_name(f".{_FILE}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:  # one part's bytes at a time (a cold list's peak memory), the sizes last
            fh.write(_SIZES.pack(0, 0))
            head_len = fh.write(marshal.dumps((_context(ws), snap, day)))
            text_len = fh.write(marshal.dumps(text))
            fh.write(marshal.dumps(tuple(rows)))
            fh.seek(0)
            fh.write(_SIZES.pack(head_len, text_len))
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            tmp.unlink()
        except OSError:
            pass


class _Stub:
    """What schedule.light / expected_progress read of a task."""

    __slots__ = ("status", "progress", "due", "start")

    def __init__(self, status: str, progress: int, due: date, start: date | None = None):
        self.status, self.progress, self.due, self.start = status, progress, due, start
