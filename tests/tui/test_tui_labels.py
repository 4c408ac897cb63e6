"""The TUI's areas of the label book reach the screen in the app's language (tests/test_labels_book.py
has the book's own checks and the CLI's areas)."""
from __future__ import annotations

from pathlib import Path

from tui_helpers import screen_text, settle, sync

SIZE = (200, 40)  # wide: every ranking column shows


@sync
async def test_help_and_ranking_in_chinese(tui_ws, make_tui):
    """scope + keys_doc + tui (help table headers) and the ranking columns."""
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        text = screen_text(app)
        assert "名次" in text and "完成率" in text and "最近更新" in text, text
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        assert "位置" in text and "按键" in text and "功能" in text and "全局" in text and "任务列表" in text, text
        assert "where" not in text


@sync
async def test_help_and_ranking_in_english(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        text = screen_text(app)
        assert "rank" in text and "overdue" in text and " rate " in text and "名次" not in text, text
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        assert "where" in text and "everywhere" in text and "task list" in text and "位置" not in text, text


def test_start_text_and_actual_text_by_language():
    """The no-plan start screen (tui area) and a qualitative actual's assessment (assessment + sep)."""
    from tracker.model import Actual
    from tracker.screens.noplan import start_text
    from tracker.screens.targets import actual_text

    zh, en = start_text(Path("/srv/dc"), "zh").plain, start_text(Path("/srv/dc"), "en").plain
    assert "先预览：每项任务、牵头单位、提示，不写任何文件" in zh and "分解方案.docx" in zh
    assert "preview first" in en and "分解方案" not in en
    a = Actual(period="2020-09", value="基本同步", assessment="met")
    assert actual_text(a, lang="zh") == "基本同步（达标）"
    assert actual_text(a, lang="en") == "基本同步 (met)"
