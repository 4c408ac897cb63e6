#!/usr/bin/env python3
"""How long an as-of bulletin takes on a big repository, beside git's own floor in the same run.

Usage:

    python bench/bench_report.py [REPO] [--tasks 10000 --commits 50000] [--as-of 2020-11-30]
                                 [--since 2020-10-31] [--repeat 3] [--keep DIR]

Without REPO a repository is generated with bench/gen_plan.py (10,000 tasks and 50,000 commits
take about 4 minutes; --keep DIR keeps it for the next run).  Then, each --repeat times with the
in-process caches emptied, it times:

  baseline  git ls-tree -r + git cat-file --batch of every blob of the as-of tree (the floor for
            reading one past version of the plan), and the first-parent `git log --raw` walk of
            the plan folder (the floor for anything drawn from the whole history)
  tracker   load_as_of (tree -> typed, checked objects), the history timeline, the bulletin model
            (lights, ranking, reminders' inputs, targets, changes since, burn-up), each writer,
            and the whole `tracker report --as-of ... -o FILE` process

and prints medians (seconds) with the ratio to the ls-tree+cat-file baseline.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _clock(fn, repeat: int, reset=None):
    """(median, min, last result) of `repeat` timed calls."""
    times, result = [], None
    for _ in range(repeat):
        if reset:
            reset()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def _reset_caches():
    """Empty the in-process caches (parsed versions, timelines, lines); the history index stays."""
    from tracker import asof

    asof._PARSED.clear()
    asof._TIMELINES.clear()
    asof._LINES.clear()


def _drop_disk_cache(ws):
    """As on a fresh clone: no history index."""
    _reset_caches()
    for f in ws.state_dir.glob("touches-*"):
        f.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", nargs="?", help="an existing tracking repository (default: generate one)")
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=50000)
    ap.add_argument("--as-of", dest="as_of", default="2020-11-30")
    ap.add_argument("--since", default="2020-10-31")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repeat-slow", type=int, default=1,
                    help="repeats of the steps that walk the whole history (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR (reused when it already holds a repository)")
    ap.add_argument("--formats", default="md,html,xlsx,docx")
    a = ap.parse_args(argv)

    tmp = None
    if a.repo:
        repo = Path(a.repo)
    else:
        repo = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="bench-report-")) / "repo"
        if not (repo / ".git").exists():
            sys.path.insert(0, str(ROOT / "bench"))
            from gen_plan import generate  # written by the scale work; see bench/gen_plan.py

            t0 = time.perf_counter()
            generate(repo, a.tasks, a.commits)
            print(f"generated {repo}: {a.tasks} tasks, {a.commits} commits in {time.perf_counter() - t0:.0f} s",
                  flush=True)
        tmp = None if a.keep else repo.parent

    from tracker import analytics as an
    from tracker.asof import commit_at, load_as_of, timeline
    from tracker.report import build, write
    from tracker.store import Workspace

    ws = Workspace(repo)
    on, since = date.fromisoformat(a.as_of), date.fromisoformat(a.since)
    n_commits = int(ws.git.run("rev-list", "--count", "HEAD").strip())
    rev = commit_at(ws, on)
    files = ws.git.run("ls-tree", "-r", "--name-only", rev, "--", ws.plan_rel + "/tasks/").split("\n")
    print(f"repo {repo}: {n_commits} commits, {len([f for f in files if f])} task files at the as-of commit "
          f"{rev[:10]} ({on}); since {since}; median of {a.repeat}", flush=True)

    def baseline_tree():
        ls = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", rev, "--", ws.plan_rel + "/"],
                            capture_output=True, text=True, check=True).stdout
        shas = "\n".join(line.split()[2] for line in ls.splitlines()) + "\n"
        out = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=shas.encode(),
                             capture_output=True, check=True).stdout
        return len(out)

    def baseline_log():
        out = subprocess.run(["git", "-C", str(repo), "log", "--first-parent", "--raw", "--no-abbrev", "--format=%H %ct",
                              "HEAD", "--", ws.plan_rel + "/"], capture_output=True, check=True).stdout
        return len(out)

    class Rows(list):
        def append(self, row):
            super().append(row)
            print(f"  {row[0]}: {row[1]:.3f} s (min {row[2]:.3f})", file=sys.stderr, flush=True)

    rows: list[tuple[str, float, float]] = Rows()
    base, bmin, nbytes = _clock(baseline_tree, a.repeat)
    rows.append(("baseline: git ls-tree -r + cat-file --batch (as-of tree)", base, bmin))
    t, tmin, _ = _clock(baseline_log, a.repeat_slow)
    rows.append(("baseline: git log --first-parent --raw (plan folder)", t, tmin))

    from tracker import cache as cache_mod

    cache_mod.clear(ws)
    t, tmin, data = _clock(lambda: load_as_of(ws, on), a.repeat, _reset_caches)
    rows.append((f"load_as_of ({len(data.tasks)} tasks, {len(data.problems)} problems), no parse cache", t, tmin))
    ws.load()  # fills .git/tracker/cache with the work tree's versions, as any tracker command does
    t, tmin, data = _clock(lambda: load_as_of(ws, on), a.repeat, _reset_caches)
    rows.append(("load_as_of, work-tree parse cache warm (unchanged files reused)", t, tmin))
    t, tmin, tl = _clock(lambda: timeline(ws), 1, lambda: _drop_disk_cache(ws))
    rows.append((f"timeline, cold: history index built ({len(tl.commits)} first-parent commits; once per clone)", t, tmin))
    t, tmin, tl = _clock(lambda: timeline(ws), a.repeat, _reset_caches)
    rows.append(("timeline, warm: a query on the history index", t, tmin))
    t, tmin, _ = _clock(lambda: an.burnup(ws, date(2020, 9, 15), on, 7), a.repeat, _reset_caches)
    rows.append(("burn-up, weekly from 2020-09-15 (an ls-tree per point)", t, tmin))
    t, tmin, ch = _clock(lambda: an.changes(ws, since, on), a.repeat_slow, _reset_caches)
    rows.append((f"changes since {since} ({len(ch)} field changes)", t, tmin))
    t, tmin, b = _clock(lambda: build(ws, as_of=on, since=since), a.repeat, _reset_caches)
    rows.append(("bulletin model, all sections (empty in-process caches, history index at HEAD)", t, tmin))
    out_dir = Path(tempfile.mkdtemp(prefix="bench-report-out-"))
    for fmt in [f for f in a.formats.split(",") if f]:
        t, tmin, _ = _clock(lambda fmt=fmt: write(b, fmt, out_dir / f"b.{fmt}"), a.repeat)
        size = (out_dir / f"b.{fmt}").stat().st_size
        rows.append((f"write {fmt} ({size / 1e6:.1f} MB)", t, tmin))

    def whole_process():
        r = subprocess.run([sys.executable, "-m", "tracker", "report", "--repo", str(repo), "--as-of", a.as_of,
                            "--since", a.since, "--no-record", "-o", str(out_dir / "cli.md")],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
        if r.returncode != 0:
            raise SystemExit(r.stderr)

    t, tmin, _ = _clock(whole_process, a.repeat)
    rows.append(("whole process: tracker report --as-of ... -o b.md (history index at HEAD)", t, tmin))
    t, tmin, _ = _clock(whole_process, 1, lambda: _drop_disk_cache(ws))
    rows.append(("whole process, first ever on this clone (no history index), once", t, tmin))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  median s    min s   x baseline")
    for name, med, mn in rows:
        print(f"{name:<{width}}  {med:8.3f} {mn:8.3f}   {med / base:8.1f}")
    print(f"(baseline read {nbytes / 1e6:.1f} MB of blobs)")
    if tmp is not None:
        subprocess.run(["rm", "-rf", str(tmp)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
