"""When, and by whom, each file of the plan last changed (the task list's "last change" column).

One `git log --name-only` walk, newest first, keeping the first commit seen per path.  Kept
behind one function so that an incremental cache (keyed by HEAD) can replace the walk without
touching callers.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LastChange:
    sha: str
    author: str
    date: str  # ISO 8601 with offset
    timestamp: int


def last_changes(ws) -> dict[str, LastChange]:
    """path -> its newest commit, for every file under the plan folder that git tracks."""
    if ws.git.head() is None:
        return {}
    out = ws.git.run("log", "--format=%x1e%H%x1f%an%x1f%aI%x1f%at", "--name-only", "-z", "--no-renames",
                     "HEAD", "--", ws.plan_rel + "/")
    result: dict[str, LastChange] = {}
    for chunk in out.split("\x1e")[1:]:
        head, _, names = chunk.partition("\n")
        sha, author, date, ts = head.split("\x1f")
        for name in names.strip("\n\0").split("\0"):
            name = name.strip("\n")
            if name and name not in result:
                result[name] = LastChange(sha, author, date, int(ts))
    return result
