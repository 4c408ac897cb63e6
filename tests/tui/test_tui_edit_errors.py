"""A refused edit says what is wrong in the user's language: the Chinese UI shows Chinese details
(the errors carry label-book keys, tracker.edits), the English UI the English text as before."""
from __future__ import annotations

import pytest
from tui_helpers import count, open_task, screen_text, settle, sync

SIZE = (130, 40)


async def _type_into(app, pilot, key: str, text: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    app.screen.query_one("Input").value = ""
    await pilot.press(*text, "enter")
    await settle(app, pilot)


@sync
@pytest.mark.parametrize("lang,key,typed,shown", [
    ("zh", "p", "150", "未保存：150 超出范围；允许 0 到 100"),
    ("zh", "p", "三十", "未保存：'三十' 不是整数；允许 0 到 100"),
    ("zh", "p", "٥٠", "未保存：'٥٠' 含有数字 '٥'（ARABIC-INDIC DIGIT FIVE）；请输入 0-9 的数字"),
    ("zh", "d", "2020-13-01", "未保存：'2020-13-01' 不是日期（日历上没有这一天）；请用 YYYY-MM-DD 格式"),
    ("zh", "d", "1900-01-01", "未保存：'1900-01-01' 超出范围；日期须在 2000-01-01 至 2099-12-31 之间"),
    ("en", "p", "150", "150 is out of range; allowed: 0 to 100"),
    ("en", "d", "2020-13-01", "'2020-13-01' is not a date (no such day in the calendar)"),
])
async def test_a_refused_value_is_explained_in_the_users_language(tui_repo, tui_ws, make_tui, lang, key, typed, shown):
    app = make_tui(tui_ws, lang=lang)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await _type_into(app, pilot, key, typed)
        assert type(app.screen).__name__ == "InputDialog"  # refused: the dialog stays open, text kept
        text = " ".join(screen_text(app).split())
        assert shown in text, text
        if lang == "zh":
            assert "out of range" not in text and "not a date" not in text and "the digits" not in text
    assert count(tui_repo) == before


@sync
async def test_a_domain_error_of_a_save_is_shown_in_chinese(tui_ws, make_tui):
    from tracker.edits import validate_changes
    from tracker.model import TrackerError

    app = make_tui(tui_ws, lang="zh")
    with pytest.raises(TrackerError) as info:
        validate_changes({"progress": 150}, "2020-05")
    assert str(info.value) == "progress: 150 is out of range; allowed: 0 to 100"  # the English text, as before
    assert app.error_text(info.value) == "未保存：进度：150 超出范围；允许 0 到 100"
    app.lang = "en"
    assert app.error_text(info.value) == "progress: 150 is out of range; allowed: 0 to 100"
