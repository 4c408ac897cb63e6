"""The supervision cycle's rules (tracker/cycle.py: pure) and its fields in the task file (schema, cache)."""
from __future__ import annotations

from datetime import date

import pytest

from tracker import cycle
from tracker.model import TrackerError

ALLOWED = {  # state -> the steps allowed from it: the table of README "Lifecycle"
    "not_started": {"ack", "finish", "cancel", "extend"},
    "acked": {"finish", "cancel", "extend"},
    "in_progress": {"finish", "cancel", "extend"},
    "blocked": {"finish", "cancel", "extend"},
    "done": {"close", "return", "cancel", "extend"},
    "closed": {"return"},
    "cancelled": set(),
}


def item(status="in_progress", progress=100, measures=("done",), **more):
    return {"number": 5, "title": "持续推进重点水利工程建设", "status": status, "progress": progress,
            "due": date(2020, 12, 31), "measures": [{"number": i + 1, "text": "x", "status": s} for i, s in enumerate(measures)],
            **more}


def test_every_state_and_step_is_in_the_table():
    assert set(ALLOWED) == set(cycle.STATES)
    for state, steps in ALLOWED.items():
        assert set(cycle.allowed_steps(state)) == steps, state


@pytest.mark.parametrize("state", cycle.STATES)
@pytest.mark.parametrize("step", list(cycle.STEPS))
def test_each_transition_is_allowed_or_refused_naming_the_state(state, step):
    kw = dict(on=date(2020, 6, 1), by="张三", reason="理由", report="报告", due=date(2021, 3, 31), year=2020)
    if step in ALLOWED[state]:
        plan = cycle.plan_step(step, item(state), **kw)
        target = cycle.STEPS[step].target
        assert plan.sets.get("status", state) == (target or state)
        assert plan.trailers == {"Tracker-Task": "2020-05", "Tracker-Step": step, **plan.trailers}
    else:
        with pytest.raises(TrackerError) as exc:
            cycle.plan_step(step, item(state), **kw)
        assert exc.value.key == "cycle.not_allowed" and exc.value.text("en") == str(exc.value)
        assert cycle.stage_label(state, "en") in str(exc.value)
        zh = exc.value.text("zh")
        assert cycle.stage_label(state, "zh") in zh
        for allowed in ALLOWED[state]:
            assert f"tracker {allowed}" in str(exc.value) and f"tracker {allowed}" in zh
        if not ALLOWED[state]:
            assert "none" in str(exc.value) and "无" in zh


def test_reason_report_and_due_are_required():
    on = date(2020, 6, 1)
    for step, kw, key in (("return", {}, "cycle.needs_reason"), ("cancel", {"reason": "  "}, "cycle.needs_reason"),
                          ("extend", {"reason": "r"}, "cycle.needs_due"), ("finish", {}, "cycle.needs_report")):
        st = "done" if step == "return" else "in_progress"
        with pytest.raises(TrackerError) as exc:
            cycle.plan_step(step, item(st), on=on, **kw)
        assert exc.value.key == key, step


def test_finish_names_the_open_work_unless_forced():
    it = item(progress=55, measures=("done", "in_progress", "not_started"))
    with pytest.raises(TrackerError) as exc:
        cycle.plan_step("finish", it, on=date(2020, 6, 1), report="报告", year=2020)
    assert "progress 55%" in str(exc.value) and "measures 2, 3" in str(exc.value) and "--force" in str(exc.value)
    assert "进度 55%" in exc.value.text("zh") and "措施 2、3 未完成" in exc.value.text("zh")
    assert exc.value.text("en") == str(exc.value)  # the English text has no Chinese details in it
    plan = cycle.plan_step("finish", it, on=date(2020, 6, 1), report="报告", year=2020, force=True)
    assert plan.sets == {"status": "done", "report": "报告", "finished": date(2020, 6, 1)}
    assert cycle.offers_finish(item()) and not cycle.offers_finish(it) and not cycle.offers_finish(item("done"))


def test_return_counts_and_subjects():
    it = item("done", returns=[{"date": date(2020, 5, 1), "by": "李四", "reason": "第一次"}])
    plan = cycle.plan_step("return", it, on=date(2020, 6, 1), by="张三", reason="佐证材料不全", year=2020)
    assert plan.subject["zh"] == "2020-05 退回重办（第2次）：佐证材料不全"
    assert plan.subject["en"] == "2020-05 sent back (time 2): 佐证材料不全"
    assert plan.appends == {"returns": {"date": date(2020, 6, 1), "by": "张三", "reason": "佐证材料不全"}}
    assert plan.trailers["Tracker-Returns"] == "2"
    assert cycle.times_returned(it) == 1


def test_extend_refuses_the_same_date_and_a_date_before_the_start():
    with pytest.raises(TrackerError) as exc:
        cycle.plan_step("extend", item(), on=date(2020, 6, 1), reason="r", due=date(2020, 12, 31), year=2020)
    assert exc.value.key == "cycle.same_due"
    with pytest.raises(TrackerError) as exc:
        cycle.plan_step("extend", item(start=date(2020, 7, 1)), on=date(2020, 6, 1), reason="r", due=date(2020, 6, 30))
    assert exc.value.key == "cycle.due_before_start"
    plan = cycle.plan_step("extend", item(), on=date(2020, 6, 1), reason="汛期", due=date(2021, 3, 31), year=2020)
    assert plan.subject["zh"] == "2020-05 延期 2020-12-31 → 2021-03-31：汛期"
    assert plan.appends["extensions"]["from"] == date(2020, 12, 31)


