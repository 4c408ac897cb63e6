"""Follow-up where the cycle needs it (issue 13 §3): every reason to chase a unit, the 催办单 for
one unit with its sending recorded (第2次催办), on a real repository with Chinese data."""
from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests_support import commit_count, git, make_plan_repo, run_cli  # noqa: E402

from tracker import analytics as an  # noqa: E402
from tracker.model import TrackerError  # noqa: E402


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    p = repo / rel
    text = p.read_text("utf-8")
    assert old in text, (rel, old)
    p.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def repo(tmp_path):
    r = make_plan_repo(tmp_path / "r")
    # 2020-05 (市水利局): measure 1 has its own milestone, June 30th, and is not done
    _edit(r, "plan/2020/tasks/05.yaml", "    text: 加速竺山圩退圩还湖、环太湖大堤剩余工程建设。\n    status: not_started\n",
          "    text: 加速竺山圩退圩还湖、环太湖大堤剩余工程建设。\n    status: not_started\n    due: 2020-06-30\n")
    # 2020-01: assigned in October (its own start), due at the year's end
    _edit(r, "plan/2020/tasks/01.yaml", "due: 2020-12-31", "start: 2020-10-01\ndue: 2020-12-31")
    # 2020-02: nearly finished, due mid-July
    _edit(r, "plan/2020/tasks/02.yaml", "status: not_started\nprogress: 0\ndue: 2020-12-31",
          "status: in_progress\nprogress: 95\ndue: 2020-07-15")
    # 2020-03: the unit applied for closure
    _edit(r, "plan/2020/tasks/03.yaml", "status: not_started\nprogress: 0", "status: done\nprogress: 100")
    when = {"GIT_AUTHOR_DATE": "2020-06-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2020-06-01T10:00:00+08:00"}
    git(r, "commit", "--amend", "-qa", "--no-edit", "--reset-author", env=when)  # one seed, dated in the plan's year
    return r


def _load(repo: Path):
    from tracker.store import Workspace

    return Workspace(repo).load()


def _flat(groups):
    return {(r.task.id, r.reason): r for rs in groups.values() for r in rs}


def test_every_reason_to_chase(repo):
    data = _load(repo)
    flat = _flat(an.reminders(data, date(2020, 7, 10)))
    # a measure's milestone passed 10 days ago while the measure is open
    assert flat[("2020-05", "milestone")].days == 10 and flat[("2020-05", "milestone")].measure == 1
    # assigned January 1st (the plan's start), still 已交办 (not_started) in July: not acknowledged
    assert flat[("2020-05", "unacked")].days == 191
    # 52 % of the year gone, nothing done: a red light, not yet overdue
    assert flat[("2020-05", "red")].days == 52 and ("2020-05", "overdue") not in flat
    # due in 5 days, on schedule: due soon
    assert flat[("2020-02", "due_soon")].days == 5 and ("2020-02", "unacked") not in flat
    # applied for closure: not chased, but waiting for the office
    assert not any(tid == "2020-03" for tid, _ in flat)
    assert [t.id for t in an.awaiting_review(data)] == ["2020-03"]
    # a unit's reasons are ordered most serious first
    order = [r.reason for r in an.reminders(data, date(2020, 7, 10))["市水利局"] if r.task.id == "2020-05"]
    assert order == ["red", "unacked", "milestone"]
    assert an.reason_text(flat[("2020-05", "milestone")], "zh") == "措施1节点已过10天"
    assert an.reason_text(flat[("2020-05", "unacked")], "en") == "not acknowledged 191 days after assignment"


def test_an_item_assigned_in_october_is_chased_from_october(repo):
    data = _load(repo)
    early = _flat(an.reminders(data, date(2020, 10, 3)))
    assert ("2020-01", "red") not in early and ("2020-01", "unacked") not in early  # 2 days after 交办
    later = _flat(an.reminders(data, date(2020, 10, 10)))
    assert later[("2020-01", "unacked")].days == 9
    assert ("2020-01", "red") not in later  # 10 % of its own period gone: not 30 points behind
    november = _flat(an.reminders(data, date(2020, 11, 10)))
    assert november[("2020-01", "red")].days == round(100 * 40 / 91)  # from its own start, not January


