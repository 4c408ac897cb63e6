"""The cycle on the command line: a temp copy of the bundled plan, real git, the real entry point."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests_support import commit_count, git, run_cli

TASK = "plan/2020/tasks/05.yaml"


def cli(repo: Path, *args: str):
    return run_cli(repo, "--lang", "zh", *args)


def ok(repo: Path, *args: str) -> str:
    r = cli(repo, *args)
    assert r.returncode == 0, r.stderr + r.stdout
    return r.stdout


def refused(repo: Path, *args: str, lang: str = "en") -> str:
    """The refusal's text (in `lang`: the English text by default); exit 2 and nothing written."""
    before = commit_count(repo)
    r = run_cli(repo, "--lang", lang, *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert commit_count(repo) == before and git(repo, "status", "--porcelain") == ""  # nothing written
    return " ".join(r.stderr.split())


def message(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev)


def complete(repo: Path, task: str = "5") -> None:
    ok(repo, "set", task, "--progress", "100", "--measure", "1", "--measure-status", "done",
       "--measure", "2", "--measure-status", "done")


def test_the_whole_cycle_one_commit_each(plan_repo):
    start = commit_count(plan_repo)
    ok(plan_repo, "ack", "5")
    msg = message(plan_repo)
    assert msg.splitlines()[0] == "2020-05 已签收：持续推进重点水利工程建设"
    assert "状态: 未启动 → 已签收" in msg and "Tracker-Step: ack" in msg and "Tracker-Task: 2020-05" in msg
    diff = git(plan_repo, "diff", "HEAD~1", "--", TASK)
    assert [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")] == \
        ["-status: not_started", "+status: acked", "+acked: " + git(plan_repo, "log", "-1", "--format=%as").strip()]
    out = refused(plan_repo, "ack", "5")
    assert "acknowledged" in out and "tracker finish" in out

    complete(plan_repo)
    ok(plan_repo, "finish", "5", "--report", "竺山圩退圩还湖主体完工\n新孟河通水")
    msg = message(plan_repo)
    assert msg.splitlines()[0] == "2020-05 申请办结：竺山圩退圩还湖主体完工 新孟河通水"
    assert "Tracker-Step: finish" in msg and "办结报告:" in msg
    text = (plan_repo / TASK).read_text("utf-8")
    assert "status: done" in text and "新孟河通水" in text

    ok(plan_repo, "return", "5", "--reason", "佐证材料不全")
    assert message(plan_repo).splitlines()[0] == "2020-05 退回重办（第1次）：佐证材料不全"
    ok(plan_repo, "finish", "5", "--report", "补充了佐证材料")
    ok(plan_repo, "return", "5", "--reason", "验收报告未盖章")
    msg = message(plan_repo)
    assert msg.splitlines()[0] == "2020-05 退回重办（第2次）：验收报告未盖章"
    assert "状态: 已完成 → 推进中" in msg and "Tracker-Returns: 2" in msg
    assert "退回重办（第2次）：" in msg and "督查室 测试员：验收报告未盖章" in msg
    ok(plan_repo, "finish", "5", "--report", "已盖章")
    ok(plan_repo, "close", "5")
    assert message(plan_repo).splitlines()[0] == "2020-05 已销号：持续推进重点水利工程建设"
    assert commit_count(plan_repo) == start + 8  # ack, set, 3 finish, 2 return, close
    out = refused(plan_repo, "close", "5")
    assert "is closed" in out and "tracker return" in out
    import json

    shown = json.loads(ok(plan_repo, "show", "5", "--format", "json"))
    assert shown["status"] == "closed" and [r["reason"] for r in shown["returns"]] == ["佐证材料不全", "验收报告未盖章"]


def test_closing_an_item_nobody_applied_to_close_is_refused(plan_repo):
    out = refused(plan_repo, "close", "5")
    assert "2020-05 is assigned: it cannot be closed" in out
    for step in ("tracker ack", "tracker finish", "tracker cancel", "tracker extend"):
        assert step in out
    refused(plan_repo, "return", "5", "--reason", "x")


def test_finish_with_open_work_needs_force_and_names_it(plan_repo):
    ok(plan_repo, "set", "5", "--progress", "55", "--measure", "1", "--measure-status", "done")
    out = refused(plan_repo, "finish", "5", "--report", "差不多了")
    assert "progress 55%" in out and "measures 2 not done" in out and "--force" in out
    ok(plan_repo, "finish", "5", "--report", "差不多了", "--force")
    assert "status: done" in (plan_repo / TASK).read_text("utf-8")


def test_set_done_with_open_work_needs_force(plan_repo):
    out = refused(plan_repo, "set", "5", "--status", "done")
    assert "progress 0%" in out and "measures 1, 2 not done" in out
    ok(plan_repo, "set", "5", "--status", "done", "--force")
    assert message(plan_repo).splitlines()[0].startswith("2020-05 ")


def test_progress_100_with_every_measure_done_offers_finish(plan_repo):
    ok(plan_repo, "set", "5", "--progress", "100", "--measure", "1", "--measure-status", "done")
    out = ok(plan_repo, "set", "5", "--measure", "2", "--measure-status", "done")
    assert "可申请办结" in out and "tracker finish 2020-05" in out
    out = ok(plan_repo, "set", "6", "--progress", "100")  # measures still open: no offer
    assert "申请办结" not in out


def test_set_cannot_close_or_cancel(plan_repo):
    out = refused(plan_repo, "set", "5", "--status", "已销号")
    assert "use tracker close 2020-05" in out
    refused(plan_repo, "set", "5", "--status", "cancelled")
    ok(plan_repo, "cancel", "5", "--reason", "任务调整")
    out = refused(plan_repo, "set", "5", "--status", "in_progress")
    assert "cancelled" in out and "tracker undo" in out


def test_cancel_then_every_step_is_refused(plan_repo):
    ok(plan_repo, "cancel", "5", "--reason", "市政府调整工作安排")
    msg = message(plan_repo)
    assert msg.splitlines()[0] == "2020-05 已撤销：市政府调整工作安排" and "Tracker-Step: cancel" in msg
    assert "撤销：" in msg and "市政府调整工作安排" in msg
    for args in (("ack", "5"), ("finish", "5", "--report", "r", "--force"), ("close", "5"),
                 ("return", "5", "--reason", "r"), ("extend", "5", "--due", "2021-01-31", "--reason", "r")):
        out = refused(plan_repo, *args)
        assert "is cancelled" in out and "allowed from this state: none" in out


def test_extend_keeps_old_new_and_reason(plan_repo):
    ok(plan_repo, "extend", "5", "--due", "2021-03-31", "--reason", "汛期影响施工")
    msg = message(plan_repo)
    assert msg.splitlines()[0] == "2020-05 延期 2020-12-31 → 2021-03-31：汛期影响施工"
    assert "完成时限: 2020-12-31 → 2021-03-31" in msg and "Tracker-Fields: due, extensions" in msg
    text = (plan_repo / TASK).read_text("utf-8")
    assert "due: 2021-03-31" in text and "from: 2020-12-31" in text and "reason: 汛期影响施工" in text
    out = refused(plan_repo, "extend", "5", "--due", "2021-03-31", "--reason", "again")
    assert "already due 2021-03-31" in out
    r = cli(plan_repo, "extend", "5", "--due", "2021-02-30", "--reason", "x")
    assert r.returncode == 2


def test_missing_reason_or_report_is_an_argument_error(plan_repo):
    for args in (("return", "5"), ("cancel", "5"), ("finish", "5"), ("extend", "5", "--reason", "r")):
        r = cli(plan_repo, *args, "--lang", "en")  # argparse's English words; zh: 缺少必需的参数
        assert r.returncode == 2 and "required" in r.stderr
    out = refused(plan_repo, "cancel", "5", "--reason", "   ")
    assert "needs a reason" in out


def test_an_old_repository_works_unchanged(plan_repo):
    """Migration: no rewrite.  `done` reads as 申请办结 (closable), `not_started` as 已交办 (ackable)."""
    ok(plan_repo, "set", "7", "--status", "done", "--force")  # as an older tracker left it
    before = commit_count(plan_repo)
    ok(plan_repo, "close", "7")
    ok(plan_repo, "ack", "5")
    ok(plan_repo, "set", "6", "--status", "in_progress")
    ok(plan_repo, "finish", "6", "--report", "完成", "--force")
    assert commit_count(plan_repo) == before + 4
    r = run_cli(plan_repo, "check")
    assert r.returncode == 0, r.stdout + r.stderr


# -- undo ----------------------------------------------------------------------------------------
def test_undo_restores_the_previous_values_in_a_new_commit(plan_repo):
    ok(plan_repo, "set", "5", "--progress", "30", "--note", "第一次")
    first = (plan_repo / TASK).read_bytes()
    ok(plan_repo, "set", "5", "--progress", "60", "--status", "in_progress", "--note", "第二次")
    head = git(plan_repo, "rev-parse", "HEAD").strip()
    out = ok(plan_repo, "undo", "5")
    assert "撤销上次修改" in out
    assert (plan_repo / TASK).read_bytes() == first
    msg = message(plan_repo)
    assert "进度: 60 → 30" in msg and "Tracker-Step: undo" in msg and f"Tracker-Undo: {head}" in msg
    assert git(plan_repo, "rev-parse", "HEAD~1").strip() == head  # history kept, nothing rewritten


def test_undo_of_a_step(plan_repo):
    before = (plan_repo / TASK).read_bytes()
    ok(plan_repo, "cancel", "5", "--reason", "误操作")
    ok(plan_repo, "undo", "5")
    assert (plan_repo / TASK).read_bytes() == before
    ok(plan_repo, "undo", "5")  # undoing the undo cancels again
    assert "status: cancelled" in (plan_repo / TASK).read_text("utf-8")


def test_undo_refuses_what_it_cannot_undo(plan_repo):
    out = refused(plan_repo, "undo", "5")  # its last change created the file
    assert "created its file" in out
    ok(plan_repo, "set", "5", "--progress", "10")
    (plan_repo / TASK).write_text((plan_repo / TASK).read_text("utf-8").replace("progress: 10", "progress: 11"), "utf-8")
    r = run_cli(plan_repo, "--lang", "en", "undo", "5")
    assert r.returncode == 2 and "not committed" in r.stderr
    git(plan_repo, "checkout", "--", TASK)
    # a sync merge brought the last change
    git(plan_repo, "checkout", "-q", "-b", "other", "HEAD~1")
    ok(plan_repo, "set", "5", "--note", "另一处的修改")
    git(plan_repo, "checkout", "-q", "main")
    git(plan_repo, "merge", "-q", "--no-ff", "-m", "sync: merge", "other")
    out = refused(plan_repo, "undo", "5")
    assert "sync merge" in out


def test_log_shows_entries_readably(plan_repo):
    ok(plan_repo, "extend", "5", "--due", "2021-03-31", "--reason", "汛期影响施工")
    out = ok(plan_repo, "log", "5", "-n", "1")
    assert "2020-12-31 2021-03-31 汛期影响施工" in out and "{" not in out


OFFICES = """offices:
  - name: 督查室
    role: supervisor
    members: []
  - name: 水利局办公室
    role: unit
    units: [市水利局]
    members: []
"""


def test_a_unit_office_clone_may_ack_and_finish_its_own_items_only(plan_repo):
    (plan_repo / "offices.yaml").write_text(OFFICES, "utf-8")
    git(plan_repo, "add", "offices.yaml")
    git(plan_repo, "commit", "-q", "-m", "offices")
    git(plan_repo, "config", "--local", "tracker.office", "水利局办公室")
    ok(plan_repo, "ack", "5")                                   # 市水利局 leads 2020-05
    ok(plan_repo, "finish", "5", "--report", "完成", "--force")
    out = refused(plan_repo, "close", "5")                      # the office's step
    assert "may not take this step" in out and "supervisor-only" in out
    refused(plan_repo, "extend", "5", "--due", "2021-01-31", "--reason", "r")
    out = refused(plan_repo, "ack", "6")                        # not its item
    assert "unit-status" in out
    git(plan_repo, "config", "--local", "tracker.office", "督查室")
    ok(plan_repo, "close", "5")
    git(plan_repo, "config", "--local", "tracker.office", "水利局办公室")
    out = refused(plan_repo, "undo", "5")                       # undoing a close is reopening it
    assert "may not take this step" in out


def test_refusals_speak_the_users_language(plan_repo):
    out = refused(plan_repo, "close", "5", lang="zh")
    assert "2020-05 当前状态为「已交办」，不能销号" in out and "签收（tracker ack）" in out
    out = refused(plan_repo, "finish", "5", "--report", "r", lang="zh")
    assert "尚有未完成事项：进度 0%；措施 1、2 未完成" in out


def test_list_names_each_state_as_the_cycle_does(plan_repo):
    """One state, one name: `tracker list` says 已交办 / 已签收 / 申请办结 as the TUI and the cycle do."""
    ok(plan_repo, "ack", "5")
    ok(plan_repo, "finish", "6", "--report", "完成", "--force")
    out = ok(plan_repo, "list")
    rows = {ln.split()[0]: ln for ln in out.splitlines() if ln.strip()}
    assert "已签收" in rows["2020-05"] and "申请办结" in rows["2020-06"] and "已交办" in rows["2020-07"]
    assert "未启动" not in out
