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
"""
from __future__ import annotations

import json
import marshal
import os
import time
from datetime import date

from .cache import RACY_NS, code_stamp

VERSION = 2
_FILE = "list-json"


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


def answer(ws, on: date, th, snap: tuple | None) -> str | None:
    """The JSON text for today when nothing changed since `snap` was stored, else None."""
    if os.environ.get("TRACKER_NO_CACHE"):
        return None
    try:
        with open(_path(ws), "rb") as fh:
            stored = marshal.loads(fh.read())
        ctx, stored_snap, rows = stored
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if snap is None or ctx != _context(ws) or stored_snap != snap:
        return None
    from .schedule import expected_progress, light

    parts = []
    try:
        for frag, status, progress, due, start in rows:
            t = _Stub(status, progress, date.fromordinal(due), date.fromordinal(start) if start else None)
            parts.append(f'{frag},"light":"{light(t, th, on)}","expected":{expected_progress(t, th, on)}}}')
    except (TypeError, ValueError):
        return None
    return "[" + ",".join(parts) + "]"


def render(tasks, lights: dict[int, str], expected: dict[int, int]) -> tuple[str, list[tuple]]:
    """The compact JSON text of `tasks` and the pieces `store` keeps (same bytes as json.dumps)."""
    rows, parts = [], []
    for t in tasks:
        frag = json.dumps(t.as_json(), ensure_ascii=False, separators=(",", ":"))[:-1]
        rows.append((frag, t.status, t.progress, t.due.toordinal(), t.start.toordinal() if t.start else None))
        parts.append(f'{frag},"light":"{lights[t.number]}","expected":{expected[t.number]}}}')
    return "[" + ",".join(parts) + "]", rows


def store(ws, snap: tuple | None, rows: list[tuple]) -> None:
    if snap is None or os.environ.get("TRACKER_NO_CACHE"):
        return
    now = time.time_ns()
    if any(now - max(s[3], s[4]) < RACY_NS for s in snap):
        return  # a file changed just now: its stat cannot vouch for its content yet
    path = _path(ws)
    tmp = path.with_name(f".{_FILE}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps((_context(ws), snap, tuple(rows))))
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
