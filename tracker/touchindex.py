"""The one stored view of the plan's history: every commit that touched a plan file, with what it
changed, kept in `.git/tracker/touches-<year>.sqlite`.  Every history question is a query here:
a task's log (`log_for`, `tracker log`, the TUI history), the last change of every file now
(`last_changes`) and on a past day (`tracker.asof.timeline` reads its commits from here), the
commits of a window (`window_log`: `tracker changes`, the bulletin) and the commits that created
task files (`created`).  There is no other cache of history: no per-file, JSON or marshal copy.

What it holds is only what `git log --raw` says (commit, parents, author and committer with their
dates, subject; per file: status and old/new blob ids), so it can always be rebuilt and never
disagrees with git about content.  The walk is `git log --full-history --diff-merges=first-parent
--raw -- plan/`: every commit that changed a plan file relative to one of its parents, a merge
with its changes against its first parent (so the first-parent line, which the as-of rule of
tracker.asof reads, is complete), and a column `shown` numbering the commits that git's default
history simplification shows (`git log -- plan/`) in its order, so that answers that copy a
plain `git log` copy it exactly also in a history with merges.  A table `last` holds, per path,
the newest touch the last-change question counts (`last_changes`): derived from the touches only,
written in the same transaction as they are (a refresh of a linear history redoes just the paths
whose newest touch arrived or left; a walk afresh computes it once after the walk), so that the
TUI's column, `tracker remind` and the ranking read about one row per file instead of grouping
every touch; the same answer again at one HEAD is remembered in the process (keyed by HEAD and
the index file's stamp).

Which commits a question is about is the graph's business and asked of git, which answers it
cheaply without diffs (`rev-list a..b -- paths`, the first-parent line); what those commits
changed, the expensive part (git diffs every commit's trees), is read from here.

Building it walks the whole history once (about as long as `git log --raw -- plan/` itself: a few
seconds at 50,000 commits; a long linear history is cut into consecutive ranges walked by one git
process per core at once, stored in order, so that the build takes about half of git's one walk
on two cores): the TUI starts one in a background process at start, a history view
that had to ask git and found it slow starts one too, and any query that needs whole-history
answers (last changes, a past board) builds it when it is missing.  After that, `refresh()` adds
`last..HEAD` and, when history was rewritten (a sync that rebased local commits, a forced fetch,
a reset), drops the commits of `HEAD..last`; new merge commits, or a `last` git no longer has,
mean a rebuild.  Every query brings the index to HEAD first, so a clone, fetch, sync or rewrite
can never be answered from a stale state.  Commit ids grow as commits are added, oldest first, so
a file's history, newest first, is its rows by descending id: git's order for a linear history,
which is what tracker's rebase-based sync keeps.  `log_for` answers a linear history only (with
merges, `git log -- FILE` simplifies history per file and orders by date: git is asked).

One SQLite transaction per refresh: a killed process leaves the previous state (synchronous =
NORMAL: one fsync a commit; the file is a rebuildable cache).  A file of another VERSION (an
older tracker's) is deleted and built again.  A damaged file is deleted and treated as absent; a
repository whose `.git` cannot be written (or an index locked by another process for longer than
a query waits) gets the same index built in memory for the query, so the answers never depend on
whether the file could be kept.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .childenv import own_code_env, python_argv
from .gitstore import FileChange, GitError, LogEntry, raw_record

VERSION = "4"  # 4: the `last` table (a version mismatch drops the file: rebuilt)
READER_WAIT = 0.5  # seconds a history view waits for the index before asking git
QUERY_WAIT = 60.0  # seconds a whole-history query waits for another process's build
ZERO = "0" * 40
OWN_PROCESS_AFTER = 5000  # commits: a longer history is built by a process of its own for the TUI
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commits (id INTEGER PRIMARY KEY, sha TEXT NOT NULL UNIQUE, parents TEXT NOT NULL,
    author TEXT NOT NULL, email TEXT NOT NULL, ts INTEGER NOT NULL, date TEXT NOT NULL,
    cts INTEGER NOT NULL, cdate TEXT NOT NULL, subject TEXT NOT NULL, shown INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS touches (path TEXT NOT NULL, commit_id INTEGER NOT NULL, status TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL, PRIMARY KEY (path, commit_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS last (path TEXT PRIMARY KEY, commit_id INTEGER NOT NULL, status TEXT NOT NULL,
    rank INTEGER NOT NULL) WITHOUT ROWID;
"""
_FMT = "--format=\x1e%H\x1f%P\x1f%an\x1f%ae\x1f%at\x1f%aI\x1f%ct\x1f%cI\x1f%s"


