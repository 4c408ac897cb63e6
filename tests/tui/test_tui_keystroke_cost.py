"""A filter keystroke does no more work than it must: the status line's new text asks no layout pass.

(A layout pass re-arranges every widget of the screen; the status line is one row of fixed height
and full width, so its text never changes its size.)  The status still shows the new count."""
from __future__ import annotations

from tui_helpers import SIZE, screen_text, settle, sync


@sync
async def test_filter_keystroke_updates_the_status_without_a_layout_pass(tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        status = app.screen.query_one("#list-status")
        asked = []
        plain = status.refresh

        def refresh(*regions, **kw):
            asked.append(kw.get("layout", False))
            return plain(*regions, **kw)

        status.refresh = refresh
        await pilot.press("slash", *"nyxdh")
        await settle(app, pilot)
        assert asked and not any(asked)
        text = screen_text(app)
        assert "shown 1 / 60" in text and "/nyxdh" in text
        await pilot.press("ctrl+u")
        await settle(app, pilot)
        assert "shown 60 / 60" in screen_text(app)
