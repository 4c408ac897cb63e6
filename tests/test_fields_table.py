"""The task field table (tracker.model.TASK_TABLE) is the one declaration of a task's fields:
every consumer's list is the table's, and a task with every field set flows through all of them
(validation, the parse cache, `tracker set` / `show`, the JSON, a new file's layout, commit messages,
the benchmark generator).  A field added to the table and missed by a consumer fails here."""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date

import pytest

from tests_support import ROOT, git, make_plan_repo, run_cli
from tracker import cache, changes, commitmsg, edits, schema
from tracker.i18n import BOOK, say
from tracker.model import (CHANGE_ORDER, EDITABLE_FIELDS, FIELD, LONG_TEXT_FIELDS, TASK_FIELDS, TASK_TABLE, Measure,
                           Task, TrackerError)
from tracker.yamlio import fast_load

NAMES = [f.name for f in TASK_TABLE]

#: one value of each kind that is not the default, so a consumer that drops a field shows it
SAMPLE = {"number": 7, "category": "农业农村类", "title": "持续推进重点水利工程建设", "units": ("市水利局", "市财政局", "市交通局"),
          "leads": ("市水利局", "市财政局"), "leader": "王某某副市长", "ref": "二.1", "start": date(2020, 3, 1),
          "open_units": True, "incomplete": True, "origin": "2019-03", "status": "in_progress", "progress": 35, "due": date(2020, 11, 30),
          "note": "竺山圩主体完工。\n第二行", "problems": "资金缺口较大。", "next_steps": "加快推进。",
          "kind": "instruction", "urgency": "urgent", "text": "请市水利局牵头，抓紧推进。",
          "measures": (Measure(1, "加速环太湖大堤剩余工程建设。", "done", date(2020, 6, 30)),
                       Measure(2, "确保新孟河延伸拓浚工程完成通水任务。", "in_progress")),
          # the supervision cycle's (tracker/cycle.py)
          "acked": date(2020, 2, 1), "finished": date(2020, 10, 1), "report": "主体完工，已验收", "closed": date(2020, 11, 2),
          "returns": ({"date": "2020-10-15", "reason": "佐证材料不全", "by": "督查室 张三"},),
          "extensions": ({"date": "2020-09-01", "to": "2020-11-30", "reason": "汛期影响", "by": "张三", "from": "2020-09-30"},),
          "cancelled": {"date": "2020-11-03", "reason": "调整", "by": "张三"}}


def full_task() -> Task:
    return Task(year=2020, path="plan/2020/tasks/07.yaml", **SAMPLE)


def test_the_sample_sets_every_field_of_the_table():
    assert list(SAMPLE) == NAMES
    defaults = {f.name: f.default for f in dataclasses.fields(Task)}
    for name, value in SAMPLE.items():
        assert value != defaults.get(name, dataclasses.MISSING), name


def test_task_attributes_are_the_table_plus_year_and_path():
    assert {f.name for f in dataclasses.fields(Task)} == {"year", "path", *NAMES}
    assert TASK_FIELDS == tuple(NAMES)
    assert len(set(NAMES)) == len(NAMES)
    for f in TASK_TABLE:  # an optional field must have a default on Task (older files lack it), or be a text
        task_field = next(x for x in dataclasses.fields(Task) if x.name == f.name)
        assert f.required or f.kind == "text" or task_field.default is not dataclasses.MISSING, f.name


def test_schema_keys_are_the_tables():
    assert schema.TASK_REQUIRED == tuple(f.name for f in TASK_TABLE if f.required)
    assert set(schema.TASK_OPTIONAL) == {f.name for f in TASK_TABLE if not f.required} | {"conflicts"}


def test_every_field_has_a_label_in_both_languages():
    for f in TASK_TABLE:
        zh, en = BOOK[f.label_key]
        assert zh and en and (zh, en) == f.label
        assert say(f.label_key, "zh") == zh and say(f.label_key, "en") == en
        assert commitmsg.field_label(f.name, "zh") == zh


