"""Labels that end up in git history and in the bulletin: exact text (issue 16, wrong results)."""
from __future__ import annotations

import json

from tests_support import git, make_plan_repo

from tracker.cli import main

T4 = "plan/2020/targets/04.yaml"
T5 = "plan/2020/tasks/05.yaml"
IND = "社会消费品零售总额增长"


def test_actual_labels_in_conflict_resolve_messages(tmp_path, monkeypatch, capsys):
    """A recorded conflict on an actual (field ...actuals.2020-09.value) is labelled as the actual,
    in the subject and in the body, never '...actuals.2020-09 目标值'."""
    repo = make_plan_repo(tmp_path / "office")
    p = repo / T4
    p.write_text(p.read_text("utf-8").replace("    actuals: []\n", "    actuals:\n      - period: 2020-09\n        value: 8.1\n        note: ''\n")
                 + f"conflicts:\n  - field: indicators.{IND}.actuals.2020-09.value\n    base: null\n"
                   "    ours: {value: 8.1, author: 张三, date: '2020-10-01T10:00:00+08:00'}\n"
                   "    theirs: {value: 8.3, author: 李四, date: '2020-10-02T09:30:00+08:00'}\n", "utf-8")
    git(repo, "commit", "-qam", "a recorded conflict")
    assert main(["--repo", str(repo), "resolve", "T4", "--field", f"indicators.{IND}.actuals.2020-09.value",
                 "--take", "theirs"]) == 0
    msg = git(repo, "log", "-1", "--format=%B")
    subject = msg.splitlines()[0]
    assert subject.endswith(f"解决冲突 {IND} 2020-09 实际值 取 8.3"), subject
    assert f"{IND} 2020-09 实际值: 8.1 → 8.3" in msg.splitlines(), msg
    assert "目标值" not in msg and "actuals." not in msg.split("\n\n")[0] + msg.split("\n\n")[1]


def test_resolve_keeping_the_current_side_does_not_say_65_to_65(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    p = repo / T5
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 65", 1)
                 + "conflicts:\n  - field: progress\n    base: 0\n"
                   "    ours: {value: 65, author: 张三, date: '2020-10-01T10:00:00+08:00'}\n"
                   "    theirs: {value: 70, author: 李四, date: '2020-10-02T09:30:00+08:00'}\n", "utf-8")
    git(repo, "commit", "-qam", "a recorded conflict")
    assert main(["--repo", str(repo), "resolve", "5", "--field", "progress", "--take", "ours"]) == 0
    msg = git(repo, "log", "-1", "--format=%B")
    assert "进度: 65 → 65" not in msg
    assert "进度: 65（保持不变）" in msg.splitlines(), msg


def test_actual_note_labels_in_changes_and_report(tmp_path, capsys):
    repo = make_plan_repo(tmp_path / "office")
    assert main(["--repo", str(repo), "actual", "4", "--period", "2020-H1", "--value", "8.2", "--note", "上半年快报"]) == 0
    msg = git(repo, "log", "-1", "--format=%B")
    assert f"{IND} 2020-H1 实际值: （空） → 8.2" in msg.splitlines(), msg
    assert f"{IND} 2020-H1 实际值说明: （空） → 上半年快报" in msg.splitlines(), msg
    capsys.readouterr()
    assert main(["--repo", str(repo), "changes", "--format", "json", "--since", "2000-01-01"]) == 0
    fields = [c["field"] for c in json.loads(capsys.readouterr().out)["changes"]]
    assert f"indicators.{IND}.actuals.2020-H1.note" in fields
    assert main(["--repo", str(repo), "changes", "--lang", "zh", "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert f"{IND} 2020-H1 实际值说明" in out and "2020-H1.note" not in out
    assert main(["--repo", str(repo), "report", "--no-record", "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert f"{IND} 2020-H1 实际值说明" in out and "2020-H1.note 实际值" not in out
