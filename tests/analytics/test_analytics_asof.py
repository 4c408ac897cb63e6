"""As-of views from git: the board as it was, with no checkout and nothing written."""
from __future__ import annotations

from datetime import date

from analytics_history import dated, git, seed_dated

from tracker.asof import commit_at, last_changes_as_of, load_as_of, timeline
from tracker.store import Workspace


def test_as_of_shows_the_state_of_each_day(hws):
    before = load_as_of(hws, date(2020, 9, 19))
    assert before.task(1).status == "not_started" and before.task(1).progress == 0
    after = load_as_of(hws, date(2020, 9, 20))
    assert after.task(1).status == "in_progress" and after.task(1).progress == 60
    assert after.task(1).note == "高标准农田完成1.8万亩"
    oct15 = load_as_of(hws, date(2020, 10, 15))
    assert (oct15.task(1).progress, oct15.task(2).progress, oct15.task(3).status) == (75, 40, "not_started")
    assert load_as_of(hws, date(2020, 12, 31)).task(1).status == "done"


def test_the_day_is_read_on_the_committers_clock(hws):
    # task 2 moved to 50 % at 2020-10-31 23:30 +08:00 (15:30 UTC): it belongs to October 31st
    assert load_as_of(hws, date(2020, 10, 30)).task(2).progress == 40
    assert load_as_of(hws, date(2020, 10, 31)).task(2).progress == 50


def test_before_the_first_commit_there_are_no_tasks(hws):
    data = load_as_of(hws, date(2020, 9, 14))
    assert data.tasks == [] and data.targets == []
    assert data.info is not None and data.info.document == "宜政发〔2020〕160号"
    assert commit_at(hws, date(2020, 9, 14)) is None


def test_as_of_today_equals_the_live_load(hws):
    live = hws.load()
    past = load_as_of(hws, date(2030, 1, 1))
    assert past.tasks == live.tasks
    assert past.targets == live.targets
    assert past.info == live.info
    assert past.digests == live.digests  # same blob ids as `git ls-files -s` would give


def test_as_of_never_touches_the_work_tree(hws, hist_repo):
    status_before = git(hist_repo, "status", "--porcelain")
    head = git(hist_repo, "rev-parse", "HEAD")
    load_as_of(hws, date(2020, 10, 1))
    assert git(hist_repo, "status", "--porcelain") == status_before
    assert git(hist_repo, "rev-parse", "HEAD") == head
    assert hws.load().task(1).status == "done"


def test_a_broken_past_version_is_a_problem_not_a_crash(tmp_path):
    repo = seed_dated(tmp_path / "o")
    f = repo / "plan/2020/tasks/05.yaml"
    good = f.read_text("utf-8")
    f.write_text(good.replace("progress: 0", "progress: [oops"), "utf-8")
    with dated("2020-10-01T10:00:00+08:00"):
        git(repo, "commit", "-q", "-am", "hand edit gone wrong")
    f.write_text(good.replace("progress: 0", "progress: 30"), "utf-8")
    with dated("2020-10-05T10:00:00+08:00"):
        git(repo, "commit", "-q", "-am", "fixed")
    ws = Workspace(repo)
    broken = load_as_of(ws, date(2020, 10, 2))
    assert broken.task(5) is None and len(broken.tasks) == 59
    assert any(p.path == "plan/2020/tasks/05.yaml" for p in broken.problems)
    assert load_as_of(ws, date(2020, 10, 5)).task(5).progress == 30


