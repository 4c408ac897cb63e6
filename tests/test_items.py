"""Items of any kind (issue 13 sections 1 and 4): `tracker new`, ids never reused, default
deadlines from plan.yaml settings, bad input refused with nothing written.  Real git, Chinese data."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tests_support import commit_count, git, run_cli
from tracker.items import NewItem, create, default_due, next_number
from tracker.model import TrackerError
from tracker.store import Workspace

NEW = ("new", "--kind", "批示件", "--title", "关于加快推进竺山圩工程的批示", "--lead", "市水利局", "--unit", "市财政局",
       "--leader", "王市长", "--ref", "2020年10月8日 王市长批示", "--urgency", "紧急", "--text", "请水利局牵头抓紧推进。",
       "--start", "2020-10-09")


def test_new_makes_one_commit_with_one_new_file(plan_repo):
    before = commit_count(plan_repo)
    r = run_cli(plan_repo, *NEW)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "2020-61"
    assert commit_count(plan_repo) == before + 1
    assert git(plan_repo, "show", "--name-status", "--format=", "HEAD").split() == ["A", "plan/2020/tasks/61.yaml"]
    assert git(plan_repo, "status", "--porcelain") == ""
    msg = git(plan_repo, "log", "-1", "--format=%B")
    assert msg.startswith("2020-61 关于加快推进竺山圩工程的批示: 新建批示件\n")
    assert "类型: （空） → 批示件" in msg and "紧急程度: （空） → 紧急" in msg
    assert "Tracker-Task: 2020-61" in msg and "Tracker-New: instruction" in msg
    shown = json.loads(run_cli(plan_repo, "show", "2020-61", "--format", "json").stdout)
    assert {k: shown[k] for k in ("kind", "urgency", "text", "leader", "ref", "units", "lead", "start", "due", "status")} == {
        "kind": "instruction", "urgency": "urgent", "text": "请水利局牵头抓紧推进。", "leader": "王市长",
        "ref": "2020年10月8日 王市长批示", "units": ["市水利局", "市财政局"], "lead": "市水利局",
        "start": "2020-10-09", "due": "2020-10-14", "status": "not_started"}  # 紧急: 5 days
    # the new id works wherever an id is taken
    r = run_cli(plan_repo, "set", "61", "--progress", "20", "--note", "已召开专题会议")
    assert r.returncode == 0, r.stderr
    assert "2020-61" in git(plan_repo, "log", "-1", "--format=%s")
    table = run_cli(plan_repo, "show", "61").stdout
    assert "批示件" in table and "紧急" in table and "请水利局牵头抓紧推进。" in table
    assert run_cli(plan_repo, "check").returncode == 0


def test_list_shows_and_filters_the_kind(plan_repo):
    assert run_cli(plan_repo, *NEW).returncode == 0
    r = run_cli(plan_repo, "new", "--kind", "建议提案", "--title", "关于加强农村饮水安全的建议", "--lead", "市水利局",
                "--start", "2020-06-01")
    assert r.stdout.strip() == "2020-62"
    rows = json.loads(run_cli(plan_repo, "list", "--format", "json").stdout)
    assert len(rows) == 62 and {r["kind"] for r in rows} == {"plan", "instruction", "proposal"}
    only = json.loads(run_cli(plan_repo, "list", "--kind", "proposal", "--kind", "批示件", "--format", "json").stdout)
    assert [r["id"] for r in only] == ["2020-61", "2020-62"]
    plain = run_cli(plan_repo, "list", "--kind", "重点工作").stdout
    assert "类型" not in plain.splitlines()[0]  # plan tasks only: no kind column
    mixed = run_cli(plan_repo, "list", "--kind", "建议提案").stdout
    assert "建议提案" in mixed and "类型/类别" in mixed.splitlines()[0]
    bad = run_cli(plan_repo, "list", "--kind", "批件")
    assert bad.returncode == 2 and "批示件" in bad.stderr


def test_default_due_from_settings_per_kind_and_urgency(plan_repo):
    plan = plan_repo / "plan/2020/plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("settings:\n", "settings:\n  item_days:\n    instruction: 10\n"
                                                    "    meeting: 20\n  urgency_days:\n    urgent: 3\n", 1), "utf-8")
    git(plan_repo, "commit", "-qam", "settings: item_days")
    ws = Workspace(plan_repo)
    info, _ = ws.load_info()
    start = date(2020, 5, 1)
    assert default_due(info.settings, 2020, "instruction", "normal", start) == date(2020, 5, 11)
    assert default_due(info.settings, 2020, "meeting", "urgent", start) == date(2020, 5, 4)
    assert default_due(info.settings, 2020, "meeting", "critical", start) == date(2020, 5, 2)  # built-in 1 day
    assert default_due(info.settings, 2020, "proposal", "normal", start) == date(2020, 7, 30)  # built-in 90 days
    assert default_due(info.settings, 2020, "plan", "normal", start) == date(2020, 12, 31)
    r = run_cli(plan_repo, "new", "--kind", "会议议定", "--title", "研究老旧小区改造", "--lead", "市住房城乡建设局",
                "--start", "2020-05-01", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(run_cli(plan_repo, "show", "2020-61", "--format", "json").stdout)["due"] == "2020-05-21"
    r = run_cli(plan_repo, "new", "--kind", "会议议定", "--title", "研究老旧小区改造二", "--lead", "市住房城乡建设局",
                "--start", "2020-05-01", "--due", "2020-09-30")  # always editable: --due wins
    assert json.loads(run_cli(plan_repo, "show", "2020-62", "--format", "json").stdout)["due"] == "2020-09-30"


@pytest.mark.parametrize("args, field, words", [
    (("--kind", "批件"), "kind", ["批件", "instruction (批示件)", "meeting (会议议定)", "proposal (建议提案)"]),
    (("--lead", "市水力局"), "unit", ["市水力局", "市水利局", "--new-unit"]),
    (("--unit", "市数据局"), "unit", ["市数据局", "--new-unit"]),
    (("--title", "   "), "title", ["must not be empty"]),
    (("--due", "2020-10-01"), "due", ["2020-10-01", "2020-10-09"]),
    (("--urgency", "很急"), "urgency", ["很急", "特急"]),
    (("--category", "农业类"), "category", ["农业类", "农业农村类"]),
])
def test_bad_input_is_refused_naming_field_and_value_nothing_written(plan_repo, args, field, words):
    before = commit_count(plan_repo)
    base = list(NEW)
    opt, value = args
    if opt in base:
        base[base.index(opt) + 1] = value
    else:
        base += [opt, value]
    r = run_cli(plan_repo, *base, "--lang", "en")
    assert r.returncode == 2, (r.stdout, r.stderr)
    text = " ".join(r.stderr.split())
    assert field in text
    for w in words:
        assert w in text, (w, text)
    assert commit_count(plan_repo) == before
    assert git(plan_repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (plan_repo / ".git/tracker/pending.json").exists()


def test_unit_errors_speak_chinese_and_offer_the_closest_names(plan_repo):
    r = run_cli(plan_repo, "new", "--kind", "其他", "--title", "测试", "--lead", "市水力局", "--lang", "zh")
    assert r.returncode == 2
    text = "".join(r.stderr.split())
    assert "单位“市水力局”不在计划的单位中" in text and "市水利局" in text


def test_new_unit_and_aliases(plan_repo):
    r = run_cli(plan_repo, "new", "--kind", "专项督查", "--title", "安全生产专项督查整改", "--lead", "市发改委",
                "--unit", "市数据局", "--new-unit", "市数据局", "--start", "2020-04-01")
    assert r.returncode == 0, r.stderr
    item = json.loads(run_cli(plan_repo, "show", "61", "--format", "json").stdout)
    assert item["units"] == ["市发展改革委", "市数据局"]  # the alias table: the plan's own name for 市发改委
    # the unit is now one of the plan's: no --new-unit needed any more
    r = run_cli(plan_repo, "new", "--kind", "其他", "--title", "数据共享", "--lead", "市数据局", "--start", "2020-04-01")
    assert r.returncode == 0, r.stderr


def test_numbers_are_never_reused_after_a_delete(plan_repo):
    assert run_cli(plan_repo, *NEW).stdout.strip() == "2020-61"
    git(plan_repo, "rm", "-q", "plan/2020/tasks/61.yaml")
    git(plan_repo, "commit", "-qm", "remove 61 by hand")
    assert next_number(Workspace(plan_repo)) == 62
    assert run_cli(plan_repo, *NEW).stdout.strip() == "2020-62"
    # a number only a branch ever had is not reused either
    git(plan_repo, "checkout", "-q", "-b", "side")
    assert run_cli(plan_repo, *NEW).stdout.strip() == "2020-63"
    git(plan_repo, "checkout", "-q", "main")
    assert run_cli(plan_repo, *NEW).stdout.strip() == "2020-64"


def test_create_in_process_chinese_and_english_messages(plan_repo):
    ws = Workspace(plan_repo)
    res = create(ws, NewItem(kind="meeting", title="推进城乡供水一体化", leads=("市水利局",),
                             start=date(2020, 3, 2), urgency="critical"), lang="en")
    assert res.message.startswith("2020-61 推进城乡供水一体化: new meeting decision\n")
    assert "due: (empty) → 2020-03-03" in res.message and "urgency: (empty) → most urgent" in res.message
    with pytest.raises(TrackerError) as e:
        create(ws, NewItem(kind="会议", title="", leads=("市水利局",)))
    assert str(e.value) == "title: must not be empty" and e.value.text("zh") == "标题不能为空"


def test_plan_changes_are_audited_one_commit_each_with_the_reason(plan_repo):
    before = commit_count(plan_repo)
    r = run_cli(plan_repo, "edit", "5", "--title", "持续推进重点水利工程建设（调整）", "--lead", "市水利局", "--unit", "市财政局",
                "--reason", "市政府常务会议第12次会议调整")
    assert r.returncode == 0, r.stderr
    msg = git(plan_repo, "log", "-1", "--format=%B")
    assert "标题: 持续推进重点水利工程建设 → 持续推进重点水利工程建设（调整）" in msg
    assert "责任单位: 市水利局 → 市水利局、市财政局" in msg
    assert "Tracker-Reason: 市政府常务会议第12次会议调整" in msg
    r = run_cli(plan_repo, "measure", "add", "5", "--text", "完成竺山圩工程验收", "--due", "2020-12-15", "--reason", "分管领导要求")
    assert r.returncode == 0, r.stderr
    assert "Tracker-Reason: 分管领导要求" in git(plan_repo, "log", "-1", "--format=%B")
    r = run_cli(plan_repo, "measure", "remove", "5", "1", "--reason", "已并入措施2")
    assert r.returncode == 0, r.stderr
    assert commit_count(plan_repo) == before + 3
    task = json.loads(run_cli(plan_repo, "show", "5", "--format", "json").stdout)
    assert [m["number"] for m in task["measures"]] == [2, 3]
    assert task["measures"][-1] == {"number": 3, "text": "完成竺山圩工程验收", "status": "not_started", "due": "2020-12-15"}
    assert task["units"] == ["市水利局", "市财政局"]
    # refused, nothing written: no reason, nothing to change, no such measure, unknown unit
    for args in (("edit", "5", "--title", "x", "--reason", " "), ("edit", "5", "--reason", "理由"),
                 ("measure", "remove", "5", "99", "--reason", "理由"), ("edit", "5", "--lead", "市水力局", "--reason", "理由"),
                 ("edit", "5", "--title", " ", "--reason", "理由")):
        r = run_cli(plan_repo, *args)
        assert r.returncode == 2, (args, r.stdout)
    assert commit_count(plan_repo) == before + 3
    assert git(plan_repo, "status", "--porcelain") == ""


def test_a_default_due_stays_in_the_plan_year_an_explicit_one_is_kept_with_a_note(plan_repo):
    """Issue 13 point 6: an old plan (today is after its year): the start is the year's last day and
    the kind's days would put the due date into the next year: the due date is the year's end,
    said in a note; a --due after the year's end is the office's choice, kept, with a note."""
    ws = Workspace(plan_repo)
    notes: list = []
    res = create(ws, NewItem(kind="instruction", title="年底批示", leads=("市水利局",)), today=date(2026, 11, 30),
                 notes=notes)
    item = json.loads(run_cli(plan_repo, "show", res.path.rsplit("/", 1)[1][:-5], "--format", "json").stdout)
    assert (item["start"], item["due"]) == ("2020-12-31", "2020-12-31")
    assert notes == [("items.due_clamped", {"computed": "2021-01-15", "year": 2020, "due": "2020-12-31"})]
    r = run_cli(plan_repo, "new", "--kind", "批示件", "--title", "十二月批示", "--lead", "市水利局",
                "--start", "2020-12-25", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "2021-01-09" in r.stderr and "年末" in r.stderr and "2020-12-31" in r.stderr
    item = json.loads(run_cli(plan_repo, "show", r.stdout.strip(), "--format", "json").stdout)
    assert (item["start"], item["due"]) == ("2020-12-25", "2020-12-31")
    r = run_cli(plan_repo, "new", "--kind", "批示件", "--title", "跨年批示", "--lead", "市水利局",
                "--start", "2020-12-25", "--due", "2021-02-01", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "2021-02-01 is after the end of the 2020 plan's year" in " ".join(r.stderr.split())
    assert json.loads(run_cli(plan_repo, "show", r.stdout.strip(), "--format", "json").stdout)["due"] == "2021-02-01"
    # within the year: no note
    r = run_cli(plan_repo, "new", "--kind", "批示件", "--title", "年中批示", "--lead", "市水利局", "--start", "2020-06-01")
    assert r.returncode == 0 and "note" not in r.stderr and "注意" not in r.stderr


def test_new_unit_joins_units_yaml_in_the_same_commit(plan_repo):
    """Issue 13 point 7: a unit not in the plan is refused offering the closest names; --new-unit
    adds it to the plan's unit list (units.yaml, the table tracker/units.py reads) in the new
    item's own commit; an alias of units.yaml is taken as its canonical name."""
    r = run_cli(plan_repo, "new", "--kind", "其他", "--title", "数据共享", "--lead", "市大数据管理局", "--lang", "en")
    assert r.returncode == 2 and "市大数据管理局" in r.stderr and "--new-unit" in r.stderr
    before = commit_count(plan_repo)
    r = run_cli(plan_repo, "new", "--kind", "专项督查", "--title", "政务数据共享专项督查", "--lead", "市大数据管理局",
                "--new-unit", "市大数据管理局", "--unit", "市财政局", "--start", "2020-04-01", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert commit_count(plan_repo) == before + 1
    files = git(plan_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == ["plan/2020/tasks/61.yaml", "units.yaml"]
    msg = git(plan_repo, "log", "-1", "--format=%B")
    assert "新增单位：市大数据管理局（加入 units.yaml）" in msg and "Tracker-New-Unit: 市大数据管理局" in msg
    assert git(plan_repo, "status", "--porcelain") == ""
    from tracker.units import load_aliases

    assert load_aliases(plan_repo).full.get("市大数据管理局") == "市大数据管理局"
    # a known unit is not added again; the file's comments stay
    units_before = (plan_repo / "units.yaml").read_text("utf-8")
    assert units_before.startswith("# Canonical unit names")
    r = run_cli(plan_repo, "new", "--kind", "其他", "--title", "数据目录", "--lead", "市大数据管理局",
                "--new-unit", "市大数据管理局", "--start", "2020-04-01")
    assert r.returncode == 0, r.stderr
    assert git(plan_repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/tasks/62.yaml"]
    assert "Tracker-New-Unit" not in git(plan_repo, "log", "-1", "--format=%B")
    # an alias written into units.yaml by hand is taken as the canonical name it stands for
    (plan_repo / "units.yaml").write_text(units_before + "市大数据管理局-alias-check: []\n"
                                          "市政务服务管理办公室: [市政务办]\n", "utf-8")
    git(plan_repo, "commit", "-qam", "units: 市政务办")
    r = run_cli(plan_repo, "new", "--kind", "其他", "--title", "一网通办", "--lead", "市政务办", "--start", "2020-04-01")
    assert r.returncode == 0, r.stderr
    item = json.loads(run_cli(plan_repo, "show", r.stdout.strip(), "--format", "json").stdout)
    assert item["units"] == ["市政务服务管理办公室"]
