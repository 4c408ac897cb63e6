#!/usr/bin/env python3
"""One update at N tasks: `Workspace.update_task` vs a plain `git commit --only` of the same file.

    python bench/bench_update.py [--tasks 10000] [--commits 2000] [--runs 9] [--repo PATH]

Makes (or reuses, with --repo) a generated plan (bench/gen_plan.py), then alternates, in the same
process and repository: (a) the tool's update of one task (read, validate, round-trip edit,
journal, atomic write, `git commit --only`, commit-graph upkeep) and (b) the baseline: the same
file edited by a plain write and committed with `git commit -q --only -m MSG -- FILE`.  Prints the
median and best of each and the ratio (each operation after a short rest, so the tool's
background commit-graph refresh does not land on the next measurement) (target: tool <= 1.2 x baseline), and the wall time of the
whole `tracker set` process for reference.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds of rest before each timed operation")
    ap.add_argument("--repo", type=Path, help="an existing generated repository (else a new one in /tmp)")
    a = ap.parse_args(argv)
    repo = a.repo
    if repo is None:
        repo = Path(tempfile.mkdtemp(prefix="bench-update-")) / "repo"
        generate(repo, a.tasks, a.commits)
    from tracker.store import Workspace

    ws = Workspace(repo)
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    tasks = len(list((ws.plan_dir / "tasks").iterdir()))
    # warm both paths once (imports, page cache)
    ws.update_task(1, {"progress": 1})
    subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=repo, check=True,
                   capture_output=True)
    base_path = ws.plan_dir / "tasks" / "02.yaml"
    rel = ws.rel(base_path)
    import resource

    def cpu_children() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    tool, plain, tool_cpu, plain_cpu = [], [], [], []
    for i in range(a.runs):
        time.sleep(a.pause)  # let the previous save's background commit-graph refresh finish
        c0, ch0 = time.process_time(), cpu_children()
        t = time.perf_counter()
        r = ws.update_task(1, {"progress": 10 + i % 2 * 5 + i})
        tool.append(time.perf_counter() - t)
        tool_cpu.append(time.process_time() - c0 + cpu_children() - ch0)
        assert r is not None
        text = base_path.read_text("utf-8")
        new = text.replace("progress: ", "progress:  ", 1) if i % 2 == 0 else text.replace("progress:  ", "progress: ", 1)
        time.sleep(a.pause)
        c0, ch0 = time.process_time(), cpu_children()
        t = time.perf_counter()
        base_path.write_text(new, "utf-8")
        subprocess.run(["git", "commit", "-q", "--only", "-m", f"baseline {i}", "--", rel], cwd=repo,
                       check=True, env=env)
        plain.append(time.perf_counter() - t)
        plain_cpu.append(time.process_time() - c0 + cpu_children() - ch0)
    # whole process, for reference
    cli = []
    for i in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tracker", "--repo", str(repo), "set", "3", "--progress", str(20 + i)],
                       check=True, capture_output=True)
        cli.append(time.perf_counter() - t)
    med_t, med_p = statistics.median(tool), statistics.median(plain)
    print(f"repo: {repo} ({tasks} task files, {subprocess.run(['git', 'rev-list', '--count', 'HEAD'], cwd=repo, capture_output=True, text=True).stdout.strip()} commits)")
    mct, mcp = statistics.median(tool_cpu), statistics.median(plain_cpu)
    print(f"{'':28}{'median':>10}{'best':>10}{'cpu':>10}")
    print(f"{'tracker update_task':28}{med_t * 1000:>8.1f}ms{min(tool) * 1000:>8.1f}ms{mct * 1000:>8.1f}ms")
    print(f"{'baseline git commit --only':28}{med_p * 1000:>8.1f}ms{min(plain) * 1000:>8.1f}ms{mcp * 1000:>8.1f}ms")
    print(f"ratio (median) {med_t / med_p:.2f}  (target <= 1.20)   ratio (best) {min(tool) / min(plain):.2f}   "
          f"cpu ratio {mct / mcp:.2f} (cpu: this process + git, without the detached commit-graph refresh)")
    print(f"`tracker set` whole process: median {statistics.median(cli) * 1000:.0f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
