"""Lists inside sentences (issue 11 point 3): an enumeration passed to a label is the list itself,
and `i18n.say` joins it with "、" in Chinese and ", " in English; str(err) stays the English text it
always was.  Real errors of the edit rules, the workspace, the schema and the CLI."""
from __future__ import annotations

import pytest

from tests_support import run_cli

from tracker.i18n import Words, book, say
from tracker.model import TrackerError
from tracker.store import Workspace

book("test_lists", {"have": ("现有：{have}", "it has: {have}")})


def test_say_joins_a_list_by_the_language():
    assert say("test_lists.have", "zh", have=["甲", "乙"]) == "现有：甲、乙"
    assert say("test_lists.have", "en", have=("a", "b")) == "it has: a, b"
    assert say("test_lists.have", "en", have=[1, 2]) == "it has: 1, 2"
    assert say("test_lists.have", "zh", have=[]) == "现有："
    assert say("test_lists.have", "zh", have=Words([])) == "现有：无"
    assert say("test_lists.have", "en", have=Words([])) == "it has: none"
    assert say("test_lists.have", "en", have=Words([], none="workspace.none")) == "it has: none"


def test_edit_refusals_list_in_the_language(ws):
    with pytest.raises(TrackerError) as err:
        ws.update_task(1, {"status": "finished"})
    assert str(err.value) == ("status: 'finished' is not a status; allowed: not_started, in_progress, done, "
                              "blocked (未启动, 推进中, 已完成, 受阻)"), str(err.value)
    assert "not_started、in_progress、done、blocked" in err.value.text("zh")
    assert err.value.text("en") == str(err.value)
    with pytest.raises(TrackerError) as err:
        ws.update_task(1, {"colour": "red"})
    assert "status, progress, due" in str(err.value)
    assert "status、progress、due" in err.value.text("zh") and ", " not in err.value.text("zh")


def test_no_such_year_lists_the_years(plan_repo):

    with pytest.raises(TrackerError) as err:
        Workspace(plan_repo, year=1999)
    assert str(err.value).endswith("(found: 2020)"), str(err.value)
    (plan_repo / "plan" / "2021").mkdir()
    (plan_repo / "plan" / "2021" / "plan.yaml").write_text((plan_repo / "plan" / "2020" / "plan.yaml").read_text())
    with pytest.raises(TrackerError) as err:
        Workspace(plan_repo, year=1999)
    assert str(err.value).endswith("(found: 2020, 2021)"), str(err.value)
    assert err.value.text("zh").endswith("（现有：2020、2021）"), err.value.text("zh")


def test_check_lists_allowed_keys_by_language(plan_repo):
    path = plan_repo / "plan" / "2020" / "tasks" / "01.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "颜色: 红\n", encoding="utf-8")
    zh = run_cli(plan_repo, "check", "--lang", "zh")
    en = run_cli(plan_repo, "check", "--lang", "en")
    assert zh.returncode == en.returncode == 1
    assert "（可用的键：number、category、title、units、" in zh.stdout, zh.stdout
    assert "(allowed: number, category, title, units, " in en.stdout, en.stdout


def test_problems_in_a_refusal_are_said_in_the_language(ws, plan_repo):
    """Lines: the problems of a file in an error, one under another, each in the user's language."""
    path = plan_repo / "plan" / "2020" / "tasks" / "05.yaml"
    path.write_text(path.read_text("utf-8").replace("progress: 0", "progress: 150", 1), "utf-8")
    with pytest.raises(TrackerError) as err:
        ws.update_task(5, {"note": "进展顺利"})
    assert "plan/2020/tasks/05.yaml:7:1: progress: must be from 0 to 100, not 150" in str(err.value), str(err.value)
    assert err.value.text("en") == str(err.value)
    zh = err.value.text("zh")
    assert "\n  plan/2020/tasks/05.yaml:7:1: progress: 须在 0 到 100 之间，不能是 150" in zh, zh
    assert "must be" not in zh, zh


def test_command_refusals_list_in_the_language(plan_repo):
    """The lists of the command modules' refusals too (actual --indicator, carry-over --from)."""
    zh = run_cli(plan_repo, "actual", "1", "--period", "2020", "--value", "3", "--lang", "zh")
    en = run_cli(plan_repo, "actual", "1", "--period", "2020", "--value", "3", "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "地区生产总值增长、一般公共预算收入增长" in zh.stderr.replace("\n", ""), zh.stderr
    assert "地区生产总值增长, 一般公共预算收入增长" in " ".join(en.stderr.split()), en.stderr
    zh = run_cli(plan_repo, "carry-over", "2019", "2021", "--lang", "zh")
    en = run_cli(plan_repo, "carry-over", "2019", "2021", "--lang", "en")
    assert zh.returncode == en.returncode == 2, zh.stderr
    assert "现有：2020" in zh.stderr and "found: 2020" in en.stderr, (zh.stderr, en.stderr)
