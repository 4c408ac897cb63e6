"""The TUI's header says who this clone commits as, and for which office."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from tui_helpers import screen_text, settle, sync  # noqa: E402


def _app(repo, lang):
    from tracker.app import make_app
    from tracker.store import Workspace

    return make_app(Workspace(repo), lang=lang, today=date(2020, 10, 15), poll_seconds=None,
                    sync_fetch_every=None, index_history=False)


@sync
async def test_header_shows_the_office_acted_for(world):
    app = _app(world.water, "zh")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        assert app.title.startswith("督查督办  身份：李四（水利局办公室）")
        assert "身份：李四（水利局办公室）" in screen_text(app)


@sync
async def test_header_says_when_commits_are_not_signed(world):
    from tests_support import git

    git(world.water, "config", "--local", "--unset", "tracker.office")
    app = _app(world.water, "en")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        assert "as 李四: no office joined, commits unsigned" in app.title


@sync
async def test_no_offices_no_header_line(tmp_path):
    from tests_support import make_plan_repo

    app = _app(make_plan_repo(tmp_path / "plain"), "zh")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        assert "身份" not in app.title


@sync
async def test_history_marks_each_change(world):
    from tests_support import run_cli
    from trust_support import commit, ok, write_task_field
    from tui_helpers import open_task

    ok(run_cli(world.water, "set", "5", "--progress", "40"))
    commit(world.water, "unsigned hand edit", write_task_field(world.water, 5, "progress: 40", "progress: 45"),
           extra=("-c", "commit.gpgsign=false"))
    app = _app(world.water, "zh")
    async with app.run_test(size=(160, 30)) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("h")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        text = screen_text(app)
        rows = [ln for ln in text.splitlines() if "进度" in ln]
        assert "⚠" in rows[0] and "✔ 水利局办公室" in rows[1], text
