#!/usr/bin/env python3
"""History of one task in a long history: `tracker.history.history(ws, [path])` vs `git log -- FILE`.

    python bench/bench_history.py [--tasks 1000] [--commits 50000] [--samples 9] [--repo PATH]

Makes (or reuses, with --repo) a generated repository (bench/gen_plan.py writes the commit-graph
with changed-path Bloom filters, as the tool keeps it), then for a spread of tasks times, in the
same process: the baseline `git log --format=%H -- FILE` (a subprocess, as a user would run it),
and the tool's field-level history of that file (git log --raw + the blobs + parsing + diffing).
First views read the touch index (tracker/touchindex.py), whose one-off build is timed beside git's
own whole-history walk; the same first views without the index are timed too.  Then the same task
again (remembered in the process at its HEAD) and after a new commit to it (the index brought to
HEAD: only `last..HEAD` is read).  Also times the "last change" table (tracker.lastchange.last_changes,
a query on the index): at the same HEAD, after one new commit, and the first query; on a fresh
clone (no index yet) the first table, which does not wait for the build (lastchange.early_walk); and `tracker log TASK` as a whole
process.  Target: history <= 0.1 s.

    python bench/bench_history.py --repo COPY --last-change [--code OTHER_TREE]

times only the "last change" table (same HEAD, after one new commit, each checked against the full
walk), with the `tracker` package of OTHER_TREE when given (`git archive REV | tar -x -C DIR`), so
that an older code's figures are measured in the same hour on a copy of the same repository.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen_plan import generate  # noqa: E402


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=50000)
    ap.add_argument("--samples", type=int, default=9)
    ap.add_argument("--repo", type=Path)
    ap.add_argument("--last-change", action="store_true", help="time only the last-change table")
    ap.add_argument("--code", type=Path, help="import tracker from this tree instead (with --last-change)")
    a = ap.parse_args(argv)
    if a.last_change:
        if a.repo is None:
            ap.error("--last-change needs --repo (a copy: it commits to it)")
        return last_change_only(a.repo, a.code, a.samples)
    repo = a.repo
    if repo is None:
        repo = Path(tempfile.mkdtemp(prefix="bench-history-")) / "repo"
        generate(repo, a.tasks, a.commits)
    from tracker import lastchange, touchindex
    from tracker.history import history
    from tracker.store import Workspace

    ws = Workspace(repo)
    import shutil

    def forget_views() -> None:  # first views are first views: nothing remembered in this process
        from tracker.history import _SEEN

        _SEEN.clear()

    forget_views()
    n_commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True,
                               text=True).stdout.strip()
    files = sorted(p.name for p in (ws.plan_dir / "tasks").iterdir())
    picks = [files[int(i * (len(files) - 1) / max(a.samples - 1, 1))] for i in range(a.samples)]
    warm = next(f for f in files[len(files) // 2:] if f not in picks)
    history(ws, [f"{ws.plan_rel}/tasks/{warm}"])  # warm imports (a task not measured)

    # the index: built once per clone (the TUI does it in the background), against git's own walk
    for suffix in ("", "-journal"):
        Path(f"{touchindex.index_path(ws)}{suffix}").unlink(missing_ok=True)
    build = timed(lambda: touchindex.refresh(ws, build=True), 1)[0]
    walk = timed(lambda: subprocess.run(["git", "log", "--format=%H", "--raw", "--no-renames", "-z", "--",
                                         ws.plan_rel + "/"], cwd=repo, check=True, capture_output=True), 1)[0]
    commits, touches = touchindex.stats(ws)

    base, tool, sizes = [], [], []
    for name in picks:
        rel = f"{ws.plan_rel}/tasks/{name}"
        base += timed(lambda: subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=repo, check=True,
                                             capture_output=True), 1)
        t = time.perf_counter()
        entries = history(ws, [rel])
        tool.append(time.perf_counter() - t)
        sizes.append(len(entries))
    # the same first views without the index (one path-limited git log each)
    forget_views()
    index_file = touchindex.index_path(ws)
    index_file.rename(index_file.with_suffix(".away"))
    no_index = [timed(lambda: history(ws, [f"{ws.plan_rel}/tasks/{name}"]), 1)[0] for name in picks[:5]]
    # the first "last change" table on a fresh clone (no index): git log stopped once every file is seen
    saved = os.environ.get("TRACKER_INDEX_AFTER")
    os.environ["TRACKER_INDEX_AFTER"] = "1e9"  # no background build during the measurement
    fresh_lc = timed(lambda: lastchange.last_changes(ws), 1)[0]
    if saved is None:
        os.environ.pop("TRACKER_INDEX_AFTER")
    else:
        os.environ["TRACKER_INDEX_AFTER"] = saved
    index_file.with_suffix(".away").rename(index_file)
    no_graph = timed(lambda: subprocess.run(["git", "-c", "core.commitGraph=false", "log", "--format=%H", "--",
                                             f"{ws.plan_rel}/tasks/{picks[0]}"], cwd=repo, check=True,
                                            capture_output=True), 1)[0]
    forget_views()
    cli = timed(lambda: subprocess.run([sys.executable, "-m", "tracker", "--repo", str(repo), "log", picks[1][:-5],
                                        "--format", "json"], check=True, capture_output=True), 3)
    py = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 3)
    # the same task viewed again (cache at the same HEAD), after a new commit to it, and a task
    # never viewed after that commit (the index is brought to HEAD on the way)
    again_rel = f"{ws.plan_rel}/tasks/{picks[2]}"
    again = statistics.median(timed(lambda: history(ws, [again_rel]), 5))
    ws.update_task(int(picks[2][:-5]), {"note": f"bench history {time.time()}"})
    after = timed(lambda: history(ws, [again_rel]), 1)[0]
    ws.update_task(int(picks[3][:-5]), {"note": f"bench history {time.time()}"})
    forget_views()
    after_new = timed(lambda: history(ws, [f"{ws.plan_rel}/tasks/{picks[4]}"]), 1)[0]
    # last change of every file: a query on the index (brought to HEAD first)
    first = timed(lambda: lastchange.last_changes(ws), 1)[0]
    same = statistics.median(timed(lambda: lastchange.last_changes(ws), 5))
    ws.update_task(int(picks[2][:-5]), {"note": f"bench {time.time()}"})
    incr = timed(lambda: lastchange.last_changes(ws), 1)[0]
    full = timed(lambda: lastchange.full_walk(ws), 1)[0]

    med = statistics.median(tool)
    print(f"repo: {repo} ({len(files)} tasks, {n_commits} commits); {a.samples} tasks, "
          f"{min(sizes)}-{max(sizes)} history entries each")
    print(f"{'':48}{'median':>9}{'max':>9}")
    print(f"{'first view of a task: history(ws, [file])':48}{med * 1000:>7.0f}ms{max(tool) * 1000:>7.0f}ms   (index)")
    print(f"{'git log -- FILE  (baseline, commit-graph)':48}{statistics.median(base) * 1000:>7.0f}ms{max(base) * 1000:>7.0f}ms")
    print(f"{'first view without the index (git log path)':48}{statistics.median(no_index) * 1000:>7.0f}ms{max(no_index) * 1000:>7.0f}ms")
    print(f"{'git log -- FILE  without the commit-graph':48}{no_graph * 1000:>7.0f}ms")
    print(f"{'history, the same task again (same HEAD)':48}{again * 1000:>7.0f}ms")
    print(f"{'history, after one new commit to it':48}{after * 1000:>7.0f}ms")
    print(f"{'first view of a task after a new commit':48}{after_new * 1000:>7.0f}ms   (index refreshed on the way)")
    print(f"{'`tracker log TASK --format json` (process)':48}{statistics.median(cli) * 1000:>7.0f}ms   "
          f"(python -c pass: {statistics.median(py) * 1000:.0f}ms)")
    print(f"index build, once per clone: {build:.2f}s for {commits} commits / {touches} file changes; "
          f"git's own walk (git log --raw -- plan/): {walk:.2f}s")
    print(f"target: history <= 100 ms: first view {'met' if med <= 0.1 and after_new <= 0.1 else 'NOT met'} "
          f"({med / statistics.median(base):.2f} x git log); later views {'met' if max(again, after) <= 0.1 else 'NOT met'}")
    print(f"last change of every file (a query on the index): same HEAD {same * 1000:.0f}ms, one new commit "
          f"{incr * 1000:.0f}ms, first query {first * 1000:.0f}ms; a full walk (git log --name-only) {full * 1000:.0f}ms")
    print(f"the first last-change table on a fresh clone (no index yet: a git log stopped once every file is seen, "
          f"lastchange.early_walk): {fresh_lc * 1000:.0f}ms, against the index build it no longer waits for: {build:.2f}s")
    return 0


def last_change_only(repo: Path, code: Path | None, samples: int) -> int:
    """The last-change table alone: same HEAD and after one new commit, beside the full walk."""
    if code is not None:  # gen_plan imported this tree's tracker: forget it, import the other
        for name in [m for m in sys.modules if m == "tracker" or m.startswith("tracker.")]:
            del sys.modules[name]
        sys.path.insert(0, str(code.resolve()))
    import tracker
    from tracker import lastchange
    from tracker.store import Workspace

    ws = Workspace(repo)
    first = timed(lambda: lastchange.last_changes(ws), 1)[0]
    same = timed(lambda: lastchange.last_changes(ws), samples)
    files = sorted(p.name for p in (ws.plan_dir / "tasks").iterdir())
    incr = []
    for i in range(samples):
        ws.update_task(int(files[(i * 97) % len(files)][:-5]), {"note": f"bench last change {time.time()}"})
        incr += timed(lambda: lastchange.last_changes(ws), 1)
    got = lastchange.last_changes(ws)
    full = timed(lambda: lastchange.full_walk(ws), 1)[0]
    same_as_walk = got == lastchange.full_walk(ws)
    print(f"code: {Path(tracker.__file__).parent}; repo: {repo}")
    print(f"last change of every file: same HEAD median {statistics.median(same) * 1000:.1f}ms "
          f"(max {max(same) * 1000:.1f}ms), one new commit median {statistics.median(incr) * 1000:.1f}ms "
          f"(max {max(incr) * 1000:.1f}ms), first call {first * 1000:.0f}ms; the full walk "
          f"(git log --name-only) {full * 1000:.0f}ms; equal to the full walk: {same_as_walk}")
    return 0 if same_as_walk else 1


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
