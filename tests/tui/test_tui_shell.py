"""The app shell's own parts: the palette's words in both languages and errors under a headline in
the user's language (tracker/app.py, tracker/screens/palette.py)."""
from __future__ import annotations

from tui_helpers import started, sync

from tracker.screens.palette import strip_prefix


def test_the_palette_user_may_type_the_hits_label():
    assert strip_prefix("go to task nyxdh") == "nyxdh"
    assert strip_prefix("转到任务 2020-05") == "2020-05"
    assert strip_prefix("Go To Unit 市水利局") == "市水利局"


def test_an_error_with_a_book_key_shows_its_details_in_the_users_language(tui_ws, make_tui, monkeypatch):
    from tracker import i18n
    from tracker.model import TrackerError

    monkeypatch.setitem(i18n.BOOK, "test.out_of_range", ("进度 {value} 超出范围（0–100）", "progress {value} is out of range"))
    keyed = TrackerError("progress: 150 is out of range", key="test.out_of_range", value=150)
    plain = TrackerError("plan/2020/tasks/05.yaml: progress: 150 is out of range")
    assert make_tui(tui_ws, "zh").error_text(keyed) == "未保存：进度 150 超出范围（0–100）"
    assert make_tui(tui_ws, "zh").error_text(plain) == "未保存：plan/2020/tasks/05.yaml: progress: 150 is out of range"
    assert make_tui(tui_ws, "en").error_text(keyed) == "progress 150 is out of range"
    assert make_tui(tui_ws, "en").error_text(plain) == "plan/2020/tasks/05.yaml: progress: 150 is out of range"
    assert make_tui(tui_ws, "en").error_text(ValueError("bad")) == "bad"


@sync
async def test_textuals_own_commands_in_english(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with started(app) as pilot:
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Theme"] == "Change the colour theme"
        assert commands["Keys panel"] == "Show the keys available here"
        assert commands["Screenshot"] == "Save the screen as an SVG"
        assert not any("\u4e00" <= ch <= "\u9fff" for title in commands for ch in title), commands
