"""Qualitative indicators (issue 16): an actual is text with an assessment (达标/未达标/无法判断),
shown as such in the bulletin; a mis-entered actual is removed with `--delete`, one commit."""
from __future__ import annotations

import json

from tests_support import commit_count, git, make_plan_repo

from tracker.cli import main

IND9 = "居民消费价格涨幅控制在省定范围内"


def test_qualitative_actual_is_text_with_an_assessment(tmp_path, capsys):
    repo = make_plan_repo(tmp_path / "office")
    r = ["--repo", str(repo)]
    assert main([*r, "actual", "9", "--period", "2020-09", "--value", "1"]) == 2  # no assessment: refused
    assert "--assessment" in capsys.readouterr().err
    assert main([*r, "actual", "9", "--period", "2020-09", "--value", "基本同步", "--assessment", "达标"]) == 0
    msg = git(repo, "log", "-1", "--format=%B")
    assert f"{IND9} 2020-09 实际值: （空） → 基本同步" in msg.splitlines()
    assert f"{IND9} 2020-09 实际值评价: （空） → 达标" in msg.splitlines()
    text = (repo / "plan/2020/targets/09.yaml").read_text("utf-8")
    assert "value: 基本同步" in text and "assessment: met" in text
    capsys.readouterr()
    assert main([*r, "targets", "--format", "json"]) == 0
    [t9] = [t for t in json.loads(capsys.readouterr().out) if t["number"] == 9]
    assert t9["indicators"][0]["actuals"] == [{"period": "2020-09", "value": "基本同步", "note": "", "assessment": "met"}]
    assert main([*r, "report", "--no-record"]) == 0
    md = capsys.readouterr().out
    row = next(line for line in md.splitlines() if IND9 in line and "基本同步" in line)
    assert "达标" in row and "| 1 |" not in row
    # a number's assessment follows from the number; a quantitative indicator refuses one
    assert main([*r, "actual", "4", "--period", "2020-09", "--value", "8.2", "--assessment", "达标"]) == 2
    assert main([*r, "check"]) == 0


def test_delete_a_mis_entered_actual_is_one_commit(tmp_path, capsys):
    repo = make_plan_repo(tmp_path / "office")
    r = ["--repo", str(repo)]
    assert main([*r, "actual", "4", "--period", "2020-09", "--value", "82"]) == 0  # meant 8.2
    before = commit_count(repo)
    assert main([*r, "actual", "4", "--period", "2020-09", "--delete"]) == 0
    assert commit_count(repo) == before + 1
    assert "actuals: []" in (repo / "plan/2020/targets/04.yaml").read_text("utf-8")
    assert "2020-09 实际值: 82 → （空）" in git(repo, "log", "-1", "--format=%B")
    assert main([*r, "actual", "4", "--period", "2020-09", "--delete", "--lang", "en"]) == 2  # nothing left: said, not committed
    assert "no actual for 2020-09" in capsys.readouterr().err and commit_count(repo) == before + 1


def test_show_takes_a_target_like_resolve(tmp_path, capsys):
    repo = make_plan_repo(tmp_path / "office")
    r = ["--repo", str(repo)]
    assert main([*r, "actual", "4", "--period", "2020-09", "--value", "8.2"]) == 0
    capsys.readouterr()
    assert main([*r, "show", "T4"]) == 0
    out = capsys.readouterr().out
    assert "2020-T04" in out and "社会消费品零售总额增长" in out and "2020-09: 8.2" in out
    assert main([*r, "show", "2020-T04", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "2020-T04"
    assert main([*r, "show", "T99"]) == 2
    assert "T99" in capsys.readouterr().err
