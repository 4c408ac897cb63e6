"""Every commit that touched each plan file, kept in `.git/tracker/touches-<year>.sqlite`, so that the first
history view of any task is a lookup instead of a path-limited `git log` over the whole history.

`git log -- FILE` costs 0.15-0.6 s in 50,000 commits even with changed-path Bloom filters (git still
visits every commit); the index answers in about a millisecond, then the blobs are read in one
`cat-file --batch`.  It holds no derived data, only what `git log --raw` says (commit, author,
date, subject; per file: status and old/new blob ids), so it can always be rebuilt and never
disagrees with git about content.

Building it walks the whole history once (about as long as `git log --raw -- plan/` itself: a few
seconds at 50,000 commits) in a background process: the TUI starts one at start, and a history
view that had to ask git and found it slow starts one too.  After that, `refresh()`
adds `last..HEAD` and, when history was rewritten (a sync that rebased local commits), drops the
commits of `HEAD..last`.  Commit ids grow as commits are added, oldest first, so a file's history,
newest first, is its rows by descending id: git's order for a linear history, which is what
tracker's rebase-based sync keeps.  A history with merge commits (plain `git merge`) is not
answered from the index: `git log -- FILE` simplifies history per file and orders by date there.  One SQLite transaction per refresh: a killed process
leaves the previous state.  A damaged file is deleted and treated as absent.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Iterable

from .gitstore import FileChange, GitError, LogEntry

VERSION = "2"
READER_WAIT = 0.5  # seconds a history view waits for the index before asking git
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commits (id INTEGER PRIMARY KEY, sha TEXT NOT NULL UNIQUE, parents TEXT NOT NULL,
    author TEXT NOT NULL, email TEXT NOT NULL, ts INTEGER NOT NULL, date TEXT NOT NULL, subject TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS touches (path TEXT NOT NULL, commit_id INTEGER NOT NULL, status TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL, PRIMARY KEY (path, commit_id)) WITHOUT ROWID;
"""


def slow_log_seconds() -> float:
    """A path-limited `git log` slower than this starts a background build (TRACKER_INDEX_AFTER)."""
    try:
        return float(os.environ.get("TRACKER_INDEX_AFTER", "0.05"))
    except ValueError:
        return 0.05


