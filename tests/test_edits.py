"""tracker.edits: the checks of an edit speak both languages.  `str(err)` stays the English text it
always was (scripts and tests read it); `err.text("zh")` is Chinese, named by a label-book key; the
CLI prints the user's language.  A value typed into a TUI dialog is read exactly as tracker.inputs
reads it (a differential test)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests_support import run_cli
from tracker.edits import apply_task_changes, parse_typed, validate_changes, validate_period
from tracker.i18n import BOOK
from tracker.inputs import InputError, parse_date, parse_int
from tracker.model import TrackerError

#: (the edit, the English text it had before the errors got keys, words its Chinese text holds)
CASES = [
    ({"status": "finished"}, "status: 'finished' is not a status; allowed: not_started, in_progress, done, blocked "
                             "(未启动, 推进中, 已完成, 受阻)", ["状态", "不是状态"]),
    ({"measures.2.status": "x"}, "measures.2.status: 'x' is not a status; allowed: not_started, in_progress, done, "
                                 "blocked (未启动, 推进中, 已完成, 受阻)", ["措施2 状态", "不是状态"]),
    ({"progress": "150"}, "progress: 150 is out of range; allowed: 0 to 100", ["进度：150 超出范围；允许 0 到 100"]),
    ({"progress": -1}, "progress: -1 is out of range; allowed: 0 to 100", ["进度", "超出范围"]),
    ({"progress": "abc"}, "progress: 'abc' is not a whole number; allowed: 0 to 100", ["进度", "不是整数"]),
    ({"due": "2020-13-01"}, "due: '2020-13-01' is not a date; use YYYY-MM-DD, e.g. 2020-12-31", ["完成时限", "不是日期"]),
    ({"note": 5}, "note: must be text", ["进展情况：必须是文字"]),
    ({"title": "x"}, "title: not a field that can be set (settable: status, progress, due, note, problems, next_steps)",
     ["不是可修改的字段"]),
    ({"measures.2.text": "x"}, "measures.2.text: only a measure's status can be set (measures.N.status)",
     ["措施只能修改状态"]),
]


@pytest.mark.parametrize("changes, english, chinese", CASES)
def test_an_edit_error_keeps_its_english_text_and_has_a_chinese_one(changes, english, chinese):
    with pytest.raises(TrackerError) as info:
        validate_changes(changes, "2020-05")
    err = info.value
    assert str(err) == english
    assert err.key in BOOK and err.key.startswith("edit.")
    assert err.text("en") == english
    zh = err.text("zh")
    for words in chinese:
        assert words in zh, zh
    assert not re.search(r"\b(is|not|must|allowed|range|whole|number|date)\b", zh.split("（")[0].replace("not_started", "")), zh


def test_period_and_measure_errors_have_both_languages():
    with pytest.raises(TrackerError) as info:
        validate_period("2020-13")
    assert str(info.value) == ("period: '2020-13' is not a period (use 2020-09 for a month, 2020-Q3 for a quarter, "
                               "2020-H1 or 2020)")
    assert "不是期间" in info.value.text("zh")
    tree = {"measures": [{"number": 1, "status": "done"}]}
    with pytest.raises(TrackerError) as info:
        apply_task_changes(tree, {"measures.9.status": "done"}, "2020-05")
    assert str(info.value) == "task 2020-05 has no measure 9 (it has: 1)"
    assert info.value.text("zh") == "任务 2020-05 没有措施 9（现有：1）"
    with pytest.raises(TrackerError) as info:
        apply_task_changes({"measures": []}, {"measures.9.status": "done"}, "2020-05")
    assert str(info.value) == "task 2020-05 has no measure 9 (it has: none)"
    assert "没有任何措施" in info.value.text("zh")


def test_the_cli_prints_a_keyed_error_in_the_users_language(plan_repo):
    args = ("actual", "1", "--indicator", "地区生产总值增长", "--period", "2020-13", "--value", "5")
    r = run_cli(plan_repo, *args, "--lang", "zh")
    assert r.returncode == 2 and r.stderr.startswith("tracker: 期间：'2020-13' 不是期间"), r.stderr
    assert "is not a period" not in r.stderr  # the Chinese user reads Chinese only
    r = run_cli(plan_repo, *args, "--lang", "en")
    assert r.returncode == 2 and r.stderr.startswith("tracker: period: '2020-13' is not a period"), r.stderr
    assert "期间" not in r.stderr


# -- a value typed into a dialog: the same as tracker.inputs, with keys ---------------------------
TYPED = ["50", "０", "５０", "100", "101", "-1", "+7", "50%", "５０％", " 7 ", "", "abc", "三十", "٥٠", "1e2", "7.5",
         "2020-10-31", "２０２０－１０－３１", "2020-13-01", "2020-02-30", "2020-W01", "20200101", "1999-12-31",
         "2100-01-01", "2020-1-1", "۲۰۲۰-01-01"]


def _same(key: str, text: str, inputs_parse) -> None:
    try:
        want = inputs_parse(text)
    except InputError as exc:
        with pytest.raises(TrackerError) as info:
            parse_typed(key, text)
        assert str(info.value) == str(exc)
        assert info.value.key in BOOK
        zh = info.value.text("zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and "allowed" not in zh and "not a date" not in zh, zh
        return
    assert parse_typed(key, text) == want


@pytest.mark.parametrize("text", TYPED)
def test_typed_values_are_read_as_tracker_inputs_reads_them(text):
    _same("progress", text, lambda s: parse_int(s, 0, 100))
    _same("due", text, parse_date)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１２３４５６７８９-－%+ .٥W", max_size=12))
def test_typed_values_differential(text):
    _same("progress", text, lambda s: parse_int(s, 0, 100))
    _same("due", text, parse_date)


def test_typed_values_give_their_types():
    assert parse_typed("progress", "５０％") == 50
    assert parse_typed("due", "２０２０－１０－３１") == date(2020, 10, 31)


def test_save_errors_keep_their_english_and_speak_chinese(ws, plan_repo):
    """The save's refusals (tracker.store_save) and a recorded actual's (tracker.store) carry keys too."""
    from tracker.store import StaleError

    with pytest.raises(StaleError) as info:
        ws.update_task(5, {"note": "x"}, expect="0" * 40)
    assert str(info.value) == ("plan/2020/tasks/05.yaml changed on disk since it was shown (by another window, a hand "
                               "edit or a sync); your edit was not saved, reload and try again")
    assert "已被改动" in info.value.text("zh") and "plan/2020/tasks/05.yaml" in info.value.text("zh")
    with pytest.raises(TrackerError) as info:
        ws.record_actual(1, "地区生产总值增长", "2019-09", 5.0)
    assert str(info.value) == ("period: '2019-09' is outside the 2020 plan; use a period of 2020, e.g. 2020-09 or "
                               "2020-Q3")
    assert info.value.text("zh").startswith("期间：'2019-09' 不在 2020 年计划之内")
    with pytest.raises(TrackerError) as info:
        ws.record_actual(1, "没有这个指标", "2020-09", 5.0)
    assert str(info.value).startswith("target 1 has no indicator '没有这个指标' (it has: ")
    assert info.value.text("zh").startswith("目标 1 没有指标 '没有这个指标'（现有：")
    bad = plan_repo / "plan/2020/tasks/06.yaml"
    bad.write_text(bad.read_text("utf-8").replace("progress: 0", "progress: 150"), encoding="utf-8")
    with pytest.raises(TrackerError) as info:
        ws.update_task(6, {"note": "x"})
    assert str(info.value).startswith("plan/2020/tasks/06.yaml has problems; fix them before editing:\n  ")
    assert info.value.text("zh").startswith("plan/2020/tasks/06.yaml 有问题，请先修正再修改：\n  ")


def test_repository_state_refusals_speak_chinese(ws, plan_repo):
    from tests_support import git

    sha = git(plan_repo, "rev-parse", "HEAD").strip()
    git(plan_repo, "checkout", "-q", "--detach")
    with pytest.raises(TrackerError) as info:
        ws.update_task(5, {"note": "x"})
    assert str(info.value) == (f"HEAD is detached (at {sha[:7]}, not on a branch): a save now would make a commit no "
                               "branch holds. Nothing was saved. Go back to the branch with `git switch main` (or keep "
                               "this state as a branch with `git switch -c NAME`), then save again.")
    assert info.value.text("zh").startswith(f"HEAD 处于分离状态（在 {sha[:7]}")
    git(plan_repo, "checkout", "-q", "main")
    (ws.git.git_dir / "MERGE_HEAD").write_text(sha + "\n")
    with pytest.raises(TrackerError) as info:
        ws.update_task(5, {"note": "x"})
    assert str(info.value) == ("the repository is in the middle of a merge (.git/MERGE_HEAD exists): a save now could "
                               "mix your change into it. Nothing was saved. Finish it with `tracker sync` (or give it up "
                               "with `git merge --abort`), then save again.")
    assert info.value.text("zh").startswith("仓库正处于合并过程中（.git/MERGE_HEAD 存在）")
