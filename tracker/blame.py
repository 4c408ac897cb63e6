"""Who set a field to the value it has: per-field blame over one revision's history of a file.

A recorded conflict's side names the commit that set the value it records, not the last commit
that touched the file (issue 10, point 2).  `Blamer` reads one `git log` and one `cat-file --batch`
per file, and only for files where a conflict or an identical change is being recorded; the git
merge driver (tracker.merge) and the sync's replay (tracker.sync) both use it.

It sits below both (they re-export `Side` and `Blamer`); it imports neither.
"""
from __future__ import annotations

from dataclasses import dataclass

from .fieldpath import _entry, _field_value, norm, values_of


@dataclass(frozen=True)
class Side:
    """Who made one side's change, and when (ISO 8601)."""

    author: str
    date: str


def value_at(data, field: str):
    """A field's value in a parsed file; an actual (indicators.N.actuals.P, as diffs name it) is its value."""
    v = _field_value(data, field)
    if isinstance(v, dict) and field.startswith("indicators.") and ".actuals." in field and "value" in v:
        return v.get("value")
    return v


class Blamer:
    """Who set a field to a value, read from the history of one revision (per-field, not per-file).

    A conflict side names the commit that set the value it records, not the last commit that
    touched the file (issue 10, point 2).  One `git log` and one `cat-file --batch` per file, and
    only for files where a conflict or an identical change is being recorded."""

    DEPTH = 300

    def __init__(self, git, rev: str):
        self.git, self.rev = git, rev
        self._hist: dict[str, list[tuple[str, str, str, object]]] = {}

    def history(self, path: str) -> list[tuple[str, str, str, object]]:
        if path not in self._hist:
            from .yamlio import YamlError, decode, fast_load

            out = self.git.run("log", f"-n{self.DEPTH}", "--format=%H%x1f%an%x1f%aI", self.rev, "--", path, check=False)
            rows = [ln.split("\x1f") for ln in out.splitlines() if ln.count("\x1f") == 2]
            blobs = self.git.blobs(f"{sha}:{path}" for sha, _a, _d in rows)
            hist = []
            for sha, an, ad in rows:
                raw = blobs.get(f"{sha}:{path}")
                try:
                    data = fast_load(decode(raw, path), path) if raw is not None else None
                except YamlError:
                    data = None
                hist.append((sha, an, ad, data))
            self._hist[path] = hist
        return self._hist[path]

    def who_set(self, path: str, field: str, value) -> tuple[str, str, str] | None:
        """(sha, author, date) of the commit that gave `field` the `value` it still has at the revision."""
        found = None
        for sha, an, ad, data in self.history(path):
            if data is None or norm(value_at(data, field)) != norm(value):
                break
            found = (sha, an, ad)
        return found

    def resolved_by(self, path: str, field: str) -> tuple[str, str, str, object] | None:
        """(sha, author, date, data) of the commit that removed `field`'s conflict entry, the entry
        being absent from every later version of the file at the revision; None when the history
        (as deep as it is read) shows no such entry."""
        found = None
        for row in self.history(path):
            data = row[3]
            if not isinstance(data, dict):
                return None
            if any(isinstance(e, dict) and str(e.get("field")) == field for e in data.get("conflicts") or []):
                return found
            found = row
        return None

    def side_added(self, path: str, field: str, value) -> tuple[str, str, str, object] | None:
        """(sha, author, date, data) of the commit that made `value` a side of `field`'s conflict
        entry, the entry holding it in every later version of the file at the revision."""
        found = None
        for row in self.history(path):
            entry = _entry(row[3], field)
            if entry is None or not any(norm(s.get("value")) == norm(value) for s in values_of(entry)):
                break
            found = row
        return found

    def side_of(self, path: str, fallback: Side):
        def side(field: str, value) -> Side:
            hit = self.who_set(path, field, value)
            return Side(hit[1], hit[2]) if hit else fallback

        return side
