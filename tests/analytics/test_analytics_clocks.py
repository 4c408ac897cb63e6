"""The clocks (issue 10, point 5): one as-of rule along the shared first-parent history, bulletin
periods as graph ranges, and wrong clocks flagged rather than obeyed.  Real repositories with
dated commits (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), as a slow, fast or offline office makes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from analytics_history import as_author, dated, git, seed_dated
from tracker import analytics as an
from tracker.store import Workspace

ROOT = Path(__file__).resolve().parents[2]


def edit(repo: Path, number: int, old: str, new: str, when: str, who: str = "办公室 张三", msg: str = "edit") -> str:
    f = repo / f"plan/2020/tasks/{number:02d}.yaml"
    text = f.read_text("utf-8")
    assert old in text, (number, old)
    f.write_text(text.replace(old, new, 1), "utf-8")
    with dated(when), as_author(who):
        git(repo, "commit", "-q", "-am", msg)
    return git(repo, "rev-parse", "HEAD").strip()


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_LANG": "zh", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "tracker", "--repo", str(repo), *args], capture_output=True,
                          text=True, env=env, cwd=str(repo), timeout=120)


def bulletin(repo: Path, on: str, record: bool = True) -> str:
    p = cli(repo, "report", "--as-of", on, *([] if record else ["--no-record"]))
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_an_edit_synced_late_is_in_the_next_bulletin(tmp_path):
    """Written offline on 09-25, pushed as it was (fast-forward) after the 09-30 bulletin: it is in
    the 10-31 bulletin's changes, and the 09-30 bulletin rebuilt later is the one issued."""
    repo = seed_dated(tmp_path / "o")
    edit(repo, 5, "progress: 0", "progress: 20", "2020-09-29T10:00:00+08:00")
    issued = bulletin(repo, "2020-09-30")
    assert git(repo, "tag", "--list", "bulletin/*").split() == ["bulletin/2020-09-30"]
    edit(repo, 7, "progress: 0", "progress: 55", "2020-09-25T16:00:00+08:00", who="水利局 李四", msg="offline")
    edit(repo, 9, "progress: 0", "progress: 10", "2020-10-15T10:00:00+08:00")
    ws = Workspace(repo)
    nets, _ = an.net_between(ws, date(2020, 9, 30), date(2020, 10, 31))
    assert any(n.item == "2020-07" and n.field == "progress" and n.new == 55 and n.author == "水利局 李四"
               for n in nets), nets
    rows = an.changes(ws, date(2020, 9, 30), date(2020, 10, 31))
    assert {(c.item, c.field, c.new) for c in rows} == {("2020-07", "progress", 55), ("2020-09", "progress", 10)}
    later = bulletin(repo, "2020-10-31")
    assert "2020-07" in later.split("本期变化", 1)[1]
    assert bulletin(repo, "2020-09-30", record=False) == issued  # the issued board, rebuilt


def test_as_of_is_a_prefix_of_the_line_a_slow_clock_hides_nothing(tmp_path):
    repo = seed_dated(tmp_path / "o")
    a = edit(repo, 5, "progress: 0", "progress: 20", "2020-10-01T10:00:00+08:00")
    edit(repo, 6, "progress: 0", "progress: 30", "2020-09-20T10:00:00+08:00", who="慢钟 科室")  # slow clock
    c = edit(repo, 7, "progress: 0", "progress: 40", "2020-10-03T10:00:00+08:00")
    ws = Workspace(repo)
    from tracker.asof import clock_flags, commit_at, load_as_of

    assert commit_at(ws, date(2020, 9, 25)) == git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert commit_at(ws, date(2020, 10, 1)) == git(repo, "rev-parse", "HEAD~1").strip()  # the slow one counts from 10-01
    assert commit_at(ws, date(2020, 10, 3)) == c
    board = load_as_of(ws, date(2020, 9, 25))
    assert board.task(6).progress == 0 and board.task(5).progress == 0  # not the later line's state
    flags = clock_flags(ws)
    assert [(f.kind, f.author) for f in flags] == [("before_parent", "慢钟 科室")]
    assert a