def test_change_order_and_long_texts_are_the_tables():
    ordered = [f.name for f in sorted(TASK_TABLE, key=lambda f: f.order) if f.kind != "measures"]
    assert list(CHANGE_ORDER) == ordered
    assert changes.SCALAR_ORDER[:len(ordered)] == tuple(ordered)
    assert set(LONG_TEXT_FIELDS) == {f.name for f in TASK_TABLE if f.long_text}
    assert set(LONG_TEXT_FIELDS) <= set(commitmsg._LONG_TEXT)
    from tracker.analytics import DIFF_FIELDS

    assert DIFF_FIELDS == tuple(k for k in ordered if k != "number")


def test_editable_fields_are_the_tables_and_each_is_checked_by_its_kind():
    assert set(EDITABLE_FIELDS) == {f.name for f in TASK_TABLE if f.editable}
    good = {"status": "done", "percent": "40%", "date": "2020-10-01", "text": "文字\r\n第二行 ", "line": "一行"}
    for name in EDITABLE_FIELDS:
        kind = FIELD[name].kind
        assert kind in edits.RULES, name
        clean = edits.validate_changes({name: good[kind]}, "2020-07")
        assert list(clean) == [name]
    for f in TASK_TABLE:
        if not f.editable:
            with pytest.raises(TrackerError, match=f"^{f.name}: not a field that can be set"):
                edits.validate_changes({f.name: "x"}, "2020-07")


def test_set_has_one_option_per_editable_field():
    from tracker.commands import tasks

    top = argparse.ArgumentParser()
    tasks.register(top.add_subparsers(dest="cmd"), argparse.ArgumentParser(add_help=False))
    sub = top._subparsers._group_actions[0].choices["set"]
    options = {o for a in sub._actions for o in a.option_strings}
    for name in EDITABLE_FIELDS:
        assert "--" + name.replace("_", "-") in options
        assert FIELD[name].option in options
    dests = {a.dest for a in sub._actions}
    assert set(EDITABLE_FIELDS) <= dests


def test_json_contract_is_the_tables():
    out = full_task().as_json()
    keys = ["id"]
    for f in TASK_TABLE:
        if f.json is not None:
            keys += ["lead", f.json] if f.name == "leads" else [f.json]
    from tracker.cycle import FIELDS as CYCLE_FIELDS  # present only where the file has them, after path

    assert list(out) == keys + ["path"] + [k for k in out if k in CYCLE_FIELDS]
    assert set(CYCLE_FIELDS) <= set(out)
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## JSON output"):readme.index("## Design")]
    for key in keys + ["path"]:
        assert f"`{key}`" in section, key
    assert out["start"] == "2020-03-01" and out["leads"] == ["市水利局", "市财政局"] and out["lead"] == "市水利局"
    assert out["open_units"] is True and out["measures"][0] == {"number": 1, "text": "加速环太湖大堤剩余工程建设。",
                                                                "status": "done", "due": "2020-06-30"}
    json.dumps(out, ensure_ascii=False)


def test_cache_round_trips_every_field():
    t = full_task()
    rec = cache.encode(t)
    assert len(rec) == 3 + len(TASK_TABLE)
    back = cache.decode(rec)
    assert back == t
    for name in NAMES:
        assert getattr(back, name) == getattr(t, name), name
    import marshal

    assert cache.decode(marshal.loads(marshal.dumps(rec))) == t  # the on-disk format: plain tuples only


def test_cache_refuses_a_record_of_another_layout():
    rec = cache.encode(full_task())
    with pytest.raises(ValueError):
        cache.decode(rec[:-1])


def _file_text(task: Task) -> str:
    from tracker.planfiles import measure_maps, task_map
    from tracker.yamlio import rt_dump

    values = {name: getattr(task, name) for name in NAMES}
    values["measures"] = measure_maps([type("M", (), {"text": m.text, "due": m.due, "milestones": ()})
                                       for m in task.measures])
    return rt_dump(task_map(values))


