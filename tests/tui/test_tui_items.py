"""Items of any kind in the TUI: the detail screen names the kind, urgency and the item's text; a
plan task shows no such rows (its defaults)."""
from __future__ import annotations

from datetime import date

from tui_helpers import open_task, screen_text, started, sync

from tracker.items import NewItem, create


@sync
async def test_detail_shows_an_items_kind_urgency_and_text(tui_ws, make_tui):
    create(tui_ws, NewItem(kind="批示件", title="关于加快推进竺山圩工程的批示", leads=("市水利局",), units=("市财政局",),
                           start=date(2020, 10, 9), urgency="紧急", text="请水利局牵头抓紧推进。", leader="王市长"))
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await open_task(app, pilot, 61)
        text = screen_text(app)
        assert "批示件" in text and "紧急" in text and "请水利局牵头抓紧推进。" in text and "2020-10-14" in text
        await pilot.press("escape")
        await open_task(app, pilot, 5)
        text = screen_text(app)
        assert "类型" not in text and "紧急程度" not in text
        assert not any(line.strip().startswith("内容") for line in text.splitlines())  # no text row of its own
