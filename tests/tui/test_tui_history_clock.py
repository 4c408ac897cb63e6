"""The history screen flags a commit whose clock was wrong (issue 10, point 5)."""
from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta

from tui_helpers import open_task, screen_text, settle, sync


@sync
async def test_history_flags_a_future_dated_commit(tui_repo, tui_ws, make_tui):
    f = tui_repo / "plan/2020/tasks/05.yaml"
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 15"), "utf-8")
    far = (date.today() + timedelta(days=400)).isoformat() + "T10:00:00+08:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": far, "GIT_COMMITTER_DATE": far, "GIT_AUTHOR_NAME": "快钟 科室"}
    subprocess.run(["git", "commit", "-q", "-am", "fast clock"], cwd=tui_repo, check=True, env=env)
    app = make_tui(tui_ws)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("h")
        await settle(app, pilot)
        for _ in range(40):
            if "时钟有误" in screen_text(app):
                break
            await pilot.pause(0.05)
        text = screen_text(app)
        assert type(app.screen).__name__ == "HistoryScreen"
        assert "时钟有误" in text and far[:10] in text and "2020-10-10" in text
