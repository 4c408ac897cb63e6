"""SVG snapshots of every screen in Chinese and English, on the bundled plan (fixed today, fixed
git dates, fixed size).  Regenerate after a reviewed change: pytest tests/tui --snapshot-update."""
from __future__ import annotations

import pytest
from tui_helpers import settle

SIZE = (130, 40)


def scenario(*keys: str, task: str | None = None, cursor_off: bool = True):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        if task:
            app.open_task(task)
            await settle(app, pilot)
        for k in keys:
            await pilot.press(k)
            await settle(app, pilot)
        if cursor_off:
            for inp in app.screen.query("Input, TextArea"):
                inp.cursor_blink = False
        await settle(app, pilot)

    return run_before


SCREENS = {
    "dashboard": scenario(),
    "tasks": scenario("l"),
    "filter": scenario("l", "slash", *"nyxdh"),
    "detail": scenario(task="2020-01"),
    "history": scenario("h", task="2020-01"),
    "commit": scenario("h", "enter", task="2020-01"),
    "units": scenario("u"),
    "targets": scenario("t"),
    "help": scenario("l", "question_mark"),
    "status_picker": scenario("s", task="2020-01"),
    "ranking": scenario("R"),
}


@pytest.fixture
def edited_ws(tui_ws):
    """The bundled plan plus one dated edit, so history and last-change columns have content."""
    tui_ws.update_task(1, {"status": "in_progress", "progress": 40, "note": "完成高标准农田1.2万亩[bold]x[/]",
                           "problems": "资金到位偏慢"})
    tui_ws.record_actual(4, "社会消费品零售总额增长", "2020-09", 7.9, "快报")
    return tui_ws


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_snapshot(snap_compare, edited_ws, make_tui, screen, lang):
    app = make_tui(edited_ws, lang, use_cache=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=SCREENS[screen])


async def _cycle_panels(pilot) -> None:
    """The dashboard scrolled to its cycle panels (by kind and stage, awaiting review, reminders)."""
    app = pilot.app
    await settle(app, pilot)
    app.screen.query_one("#dash-scroll").scroll_to_widget(app.screen.query_one("#panel-stages"), top=True,
                                                          animate=False)
    await settle(app, pilot)


CYCLE_SCREENS = {
    "new_item": scenario("N"),  # the 立项交办 form, its due filled in for a 批示件 from today
    "dashboard_cycle": _cycle_panels,
}


@pytest.fixture
def cycle_ws(edited_ws):
    """The edited plan after some steps of the cycle and a new 批示件 (all on fixed days)."""
    from datetime import date

    from tracker.items import NewItem, create
    from tracker.lifecycle import take_step

    take_step(edited_ws, 5, "finish", report="竺山圩主体完工", force=True, on=date(2020, 10, 12))
    take_step(edited_ws, 9, "finish", report="完成", force=True, on=date(2020, 10, 11))
    take_step(edited_ws, 9, "close", on=date(2020, 10, 13))
    take_step(edited_ws, 6, "finish", report="完成", force=True, on=date(2020, 10, 12))
    take_step(edited_ws, 6, "return", reason="材料不全", on=date(2020, 10, 13))
    take_step(edited_ws, 8, "ack", on=date(2020, 10, 12))
    create(edited_ws, NewItem(kind="批示件", title="关于加快推进竺山圩工程的批示", leads=("市水利局",),
                              start=date(2020, 9, 1), urgency="紧急"), today=date(2020, 9, 1))
    return edited_ws


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(CYCLE_SCREENS))
def test_snapshot_cycle(snap_compare, cycle_ws, make_tui, screen, lang):
    app = make_tui(cycle_ws, lang, use_cache=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=CYCLE_SCREENS[screen])
