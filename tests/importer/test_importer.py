"""The layout-general importer on synthetic notices in every layout of the genre."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tracker.importer import import_text
from tracker.importer.normalise import clean_line
from tracker.importer.unitlist import parse_group
from tracker.model import TrackerError

from fixtures import CIRCLED, CUT, FLAT_TABLE, LEADER_GROUPS, ONE_LINE, PARENS, PIPE_TABLE

FW = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "[": "［", "]": "］", "%": "％"})


def test_parens_labels_brackets_and_preamble():
    p = import_text(PARENS, 2024)
    assert p.document == "某政办发〔2024〕3号" and p.issued == date(2024, 2, 1)
    assert p.title == "2024年重点工作责任分解方案"
    assert p.categories == ["产业发展", "民生保障"]  # the notice's own 一、二、 are not categories
    t1, t2, t3, t4 = p.tasks
    assert t1.title == "推进先进制造业集群建设"
    assert t1.leads == ["市工业和信息化局"]          # 市工信局 through the starter alias table
    assert t1.units == ["市工业和信息化局", "市发展改革委", "市财政局", "各县、市、区政府"]  # prefix distributes
    assert t1.measures[0].milestones and t1.measures[0].due == date(2024, 6, 30)
    assert t2.leads == ["市商务局", "市文化广电和旅游局"] and t2.units[-1] == "市财政局"   # verb style
    assert t3.units == ["市教育局", "市住房和城乡建设局", "各县(市、区)政府"]              # [] with nested ()
    assert t4.leads == ["市人力资源和社会保障局"] and t4.leader == "张三" and t4.due == date(2024, 12, 31)
    assert not p.warnings


def test_fullwidth_and_ascii_give_the_same_plan():
    a, b = import_text(PARENS, 2024), import_text(PARENS.translate(FW), 2024)
    assert [(t.title, t.units, t.leads, t.leader, t.due) for t in a.tasks] == \
           [(t.title, t.units, t.leads, t.leader, t.due) for t in b.tasks]


def test_leader_groups_restart_numbering_and_keep_the_document_number():
    p = import_text(LEADER_GROUPS, 2024)
    assert [t.number for t in p.tasks] == [1, 2, 3, 4]
    assert [t.ref for t in p.tasks] == ["一.1", "一.2", "二.1", "二.2"]
    assert [t.leader for t in p.tasks] == ["王某某副市长"] * 2 + ["李某某副市长"] * 2
    assert p.tasks[0].category == "工业经济" and p.tasks[2].category == "社会事业"
    assert p.tasks[1].units == ["市工业和信息化局", "各镇、街道"]


def test_flattened_table_with_leader_row_and_cut_row():
    p = import_text(FLAT_TABLE, 2024)
    t1, t2, t3 = p.tasks
    assert t1.title == "地区生产总值增长6%" and t1.key
    assert t1.leads == ["市发展改革委"] and t1.units == ["市发展改革委", "市统计局", "市财政局"]
    assert t1.leader == "赵某、钱某" and t1.category == "经济发展"
    assert t2.due == date(2024, 12, 31) and t2.units[-1] == "各县(市、区)政府"
    assert t3.incomplete and t3.units == ["市商务局"]
    assert any("cut off" in w.message for w in p.warnings)


def test_pipe_table_spurious_spaces_and_leaders():
    p = import_text(PIPE_TABLE, 2024)
    assert p.tasks[0].title.startswith("优化营商环境工作机制,服务重大项目")
    assert p.tasks[0].leader == "孙某" and p.tasks[0].units == ["招商局", "经发局"]
    assert p.tasks[1].due == date(2024, 6, 30)


def test_one_line_body_and_open_list():
    p = import_text(ONE_LINE, 2024)
    assert [t.title for t in p.tasks] == ["深化国资国企改革", "推进开发区整合提升", "优化口岸通关服务"]
    assert p.tasks[1].open_units and p.tasks[1].units == ["市商务局", "各开发区管委会"]
    assert p.tasks[2].leads == ["市商务局", "市交通运输局"]


def test_circled_numbers():
    p = import_text(CIRCLED, 2024)
    assert [t.title for t in p.tasks] == ["推进城市更新行动", "实施农村公路提升工程"]
    assert p.tasks[1].units == ["市交通运输局", "各镇"]


def test_cut_text_never_invents_units():
    p = import_text(CUT, 2024)
    assert p.tasks[1].incomplete
    assert p.tasks[1].leads == ["市财政局"] and p.tasks[1].units == ["市财政局", "市税务局"]  # 各县 was cut


def test_no_tasks_is_an_error():
    with pytest.raises(TrackerError, match="no tasks found"):
        import_text("关于做好某项工作的通知\n各单位要认真落实。\n", 2024)


@pytest.mark.parametrize("raw, expected", [
    ("市 教育局", "市教育局"), ("20 19 年", "2019年"), ("目  标  任  务", "目标任务"), ("3 . 5%", "3.5%"),
    ("（牵头单位：市财政局）", "(牵头单位:市财政局)"), ("GDP growth", "GDP growth"),
])
def test_text_noise(raw, expected):
    assert clean_line(raw) == expected


@pytest.mark.parametrize("text, leads, others, is_open", [
    ("A局、B局分别牵头", ["A局", "B局"], [], False),
    ("责任单位:市教育局、市财政局", ["市教育局"], ["市财政局"], False),
    ("市教育局(排名第一的为牵头单位,下同)、市财政局等", ["市教育局"], ["市财政局"], True),
    ("牵头单位:市发改委;责任单位:各区人民政府〈含开发区、风景区〉", ["市发改委"], ["各区人民政府〈含开发区、风景区〉"], False),
    ("市级各有关部门及各县市区政府", ["市级各有关部门"], ["各县市区政府"], False),
])
def test_unit_lists(text, leads, others, is_open):
    g = parse_group(text)
    assert (g.leads, g.others, g.open) == (leads, others, is_open)


def test_json_contract_keys_of_preview(tmp_path):
    from tests_support import run_cli

    src = tmp_path / "n.txt"
    src.write_text(PARENS, encoding="utf-8")
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    t = out["tasks"][1]
    assert {"id", "leads", "leader", "ref", "start", "open_units", "units", "lead", "due"} <= set(t)
    assert t["leads"] == ["市商务局", "市文化广电和旅游局"]
    assert not list(tmp_path.glob("plan"))


def test_labelled_lines_in_any_order():
    from fixtures import LABELS_ANY_ORDER

    p = import_text(LABELS_ANY_ORDER.rsplit("(一)", 1)[0], 2025)
    t1, t2 = p.tasks
    assert t1.leads == ["县发展和改革局"] and t1.units == ["县发展和改革局", "县统计局", "县财政局"]
    assert t1.leader == "陈副县长" and t1.due == date(2025, 10, 31)
    assert t2.leads == ["县工业和信息化局"] and t2.units == ["县工业和信息化局", "各乡镇"]


def test_inline_label_whose_last_unit_ends_in_a_bracket():
    from fixtures import RESP_INLINE

    p = import_text(RESP_INLINE, 2025)
    assert p.tasks[0].units == ["县数据局", "县政务服务中心", "各乡镇(街道)"]
    assert p.tasks[0].title == "推进数字政府建设"


def test_warnings_for_unplaced_lines_jumps_and_restarts():
    text = ("2024年重点工作分工方案\n一、产业发展\n这一行不属于任何任务\n"
            "1.推进制造业集群建设(市工信局)\n3.推进服务业发展(市商务局)\n"
            "二、民生保障\n1.新建学校5所(市教育局)\n")
    p = import_text(text, 2024)
    msgs = [str(w) for w in p.warnings]
    assert any("line 3" in m and "could not place" in m for m in msgs)
    assert any("jumps from 1 to 3" in m for m in msgs)
    assert any("restarts" in m for m in msgs)
    assert [t.ref for t in p.tasks] == ["一.1", "一.3", "二.1"]


def test_general_importer_reads_the_bundled_layout_too():
    """The 宜兴 layout through the general importer (the bundled plan itself keeps notice.py)."""
    from tracker.commands.plan import bundled_notice

    p = import_text(bundled_notice(), 2020)
    assert len(p.tasks) == 60 and p.document == "宜政发〔2020〕160号" and p.issuer == "宜兴市人民政府"
    assert p.title == "市政府2020年重点工作分解落实方案"
    assert all(t.units for t in p.tasks)  # 医疗事业项目。(市卫生健康委、住房城乡建设局) is a unit list
    units = {u for t in p.tasks for u in t.units}
    assert "宜兴海关" in units and "市宜兴海关" not in units
    assert sum(len(t.measures) for t in p.tasks) == 200


def test_traditional_script_is_flagged_and_its_labels_read(tmp_path):
    from tracker.importer import import_source

    src = tmp_path / "mirror.txt"
    src.write_text("一、堅持系統集成,推動審批全鏈條優化\n"
                   "1.全面實施行政許可事項清單管理。依據國家和省行政許可事項清單,編制並公布市、縣兩級行政許可事項清單,"
                   "將依法設定的行政許可事項全部納入清單管理,清單之外一律不得違法實施行政許可,加快推進同一事項在不同層級同要素管理。"
                   "(市政府辦公室、市審改辦牽頭,市級各有關部門及各縣市區政府按職責分工負責)\n", encoding="utf-8")
    p = import_source(src, 2022)
    assert any("Traditional" in w.message for w in p.warnings)
    assert p.tasks[0].leads == ["市政府办公室", "市審改辦"] and p.tasks[0].units[-1] == "各县市区政府"


@pytest.mark.parametrize("text, expected", [
    ("全年", date(2024, 12, 31)), ("年底前", date(2024, 12, 31)), ("6月底前", date(2024, 6, 30)),
    ("第三季度", date(2024, 9, 30)), ("上半年", date(2024, 6, 30)), ("2024年10月", date(2024, 10, 31)),
    ("9月30日前", date(2024, 9, 30)), ("明年3月", date(2024, 3, 31)), ("长期", None), ("持续推进", None),
])
def test_deadlines_relative_to_a_december_notice(text, expected):
    from tracker.importer.deadlines import resolve

    assert resolve(text, 2024, issued=date(2023, 12, 20)) == expected
