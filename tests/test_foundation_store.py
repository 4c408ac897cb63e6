"""Storage that respects the files, and one update = one commit (against real git repositories)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.commitmsg import trailers
from tracker.model import TrackerError
from tracker.store import StaleError, Workspace, blob_id
from tracker.yamlio import rt_dump, rt_load

from tests_support import BUNDLED_PLAN, commit_count, git


def test_round_trip_is_byte_identical_for_every_file():
    for path in sorted(BUNDLED_PLAN.rglob("*.yaml")):
        text = path.read_text("utf-8")
        assert rt_dump(rt_load(text, str(path))) == text, path


def test_load_the_bundled_plan(ws):
    data = ws.load()
    assert data.problems == []
    assert (len(data.tasks), len(data.targets)) == (60, 10)
    assert data.info.document == "宜政发〔2020〕160号"
    assert data.info.language == "zh"
    t5 = data.task(5)
    assert t5.id == "2020-05" and t5.lead == "市水利局" and t5.path == "plan/2020/tasks/05.yaml"
    assert [m.number for m in t5.measures] == [1, 2]


def test_status_change_is_a_one_line_diff_and_one_commit(ws, plan_repo):
    before = commit_count(plan_repo)
    res = ws.update_task(5, {"status": "in_progress"})
    assert commit_count(plan_repo) == before + 1
    assert git(plan_repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/tasks/05.yaml"]
    diff = git(plan_repo, "show", "--format=", "--unified=0", "HEAD")
    changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert changed == ["-status: not_started", "+status: in_progress"]
    assert res.short == git(plan_repo, "rev-parse", "--short=7", "HEAD").strip()
    assert git(plan_repo, "status", "--porcelain").strip() == ""


def test_hand_comments_and_key_order_survive_an_update(ws, plan_repo):
    path = plan_repo / "plan/2020/tasks/05.yaml"
    text = path.read_text("utf-8")
    text = "# 市水利局 每月报送\n" + text.replace("progress: 0", "progress: 0   # 上月 0\n# 手工备注", 1)
    # a hand-chosen key order: move note above status
    text = text.replace("note: ''\n", "").replace("status: not_started", "note: ''\nstatus: not_started", 1)
    path.write_text(text, encoding="utf-8")
    git(plan_repo, "commit", "-qam", "hand edit")
    ws.update_task(5, {"progress": 40})
    after = path.read_text("utf-8")
    assert after == text.replace("progress: 0   # 上月 0", "progress: 40  # 上月 0") or \
        after == text.replace("progress: 0   # 上月 0", "progress: 40   # 上月 0")
    diff = git(plan_repo, "show", "--format=", "--unified=0", "HEAD")
    assert sum(1 for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")) == 1


def test_multiline_note_is_a_literal_block(ws, plan_repo):
    ws.update_task(5, {"note": "第一行\n第二行"})
    text = (plan_repo / "plan/2020/tasks/05.yaml").read_text("utf-8")
    assert "note: |-\n  第一行\n  第二行\n" in text
    assert ws.load().task(5).note == "第一行\n第二行"


def test_commit_message_subject_body_trailers(ws, plan_repo):
    ws.update_task(5, {"status": "in_progress", "progress": "30", "note": "竺山圩工程已开工"})
    msg = git(plan_repo, "log", "-1", "--format=%B")
    subject, *_ = msg.splitlines()
    assert subject.startswith("2020-05 持续推进重点水利工程建设: ")
    assert "状态 未启动 → 推进中" in subject
    assert "状态: 未启动 → 推进中" in msg and "进度: 0 → 30" in msg and "竺山圩工程已开工" in msg
    tr = trailers(msg)
    assert tr["Tracker-Task"] == "2020-05"
    assert set(tr["Tracker-Fields"].split(", ")) == {"status", "progress", "note"}
    assert git(plan_repo, "log", "-1", "--format=%an <%ae>").strip() == "督查室 测试员 <tester@example.gov.cn>"


def test_messages_follow_the_plan_language(ws, plan_repo):
    plan = plan_repo / "plan/2020/plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("language: zh", "language: en"), encoding="utf-8")
    git(plan_repo, "commit", "-qam", "english log")
    ws.update_task(5, {"status": "done"})
    subject = git(plan_repo, "log", "-1", "--format=%s").strip()
    assert subject == "2020-05 持续推进重点水利工程建设: status not started → done"


def test_measure_status_change(ws, plan_repo):
    ws.update_task(5, {"measures.2.status": "done"})
    t = ws.load().task(5)
    assert [m.status for m in t.measures] == ["not_started", "done"]
    assert "Tracker-Fields: measures.2.status" in git(plan_repo, "log", "-1", "--format=%B")
    with pytest.raises(TrackerError, match="no measure 9"):
        ws.update_task(5, {"measures.9.status": "done"})


def test_no_change_no_commit(ws, plan_repo):
    before = commit_count(plan_repo)
    assert ws.update_task(5, {"status": "not_started", "progress": 0}) is None
    assert commit_count(plan_repo) == before


@pytest.mark.parametrize("changes, words", [
    ({"status": "finished"}, ["status", "not_started", "in_progress", "done", "blocked"]),
    ({"progress": "150"}, ["progress", "0 to 100"]),
    ({"progress": "abc"}, ["progress", "0 to 100"]),
    ({"due": "2020-13-01"}, ["due", "YYYY-MM-DD"]),
    ({"title": "x"}, ["title", "status"]),
])
def test_invalid_values_are_refused_and_nothing_is_touched(ws, plan_repo, changes, words):
    path = plan_repo / "plan/2020/tasks/05.yaml"
    before_bytes, before_head = path.read_bytes(), git(plan_repo, "rev-parse", "HEAD")
    with pytest.raises(TrackerError) as exc:
        ws.update_task(5, changes)
    for w in words:
        assert w in str(exc.value)
    assert path.read_bytes() == before_bytes
    assert git(plan_repo, "rev-parse", "HEAD") == before_head
    assert git(plan_repo, "status", "--porcelain") == ""


def test_other_staged_and_modified_files_stay_as_they_were(ws, plan_repo):
    staged = plan_repo / "plan/2020/tasks/07.yaml"
    staged.write_text(staged.read_text("utf-8").replace("progress: 0", "progress: 7"), encoding="utf-8")
    git(plan_repo, "add", str(staged))
    modified = plan_repo / "plan/2020/tasks/08.yaml"
    modified.write_text(modified.read_text("utf-8").replace("progress: 0", "progress: 8"), encoding="utf-8")
    (plan_repo / "notes.txt").write_text("草稿", encoding="utf-8")
    status_before = git(plan_repo, "status", "--porcelain")
    cached_before = git(plan_repo, "diff", "--cached")
    ws.update_task(5, {"status": "blocked"})
    assert git(plan_repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/tasks/05.yaml"]
    assert git(plan_repo, "status", "--porcelain") == status_before
    assert git(plan_repo, "diff", "--cached") == cached_before
    assert "progress: 8" in modified.read_text("utf-8")


def test_no_identity_is_a_clear_error_and_nothing_is_written(plan_repo, git_env, monkeypatch):
    git_env.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    monkeypatch.setenv("EMAIL", "")
    path = plan_repo / "plan/2020/tasks/05.yaml"
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="git config --global user.name"):
        Workspace(plan_repo).update_task(5, {"status": "done"})
    assert path.read_bytes() == before


def test_stale_expectation_is_refused(ws, plan_repo):
    data = ws.load()
    expect = data.digests["plan/2020/tasks/05.yaml"]
    path = plan_repo / "plan/2020/tasks/05.yaml"
    path.write_text(path.read_text("utf-8").replace("progress: 0", "progress: 5"), encoding="utf-8")
    with pytest.raises(StaleError, match="changed on disk"):
        ws.update_task(5, {"status": "done"}, expect=expect)
    assert "progress: 5" in path.read_text("utf-8") and "status: not_started" in path.read_text("utf-8")
    # with the fresh blob id the edit goes through
    ws.update_task(5, {"status": "done"}, expect=blob_id(path.read_bytes()))


def test_writes_are_atomic_no_temp_files_left(ws, plan_repo):
    ws.update_task(5, {"note": "进展顺利"})
    leftovers = [p.name for p in (plan_repo / "plan/2020/tasks").iterdir() if not p.name.endswith(".yaml")]
    assert leftovers == []


def test_validation_names_file_line_column_and_field(ws, plan_repo):
    p6 = plan_repo / "plan/2020/tasks/06.yaml"
    p6.write_text(p6.read_text("utf-8").replace("progress: 0", "progress: 120"), encoding="utf-8")
    p7 = plan_repo / "plan/2020/tasks/07.yaml"
    p7.write_text(p7.read_text("utf-8").replace("status: not_started", "status: finished", 1) + "owner: 张三\n",
                  encoding="utf-8")
    p8 = plan_repo / "plan/2020/tasks/08.yaml"
    p8.write_text("number: 8\ntitle: [unclosed\n", encoding="utf-8")
    data = ws.load()
    assert len(data.tasks) == 57, "the broken files are reported, the others still load"
    msgs = [str(p) for p in data.problems]
    line6 = p6.read_text("utf-8").splitlines().index("progress: 120") + 1
    assert any(m.startswith(f"plan/2020/tasks/06.yaml:{line6}:") and "progress" in m and "120" in m for m in msgs), msgs
    assert any(m.startswith("plan/2020/tasks/07.yaml:") and "status" in m and "finished" in m for m in msgs), msgs
    assert any(m.startswith("plan/2020/tasks/07.yaml:") and "owner" in m for m in msgs), msgs
    assert any(m.startswith("plan/2020/tasks/08.yaml:") for m in msgs), msgs
    assert set(data.broken_paths) == {"plan/2020/tasks/06.yaml", "plan/2020/tasks/07.yaml", "plan/2020/tasks/08.yaml"}


@pytest.mark.parametrize("edit, field", [
    (lambda s: s.replace("due: 2020-12-31", "due: 2020-02-30"), "2020-02-30"),
    (lambda s: s.replace("due: 2020-12-31", "due: 明年"), "due"),
    (lambda s: s.replace("  - 市水利局\n", ""), "units"),
    (lambda s: s.replace("title: 持续推进重点水利工程建设\n", ""), "title"),
    (lambda s: s.replace("number: 1\n    text:", "number: x\n    text:", 1), "measures"),
])
def test_types_dates_required_keys(ws, plan_repo, edit, field):
    p = plan_repo / "plan/2020/tasks/05.yaml"
    p.write_text(edit(p.read_text("utf-8")), encoding="utf-8")
    data = ws.load()
    assert data.task(5) is None
    assert any(pr.path == "plan/2020/tasks/05.yaml" and field in (pr.field + pr.message) for pr in data.problems), \
        [str(pr) for pr in data.problems]


def test_record_actual_is_one_commit(ws, plan_repo):
    ws.record_actual(1, "地区生产总值增长", "2020-Q3", 5.8, "前三季度")
    t = ws.load().target(1)
    assert t.indicators[0].latest().value == 5.8
    assert git(plan_repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/targets/01.yaml"]
    msg = git(plan_repo, "log", "-1", "--format=%B")
    assert trailers(msg)["Tracker-Target"] == "2020-T01"
    assert "地区生产总值增长 2020-Q3 实际值: （空） → 5.8" in msg
    assert "地区生产总值增长 2020-Q3 实际值说明: （空） → 前三季度" in msg
    assert "indicators." not in msg.split("\n\n")[0]
    with pytest.raises(TrackerError, match="period"):
        ws.record_actual(1, "地区生产总值增长", "Q3", 1.0)
    with pytest.raises(TrackerError, match="outside the 2020 plan"):
        ws.record_actual(1, "地区生产总值增长", "2026-11", 1.0)
