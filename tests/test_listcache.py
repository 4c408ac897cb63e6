"""`tracker list --format json` re-uses its last answer only while no plan file changed."""
from __future__ import annotations

import json

import pytest

import tracker.listcache as listcache
from tracker.cli import main

from tests_support import git


@pytest.fixture
def run_list(plan_repo, monkeypatch, capsys):
    monkeypatch.chdir(plan_repo)
    monkeypatch.setattr(listcache, "RACY_NS", 0)  # the test's files are seconds old

    def run(*extra):
        assert main(["list", "--format", "json", *extra]) == 0
        return capsys.readouterr().out

    return run


def test_second_run_is_served_from_the_stored_answer_and_is_identical(run_list, plan_repo, monkeypatch):
    first = run_list()
    stored = plan_repo / ".git/tracker/list-json"
    assert stored.exists()
    assert "list-json" not in git(plan_repo, "status", "--porcelain", "--ignored")
    calls = []
    monkeypatch.setattr("tracker.commands.tasks.board", lambda *a: calls.append(a) or pytest.fail("full load"))
    second = run_list()
    assert second == first and calls == []
    tasks = json.loads(second)
    assert len(tasks) == 60 and {"light", "expected"} <= set(tasks[0])


def test_hand_edit_new_file_and_plan_change_are_seen(run_list, plan_repo):
    run_list()
    p = plan_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 45"), encoding="utf-8")
    assert {t["id"]: t["progress"] for t in json.loads(run_list())}["2020-05"] == 45
    (plan_repo / "plan/2020/tasks/61.yaml").write_text(
        p.read_text("utf-8").replace("number: 5", "number: 61"), encoding="utf-8")
    assert len(json.loads(run_list())) == 61
    from tracker.store import Workspace

    ws = Workspace(plan_repo)
    before = listcache.snapshot(ws)
    plan = plan_repo / "plan/2020/plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("red_behind: 30", "red_behind: 31"), encoding="utf-8")
    assert listcache.snapshot(ws) != before  # thresholds live in plan.yaml: its change means a full load


def test_filtered_lists_and_broken_files_take_the_full_path(run_list, plan_repo, capsys):
    run_list()
    only = json.loads(run_list("--status", "not_started"))
    assert len(only) == 60
    p = plan_repo / "plan/2020/tasks/07.yaml"
    p.write_text("number: [\n", encoding="utf-8")
    assert len(json.loads(run_list())) == 59
    stored_before = (plan_repo / ".git/tracker/list-json").read_bytes()
    assert len(json.loads(run_list())) == 59  # still the full path: the problem is reported each time
    assert (plan_repo / ".git/tracker/list-json").read_bytes() == stored_before


def test_corrupt_store_is_ignored(run_list, plan_repo):
    first = run_list()
    (plan_repo / ".git/tracker/list-json").write_bytes(b"\x00garbage")
    assert run_list() == first
    import marshal

    stored = plan_repo / ".git/tracker/list-json"
    good = stored.read_bytes()
    # an older tracker's file (marshal data from its first byte), sizes beyond the file, a cut file
    for bad in (marshal.dumps((("x",), (), None)) + b"\xff" * 64, b"\xff" * 16 + good[16:], good[: len(good) // 2]):
        stored.write_bytes(bad)
        assert run_list() == first


def test_the_days_whole_answer_is_kept_and_another_day_is_computed_afresh(run_list, plan_repo):
    """Same day: the kept answer as written (the pieces are not read); another day: the lights and
    expected progress of that day, the same text a full load gives, then kept for that day."""
    import marshal
    from datetime import date

    from tracker.schedule import Thresholds, expected_progress, light
    from tracker.store import Workspace

    first = run_list()
    ws = Workspace(plan_repo)
    snap = listcache.snapshot(ws)
    info, _ = ws.load_info()
    th = Thresholds.from_settings(info.settings, info.year)
    stored = plan_repo / ".git/tracker/list-json"

    def kept_day():
        raw = stored.read_bytes()
        head_len, _ = listcache._SIZES.unpack_from(raw)
        return marshal.loads(raw[listcache._SIZES.size:listcache._SIZES.size + head_len])[2]

    assert kept_day() == listcache.day_key(date.today(), th)  # the full load kept today's answer
    assert listcache.answer(ws, date.today(), th, snap) + "\n" == first
    data = ws.load()
    answers = {}
    for day in (date(2020, 3, 1), date(2020, 9, 1)):
        got = listcache.answer(ws, day, th, snap)
        full, _ = listcache.render(data.tasks, {t.number: light(t, th, day) for t in data.tasks},
                                   {t.number: expected_progress(t, th, day) for t in data.tasks})
        assert got == full
        assert kept_day() == listcache.day_key(day, th)
        assert listcache.answer(ws, day, th, snap) == got  # now read back as kept
        answers[day] = got
    assert answers[date(2020, 3, 1)] != answers[date(2020, 9, 1)]  # the days' lights differ: not one stale text
    other = Thresholds.from_settings({**info.settings, "red_behind": 95, "yellow_behind": 90}, info.year)
    redder = listcache.answer(ws, date(2020, 9, 1), other, snap)
    assert redder != answers[date(2020, 9, 1)] and kept_day() == listcache.day_key(date(2020, 9, 1), other)
    assert run_list() == first  # and back to today


def test_render_is_json_dumps_byte_for_byte(plan_repo):
    """render() encodes with one reused encoder (no circular check): the same bytes as json.dumps,
    on text that needs escaping (quotes, backslashes, control characters, CJK, emoji)."""
    import dataclasses

    from tracker.store import Workspace

    tasks = Workspace(plan_repo).load().tasks[:3]
    odd = dataclasses.replace(tasks[0], title='他说"完成"\\ 一半\t\x01', note="第一行\n第二行 😀 \u2028",
                              units=("市发改委", 'a"b'), leader="", start=None)
    tasks = [odd, *tasks[1:]]
    lights = {t.number: "green" for t in tasks}
    expected = {t.number: 50 for t in tasks}
    text, rows = listcache.render(tasks, lights, expected)
    want = json.dumps([{**t.as_json(), "light": "green", "expected": 50} for t in tasks],
                      ensure_ascii=False, separators=(",", ":"))
    assert text == want
    assert json.loads(text)[0]["title"] == odd.title
    assert [r[0] for r in rows] == [json.dumps(t.as_json(), ensure_ascii=False, separators=(",", ":"))[:-1]
                                    for t in tasks]
