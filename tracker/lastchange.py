"""When, and by whom, each file of the plan last changed (the task list's "last change" column).

A query on the history index (tracker.touchindex, the one stored view of history: brought to HEAD,
or built, first), so that there is nothing else to keep fresh: what `git log --name-only -- plan/`
lists first for each path that HEAD holds.  A commit dated after tomorrow (a fast clock) counts
from the day tracker.asof's clock rule gives it (`clamp_future`).  `full_walk` is the plain git
walk the tests and benchmarks compare the answer with.
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
    return clamp_future(ws, touchindex.last_changes(ws))


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