def test_first_parent_line_decides_what_was_on_the_board(tmp_path):
    """A change made on a branch counts from the day it was merged into the main line."""
    repo = seed_dated(tmp_path / "o")
    git(repo, "checkout", "-q", "-b", "field")
    f = repo / "plan/2020/tasks/07.yaml"
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 45"), "utf-8")
    with dated("2020-10-01T10:00:00+08:00"):
        git(repo, "commit", "-q", "-am", "field office update")
    git(repo, "checkout", "-q", "main")
    g = repo / "plan/2020/tasks/08.yaml"
    g.write_text(g.read_text("utf-8").replace("progress: 0", "progress: 5"), "utf-8")
    with dated("2020-10-02T10:00:00+08:00"):
        git(repo, "commit", "-q", "-am", "office update")
    with dated("2020-10-10T10:00:00+08:00"):
        git(repo, "merge", "-q", "--no-ff", "-m", "sync", "field")
    ws = Workspace(repo)
    assert load_as_of(ws, date(2020, 10, 5)).task(7).progress == 0
    assert load_as_of(ws, date(2020, 10, 5)).task(8).progress == 5
    assert load_as_of(ws, date(2020, 10, 10)).task(7).progress == 45
    days = [c.day for c in timeline(ws).commits]
    assert days == [date(2020, 9, 15), date(2020, 10, 2), date(2020, 10, 10)]
    merged = timeline(ws).commits[-1]
    assert [p for p, _ in merged.files] == ["plan/2020/tasks/07.yaml"]
    # per-commit changes keep the side branch's own commit and date, not the merge's
    from tracker import analytics as an

    rows = an.changes(ws, date(2020, 9, 15))
    seven = next(c for c in rows if c.item == "2020-07")
    assert seven.date.startswith("2020-10-01") and seven.new == 45


def test_last_changes_as_of(hws):
    lc = last_changes_as_of(hws, date(2020, 10, 15))
    assert lc["plan/2020/tasks/01.yaml"].date.startswith("2020-10-10")
    assert lc["plan/2020/tasks/01.yaml"].author == "农业农村局 王芳"
    assert lc["plan/2020/tasks/04.yaml"].date.startswith("2020-09-15")  # the seed
    assert last_changes_as_of(hws, date(2020, 12, 1))["plan/2020/tasks/04.yaml"].date.startswith("2020-11-05")


def _fresh(ws):
    from tracker import asof

    asof._TIMELINES.clear()
    return timeline(ws)


def _walked(ws):
    """The plain git walk the timeline must equal (tests/test_touchindex.py has it)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from test_touchindex import git_timeline

    return git_timeline(ws)


def test_timeline_cache_is_extended_and_survives_rewrites(hist_repo, hws):
    first = _fresh(hws)
    cache = hist_repo / ".git/tracker/touches-2020.sqlite"  # the history index is its one store
    assert cache.exists() and first.commits == _walked(hws)
    assert not (hist_repo / ".git/tracker/timeline-2020").exists()
    with dated("2020-12-01T10:00:00+08:00"):
        hws.update_task(9, {"progress": 33})
    grown = _fresh(hws)
    assert grown.commits[:-1] == first.commits and grown.commits[-1].day == date(2020, 12, 1)
    assert grown.commits == _walked(hws)
    # history rewritten under the cache: drop the last two commits, add another
    git(hist_repo, "reset", "-q", "--hard", "HEAD~2")
    with dated("2020-12-02T10:00:00+08:00"):
        hws.update_task(10, {"progress": 44})
    rewritten = _fresh(hws)
    assert rewritten.commits == _walked(hws)
    assert [c.day for c in rewritten.commits][-2:] == [date(2020, 11, 12), date(2020, 12, 2)]
    cache.write_bytes(b"\x00garbage")
    assert _fresh(hws).commits == _walked(hws)


def test_timeline_cache_of_a_commit_not_on_the_first_parent_line(hist_repo, hws):
    _fresh(hws)
    git(hist_repo, "checkout", "-q", "-b", "side", "HEAD~1")
    with dated("2020-12-03T10:00:00+08:00"):
        hws.update_task(11, {"progress": 20})
    git(hist_repo, "checkout", "-q", "main")
    _fresh(hws)  # cache now at main's HEAD
    git(hist_repo, "checkout", "-q", "side")
    assert _fresh(hws).commits == _walked(hws)


def test_as_of_with_a_warm_parse_cache_still_shows_the_past(hist_repo, hws):
    assert hws.load().task(1).status == "done"  # fills .git/tracker/cache with today's versions
    assert (hist_repo / ".git/tracker/cache").exists()
    from tracker import asof

    asof._PARSED.clear()
    past = load_as_of(hws, date(2020, 10, 15))
    assert (past.task(1).progress, past.task(1).status) == (75, "in_progress")
    assert past.task(5) == hws.load().task(5)  # unchanged since: the cached object
    assert past.digests["plan/2020/tasks/01.yaml"] != hws.load().digests["plan/2020/tasks/01.yaml"]
