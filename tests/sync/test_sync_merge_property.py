"""The semantic merge, property-based: any two edits of a common base merge to a valid file that
keeps every non-conflicting change and records every conflicting one (with both values)."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.merge import Side, merge_texts, norm
from tracker.schema import check_task
from tracker.yamlio import fast_load, rt_dump, rt_load

BASE = """\
# 督查一科 负责跟踪
number: 5
title: 持续推进重点水利工程建设
category: 农业农村类
units:
  - 市水利局
status: not_started   # 手工注释
progress: 0
due: 2020-12-31
note: ''
problems: ''
next_steps: ''
measures:
  - number: 1
    text: 加速竺山圩退圩还湖、环太湖大堤剩余工程建设。
    status: not_started
  - number: 2
    text: 确保新孟河延伸拓浚工程宜兴段完成通水任务。
    status: not_started
    due: 2020-09-30
  - number: 3
    text: 推进城乡供水一体化。
    status: in_progress
"""
STATUSES = ["not_started", "in_progress", "done", "blocked"]
TEXTS = ["", "已开工", "资金未到位\n第二行", "[bold]x[/] 方括号", "完成 100%", "yes"]
SCALARS = ("status", "progress", "note", "problems", "next_steps", "due")
OURS, THEIRS = Side("张三", "2020-09-01T10:00:00+08:00"), Side("李四", "2020-09-02T11:00:00+08:00")

edit = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(STATUSES)),
    st.tuples(st.just("progress"), st.integers(0, 100)),
    st.tuples(st.sampled_from(["note", "problems", "next_steps"]), st.sampled_from(TEXTS)),
    st.tuples(st.just("due"), st.sampled_from(["2020-06-30", "2020-12-31", "2020-11-30"])),
    st.tuples(st.just("mstatus"), st.tuples(st.integers(1, 4), st.sampled_from(STATUSES))),
    st.tuples(st.just("mtext"), st.tuples(st.integers(1, 4), st.sampled_from(["改写的措施", "另一种写法"]))),
    st.tuples(st.just("madd"), st.tuples(st.integers(4, 5), st.sampled_from(["新增措施甲", "新增措施乙"]))),
    st.tuples(st.just("mdel"), st.integers(1, 3)),
)


def apply(text: str, edits) -> str:
    from datetime import date

    from ruamel.yaml.comments import CommentedMap

    tree = rt_load(text, "t.yaml")
    for kind, arg in edits:
        if kind in ("status", "progress", "note", "problems", "next_steps"):
            tree[kind] = arg
        elif kind == "due":
            tree["due"] = date.fromisoformat(arg)
        elif kind in ("mstatus", "mtext"):
            num, val = arg
            for m in tree["measures"]:
                if m["number"] == num:
                    m["status" if kind == "mstatus" else "text"] = val
        elif kind == "madd":
            num, val = arg
            if all(m["number"] != num for m in tree["measures"]):
                tree["measures"].append(CommentedMap([("number", num), ("text", val), ("status", "not_started")]))
        elif kind == "mdel":
            tree["measures"] = type(tree["measures"])(m for m in tree["measures"] if m["number"] != arg) \
                if len(tree["measures"]) > 1 else tree["measures"]
    return rt_dump(tree)


def measures(d: dict) -> dict:
    return {m["number"]: m for m in norm(d)["measures"]}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, max_size=6), st.lists(edit, max_size=6))
def test_any_two_edits_merge(ours_edits, theirs_edits):
    ours_text, theirs_text = apply(BASE, ours_edits), apply(BASE, theirs_edits)
    res = merge_texts(BASE, ours_text, theirs_text, OURS, THEIRS, path="plan/2020/tasks/05.yaml")
    assert "<<<<<<<" not in res.text
    b, o, t = (norm(fast_load(x, "t")) for x in (BASE, ours_text, theirs_text))
    r = norm(fast_load(res.text, "t"))
    task, problems = check_task(fast_load(res.text, "t"), "plan/2020/tasks/05.yaml", res.text, 2020, ("农业农村类",))
    assert problems == [] and task is not None, problems
    recorded = {c["field"]: c for c in r.get("conflicts") or []}
    assert set(recorded) == set(res.fields)

    def expect(field, bv, ov, tv, rv):
        if ov == tv or tv == bv:
            assert rv == ov, field
            assert field not in recorded
        elif ov == bv:
            assert rv == tv, field
            assert field not in recorded
        else:  # both changed it differently: the field keeps ours, both values are recorded
            assert rv == ov, field
            c = recorded[field]
            assert (c["ours"]["value"], c["theirs"]["value"], c["base"]) == (ov, tv, bv)
            assert (c["ours"]["author"], c["theirs"]["author"]) == ("张三", "李四")

    for f in SCALARS:
        expect(f, b.get(f), o.get(f), t.get(f), r.get(f))
    bm, om, tm, rm = measures(b), measures(o), measures(t), measures(r)
    for num in set(bm) | set(om) | set(tm):
        bi, oi, ti = bm.get(num), om.get(num), tm.get(num)
        if oi is None or ti is None:
            if oi == ti or ti == bi:  # deleted by ours / both, or added by ours only
                assert rm.get(num) == oi
            elif oi == bi:  # theirs added or deleted, ours untouched
                assert rm.get(num) == ti
            else:  # deleted on one side, changed on the other: kept, and recorded
                assert rm.get(num) is not None
                assert recorded[f"measures.{num}"]["ours"]["value"] == oi
                assert recorded[f"measures.{num}"]["theirs"]["value"] == ti
            continue
        for k in ("text", "status", "due"):
            expect(f"measures.{num}.{k}", (bi or {}).get(k), oi.get(k), ti.get(k), rm[num].get(k))
    # nothing is lost: every value either side wrote is in the file (field or conflict record)
    everything = res.text
    for side in (o, t):
        for f in ("note", "problems", "next_steps"):
            for line in str(side.get(f) or "").splitlines():
                assert line in everything
    # the hand-written comments of the base survive
    assert "# 督查一科 负责跟踪" in res.text


@settings(max_examples=100, deadline=None)
@given(st.lists(edit, min_size=1, max_size=5))
def test_merge_with_itself_or_base_is_identity(edits):
    text = apply(BASE, edits)
    for o, t in ((text, BASE), (BASE, text), (text, text)):
        res = merge_texts(BASE, o, t, OURS, THEIRS)
        assert res.clean
        assert norm(fast_load(res.text, "t")) == norm(fast_load(text, "t"))


def test_existing_conflicts_are_combined_and_resolutions_kept():
    one = merge_texts(BASE, apply(BASE, [("status", "done")]), apply(BASE, [("status", "blocked")]), OURS, THEIRS)
    assert one.fields == ["status"]
    # a third office changed the same field: its value joins the record
    third = merge_texts(BASE, one.text, apply(BASE, [("status", "in_progress")]), OURS, Side("王五", "2020-09-03"))
    entry = norm(fast_load(third.text, "t"))["conflicts"][0]
    assert {v["value"] for v in [entry["ours"], entry["theirs"], *entry["more"]]} == {"done", "blocked", "in_progress"}
    # a resolution on one side (entry removed) wins over the untouched record on the other
    resolved = copy.deepcopy(norm(fast_load(one.text, "t")))
    resolved.pop("conflicts")
    resolved["status"] = "blocked"
    import yaml

    res = merge_texts(one.text, yaml.safe_dump(resolved, allow_unicode=True),
                      apply(one.text, [("progress", 40)]), OURS, THEIRS)
    r = norm(fast_load(res.text, "t"))
    assert "conflicts" not in r and r["status"] == "blocked" and r["progress"] == 40


TARGET = """\
number: 4
text: 社会消费品零售总额增长8%—8.5%
units:
  - 市发展改革委
  - 市商务局