def build_in_background(ws) -> None:
    """`tracker index` in a detached process (for a CLI user whose first history views are slow
    because no index exists yet); a second build waits for the first, then finds it fresh."""
    import subprocess
    import sys

    try:
        subprocess.Popen([sys.executable, "-m", "tracker", "--repo", str(ws.root), "--plan", str(ws.year), "index"],
                         cwd=str(ws.root), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass


def index_path(ws) -> Path:
    return ws.state_dir / f"touches-{ws.year}.sqlite"


def _drop(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass


def _connect(ws, create: bool, wait: float = 60.0) -> sqlite3.Connection | None:
    """A connection, or None: no index (and not `create`), locked by a build, or damaged (then the
    file is removed, and made again when `create`)."""
    path = index_path(ws)
    if not create and not path.exists():
        return None
    for attempt in (1, 2):
        con = None
        try:
            con = sqlite3.connect(path, timeout=wait, isolation_level=None)
            if create:
                con.executescript(_SCHEMA)
            meta = dict(con.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError:  # locked, or its tables not made yet: not usable now
            if con is not None:
                con.close()
            return None
        except sqlite3.DatabaseError:  # not a database (damaged): start again
            if con is not None:
                con.close()
            _drop(path)
            if not create:
                return None
            continue
        if meta and (meta.get("v") != VERSION or meta.get("prefix") != ws.plan_rel):
            con.close()  # another version or plan folder
            _drop(path)
            if not create:
                return None
            continue
        return con
    return None


def _head_of(con: sqlite3.Connection) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
    return row[0] if row else None


def _add(con: sqlite3.Connection, entries: Iterable[LogEntry], prefix: str) -> int:
    """Append commits (oldest first) and their touches of files under `prefix`."""
    n = 0
    cur = con.cursor()
    for e in entries:
        cur.execute("INSERT OR IGNORE INTO commits (sha, parents, author, email, ts, date, subject) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (e.sha, " ".join(e.parents), e.author, e.email, e.timestamp,
                                                     e.date, e.subject))
        if cur.rowcount == 1:
            cid = cur.lastrowid
        else:  # already there (a commit seen again after a history rewrite)
            cid = cur.execute("SELECT id FROM commits WHERE sha = ?", (e.sha,)).fetchone()[0]
        cur.executemany("INSERT OR REPLACE INTO touches (path, commit_id, status, old, new) VALUES (?, ?, ?, ?, ?)",
                        [(f.path, cid, f.status, f.old, f.new) for f in e.files if f.path.startswith(prefix)])
        n += 1
    return n


def _has_merges(ws, rev: str) -> bool:
    return bool(ws.git.run("rev-list", "--merges", "-n1", rev).strip())


def refresh(ws, *, build: bool = False, wait: float = 60.0) -> bool:
    """Bring the index to HEAD.  Without `build`, an index that does not exist yet stays absent (the
    whole-history walk is the caller's choice).  True when the index now matches HEAD.  `wait`:
    seconds to wait for another process's build or refresh (a history view waits briefly, then
    asks git instead)."""
    head = ws.git.head_fast()
    if head is None:
        return False
    con = _connect(ws, create=build, wait=wait)
    if con is None:
        return False
    prefix = ws.plan_rel + "/"
    try:
        current = _head_of(con)
        if current == head:
            return True
        if current is None and not build:
            return False  # not built yet, or being built right now
        con.execute("BEGIN IMMEDIATE")  # one writer at a time; the others wait, then find it fresh
        try:
            old = _head_of(con)
            if old == head:
                con.execute("ROLLBACK")
                return True
            linear = dict(con.execute("SELECT key, value FROM meta")).get("linear")
            if old is not None and not ws.git.ok("cat-file", "-e", f"{old}^{{commit}}"):
                old = None  # a commit git no longer has: start again
            if old is not None and linear != "1" and not ws.git.ok("merge-base", "--is-ancestor", old, head):
                old = None  # history with merges was rewritten: their side commits are walked afresh
            if old is None:
                con.execute("DELETE FROM touches")
                con.execute("DELETE FROM commits")
                _add(con, ws.git.stream_log_changes([head], [prefix], reverse=True), prefix)
                linear = "0" if _has_merges(ws, head) else "1"
            else:
                if linear == "1" and _has_merges(ws, f"{old}..{head}"):
                    linear = "0"
                gone = [e.sha for e in ws.git.stream_log_changes([f"{head}..{old}"], [prefix])]
                for i in range(0, len(gone), 500):
                    part = gone[i:i + 500]
                    marks = ",".join("?" * len(part))
                    con.execute(f"DELETE FROM touches WHERE commit_id IN (SELECT id FROM commits WHERE sha IN ({marks}))", part)
                    con.execute(f"DELETE FROM commits WHERE sha IN ({marks})", part)
                _add(con, ws.git.stream_log_changes([f"{old}..{head}"], [prefix], reverse=True), prefix)
            con.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            [("v", VERSION), ("prefix", ws.plan_rel), ("head", head), ("linear", linear or "0")])
            con.execute("COMMIT")
            return True
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    except (sqlite3.Error, GitError, OSError):
        return False
    finally:
        con.close()


def log_for(ws, path: str) -> list[LogEntry] | None:
    """The commits that touched `path`, newest first, as `git log --raw -- PATH` lists them (each
    with only that file's change); None when there is no index for HEAD, another process holds it
    for longer than a moment, or the history has merge commits (then `git log -- PATH` simplifies
    the history per file, and orders by date, in ways a plan-wide walk does not reproduce: git is
    asked instead)."""
    if not refresh(ws, wait=READER_WAIT):
        return None
    con = _connect(ws, create=False, wait=READER_WAIT)
    if con is None:
        return None
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        if meta.get("linear") != "1" or meta.get("head") != ws.git.head_fast():
            return None  # merges, or a commit landed meanwhile
        rows = con.execute(
            "SELECT c.sha, c.parents, c.author, c.email, c.ts, c.date, c.subject, t.status, t.old, t.new "
            "FROM touches t JOIN commits c ON c.id = t.commit_id WHERE t.path = ? ORDER BY t.commit_id DESC",
            (path,)).fetchall()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return [LogEntry(sha=sha, parents=parents.split(), author=an, email=ae, timestamp=ts, date=ai, subject=subject,
                     files=[FileChange(old=old, new=new, status=status, path=path)])
            for sha, parents, an, ae, ts, ai, subject, status, old, new in rows]


def stats(ws) -> tuple[int, int]:
    """(commits, file changes) held by the index."""
    con = _connect(ws, create=False)
    if con is None:
        return 0, 0
    try:
        return (con.execute("SELECT count(*) FROM commits").fetchone()[0],
                con.execute("SELECT count(*) FROM touches").fetchone()[0])
    finally:
        con.close()
