"""schema.check_task builds Task and Measure without their frozen __init__ (as tracker.cache.decode
does): every field must still be set, and the object must equal the one __init__ would build."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import schema, yamlsimple
from tracker.model import TASK_TABLE, Measure, Task

ROOT = Path(__file__).resolve().parents[1]

#: a valid value of each field kind (tracker.model.FieldSpec.kind), for a task that has every field
_SAMPLE = {"line": "牵头领导", "text": "进展情况", "optional_text": "办结报告", "date": "2020-05-01", "flag": True,
           "names": ["市发改委", "市财政局"], "status": "in_progress", "percent": 50, "number": 3,
           "entry": {"date": "2020-05-02", "reason": "撤销原因", "by": "督查室"}}


def _as_init_builds(task: Task) -> None:
    names = {f.name for f in dataclasses.fields(Task)}
    assert set(task.__dict__) == names, set(task.__dict__) ^ names
    assert Task(**task.__dict__) == task
    for m in task.measures:
        assert set(m.__dict__) == {f.name for f in dataclasses.fields(Measure)}
        assert Measure(**m.__dict__) == m


def test_every_bundled_task_is_built_whole():
    files = sorted((ROOT / "plan" / "2020" / "tasks").glob("[0-9]*.yaml"))
    assert len(files) >= 60
    for f in files:
        text = f.read_text(encoding="utf-8")
        task, problems = schema.check_task(yamlsimple.parse(text), f.name, text, 2020, ())
        assert task is not None, problems
        _as_init_builds(task)


def test_a_task_with_every_field_is_built_whole():
    data = {"number": 7, "title": "立项交办事项", "category": "重点工作", "units": ["市发改委", "市财政局"],
            "leads": ["市发改委"], "status": "in_progress", "progress": 40, "due": "2020-12-31", "start": "2020-03-01",
            "measures": [{"number": 1, "text": "措施一", "status": "not_started", "due": "2020-06-30"},
                         {"number": 2, "text": "措施二", "status": "done"}],
            "kind": "instruction", "urgency": "urgent"}
    for f in TASK_TABLE:
        if f.name in data:
            continue
        if f.kind == "entries":
            entry = {"date": "2020-05-01", "reason": "原因"}
            if f.name == "extensions":
                entry.update({"to": "2020-11-30", "from": "2020-10-31"})
            data[f.name] = [entry]
        elif f.kind in _SAMPLE:
            data[f.name] = _SAMPLE[f.kind]
    task, problems = schema.check_task(data, "07.yaml", "", 2020, ())
    assert task is not None, problems
    _as_init_builds(task)
    assert task.leads == ("市发改委",) and task.measures[1].due is None and task.kind == "instruction"


_MEASURE_PARTS = {
    "number": st.sampled_from([1, 2, 3, 0, 9999, 10000, -1, True, 1.0, "1", None, [1]]),
    "text": st.sampled_from(["措施", "措施一：推进", " ", "", 5, None, ["a"], "a\nb"]),
    "status": st.sampled_from(["not_started", "in_progress", "done", "blocked", "acked", "Done", "", None, [], 3]),
}


@st.composite
def _measure(draw):
    m = {k: draw(v) for k, v in _MEASURE_PARTS.items() if draw(st.integers(0, 9))}  # a key now and then missing
    if draw(st.integers(0, 9)) == 0:
        m[draw(st.sampled_from(["x", "due"]))] = draw(st.sampled_from(["2020-06-30", None, "bad"]))
    return m


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_measure(), st.sampled_from([None, "a", [], 3])), max_size=5))
def test_the_quick_measure_path_agrees_with_the_full_checks(measures):
    """check_task builds a plain measure (number, text, status) without the checker's calls; the same
    measure with `due: null` added takes the full checks: the task and the problems must be the same."""
    base = {"number": 7, "title": "标题", "category": "类", "units": ["市发改委"], "status": "in_progress",
            "progress": 40, "due": "2020-12-31"}
    full = [({**m, "due": m.get("due")} if isinstance(m, dict) and len(m) == 3 else m) for m in measures]
    quick_task, quick_probs = schema.check_task({**base, "measures": measures}, "07.yaml", "", 2020, ())
    full_task, full_probs = schema.check_task({**base, "measures": full}, "07.yaml", "", 2020, ())
    assert quick_task == full_task
    assert [(p.field, p.key, p.args) for p in quick_probs] == [(p.field, p.key, p.args) for p in full_probs]
    if quick_task is not None:
        _as_init_builds(quick_task)