indicators:
  - name: 社会消费品零售总额增长
    comparator: range
    min: 8
    max: 8.5
    unit: '%'
    actuals:
      - period: 2020-06
        value: 6.5
        note: 上半年
  - name: 限上零售额增长
    comparator: at_least
    value: 7
    unit: '%'
    actuals: []
"""
PERIODS = ["2020-06", "2020-09", "2020-Q3", "2020"]
target_edit = st.tuples(st.integers(0, 1), st.sampled_from(PERIODS), st.sampled_from([6.5, 7.9, 8.1, None]),
                        st.sampled_from(["", "统计局口径"]))


def apply_target(text: str, edits) -> str:
    from ruamel.yaml.comments import CommentedMap

    tree = rt_load(text, "t.yaml")
    for ind, period, value, note in edits:
        acts = tree["indicators"][ind]["actuals"]
        entry = CommentedMap([("period", period), ("value", value), ("note", note)])
        for i, a in enumerate(acts):
            if str(a["period"]) == period:
                acts[i] = entry
                break
        else:
            acts.append(entry)
    return rt_dump(tree)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(target_edit, max_size=5), st.lists(target_edit, max_size=5))
def test_any_two_target_edits_merge(ours_edits, theirs_edits):
    from tracker.schema import check_target

    o_text, t_text = apply_target(TARGET, ours_edits), apply_target(TARGET, theirs_edits)
    res = merge_texts(TARGET, o_text, t_text, OURS, THEIRS, path="plan/2020/targets/04.yaml")
    r = norm(fast_load(res.text, "t"))
    data = dict(fast_load(res.text, "t"))
    data.pop("conflicts", None)
    assert check_target(data, "plan/2020/targets/04.yaml", res.text, 2020)[1] == []
    recorded = {c["field"]: c for c in r.get("conflicts") or []}
    b, o, t = (norm(fast_load(x, "t")) for x in (TARGET, o_text, t_text))
    for i, ind in enumerate(r["indicators"]):
        acts = {a["period"]: a for a in ind["actuals"]}
        bi = {a["period"]: a for a in b["indicators"][i]["actuals"]}
        oi = {a["period"]: a for a in o["indicators"][i]["actuals"]}
        ti = {a["period"]: a for a in t["indicators"][i]["actuals"]}
        for p in set(oi) | set(ti):
            for k in ("value", "note"):
                gone = object()  # an absent actual is not the same as a recorded null
                bv, ov, tv = ((d[p].get(k) if p in d else gone) for d in (bi, oi, ti))
                rv = acts[p].get(k)
                field = f"indicators.{ind['name']}.actuals.{p}.{k}"
                if ov == tv or tv == bv or tv is gone:
                    assert rv == ov, field
                    assert field not in recorded
                elif ov == bv or ov is gone:
                    assert rv == tv, field
                    assert field not in recorded
                else:
                    assert rv == ov, field
                    assert {recorded[field]["ours"]["value"], recorded[field]["theirs"]["value"]} == {ov, tv}
