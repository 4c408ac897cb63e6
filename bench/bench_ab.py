#!/usr/bin/env python3
"""Two versions of the code, interleaved in one run: `tracker list --format json` warm and cold.

    python bench/bench_ab.py --old SRC [--new SRC] --repo PATH [--rounds 7]
    (SRC: a source tree holding tracker/, e.g. `git archive f09d38e | tar -x -C /tmp/old`)

On a shared, loaded machine only figures measured side by side can be compared: this runs the
two versions alternately (A B, B A, A B, ...), each on its own copy of the repository (their
caches in .git/tracker may differ), and prints medians and bests of each beside the interpreter
alone and the imports, measured in the same rounds.  Cold = the parse cache and the stored
answer removed; warm = nothing changed since the previous run.

Bytecode: both trees are compiled first into a private PYTHONPYCACHEPREFIX, and the children run
without PYTHONDONTWRITEBYTECODE, as an installed tracker runs (pip writes the .pyc files).  With
--no-bytecode every module is compiled from source on every start (a sandbox that sets
PYTHONDONTWRITEBYTECODE and has no __pycache__: ~0.1 s more a process).
"""
from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system, children included) per figure


def timed(cmd: list[str], env: dict, cpu_key: str | None = None) -> float:
    """Wall seconds of one process; its CPU seconds go to CPU[cpu_key] (contention inflates them much less)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # cwd: a folder without tracker/ (python -m/-c put the cwd first on sys.path, before PYTHONPATH)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu_key:
        CPU.setdefault(cpu_key, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True, help="source tree of the other version")
    ap.add_argument("--new", type=Path, default=ROOT, help="source tree of this version (default: this checkout)")
    ap.add_argument("--repo", type=Path, required=True, help="a generated plan (bench/gen_plan.py); copied, never changed")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-bytecode", action="store_true", help="compile every module from source each start")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    sides = {}
    for name, src in (("new", a.new.resolve()), ("old", a.old.resolve())):
        repo = work / name
        shutil.copytree(a.repo, repo, symlinks=True)
        env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
        env["PYTHONPATH"] = str(src)
        if a.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            prefix = work / f"pyc-{name}"
            env["PYTHONPYCACHEPREFIX"] = str(prefix)
            sys.pycache_prefix = str(prefix)
            compileall.compile_dir(src / "tracker", quiet=1)
            sys.pycache_prefix = None
        cmd = [sys.executable, "-m", "tracker", "--repo", str(repo), "list", "--format", "json"]
        timed(cmd, env)  # merge driver config, page cache
        probe = subprocess.run([sys.executable, "-c", "import tracker; print(tracker.__file__)"], env=env,
                               capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout.strip()
        assert probe.startswith(str(src)), f"{name}: runs {probe}, not {src}"
        sides[name] = (repo, env, cmd)
    figures: dict[str, list[float]] = {}
    load = [os.getloadavg()[0]]
    for r in range(a.rounds):
        order = ("new", "old") if r % 2 == 0 else ("old", "new")
        for name in order:
            repo, env, cmd = sides[name]
            for f in ("cache", "list-json"):
                (repo / ".git" / "tracker" / f).unlink(missing_ok=True)
            figures.setdefault(f"{name} cold", []).append(timed(cmd, env, f"{name} cold"))
            figures.setdefault(f"{name} warm", []).append(timed(cmd, env, f"{name} warm"))
            figures.setdefault(f"{name} warm", []).append(timed(cmd, env, f"{name} warm"))
            figures.setdefault(f"{name} imports", []).append(
                timed([sys.executable, "-c", "import tracker.cli, tracker.commands.tasks"], env, f"{name} imports"))
        figures.setdefault("python -c pass", []).append(
            timed([sys.executable, "-c", "pass"], sides["new"][1], "python -c pass"))
        load.append(os.getloadavg()[0])
    shutil.rmtree(work, ignore_errors=True)
    print(f"{a.repo}: new {a.new}, old {a.old}; {a.rounds} rounds interleaved; bytecode "
          f"{'compiled at every start' if a.no_bytecode else 'cached'}; load {min(load):.1f}-{max(load):.1f}")
    print(f"{'wall (cpu: user+sys)':28}{'median':>9}{'best':>9}{'worst':>9}{'cpu med':>9}{'cpu best':>9}")
    for key in ("new warm", "old warm", "new cold", "old cold", "new imports", "old imports", "python -c pass"):
        xs, cs = figures[key], CPU[key]
        print(f"{'  ' + key:28}{statistics.median(xs):>8.2f}s{min(xs):>8.2f}s{max(xs):>8.2f}s"
              f"{statistics.median(cs):>8.2f}s{min(cs):>8.2f}s")
    for kind in ("warm", "cold", "imports"):
        n, o = figures[f"new {kind}"], figures[f"old {kind}"]
        cn, co = CPU[f"new {kind}"], CPU[f"old {kind}"]
        print(f"  {kind}: new/old = {statistics.median(n) / statistics.median(o):.2f} (median), "
              f"{min(n) / min(o):.2f} (best); cpu {statistics.median(cn) / statistics.median(co):.2f} (median), "
              f"{min(cn) / min(co):.2f} (best)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
