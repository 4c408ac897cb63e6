"""Issue 10 point 8: a task file deleted or renamed with plain git by another office is reported
by sync (as `tracker check` reports it), in the result, the CLI output and the summary line."""
from __future__ import annotations

from sync_support import clone
from tests_support import git, run_cli

from tracker.store import Workspace
from tracker.sync import sync


def test_sync_reports_a_task_file_deleted_elsewhere_with_plain_git(tmp_path, remote):
    a = clone(str(remote), tmp_path / "a", "张三")
    b = clone(str(remote), tmp_path / "b", "李四")
    git(a, "rm", "-q", "plan/2020/tasks/05.yaml")
    git(a, "mv", "plan/2020/tasks/07.yaml", "plan/2020/tasks/07-old.yaml")  # renamed to a name that is no task
    git(a, "commit", "-qm", "tidy up")
    git(a, "push", "-q", "origin", "main")

    res = sync(Workspace(b), lang="en")
    assert res.received == 1
    assert [(m.item, m.how) for m in res.missing] == [("2020-05", "deleted"), ("2020-07", "deleted")]
    assert "2020-05" in res.summary and "2020-07" in res.summary  # the TUI's one-line notice
    assert not (b / "plan/2020/tasks/05.yaml").exists()

    again = run_cli(b, "sync", "--lang", "zh")  # nothing new arrives: still reported, with the way back
    assert again.returncode == 0, again.stderr
    assert "plan/2020/tasks/05.yaml" in again.stdout and "git checkout" in again.stdout
    assert "2020-07" in again.stdout and "删除或改名" in again.stdout

    git(b, "checkout", f"{git(b, 'rev-parse', 'HEAD').strip()}^", "--", "plan/2020/tasks/05.yaml",
        "plan/2020/tasks/07.yaml")
    git(b, "commit", "-qm", "bring back 5 and 7")
    fixed = sync(Workspace(b), lang="en")
    assert fixed.missing == [] and "deleted" not in fixed.summary


def test_a_plain_sync_reports_nothing_missing(tmp_path, remote):
    a = clone(str(remote), tmp_path / "a", "张三")
    res = sync(Workspace(a), lang="en")
    assert res.missing == [] and res.summary == "already up to date"