def test_status_edits_cannot_take_the_office_steps():
    cycle.check_status_edit("in_progress", "done")
    cycle.check_status_edit("done", "in_progress")
    for new, cmd in (("closed", "close"), ("cancelled", "cancel"), ("acked", "ack")):
        with pytest.raises(TrackerError) as exc:
            cycle.check_status_edit("done", new, "2020-05")
        assert exc.value.key == "cycle.set_step" and f"tracker {cmd} 2020-05" in str(exc.value)
    with pytest.raises(TrackerError) as exc:
        cycle.check_status_edit("closed", "in_progress", "2020-05")
    assert exc.value.key == "cycle.set_from_final" and "tracker return" in str(exc.value)


def test_done_closed_and_cancelled():
    assert cycle.is_done("done") and cycle.is_done("closed") and not cycle.is_done("in_progress")
    assert not cycle.counts("cancelled") and cycle.counts("closed")


def test_unit_rights_follow_the_cycle():
    from tracker import permissions

    assert permissions.UNIT_STATUSES == cycle.UNIT_STATES
    for name, st in cycle.STEPS.items():
        if st.who == "unit":
            assert st.target in permissions.UNIT_STATUSES, name
        else:
            assert st.target is None or st.target not in permissions.UNIT_STATUSES or name == "return", name
    granted = {r.field for r in permissions.RULES if r.role == "unit"}
    assert {"acked", "report", "finished"} <= granted
    assert not {"closed", "returns", "extensions", "cancelled"} & granted  # the office's steps


def test_a_unit_office_may_ack_and_finish_but_not_close(tmp_path):
    from tracker.offices import Office
    from tracker.permissions import check_change

    office = Office(name="水利局办公室", role="unit", units=("市水利局",), members=())
    path = "plan/2020/tasks/05.yaml"
    old = {**item("in_progress"), "units": ["市水利局"]}
    finished = {**old, "status": "done", "report": "报告", "finished": date(2020, 6, 1)}
    assert check_change(office, path, {**old, "status": "not_started"}, {**old, "status": "acked", "acked": date(2020, 6, 1)}) == []
    assert check_change(office, path, old, finished) == []
    denied = check_change(office, path, finished, {**finished, "status": "closed", "closed": date(2020, 6, 2)})
    assert {d.where for d in denied} == {"status", "closed"}


# -- the file --------------------------------------------------------------------------------------
def _check(text: str):
    from tracker.schema import check_task
    from tracker.yamlio import fast_load

    return check_task(fast_load(text, "t.yaml"), "t.yaml", text, 2020, ())


BASE = """number: 5
title: 持续推进重点水利工程建设
category: 农业农村类
units: [市水利局]
status: {status}
progress: 100
due: 2020-12-31
measures: []
"""


def test_the_cycle_fields_load_and_survive_the_cache(ws):
    text = BASE.format(status="in_progress") + """acked: 2020-02-01
report: |-
  已完成主体工程
  通过验收
finished: 2020-10-01
returns:
  - date: 2020-10-15
    by: 督查室 张三
    reason: 佐证材料不全
extensions:
  - {date: 2020-09-01, by: 张三, from: 2020-09-30, to: 2020-12-31, reason: 汛期影响}
"""
    task, probs = _check(text)
    assert probs == [] and task is not None
    assert task.acked == date(2020, 2, 1) and task.finished == date(2020, 10, 1) and task.report.endswith("通过验收")
    assert task.returns == ({"date": "2020-10-15", "reason": "佐证材料不全", "by": "督查室 张三"},)
    assert task.extensions[0]["from"] == "2020-09-30" and task.extensions[0]["to"] == "2020-12-31"
    js = task.as_json()
    assert js["returns"][0]["reason"] == "佐证材料不全" and js["acked"] == "2020-02-01" and "cancelled" not in js

    from tracker import cache

    back = cache.decode(cache.encode(task))
    assert back == task


def test_old_files_are_unchanged_in_json(ws):
    task = ws.load().task(5)
    assert not {"acked", "report", "returns", "extensions", "cancelled", "closed", "finished"} & set(task.as_json())


@pytest.mark.parametrize("extra, where", [
    ("acked: soon\n", "acked"),
    ("returns: 佐证材料不全\n", "returns"),
    ("returns:\n  - {date: 2020-10-15, by: 张三}\n", "returns[1]"),
    ("extensions:\n  - {date: 2020-10-15, to: someday, reason: r}\n", "extensions[1].to"),
    ("cancelled: {date: 2020-10-15, by: 张三, reason: r, extra: 1}\n", "cancelled.extra"),
])
def test_bad_cycle_fields_are_named(extra, where):
    task, probs = _check(BASE.format(status="in_progress") + extra)
    assert task is None and any(p.field == where for p in probs), [str(p) for p in probs]


@pytest.mark.parametrize("status", cycle.STATES)
def test_every_state_is_a_valid_status(status):
    task, probs = _check(BASE.format(status=status))
    assert probs == [] and task.status == status


def test_a_measure_cannot_be_closed():
    text = BASE.format(status="in_progress").replace("measures: []", "measures:\n  - {number: 1, text: x, status: closed}")
    task, probs = _check(text)
    assert task is None and probs[0].field == "measures[1].status"
