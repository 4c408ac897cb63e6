"""A `tracker/` folder that arrives in the plan repository (any office can commit one) is never run
by git's merge driver, which git starts in the work tree (tracker.childenv: `python -P` and a
PYTHONPATH naming the installed code)."""
from __future__ import annotations

from pathlib import Path

from tests_support import git, make_plan_repo

from tracker import sync_setup

PLANT = "import pathlib\npathlib.Path('PLANTED-CODE-RAN').write_text('x')\nraise SystemExit(3)\n"


def _edit(repo: Path, old: str, new: str) -> None:
    f = repo / "plan" / "2020" / "tasks" / "05.yaml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_merge_driver_never_imports_a_tracker_folder_in_the_work_tree(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    git(repo, "config", "user.name", "督查室"), git(repo, "config", "user.email", "dc@example.org")
    assert sync_setup.install(repo)
    (repo / "tracker").mkdir()
    (repo / "tracker" / "__init__.py").write_text(PLANT, encoding="utf-8")
    (repo / "tracker" / "merge.py").write_text(PLANT, encoding="utf-8")
    git(repo, "add", "tracker"), git(repo, "commit", "-q", "-m", "a folder named tracker, from another office")
    git(repo, "checkout", "-q", "-b", "other")
    _edit(repo, "progress: 0", "progress: 30")
    git(repo, "commit", "-qam", "other: progress")
    git(repo, "checkout", "-q", "main")
    _edit(repo, "status: not_started", "status: in_progress")
    git(repo, "commit", "-qam", "main: status")
    git(repo, "merge", "-q", "--no-edit", "other")  # the driver merges the two fields of 05.yaml
    assert not (repo / "PLANTED-CODE-RAN").exists()
    text = (repo / "plan" / "2020" / "tasks" / "05.yaml").read_text(encoding="utf-8")
    assert "progress: 30" in text and "status: in_progress" in text and "<<<<<<<" not in text
    assert " -P " in git(repo, "config", "merge.tracker.driver")
