"""Unit ranking, reminders, burn-up, changes and bulletin bookkeeping on a scripted history."""
from __future__ import annotations

from datetime import date

from analytics_history import SCRIPT

from tracker import analytics as an
from tracker.asof import last_changes_as_of, load_as_of
from tracker.schedule import LIGHTS


def test_unit_ranking_counts_only_led_tasks(hws):
    on = date(2020, 11, 30)
    data = load_as_of(hws, on)
    rows = an.unit_ranking(data, on, last_changes_as_of(hws, on))
    by = {r.unit: r for r in rows}
    agri = by["市农业农村局"]
    led = [t for t in data.tasks if t.lead == "市农业农村局"]
    assert agri.led == len(led) == 4  # tasks 1-4; task 5 is led by 市水利局
    assert agri.done == 2 and agri.rate == 0.5
    assert agri.last_update == date(2020, 11, 20)
    assert agri.green + agri.yellow + agri.red + agri.blue + agri.done == agri.led
    # co-owned tasks do not count: 各相关镇、园区、街道 co-owns task 1 but leads none of these
    assert all(r.led == sum(1 for t in data.tasks if t.lead == r.unit) for r in rows)
    assert sum(r.led for r in rows) == len(data.tasks)
    assert rows[0].unit == "市农业农村局"  # the only unit with anything done
    assert [r.rate for r in rows] == sorted((r.rate for r in rows), reverse=True)


def test_ranking_ignores_changes_after_the_day(hws):
    on = date(2020, 10, 1)
    data = load_as_of(hws, on)
    # today's last changes are all later than October 1st for these tasks: none may leak into the past
    rows = {r.unit: r for r in an.unit_ranking(data, on, last_changes_as_of(hws, date(2030, 1, 1)))}
    assert rows["市农业农村局"].last_update is None
    rows = {r.unit: r for r in an.unit_ranking(data, on, last_changes_as_of(hws, on))}
    assert rows["市农业农村局"].last_update == date(2020, 9, 25)
    assert rows["市农业农村局"].done == 0


def test_sort_ranking_keys():
    rows = [an.UnitRank("甲", led=3, done=1, red=2, rate=1 / 3, last_update=date(2020, 10, 1)),
            an.UnitRank("乙", led=1, done=1, rate=1.0, last_update=None),
            an.UnitRank("丙", led=5, done=0, red=5, rate=0.0, last_update=date(2020, 9, 1))]
    assert [r.unit for r in an.sort_ranking(rows, "rate")] == ["乙", "甲", "丙"]
    assert [r.unit for r in an.sort_ranking(rows, "led")] == ["丙", "甲", "乙"]
    assert [r.unit for r in an.sort_ranking(rows, "last_update")] == ["乙", "丙", "甲"]


def test_reminders_overdue_and_stale(hws):
    on = date(2020, 12, 20)
    data = load_as_of(hws, on)
    lc = last_changes_as_of(hws, on)
    groups = an.reminders(data, on, lc)
    flat = {(r.task.number, r.reason): r for rs in groups.values() for r in rs}
    # nothing is overdue before December 31st; the seed (2020-09-15) is 96 days old
    assert not any(reason == "overdue" for _, reason in flat)
    assert flat[(5, "stale")].days == 96
    assert (1, "stale") not in flat and (3, "stale") not in flat  # done
    assert (2, "stale") not in flat  # updated 2020-11-20: 30 days is not longer than the cycle
    assert (4, "stale") in flat and flat[(4, "stale")].days == 45
    assert all(r.task.lead == unit for unit, rs in groups.items() for r in rs)
    later = an.reminders(load_as_of(hws, date(2021, 1, 3)), date(2021, 1, 3))
    flat2 = {(r.task.number, r.reason): r for rs in later.values() for r in rs}
    assert flat2[(2, "overdue")].days == 3 and (1, "overdue") not in flat2
    assert not any(reason == "stale" for _, reason in flat2)  # no last_changes given


def test_reporting_cycle_comes_from_plan_yaml(hist_repo, hws):
    p = hist_repo / "plan/2020/plan.yaml"
    p.write_text(p.read_text("utf-8").replace("reporting_cycle_days: 30", "reporting_cycle_days: 100"), "utf-8")
    data = hws.load()
    on = date(2020, 12, 20)
    flat = {(r.task.number, r.reason) for rs in an.reminders(data, on, last_changes_as_of(hws, on)).values() for r in rs}
    assert (5, "stale") not in flat


def test_burnup_agrees_with_as_of_views(hws):
    points = an.burnup(hws, date(2020, 9, 1), date(2020, 12, 31), step_days=10)
    assert points[0].day == date(2020, 9, 1) and points[-1].day == date(2020, 12, 31)
    assert points[0].total == 0
    for p in points:
        data = load_as_of(hws, p.day)
        lights = an.lights(data, p.day)
        assert p.total == len(data.tasks)
        assert p.by_light == {k: sum(1 for v in lights.values() if v == k) for k in LIGHTS}, p.day
        assert p.done == sum(1 for t in data.tasks if t.status == "done")
    assert [p.done for p in points][-1] == 2


