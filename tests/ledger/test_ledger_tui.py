"""The ledger from the TUI's units screen: `x` exports the highlighted unit's ledger, `i` ingests a
returned file after the same preview as the CLI.  Real repository, Pilot."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from datetime import date  # noqa: E402

from tests_support import make_plan_repo  # noqa: E402
from tui_helpers import count, git, screen_text, settle, sync  # noqa: E402


TODAY = date(2020, 10, 15)


def _app(tmp_path, monkeypatch):
    from tracker.app import make_app
    from tracker.store import Workspace

    monkeypatch.setenv("TRACKER_NO_COMMIT_GRAPH", "1")
    repo = make_plan_repo(tmp_path / "office")
    ws = Workspace(repo)
    return repo, ws, make_app(ws, lang="zh", today=TODAY, poll_seconds=None, sync_fetch_every=None,
                              index_history=False)


async def _to_unit(app, pilot, unit: str) -> None:
    await settle(app, pilot)
    await pilot.press("u")
    await settle(app, pilot)
    table = app.screen.query_one("#units")
    row = next(i for i, key in enumerate(table.rows) if key.value == unit)
    table.move_cursor(row=row)
    await settle(app, pilot)


async def _type_path(app, pilot, path: str) -> None:
    from textual.widgets import Input

    box = app.screen.query_one(Input)
    box.value = path
    await pilot.press("enter")
    await settle(app, pilot, 5)


@sync
async def test_export_and_ingest_from_the_units_screen(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    repo, ws, app = _app(tmp_path, monkeypatch)
    out = tmp_path / "市水利局.xlsx"
    async with app.run_test(size=(160, 45)) as pilot:
        await _to_unit(app, pilot, "市水利局")
        await pilot.press("x")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "InputDialog" and "市水利局" in screen_text(app)
        await _type_path(app, pilot, str(out))
        assert out.exists() and type(app.screen).__name__ == "UnitsScreen"
        wb = load_workbook(out)
        sh = wb["台账"]
        ids = {r[0].value for r in sh.iter_rows(min_row=4)}
        assert "2020-05" in ids and "2020-05.1" in ids
        # the unit fills it in
        for row in sh.iter_rows(min_row=4):
            if row[0].value == "2020-05":
                row[7].value = 55
                row[9].value = "资金缺口"
            if row[0].value == "2020-04":
                row[7].value = 150
        wb.save(tmp_path / "back.xlsx")
        n = count(repo)
        await pilot.press("i")
        await settle(app, pilot)
        await _type_path(app, pilot, str(tmp_path / "back.xlsx"))
        assert type(app.screen).__name__ == "LedgerPreview"
        text = screen_text(app)
        assert "进度: 0 → 55" in text and "进度 150 超出 0-100" in text and "只导入有效的事项" in text
        assert count(repo) == n  # nothing before Enter
        await pilot.press("enter")
        await settle(app, pilot, 6)
        assert count(repo) == n + 1
        assert git(repo, "log", "-1", "--format=%(trailers:key=Tracker-Reported-By,valueonly)").strip() == "市水利局"
        t = app.data.task(5)
        assert (t.progress, t.problems) == (55, "资金缺口")
        assert app.data.task(4).progress == 0


@sync
async def test_ingest_a_missing_file_says_so_in_the_dialog(tmp_path, monkeypatch):
    repo, ws, app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(160, 45)) as pilot:
        await _to_unit(app, pilot, "市水利局")
        await pilot.press("i")
        await settle(app, pilot)
        await _type_path(app, pilot, str(tmp_path / "nowhere.xlsx"))
        assert type(app.screen).__name__ == "InputDialog"
        assert "nowhere.xlsx" in screen_text(app)
