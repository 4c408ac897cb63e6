"""Plans of several years: switching between them (key y and the palette), the imported task
fields on the detail screen, and how to start in a repository without any plan."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui_helpers import screen_text, settle, started, sync

SIZE = (140, 40)
NOTICE = """\
2024年重点工作任务清单
一、王某某副市长牵头重点工作
(一)工业经济
1、规上工业增加值增长8%左右(市工信局、市统计局)
二、李某某副市长牵头重点工作
(一)社会事业
1、建成养老服务中心10个(市民政局、各镇等)
"""


def _import(repo: Path, tmp: Path) -> None:
    src = tmp / "notice.txt"
    src.write_text(NOTICE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "tracker", "import", str(src), "--year", "2024"], cwd=repo, check=True,
                   capture_output=True)


@sync
async def test_switch_plan_with_y_and_detail_fields(tui_repo, tmp_path, make_tui):
    from tracker.store import Workspace

    _import(tui_repo, tmp_path)
    app = make_tui(Workspace(tui_repo))
    async with started(app, SIZE) as pilot:
        assert app.ws.year == 2024 and len(app.data.tasks) == 2
        app.open_task("2024-02")
        await settle(app, pilot)
        text = screen_text(app)
        assert "李某某副市长" in text and "二.1" in text and "等（单位未列全）" in text
        await pilot.press("escape")
        await pilot.press("y")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickerDialog"
        await pilot.press("2")  # 2024 first, then 2020
        await settle(app, pilot, rounds=5)
        assert app.ws.year == 2020 and len(app.data.tasks) == 60


@sync
async def test_palette_lists_the_plan_switch(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, SIZE) as pilot:
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert any("年度" in n and "(y)" in n for n in names)
        await pilot.press("y")  # one plan only: a note, no picker
        await settle(app, pilot)
        assert type(app.screen).__name__ != "PickerDialog"


@sync
async def test_no_plan_shows_how_to_start(tmp_path):
    from tracker.screens.noplan import NoPlanApp

    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    app = NoPlanApp(tmp_path / "empty")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "这个仓库还没有计划" in text and "tracker import" in text and "--dry-run" in text


def test_tracker_without_plan_picks_the_start_screen(tmp_path):
    import argparse

    from tracker.commands.tui import no_plan_root

    repo = tmp_path / "empty"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert no_plan_root(argparse.Namespace(repo=str(repo), plan=None)) == repo.resolve()
    (repo / "plan" / "2024").mkdir(parents=True)
    assert no_plan_root(argparse.Namespace(repo=str(repo), plan=None)) is None
