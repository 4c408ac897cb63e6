"""The problems a commit would bring, said in the user's language (issue 11 point 3): verify's
file checks (tracker verify, the pre-receive hook of tracker serve) carry the schema's Problem and
the YAML error themselves, so a finding's Chinese text says them in Chinese; the English message is
the English it always was."""
from __future__ import annotations

from tests_support import git, make_plan_repo

from tracker.gitstore import PlainGitRepo
from tracker.verify import check_commits


def test_invalid_file_findings_in_both_languages(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    tasks = repo / "plan" / "2020" / "tasks"
    p5 = tasks / "05.yaml"
    p5.write_text(p5.read_text("utf-8").replace("progress: 0", "progress: 150", 1), "utf-8")
    p6 = tasks / "06.yaml"
    p6.write_text(p6.read_text("utf-8").replace("note: ''", "note: [a, b", 1), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bad values")
    [cc] = check_commits(PlainGitRepo(str(repo)), ["HEAD^..HEAD"], always_validate=True)
    found = {f.path: f for f in cc.findings if f.kind == "invalid-file"}
    f5, f6 = found["plan/2020/tasks/05.yaml"], found["plan/2020/tasks/06.yaml"]
    assert f5.message == "plan/2020/tasks/05.yaml:7:1: progress: must be from 0 to 100, not 150", f5.message
    assert f5.text("en") == f5.message
    assert f5.text("zh").startswith("文件无效：plan/2020/tasks/05.yaml:") and "须在 0 到 100 之间，不能是 150" in f5.text("zh")
    assert "must be" not in f5.text("zh"), f5.text("zh")
    assert f6.message.endswith("while parsing a flow sequence did not find expected ',' or ']'"), f6.message
    assert "读取方括号列表时" in f6.text("zh") and "while" not in f6.text("zh"), f6.text("zh")