def test_ack_days_from_plan_yaml(repo):
    _edit(repo, "plan/2020/plan.yaml", "  reporting_cycle_days: 30", "  reporting_cycle_days: 30\n  ack_days: 20")
    flat = _flat(an.reminders(_load(repo), date(2020, 10, 10)))
    assert ("2020-01", "unacked") not in flat
    _edit(repo, "plan/2020/plan.yaml", "ack_days: 20", "ack_days: 三天")
    with pytest.raises(TrackerError) as e:
        an.reminders(_load(repo), date(2020, 10, 10))
    assert "settings.ack_days" in str(e.value) and "三天" in e.value.text("zh")


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append("|".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_reminder_note_for_one_unit_is_recorded(repo, tmp_path):
    before = commit_count(repo)
    out = tmp_path / "催办单.docx"
    r = run_cli(repo, "remind", "--unit", "市水利局", "--as-of", "2020-07-10", "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert commit_count(repo) == before + 1
    assert "催办〔2020〕1号" in r.stdout and "第1次催办" in r.stdout
    text = _docx_text(out)
    assert "督查督办催办单" in text and "市水利局：" in text and "第1次催办" in text
    assert "宜兴市人民政府督查室" in text and "2020年7月10日" in text
    row = next(line for line in text.splitlines() if line.startswith("1|2020-05|"))
    assert "措施1节点已过10天" in row and "交办191天未签收" in row and row.endswith("|第1次")
    log = (repo / "plan/2020/reminders.yaml").read_text("utf-8")
    assert "unit: \"市水利局\"" in log and "- \"2020-05\"" in log
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject.startswith("催办 市水利局：") and "第1次催办" in subject
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/reminders.yaml"]
    # the second note says so, for the unit and for each item named before
    out2 = tmp_path / "第二次.docx"
    r = run_cli(repo, "remind", "--unit", "市水利局", "--as-of", "2020-07-20", "--format", "docx", "-o", str(out2))
    assert r.returncode == 0, r.stderr
    text2 = _docx_text(out2)
    assert "催办〔2020〕2号" in text2 and "第2次催办" in text2
    assert re.search(r"^1\|2020-05\|.*\|第2次$", text2, re.M)
    assert commit_count(repo) == before + 2
    # the task files were not touched; the plan still loads
    assert run_cli(repo, "list", "--format", "json").returncode == 0


def test_reminder_note_needs_one_unit_and_a_file(repo, tmp_path):
    before = commit_count(repo)
    r = run_cli(repo, "remind", "--format", "docx", "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "--unit" in r.stderr
    r = run_cli(repo, "remind", "--unit", "市水利局", "--format", "docx")
    assert r.returncode == 2 and "-o" in r.stderr
    r = run_cli(repo, "remind", "--unit", "市", "--format", "docx", "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "市水利局" in r.stderr
    assert commit_count(repo) == before and not (tmp_path / "x.docx").exists()


def test_counts_by_kind_and_stage_and_the_review_list_in_the_bulletin(repo, tmp_path):
    data = _load(repo)
    counts = dict(an.stage_counts(data, date(2020, 7, 20)))
    assert set(counts) == {"plan", "total"}  # no `kind:` yet: every task is 重点工作
    total = counts["total"]
    assert total["review"] == 1 and total["in_progress"] == 1 and total["assigned"] == 58
    assert total["overdue"] == 1  # 2020-02, due July 15th
    assert an.kind_label("plan", "zh") == "重点工作" and an.kind_label("批示件", "zh") == "批示件"
    out = tmp_path / "通报.md"
    r = run_cli(repo, "report", "--as-of", "2020-07-20", "--format", "md", "-o", str(out))
    assert r.returncode == 0, r.stderr
    md = out.read_text("utf-8")
    assert "| 类型 | 已交办 | 已签收 | 推进中 | 申请办结 | 已销号 | 退回 | 逾期 |" in md  # the cycle's stage names
    assert "| 重点工作 | 58 | 0 | 1 | 1 | 0 | 0 | 1 |" in md
    review = md[md.index("### 申请办结，待审核（1项"):]
    assert "2020-03" in review.split("\n## ")[0]
