"""The list's row of a broken file says its first problem in the TUI's language through
schema.Problem.short (issue 11 point 3: the screen rebuilt that text by hand; same text, pinned
here): `line:col field: message`, in Chinese in a zh TUI, the English it always was in an en one."""
from __future__ import annotations

import pytest

from tui_helpers import SIZE, settle, sync


@pytest.mark.parametrize("lang, words", [
    ("zh", "⚠ 文件有误: plan/2020/tasks/05.yaml:7:1 progress: 须在 0 到 100 之间，不能是 150"),
    ("en", "plan/2020/tasks/05.yaml:7:1 progress: must be from 0 to 100, not 150"),
])
@sync
async def test_broken_file_row_says_its_problem(tui_repo, make_tui, lang, words):
    from tracker.store import Workspace

    path = tui_repo / "plan" / "2020" / "tasks" / "05.yaml"
    path.write_text(path.read_text("utf-8").replace("progress: 0", "progress: 150", 1), "utf-8")
    app = make_tui(Workspace(tui_repo), lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        row = app.screen.cells("!plan/2020/tasks/05.yaml")
        assert row[1].plain.endswith(words), row[1].plain
