"""The task list: pinyin filter, quick filters, sort, count shown, palette, help, and the keys table."""
from __future__ import annotations

from pathlib import Path

from tui_helpers import SIZE, screen_text, settle, started, sync

from tracker.search import SearchIndex, pinyin_keys, text_matches

ROOT = Path(__file__).resolve().parents[2]


def test_pinyin_keys_full_and_initials():
    assert pinyin_keys("农业现代化") == ("nongyexiandaihua", "nyxdh")
    assert text_matches("nyxdh", "加快推进农业现代化建设")
    assert text_matches("NongYe", "加快推进农业现代化建设")
    assert not text_matches("slj", "加快推进农业现代化建设")


def test_search_index_matches_every_field(tui_ws):
    data = tui_ws.load()
    idx = SearchIndex(data.tasks)
    assert idx.match("nyxdh") == ["2020-01"]
    assert "2020-05" in idx.match("slj")  # 市水利局, by initials
    assert idx.match("2020-05") == ["2020-05"]
    assert set(idx.match("市水利局")) == {t.id for t in data.tasks if "市水利局" in t.units}
    assert idx.match("zzzzqqq") == []
    assert len(idx.match("")) == 60


async def to_list(app, pilot):
    await settle(app, pilot)
    await pilot.press("l")
    await settle(app, pilot)
    return app.screen


@sync
async def test_filter_live_and_enter_moves_to_list(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_list(app, pilot)
        await pilot.press("slash", *"nyxdh")
        await settle(app, pilot)
        text = screen_text(app)
        assert "显示 1 / 60" in text and "加快推进农业现代化建设" in text
        await pilot.press("enter")  # to the list
        assert app.focused is screen.query_one("#tasks")
        await pilot.press("enter")  # open
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskDetailScreen" and app.screen.task_id == "2020-01"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


@sync
async def test_quick_filters_and_clear(tui_ws, make_tui):
    tui_ws.update_task(5, {"status": "blocked"})
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_list(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("5")  # 1 = all, 2..5 = the statuses; 5 = blocked
        await settle(app, pilot)
        assert screen.query_one("#tasks").rows == ["2020-05"]
        assert "shown 1 / 60" in screen_text(app)
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("2")  # the first category
        await settle(app, pilot)
        assert len(screen.query_one("#tasks").rows) == 5 and "农业农村类" in screen_text(app)
        await pilot.press("x", "i")
        await pilot.pause()
        await pilot.press("2")  # red
        await settle(app, pilot)
        rows = screen.query_one("#tasks").rows
        assert rows and all(app.lights[r] == "red" for r in rows)
        screen.set_unit_filter("市水利局")
        await settle(app, pilot)
        assert set(screen.query_one("#tasks").rows) == {t.id for t in app.data.tasks if "市水利局" in t.units}


@sync
async def test_sort_by_column_and_reverse(tui_ws, make_tui):
    tui_ws.update_task(7, {"progress": 90})
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_list(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("6")  # progress
        await settle(app, pilot)
        assert screen.query_one("#tasks").rows[-1] == "2020-07"
        await pilot.press("o", "6")  # again: reversed
        await settle(app, pilot)
        assert screen.query_one("#tasks").rows[0] == "2020-07"
        await pilot.click("#tasks", offset=(2, 0))  # click the id header
        await settle(app, pilot)
        assert screen.query_one("#tasks").rows[0] == "2020-01"


@sync
async def test_palette_goes_to_task_by_pinyin(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"nyxdh")
        await settle(app, pilot, 5)
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert type(app.screen).__name__ == "TaskDetailScreen" and app.screen.task_id == "2020-01"


@sync
async def test_help_lists_keys_from_the_bindings_table(tui_ws, make_tui):
    from tracker.bindings import KEYS

    app = make_tui(tui_ws, "en")
    async with started(app, (130, 60)) as pilot:
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        for k in KEYS:
            if k.scope in ("app", "dashboard", "tasks"):
                assert k.en in text, k


def test_docs_keys_table_is_generated_from_bindings():
    from tracker.bindings import keys_table_markdown

    doc = (ROOT / "docs" / "tui.md").read_text("utf-8")
    assert keys_table_markdown("en") in doc


@sync
async def test_escape_in_filter_clears_it_and_stays_on_the_list(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_list(app, pilot)
        await pilot.press("slash", *"slj")
        await settle(app, pilot)
        assert len(screen.query_one("#tasks").rows) < 60
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert len(screen.query_one("#tasks").rows) == 60
        assert app.focused is screen.query_one("#tasks")
        await pilot.press("escape")  # now back to the dashboard
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DashboardScreen"


@sync
async def test_palette_goes_to_unit_and_runs_actions(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with started(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to unit slj")
        await settle(app, pilot, 5)
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert type(app.screen).__name__ == "TaskListScreen" and app.screen.unit_f == "市水利局"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Targets (t)")
        await settle(app, pilot, 5)
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert type(app.screen).__name__ == "TargetsScreen"


def test_large_plans_use_per_character_pinyin(tui_ws):
    from tracker.search import pinyin_keys_fast

    assert pinyin_keys_fast("农业现代化") == ("nongyexiandaihua", "nyxdh")
    data = tui_ws.load()
    many = [t for t in data.tasks] * 40  # 2,400 > FAST_ABOVE: same ids, fast keys
    idx = SearchIndex(many)
    assert idx.match("nyxdh") == ["2020-01"]
