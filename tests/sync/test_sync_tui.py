"""Pilot tests of the sync widget and the conflict picker, each hosted in a tiny app."""
from __future__ import annotations

import asyncio

import pytest
import yaml
from textual.app import App, ComposeResult

from tests_support import git

from tracker.screens.conflict_screen import ConflictScreen
from tracker.store import Workspace
from tracker.sync import sync
from tracker.sync_setup import ensure_repo_config
from tracker.widgets.sync_status import SyncStatus

pytestmark = pytest.mark.slow

T5 = "plan/2020/tasks/05.yaml"


def run_async(fn):
    """Run an async test with asyncio (pytest-asyncio is not a dependency); fixtures pass through."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def ws(repo):
    w = Workspace(repo)
    ensure_repo_config(w)
    return w


async def wait_for(pilot, cond, timeout=30.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            raise AssertionError("condition not reached")
        await pilot.pause(0.05)


class SyncApp(App):
    def __init__(self, w):
        super().__init__()
        self.w, self.synced, self.failed = w, [], []

    def compose(self) -> ComposeResult:
        yield SyncStatus(self.w, lang="zh", id="sync")

    def on_sync_status_synced(self, msg: SyncStatus.Synced) -> None:
        self.synced.append(msg.result)

    def on_sync_status_failed(self, msg: SyncStatus.Failed) -> None:
        self.failed.append(msg)


@run_async
async def test_sync_status_shows_counts_and_reports_arrivals(offices):
    a, b, _ = offices
    ws(a).update_task(5, {"status": "in_progress"})
    ws(a).update_task(6, {"progress": 20})
    sync(ws(a), lang="zh")
    ws(b).update_task(9, {"note": "[bold]不是标记[/]"})
    app = SyncApp(ws(b))  # its quiet fetch on mount finds the two commits waiting
    async with app.run_test(size=(100, 5)) as pilot:
        widget = app.query_one(SyncStatus)
        await wait_for(pilot, lambda: widget.status is not None and widget.status.behind == 2)
        text = widget.render().plain
        assert "origin" in text and "↑1" in text and "↓2" in text
        widget.start_sync()
        assert widget.syncing
        await wait_for(pilot, lambda: app.synced or app.failed)
        assert not app.failed
        res = app.synced[0]
        assert res.summary == "2 个任务由 张三 更新"
        assert set(res.arrived_paths) == {T5, "plan/2020/tasks/06.yaml"} and res.conflicts == []
        await wait_for(pilot, lambda: not widget.syncing and "↑0" in widget.render().plain)
        assert "↓0" in widget.render().plain
    assert yaml.safe_load((a.parent / "b" / T5).read_text("utf-8"))["status"] == "in_progress"


@run_async
async def test_sync_status_without_remote_notifies(plan_repo):
    app = SyncApp(ws(plan_repo))
    async with app.run_test(size=(100, 5)) as pilot:
        widget = app.query_one(SyncStatus)
        await wait_for(pilot, lambda: widget.status is not None)
        assert "未设置远程仓库" in widget.render().plain
        widget.start_sync()
        await wait_for(pilot, lambda: app.failed)
        assert app.failed[0].kind == "no_remote"
        assert widget.has_class("-error")


@run_async
async def test_sync_status_offline_keeps_counts(offices, tmp_path):
    a = offices[0]
    ws(a).update_task(5, {"progress": 5})
    git(a, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    app = SyncApp(ws(a))
    async with app.run_test(size=(100, 5)) as pilot:
        widget = app.query_one(SyncStatus)
        await wait_for(pilot, lambda: widget.offline is not None)
        text = widget.render().plain
        assert "↑1" in text and "远程不可达" in text


class ConflictApp(App):
    def __init__(self, w, path):
        super().__init__()
        self.w, self.path, self.results = w, path, []

    def on_mount(self) -> None:
        self.push_screen(ConflictScreen(self.w, self.path, "zh"), self.results.append)


@run_async
async def test_conflict_screen_picks_a_side_and_commits(offices):
    a, b, _ = offices
    ws(a).update_task(5, {"status": "in_progress", "measures.1.status": "done"})
    sync(ws(a), lang="zh")
    ws(b).update_task(5, {"status": "blocked", "measures.1.status": "in_progress"})
    sync(ws(b), lang="zh")
    before = int(git(b, "rev-list", "--count", "HEAD"))
    app = ConflictApp(ws(b), T5)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        await wait_for(pilot, lambda: len(screen.entries) == 2)
        side = screen.query_one("#side-0-1").render()
        assert "受阻" in str(side) and "李四" in str(side)
        await pilot.press("2")  # status: take the other side (李四's 受阻)
        await pilot.press("down", "left")  # measure 1: the first side
        assert screen.choice == {0: 1, 1: 0}
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.results)
    res = app.results[0]
    assert res is not None and "Tracker-Resolve" in res.message
    t = yaml.safe_load((b / T5).read_text("utf-8"))
    assert t["status"] == "blocked" and t["measures"][0]["status"] == "done" and "conflicts" not in t
    assert int(git(b, "rev-list", "--count", "HEAD")) == before + 1
    assert git(b, "status", "--porcelain").strip() == ""


@run_async
async def test_the_header_counts_follow_each_save_at_once(offices):
    """Found in QA: ↑ (to push) lagged behind saves by up to 30 s (it was only polled)."""
    from datetime import date

    from tracker.app import make_app

    _, b, _ = offices
    w = ws(b)
    w.update_task(9, {"progress": 5})
    app = make_app(w, "zh", today=date(2020, 10, 15), poll_seconds=None, sync_fetch_every=None, index_history=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: "↑1" in str(app.title), timeout=20)
        w.update_task(9, {"progress": 6})  # as a save in the app does: commit, then reload
        app.reload()
        await wait_for(pilot, lambda: "↑2" in str(app.title), timeout=10)
