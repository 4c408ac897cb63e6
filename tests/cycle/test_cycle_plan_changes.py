"""Changes of the plan itself (issue 13 §1): a due change is always an extension (延期) with its
reason; adding or removing a measure says so in the subject.  A temp copy of the bundled plan,
real git, the real entry point."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests_support import commit_count, git, run_cli

TASK = "plan/2020/tasks/05.yaml"


def ok(repo: Path, *args: str, lang: str = "zh") -> str:
    r = run_cli(repo, "--lang", lang, *args)
    assert r.returncode == 0, r.stderr + r.stdout
    return r.stdout


def refused(repo: Path, *args: str, lang: str = "en") -> str:
    before = commit_count(repo)
    r = run_cli(repo, "--lang", lang, *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert commit_count(repo) == before and git(repo, "status", "--porcelain") == ""  # nothing written
    return " ".join(r.stderr.split())


def message(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%B")


def audit_ok(repo: Path) -> None:
    from tracker.audit import audit_commits
    from tracker.store import Workspace

    assert audit_commits(Workspace(repo), "HEAD") == []


@pytest.mark.parametrize("cmd", ["edit", "set"])
def test_a_due_change_is_an_extension_with_its_reason(plan_repo, cmd):
    old_due = json.loads(ok(plan_repo, "show", "5", "--format", "json"))["due"]
    # no reason: refused naming the field, in both languages
    text = refused(plan_repo, cmd, "5", "--due", "2021-03-31", *(("--reason", " ") if cmd == "edit" else ()))
    assert "due" in text and "extension" in text and "reason" in text, text
    zh = refused(plan_repo, cmd, "5", "--due", "2021-03-31", *(("--reason", " ") if cmd == "edit" else ()), lang="zh")
    assert "延期" in zh and "理由" in zh, zh
    # with other fields: refused (an extension is a commit of its own)
    other = ("--title", "新标题") if cmd == "edit" else ("--progress", "40")
    text = refused(plan_repo, cmd, "5", "--due", "2021-03-31", "--reason", "工程量增加", *other)
    assert "due" in text and "alone" in text, text
    before = commit_count(plan_repo)
    ok(plan_repo, cmd, "5", "--due", "2021-03-31", "--reason", "工程量增加")
    assert commit_count(plan_repo) == before + 1
    msg = message(plan_repo)
    assert msg.splitlines()[0] == f"2020-05 延期 {old_due} → 2021-03-31：工程量增加"
    assert "Tracker-Step: extend" in msg and "Tracker-Fields: due, extensions" in msg
    item = json.loads(ok(plan_repo, "show", "5", "--format", "json"))
    assert item["due"] == "2021-03-31"
    assert [(e["from"], e["to"], e["reason"]) for e in item["extensions"]] == [(old_due, "2021-03-31", "工程量增加")]
    audit_ok(plan_repo)


def test_set_reason_without_due_is_refused(plan_repo):
    text = refused(plan_repo, "set", "5", "--progress", "40", "--reason", "x")
    assert "--reason goes with --due" in text


def test_measure_add_and_remove_subjects_say_so(plan_repo):
    ok(plan_repo, "measure", "add", "5", "--text", "完成竺山圩工程验收", "--reason", "分管领导要求")
    msg = message(plan_repo)
    assert msg.splitlines()[0].endswith("：新增措施3") or msg.splitlines()[0].endswith(": 新增措施3"), msg
    assert "措施3: （空） → 完成竺山圩工程验收" in msg
    ok(plan_repo, "measure", "remove", "5", "1", "--reason", "已并入措施2")
    msg = message(plan_repo)
    assert msg.splitlines()[0].endswith("删除措施1"), msg
    removed = git(plan_repo, "show", "HEAD~1:" + TASK)
    first = [ln for ln in removed.splitlines() if ln.strip().startswith("text:")][0].split("text:", 1)[1].strip()
    assert f"措施1: {first.strip(chr(34))} → （空）" in msg or "措施1:" in msg
    assert "更新措施" not in msg
    ok(plan_repo, "measure", "add", "5", "--text", "新措施", "--reason", "补充", lang="en")
    assert message(plan_repo).splitlines()[0].endswith("add measure 4")
    ok(plan_repo, "measure", "remove", "5", "4", "--reason", "撤回", lang="en")
    assert message(plan_repo).splitlines()[0].endswith("remove measure 4")
    audit_ok(plan_repo)


def test_a_stage_column_has_one_name_in_the_dashboard_and_the_bulletin():
    """A count column names its stage the same way on the dashboard (analytics' stage.*) and in every
    bulletin format (report.stage_head.*), in the issue's words (交办 N, 签收 N, 办结待审 N, 销号 N); an
    item's own state keeps the cycle's name (cycle.stage_label: 已交办, 申请办结)."""
    from tracker import analytics as an
    from tracker.cycle import stage_label
    from tracker.i18n import say

    import tracker.report.labels  # noqa: F401  (registers report.stage_head.*)

    for col in an.STAGE_STATE:
        assert say(f"stage.{col}", "zh") == say(f"report.stage_head.{col}", "zh"), col
    assert set(an.STAGES) - set(an.STAGE_STATE) == {"returned", "overdue"}  # not states: their own words
    assert [say(f"stage.{c}", "zh") for c in ("assigned", "acked", "review", "closed")] == ["交办", "签收", "办结待审", "销号"]
    assert stage_label("done", "zh") == "申请办结" and stage_label("not_started", "zh") == "已交办"
