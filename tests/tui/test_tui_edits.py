"""Pilot tests: every edit path in the TUI makes exactly one commit, with the right message and author."""
from __future__ import annotations

import subprocess

import pytest
from tui_helpers import SIZE, count, git, open_task, screen_text, settle, show_target, started, sync


def head_commit(repo) -> tuple[str, str, list[str]]:
    """(subject+body, author name, files) of HEAD."""
    msg = git(repo, "log", "-1", "--format=%B")
    author = git(repo, "log", "-1", "--format=%an").strip()
    files = [f for f in git(repo, "show", "--name-only", "--format=", "HEAD").splitlines() if f]
    return msg, author, files




def assert_one_commit(repo, before: int, *needles: str, path: str = "plan/2020/tasks/05.yaml") -> str:
    assert count(repo) == before + 1
    msg, author, files = head_commit(repo)
    assert author == "督查室 测试员"
    assert files == [path]
    for n in needles:
        assert n in msg, (n, msg)
    return msg


@sync
async def test_status_by_digit(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        notes = []
        app.notify = lambda msg, **kw: notes.append(msg)  # capture the confirmation
        await pilot.press("s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickerDialog"
        await pilot.press("2")  # in_progress
        await settle(app, pilot)
        msg = assert_one_commit(tui_repo, before, "2020-05", "状态: 未启动 → 推进中", "Tracker-Fields: status")
        short = git(tui_repo, "rev-parse", "--short=7", "HEAD").strip()
        assert any(short in n for n in notes), notes
        assert "推进中" in screen_text(app)
        assert msg.splitlines()[0].startswith("2020-05 持续推进重点水利工程建设")


@sync
async def test_progress(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("4", "5", "enter")
        await settle(app, pilot)
        assert_one_commit(tui_repo, before, "进度: 0 → 45", "Tracker-Fields: progress")
        assert "45%" in screen_text(app)


@pytest.mark.parametrize("key,field,label", [("n", "note", "进展情况"), ("e", "problems", "存在问题"),
                                             ("x", "next_steps", "下步打算")])
@sync
async def test_text_fields(tui_repo, tui_ws, make_tui, key, field, label):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        from textual.widgets import TextArea

        app.screen.query_one(TextArea).insert("第一行[bold]x[/]\n第二行")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        msg = assert_one_commit(tui_repo, before, label, f"Tracker-Fields: {field}")
        assert "第一行[bold]x[/]" in msg
        assert "第一行[bold]x[/]" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
        assert "第一行[bold]x[/]" in screen_text(app)  # shown as typed, never as markup


@sync
async def test_measure_status(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("2")  # measure 2
        await pilot.pause()
        await pilot.press("3")  # done
        await settle(app, pilot)
        assert_one_commit(tui_repo, before, "措施2 状态: 未启动 → 已完成", "Tracker-Fields: measures.2.status")


@sync
async def test_due_date_and_bad_value(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"2020-13-01", "enter")  # not a date: refused, the dialog stays open
        await settle(app, pilot)
        assert count(tui_repo) == before
        assert type(app.screen).__name__ == "InputDialog"
        assert "未保存" in screen_text(app) and "2020-13-01" in screen_text(app)
        app.screen.query_one("Input").value = ""
        await pilot.press(*"2020-11-30", "enter")  # a due change is an extension (延期): the reason next
        await settle(app, pilot)
        assert count(tui_repo) == before and type(app.screen).__name__ == "InputDialog"
        assert "理由" in screen_text(app) and "2020-12-31 → 2020-11-30" in screen_text(app)
        await pilot.press("enter")  # no reason: refused, nothing written
        await settle(app, pilot)
        assert count(tui_repo) == before and type(app.screen).__name__ == "InputDialog"
        await pilot.press(*"汛期影响", "enter")
        await settle(app, pilot)
        assert_one_commit(tui_repo, before, "完成时限: 2020-12-31 → 2020-11-30", "Tracker-Step: extend")
        assert "extensions:" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")


@sync
async def test_record_actual(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await show_target(app, pilot, 4)
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormDialog"
        await pilot.press(*"2020-09", "enter", "7", ".", "9", "enter", *"统计局快报", "enter")
        await settle(app, pilot)
        await settle(app, pilot, 5)
        msg = assert_one_commit(tui_repo, before, "2020-T04", "Tracker-Target: 2020-T04", path="plan/2020/targets/04.yaml")
        assert "7.9" in msg
        assert "7.9" in screen_text(app)


@sync
async def test_stale_edit_is_refused_and_fresh_version_shown(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        # another terminal changes the task after it was shown
        from tracker.store import Workspace

        Workspace(tui_repo).update_task(5, {"progress": 20})
        before = count(tui_repo)
        notes = []
        real_notify = app.notify
        app.notify = lambda msg, **kw: (notes.append((msg, kw.get("severity"))), real_notify(msg, **kw))
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("9", "0", "enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before  # nothing overwritten
        assert "progress: 20" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
        assert any(sev == "error" and ("别处" in m or "elsewhere" in m) for m, sev in notes), notes
        assert "20%" in screen_text(app)  # the fresh version


@sync
async def test_outside_change_appears_without_restart(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        p = tui_repo / "plan/2020/tasks/05.yaml"
        p.write_text(p.read_text("utf-8").replace("title: 持续推进重点水利工程建设", "title: 手工改过的标题"), "utf-8")
        app.check_disk()
        await settle(app, pilot, 5)
        assert "手工改过的标题" in screen_text(app)


@sync
async def test_broken_file_is_listed_and_app_keeps_working(tui_repo, tui_ws, make_tui):
    p = tui_repo / "plan/2020/tasks/07.yaml"
    p.write_text(p.read_text("utf-8").replace("status: not_started", "status: nonsense"), "utf-8")
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        text = screen_text(app)
        assert "invalid file" in text and "nonsense" in text, text
        assert "60 / 60" in text and "1 files with errors" in text
        await open_task(app, pilot, 5)
        await pilot.press("s", "3")
        await settle(app, pilot)
        await pilot.press("1")  # done with progress 0 and open measures: confirm (the supervision cycle asks)
        await settle(app, pilot)
        assert count(tui_repo) == before + 1


@sync
async def test_markup_in_title_shows_as_typed(tui_repo, tui_ws, make_tui):
    p = tui_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("title: 持续推进重点水利工程建设", "title: '[bold]x[/] [red]水利'"), "utf-8")
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        assert "[bold]x[/] [red]水利" in screen_text(app)
        await open_task(app, pilot, 5)
        assert "[bold]x[/] [red]水利" in screen_text(app)


@sync
async def test_as_of_view_is_read_only(tui_repo, tui_ws, make_tui):
    pytest.importorskip("tracker.asof")
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with started(app) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2020-12-01", "enter")
        await settle(app, pilot, 5)
        assert "As of 2020-12-01" in screen_text(app)
        await open_task(app, pilot, 5)
        await pilot.press("s", "3")
        await settle(app, pilot)
        assert count(tui_repo) == before


CONFLICT = """conflicts:
  - field: status
    base: not_started
    ours: {value: in_progress, author: 张三, date: '2020-09-01T10:00:00+08:00'}
    theirs: {value: blocked, author: 李四, date: '2020-09-02T09:30:00+08:00'}
"""


@sync
async def test_conflict_badge_and_resolution_screen(tui_repo, tui_ws, make_tui):
    pytest.importorskip("tracker.screens.conflict_screen")
    p = tui_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("status: not_started", "status: in_progress", 1) + CONFLICT, "utf-8")
    git(tui_repo, "commit", "-q", "-am", "merge with a conflict")
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with started(app) as pilot:
        assert "plan/2020/tasks/05.yaml" in app.data.conflicted
        await pilot.press("l")
        await settle(app, pilot)
        row = next(line for line in screen_text(app).splitlines() if line.startswith("2020-05"))
        assert "⚡" in row
        await open_task(app, pilot, 5)
        assert "冲突" in screen_text(app)
        await pilot.press("k")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConflictScreen"
        await pilot.press("2", "enter")  # take theirs (blocked), save
        await settle(app, pilot, 5)
        assert count(tui_repo) == before + 1
        assert "conflicts" not in p.read_text("utf-8") and "status: blocked" in p.read_text("utf-8")
        assert head_commit(tui_repo)[2] == ["plan/2020/tasks/05.yaml"]
        assert type(app.screen).__name__ == "TaskDetailScreen"


@sync
async def test_synced_reloads_and_marks_arrived_tasks(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        # what a sync does: files change on disk, then SyncStatus posts Synced(result)
        p = tui_repo / "plan/2020/tasks/09.yaml"
        p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 55", 1), "utf-8")
        git(tui_repo, "commit", "-q", "-am", "from another office")

        class Result:
            arrived_paths = ["plan/2020/tasks/09.yaml"]
            summary = "收到 1 项更新"

        notes = []
        real_notify = app.notify
        app.notify = lambda msg, **kw: (notes.append(msg), real_notify(msg, **kw))
        app.on_sync_status_synced(type("Synced", (), {"result": Result()})())
        await settle(app, pilot, 5)
        assert "收到 1 项更新" in notes
        assert app.arrived == {"2020-09"}
        table = app.screen.query_one("#tasks")
        assert "2020-09" in table.marked
        row = next(line for line in screen_text(app).splitlines() if line.startswith("2020-09"))
        assert "55%" in row and "↓" in row


@sync
async def test_shift_s_starts_a_sync_from_any_screen(tui_repo, tui_ws, make_tui):
    pytest.importorskip("tracker.widgets.sync_status")
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        started = []
        widget = app._dashboard_screens()[0].query_one("SyncStatus")
        widget.start_sync = lambda: started.append(True)
        await pilot.press("S")
        await settle(app, pilot)
        assert started == [True]


@sync
async def test_a_save_killed_before_its_commit_is_finished_when_the_app_starts(tui_repo, tui_ws, make_tui):
    """The journal (store.recover) runs at the TUI's start too, not only the CLI's."""
    import os
    import signal
    import sys

    before = count(tui_repo)
    env = {**os.environ, "TRACKER_FAULT": "written"}
    p = subprocess.run([sys.executable, "-m", "tracker", "set", "5", "--progress", "40"], cwd=tui_repo,
                       env=env, capture_output=True, text=True)
    assert p.returncode == -signal.SIGKILL, p.stderr
    assert count(tui_repo) == before and "progress: 40" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
    app = make_tui(tui_ws)
    notes = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda msg, **kw: notes.append(msg)
        await settle(app, pilot)
        assert_one_commit(tui_repo, before, "进度: 0 → 40")
        assert git(tui_repo, "status", "--porcelain") == ""
        assert app.data.task(5).progress == 40


@sync
async def test_ahead_behind_counts_are_visible_on_every_screen(tui_repo, tui_ws, make_tui, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tui_repo, "remote", "add", "origin", str(remote))
    git(tui_repo, "push", "-q", "-u", "origin", "main")
    tui_ws.update_task(5, {"progress": 10})  # one commit not yet pushed
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        assert "↑1 ↓0" in app.title
        for key, screen in (("l", "TaskListScreen"), ("u", "UnitsScreen"), ("t", "TargetsScreen")):
            await pilot.press(key)
            await settle(app, pilot)
            assert "↑1 ↓0" in screen_text(app), (key, screen)


@sync
async def test_the_app_builds_the_history_index_in_the_background(tui_repo, tui_ws, make_tui):
    """At start the app builds the touch index (a separate process); the history screen then reads it."""
    import sqlite3

    from tracker import touchindex

    tui_ws.update_task(5, {"progress": 10})
    assert not touchindex.index_path(tui_ws).exists()
    app = make_tui(tui_ws, index_history=True)
    async with started(app) as pilot:
        assert touchindex.refresh(tui_ws)  # present and at HEAD without building it here
        head = git(tui_repo, "rev-parse", "HEAD").strip()
        con = sqlite3.connect(touchindex.index_path(tui_ws))
        con.execute("UPDATE commits SET author = '来自索引' WHERE sha = ?", (head,))  # proves the screen reads it
        con.commit()
        con.close()
        await open_task(app, pilot, 5)
        await pilot.press("h")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HistoryScreen" and "来自索引" in screen_text(app)


@sync
async def test_text_typed_into_an_existing_note_goes_at_its_end(tui_repo, tui_ws, make_tui):
    """Found in QA: the editor opened with the cursor at the start, so additions went in front."""
    tui_ws.update_task(5, {"note": "已开工"})
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("n")
        await settle(app, pilot)
        from textual.widgets import TextArea

        app.screen.query_one(TextArea).insert("，过半")  # at the cursor, as typing does
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
    assert "note: '已开工，过半'\n" in text, text.split("due:")[1][:80]
