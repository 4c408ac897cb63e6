"""The cyclic GC does not rescan what the app keeps: each landing of long-lived data is frozen.

At 10,000 tasks a full GC pass over the plan, the last changes and pypinyin's phrase table
(~200,000 lists, imported by the first search index) took 85-130 ms, and when it fell inside a
keystroke that keystroke took 140-290 ms (bench/bench_tui_keys.py prints the GC time inside each
keystroke).  The app calls gc.freeze() after each of the three landings (plan, last changes,
search index).  Run in a fresh interpreter: pypinyin must be imported by the app's own index build,
as it is for a user, not by an earlier test in the same process.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCRIPT = """
import asyncio, gc, sys
from datetime import date
sys.path[:0] = [%(tests)r, %(tui)r]
from tui_helpers import screen_text, settle
from tracker.app import make_app
from tracker.store import Workspace

async def main():
    assert "pypinyin" not in sys.modules
    app = make_app(Workspace(%(repo)r), "en", today=date(2020, 10, 15), poll_seconds=None,
                   sync_fetch_every=None, index_history=False)
    async with app.run_test(size=(130, 40)) as pilot:
        for _ in range(200):
            await settle(app, pilot)
            if app.index is not None and app.last is not None:
                break
            await pilot.pause(0.05)
        import pypinyin.phrases_dict as pd
        unfrozen = {id(o) for o in gc.get_objects()}
        print("PHRASES_FROZEN", id(pd.phrases_dict) not in unfrozen)
        print("TASKS_FROZEN", id(app.data.tasks[0]) not in unfrozen and id(app.data.tasks) not in unfrozen)
        del unfrozen
        # and the app still works: the list, the pinyin filter, a task opened
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("slash", *"nyxdh")
        await settle(app, pilot)
        print("FILTERED", "shown 1 / 60" in screen_text(app))
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        print("OPENED", type(app.screen).__name__, getattr(app.screen, "task_id", None))
        gc.collect()  # a full pass over what is left does not break the frozen objects
        await pilot.press("escape")
        await settle(app, pilot)
        print("BACK", "加快推进农业现代化建设" in screen_text(app))

asyncio.run(main())
"""


def test_long_lived_data_is_frozen_and_the_app_still_filters(tui_repo):
    code = SCRIPT % {"tests": str(HERE.parent), "tui": str(HERE), "repo": str(tui_repo)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240,
                       cwd=HERE.parents[1])
    assert r.returncode == 0, r.stderr[-3000:]
    out = dict(line.split(" ", 1) for line in r.stdout.splitlines() if " " in line)
    assert out["TASKS_FROZEN"] == "True"
    assert out["PHRASES_FROZEN"] == "True"  # the index landed after the plan: frozen too
    assert out["FILTERED"] == "True"
    assert out["OPENED"] == "TaskDetailScreen 2020-01"
    assert out["BACK"] == "True"
