"""When, and by whom, each file of the plan last changed (the task list's "last change" column).

A query on the history index (tracker.touchindex, the one stored view of history: brought to HEAD,
or built, first), so that there is nothing else to keep fresh: what `git log --name-only -- plan/`
lists first for each path that HEAD holds.  It reads the index's `last` table (one row per file,
kept by each refresh in the same transaction as the touches), and the same HEAD asked again in
one process (the TUI's column) is answered from memory.  A commit dated after tomorrow (a fast clock) counts
from the day tracker.asof's clock rule gives it (`clamp_future`).  `full_walk` is the plain git
walk the tests and benchmarks compare the answer with.

On a fresh clone (no index yet) of a long linear history (more than EARLY_AFTER commits; a
shorter one is indexed at once, which is cheap), the first answer does not wait for the
whole-history build: `early_walk` reads `git log --name-only -- plan/` newest first and stops as
soon as every file HEAD holds has been seen (the rest of history cannot change the answer); the
few files untouched for long (plan.yaml, the targets) are found by walks limited to them, which
the commit-graph's changed-path Bloom filters make cheap.  When that walk was slow, the index is
built in the background for the next question.  With merges, git's per-path history
simplification could name another commit than the plan-wide walk: the index is built and asked.
"""
from __future__ import annotations

from .touchindex import LastChange

__all__ = ["LastChange", "last_changes", "clamp_future", "full_walk"]

_FMT = "--format=%x1e%H%x1f%an%x1f%aI%x1f%at"


def _keep_graph_fresh(ws) -> None:
    """New commits came from elsewhere (a pull, plain git): refresh the Bloom filters in the background."""
    git = ws.git
    if hasattr(git, "commit_graph_stale") and git.commit_graph_stale():
        git.refresh_commit_graph(background=True)


def last_changes(ws) -> dict[str, LastChange]:
    """path -> its newest commit, for every file under the plan folder that git tracks."""
    from . import touchindex

    if ws.git.head_fast() is None:
        return {}
    _keep_graph_fresh(ws)
    try:
        fresh_clone = not touchindex.index_path(ws).exists()
    except OSError:  # no .git/tracker folder can be made: the index is built in memory (touchindex)
        fresh_clone = False
    if fresh_clone and _long(ws):
        import time

        t0 = time.perf_counter()
        table = early_walk(ws)
        if table is not None:
            if time.perf_counter() - t0 > touchindex.slow_log_seconds():
                touchindex.build_in_background(ws)
            return clamp_future(ws, table)
    return clamp_future(ws, touchindex.last_changes(ws))


SETTLE = 16  # when this few files remain unseen, each is found by a walk limited to it
EARLY_AFTER = 5000  # commits: a longer history's first answer does not wait for the index build


def _long(ws) -> bool:
    n = ws.git.run("rev-list", "--count", "HEAD", check=False).strip()
    return n.isdigit() and int(n) > EARLY_AFTER


def early_walk(ws, settle: int = SETTLE) -> dict[str, LastChange] | None:
    """What `full_walk` answers, reading only as much history as it takes (module docstring);
    None for a history with merges."""
    head = ws.git.head_fast()
    if head is None:
        return {}
    if ws.git.run("rev-list", "--merges", "-n1", head).strip():
        return None
    tracked = {p for p in ws.git.run("ls-tree", "-r", "-z", "--name-only", head, "--", ws.plan_rel + "/").split("\0") if p}
    result = _walk(ws, [head, "--", ws.plan_rel + "/"], tracked, settle)
    missing = tracked - result.keys()
    if missing:
        by_dir: dict[str, set[str]] = {}
        for p in missing:
            by_dir.setdefault(p.rsplit("/", 1)[0], set()).add(p)
        for d, names in sorted(by_dir.items()):
            siblings = {p for p in tracked if p.rsplit("/", 1)[0] == d}
            if len(names) > 1 and names == siblings:  # a folder untouched since (targets/): one walk of it
                part = _walk(ws, [head, "--", d + "/"], names, 0)
            else:
                part = {}
                for p in sorted(names):
                    part.update(_walk(ws, [head, "-1", "--", p], {p}, 0))
            result.update({k: v for k, v in part.items() if k in names})
    return {p: lc for p, lc in result.items() if p in tracked}


