"""Regression tests for the QA findings of 2026-11-26 (lost update, lost keys, dialogs, lists)."""
from __future__ import annotations

from tui_helpers import SIZE, count, git, open_task, screen_text, settle, show_target, started, sync


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued before any is handled."""
    from textual import events
    from textual.keys import _character_to_key

    for k in keys:
        char = k if len(k) == 1 else {"slash": "/", "space": " "}.get(k)
        key = _character_to_key(char) if char else k
        app.post_message(events.Key(key, char))


async def until(app, pilot, cond, rounds: int = 40) -> None:
    """Settle until `cond()` holds (burst keys are handled one by one, a few ms apart)."""
    for _ in range(rounds):
        await settle(app, pilot)
        try:
            if cond():
                return
        except Exception:  # noqa: BLE001 - a screen not there yet
            pass


def capture_notes(app) -> list:
    notes = []
    real = app.notify

    def notify(msg, **kw):
        notes.append((str(msg), kw.get("severity"), kw.get("timeout")))
        return real(msg, **kw)

    app.notify = notify
    return notes


@sync
async def test_refresh_while_note_editor_open_does_not_overwrite(tui_repo, tui_ws, make_tui):
    from textual.widgets import TextArea

    from tracker.store import Workspace

    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one(TextArea).insert("我在TUI写的草稿")
        # another terminal writes a note; the file watcher refreshes while the editor is open
        Workspace(tui_repo).update_task(5, {"note": "张三在CLI写的重要进展"})
        app.reload()
        await settle(app, pilot, 5)
        assert app.screen is dialog
        before = count(tui_repo)
        notes = capture_notes(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before  # refused
        assert "张三在CLI写的重要进展" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
        # the draft is kept in the open editor, and the fresh value is shown
        assert app.screen is dialog
        assert "我在TUI写的草稿" in dialog.query_one(TextArea).text
        text = screen_text(app)
        assert "张三在CLI写的重要进展" in text
        assert any("别处" in m for m, _, _ in notes) or "别处" in text


@sync
async def test_refresh_while_progress_dialog_open_does_not_overwrite(tui_repo, tui_ws, make_tui):
    from tracker.store import Workspace

    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        Workspace(tui_repo).update_task(5, {"progress": 60})
        app.reload()
        await settle(app, pilot, 5)
        before = count(tui_repo)
        await pilot.press("ctrl+a", "ctrl+k", "7", "0", "enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before
        assert "progress: 60" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
        assert app.screen is dialog
        assert dialog.query_one("Input").value == "70"


@sync
async def test_keys_typed_at_once_after_slash_reach_the_filter(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, "slash", "n", "y", "x", "d", "h")
        await until(app, pilot, lambda: app.screen.query_one("#filter").value == "nyxdh")
        assert app.screen.query_one("#filter").value == "nyxdh"
        assert "显示 1 / 60" in screen_text(app)


@sync
async def test_keys_typed_at_once_after_opening_dialogs(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        burst(app, "n", "end", "x", "y")
        await until(app, pilot, lambda: app.screen.query_one("TextArea").text.endswith("xy"))
        await pilot.pause()
        from textual.widgets import TextArea

        dialog = app.screen
        assert dialog.query_one(TextArea).text.endswith("xy")
        await pilot.press("escape")  # changed text: the first Esc only asks
        await settle(app, pilot)
        assert app.screen is dialog and "Esc" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskDetailScreen"
        burst(app, "p", "4", "2")  # the field opens with its text selected: typing replaces it
        await until(app, pilot, lambda: app.screen.query_one("Input").value == "42")
        assert app.screen.query_one("Input").value == "42"


@sync
async def test_invalid_progress_keeps_the_dialog_open_with_the_error(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("1", "5", "0", "enter")
        await settle(app, pilot)
        assert app.screen is dialog and dialog.query_one("Input").value == "150"
        assert "未保存" in screen_text(app) and "150" in screen_text(app)
        dialog.query_one("Input").value = ""
        await pilot.press("8", "0", "enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before + 1 and type(app.screen).__name__ == "TaskDetailScreen"


@sync
async def test_as_of_view_refuses_edits_before_opening_a_dialog(tui_repo, tui_ws, make_tui):
    import pytest

    pytest.importorskip("tracker.asof")
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2020-12-01", "enter")
        await settle(app, pilot, 5)
        await open_task(app, pilot, 5)
        notes = capture_notes(app)
        for key in ("s", "p", "n", "m", "d"):
            await pilot.press(key)
            await settle(app, pilot)
            assert type(app.screen).__name__ == "TaskDetailScreen", key
        assert any("只读" in m for m, _, _ in notes), notes


@sync
async def test_actual_dialog_defaults_to_the_plan_year_and_refuses_other_years(tui_repo, tui_ws, make_tui):
    from datetime import date

    app = make_tui(tui_ws, today=date(2026, 11, 26))
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await show_target(app, pilot, 4)
        await pilot.press("v")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#f-period").value == "2020-12"
        dialog.query_one("#f-period").value = "2026-11"
        await pilot.press("enter", "7", "enter", "enter")
        await settle(app, pilot)
        assert count(tui_repo) == before and app.screen is dialog
        assert "2026-11" in screen_text(app) and "2020" in screen_text(app)


@sync
async def test_as_of_before_the_first_commit_says_so(tui_repo, tui_ws, make_tui):
    import pytest

    pytest.importorskip("tracker.asof")
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        notes = capture_notes(app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2019-01-01", "enter")
        await settle(app, pilot, 5)
        assert app.as_of_day is None and len(app.data.tasks) == 60  # the board stays as it was
        assert any("2019-01-01" in m and "没有" in m for m, _, _ in notes), notes


@sync
async def test_broken_files_count_in_the_totals(tui_repo, tui_ws, make_tui):
    for n in (7, 8):
        p = tui_repo / f"plan/2020/tasks/{n:02d}.yaml"
        p.write_text(p.read_text("utf-8").replace("status: not_started", "status: nonsense"), "utf-8")
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        assert len(app.data.tasks) == 58
        text = screen_text(app)
        total = next(line for line in text.splitlines() if "合计" in line)
        assert "60" in total, total
        cat = app.data.task(1).category  # tasks 7 and 8 share a category with others: its count includes them
        from tracker.screens.dashboard import broken_task_categories

        broken = broken_task_categories(tui_ws.root, app.data)
        assert len(broken) == 2 and all(broken.values())
        c = next(iter(broken.values()))
        n = sum(1 for t in app.data.tasks if t.category == c) + sum(1 for v in broken.values() if v == c)
        line = next(line for line in text.splitlines() if c in line and "/" in line)
        assert f"/{n}" in line and "⚠" in line, (line, cat)
        await pilot.press("l")
        await settle(app, pilot)
        assert "显示 60 / 60" in screen_text(app) and "2 个文件有错误" in screen_text(app)


@sync
async def test_escape_from_a_units_tasks_returns_to_units_and_the_filter_does_not_leak(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("u")
        await settle(app, pilot)
        units = app.screen
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskListScreen" and app.screen.unit_f
        assert "显示 60 / 60" not in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is units
        await pilot.press("l")
        await settle(app, pilot)
        assert app.screen.unit_f is None and "显示 60 / 60" in screen_text(app)


CONFLICT = """conflicts:
  - field: status
    base: not_started
    ours: {value: in_progress, author: 张三, date: '2020-09-01T10:00:00+08:00'}
    theirs: {value: blocked, author: 李四, date: '2020-09-02T09:30:00+08:00'}
