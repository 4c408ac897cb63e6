"""Issue 16, the TUI: what a month of real use turned up (wrapping detail text, dashboard keys,
category picking past 9, 80 columns)."""
from __future__ import annotations

from tui_helpers import open_task, screen_text, settle, started, sync

LONG = ("已完成全市农村人居环境整治三年行动的中期评估，各县区对照清单逐项核查，"
        "发现的问题已全部建立台账并限期整改，下一阶段将结合乡村振兴战略统筹推进，末尾标记句尾收官")


@sync
async def test_long_note_wraps_in_the_detail(tui_ws, make_tui):
    tui_ws.update_task(1, {"note": LONG, "problems": "问题" + LONG, "next_steps": "下步" + LONG})
    app = make_tui(tui_ws)
    async with app.run_test(size=(100, 60)) as pilot:
        await open_task(app, pilot, 1)
        text = screen_text(app)
        flat = "".join(line.strip() for line in text.splitlines())
        # all of the text is on the screen (wrapped over several lines), not cut with "…"
        assert "末尾标记句尾收官" in text
        assert flat.count("末尾标记句尾收官") == 3
        assert "…" not in text


@sync
async def test_slash_on_the_dashboard_filters_the_task_list(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("slash", *"nyxdh")  # typed in one burst, as an officer searching types
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "TaskListScreen"
        assert app.focused is screen.query_one("#filter")
        assert screen.query_one("#filter").value == "nyxdh"
        assert "显示 1 / 60" in screen_text(app)
        assert len(app.screen_stack) == 1  # no plan-year dialog from the `y` of "nyxdh"


@sync
async def test_other_screens_letters_do_nothing_on_the_dashboard(tui_ws, make_tui):
    from tracker.bindings import KEYS

    app = make_tui(tui_ws)
    async with started(app) as pilot:
        dash = app.screen
        app_keys = {k.key for k in KEYS if k.scope == "app"}
        letters = sorted({k.key for k in KEYS if k.scope in ("tasks", "detail", "targets", "units", "ranking")
                          and len(k.key) == 1 and k.key.isalpha() and k.key not in app_keys})
        assert letters
        for key in letters:
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is dash, key
            assert len(app.screen_stack) == 1, key


@sync
async def test_two_digits_pick_past_nine_in_the_category_filter(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        screen = app.screen
        cats = list(app.data.info.categories)
        assert len(cats) >= 11  # 1 = all, then the categories: 11 and 12 need two digits
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1", "1")  # typed quickly: option 11 = the 10th category
        await settle(app, pilot)
        assert screen.category_f == cats[9]
        assert type(app.screen).__name__ == "TaskListScreen"
        rows = screen.query_one("#tasks").rows
        assert rows and all(app.tasks_by_id[r].category == cats[9] for r in rows)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1", "2")  # option 12 = the 11th category (10件民生实事项目)
        await settle(app, pilot)
        assert screen.category_f == cats[10]
        await pilot.press("c")
        await pilot.pause()
        assert "12." in screen_text(app)  # every option shows its number
        await pilot.press("1", "enter")  # one digit, then Enter: option 1 = all
        await settle(app, pilot)
        assert screen.category_f is None
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("2")  # no option 20 or more: picked at once, as before
        await settle(app, pilot)
        assert screen.category_f == cats[0]


@sync
async def test_sorting_returns_the_list_to_the_top(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, (130, 30)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        table = app.screen.query_one("#tasks")
        await pilot.press("end")
        await settle(app, pilot)
        assert table.cursor == len(table.rows) - 1 and table.scroll_offset.y > 0
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("6")  # by progress
        await settle(app, pilot)
        assert table.sort_key == "progress"
        assert table.cursor == 0 and table.scroll_offset.y == 0
        assert table.rows[0] in screen_text(app)


def _footer_problems(app) -> list[str]:
    """Keys of the footer drawn under the command-palette key or past the edge (their label cut)."""
    from rich.cells import cell_len
    from textual.widgets._footer import FooterKey

    keys = [k for k in app.screen.query(FooterKey) if k.display]
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else app.size.width
    line = screen_text(app).splitlines()[-1]
    bad = []
    for k in keys:
        if k.has_class("-command-palette"):
            continue
        text = k.render().plain.strip()
        if k.region.right > right or k.region.width < cell_len(text) or text not in line:
            bad.append(text)
    return bad


@sync
async def test_at_80_columns_the_light_stays_and_no_footer_label_is_cut(tui_ws, make_tui):
    from tracker.screens.labels import L

    for lang in ("zh", "en"):
        app = make_tui(tui_ws, lang)
        async with started(app, (80, 30)) as pilot:
            app.reload()
            await settle(app, pilot)
            assert _footer_problems(app) == [], (lang, "dashboard")
            await pilot.press("l")
            await settle(app, pilot)
            table = app.screen.query_one("#tasks")
            widths = dict(zip((c.key for c in table.columns), table._widths))
            assert widths["light"] > 0, (lang, widths)
            assert widths["title"] >= 16, (lang, widths)
            header = screen_text(app).splitlines()[4]
            assert L("light", lang) in header, header
            assert _footer_problems(app) == [], (lang, "tasks")
            await pilot.press("enter")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "TaskDetailScreen"
            assert _footer_problems(app) == [], (lang, "detail")
            for key in ("u", "t", "R"):
                await pilot.press(key)
                await settle(app, pilot)
                assert _footer_problems(app) == [], (lang, key)
        # wide again: every key is back
        app = make_tui(tui_ws, lang)
        async with started(app, (200, 30)) as pilot:
            await pilot.press("l")
            await settle(app, pilot)
            from textual.widgets._footer import FooterKey

            assert all(k.display for k in app.screen.query(FooterKey))


@sync
async def test_no_stray_character_at_the_header_left_edge(tui_ws, make_tui):
    from tracker.screens.labels import L

    for lang in ("zh", "en"):
        app = make_tui(tui_ws, lang)
        async with started(app, (100, 24)) as pilot:
            first = screen_text(app).splitlines()[0]
            title = L("app_title", lang)
            assert title in first, first
            assert first.split(title)[0].strip() == "", first  # nothing before the title


@sync
async def test_a_qualitative_actual_is_text_with_an_assessment(tui_repo, tui_ws, make_tui):
    from tui_helpers import count, git, show_target

    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=(180, 40)) as pilot:
        await show_target(app, pilot, 8)  # 城乡居民人均可支配收入增长与经济增长同步: 定性
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormDialog"
        assert "评价" in screen_text(app)
        await pilot.press(*"2020-09", "enter", *"jbtb", "enter", *"bad", "enter", "enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before  # an assessment that is none of the three: refused, dialog kept
        assert type(app.screen).__name__ == "FormDialog"
        dialog = app.screen
        dialog.query("Input")[1].value = "基本同步"
        dialog.query("Input")[2].value = "达标"
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before + 1
        text = (tui_repo / "plan/2020/targets/08.yaml").read_text("utf-8")
        assert "value: 基本同步" in text and "assessment: met" in text
        assert "Tracker-Target: 2020-T08" in git(tui_repo, "log", "-1", "--format=%B")
        text = screen_text(app)
        assert "2020-09: 基本同步（达标）" in text, text


@sync
async def test_a_mis_entered_actual_is_deleted_in_one_commit(tui_repo, tui_ws, make_tui):
    from tui_helpers import count, git, show_target

    tui_ws.record_actual(4, "社会消费品零售总额增长", "2020-08", 7.1, "")
    tui_ws.record_actual(4, "社会消费品零售总额增长", "2020-09", 79, "typo")
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=(180, 40)) as pilot:
        await show_target(app, pilot, 4)
        assert "2020-09: 79" in screen_text(app)
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickerDialog"
        await pilot.press("2")  # the second period: 2020-09
        await pilot.pause()
        assert "2020-09" in screen_text(app)  # the confirmation names what goes
        await pilot.press("2")  # cancel
        await settle(app, pilot, 5)
        assert count(tui_repo) == before
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")  # delete
        await settle(app, pilot, 5)
        assert count(tui_repo) == before + 1
        text = (tui_repo / "plan/2020/targets/04.yaml").read_text("utf-8")
        assert "2020-08" in text and "2020-09" not in text
        assert "Tracker-Target: 2020-T04" in git(tui_repo, "log", "-1", "--format=%B")
        shown = screen_text(app)
        assert "2020-09: 79" not in shown and "2020-08: 7.1" in shown