def _walk(ws, args: list[str], want: set[str], settle: int) -> dict[str, LastChange]:
    """path -> the first commit `git log --name-only ARGS` lists it in, newest first, stopping
    once at most `settle` paths of `want` remain unseen."""
    from .gitstore import GitError

    result: dict[str, LastChange] = {}
    missing = set(want)
    job = ws.git.start("log", _FMT, "--name-only", "-z", "--no-renames", *args)
    buf = b""
    done = False

    def take(raw: bytes) -> None:
        chunk = raw.decode("utf-8", "replace")  # whole records: a character is never cut in two
        cut = min((i for i in (chunk.find("\n"), chunk.find("\0")) if i >= 0), default=len(chunk))
        sha, author, date, ts = chunk[:cut].split("\x1f")
        rec = None
        for name in chunk[cut + 1:].strip("\n\0").split("\0"):
            name = name.strip("\n")
            if name and name not in result:
                rec = rec or LastChange(sha, author, date, int(ts))
                result[name] = rec
                missing.discard(name)

    try:
        for data in job.chunks():
            buf += data
            parts = buf.split(b"\x1e")
            buf = parts.pop()  # the last record may be incomplete
            for chunk in parts:
                if chunk:
                    take(chunk)
                if len(missing) <= settle:
                    done = True
                    break
            if done:
                break
        if not done and buf:
            take(buf)
    finally:
        if done:
            job.stop()
        else:
            st, _, err = job.wait(check=False)
            if st != 0:
                raise GitError(["log", *args], st, err)
    return result


def clamp_future(ws, table: dict[str, LastChange]) -> dict[str, LastChange]:
    """A last change dated after tomorrow (a fast clock) counts from the day its commit counts
    from on the first-parent line (tracker.asof: its parent's day), so that it neither looks
    fresh forever (freezing reminders) nor tops the ranking's "last update"."""
    from datetime import date, timedelta

    limit = (date.today() + timedelta(days=1)).isoformat()
    future = [p for p, lc in table.items() if lc.date[:10] > limit]
    if not future:
        return table
    from .asof import first_parent_line

    line = first_parent_line(ws)
    out = dict(table)
    for p in future:
        lc = table[p]
        eff = line.effective(lc.sha)
        if eff is None:  # not on the first-parent line (a merged side branch): its parent's day
            parent = ws.git.run("log", "-1", "--format=%cI", f"{lc.sha}^", check=False).strip()
            eff = date.fromisoformat(parent[:10]) if parent else date.today()
        if eff.isoformat() < lc.date[:10]:
            out[p] = LastChange(lc.sha, lc.author, f"{eff.isoformat()}T00:00:00+00:00", lc.timestamp)
    return out


def full_walk(ws) -> dict[str, LastChange]:
    """The answer of one plain `git log --name-only -- plan/` (newest first, the first commit seen
    per path, limited to the files HEAD holds): what the index must agree with."""
    head = ws.git.head()
    if head is None:
        return {}
    tracked = {p for p in ws.git.run("ls-tree", "-r", "-z", "--name-only", head, "--", ws.plan_rel + "/").split("\0") if p}
    out = ws.git.run("log", _FMT, "--name-only", "-z", "--no-renames", head, "--", ws.plan_rel + "/")
    result: dict[str, LastChange] = {}
    for chunk in out.split("\x1e")[1:]:
        cut = min((i for i in (chunk.find("\n"), chunk.find("\0")) if i >= 0), default=len(chunk))
        sha, author, date, ts = chunk[:cut].split("\x1f")
        for name in chunk[cut + 1:].strip("\n\0").split("\0"):
            name = name.strip("\n")
            if name and name in tracked and name not in result:
                result[name] = LastChange(sha, author, date, int(ts))
    return result