def test_a_new_files_layout_writes_every_field_and_validates_back():
    from tracker.planfiles import FILE_ORDER

    assert sorted(FILE_ORDER) == sorted(NAMES)
    t = full_task()
    text = _file_text(t)
    data = fast_load(text, t.path)
    assert list(data) == list(FILE_ORDER)
    back, problems = schema.check_task(data, t.path, text, 2020, ("农业农村类",))
    assert problems == []
    for name in NAMES:
        if name != "measures":  # a new file's measures start not started
            assert getattr(back, name) == getattr(t, name), name


def test_the_benchmark_generator_writes_every_field():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen_plan
    finally:
        sys.path.remove(str(ROOT / "bench"))
    t = full_task()
    values = {name: getattr(t, name) for name in NAMES}
    values["measures"] = [{"number": m.number, "text": m.text, "status": m.status, "due": m.due}
                          for m in t.measures]
    text = gen_plan.emit_task(values)
    back, problems = schema.check_task(fast_load(text, t.path), t.path, text, 2020, ("农业农村类",))
    assert problems == []
    assert back == t


def test_generator_and_new_files_agree_on_the_layout():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen_plan
    finally:
        sys.path.remove(str(ROOT / "bench"))
    t = dataclasses.replace(full_task(), note="一行", measures=(Measure(1, "措施", "not_started"),))
    values = {name: getattr(t, name) for name in NAMES}
    values["measures"] = [{"number": 1, "text": "措施", "status": "not_started"}]
    assert gen_plan.emit_task(values) == _file_text(t)


def test_a_change_of_every_field_is_named_in_the_commit_message():
    old, new = full_task(), full_task()
    before = fast_load(_file_text(old), old.path)
    after = dict(before)
    for f in TASK_TABLE:
        if f.kind in ("line", "text"):
            after[f.name] = getattr(new, f.name) + "（改）"
    after["units"] = [*before["units"], "市农业农村局"]
    after["leads"] = ["市水利局"]
    after["start"], after["due"] = date(2020, 4, 1), date(2020, 12, 31)
    after["open_units"], after["incomplete"] = False, False
    after["status"], after["progress"], after["number"] = "done", 100, 8
    after["report"] = new.report + "（改）"  # the cycle's fields
    after["acked"], after["finished"], after["closed"] = date(2020, 2, 2), date(2020, 10, 2), date(2020, 11, 3)
    after["returns"] = [*before["returns"], {"date": date(2020, 11, 4), "reason": "又退回", "by": "张三"}]
    after["extensions"] = []
    after["cancelled"] = {"date": date(2020, 11, 5), "reason": "改", "by": "张三"}
    found = changes.diff_records(before, after)
    fields = [c.field for c in found]
    assert fields == [n for n in CHANGE_ORDER]  # every field, in the table's order
    for lang in ("zh", "en"):
        msg = commitmsg.task_message("2020-07", new.title, found, lang)
        body = msg.split("\n\n")[1]
        for f in TASK_TABLE:
            if f.kind != "measures":
                assert any(line.startswith(say(f.label_key, lang) + ":") for line in body.splitlines()), (f.name, lang)
        assert "Tracker-Fields: " + ", ".join(CHANGE_ORDER) in msg


@pytest.fixture
def full_repo(tmp_path):
    repo = make_plan_repo(tmp_path / "repo")
    t = dataclasses.replace(full_task(), number=5, path="plan/2020/tasks/05.yaml")
    (repo / t.path).write_text(_file_text(t), encoding="utf-8")
    git(repo, "commit", "-qam", "every field")
    return repo


