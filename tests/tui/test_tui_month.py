"""Issue 16, the TUI: what a month of real use turned up (wrapping detail text, dashboard keys,
category picking past 9, 80 columns)."""
from __future__ import annotations

from tui_helpers import open_task, screen_text, settle, sync

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
