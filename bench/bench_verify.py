#!/usr/bin/env python3
"""The pre-receive hook's cost: a push of 100 signed commits at 10,000 tasks (target: checked <= 1 s).

    python bench/bench_verify.py [--tasks 10000] [--commits 100] [--runs 5] [--history 200]

Makes a generated plan (bench/gen_plan.py, `--history` commits of unsigned history before
offices.yaml), adds offices.yaml (a supervisor and a unit office, real ed25519 keys made with
ssh-keygen) in a signed commit, makes two bare copies (one with `tracker serve install`, one
without), and in a unit office's clone makes `--commits` signed commits, each a progress change
of a task the office acts for.  Then, alternating, in the same run:

  (a) `git push` to the guarded remote (the hook checks every pushed commit),
  (b) `git push` to the plain remote: the baseline, git's own cost of the same push,
  (c) the hook's check alone, in process (tracker.serve.check_push), and
  (d) `tracker verify` of the same 100 commits (`--since REV`) as a CLI process.

Between runs both remotes are reset to their old head.  Prints the median and best of each and the
hook's own share, (a) - (b).
"""
from __future__ import annotations

import argparse
import os
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen_plan import generate  # noqa: E402

ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "TRACKER_NO_COMMIT_GRAPH": "1"}


def sh(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, check=check, capture_output=True, text=True, env=ENV)


def tracker(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "tracker", *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    if r.returncode not in (0, 1):
        raise SystemExit(f"tracker {' '.join(args)} failed: {r.stderr}")
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=100)
    ap.add_argument("--history", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep the repositories (their folder is printed)")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench_verify."))
    try:
        t = time.perf_counter()
        seed = generate(tmp / "seed", a.tasks, a.history)
        print(f"generated {a.tasks} tasks, {a.history} commits in {time.perf_counter() - t:.1f} s", flush=True)
        keys = tmp / "keys"
        keys.mkdir()
        for name, comment in (("sup", "督查室"), ("unit", "王建国")):
            sh(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(keys / name))
        # the unit most tasks name
        counts: dict[str, int] = {}
        files = sorted((seed / "plan/2020/tasks").glob("*.yaml"))
        units_of = {}
        from tracker.yamlio import fast_load

        for f in files:
            us = fast_load(f.read_text("utf-8"), str(f)).get("units") or []
            units_of[f] = us
            for u in us:
                counts[u] = counts.get(u, 0) + 1
        unit = max(counts, key=counts.get)
        own = [f for f in files if unit in units_of[f] and re.search(r"(?m)^progress: \d+$", f.read_text("utf-8"))]
        sh(seed, "git", "config", "user.name", "督查室")
        tracker(seed, "office", "add", "督查室", "--role", "supervisor", "--key", str(keys / "sup.pub"), "--join")
        tracker(seed, "office", "add", "单位办公室", "--role", "unit", "--unit", unit, "--key", str(keys / "unit.pub"))
        guarded, plain = tmp / "guarded.git", tmp / "plain.git"
        sh(tmp, "git", "clone", "-q", "--bare", str(seed), str(guarded))
        sh(tmp, "git", "clone", "-q", "--bare", str(seed), str(plain))
        tracker(tmp, "serve", "install", str(guarded))
        office = tmp / "office"
        sh(tmp, "git", "clone", "-q", str(guarded), str(office))
        sh(office, "git", "remote", "add", "plain", str(plain))
        tracker(office, "office", "join", "单位办公室", "--key", str(keys / "unit"))
        base = sh(office, "git", "rev-parse", "HEAD").stdout.strip()
        t = time.perf_counter()
        for i in range(a.commits):
            f = office / own[i % len(own)].relative_to(seed)
            text = f.read_text("utf-8")
            text = re.sub(r"(?m)^progress: (\d+)$", lambda m: f"progress: {(int(m.group(1)) + 1) % 101}", text, count=1)
            f.write_text(text, "utf-8")
            rel = str(f.relative_to(office))
            sh(office, "git", "commit", "-q", "-m", f"{rel}: progress +1", "--", rel)
        print(f"{a.commits} signed commits of {unit} ({len(own)} tasks it acts for) in {time.perf_counter() - t:.1f} s",
              flush=True)

        from tracker.gitstore import GitRepo
        from tracker.serve import check_push

        head = sh(office, "git", "rev-parse", "HEAD").stdout.strip()
        res: dict[str, list[float]] = {"hook": [], "plain": [], "check": [], "verify": []}
        cpu: dict[str, list[float]] = {k: [] for k in res}

        def cpu_now() -> float:  # this process plus every child process waited for (git, the hook, ssh-keygen)
            ch = resource.getrusage(resource.RUSAGE_CHILDREN)
            return time.process_time() + ch.ru_utime + ch.ru_stime

        for run in range(a.runs):
            for remote, key in (("origin", "hook"), ("plain", "plain")):
                bare = guarded if remote == "origin" else plain
                sh(bare, "git", "update-ref", "refs/heads/main", base)
                t, c = time.perf_counter(), cpu_now()
                r = sh(office, "git", "push", "-q", "--force" if remote == "plain" else "-q", remote, "HEAD:main", check=False)
                res[key].append(time.perf_counter() - t)
                cpu[key].append(cpu_now() - c)
                if r.returncode != 0:
                    raise SystemExit(f"push to {remote} refused: {r.stderr}")
            sh(guarded, "git", "update-ref", "refs/heads/main", base)
            t, c = time.perf_counter(), cpu_now()
            reasons = check_push(GitRepo(guarded), [(base, head, "refs/heads/main")])
            res["check"].append(time.perf_counter() - t)
            cpu["check"].append(cpu_now() - c)
            assert not reasons, reasons
            sh(guarded, "git", "update-ref", "refs/heads/main", head)
            t, c = time.perf_counter(), cpu_now()
            r = tracker(office, "verify", "--since", base)
            res["verify"].append(time.perf_counter() - t)
            cpu["verify"].append(cpu_now() - c)
            assert r.returncode == 0, r.stdout
        med = {k: statistics.median(v) for k, v in res.items()}
        best = {k: min(v) for k, v in res.items()}
        mc = {k: statistics.median(v) for k, v in cpu.items()}
        load = os.getloadavg()[0]
        print(f"push of {a.commits} commits at {a.tasks} tasks, {a.runs} runs, load {load:.1f} "
              f"(wall median / best; CPU median incl. child processes):")
        rows = (("git push, guarded remote (hook)", "hook"), ("git push, plain remote (baseline)", "plain"),
                ("check_push in process", "check"), ("tracker verify --since (process)", "verify"))
        for label, k in rows:
            print(f"  {label:<36} {med[k]:.3f} s / {best[k]:.3f} s   CPU {mc[k]:.3f} s")
        share, share_cpu = med["hook"] - med["plain"], mc["hook"] - mc["plain"]
        print(f"  {'the hook (a - b)':<36} {share:.3f} s wall, {share_cpu:.3f} s CPU   target <= 1 s: "
              f"{'met' if share <= 1 else ('met in CPU time (the machine was loaded)' if share_cpu <= 1 else 'NOT met')}")
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
