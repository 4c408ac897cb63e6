"""Pilot tests: the supervision cycle's steps from the task detail screen, one commit each."""
from __future__ import annotations

from tui_helpers import count, git, open_task, screen_text, settle, sync

SIZE = (130, 45)
TASK = "plan/2020/tasks/05.yaml"


def head(repo) -> str:
    return git(repo, "log", "-1", "--format=%B")


def screen_name(app) -> str:
    return type(app.screen).__name__


@sync
async def test_finish_close_and_return_from_the_detail_screen(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        assert "可办理" in screen_text(app) and "销号" not in screen_text(app)  # the allowed steps, with keys
        await pilot.press("C")  # close: not offered for an item nobody applied to close
        await settle(app, pilot)
        assert screen_name(app) == "TaskDetailScreen" and count(tui_repo) == before

        await pilot.press("f")  # 申请办结 with progress 0 and open measures: asks first, naming them
        await settle(app, pilot)
        assert screen_name(app) == "PickerDialog"
        text = screen_text(app)
        assert "进度 0%" in text and "措施 1、2 未完成" in text
        await pilot.press("1")  # 仍要办结
        await settle(app, pilot)
        assert screen_name(app) == "TextDialog"
        from textual.widgets import TextArea

        app.screen.query_one(TextArea).insert("竺山圩退圩还湖主体完工")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert count(tui_repo) == before + 1
        msg = head(tui_repo)
        assert msg.splitlines()[0] == "2020-05 申请办结：竺山圩退圩还湖主体完工" and "Tracker-Step: finish" in msg
        assert screen_name(app) == "TaskDetailScreen"
        assert "申请办结" in screen_text(app)

        await pilot.press("b")  # 退回重办: the reason in a dialog
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog"
        await pilot.press("enter")  # empty: refused in the dialog, nothing written
        await settle(app, pilot)
        assert screen_name(app) == "InputDialog" and count(tui_repo) == before + 1
        for ch in "佐证材料不全":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(app, pilot)
        assert count(tui_repo) == before + 2
        assert head(tui_repo).splitlines()[0] == "2020-05 退回重办（第1次）：佐证材料不全"
        assert "退回1次" in screen_text(app)

        await pilot.press("f", "1")
        await settle(app, pilot)
        app.screen.query_one(TextArea).insert("补充了材料")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("C")  # 销号: a confirmation
        await settle(app, pilot)
        assert screen_name(app) == "PickerDialog"
        await pilot.press("1")
        await settle(app, pilot)
        assert count(tui_repo) == before + 4
        assert head(tui_repo).splitlines()[0] == "2020-05 已销号：持续推进重点水利工程建设"
        assert "status: closed" in (tui_repo / TASK).read_text("utf-8")


@sync
async def test_status_done_with_open_work_asks(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("3")  # done
        await settle(app, pilot)
        assert screen_name(app) == "PickerDialog" and "progress 0%" in screen_text(app)
        await pilot.press("2")  # cancel: nothing written
        await settle(app, pilot)
        assert count(tui_repo) == before
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert count(tui_repo) == before + 1 and "status: done" in (tui_repo / TASK).read_text("utf-8")


@sync
async def test_a_save_reaching_100_with_every_measure_done_offers_finish(tui_repo, tui_ws, make_tui):
    tui_ws.update_task(5, {"measures.1.status": "done", "measures.2.status": "done"})
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        notes = []
        app.screen.notify = lambda msg, **kw: notes.append(msg)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+u", "1", "0", "0", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert any("可申请办结" in n for n in notes), notes


@sync
async def test_undo_key(tui_repo, tui_ws, make_tui):
    tui_ws.update_task(5, {"progress": 30})
    before_bytes = (tui_repo / TASK).read_bytes()
    tui_ws.update_task(5, {"progress": 60, "note": "误填"})
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("z")
        await settle(app, pilot)
        assert screen_name(app) == "PickerDialog"
        await pilot.press("1")
        await settle(app, pilot)
        assert count(tui_repo) == before + 1
        assert (tui_repo / TASK).read_bytes() == before_bytes
        assert "Tracker-Step: undo" in head(tui_repo)
        assert "30%" in screen_text(app)


@sync
async def test_dashboard_and_list_show_the_cycle(tui_repo, tui_ws, make_tui):
    from tracker.lifecycle import take_step

    take_step(tui_ws, 5, "finish", report="完成", force=True)
    take_step(tui_ws, 5, "close")
    take_step(tui_ws, 6, "finish", report="完成", force=True)
    take_step(tui_ws, 6, "return", reason="材料不全")
    take_step(tui_ws, 7, "cancel", reason="调整")
    take_step(tui_ws, 8, "ack")
    app = make_tui(tui_ws)
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        for label in ("已签收", "已销号", "已撤销"):
            assert label in text, label
        await pilot.press("l")
        await settle(app, pilot)
        text = screen_text(app)
        screen = app.screen
        for key in ("status", "light"):  # the sort keys cope with the cycle's states and a cancelled item
            screen.sort_key = key
            assert sorted(app.tasks_by_id, key=screen._sort_value)
        assert "推进中（退回1次）" in text
        assert app.lights["2020-07"] == "cancelled" and app.lights["2020-05"] == "done"
