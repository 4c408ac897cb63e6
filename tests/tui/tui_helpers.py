"""Helpers for the TUI tests (not a test module)."""
from __future__ import annotations

import contextlib
import io

from rich.console import Console

from tests_support import git  # noqa: F401  (re-exported: the TUI tests' git)


def count(repo) -> int:
    """Commits on HEAD."""
    return int(git(repo, "rev-list", "--count", "HEAD"))


def screen_text(app) -> str:
    """The current screen as plain text, wide characters included (what a person would read)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def settle(app, pilot, rounds: int = 3) -> None:
    """Wait until workers are done and the messages they posted are handled."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


#: the terminal most TUI tests run in
SIZE = (130, 40)


@contextlib.asynccontextmanager
async def started(app, size: tuple[int, int] = SIZE):
    """The preamble every Pilot test shared: `app` running at `size` with its first load landed.

        async with started(make_tui(tui_ws)) as pilot: ...   (the app is `pilot.app`)"""
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield pilot


def sync(fn):
    """Run an async test with asyncio (no pytest-asyncio here); fixtures pass through."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def open_task(app, pilot, number: int) -> None:
    await settle(app, pilot)
    app.open_task(f"2020-{number:02d}")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "TaskDetailScreen"


async def show_target(app, pilot, number: int) -> None:
    """The targets screen with the cursor on target `number`."""
    await settle(app, pilot)
    await pilot.press("t")
    await settle(app, pilot)
    row = next(i for i, (tg, _) in enumerate(app.screen.rows) if tg.number == number)
    app.screen.query_one("#targets").move_cursor(row=row)
    await settle(app, pilot)