def test_changes_window_is_after_since_up_to_until(hws):
    rows = an.changes(hws, date(2020, 10, 20), date(2020, 11, 5))
    assert {(c.item, c.field) for c in rows} == {
        ("2020-02", "progress"), ("2020-02", "problems"),
        ("2020-04", "status"), ("2020-04", "progress"), ("2020-04", "problems")}
    c = next(c for c in rows if c.item == "2020-02" and c.field == "progress")
    assert (c.old, c.new, c.author) == (40, 50, "工信局 李强")
    assert c.date.startswith("2020-10-31T23:30")


def test_changes_replayed_on_the_baseline_give_the_later_board(hws):
    since, until = date(2020, 9, 30), date(2020, 11, 15)
    base = {t.number: {"status": t.status, "progress": t.progress, "note": t.note, "problems": t.problems}
            for t in load_as_of(hws, since).tasks}
    for c in an.changes(hws, since, until):
        if c.item.startswith("2020-T"):
            continue
        base[int(c.item.split("-")[1])][c.field] = c.new
    want = {t.number: {"status": t.status, "progress": t.progress, "note": t.note, "problems": t.problems}
            for t in load_as_of(hws, until).tasks}
    assert base == want


def test_net_changes_collapse_a_window(hws):
    nets = {(n.item, n.field): n for n in an.net_changes(an.changes(hws, date(2020, 9, 15)))}
    p1 = nets[("2020-01", "progress")]
    assert (p1.old, p1.new, p1.count) == (0, 100, 3)
    assert nets[("2020-02", "progress")].new == 70
    total_updates = sum(1 for _, _, n, ch in SCRIPT if n == 1 and "progress" in ch)
    assert p1.count == total_updates


def test_bulletin_tags_set_the_default_since(hws):
    assert an.default_since(hws, date(2020, 10, 31)) == date(2019, 12, 31)
    assert an.record_bulletin(hws, date(2020, 10, 31)) == "bulletin/2020-10-31"
    assert an.bulletin_dates(hws) == [date(2020, 10, 31)]
    assert an.default_since(hws, date(2020, 11, 30)) == date(2020, 10, 31)
    assert an.default_since(hws, date(2020, 10, 31)) == date(2019, 12, 31)  # a re-issue keeps its window
    assert an.record_bulletin(hws, date(2019, 1, 1)) is None  # nothing committed yet then


def test_net_between_trees_agrees_with_collapsed_commits(hws):
    for since, until in ((date(2020, 9, 15), date(2020, 11, 30)), (date(2020, 10, 20), date(2020, 11, 12))):
        fast, added = an.net_between(hws, since, until)
        slow = an.net_changes(an.changes(hws, since, until))
        assert added == 0
        assert sorted((n.item, n.field, n.old, n.new) for n in fast) == \
            sorted((n.item, n.field, n.old, n.new) for n in slow)
        assert len(fast) > 5
        # authors are per file on the fast path: everyone who touched the file in the window
        by_key = {(n.item, n.field): n for n in fast}
        assert all(set(n.authors) <= set(by_key[(n.item, n.field)].authors) for n in slow)
    t1 = next(n for n in an.net_between(hws, date(2020, 9, 15), date(2020, 11, 30))[0]
              if (n.item, n.field) == ("2020-01", "progress"))
    assert (t1.old, t1.new, t1.count, t1.date[:10]) == (0, 100, 3, "2020-11-12")


def test_first_bulletin_measures_from_the_imported_versions(hws):
    nets, added = an.net_between(hws, date(2019, 12, 31), date(2020, 11, 30))
    assert added == 70  # 60 tasks and 10 targets, counted, not listed
    from_seed, none_added = an.net_between(hws, date(2020, 9, 15), date(2020, 11, 30))
    assert none_added == 0
    key = lambda n: (n.item, n.field, n.old, n.new, n.count, tuple(n.authors))  # noqa: E731
    assert sorted(map(key, nets)) == sorted(map(key, from_seed)) and len(nets) == 15  # 14 fields + an actual's note


def test_change_windows_are_graph_ranges_that_add_up(hws):
    rows = an.changes(hws, date(2020, 9, 15), date(2020, 11, 15))
    assert len(rows) > 15
    assert an.window_range(hws, date(2020, 9, 15), date(2020, 11, 15)).count("..") == 1
    assert an.changes(hws, date(2020, 10, 31)) == \
        [c for c in an.changes(hws, date(2020, 9, 15)) if c.day > date(2020, 10, 31)]
    assert an.changes(hws, date(2020, 9, 15), date(2020, 10, 31)) + an.changes(hws, date(2020, 10, 31)) == \
        an.changes(hws, date(2020, 9, 15))


def test_equal_standing_shares_a_rank():
    from tracker.analytics import UnitRank, ranks

    def row(unit, rate, red, overdue=0, led=2):
        return UnitRank(unit=unit, led=led, done=0, green=0, yellow=0, red=red, blue=0, overdue=overdue,
                        rate=rate, last_update=None)

    rows = [row("甲", 1.0, 0), row("乙", 0.5, 0), row("丙", 0.5, 0, led=4), row("丁", 0.5, 1), row("戊", 0.0, 2)]
    assert ranks(rows) == [1, 2, 2, 4, 5]
    assert ranks(rows, "red") == [1, 1, 1, 4, 5]
