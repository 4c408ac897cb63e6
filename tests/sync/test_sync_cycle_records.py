"""Records two offices append at the same time survive the sync (issue 13): the 催办单 log
(plan/<year>/reminders.yaml) and an item's 退回 / 延期 entries are unions, never a conflict and
never a dropped entry.  Two clones of a bare remote, real git, the real entry point."""
from __future__ import annotations

import json

from tests_support import git, run_cli


def ok(repo, *args):
    r = run_cli(repo, "--lang", "zh", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def _records(repo):
    from tracker.reminders import read_log
    from tracker.store import Workspace

    return read_log(Workspace(repo))


def test_two_offices_each_record_a_reminder_note_both_survive(offices, tmp_path):
    a, b, _ = offices
    ok(a, "remind", "--unit", "市水利局", "--format", "docx", "-o", str(tmp_path / "a.docx"))
    ok(b, "remind", "--unit", "市财政局", "--format", "docx", "-o", str(tmp_path / "b.docx"))
    ok(a, "sync")
    ok(b, "sync")   # both created reminders.yaml: the merge keeps both records
    ok(a, "sync")
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")
    for repo in (a, b):
        text = (repo / "plan/2020/reminders.yaml").read_text("utf-8")
        assert "<<<<<<<" not in text and ">>>>>>>" not in text
        log = _records(repo)
        assert [s.unit for s in log] == ["市水利局", "市财政局"]  # the shared history's first, then b's
        assert [s.by for s in log] == ["张三", "李四"]
    # a third note, after the merge: the next number, and the unit's count goes on
    out = ok(b, "remind", "--unit", "市水利局", "--format", "docx", "-o", str(tmp_path / "c.docx"))
    assert "第2次催办" in out
    ok(a, "remind", "--unit", "市财政局", "--format", "docx", "-o", str(tmp_path / "d.docx"))
    ok(b, "sync")
    ok(a, "sync")  # now the file exists on both sides: appended at its end by each
    ok(b, "sync")
    for repo in (a, b):
        log = _records(repo)
        assert sorted((s.unit, s.by) for s in log) == sorted([("市水利局", "张三"), ("市财政局", "李四"),
                                                               ("市水利局", "李四"), ("市财政局", "张三")])
        assert run_cli(repo, "check").returncode == 0


def _show(repo, n):
    return json.loads(run_cli(repo, "show", str(n), "--format", "json").stdout)


def test_two_offices_each_append_a_return_and_an_extension_both_survive(offices):
    a, b, _ = offices
    ok(a, "set", "5", "--progress", "100", "--measure", "1", "--measure-status", "done",
       "--measure", "2", "--measure-status", "done")
    ok(a, "finish", "5", "--report", "主体完工")
    ok(a, "sync")
    ok(b, "sync")
    ok(a, "return", "5", "--reason", "佐证材料不全")
    ok(b, "return", "5", "--reason", "验收报告未盖章")
    ok(a, "extend", "7", "--due", "2021-01-31", "--reason", "资金下达推迟")
    ok(b, "extend", "7", "--due", "2021-02-28", "--reason", "汛期停工")
    ok(a, "sync")
    ok(b, "sync")
    ok(a, "sync")
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")
    for repo in (a, b):
        five = _show(repo, 5)
        assert [(r["by"], r["reason"]) for r in five["returns"]] == [("张三", "佐证材料不全"), ("李四", "验收报告未盖章")]
        assert five["status"] == "in_progress" and not five.get("conflicts")
        seven = _show(repo, 7)
        assert [(e["by"], e["to"], e["reason"]) for e in seven["extensions"]] == \
            [("张三", "2021-01-31", "资金下达推迟"), ("李四", "2021-02-28", "汛期停工")]
        # the two new due dates are a real disagreement: recorded on `due` only, never on the lists
        import yaml

        for n, fields in ((5, []), (7, ["due"])):
            doc = yaml.safe_load((repo / f"plan/2020/tasks/{n:02d}.yaml").read_text("utf-8"))
            assert [c["field"] for c in doc.get("conflicts") or []] == fields
        text = (repo / "plan/2020/tasks/05.yaml").read_text("utf-8") + (repo / "plan/2020/tasks/07.yaml").read_text("utf-8")
        assert "<<<<<<<" not in text
    # every message describes its own diff, also the ones the sync replayed: 李四's return is the 2nd
    from tracker.audit import audit_commits
    from tracker.store import Workspace

    assert audit_commits(Workspace(b), "HEAD") == []
    msg = git(b, "log", "-1", "--format=%B", "--", "plan/2020/tasks/05.yaml")
    assert "退回重办（第2次）" in msg.splitlines()[0] and "Tracker-Returns: 2" in msg, msg
    assert "退回重办（第2次）：" in msg and "李四：验收报告未盖章" in msg


def test_two_offices_each_add_a_new_unit_both_survive(offices):
    """--new-unit writes units.yaml in the item's commit; two offices adding different units at
    the same time keep both (the merge driver merges the table by key: /units.yaml merge=tracker)."""
    a, b, _ = offices
    ok(a, "new", "--kind", "其他", "--title", "数据共享", "--lead", "市大数据管理局", "--new-unit", "市大数据管理局",
       "--start", "2020-04-01")
    ok(b, "new", "--kind", "其他", "--title", "一网通办", "--lead", "市政务服务管理办公室",
       "--new-unit", "市政务服务管理办公室", "--start", "2020-04-01")
    ok(a, "sync")
    ok(b, "sync")
    ok(a, "sync")
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")
    from tracker.units import load_aliases

    for repo in (a, b):
        text = (repo / "units.yaml").read_text("utf-8")
        assert "<<<<<<<" not in text
        table = load_aliases(repo).full
        assert table.get("市大数据管理局") == "市大数据管理局" and table.get("市政务服务管理办公室") == "市政务服务管理办公室"
        titles = {t["title"] for t in json.loads(run_cli(repo, "list", "--format", "json").stdout)}
        assert {"数据共享", "一网通办"} <= titles
