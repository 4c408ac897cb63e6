#!/usr/bin/env python3
"""History of one task in a long history: `tracker.history.history(ws, [path])` vs `git log -- FILE`.

    python bench/bench_history.py [--tasks 1000] [--commits 50000] [--samples 9] [--repo PATH]

Makes (or reuses, with --repo) a generated repository (bench/gen_plan.py writes the commit-graph
with changed-path Bloom filters, as the tool keeps it), then for a spread of tasks times, in the
same process: the baseline `git log --format=%H -- FILE` (a subprocess, as a user would run it),
and the tool's field-level history of that file (git log --raw + the blobs + parsing + diffing).
Then the same task again (its history is kept per file in .git/tracker/history at its HEAD) and
after a new commit to it (only `last..HEAD` is read).  Also times the "last change" table (tracker.lastchange.last_changes): with the cache at the same
HEAD, after one new commit (incremental), and the first build; and `tracker log TASK` as a whole
process.  Target: history <= 0.1 s.
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
    a = ap.parse_args(argv)
    repo = a.repo
    if repo is None:
        repo = Path(tempfile.mkdtemp(prefix="bench-history-")) / "repo"
        generate(repo, a.tasks, a.commits)
    from tracker import lastchange
    from tracker.history import history
    from tracker.store import Workspace

    ws = Workspace(repo)
    import shutil

    shutil.rmtree(ws.state_dir / "history", ignore_errors=True)  # first views are first views
    n_commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True,
                               text=True).stdout.strip()
    files = sorted(p.name for p in (ws.plan_dir / "tasks").iterdir())
    picks = [files[int(i * (len(files) - 1) / max(a.samples - 1, 1))] for i in range(a.samples)]
    base, tool, sizes = [], [], []
    warm = next(f for f in files[len(files) // 2:] if f not in picks)
    history(ws, [f"{ws.plan_rel}/tasks/{warm}"])  # warm imports (a task not measured: its history is cached now)
    for name in picks:
        rel = f"{ws.plan_rel}/tasks/{name}"
        base += timed(lambda: subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=repo, check=True,
                                             capture_output=True), 1)
        t = time.perf_counter()
        entries = history(ws, [rel])
        tool.append(time.perf_counter() - t)
        sizes.append(len(entries))
    no_graph = timed(lambda: subprocess.run(["git", "-c", "core.commitGraph=false", "log", "--format=%H", "--",
                                             f"{ws.plan_rel}/tasks/{picks[0]}"], cwd=repo, check=True,
                                            capture_output=True), 1)[0]
    cli = timed(lambda: subprocess.run([sys.executable, "-m", "tracker", "--repo", str(repo), "log", picks[1][:-5],
                                        "--format", "json"], check=True, capture_output=True), 3)
    # the same task viewed again (cache at the same HEAD), and after a new commit to it
    again_rel = f"{ws.plan_rel}/tasks/{picks[2]}"
    again = statistics.median(timed(lambda: history(ws, [again_rel]), 5))
    ws.update_task(int(picks[2][:-5]), {"note": f"bench history {time.time()}"})
    after = timed(lambda: history(ws, [again_rel]), 1)[0]
    # last change of every file
    cache = ws.state_dir / f"lastchange-{ws.year}.json"
    cache.unlink(missing_ok=True)
    first = timed(lambda: lastchange.last_changes(ws), 1)[0]
    same = statistics.median(timed(lambda: lastchange.last_changes(ws), 5))
    ws.update_task(int(picks[2][:-5]), {"note": f"bench {time.time()}"})
    incr = timed(lambda: lastchange.last_changes(ws), 1)[0]
    full = timed(lambda: lastchange.full_walk(ws), 1)[0]

    print(f"repo: {repo} ({len(files)} tasks, {n_commits} commits); {a.samples} tasks, "
          f"{min(sizes)}-{max(sizes)} history entries each")
    print(f"{'':44}{'median':>9}{'max':>9}")
    print(f"{'history(ws, [task file])  (tool)':44}{statistics.median(tool) * 1000:>7.0f}ms{max(tool) * 1000:>7.0f}ms")
    print(f"{'git log -- FILE  (baseline, commit-graph)':44}{statistics.median(base) * 1000:>7.0f}ms{max(base) * 1000:>7.0f}ms")
    print(f"{'git log -- FILE  without the commit-graph':44}{no_graph * 1000:>7.0f}ms")
    print(f"{'`tracker log TASK --format json` (process)':44}{statistics.median(cli) * 1000:>7.0f}ms")
    print(f"{'history, the same task again (same HEAD)':44}{again * 1000:>7.0f}ms")
    print(f"{'history, after one new commit to it':44}{after * 1000:>7.0f}ms")
    print(f"target: history <= 100 ms: first view {'met' if statistics.median(tool) <= 0.1 else 'NOT met'} (median, "
          f"{statistics.median(tool) / statistics.median(base):.2f} x git log); later views "
          f"{'met' if max(again, after) <= 0.1 else 'NOT met'}")
    print(f"last change of every file: same HEAD {same * 1000:.0f}ms, one new commit {incr * 1000:.0f}ms, "
          f"first build {first * 1000:.0f}ms; a full walk (the old way, every start) {full * 1000:.0f}ms")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
