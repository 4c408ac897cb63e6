"""When, and by whom, each file of the plan last changed (the task list's "last change" column).

The answer for HEAD is kept in `.git/tracker/lastchange-<year>.json` with the HEAD it was computed
for.  A later call walks only what changed since: the commits in `last..HEAD` override older
entries; when history was rewritten (a sync that rebased local commits), the files touched by
commits that left the history (`HEAD..last`) are looked up again with one path-limited walk.  A
missing, corrupt or foreign cache, or a `last` commit git no longer has, means one full walk
(`git log --name-only`, newest first, first commit seen per path).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

CACHE_VERSION = 1
_FMT = "--format=%x1e%H%x1f%an%x1f%aI%x1f%at%x1f%ct"


@dataclass(frozen=True)
class LastChange:
    sha: str
    author: str
    date: str  # ISO 8601 with offset
    timestamp: int


def _parse(chunk: str) -> tuple[list, list[str]]:
    cut = min((i for i in (chunk.find("\n"), chunk.find("\0")) if i >= 0), default=len(chunk))
    head, names = chunk[:cut], chunk[cut + 1:]
    sha, author, date, ts, cts = head.split("\x1f")
    return [sha, author, date, int(ts), int(cts.strip())], [n.strip("\n") for n in names.strip("\n\0").split("\0")]


SETTLE = 16  # when this few wanted paths remain unseen, finish them with a path-limited walk


def _walk(ws, *rev_and_paths: str, seen: set[str] | None = None, want: set[str] | None = None,
          settle: int = 0) -> dict[str, list]:
    """path -> [sha, author, date, author ts, committer ts] of the first commit seen per path
    (every commit walked is added to `seen` when given).  With `want`, the walk stops as soon as
    every path in it has been seen (newest first: the rest of history cannot change the answer),
    or, with `settle`, once at most that many remain: those (files untouched for a long time, like
    plan.yaml) are then found by one walk limited to them, which the commit-graph's changed-path
    Bloom filters make cheap."""
    args = ["log", _FMT, "--name-only", "-z", "--no-renames", *rev_and_paths]
    if "--" not in rev_and_paths:
        args += ["--", ws.plan_rel + "/"]
    result: dict[str, list] = {}
    missing = set(want) if want is not None else None
    job = ws.git.start(*args)
    buf = ""
    done = False
    try:
        for data in job.chunks():
            buf += data.decode("utf-8", "replace")
            parts = buf.split("\x1e")
            buf = parts.pop()  # the last record may be incomplete
            for chunk in parts:
                if not chunk:
                    continue
                rec, names = _parse(chunk)
                if seen is not None:
                    seen.add(rec[0])
                for name in names:
                    if name and name not in result:
                        result[name] = rec
                        if missing is not None:
                            missing.discard(name)
                if missing is not None and len(missing) <= settle:
                    done = True
                    break
            if done:
                break
        if not done and buf:
            rec, names = _parse(buf)
            if seen is not None:
                seen.add(rec[0])
            for name in names:
                if name and name not in result:
                    result[name] = rec
    finally:
        if done:
            job.stop()
            if missing:
                for name, rec in _settle(ws, rev_and_paths[0], missing, want or set()).items():
                    result.setdefault(name, rec)
        else:
            from .gitstore import GitError

            st, _, err = job.wait(check=False)
            if st != 0:
                raise GitError(args, st, err)
    return result


def _settle(ws, rev: str, missing: set[str], tracked: set[str]) -> dict[str, list]:
    """The newest commit of each of a few paths, one single-pathspec walk each (git 2.39 uses the
    Bloom filters for one pathspec only): a folder whose every file is missing (targets/, never
    touched since the import) is one walk of the folder."""
    by_dir: dict[str, set[str]] = {}
    for p in missing:
        by_dir.setdefault(p.rsplit("/", 1)[0], set()).add(p)
    out: dict[str, list] = {}
    for d, names in sorted(by_dir.items()):
        siblings = {p for p in tracked if p.rsplit("/", 1)[0] == d}
        if len(names) > 1 and names == siblings:
            out.update(_walk(ws, rev, "--", d + "/", want=set(names)))
        else:
            for p in sorted(names):
                out.update(_walk(ws, rev, "-1", "--", p))
    return out


def _tracked(ws, rev: str) -> set[str]:
    out = ws.git.run("ls-tree", "-r", "-z", "--name-only", rev, "--", ws.plan_rel + "/")
    return {p for p in out.split("\0") if p}


def _cache_file(ws):
    return ws.state_dir / f"lastchange-{ws.year}.json"


def _read_cache(ws) -> dict | None:
    try:
        data = json.loads(_cache_file(ws).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("v") != CACHE_VERSION or data.get("prefix") != ws.plan_rel
            or not isinstance(data.get("head"), str) or not isinstance(data.get("map"), dict)):
        return None
    for rec in data["map"].values():
        if not (isinstance(rec, list) and len(rec) == 5 and all(isinstance(x, str) for x in rec[:3])
                and all(isinstance(x, int) for x in rec[3:])):
            return None
    return data


def _write_cache(ws, head: str, table: dict[str, list]) -> None:
    path = _cache_file(ws)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"v": CACHE_VERSION, "prefix": ws.plan_rel, "head": head, "map": table},
                                  ensure_ascii=False, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _update(ws, old: str, head: str, table: dict[str, list]) -> dict[str, list] | None:
    """`table` (correct for `old`) made correct for `head`; None when a full walk is needed."""
    from .gitstore import GitError

    try:
        if not ws.git.ok("cat-file", "-e", f"{old}^{{commit}}"):
            return None
        added = _walk(ws, f"{old}..{head}")
        gone_shas: set[str] = set()
        _walk(ws, f"{head}..{old}", seen=gone_shas)
    except GitError:
        return None
    table = dict(table)
    for path, rec in added.items():
        cur = table.get(path)
        if cur is None or rec[4] >= cur[4] or cur[0] in gone_shas:
            table[path] = rec
    tracked = _tracked(ws, head)
    table = {p: rec for p, rec in table.items() if p in tracked and (rec[0] not in gone_shas or p in added)}
    missing = tracked - table.keys()  # touched only by commits that left the history, or a cache that lies
    if len(missing) > 4 * SETTLE:
        return None
    if missing:
        table.update(_settle(ws, head, missing, tracked))
    return table


def _keep_graph_fresh(ws) -> None:
    """New commits came from elsewhere (a pull, plain git): refresh the Bloom filters in the background."""
    git = ws.git
    if hasattr(git, "commit_graph_stale") and git.commit_graph_stale():
        git.refresh_commit_graph(background=True)


def last_changes(ws) -> dict[str, LastChange]:
    """path -> its newest commit, for every file under the plan folder that git tracks."""
    head = ws.git.head_fast() if hasattr(ws.git, "head_fast") else ws.git.head()
    if head is None:
        return {}
    cached = _read_cache(ws)
    table = None
    if cached is not None:
        if cached["head"] == head:
            table = cached["map"]
        else:
            _keep_graph_fresh(ws)
            table = _update(ws, cached["head"], head, cached["map"])
            if table is not None:
                _write_cache(ws, head, table)
    if table is None:
        _keep_graph_fresh(ws)
        tracked = _tracked(ws, head)
        table = {p: r for p, r in _walk(ws, head, want=tracked, settle=SETTLE).items() if p in tracked}
        _write_cache(ws, head, table)
    out: dict[str, LastChange] = {}
    for path, rec in table.items():
        try:
            out[path] = LastChange(rec[0], rec[1], rec[2], int(rec[3]))
        except (IndexError, TypeError, ValueError):
            continue
    return clamp_future(ws, out)


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
    """The answer without the cache (tests and benchmarks compare against it)."""
    head = ws.git.head()
    if head is None:
        return {}
    tracked = _tracked(ws, head)
    return {p: LastChange(r[0], r[1], r[2], r[3]) for p, r in _walk(ws, head).items() if p in tracked}
