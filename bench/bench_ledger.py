#!/usr/bin/env python3
"""The ledger round trip at 500 items: export and ingest, each against a baseline in the same run.

    python bench/bench_ledger.py [--tasks 500] [--changed 20] [--runs 5] [--repo PATH]

Makes (or reuses) a generated plan (bench/gen_plan.py) of N tasks (each with its measures: ~4
rows a task), then, best and median of --runs:

- export .xlsx: `tracker.ledger.export` (load, rows, styles, validation, protection, version
  sheet, write)  vs  baseline: openpyxl writing the same cell values bare (no styles, nothing else)
- export .docx: the same, Word table
- ingest, read + plan of the returned workbook (every row compared with its exported version)
  vs  baseline: openpyxl reading the same workbook (read-only, values only)
- ingest, apply: --changed items edited by the "unit", one commit each through the save path
  vs  baseline: the same number of plain `git commit --only` of a one-line edit
Target: export and ingest (read + plan) of the 500-item ledger each <= 2 s; the apply is one
commit per changed item, so it is reported per commit against git's own commit.
"""
from __future__ import annotations

import argparse
import io
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


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=500)
    ap.add_argument("--changed", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repo", type=Path)
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    repo = a.repo or generate(tmp / "repo", a.tasks, 0)
    env_git = ["-c", "user.name=督查室", "-c", "user.email=dc@example.gov.cn"]
    subprocess.run(["git", "config", "user.name", "督查室"], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.email", "dc@example.gov.cn"], cwd=repo, check=True)

    from openpyxl import Workbook, load_workbook

    from tracker.ledger.export import build, export
    from tracker.ledger.ingest import apply, plan
    from tracker.ledger.read import read
    from tracker.store import Workspace

    ws = Workspace(repo)
    out = tmp / "ledger.xlsx"
    best, med, res = timed(lambda: export(ws, out), a.runs)
    rows = res[1]
    print(f"tasks {a.tasks}, ledger rows {len(rows)}")
    print(f"export .xlsx          best {best:6.3f} s  median {med:6.3f} s")

    def bare() -> bytes:
        wb = Workbook()
        sh = wb.active
        for r in rows:
            sh.append([str(v) if v is not None else None for v in r.values.values()])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    b_best, b_med, _ = timed(bare, a.runs)
    print(f"  baseline openpyxl, same cells bare: best {b_best:6.3f} s  median {b_med:6.3f} s  "
          f"(ratio {best / b_best:.2f}x)")
    d_best, d_med, _ = timed(lambda: export(ws, tmp / "ledger.docx"), a.runs)
    print(f"export .docx          best {d_best:6.3f} s  median {d_med:6.3f} s")
    l_best, _, _ = timed(lambda: build(ws), a.runs)
    print(f"  of which loading the plan and building rows: {l_best:6.3f} s")

    # the unit's edits: --changed tasks get a new progress and note
    wb = load_workbook(out)
    sh = wb["台账"]
    n = 0
    for row in sh.iter_rows(min_row=4):
        if row[0].value and "." not in str(row[0].value) and n < a.changed:
            row[7].value = (int(row[7].value or 0) + 7) % 101
            row[8].value = f"第{n}项：已完成年度目标任务的一半。"
            n += 1
    back = tmp / "back.xlsx"
    wb.save(back)
    p_best, p_med, pl = timed(lambda: plan(ws, back, unit="市水利局"), a.runs)
    print(f"ingest read + plan    best {p_best:6.3f} s  median {p_med:6.3f} s  ({len(pl.to_apply)} items to change)")
    r_best, r_med, _ = timed(lambda: read(back), a.runs)
    rb_best, rb_med, _ = timed(lambda: list(load_workbook(back, read_only=True, data_only=True)["台账"].iter_rows(values_only=True)), a.runs)
    print(f"  of which reading the file {r_best:6.3f} s; baseline openpyxl read-only values {rb_best:6.3f} s")

    t0 = time.perf_counter()
    results = apply(ws, pl, lang="zh")
    t_apply = time.perf_counter() - t0
    print(f"ingest apply          {t_apply:6.3f} s for {len(results)} commits ({t_apply / max(1, len(results)) * 1000:.0f} ms a commit)")
    # baseline: the same number of plain git commits of a one-line edit
    files = sorted((repo / "plan" / "2020" / "tasks").glob("*.yaml"))[: len(results)]
    t0 = time.perf_counter()
    for f in files:
        text = f.read_text("utf-8")
        f.write_text(text.replace("progress: ", "progress:  ", 1), "utf-8")
        subprocess.run(["git", *env_git, "commit", "-q", "--only", "-m", "bench", "--", str(f.relative_to(repo))],
                       cwd=repo, check=True)
    t_git = time.perf_counter() - t0
    print(f"  baseline git commit --only x{len(files)}: {t_git:6.3f} s ({t_git / max(1, len(files)) * 1000:.0f} ms a commit; "
          f"ratio {t_apply / t_git:.2f}x)")
    total = p_med + t_apply
    print(f"ingest total (read + plan + {len(results)} commits): {total:6.3f} s  target <= 2 s: "
          f"{'met' if total <= 2 else 'NOT met'}; export target <= 2 s: {'met' if med <= 2 else 'NOT met'}")
    if a.repo is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
