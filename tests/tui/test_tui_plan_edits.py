"""Pilot tests: the plan's own changes from the task detail (issue 13: every step usable from the TUI):
`E` 修改立项 (tracker.items.edit_item), `+` 增加措施 (add_measure), `-` 删除措施 (remove_measure).
Each is one commit carrying the reason; no reason or a cancel writes nothing."""
from __future__ import annotations

from tui_helpers import count, git, open_task, screen_text, settle, sync

SIZE = (130, 45)
TASK = "plan/2020/tasks/05.yaml"


def head(repo) -> str:
    return git(repo, "log", "-1", "--format=%B")


def screen_name(app) -> str:
    return type(app.screen).__name__


async def fill(app, pilot, **values) -> None:
    from textual.widgets import Input

    for name, value in values.items():
        app.screen.query_one(f"#f-{name}", Input).value = value
    await pilot.pause()


async def save_form(app, pilot) -> None:
    app.screen.save()
    await settle(app, pilot)


@sync
async def test_edit_item_one_commit_with_the_reason(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    old = (tui_repo / TASK).read_text("utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("E")
        await settle(app, pilot)
        assert screen_name(app) == "FormDialog"
        text = screen_text(app)
        assert "2020-05 修改立项" in text and "持续推进重点水利工程建设" in text  # the title prefilled
        await fill(app, pilot, title="持续推进重点水利工程建设（调整）", leader="王副市长")
        await save_form(app, pilot)  # no reason: refused in the form, in Chinese; nothing written
        assert screen_name(app) == "FormDialog" and count(tui_repo) == before
        assert "修改计划须说明理由" in screen_text(app)
        assert (tui_repo / TASK).read_text("utf-8") == old
        await fill(app, pilot, reason="市政府常务会议调整")
        await save_form(app, pilot)
        assert screen_name(app) == "TaskDetailScreen"
        assert count(tui_repo) == before + 1
        msg = head(tui_repo)
        assert msg.splitlines()[0].startswith("2020-05 ")
        assert "持续推进重点水利工程建设 → 持续推进重点水利工程建设（调整）" in msg
        assert "王副市长" in msg
        assert "Tracker-Reason: 市政府常务会议调整" in msg and "Tracker-Plan-Change: edit" in msg
        changed = git(tui_repo, "show", "--stat", "--format=", "HEAD").strip()
        assert TASK in changed and "1 file changed" in changed
        assert "持续推进重点水利工程建设（调整）" in screen_text(app)


@sync
async def test_edit_item_cancel_and_no_change_write_nothing(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("E")
        await settle(app, pilot)
        await fill(app, pilot, title="改了的标题", reason="理由")
        await pilot.press("escape")  # asks first (text changed), a second Esc discards
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before
        await pilot.press("E")
        await settle(app, pilot)
        await fill(app, pilot, reason="no change at all")
        await save_form(app, pilot)  # nothing changed: closed, nothing committed
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before
        await pilot.press("E")
        await settle(app, pilot)
        await fill(app, pilot, title="  ", reason="emptied")
        await save_form(app, pilot)  # an empty title: the domain's refusal, in English
        assert screen_name(app) == "FormDialog" and "title: must not be empty" in screen_text(app)
        assert count(tui_repo) == before


@sync
async def test_add_and_remove_a_measure(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("plus")
        await settle(app, pilot)
        assert screen_name(app) == "FormDialog" and "2020-05 增加措施" in screen_text(app)
        await fill(app, pilot, text="完成宜兴段堤防加固")
        await save_form(app, pilot)  # no reason: refused, nothing written
        assert screen_name(app) == "FormDialog" and count(tui_repo) == before
        await fill(app, pilot, reason="汛前检查新增任务")
        await save_form(app, pilot)
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before + 1
        msg = head(tui_repo)
        assert "完成宜兴段堤防加固" in msg and "Tracker-Reason: 汛前检查新增任务" in msg
        assert "完成宜兴段堤防加固" in screen_text(app)
        assert "number: 3" in (tui_repo / TASK).read_text("utf-8")

        await pilot.press("minus")  # pick the measure, then the reason
        await settle(app, pilot)
        assert screen_name(app) == "PickerDialog"
        await pilot.press("1")
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog" and "删除措施 1" in screen_text(app)
        await pilot.press("enter")  # empty reason: refused, nothing written
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog" and count(tui_repo) == before + 1
        for ch in "已并入措施2":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before + 2
        msg = head(tui_repo)
        assert "Tracker-Reason: 已并入措施2" in msg
        body = (tui_repo / TASK).read_text("utf-8")
        assert "加速竺山圩退圩还湖" not in body and "number: 2" in body and "number: 3" in body

        await pilot.press("minus")  # cancel at the picker: nothing written
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before + 2


@sync
async def test_plan_keys_refused_in_the_as_of_view(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2020-12-01", "enter")
        await settle(app, pilot, 5)
        await open_task(app, pilot, 5)
        assert app.read_only
        notes = []
        app.screen.notify = lambda msg, **kw: notes.append(msg)
        for key in ("E", "plus", "minus"):
            await pilot.press(key)
            await settle(app, pilot)
            assert screen_name(app) == "TaskDetailScreen"
        assert len(notes) == 3 and all("回溯" in n or "只读" in n for n in notes), notes
        assert count(tui_repo) == before


async def units_at(app, pilot, unit: str) -> None:
    await settle(app, pilot)
    await pilot.press("u")
    await settle(app, pilot)
    table = app.screen.query_one("#units")
    table.move_cursor(row=table.get_row_index(unit))
    await pilot.pause()


@sync
async def test_reminder_note_from_the_units_screen(tui_repo, tui_ws, make_tui, tmp_path):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    out = tmp_path / "催办单-农业.docx"
    async with app.run_test(size=SIZE) as pilot:
        await units_at(app, pilot, "市农业农村局")
        await pilot.press("c")
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog"
        from textual.widgets import Input

        field = app.screen.query_one(Input)
        assert field.value.endswith("催办单-市农业农村局-2020-10-15.docx")  # the file offered
        field.value = str(tmp_path / "note.txt")
        await pilot.press("enter")  # not a .docx: refused in the dialog, in Chinese; nothing written
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog" and "催办单须写成 .docx" in screen_text(app)
        assert count(tui_repo) == before and not (tmp_path / "note.txt").exists()
        notes = []
        app.notify = lambda msg, **kw: notes.append(msg)
        field.value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen_name(app) == "UnitsScreen"
        assert out.exists() and out.read_bytes()[:2] == b"PK"
        assert count(tui_repo) == before + 1
        assert "reminders.yaml" in git(tui_repo, "show", "--stat", "--format=", "HEAD")
        assert any(str(out) in n and "第1次催办" in n for n in notes), notes

        await pilot.press("c")  # Esc: nothing written
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen_name(app) == "UnitsScreen" and count(tui_repo) == before + 1
