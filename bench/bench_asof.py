#!/usr/bin/env python3
"""`tracker report --as-of` on a big repository, first on a fresh clone and repeated, beside git's
own floor and the history index build, measured in the same run (issue 11, point 2).

Usage:

    python bench/bench_asof.py REPO [--other TREE] [--as-of 2020-11-30] [--since 2020-10-31]
                               [--repeat 3]

REPO: a tracking repository (`python bench/gen_plan.py REPO --tasks 10000 --commits 50000`).
--other TREE: another checkout of tracker (e.g. `git archive main | tar -x -C TREE`) whose
`python -m tracker` is timed the same way, in the same run, for a before/after ratio.

"Fresh clone" means the repository without `.git/tracker/` (what `git clone` gives: the history
index, the parse cache and every other tracker state are local to a clone).  Times are whole
processes (`python -m tracker ...`), the way a user runs them.  It prints:

  baseline  `git ls-tree -r` + `git cat-file --batch` of the as-of tree (reading that one past
            version of the plan from git: the floor of a repeated as-of report), and git's own
            walk of the plan folder's history (`git log --raw --full-history -- plan/`)
  index     `tracker index` on a fresh clone (the one whole-history walk)
  report    `tracker report --as-of ... -o FILE` on a fresh clone (first) and again (repeated:
            the kept bulletin read back, tracker/reportcache.py), for this tree and --other; and
            once with only the kept bulletin removed (every other cache warm: what it computes)

with the ratios the issue's targets name: first report / index build (target <= 2) and repeated
report / ls-tree+cat-file (target <= 5).  The machine may be loaded by other work: compare the
ratios, which are measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def clock(fn, repeat: int, reset=None) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        if reset:
            reset()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path)
    ap.add_argument("--other", type=Path, help="another tracker checkout timed the same way")
    ap.add_argument("--as-of", dest="as_of", default="2020-11-30")
    ap.add_argument("--since", default="2020-10-31")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--first-repeat", type=int, default=1, help="runs of the fresh-clone steps (default 1)")
    a = ap.parse_args(argv)
    repo = a.repo.resolve()
    state = repo / ".git" / "tracker"
    out_dir = Path(tempfile.mkdtemp(prefix="bench-asof-"))
    plan = "plan/2020/"

    def fresh():
        shutil.rmtree(state, ignore_errors=True)

    def run(*args: str, check: bool = True, tree: Path = ROOT):
        env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "200", "GIT_TERMINAL_PROMPT": "0"}
        r = subprocess.run(list(args), cwd=out_dir, env=env, capture_output=True)
        if check and r.returncode != 0:
            raise SystemExit(f"{args}: {r.stderr.decode('utf-8', 'replace')}")
        return r.stdout

    rev = run("git", "-C", str(repo), "rev-list", "-1", f"--before={a.as_of} 23:59:59", "--first-parent",
              "HEAD").decode().strip()
    n = run("git", "-C", str(repo), "rev-list", "--count", "HEAD").decode().strip()
    files = run("git", "-C", str(repo), "ls-tree", "-r", "--name-only", rev, "--", plan).decode().split()
    print(f"repo {repo}: {n} commits, {len(files)} plan files at {rev[:10]} ({a.as_of}); load "
          f"{os.getloadavg()[0]:.1f}; medians of {a.repeat}", flush=True)

    def tree_read():
        ls = run("git", "-C", str(repo), "ls-tree", "-r", rev, "--", plan).decode()
        shas = "\n".join(line.split()[2] for line in ls.splitlines()) + "\n"
        subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=shas.encode(), capture_output=True,
                       check=True)

    rows: list[tuple[str, float, float]] = []

    def row(name, med, mn):
        rows.append((name, med, mn))
        print(f"  {name}: {med:.3f} s (min {mn:.3f})", file=sys.stderr, flush=True)

    base = clock(tree_read, a.repeat)
    row("baseline: git ls-tree -r + cat-file --batch of the as-of tree", *base)
    walk = clock(lambda: run("git", "-C", str(repo), "log", "--raw", "--no-renames", "--no-abbrev", "--full-history",
                             "--diff-merges=first-parent", "--format=%H", "HEAD", "--", plan), a.first_repeat)
    row("baseline: git log --raw --full-history -- plan/ (git's own walk)", *walk)
    report_args = ["report", "--repo", str(repo), "--as-of", a.as_of, "--since", a.since, "--no-record",
                   "-o", str(out_dir / "b.md")]
    trees = [("this tree", ROOT)] + ([("--other", a.other.resolve())] if a.other else [])
    results = {}
    for label, tree in trees:
        py = sys.executable
        build = None
        if tree == ROOT:
            build = clock(lambda: run(py, "-m", "tracker", "--repo", str(repo), "index", tree=tree), a.first_repeat,
                          fresh)
            row(f"{label}: tracker index on a fresh clone (the history index build)", *build)
        first = clock(lambda: run(py, "-m", "tracker", *report_args, tree=tree), a.first_repeat, fresh)
        row(f"{label}: tracker report --as-of, first on a fresh clone", *first)
        again = clock(lambda: run(py, "-m", "tracker", *report_args, tree=tree), a.repeat)
        row(f"{label}: tracker report --as-of, repeated", *again)
        if tree == ROOT:  # the same with the kept bulletin dropped: what a repeated report computes
            computed = clock(lambda: run(py, "-m", "tracker", *report_args, tree=tree), a.first_repeat,
                             lambda: shutil.rmtree(state / "reports", ignore_errors=True))
            row(f"{label}: tracker report --as-of, repeated without the kept bulletin (.git/tracker/reports)",
                *computed)
        results[label] = (build, first, again)
    fresh()

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  median s    min s")
    for name, med, mn in rows:
        print(f"{name:<{width}}  {med:8.3f} {mn:8.3f}")
    build, first, again = results["this tree"]
    print(f"first report / index build: {first[0] / build[0]:.2f}x (target <= 2)")
    print(f"repeated report / ls-tree+cat-file: {again[0] / base[0]:.1f}x median, {again[1] / base[1]:.1f}x best "
          f"(target <= 5)")
    if a.other:
        _, ofirst, oagain = results["--other"]
        print(f"--other: first {ofirst[0]:.2f} s ({ofirst[0] / build[0]:.1f}x the index build), repeated "
              f"{oagain[0]:.2f} s ({oagain[0] / base[0]:.1f}x ls-tree+cat-file); this tree is "
              f"{ofirst[0] / first[0]:.1f}x faster first, {oagain[0] / again[0]:.1f}x faster repeated")
    shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
