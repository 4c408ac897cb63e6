"""The new task fields in files, validation, JSON and 序时进度; the per-repository alias table."""
from __future__ import annotations

import json
from datetime import date

from tracker.schedule import Thresholds, expected_progress, light
from tracker.schema import check_task
import yaml

from tests_support import commit_count, make_plan_repo, run_cli

from fixtures import PARENS

BASE = """\
number: 7
title: 新增任务
category: 农业农村类
units: [市农业农村局, 市水利局]
status: not_started
progress: 0
due: 2020-12-31
measures: []
"""


def _task(extra: str = "", base: str = BASE):
    text = base + extra
    return check_task(yaml.safe_load(text), "plan/2020/tasks/07.yaml", text, 2020, ())


def test_old_files_stay_valid_with_defaults():
    t, problems = _task()
    assert not problems
    assert (t.leads, t.leader, t.ref, t.start, t.open_units, t.incomplete) == ((), "", "", None, False, False)
    assert t.as_json()["leads"] == ["市农业农村局"] and t.as_json()["start"] is None


def test_new_fields_read_and_checked():
    t, problems = _task("leads: [市农业农村局, 市水利局]\nleader: 王某某副市长\nref: 二.1\nstart: 2020-10-01\n"
                        "open_units: true\n")
    assert not problems
    j = t.as_json()
    assert j["leads"] == ["市农业农村局", "市水利局"] and j["leader"] == "王某某副市长" and j["ref"] == "二.1"
    assert j["start"] == "2020-10-01" and j["open_units"] is True
    _, problems = _task("leads: [市财政局]\n")
    assert any("not one of the task's units" in str(p) for p in problems)
    _, problems = _task("open_units: 'yes'\n")
    assert any("true or false" in str(p) for p in problems)
    _, problems = _task("start: 2021-01-05\n")
    assert any("after the due date" in str(p) for p in problems)
    _, problems = _task("incomplete: true\n", BASE.replace("units: [市农业农村局, 市水利局]", "units: []"))
    assert not problems  # a task cut off by its source may name no unit


def test_start_drives_expected_progress():
    """A task added in October is not red on its first day: 序时进度 runs from its own start."""
    th = Thresholds.from_settings({"start": "2020-01-01"}, 2020)
    late, _ = _task("start: 2020-10-01\n")
    plain, _ = _task()
    on = date(2020, 10, 2)
    assert expected_progress(plain, th, on) == 75 and light(plain, th, on) == "red"
    assert expected_progress(late, th, on) == 1 and light(late, th, on) == "green"


def test_list_json_shows_start_and_cached_answer_agrees(tmp_path, monkeypatch):
    repo = make_plan_repo(tmp_path / "office")
    f = repo / "plan" / "2020" / "tasks" / "05.yaml"
    f.write_text(f.read_text("utf-8").replace("due: 2020-12-31", "start: 2099-01-01\ndue: 2099-12-31"), "utf-8")
    outs = [json.loads(run_cli(repo, "list", "--format", "json").stdout) for _ in range(3)]
    for out in outs:
        t5 = next(t for t in out if t["id"] == "2020-05")
        assert t5["start"] == "2099-01-01" and t5["leads"] == ["市水利局"]
        assert t5["expected"] == 0  # from its own start, also when the answer comes from the list cache
    assert outs[0] == outs[2]


def test_repository_aliases_apply_on_import(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    (repo / "units.yaml").write_text("市商务和口岸局: [市商务局]\n", encoding="utf-8")
    src = tmp_path / "n.txt"
    src.write_text(PARENS, encoding="utf-8")
    r = run_cli(repo, "import", str(src), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["tasks"][1]["leads"][0] == "市商务和口岸局"
    r = run_cli(repo, "units", "--aliases", "--format", "json")
    rows = json.loads(r.stdout)
    assert {"unit": "市商务和口岸局", "aliases": ["市商务局"], "from": "units.yaml"} in rows
    assert any(x["unit"] == "发展改革委" and "发改委" in x["aliases"] for x in rows)
    (repo / "units.yaml").write_text("- not a mapping\n", encoding="utf-8")
    r = run_cli(repo, "import", str(src), "--year", "2024")
    assert r.returncode == 2 and "units.yaml" in r.stderr and commit_count(repo) == 1


def test_unit_filter_goes_through_the_alias_table(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    r = run_cli(repo, "list", "--unit", "市发改委", "--format", "json")
    assert r.returncode == 0, r.stderr
    ids = [t["id"] for t in json.loads(r.stdout)]
    direct = [t["id"] for t in json.loads(run_cli(repo, "list", "--unit", "市发展改革委", "--format", "json").stdout)]
    assert ids == direct and ids