def test_log_since_is_not_stopped_by_an_old_dated_commit(tmp_path):
    repo = seed_dated(tmp_path / "o")
    edit(repo, 5, "progress: 0", "progress: 20", "2020-10-01T10:00:00+08:00", who="办公室 张三")
    edit(repo, 6, "progress: 0", "progress: 30", "2020-09-20T10:00:00+08:00", who="慢钟 科室")
    edit(repo, 7, "progress: 0", "progress: 40", "2020-10-03T10:00:00+08:00", who="发改委 王五")
    p = cli(repo, "log", "--since", "2020-10-01", "--format", "json")
    assert p.returncode == 0, p.stderr
    ids = sorted(e["id"] for e in json.loads(p.stdout))
    assert ids == ["2020-05", "2020-06", "2020-07"]
    p = cli(repo, "log", "--since", "2020-10-02", "--format", "json")
    assert sorted(e["id"] for e in json.loads(p.stdout)) == ["2020-07"]


def test_a_future_dated_commit_freezes_neither_remind_nor_last_update(tmp_path):
    repo = seed_dated(tmp_path / "o", when="2020-01-02T09:00:00+08:00")
    edit(repo, 5, "progress: 0", "progress: 20", "2020-02-01T10:00:00+08:00")
    far = (date.today() + timedelta(days=400)).isoformat()
    edit(repo, 5, "progress: 20", "progress: 25", f"{far}T10:00:00+08:00", who="快钟 科室")  # a fast clock
    ws = Workspace(repo)
    from tracker.asof import clock_flags, last_changes_as_of
    from tracker.lastchange import last_changes

    on = date(2020, 12, 1)
    lc = last_changes(ws)
    assert lc["plan/2020/tasks/05.yaml"].date[:10] == "2020-02-01"  # counts from its parent's day
    stale = {r.task.number for rs in an.reminders(ws.load(), on, lc).values() for r in rs if r.reason == "stale"}
    assert 5 in stale
    assert last_changes_as_of(ws, on)["plan/2020/tasks/05.yaml"].date[:10] == "2020-02-01"
    assert [f.kind for f in clock_flags(ws)] == ["future"]
    p = cli(repo, "check", "--history")
    assert p.returncode == 1 and "快钟 科室" in p.stdout + p.stderr and far in p.stdout + p.stderr


def test_plan_yaml_changes_are_in_log_and_changes(tmp_path):
    repo = seed_dated(tmp_path / "o")
    f = repo / "plan/2020/plan.yaml"
    f.write_text(f.read_text("utf-8").replace("red_behind: 30", "red_behind: 25"), "utf-8")
    with dated("2020-10-02T10:00:00+08:00"), as_author("督查室 赵六"):
        git(repo, "commit", "-q", "-am", "stricter red")
    p = cli(repo, "log", "--format", "json", "-n", "1")
    rows = json.loads(p.stdout)
    assert rows[0]["id"] == "2020-plan" and rows[0]["author"] == "督查室 赵六"
    assert [(c["field"], c["old"], c["new"]) for c in rows[0]["changes"]] == [("settings.red_behind", 30, 25)]
    p = cli(repo, "changes", "--since", "2020-10-01", "--format", "json")
    assert p.returncode == 0, p.stderr
    assert "red_behind" in p.stdout and "2020-plan" in p.stdout


def test_check_reports_a_task_deleted_or_renamed_with_plain_git(tmp_path):
    repo = seed_dated(tmp_path / "o")
    assert cli(repo, "check").returncode == 0
    git(repo, "rm", "-q", "plan/2020/tasks/05.yaml")
    git(repo, "mv", "plan/2020/tasks/07.yaml", "plan/2020/tasks/07.yml")
    with dated("2020-10-02T10:00:00+08:00"), as_author("办公室 张三"):
        git(repo, "commit", "-q", "-m", "tidy")
    (repo / "plan/2020/tasks/09.yaml").unlink()  # and one gone from the work tree only
    p = cli(repo, "check")
    assert p.returncode == 1, p.stdout
    out = p.stdout
    assert "2020-05" in out and "2020-07" in out and "办公室 张三" in out and "git checkout" in out
    assert "plan/2020/tasks/09.yaml" in out and "git restore" in out
    assert "ok" not in out.splitlines()[-1]


def test_the_bulletin_names_a_commit_with_a_wrong_clock_in_its_period(tmp_path):
    repo = seed_dated(tmp_path / "o")
    edit(repo, 5, "progress: 0", "progress: 20", "2020-10-05T10:00:00+08:00")
    edit(repo, 6, "progress: 0", "progress: 30", "2020-09-20T10:00:00+08:00", who="慢钟 科室")
    md = bulletin(repo, "2020-10-31", record=False)
    assert "慢钟 科室" in md and "时钟有误" in md and "2020-09-20" in md
