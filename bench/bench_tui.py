#!/usr/bin/env python3
"""TUI speed: time to the first interactive frame and per filter keystroke, at 60 and 10,000 tasks.

Usage:  python bench/bench_tui.py [--tasks 10000] [--commits 2000] [--keep DIR]

Each first-frame figure is a fresh Python process (imports included) running the app headless at
130x40, next to a bare Textual app measured the same way in the same run (the baseline):
  frame   the first screen is composed and painted: keys work from here on (the plan loads in a
          thread worker; the dashboard shows "Loading…" until it lands)
  data    the plan is loaded and shown (cold: no parse cache; warm: the .git/tracker parse cache
          from a previous start)
A keystroke is one character typed into the task list's filter (`/`), measured in-process as the
round trip of Pilot.press (key event, filter over the precomputed pinyin keys, repaint), median and
worst over the characters of several queries.  Targets (issue 3): frame <= 0.5 s at 60 tasks,
<= 1.5 s at 10,000; a keystroke at 10,000 <= 0.1 s.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = ("nyxdh", "水利", "shuili", "2020-9", "市发展改革委")


def child(mode: str, repo: str, start: float) -> None:
    """Runs in a fresh process: prints JSON timings (seconds since `start`, taken before this process began).

    A frame counts when Textual hands a rendered screen to the driver (App._display), as on a real terminal."""
    out: dict[str, float] = {}
    if mode == "bare":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Bare(App):
            def compose(self):
                yield Header()
                yield Static("hello")
                yield Footer()

        app = Bare()
    else:
        from datetime import date

        from tracker.app import make_app
        from tracker.store import Workspace

        app = make_app(Workspace(repo), "zh", today=date(2020, 10, 15), poll_seconds=None)
    shown = app._display

    def display(screen, renderable):
        shown(screen, renderable)
        if renderable is not None and (mode == "bare" or type(screen).__name__ == "DashboardScreen"):
            now = time.time() - start
            out.setdefault("frame", now)
            if getattr(app, "data", None) is not None:
                out.setdefault("data", now)
            if getattr(app, "index", None) is not None:
                out.setdefault("index", now)

    app._display = display

    async def run() -> None:
        async with app.run_test(size=(130, 40)) as pilot:
            while "frame" not in out or (mode != "bare" and "index" not in out):
                await asyncio.sleep(0.005)
                if mode != "bare" and app.index is not None:
                    app.refresh()
            await pilot.pause()

    asyncio.run(run())
    print(json.dumps(out))


async def bare_keystrokes() -> list[float]:
    """Baseline: Pilot.press round trips typing into a bare Textual Input."""
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input()

    times = []
    app = Bare()
    async with app.run_test(size=(130, 40)) as pilot:
        for q in QUERIES:
            for ch in q:
                t0 = time.perf_counter()
                await pilot.press(ch)
                times.append(time.perf_counter() - t0)
    return times


def spawn(mode: str, repo: str) -> dict[str, float]:
    start = time.time()
    res = subprocess.run([sys.executable, __file__, "--child", mode, repo, repr(start)], capture_output=True,
                         text=True, check=True, env={**os.environ, "TRACKER_NO_COMMIT_GRAPH": "1"})
    return json.loads(res.stdout.strip().splitlines()[-1])


async def keystrokes(repo: str) -> tuple[list[float], list[float], int]:
    """Pilot.press round trips per filter character, and the filter+paint handler cost alone."""
    from datetime import date

    from tracker.app import make_app
    from tracker.store import Workspace
    from tracker.widgets.task_table import TaskTable

    app = make_app(Workspace(repo), "zh", today=date(2020, 10, 15), poll_seconds=None)
    press_times: list[float] = []
    handler_times: list[float] = []
    async with app.run_test(size=(130, 40)) as pilot:
        while app.index is None:
            await asyncio.sleep(0.01)
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(TaskTable)
        for q in QUERIES:
            await pilot.press("slash")
            for ch in q:
                t0 = time.perf_counter()
                await pilot.press(ch)
                press_times.append(time.perf_counter() - t0)
            # the handler alone: filter over all tasks + render every visible line
            for i in range(1, len(q) + 1):
                screen.query_text = q[:i]
                t0 = time.perf_counter()
                screen.apply_filter()
                table._cache.clear()
                for y in range(table.size.height):
                    table.render_line(y)
                handler_times.append(time.perf_counter() - t0)
            await pilot.press("escape")
        total = len(app.tasks_by_id)
    return press_times, handler_times, total


def bundled_repo(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "plan" / "2020", dest / "plan" / "2020")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "seed"]):
        subprocess.run(["git", *args], cwd=dest, check=True, env=env, capture_output=True)
    return dest


def big_repo(dest: Path, tasks: int, commits: int) -> Path:
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        from gen_plan import generate  # the shared generator (bench/gen_plan.py)

        return generate(dest, tasks, commits)
    except ImportError:  # pragma: no cover - fallback: copies of the bundled tasks, renumbered
        import re

        repo = bundled_repo(dest)
        src = sorted((repo / "plan/2020/tasks").glob("*.yaml"))
        texts = [p.read_text("utf-8") for p in src]
        for p in src:
            p.unlink()
        for n in range(1, tasks + 1):
            t = re.sub(r"^number: \d+", f"number: {n}", texts[(n - 1) % len(texts)], count=1, flags=re.M)
            (repo / f"plan/2020/tasks/{n:02d}.yaml").write_text(t, "utf-8")
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-q", "-m", "big"], cwd=repo, check=True)
        return repo


def clear_cache(repo: Path) -> None:
    (repo / ".git" / "tracker" / "cache").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--keep", metavar="DIR", help="build the repositories here and keep them")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]))
        return 0
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-tui-"))
    small = base / "small"
    big = base / "big"
    if not small.exists():
        bundled_repo(small)
    if not big.exists():
        t0 = time.perf_counter()
        big_repo(big, args.tasks, args.commits)
        print(f"generated {args.tasks} tasks, {args.commits} commits in {time.perf_counter() - t0:.1f} s")

    bare = min(spawn("bare", str(small))["frame"] for _ in range(3))
    bare_keys = asyncio.run(bare_keystrokes())
    rows = []
    for name, repo, n in (("bundled", small, 60), ("generated", big, args.tasks)):
        clear_cache(repo)
        cold = spawn("tracker", str(repo))
        warm = [spawn("tracker", str(repo)) for _ in range(3)]
        best = {k: min(r[k] for r in warm) for k in ("frame", "data", "index")}
        press, handler, total = asyncio.run(keystrokes(str(repo)))
        rows.append((name, n, cold, best, press, handler, total))

    print(f"\nbaseline: a bare Textual app (Header, Static, Footer) first frame  {bare:.3f} s   (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpus)")
    print(f"baseline: Pilot.press into a bare Textual Input: median {statistics.median(bare_keys) * 1000:.1f} ms, "
          f"worst {max(bare_keys) * 1000:.1f} ms")
    print(f"{'plan':<10} {'tasks':>6} {'frame':>7} {'data cold':>10} {'data warm':>10} {'pinyin idx':>10} "
          f"{'key median':>11} {'key worst':>10} {'handler':>8}")
    for name, n, cold, warm, press, handler, total in rows:
        print(f"{name:<10} {total:>6} {warm['frame']:>6.3f}s {cold['data']:>9.3f}s {warm['data']:>9.3f}s "
              f"{warm['index']:>9.3f}s {statistics.median(press) * 1000:>9.1f}ms {max(press) * 1000:>8.1f}ms "
              f"{statistics.median(handler) * 1000:>6.1f}ms")
    print("\ntargets: frame <= 0.5 s at 60, <= 1.5 s at 10,000; keystroke at 10,000 <= 0.1 s")
    print("frame/data/pinyin idx: seconds from process start to the frame painted (imports included), best of 3\n"
          "(data cold: first start without the parse cache); key: Pilot.press round trip; handler: filter + repaint\n"
          "of the visible rows, without Pilot's own overhead")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