@dataclass(frozen=True)
class LastChange:
    """The last commit that touched a file: the one type for "last change" (now, or as of a day)."""

    sha: str
    author: str
    date: str  # ISO 8601 with the author's offset (or the effective day, for a fast clock)
    timestamp: int


def slow_log_seconds() -> float:
    """A path-limited `git log` slower than this starts a background build (TRACKER_INDEX_AFTER)."""
    try:
        return float(os.environ.get("TRACKER_INDEX_AFTER", "0.05"))
    except ValueError:
        return 0.05


def _index_argv(ws) -> list[str]:
    """`tracker index` for a build nobody waits on at a terminal, at a lower CPU priority (`nice`,
    where there is one): its git walks use every core, and the TUI that started it must keep
    answering keys meanwhile."""
    import shutil

    argv = python_argv("-m", "tracker", "--repo", str(ws.root), "--plan", str(ws.year), "index")
    nice = shutil.which("nice")
    return [nice, "-n", "10", *argv] if nice else argv


def build_in_background(ws) -> None:
    """`tracker index` in a detached process (for a CLI user whose first history views are slow
    because no index exists yet); a second build waits for the first, then finds it fresh."""
    import subprocess

    try:
        subprocess.Popen(_index_argv(ws), cwd=str(ws.root), env=own_code_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass


def build_in_process_of_its_own(ws) -> None:
    """Build a missing index of a long history (more than OWN_PROCESS_AFTER commits) in a separate
    `tracker index` process and wait for it (the TUI's workers: the build's parsing would
    otherwise compete with the UI for the GIL); a later query only brings it to HEAD, which is
    cheap.  A short history is built by the query itself."""
    import subprocess

    try:
        if index_path(ws).exists():
            return
        n = ws.git.run("rev-list", "--count", "HEAD", check=False).strip()
        if not n.isdigit() or int(n) <= OWN_PROCESS_AFTER:
            return
        subprocess.run(_index_argv(ws), cwd=str(ws.root), env=own_code_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    except OSError:
        pass  # the query builds it itself


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
    for _ in (1, 2):
        con = None
        try:
            con = sqlite3.connect(path, timeout=wait, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA synchronous = NORMAL")  # a rebuildable cache: one fsync a commit, not two
            if create:
                con.executescript(_SCHEMA)
            meta = dict(con.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError:  # locked, its tables not made yet, or not writable: not usable now
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


def _meta(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta"))


def _walk(ws, revs: list[str], prefix: str, parts: list[list[str]] | None = None) -> Iterator[tuple]:
    """(sha, parents, author, email, author ts, author date, committer ts, committer date, subject,
    [(status, old, new, path)]) of every commit of `revs` that changed a file under `prefix`
    relative to one of its parents, oldest first, read as git writes it.  `parts`: the same
    commits as consecutive ranges, oldest first (_ranges), walked by as many git processes at once."""
    args = ["log", _FMT, "--raw", "--no-renames", "--no-abbrev", "-z", "--full-history", "--diff-merges=first-parent",
            "--reverse"]
    for chunk in ws.git.stream_records_of([[*args, *r, "--", prefix] for r in (parts or [revs])]):
        yield _record(chunk)


SPLIT_AFTER = 8000  # commits: a longer linear history is walked in ranges, one git process each
_MAX_PARTS = 4


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _ranges(ws, head: str) -> tuple[bool, list[list[str]]]:
    """Whether the history of `head` is linear (no merge commit), and the revision ranges whose
    walks, one after the other, list what a walk of `head` lists: for a long linear history, one
    range per core (git's tree diffs are its cost: 1.8x faster on 2 cores at 50,000 commits), cut
    at evenly spaced commits (`mid`, `mid..next`, ..., `last..head`); else just `head`.  One
    `git rev-list --parents` (a fraction of a second at 50,000 commits) answers both."""
    lines = ws.git.run("rev-list", "--parents", head).splitlines()
    linear = all(line.count(" ") <= 1 for line in lines)
    parts = min(_MAX_PARTS, _cores(), len(lines) // SPLIT_AFTER)
    if not linear or parts < 2:
        return linear, [[head]]
    cuts = [lines[len(lines) * k // parts].split(" ", 1)[0] for k in range(parts - 1, 0, -1)]  # oldest first
    return True, [[cuts[0]], *[[f"{a}..{b}"] for a, b in zip(cuts, cuts[1:])], [f"{cuts[-1]}..{head}"]]


def _record(chunk: str) -> tuple:
    (sha, parents, an, ae, at, ai, ct, ci, subject), files = raw_record(chunk, 9)
    return sha, parents, an, ae, int(at), ai, int(ct), ci, subject, files


def _add(con: sqlite3.Connection, records: Iterable[tuple], prefix: str, paths: set[str] | None = None) -> int:
    """Append commits (oldest first) and their touches of files under `prefix` (their paths are
    added to `paths` when given)."""
    n = 0
    cur = con.cursor()
    for sha, parents, an, ae, at, ai, ct, ci, subject, files in records:
        cur.execute("INSERT OR IGNORE INTO commits (sha, parents, author, email, ts, date, cts, cdate, subject) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (sha, parents, an, ae, at, ai, ct, ci, subject))
        if cur.rowcount == 1:
            cid = cur.lastrowid
        else:  # already there (a commit seen again after a history rewrite)
            cid = cur.execute("SELECT id FROM commits WHERE sha = ?", (sha,)).fetchone()[0]
        rows = [(p, cid, st, old, new) for st, old, new, p in files if p.startswith(prefix)]
        cur.executemany("INSERT OR REPLACE INTO touches (path, commit_id, status, old, new) VALUES (?, ?, ?, ?, ?)", rows)
        if paths is not None:
            paths.update(r[0] for r in rows)
        n += 1
    return n


def _mark_shown(con: sqlite3.Connection, ws, head: str, prefix: str) -> None:
    """In a history with merges, number the commits git's default simplification shows (`git log
    -- plan/`), oldest 1: the answers that copy a plain `git log` use only those, in its order
    (which, with merges, is not the order of the full-history walk); 0 for the others.  (In a
    linear history both walks are one, and the ids are the order.)"""
    shown = ws.git.run("rev-list", head, "--", prefix).split()
    con.execute("UPDATE commits SET shown = 0")
    con.executemany("UPDATE commits SET shown = ? WHERE sha = ?", [(len(shown) - i, s) for i, s in enumerate(shown)])


def _redo_last(con: sqlite3.Connection, linear: bool, only: bool = False) -> None:
    """Compute the `last` table, the newest touch of each path that `last_changes` counts (its
    docstring): the rows the whole-touches query below gives, kept so that the question is a read
    of about one row per file instead of a GROUP BY over every touch.  `only`: just the paths in
    temp.redo (the others keep their row); else every path.  In a linear history `rank` is the
    commit id (the order rows were added, git's order); with merges, `shown` (see _mark_shown)."""
    order = "t.commit_id" if linear else "c.shown"
    cond = ""
    if only:
        con.execute("DELETE FROM last WHERE path IN (SELECT path FROM temp.redo)")
        cond = " AND t.path IN (SELECT path FROM temp.redo)"
    else:
        con.execute("DELETE FROM last")
    con.execute(  # SQLite: with one max(), the bare columns come from the row holding it
        f"INSERT INTO last (path, commit_id, status, rank) SELECT t.path, t.commit_id, t.status, max({order}) "
        f"FROM touches t JOIN commits c ON c.id = t.commit_id WHERE c.shown > 0 AND instr(c.parents, ' ') = 0{cond} "
        "GROUP BY t.path")


def _gone(ws, old: str, head: str) -> list[str] | None:
    """For an index of a linear history at `old` (not `head`): the commits that leave it on the way
    to `head` (`head..old`: a rebase, a reset, a forced fetch; those that touched no plan file are
    not in it, and deleting them is a no-op), from one `git rev-list --left-right --parents
    old...head`; None when `head` brings a merge commit (its side: a history with merges is walked
    afresh) or `old` is no commit git has (an error; both being commits and different, the
    symmetric difference is never empty)."""
    out = ws.git.run("rev-list", "--left-right", "--parents", f"{old}...{head}", check=False)
    gone: list[str] = []
    listed = False
    for line in out.splitlines():
        shas = line[1:].split()
        if not shas:
            continue
        listed = True
        if line[0] == ">":
            if len(shas) > 2:
                return None
        else:
            gone.append(shas[0])
    return gone if listed else None


def _bring(con: sqlite3.Connection, ws, head: str) -> None:
    """Bring the index held by `con` to `head`, in one transaction."""
    prefix = ws.plan_rel + "/"
    con.execute("BEGIN IMMEDIATE")  # one writer at a time; the others wait, then find it fresh
    try:
        meta = _meta(con)
        old = meta.get("head")
        if old == head:
            con.execute("ROLLBACK")
            return
        linear = meta.get("linear")
        gone = _gone(ws, old, head) if old is not None and linear == "1" else None
        if gone is None:  # no index yet, a commit git no longer has, merges arrived, or a history with
            old = None    # merges moved: walked afresh (ids keep git's order)
        if old is None:
            con.execute("DELETE FROM touches")
            con.execute("DELETE FROM commits")
            flat, parts = _ranges(ws, head)
            _add(con, _walk(ws, [head], prefix, parts), prefix)
            linear = "1" if flat else "0"
            if linear == "0":
                _mark_shown(con, ws, head, prefix)
            _redo_last(con, linear == "1")  # one INSERT ... SELECT over the walk just stored
        else:  # linear before and after: only the paths whose newest touch left or arrived are redone
            con.execute("CREATE TEMP TABLE IF NOT EXISTS redo (path TEXT PRIMARY KEY) WITHOUT ROWID")
            con.execute("DELETE FROM temp.redo")
            assert gone is not None
            for i in range(0, len(gone), 500):
                part = gone[i:i + 500]
                marks = ",".join("?" * len(part))
                ids = f"SELECT id FROM commits WHERE sha IN ({marks})"
                # a path's newest touch changes only when that touch itself leaves
                con.execute(f"INSERT OR IGNORE INTO temp.redo (path) SELECT path FROM last WHERE commit_id IN ({ids})", part)
                con.execute(f"DELETE FROM touches WHERE commit_id IN ({ids})", part)
                con.execute(f"DELETE FROM commits WHERE sha IN ({marks})", part)
            touched: set[str] = set()
            _add(con, _walk(ws, [f"{old}..{head}"], prefix), prefix, touched)
            con.executemany("INSERT OR IGNORE INTO temp.redo (path) VALUES (?)", [(p,) for p in touched])
            _redo_last(con, True, only=True)
            con.execute("DELETE FROM temp.redo")
        con.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        [("v", VERSION), ("prefix", ws.plan_rel), ("head", head), ("linear", linear or "0")])
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def refresh(ws, *, build: bool = False, wait: float = 60.0) -> bool:
    """Bring the index to HEAD.  Without `build`, an index that does not exist yet stays absent (the
    whole-history walk is the caller's choice).  True when the index now matches HEAD.  `wait`:
    seconds to wait for another process's build or refresh (a history view waits briefly, then
    asks git instead)."""
    head = ws.git.head_fast()
    if head is None:
        return False
    try:
        con = _connect(ws, create=build, wait=wait)
    except OSError:  # no .git/tracker folder can be made
        return False
    if con is None:
        return False
    try:
        current = _meta(con).get("head")
        if current == head:
            return True
        if current is None and not build:
            return False  # not built yet, or being built right now
        _bring(con, ws, head)
        return True
    except (sqlite3.Error, GitError, OSError):
        return False
    finally:
        con.close()


_MEMORY: dict[tuple[str, str], sqlite3.Connection] = {}
_MEMORY_LOCK = threading.RLock()  # one query at a time on an in-memory index (TUI workers share it)


def _memory(ws, head: str) -> sqlite3.Connection:
    """The index built in memory (a `.git` that cannot be written, an index locked for longer than
    a query waits), kept for this process and brought to HEAD like the file."""
    key = (str(ws.root), ws.plan_rel)
    con = _MEMORY.get(key)
    if con is None:
        con = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        con.executescript(_SCHEMA)
        _MEMORY[key] = con
    _bring(con, ws, head)
    return con


class _Open:
    """A connection to the index at HEAD for one query (the file, else the in-memory one)."""

    def __init__(self, ws):
        self.ws = ws
        self.con: sqlite3.Connection | None = None
        self.keep = False

    def __enter__(self) -> sqlite3.Connection | None:
        ws = self.ws
        head = ws.git.head_fast()
        if head is None:
            return None
        if refresh(ws, build=True, wait=QUERY_WAIT):
            con = _connect(ws, create=False, wait=QUERY_WAIT)
            if con is not None:
                try:
                    if _meta(con).get("head") == head:
                        self.con = con
                        return con
                except sqlite3.Error:
                    pass
                con.close()
        _MEMORY_LOCK.acquire()
        try:
            self.con, self.keep = _memory(ws, head), True
        except BaseException:
            _MEMORY_LOCK.release()
            raise
        return self.con

    def __exit__(self, *exc) -> None:
        if self.con is not None and not self.keep:
            self.con.close()
        elif self.keep:
            _MEMORY_LOCK.release()


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
        meta = _meta(con)
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


def last_changes(ws) -> dict[str, LastChange]:
    """path -> the newest commit that touched it, for every file under the plan folder at HEAD:
    what `git log --name-only -- plan/` lists first for each path (merge commits list no files
    there, and only the commits its simplification shows count)."""
    head = ws.git.head_fast()
    key = (str(ws.root), ws.plan_rel)
    kept = _ANSWERS.get(key)
    if kept is not None and kept[0] == _stamp(ws, head):
        return dict(kept[1])
    opened = _Open(ws)
    with opened as con:
        if con is None:
            return {}
        meta = _meta(con)
        linear = meta.get("linear") == "1"
        rows = con.execute("SELECT l.path, l.status, c.sha, c.author, c.date, c.ts FROM last l "
                           "JOIN commits c ON c.id = l.commit_id").fetchall()  # kept by _bring: _redo_last
    out = {path: LastChange(sha, author, date, ts) for path, status, sha, author, date, ts in rows if status != "D"}
    if not linear:  # a path deleted on one side of a merge and kept on the other: what HEAD holds decides
        held = set(ws.git.run("ls-tree", "-r", "-z", "--name-only", meta.get("head") or "HEAD", "--", ws.plan_rel + "/").split("\0"))
        out = {p: lc for p, lc in out.items() if p in held}
    stamp = _stamp(ws, head)
    if not opened.keep and meta.get("head") == head and stamp is not None:  # the file's answer for `head`
        _ANSWERS[key] = (stamp, out)
        return dict(out)
    return out


# last_changes' answer per (repository, plan folder), with the stamp it was read under: HEAD and
# the index file's identity (a write changes its mtime or size, a rebuild its inode), so that the
# TUI's repeated questions at one HEAD cost a few stats; a new HEAD or any change of the file
# means the index is asked again
_ANSWERS: dict[tuple[str, str], tuple[tuple, dict[str, LastChange]]] = {}


def _stamp(ws, head: str | None) -> tuple | None:
    """HEAD and the index file's mtime, size and inode; None when there is no file."""
    if head is None:
        return None
    try:
        st = os.stat(index_path(ws))
    except OSError:
        return None
    return head, st.st_mtime_ns, st.st_size, st.st_ino


def created(ws, folder: str) -> frozenset[str]:
    """Commits that added a file under `folder`: `git log --diff-filter=A -- FOLDER`, whose rename
    detection does not count a file moved unchanged (`git mv`) as added; a file moved and edited
    in one commit counts here (git would pair them when similar enough)."""
    like = folder.rstrip("/") + "/%"
    with _Open(ws) as con:
        if con is None:
            return frozenset()
        added = con.execute(
            "SELECT t.commit_id, t.new, c.sha FROM touches t JOIN commits c ON c.id = t.commit_id "
            "WHERE t.status = 'A' AND t.path LIKE ? AND c.shown > 0 AND instr(c.parents, ' ') = 0", (like,)).fetchall()
        moved = set(con.execute("SELECT commit_id, old FROM touches WHERE status = 'D'").fetchall())
    return frozenset(sha for cid, new, sha in added if (cid, new) not in moved)


def deletions(ws) -> list[tuple[str, str, str, str]]:
    """(sha, author, author date, path) of every file a commit deleted, newest first: what `git log
    --diff-filter=D --no-renames --name-only -- plan/` lists."""
    with _Open(ws) as con:
        if con is None:
            return []
        order = "c.id" if _meta(con).get("linear") == "1" else "c.shown"  # git's order: see _mark_shown
        return con.execute(
            "SELECT c.sha, c.author, c.date, t.path FROM touches t JOIN commits c ON c.id = t.commit_id "
            f"WHERE t.status = 'D' AND c.shown > 0 AND instr(c.parents, ' ') = 0 ORDER BY {order} DESC, t.path"
        ).fetchall()


def changes_of(ws, shas: list[str] | None = None) -> dict[str, tuple]:
    """sha -> (sha, parents, author, email, author ts, author date, committer ts, committer date,
    subject, [(path, status, old, new)]) for the given commits (default: all) that touched a plan
    file; a commit not in the index (one that changed no plan file) is absent."""
    out: dict[str, tuple] = {}
    with _Open(ws) as con:
        if con is None:
            return out
        q = ("SELECT c.sha, c.parents, c.author, c.email, c.ts, c.date, c.cts, c.cdate, c.subject, "
             "t.path, t.status, t.old, t.new FROM commits c JOIN touches t ON t.commit_id = c.id")
        if shas is None:
            rows = con.execute(q + " ORDER BY c.id, t.path").fetchall()
        else:
            con.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (sha TEXT PRIMARY KEY)")
            con.execute("DELETE FROM temp.wanted")
            con.executemany("INSERT OR IGNORE INTO temp.wanted (sha) VALUES (?)", [(s,) for s in shas])
            rows = con.execute(q + " WHERE c.sha IN (SELECT sha FROM temp.wanted) ORDER BY c.id, t.path").fetchall()
            con.execute("DELETE FROM temp.wanted")
    for sha, parents, an, ae, at, ai, ct, ci, subject, path, status, old, new in rows:
        rec = out.get(sha)
        if rec is None:
            rec = out[sha] = (sha, parents, an, ae, at, ai, ct, ci, subject, [])
        rec[9].append((path, status, old, new))
    return out


def line_changes(ws) -> list[tuple]:
    """(sha, committer ts, committer date, author, author date, path, status, new blob) of every
    touch, in the order the commits were added and by path within a commit: the rows
    tracker.asof.timeline places on the first-parent line."""
    with _Open(ws) as con:
        if con is None:
            return []
        return con.execute("SELECT c.sha, c.cts, c.cdate, c.author, c.date, t.path, t.status, t.new FROM commits c "
                           "JOIN touches t ON t.commit_id = c.id ORDER BY c.id, t.path").fetchall()


def _upto(con: sqlite3.Connection, shas: list[str]) -> int:
    """The id of the newest index commit among `shas` (a prefix of a linear line: ids grow along
    it), 0 when none touched the plan."""
    i = len(shas)
    while i > 0:
        part = shas[max(0, i - 500):i]
        i -= 500
        row = con.execute(f"SELECT max(id) FROM commits WHERE sha IN ({','.join('?' * len(part))})", part).fetchone()
        if row[0] is not None:
            return row[0]
    return 0


def on_line(ws, shas: list[str], since: list[str] | None = None) -> dict | None:
    """For a linear history (else None: tracker.asof reads the whole timeline), the touches of the
    line prefix `shas` (the board of a day), and of the stretch between the prefixes `since` and
    `shas` (a bulletin's window), without materialising the whole timeline:
    {"last": [(path, status, sha, author, author date, committer ts)] the newest touch of each
    path, "window": [(path, status, sha, author, author date, committer ts, committer date)] in
    line order, "first": (sha, committer date, [paths]) of the first commit that wrote plan files}."""
    with _Open(ws) as con:
        if con is None:
            return None
        meta = _meta(con)
        if meta.get("linear") != "1":
            return None
        hi = _upto(con, shas)
        key = (str(ws.root), ws.plan_rel, meta.get("head"), hi)
        with _MEMORY_LOCK:
            kept = _LAST.get(key)
        if kept is not None:
            last, first = kept
        else:
            last = None
        if last is None:
            last = con.execute(
                "SELECT t.path, t.status, c.sha, c.author, c.date, c.cts, max(t.commit_id) FROM touches t "
                "JOIN commits c ON c.id = t.commit_id WHERE t.commit_id <= ? GROUP BY t.path", (hi,)).fetchall()
        window = []
        if since is not None:
            lo = _upto(con, since)
            window = con.execute(
                "SELECT t.path, t.status, c.sha, c.author, c.date, c.cts, c.cdate FROM touches t "
                "JOIN commits c ON c.id = t.commit_id WHERE t.commit_id > ? AND t.commit_id <= ? "
                "ORDER BY t.commit_id, t.path", (lo, hi)).fetchall()
        if kept is None:
            first = None
            row = con.execute("SELECT min(commit_id) FROM touches WHERE status NOT LIKE 'D%'").fetchone()
            if row[0] is not None:
                sha, cdate = con.execute("SELECT sha, cdate FROM commits WHERE id = ?", (row[0],)).fetchone()
                paths = [r[0] for r in con.execute(
                    "SELECT path FROM touches WHERE commit_id = ? AND status NOT LIKE 'D%'", (row[0],))]
                first = (sha, cdate, paths)
            with _MEMORY_LOCK:
                if len(_LAST) > 8:
                    _LAST.clear()
                _LAST[key] = (last, first)
    return {"last": [r[:6] for r in last], "window": window, "first": first}


# on_line's answers for a day's board, per (repository, plan, index head, prefix end): a bulletin
# asks for the same day's last touches twice (its ranking, its window); an index brought to
# another HEAD has another key
_LAST: dict[tuple, tuple] = {}


def states(ws, ends: list[list[str]], folder: str) -> list[dict[str, str]] | None:
    """For each prefix of the first-parent line in `ends` (the board of a day, as tracker.asof
    picks it), path -> blob id of every file under `folder` at its end, replayed from the index
    (what `git ls-tree -r END -- FOLDER` lists, but with no git process per point).  None when
    there is no index at HEAD right now (it is not built for this: the caller reads the trees
    from git, which needs no whole-history walk) or the history has merges."""
    if not refresh(ws, wait=READER_WAIT):
        return None
    con = _connect(ws, create=False, wait=READER_WAIT)
    if con is None:
        return None
    try:
        meta = _meta(con)
        if meta.get("linear") != "1" or meta.get("head") != ws.git.head_fast():
            return None
        his = [_upto(con, shas) for shas in ends]
        top = max(his, default=0)
        lo, hi = folder, folder[:-1] + chr(ord(folder[-1]) + 1)  # the paths under `folder`, by range
        rows = con.execute("SELECT commit_id, path, status, new FROM touches WHERE path >= ? AND path < ? "
                           "AND commit_id <= ? ORDER BY commit_id", (lo, hi, top)).fetchall()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    order = sorted(range(len(his)), key=his.__getitem__)
    out: list[dict[str, str]] = [{} for _ in his]
    state: dict[str, str] = {}
    i = 0
    for k in order:
        while i < len(rows) and rows[i][0] <= his[k]:
            _, path, status, new = rows[i]
            if status.startswith("D") or new == ZERO:
                state.pop(path, None)
            else:
                state[path] = new
            i += 1
        out[k] = dict(state)
    return out


def window_log(ws, rev: str, paths: list[str], max_count: int | None = None) -> list[LogEntry] | None:
    """What `git log --raw REV -- PATHS` lists (newest first; a merge lists no files): the commits
    from `git rev-list` (the graph, no diffs), their changes from the index.  None when a commit
    git lists is not in the index (paths outside the plan folder): git is asked instead."""
    args = ["rev-list"]
    if max_count:
        args.append(f"--max-count={max_count}")
    shas = ws.git.run(*args, rev, "--", *paths).split()
    if not shas:
        return []
    recs = changes_of(ws, shas)
    dirs = tuple(p if p.endswith("/") else p + "/" for p in paths)
    files_ = set(paths)
    out = []
    for sha in shas:
        rec = recs.get(sha)
        if rec is None:
            return None
        _, parents, an, ae, at, ai, _, _, subject, changes = rec
        plist = parents.split()
        files = [] if len(plist) > 1 else [
            FileChange(old=old, new=new, status=status, path=p) for p, status, old, new in changes
            if p in files_ or p.startswith(dirs)]
        out.append(LogEntry(sha=sha, parents=plist, author=an, email=ae, timestamp=at, date=ai, subject=subject,
                            files=files))
    return out


def stats(ws) -> tuple[int, int]:
    """(commits, file changes) held by the index."""
    try:
        con = _connect(ws, create=False)
    except OSError:
        return 0, 0
    if con is None:
        return 0, 0
    try:
        return (con.execute("SELECT count(*) FROM commits").fetchone()[0],
                con.execute("SELECT count(*) FROM touches").fetchone()[0])
    finally:
        con.close()