"""


@sync
async def test_conflict_from_outside_is_badged_by_the_id_after_a_reload(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, (100, 24)) as pilot:  # a scrollbar and a narrow screen
        await pilot.press("l")
        await settle(app, pilot)
        # what a CLI `tracker sync` leaves behind: a committed file with a recorded conflict
        p = tui_repo / "plan/2020/tasks/03.yaml"
        p.write_text(p.read_text("utf-8").replace("status: not_started", "status: in_progress", 1) + CONFLICT, "utf-8")
        git(tui_repo, "commit", "-q", "-am", "sync with a conflict")
        app.check_disk()
        await settle(app, pilot, 5)
        row = next(line for line in screen_text(app).splitlines() if line.startswith("2020-03"))
        assert "⚡" in row[:12], row


@sync
async def test_palette_footer_and_errors_speak_chinese(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, (200, 40)) as pilot:
        text = screen_text(app)
        footer = text.splitlines()[-1]
        assert "palette" not in footer and "命令" in footer, footer
        for label in ("打开任务", "同步", "回溯", "排名"):
            assert label in footer, (label, footer)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert not {"Theme", "Quit", "Keys", "Screenshot"} & set(names), names
        assert "主题" in names and len(names) == len(set(names)), names
        assert sum("同步" in n for n in names) == 1, names
        # the dashboard opens with a task panel focused: Enter opens a task without Tab
        assert app.focused is not None and app.focused.id == "problems"
        await open_task(app, pilot, 5)
        assert "文件" in screen_text(app) and "path" not in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("a", "b", "c", "enter")
        await settle(app, pilot)
        assert "未保存：" in screen_text(app)


@sync
async def test_help_lists_dialog_and_conflict_keys_with_human_names(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, (130, 90)) as pilot:  # the help lists every key: tall enough for the last ones
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        for needle in ("Ctrl+S", "Esc", "Shift+R", "Shift+S", "Tab", "输入框", "冲突选择", "←→"):
            assert needle in text, needle
        assert "escape" not in text and "shift+r" not in text


@sync
async def test_columns_fit_their_content_and_narrow_screens_drop_columns(tui_ws, make_tui):
    data = tui_ws.load()
    long_cat = max((t.category for t in data.tasks[:30]), key=len)  # rows on screen
    long_unit = max((t.lead for t in data.tasks[:30]), key=len)
    app = make_tui(tui_ws)
    async with started(app, (160, 40)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        text = screen_text(app)
        assert long_cat in text and long_unit in text
        app.screen._set_sort("progress")
        await settle(app, pilot)
        header = next(line for line in screen_text(app).splitlines() if "编号" in line and "任务" in line)
        assert "进度 ▲" in header, header
    app = make_tui(tui_ws)
    async with started(app, (80, 24)) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        row = next(line for line in screen_text(app).splitlines() if line.startswith("2020-01"))
        assert "加快推进农业现代化建设" in row and "2020-12-31" in row, row


@sync
async def test_targets_and_dashboard_fit_the_width_and_show_every_indicator(tui_ws, make_tui):
    data = tui_ws.load()
    t5 = data.target(5)
    assert len(t5.indicators) > 1
    app = make_tui(tui_ws)
    async with started(app, (80, 60)) as pilot:
        text = screen_text(app)
        for ind in t5.indicators[1:]:
            assert ind.name in text, ind.name
        cats = [line for line in text.splitlines() if "░" in line]
        assert cats and all("%" in line and "/" in line for line in cats), cats
    app = make_tui(tui_ws)
    async with started(app, (160, 40)) as pilot:
        await pilot.press("t")
        await settle(app, pilot)
        longest = max((tg.text for tg in data.targets), key=len)
        assert longest[:40] in screen_text(app)


@sync
async def test_unit_picker_is_sorted_by_pinyin_and_searchable(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, "w", "s", "l", "j")  # 市水利局 by its initials, typed at once
        await until(app, pilot, lambda: app.screen.query_one("#picker-search").value == "slj")
        dialog = app.screen
        assert type(dialog).__name__ == "PickerDialog"
        assert [dialog.options[i][0] for i in dialog.shown][:1] == ["市水利局"], [dialog.options[i][0] for i in dialog.shown]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.unit_f == "市水利局"
        from tracker.search import pinyin_keys

        units = [k for k, _ in dialog.options[1:]]
        assert units == sorted(units, key=lambda u: (pinyin_keys(u)[0], u))


@sync
async def test_measure_picker_has_no_done_mark_and_k_hidden_without_conflict(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with app.run_test(size=(200, 40)) as pilot:
        await open_task(app, pilot, 5)
        footer = screen_text(app).splitlines()[-1]
        assert "解决冲突" not in footer and "进度" in footer, footer
        await pilot.press("m")
        await settle(app, pilot)
        assert "✓" not in screen_text(app)


@sync
async def test_form_keys_typed_at_once_land_in_the_right_fields(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws)
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await show_target(app, pilot, 4)
        burst(app, "v", "tab", "6", ".", "8", "enter", "enter")
        for _ in range(40):  # the keys are handled one by one (a few ms apart), then the save runs
            await settle(app, pilot)
            if count(tui_repo) == before + 1:
                break
        assert count(tui_repo) == before + 1, screen_text(app)
        text = (tui_repo / "plan/2020/targets/04.yaml").read_text("utf-8")
        assert "period: 2020-10" in text and "value: 6.8" in text, text


@sync
async def test_dashboard_recent_skips_the_seed_and_cuts_with_an_ellipsis(tui_ws, make_tui):
    app = make_tui(tui_ws)
    async with started(app, (160, 40)) as pilot:
        text = screen_text(app)
        assert "还没有任务更新" in text and "新建" not in text
    tui_ws.update_task(3, {"problems": "资金到位偏慢，土地指标紧张，施工队伍不足，汛期影响工期，需要协调多个部门共同推进解决"})
    app = make_tui(tui_ws)
    async with started(app, (160, 40)) as pilot:
        lines = [line for line in screen_text(app).splitlines() if "2020-03" in line]
        import re

        assert any(re.search(r"资金到位偏慢[^│]*… *│", line) for line in lines), lines
        assert "还没有任务更新" not in screen_text(app)


@sync
async def test_status_picker_checks_the_version_shown_when_it_opened(tui_repo, tui_ws, make_tui):
    from tracker.store import Workspace

    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("s")
        await pilot.pause()
        Workspace(tui_repo).update_task(5, {"status": "blocked"})
        app.reload()
        await settle(app, pilot, 5)
        before = count(tui_repo)
        notes = capture_notes(app)
        await pilot.press("2")  # in progress, chosen from what was shown before the refresh (done would ask about open work first)
        await settle(app, pilot, 5)
        assert count(tui_repo) == before
        assert "status: blocked" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
        assert any(sev == "error" and "别处" in m for m, sev, _ in notes), notes


@sync
async def test_a_long_burst_after_a_dialog_opens_arrives_in_order(tui_repo, tui_ws, make_tui):
    """Keys that wait for a dialog to open are released first-in first-out: with many waiting at
    once none may overtake another (the earlier per-key retry timers let them)."""
    app = make_tui(tui_ws)
    before = count(tui_repo)
    note = "abcdefghijklmnopqrstuvwxyz0123456789"
    async with app.run_test(size=SIZE) as pilot:
        await show_target(app, pilot, 4)
        burst(app, "v", "tab", "6", ".", "8", "tab", *note, "enter", "enter")
        for _ in range(80):
            await settle(app, pilot)
            if count(tui_repo) == before + 1:
                break
        assert count(tui_repo) == before + 1, screen_text(app)
        text = (tui_repo / "plan/2020/targets/04.yaml").read_text("utf-8")
        assert "value: 6.8" in text and note in text, text


@sync
async def test_l_always_shows_the_task_list_even_after_a_history_was_left_open(tui_ws, make_tui):
    """Found in QA: list -> task -> history -> targets, then `l/gyjj` typed at once: `l` brought back
    the history screen, `/` did nothing and the rest went astray (a save landed on the wrong task)."""
    app = make_tui(tui_ws)
    async with started(app) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        await pilot.press("t")
        await settle(app, pilot)
        burst(app, "l", "slash", "n", "y", "x", "d", "h")
        await until(app, pilot, lambda: "nyxdh" in screen_text(app))
        assert type(app.screen).__name__ == "TaskListScreen"
        assert app.screen.query_one("#filter").value == "nyxdh"
        assert "加快推进农业现代化建设" in screen_text(app)


@sync
async def test_history_shows_both_values_cut_by_cells_with_an_ellipsis(tui_ws, make_tui):
    """Found in QA: a long old note pushed the new value out of the history row, with no mark."""
    tui_ws.update_task(7, {"note": "制造业专项资金已拨付1.5亿元；第2批项目20个开工，第3批项目正在立项审查，预计年底前全部落地"})
    tui_ws.update_task(7, {"note": "李四在另一终端写的进展"})
    app = make_tui(tui_ws)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 7)
        await pilot.press("h")
        await until(app, pilot, lambda: "李四在另一终端写的进展" in screen_text(app))
        row = next(line for line in screen_text(app).splitlines() if "李四在另一终端写的进展" in line)
        assert "制造业专项资金" in row and "…" in row


@sync
async def test_leaving_the_as_of_view_is_a_then_enter(tui_repo, tui_ws, make_tui):
    """The dialog opened from the as-of view is empty (not pre-filled with the past date), says
    Enter returns to now, and does."""
    import pytest

    pytest.importorskip("tracker.asof")
    app = make_tui(tui_ws, "en")
    async with started(app) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2020-10-12", "enter")
        await settle(app, pilot, 5)
        assert app.as_of_day is not None
        assert "press a, then Enter" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert "Enter (empty) returns to now" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert app.as_of_day is None and "read-only" not in screen_text(app)


@sync
async def test_tui_dates_and_digits_checked_like_the_cli(tui_repo, tui_ws, make_tui):
    """The due dialog refuses 2020-W01 (an ISO week date) and 9999-12-31; full-width progress is taken."""
    app = make_tui(tui_ws, "en")
    before = count(tui_repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        for bad in ("2020-W01", "9999-12-31"):
            await pilot.press("d")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("Input").value = bad
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen is dialog and count(tui_repo) == before, bad
            await pilot.press("escape", "escape")  # typed text: the first Esc asks, the second discards
            await settle(app, pilot)
            assert type(app.screen).__name__ == "TaskDetailScreen"
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("Input").value = "５０"
        await pilot.press("enter")
        await settle(app, pilot, 5)
        assert count(tui_repo) == before + 1
        assert "progress: 50\n" in (tui_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")


@sync
async def test_esc_in_a_single_line_dialog_with_typed_text_asks_first(tui_repo, tui_ws, make_tui):
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("backspace", "7")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dialog and "Esc again discards" in screen_text(app)
        assert dialog.query_one("Input").value.endswith("7")  # the typed text is still there
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskDetailScreen"
        await pilot.press("p")  # untouched: one Esc closes
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskDetailScreen"


@sync
async def test_as_of_view_shows_the_last_change_as_of_that_day(tui_repo, tui_ws, make_tui, monkeypatch):
    """最近修改 in the as-of view is the last change on or before its day (never a later one by
    someone else), on the list and the detail, as `tracker show --as-of` says."""
    import os
    import subprocess

    import pytest

    pytest.importorskip("tracker.asof")
    p = tui_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 30", 1), "utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "李四未来", "GIT_AUTHOR_EMAIL": "l@x", "GIT_AUTHOR_DATE": "2020-11-20T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2020-11-20T10:00:00+08:00"}
    subprocess.run(["git", "commit", "-qam", "later"], cwd=tui_repo, env=env, check=True)
    app = make_tui(tui_ws, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_task(app, pilot, 5)
        assert "李四未来" in screen_text(app)  # today: the later change
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"2020-10-12", "enter")
        await settle(app, pilot, 5)
        assert app.as_of_day is not None
        await pilot.press("l")
        await settle(app, pilot)
        row = next(line for line in screen_text(app).splitlines() if line.startswith("2020-05"))
        assert "李四未来" not in row and "11-20" not in row
        await open_task(app, pilot, 5)
        text = screen_text(app)
        assert "李四未来" not in text and "测试员" in text
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot, 5)
        await open_task(app, pilot, 5)
        assert "李四未来" in screen_text(app)  # back to now: the later change again
