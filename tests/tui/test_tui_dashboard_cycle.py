"""The dashboard carries the supervision cycle (issue 13 §3): counts by kind and stage, the applications
for closure waiting for the office's review (Enter opens one), the reminders with their reasons; and
one state has one name on every screen (the cycle's stage names: 已交办, not 未启动)."""
from __future__ import annotations

from datetime import date

from tui_helpers import screen_text, settle, started, sync

SIZE = (130, 90)  # every panel of the dashboard on screen


def _cycle(ws) -> None:
    from tracker.items import NewItem, create
    from tracker.lifecycle import take_step

    take_step(ws, 5, "finish", report="竺山圩主体完工", force=True, on=date(2020, 10, 12))
    take_step(ws, 9, "finish", report="完成", force=True, on=date(2020, 10, 11))
    take_step(ws, 9, "close", on=date(2020, 10, 13))
    take_step(ws, 6, "finish", report="完成", force=True, on=date(2020, 10, 12))
    take_step(ws, 6, "return", reason="材料不全", on=date(2020, 10, 13))
    take_step(ws, 8, "ack", on=date(2020, 10, 12))
    create(ws, NewItem(kind="批示件", title="关于加快推进竺山圩工程的批示", leads=("市水利局",),
                       start=date(2020, 9, 1), urgency="紧急"), today=date(2020, 9, 1))  # due 09-06: overdue, unacked


def _row(text: str, label: str) -> list[str]:
    line = next(ln for ln in text.splitlines() if f" {label} " in ln and "│" in ln)
    return line.split("│")[1].split()


@sync
async def test_counts_by_kind_and_stage(tui_ws, make_tui):
    _cycle(tui_ws)
    app = make_tui(tui_ws)
    async with started(app, SIZE):
        text = screen_text(app)
        assert "按类型和环节" in text
        text = text.split("按类型和环节")[1]  # the panel (the status panel above has its own 合计)
        head = _row(text, "交办")
        assert head == ["类型", "交办", "签收", "推进中", "办结待审", "销号", "退回", "逾期"]
        assert _row(text, "重点工作")[1:] == ["56", "1", "1", "1", "1", "1", "·"]
        assert _row(text, "批示件")[1:] == ["1", "·", "·", "·", "·", "·", "1"]
        assert _row(text, "合计")[1:] == ["57", "1", "1", "1", "1", "1", "1"]


@sync
async def test_counts_by_kind_and_stage_in_english(tui_ws, make_tui):
    _cycle(tui_ws)
    app = make_tui(tui_ws, "en")
    async with started(app, SIZE):
        text = screen_text(app)
        assert "By kind and stage" in text and "awaiting review" in text and "leader's instruction" in text


@sync
async def test_the_review_list_names_the_applications_and_opens_one(tui_ws, make_tui):
    from textual.widgets import DataTable

    _cycle(tui_ws)
    app = make_tui(tui_ws)
    async with started(app, SIZE) as pilot:
        text = screen_text(app)
        assert "办结待审（1项" in text
        review = app.screen.query_one("#review", DataTable)
        keys = [str(k.value) for k in review.rows]
        assert keys == ["2020-05"]  # applied for closure; the closed (09) and the returned (06) are not waiting
        assert "2020-10-12" in text  # the day it applied
        review.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskDetailScreen" and app.screen.task_id == "2020-05"


@sync
async def test_the_review_list_says_when_nothing_waits(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with started(app, SIZE):
        assert "no application for closure is waiting" in screen_text(app)


@sync
async def test_reminders_give_each_reason(tui_ws, make_tui):
    from textual.widgets import DataTable

    _cycle(tui_ws)
    app = make_tui(tui_ws)
    async with started(app, SIZE):
        table = app.screen.query_one("#reminders", DataTable)
        keys = {str(k.value) for k in table.rows}
        assert {"2020-61#overdue", "2020-61#unacked", "2020-05#review"} <= keys
        why = {str(k.value): table.get_row(k)[2].plain for k in table.rows}
        assert why["2020-61#overdue"] == "逾期39天"
        assert why["2020-61#unacked"] == "交办44天未签收"
        assert why["2020-05#review"] == "申请办结，待审核"


@sync
async def test_one_state_one_name_on_the_dashboard_list_and_detail(tui_ws, make_tui):
    """not_started is 已交办 and done is 申请办结 everywhere in the TUI, as the cycle names them."""
    from tui_helpers import open_task

    _cycle(tui_ws)
    app = make_tui(tui_ws)
    async with started(app, SIZE) as pilot:
        text = screen_text(app)
        assert "已交办" in text and "申请办结" in text and "未启动" not in text
        await pilot.press("l")
        await settle(app, pilot)
        text = screen_text(app)
        assert "已交办" in text and "未启动" not in text
        await pilot.press("s")  # the status filter offers every state of the cycle, by its name
        await settle(app, pilot)
        text = screen_text(app)
        for name in ("已交办", "已签收", "推进中", "受阻", "申请办结", "已销号", "已撤销"):
            assert name in text, name
        assert "未启动" not in text
        assert not [ln for ln in text.splitlines() if "已完成" in ln and "✔ 已完成" not in ln]  # (the done light's name)
        await pilot.press("escape")
        await settle(app, pilot)
        await open_task(app, pilot, 5)
        text = screen_text(app)
        assert "申请办结" in text and "已完成" not in text.split("措施")[0].replace("✔ 已完成", "")
