"""Unit ranking by rates (issue 16): completion rate, then share of red, then share of overdue;
a unit that never updated shows —; units in pinyin order; the rule is said in the bulletin."""
from __future__ import annotations

import json
from datetime import date

from tests_support import git, make_plan_repo

from tracker.analytics import RANK_RULE, UnitRank, ranks, sort_ranking, unit_sort_key
from tracker.cli import main


def test_ties_broken_by_shares_not_counts():
    big = UnitRank(unit="大单位", led=10, done=0, red=2)    # 20 % red
    small = UnitRank(unit="小单位", led=1, done=0, red=1)   # 100 % red
    rows = sort_ranking([small, big])
    assert [r.unit for r in rows] == ["大单位", "小单位"]
    assert ranks(rows) == [1, 2]
    a = UnitRank(unit="甲", led=4, done=0, red=1, overdue=2)  # red 25 %, overdue 50 %
    b = UnitRank(unit="乙", led=8, done=0, red=2, overdue=2)  # red 25 %, overdue 25 %
    assert [r.unit for r in sort_ranking([a, b])] == ["乙", "甲"]
    c = UnitRank(unit="丙", led=2, done=0, red=1)
    d = UnitRank(unit="丁", led=4, done=0, red=2)
    assert ranks(sort_ranking([c, d])) == [1, 1]  # equal shares: equal rank


def test_units_sort_by_pinyin():
    names = ["住建局", "安监局", "财政局", "发改委"]
    assert sorted(names, key=unit_sort_key) == ["安监局", "财政局", "发改委", "住建局"]
    rows = [UnitRank(unit=n, led=1) for n in names]
    assert [r.unit for r in sort_ranking(rows, "unit")] == ["安监局", "财政局", "发改委", "住建局"]
    assert [r.unit for r in sort_ranking(rows)] == ["安监局", "财政局", "发改委", "住建局"]  # full tie: pinyin


def test_never_updated_unit_shows_a_dash_and_the_rule_is_in_the_bulletin(tmp_path, capsys):
    repo = make_plan_repo(tmp_path / "office")
    assert main(["--repo", str(repo), "set", "5", "--progress", "30"]) == 0
    lead5 = json.loads(_out(capsys, ["--repo", str(repo), "show", "5", "--format", "json"]))["lead"]
    data = json.loads(_out(capsys, ["--repo", str(repo), "units", "--ranking", "--format", "json"]))
    updated = {u["unit"]: u["last_update"] for u in data["units"]}
    assert updated[lead5] == date.today().isoformat()
    others = [u for u, d in updated.items() if u != lead5]
    assert others and all(updated[u] is None for u in others), updated  # the plan's creation is no update
    md = _out(capsys, ["--repo", str(repo), "report", "--no-record"])
    assert RANK_RULE["zh"] in md


def _out(capsys, argv) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out
