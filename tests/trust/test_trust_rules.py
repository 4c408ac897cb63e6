"""The rules table (tracker.permissions) and offices.yaml parsing, without git."""
from __future__ import annotations

import copy

import pytest

from tests_support import ROOT
from tracker.offices import Office, OfficesError, parse
from tracker.permissions import check_change, markdown_table

WATER = Office("水利局办公室", "unit", ("市水利局",))
SUP = Office("督查室", "supervisor", ())
TASK = {"number": 4, "title": "t", "category": "c", "units": ["市农业农村局", "市水利局"], "status": "not_started",
        "progress": 0, "due": "2020-12-31", "note": "", "measures": [{"number": 1, "text": "m", "status": "not_started"}]}
TARGET = {"number": 8, "text": "x", "units": ["市农业农村局"],
          "indicators": [{"name": "i", "comparator": "at_least", "value": 1, "actuals": []}]}


def changed(doc, **kw):
    new = copy.deepcopy(doc)
    for k, v in kw.items():
        new[k] = v
    return new


def denied(office, path, old, new):
    return [(d.where, d.rule) for d in check_change(office, path, old, new)]


def test_unit_may_change_progress_fields_of_a_task_it_co_owns():
    p = "plan/2020/tasks/04.yaml"
    new = changed(TASK, status="done", progress=100, note="n", problems="p", next_steps="x")
    new["measures"][0]["status"] = "done"
    assert denied(WATER, p, TASK, new) == []


def test_unit_may_not_change_plan_fields_or_measure_texts():
    p = "plan/2020/tasks/04.yaml"
    assert denied(WATER, p, TASK, changed(TASK, due="2021-06-30")) == [("due", "supervisor-only")]
    assert denied(WATER, p, TASK, changed(TASK, units=["市水利局"])) == [("units", "supervisor-only")]
    new = copy.deepcopy(TASK)
    new["measures"][0]["text"] = "改写"
    assert denied(WATER, p, TASK, new) == [("measures", "supervisor-only")]
    assert denied(WATER, p, None, TASK) == [("(file created)", "supervisor-only")]
    assert denied(WATER, p, TASK, None) == [("(file deleted)", "supervisor-only")]


def test_unit_may_not_touch_another_units_task():
    other = changed(TASK, units=["市农业农村局"])
    assert denied(WATER, "plan/2020/tasks/01.yaml", other, changed(other, progress=5)) == [("progress", "unit-progress")]


def test_status_beyond_the_units_level_is_the_supervisors(monkeypatch):
    import tracker.permissions as perm

    # a lifecycle issue adds statuses: units keep the ones in UNIT_STATUSES
    rules = tuple(r if r.id != "unit-status" else perm.Rule(r.id, r.kind, r.field, r.role, r.scope,
                                                              ("in_progress", "applied"), r.note) for r in perm.RULES)
    monkeypatch.setattr(perm, "RULES", rules)
    p = "plan/2020/tasks/04.yaml"
    a = changed(TASK, status="in_progress")
    assert denied(WATER, p, a, changed(a, status="applied")) == []
    assert denied(WATER, p, a, changed(a, status="closed")) == [("status", "unit-status")]


def test_target_actuals_only_for_the_targets_units():
    new = copy.deepcopy(TARGET)
    new["indicators"][0]["actuals"] = [{"period": "2020-09", "value": 2}]
    agri = Office("农业农村局办公室", "unit", ("市农业农村局",))
    assert denied(agri, "plan/2020/targets/08.yaml", TARGET, new) == []
    assert denied(WATER, "plan/2020/targets/08.yaml", TARGET, new) == [("indicators[1].actuals", "unit-actuals")]
    tgt = copy.deepcopy(TARGET)
    tgt["indicators"][0]["value"] = 9
    assert denied(agri, "plan/2020/targets/08.yaml", TARGET, tgt) == [("indicators", "supervisor-only")]


def test_offices_plan_and_other_files_are_the_supervisors():
    assert denied(WATER, "offices.yaml", {"offices": []}, {"offices": [1]})[0][1] == "supervisor-only"
    assert denied(WATER, "plan/2020/plan.yaml", {"a": 1}, {"a": 2})[0][1] == "supervisor-only"
    assert denied(WATER, ".gitattributes", "x", "y")[0][1] == "supervisor-only"
    assert denied(SUP, "offices.yaml", {"offices": []}, {"offices": [1]}) == []


def test_readme_shows_the_rules_table_as_the_code_has_it():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert markdown_table() in readme


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILogcdqu7ivjpD0iGj+ANjwn4LBp37fr5cVCWrHvu/Dh"


@pytest.mark.parametrize("text, expected", [
    ("offices: []\n", "offices.yaml:1:1: offices: must be a non-empty list"),
    ("offices:\n  - name: a\n    role: unit\n    members: []\n", "offices[1].units: must be a non-empty list"),
    (f"offices:\n  - name: a\n    role: supervisor\n    members:\n      - name: x\n        key: {KEY}\n"
     f"  - name: b\n    role: unit\n    units: [u]\n    members:\n      - name: y\n        key: {KEY}\n",
     "offices.yaml:12:9: offices[2].members[1].key: this key is already the key of x (a)"),
    ("offices:\n  - name: a\n    role: supervisor\n    members:\n      - name: x\n        key: ssh-dss AAAA\n",
     "offices.yaml:6:9: offices[1].members[1].key: key type 'ssh-dss' is not supported"),
    ("offices:\n  - name: a\n    role: unit\n    units: [u]\n    members: []\n", "no office has role supervisor"),
    ("offices:\n  - name: a\n    rol: supervisor\n", "unknown key 'rol'"),
    ("offices: [\n", "offices.yaml:"),
])
def test_offices_yaml_errors_name_line_and_field(text, expected):
    with pytest.raises(OfficesError) as e:
        parse(text)
    assert expected in str(e.value)


def test_offices_yaml_reads_members_and_units():
    o = parse(f"offices:\n  - name: 督查室\n    role: supervisor\n    members:\n      - name: 张三\n        key: {KEY} c\n")
    office, member = o.member_for_key(o.offices[0].members[0].key_blob)
    assert (office.name, member.name, member.key) == ("督查室", "张三", KEY)
