"""立项交办 in the TUI (issue 13 §1): `N` opens the form; Ctrl+S creates the item in the save worker, one
commit, and the list shows and selects it; a bad due date or a refused item keeps the form open with
the reason in the user's language and writes nothing; Escape writes nothing."""
from __future__ import annotations

from tui_helpers import count, git, screen_text, settle, started, sync


async def _open_form(app, pilot, key: str = "N"):
    await pilot.press(key)
    await settle(app, pilot)
    assert type(app.screen).__name__ == "NewItemScreen"
    return app.screen


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def _pick_unit(app, pilot, button: str, query: str) -> None:
    """The units picker (searchable, pinyin too): type, Enter picks the first match."""
    app.screen.query_one(button).press()
    await settle(app, pilot)
    assert type(app.screen).__name__ == "PickerDialog"
    await _type(pilot, query)
    await pilot.press("enter")
    await settle(app, pilot)


@sync
async def test_new_item_with_chinese_data_is_one_commit_and_the_list_selects_it(tui_ws, make_tui):
    repo = tui_ws.root
    before = count(repo)
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        form = await _open_form(app, pilot)
        assert form.query_one("#ni-due").value == "2020-10-30"  # 批示件: 15 days from 交办 (today)
        await _type(pilot, "关于加快推进竺山圩工程的批示")
        await pilot.press("tab")  # from the title to the lead unit's picker, by the keyboard alone
        assert app.focused is form.query_one("#ni-lead")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickerDialog"
        await _type(pilot, "slj")  # pinyin initials: 市水利局
        await pilot.press("enter")
        await settle(app, pilot)
        await _pick_unit(app, pilot, "#ni-units", "财政")
        assert form.lead == "市水利局" and form.co == ["市财政局"]
        form.query_one("#ni-leader").value = "王市长"
        form.query_one("#ni-ref").value = "市长批示〔2020〕12号"
        form.query_one("#ni-text").text = "请水利局牵头抓紧推进。"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        assert type(app.screen).__name__ == "TaskListScreen"
        assert app.screen.query_one("#tasks").current_key == "2020-61"
        assert "2020-61" in screen_text(app)
    path = repo / "plan/2020/tasks/61.yaml"
    assert path.exists()
    text = path.read_text("utf-8")
    assert "关于加快推进竺山圩工程的批示" in text and "市财政局" in text and "2020-10-30" in text and "王市长" in text
    assert count(repo) == before + 1
    subject = git(repo, "log", "-1", "--format=%s")
    assert "2020-61" in subject and "关于加快推进竺山圩工程的批示" in subject
    assert git(repo, "status", "--porcelain").strip() == ""


@sync
async def test_due_refills_for_kind_and_urgency_until_typed(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        form = await _open_form(app, pilot)  # N works on the task list too
        due = form.query_one("#ni-due")
        form.urgency = "urgent"
        form._refill_due()
        assert due.value == "2020-10-20"  # 紧急: 5 days at most
        form.query_one("#ni-start").value = "2020-10-16"
        await settle(app, pilot)
        assert due.value == "2020-10-21"
        due.value = "2020-11-30"  # the officer's own date stays
        await settle(app, pilot)
        form.urgency = "critical"
        form._refill_due()
        assert due.value == "2020-11-30"
        assert "typed by hand" in screen_text(app)


@sync
async def test_a_bad_due_shows_the_error_in_the_form_and_writes_nothing(tui_ws, make_tui):
    repo = tui_ws.root
    before = count(repo)
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        form = await _open_form(app, pilot)
        await _type(pilot, "专项督查发现的问题整改")
        await _pick_unit(app, pilot, "#ni-lead", "水利")
        form.query_one("#ni-due").value = "2020-13-45"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NewItemScreen"
        text = screen_text(app)
        assert "完成时限" in text and "不是日期" in text  # in the user's language, naming the field
        form.query_one("#ni-due").value = "2020-10-01"  # before the 交办 date: refused by items.prepare
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "NewItemScreen"
        text = screen_text(app)
        assert "早于开始日期" in text and "2020-10-01" in text
        form.query_one("#ni-start").value = "2021-01-05"  # outside the plan's year
        form.query_one("#ni-due").value = "2021-01-20"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert "交办日期须在计划年度 2020 内" in screen_text(app)
        assert form.query_one("#ni-title").value == "专项督查发现的问题整改"  # what was typed is kept
    assert count(repo) == before
    assert not (repo / "plan/2020/tasks/61.yaml").exists()
    assert git(repo, "status", "--porcelain").strip() == ""


@sync
async def test_no_lead_is_refused_in_english_for_an_english_user(tui_ws, make_tui):
    repo = tui_ws.root
    before = count(repo)
    app = make_tui(tui_ws, "en")
    async with started(app) as pilot:
        await _open_form(app, pilot)
        await _type(pilot, "Flood works")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "NewItemScreen"
        assert "give the lead unit" in screen_text(app)
    assert count(repo) == before


@sync
async def test_cancel_writes_nothing(tui_ws, make_tui):
    repo = tui_ws.root
    before = count(repo)
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await _open_form(app, pilot)
        await _type(pilot, "会议议定事项")
        await pilot.press("escape")  # something was typed: the first Esc only asks
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NewItemScreen"
        assert "再按 Esc 放弃，ctrl+s 保存" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
    assert count(repo) == before
    assert not (repo / "plan/2020/tasks/61.yaml").exists()
    assert git(repo, "status", "--porcelain").strip() == ""


@sync
async def test_the_as_of_view_refuses_the_form(tui_ws, make_tui):
    from datetime import date

    app = make_tui(tui_ws)
    async with started(app) as pilot:
        app._show_as_of(date(2020, 10, 12), app.data)
        await pilot.press("N")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DashboardScreen"


@sync
async def test_a_default_due_past_the_year_stays_in_the_year_as_on_the_command_line(tui_ws, make_tui):
    """交办 on 2020-12-20, a 批示件's 15 days: 2021-01-04 by the days; the form, like `tracker new`,
    keeps it in the plan's year (2020-12-31) and says why."""
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        form = await _open_form(app, pilot)
        form.query_one("#ni-start").value = "2020-12-20"
        await settle(app, pilot)
        assert form.query_one("#ni-due").value == "2020-12-31"
        assert "2021-01-04" in screen_text(app) and "年末" in screen_text(app)
