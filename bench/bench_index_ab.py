#!/usr/bin/env python3
"""The history index's build (`tracker index` from nothing), two versions of the code interleaved
in one run, beside git's own walk of the same history.

    python bench/bench_index_ab.py --old SRC [--new SRC] --repo PATH [--rounds 3]
    (SRC: a source tree holding tracker/, e.g. `git archive f09d38e | tar -x -C /tmp/old`;
     PATH: e.g. `python bench/gen_plan.py PATH --tasks 1000 --commits 50000`)

Each version builds on its own copy of the repository (copied once; the index file is removed
before every build), alternately (A B git, B A git, ...): on a shared machine only figures measured
side by side compare.  Printed per round and as medians: wall seconds and CPU seconds with git's
processes included (getrusage of the children), and the ratios new/old and new/git.  The
baseline is `git log --raw --no-renames -- plan/` of the whole history, the walk any index needs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ab  # noqa: E402


def timed(cmd: list[str], env: dict, key: str) -> tuple[float, float]:
    """(wall, CPU with children) of one process, run outside any checkout: bench_ab.timed."""
    wall = bench_ab.timed(cmd, env, key)
    return wall, bench_ab.CPU[key][-1]


def drop_index(repo: Path) -> None:
    for f in (repo / ".git" / "tracker").glob("touches-*"):
        f.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True, help="source tree of the other version")
    ap.add_argument("--new", type=Path, default=ROOT, help="source tree of this version (default: this checkout)")
    ap.add_argument("--repo", type=Path, required=True, help="a generated plan (bench/gen_plan.py); copied, never changed")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--plan", default="2020")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-index-ab-"))
    copies = {}
    for name in ("new", "old"):
        copies[name] = work / name
        shutil.copytree(a.repo, copies[name], symlinks=True)
    trees = {"new": a.new.resolve(), "old": a.old.resolve()}
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    print(f"# {os.cpu_count()} cores, load {open('/proc/loadavg').read().split()[:3]}, "
          f"{int(subprocess.run(['git', '-C', str(a.repo), 'rev-list', '--count', 'HEAD'], capture_output=True, text=True).stdout)} commits")
    figs: dict[str, list[tuple[float, float]]] = {"new": [], "old": [], "git": []}
    for r in range(a.rounds):
        order = ("new", "old") if r % 2 == 0 else ("old", "new")
        for name in order:
            drop_index(copies[name])
            env = {**base, "PYTHONPATH": str(trees[name])}
            cmd = [sys.executable, "-P", "-m", "tracker", "--repo", str(copies[name]), "--plan", a.plan, "index"]
            figs[name].append(timed(cmd, env, name))
        figs["git"].append(timed(["git", "-C", str(copies["new"]), "log", "--raw", "--no-renames", "--no-abbrev",
                                  "--format=%H %P %an %ae %at %aI %s", "--", f"plan/{a.plan}/"], base, "git"))
        print(f"round {r + 1}: " + "; ".join(f"{k} {figs[k][-1][0]:.2f} s wall, {figs[k][-1][1]:.2f} s CPU" for k in figs)
              + f" (load {open('/proc/loadavg').read().split()[0]})", flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in figs.items()}
    for k, (w, c) in med.items():
        print(f"{k}: median {w:.2f} s wall (best {min(x for x, _ in figs[k]):.2f}), {c:.2f} s CPU")
    ratios = [n[0] / o[0] for n, o in zip(figs["new"], figs["old"])]
    print(f"new/old wall per round: {' '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}x; "
          f"CPU median {med['new'][1] / med['old'][1]:.2f}x; new/git wall median {med['new'][0] / med['git'][0]:.2f}x")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
