"""Time a sync with 100 incoming and 100 outgoing commits, beside plain git on the same histories.

    python bench/bench_sync.py [--commits 100] [--repeat 3]

Builds once: a bare remote seeded with the bundled 2020 plan; office A pushes N commits (tracker
updates); office B makes N unpushed commits.  Then, for every measurement, fresh copies of that
same state are synced:

  tracker sync (in process)        tracker.sync.sync(): fetch, rebase with the semantic driver, push
  tracker sync (CLI process)       `python -m tracker sync`, interpreter start included
  git pull --rebase && git push    the plain-git baseline (no merge driver)
  git fetch + git merge + push     the other plain-git baseline

Scenarios: "disjoint" (A edits tasks 1-30, B tasks 31-60: plain git merges them too), "same tasks"
(both edit tasks 1-50, A the progress, B the note: tracker merges those files field by field), and
with --scenario "same field" (both set the progress of tasks 1-50: tracker records 50 conflicts,
plain git stops with conflict markers).  Prints the median of --repeat runs.
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
sys.path.insert(0, str(ROOT))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def build(base: Path, n: int, scenario: str) -> tuple[Path, Path]:
    from tracker.store import Workspace
    from tracker.sync_setup import ensure_repo_config

    seed = base / "seed"
    seed.mkdir(parents=True)
    shutil.copytree(ROOT / "plan" / "2020", seed / "plan" / "2020")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "seed")
    remote = base / "remote.git"
    git(base, "clone", "-q", "--bare", str(seed), str(remote))
    offices = {}
    for name, who in (("a", "张三"), ("b", "李四")):
        d = base / name
        git(base, "clone", "-q", str(remote), str(d))
        git(d, "config", "user.name", who)
        git(d, "config", "user.email", f"{name}@example.gov.cn")
        offices[name] = d
    wa, wb = Workspace(offices["a"]), Workspace(offices["b"])
    ensure_repo_config(wa)
    for i in range(n):
        if scenario == "disjoint":
            wa.update_task(1 + i % 30, {"progress": (i * 7) % 100 + 1})
            wb.update_task(31 + i % 30, {"progress": (i * 3) % 100 + 1})
        elif scenario == "same tasks":
            wa.update_task(1 + i % 50, {"progress": (i * 7) % 100 + 1})
            wb.update_task(1 + i % 50, {"note": f"第{i}次报送：按计划推进"})
        else:  # "same field": both offices set the progress of the same tasks to different values
            wa.update_task(1 + i % 50, {"progress": (i * 7) % 100 + 1})
            wb.update_task(1 + i % 50, {"progress": (i * 7 + 13) % 100 + 1})
    git(offices["a"], "push", "-q", "origin", "main")
    return remote, offices["b"]


def fresh(state: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(state, work, symlinks=True)
    git(work / "b", "remote", "set-url", "origin", str(work / "remote.git"))  # the copy's own remote
    return work / "b"


def plain(b: Path) -> None:
    """Turn a copy into a plain-git clone: no tracker driver."""
    (b / ".git" / "info" / "attributes").unlink(missing_ok=True)
    subprocess.run(["git", "config", "--unset-all", "merge.tracker.driver"], cwd=b, capture_output=True)


def timed(fn) -> tuple[float, str]:
    t0 = time.perf_counter()
    note = fn() or ""
    return time.perf_counter() - t0, note


def run_tracker_inproc(b: Path) -> str:
    from tracker.store import Workspace
    from tracker.sync import sync

    res = sync(Workspace(b), lang="en")
    return f"received {res.received}, pushed {res.pushed}, conflicts {len(res.conflicts)}"


def run_tracker_cli(b: Path) -> str:
    p = subprocess.run([sys.executable, "-m", "tracker", "sync", "--lang", "en"], cwd=b, capture_output=True, text=True)
    return "ok" if p.returncode == 0 else f"FAILED: {p.stderr.strip()[:200]}"


def run_pull_rebase(b: Path) -> str:
    p = subprocess.run("git pull -q --rebase origin main && git push -q origin HEAD:main", shell=True, cwd=b,
                       capture_output=True, text=True)
    if p.returncode:
        subprocess.run("git rebase --abort", shell=True, cwd=b, capture_output=True)
        return "FAILED (conflict): " + p.stdout.strip().splitlines()[-1][:80] if p.stdout.strip() else "FAILED"
    return "ok"


def run_fetch_merge(b: Path) -> str:
    p = subprocess.run("git fetch -q origin && git merge -q --no-edit origin/main && git push -q origin HEAD:main",
                       shell=True, cwd=b, capture_output=True, text=True)
    if p.returncode:
        subprocess.run("git merge --abort", shell=True, cwd=b, capture_output=True)
        return "FAILED (conflict)"
    return "ok"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", action="append", choices=("disjoint", "same tasks", "same field"),
                    help="default: disjoint and same tasks (same field: tracker records conflicts, git stops)")
    args = ap.parse_args()
    os.environ.setdefault("TRACKER_NO_COMMIT_GRAPH", "1")
    print(f"git {git(ROOT, '--version').split()[-1]}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores; {args.commits} incoming + {args.commits} outgoing commits; median of {args.repeat}")
    for scenario in args.scenario or ("disjoint", "same tasks"):
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
            base = Path(tmp)
            state = base / "state"
            t0 = time.perf_counter()
            build(state, args.commits, scenario)
            print(f"\n[{scenario}] built the histories in {time.perf_counter() - t0:.1f} s")
            rows = []
            for label, fn, is_plain in (("tracker sync (in process)", run_tracker_inproc, False),
                                        ("tracker sync (CLI process)", run_tracker_cli, False),
                                        ("git pull --rebase && git push", run_pull_rebase, True),
                                        ("git fetch + git merge + git push", run_fetch_merge, True)):
                times, note = [], ""
                for r in range(args.repeat):
                    b = fresh(state, base / "work")
                    if is_plain:
                        plain(b)
                    t, note = timed(lambda: fn(b))
                    times.append(t)
                rows.append((label, statistics.median(times), note))
            for label, t, note in rows:
                print(f"  {label:<34} {t:7.2f} s   {note}")


if __name__ == "__main__":
    main()
