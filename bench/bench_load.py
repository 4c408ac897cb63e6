#!/usr/bin/env python3
"""Loading a large plan: the whole `tracker list --format json` process, cold and warm.

    python bench/bench_load.py [--tasks 10000] [--commits 200] [--runs 5] [--repo PATH]

Makes (or reuses, with --repo) a generated plan (bench/gen_plan.py) and times, each as a fresh
process: `tracker list --format json` with no parse cache (cold: every file read, hashed, parsed
and validated) and with the cache of the previous run (warm: nothing changed, so files are only
stat'ed); then the warm run after a hand edit of one file (which must show).  Beside them, in the
same script, the baselines: the interpreter alone, and per-file parse costs on a sample of the
same files with ruamel's round-trip loader, PyYAML's C safe loader and json.  Targets: warm
<= 0.5 s, cold <= 2 s.
"""
from __future__ import annotations

import argparse
import json
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


CPU: list[float] = []  # CPU seconds (user + system) of each process run by `run`, children included


def run(cmd: list[str], check: bool = False, **kw) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of one process; its CPU time (itself and its children) goes to CPU[-1]."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, check=check, **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sample", type=int, default=500, help="files for the per-file parser baselines")
    ap.add_argument("--repo", type=Path)
    a = ap.parse_args(argv)
    repo = a.repo
    if repo is None:
        repo = Path(tempfile.mkdtemp(prefix="bench-load-")) / "repo"
        generate(repo, a.tasks, a.commits)
    cache = repo / ".git" / "tracker" / "cache"
    answer = repo / ".git" / "tracker" / "list-json"
    lst = [sys.executable, "-m", "tracker", "--repo", str(repo), "list", "--format", "json"]
    env = {**os.environ}
    env.pop("TRACKER_NO_CACHE", None)
    run(lst, env=env)  # installs per-repository git config once (merge driver), warms the page cache

    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    out_cold = out_warm = b""
    for _ in range(max(1, a.runs // 2)):
        cache.unlink(missing_ok=True)
        answer.unlink(missing_ok=True)  # and the stored answer (tracker/listcache.py)
        t, p = run(lst, env=env, check=True)
        cold.append(t)
        cold_cpu.append(CPU[-1])
        out_cold = p.stdout
    for _ in range(a.runs):
        t, p = run(lst, env=env, check=True)
        warm.append(t)
        warm_cpu.append(CPU[-1])
        out_warm = p.stdout
    assert out_cold == out_warm, "cached output differs from a fresh parse"
    n = len(json.loads(out_warm))

    # a hand edit must show on the next (warm) run
    task = sorted((repo / "plan").glob("*/tasks/*.yaml"))[n // 2]
    text = task.read_text("utf-8")
    edited = text.replace("progress: ", "progress: 9", 1) if "progress: 0\n" in text else text.replace("\nnote: ", "\nnote: 手工修改 ", 1)
    task.write_text(edited, "utf-8")
    t_edit, p = run(lst, env=env, check=True)
    shown = json.loads(p.stdout)
    task.write_text(text, "utf-8")
    seen = out_warm != p.stdout
    _, _ = run(lst, env=env)  # settle the cache back

    cold1, _ = run(lst, env={**env, "TRACKER_WORKERS": "0", "TRACKER_NO_CACHE": "1"}, check=True)
    cold1_cpu = CPU[-1]
    interp = statistics.median(run([sys.executable, "-c", "pass"])[0] for _ in range(3))
    imports = statistics.median(run([sys.executable, "-c", "import tracker.cli, tracker.commands.tasks"])[0]
                                for _ in range(3))

    # per-file parser baselines on a sample of the same files
    from ruamel.yaml import YAML

    import yaml

    from tracker.yamlio import FastLoader

    files = sorted((repo / "plan").glob("*/tasks/*.yaml"))[: a.sample]
    texts = [f.read_text("utf-8") for f in files]
    rt = YAML(typ="rt")
    t = time.perf_counter()
    docs = [rt.load(x) for x in texts]
    per_rt = (time.perf_counter() - t) / len(texts)
    t = time.perf_counter()
    docs = [yaml.load(x, Loader=FastLoader) for x in texts]
    per_c = (time.perf_counter() - t) / len(texts)
    from tracker.yamlsimple import FALLBACK, parse as simple_parse

    t = time.perf_counter()
    simple = [simple_parse(x) for x in texts]
    per_simple = (time.perf_counter() - t) / len(texts)
    fell_back = sum(d is FALLBACK for d in simple)
    js = [json.dumps(d, ensure_ascii=False, default=str) for d in docs]
    t = time.perf_counter()
    for x in js:
        json.loads(x)
    per_json = (time.perf_counter() - t) / len(texts)

    # where a warm `tracker list --format json` spends its CPU (one process, phase by phase)
    phases = subprocess.run([sys.executable, "-c", PHASES, str(repo)], capture_output=True, text=True, check=True).stdout

    print(f"repo: {repo} ({n} tasks listed)")
    print(f"{'`tracker list --format json` process':48}{'median':>9}{'best':>9}{'cpu':>9}")
    print(f"{'  warm (nothing changed: stored answer)':48}{statistics.median(warm):>8.2f}s{min(warm):>8.2f}s"
          f"{statistics.median(warm_cpu):>8.2f}s   target <= 0.5 s")
    print(f"{'  cold (no cache: read+hash+parse+validate)':48}{statistics.median(cold):>8.2f}s{min(cold):>8.2f}s"
          f"{statistics.median(cold_cpu):>8.2f}s   target <= 2 s (cpu: both processes)")
    print(f"{'  warm after a hand edit of one file':48}{t_edit:>8.2f}s   edit shown: {seen} ({len(shown)} tasks)")
    print(f"{'  cold, one process (TRACKER_WORKERS=0)':48}{cold1:>8.2f}s{'':>9}{cold1_cpu:>8.2f}s")
    print("baselines (same run):")
    print(f"{'  python -c pass':48}{interp:>8.2f}s")
    print(f"{'  python -c import tracker.cli, ...tasks':48}{imports:>8.2f}s")
    print(f"{'  ruamel round-trip load, per file':48}{per_rt * 1000:>7.2f}ms   x{n} = {per_rt * n:.1f}s")
    print(f"{'  PyYAML C safe loader, per file':48}{per_c * 1000:>7.2f}ms   x{n} = {per_c * n:.1f}s")
    print(f"{'  tracker.yamlsimple (its own subset), per file':48}{per_simple * 1000:>7.2f}ms   x{n} = {per_simple * n:.1f}s"
          f"   ({fell_back} of {len(texts)} sampled files left to PyYAML)")
    print(f"{'  json.loads of the same data, per file':48}{per_json * 1000:>7.3f}ms   x{n} = {per_json * n:.2f}s")
    print("warm run, CPU by phase (one process):")
    print(phases.rstrip())
    return 0


PHASES = """
import sys, time
T = time.process_time
t0 = T()
import json, argparse
from datetime import date
import tracker.cli, tracker.commands.tasks
from tracker.commands._common import workspace
from tracker.analytics import thresholds
from tracker.schedule import expected_progress, light
t1 = T()
ws = workspace(argparse.Namespace(repo=sys.argv[1], plan=None))
data = ws.load()
t2 = T()
on = date.today(); th = thresholds(data)
rows = [{**t.as_json(), "light": light(t, th, on), "expected": expected_progress(t, th, on)} for t in data.tasks]
t3 = T()
a = json.dumps(rows, ensure_ascii=False, indent=2)
t4 = T()
b = json.dumps(rows, ensure_ascii=False)
t5 = T()
for name, v in (("imports", t1 - t0), ("Workspace.load (parse cache)", t2 - t1), ("lights + as_json", t3 - t2),
                ("json.dumps indent=2 (emit_json on a terminal)", t4 - t3), ("json.dumps compact (emit_json when piped)", t5 - t4)):
    print(f"  {name:46}{v:>8.2f}s")
"""


if __name__ == "__main__":
    sys.exit(main())