def test_show_has_a_row_for_every_shown_field(full_repo):
    for lang in ("zh", "en"):
        r = run_cli(full_repo, "show", "5", "--lang", lang)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        for f in TASK_TABLE:
            if f.show is not None:
                label = say(f.label_key, lang)
                assert any(line.startswith(label + " ") for line in lines), (f.name, lang, r.stdout)
        text = r.stdout
        assert "王某某副市长" in text and "二.1" in text and "2020-03-01" in text
    data = json.loads(run_cli(full_repo, "show", "5", "--format", "json").stdout)
    assert data["leader"] == "王某某副市长" and data["start"] == "2020-03-01" and data["incomplete"] is True


def test_set_changes_every_editable_field_with_one_commit(full_repo):
    values = {"status": "blocked", "progress": "55", "due": "2020-10-31", "note": "新的进展", "problems": "用地紧张",
              "next_steps": "协调用地"}
    args = []
    plain = [name for name in EDITABLE_FIELDS if name != "due"]  # a due change is an extension (延期), alone
    for name in plain:
        args += [FIELD[name].option, values[name]]
    before = int(git(full_repo, "rev-list", "--count", "HEAD"))
    r = run_cli(full_repo, "set", "5", *args, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert int(git(full_repo, "rev-list", "--count", "HEAD")) == before + 1
    msg = git(full_repo, "log", "-1", "--format=%B")
    assert "Tracker-Fields: " + ", ".join(plain) in msg
    r = run_cli(full_repo, "set", "5", FIELD["due"].option, values["due"], "--reason", "用地协调", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "Tracker-Fields: due, extensions" in git(full_repo, "log", "-1", "--format=%B")
    data = json.loads(run_cli(full_repo, "show", "5", "--format", "json").stdout)
    assert data["status"] == "blocked" and data["progress"] == 55 and data["due"] == "2020-10-31"
    assert data["leader"] == "王某某副市长"  # the fields not set are kept


def test_a_sync_merge_knows_the_newer_fields():
    """Both offices change the optional fields: one side's change is taken, both sides' changes to
    one field are a recorded conflict, and the result is a valid task whose message names them."""
    from tracker.merge import Side, merge_texts

    base_task = dataclasses.replace(full_task(), leader="", start=None, open_units=False, ref="")
    base = _file_text(base_task)
    ours = _file_text(dataclasses.replace(base_task, leader="李副市长", open_units=True))
    theirs = _file_text(dataclasses.replace(base_task, leader="王副市长", start=date(2020, 5, 1), ref="三.2"))
    res = merge_texts(base, ours, theirs, Side("甲", "2020-10-01"), Side("乙", "2020-10-02"), path=base_task.path)
    assert res.fields == ["leader"]
    data = fast_load(res.text, base_task.path)
    task, problems = schema.check_task(data, base_task.path, res.text, 2020, ("农业农村类",))
    assert problems == [] and task.leader == "李副市长" and task.start == date(2020, 5, 1) and task.ref == "三.2"
    assert task.open_units is True
    found = changes.diff_records(fast_load(ours, base_task.path), data)
    assert [c.field for c in found] == ["ref", "start", "conflicts"]
    msg = commitmsg.task_message("2020-07", task.title, found, "zh")
    assert "文件编号: （空） → 三.2" in msg and "开始: （空） → 2020-05-01" in msg


def test_the_store_keeps_every_name_it_had():
    """store.py split into rooms (store_load, store_save, edits): the names importers use stay."""
    import tracker.store as store

    for name in ("Workspace", "PlanData", "CommitResult", "StaleError", "blob_id", "read_regular", "_NotRegular",
                 "parse_file", "_worker_main", "_Prefetch", "PARALLEL_MIN", "explain_git_error", "validate_changes",
                 "apply_task_changes", "validate_period", "fault"):
        assert hasattr(store, name), name
    ws_methods = ("discover", "load", "load_info", "open_cache", "task_files", "target_files", "task_number",
                  "task_path", "target_path", "language", "lock", "pending", "recover", "check_repo_state",
                  "_commit_edit", "update_task", "record_actual", "rel", "plan_dir", "state_dir")
    for name in ws_methods:
        assert hasattr(store.Workspace, name), name
