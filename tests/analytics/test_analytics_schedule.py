"""序时进度 and lights: the arithmetic, every boundary, and the plan.yaml settings."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.model import Task
from tracker.schedule import Thresholds, expected_progress, light, overdue

TH = Thresholds(start=date(2020, 1, 1))  # 10 / 30 / 7 / 30


def task(status="in_progress", progress=0, due=date(2020, 12, 31)) -> Task:
    return Task(year=2020, number=1, category="农业农村类", title="测试任务", units=("市农业农村局",), measures=(),
                status=status, progress=progress, due=due, note="", problems="", next_steps="",
                path="plan/2020/tasks/01.yaml")


def test_expected_progress_is_elapsed_share_of_the_period():
    t = task(due=date(2020, 12, 31))
    assert expected_progress(t, TH, date(2020, 1, 1)) == 0
    assert expected_progress(t, TH, date(2019, 6, 1)) == 0
    # 2020-07-01 is day 182 of a 365-day span
    assert expected_progress(t, TH, date(2020, 7, 1)) == round(100 * 182 / 365)
    assert expected_progress(t, TH, date(2020, 12, 31)) == 100
    assert expected_progress(t, TH, date(2021, 3, 1)) == 100


def test_a_short_task_runs_ahead_of_the_year():
    t = task(due=date(2020, 6, 30))
    assert expected_progress(t, TH, date(2020, 3, 31)) == round(100 * 90 / 181)


@pytest.mark.parametrize("progress, expected_light", [
    (50, "green"),   # expected 50 on 2020-07-01 (50 %): on schedule
    (41, "green"),   # 9 behind
    (40, "yellow"),  # 10 behind: yellow starts at Y
    (21, "yellow"),  # 29 behind
    (20, "red"),     # 30 behind: red starts at R
    (0, "red"),
    (90, "green"),   # ahead
])
def test_light_bands(progress, expected_light):
    on = date(2020, 7, 1)
    t = task(progress=progress)
    assert expected_progress(t, TH, on) == 50
    assert light(t, TH, on) == expected_light


def test_blue_when_due_soon_but_red_and_yellow_win():
    due = date(2020, 7, 8)
    on = date(2020, 7, 1)  # 7 days left
    exp = expected_progress(task(due=due), TH, on)
    assert light(task(progress=exp, due=due), TH, on) == "blue"
    assert light(task(progress=exp, due=due), TH, date(2020, 6, 30)) == "green"  # 8 days left
    assert light(task(progress=exp - 10, due=due), TH, on) == "yellow"
    assert light(task(progress=exp - 30, due=due), TH, on) == "red"


def test_past_due_and_not_done_is_red_done_is_done():
    due = date(2020, 6, 30)
    assert light(task(progress=99, due=due), TH, date(2020, 7, 1)) == "red"
    assert light(task(progress=100, due=due), TH, date(2020, 6, 30)) == "blue"  # due today, on schedule
    assert light(task(status="done", progress=10, due=due), TH, date(2020, 12, 1)) == "done"
    assert overdue(task(due=due), date(2020, 7, 1)) and not overdue(task(due=due), date(2020, 6, 30))
    assert not overdue(task(status="done", due=due), date(2020, 7, 1))


def test_thresholds_from_plan_settings():
    th = Thresholds.from_settings({"start": "2020-03-01", "yellow_behind": 5, "red_behind": 15,
                                   "due_soon_days": 3, "reporting_cycle_days": 14}, 2020)
    assert (th.start, th.yellow_behind, th.red_behind, th.due_soon_days, th.reporting_cycle_days) == \
        (date(2020, 3, 1), 5, 15, 3, 14)
    d = Thresholds.from_settings(None, 2021)
    assert (d.start, d.yellow_behind, d.red_behind, d.due_soon_days, d.reporting_cycle_days) == \
        (date(2021, 1, 1), 10, 30, 7, 30)
    t = task(progress=44)
    on = date(2020, 7, 1)
    assert light(t, TH, on) == "green"
    assert light(t, Thresholds(start=date(2020, 1, 1), yellow_behind=5), on) == "yellow"


@pytest.mark.parametrize("key, value", [("yellow_behind", "ten"), ("red_behind", -5), ("due_soon_days", 2.5),
                                        ("start", "2020-13-01"), ("reporting_cycle_days", True)])
def test_bad_settings_name_the_setting(key, value):
    from tracker.model import TrackerError

    with pytest.raises(TrackerError) as exc:
        Thresholds.from_settings({key: value}, 2020)
    assert f"settings.{key}" in str(exc.value) and "plan.yaml" in str(exc.value)


def test_bad_setting_is_a_clean_cli_error(plan_repo):
    from tests_support import run_cli

    p = plan_repo / "plan/2020/plan.yaml"
    p.write_text(p.read_text("utf-8").replace("yellow_behind: 10", "yellow_behind: 十"), "utf-8")
    r = run_cli(plan_repo, "list", "--light", "red")
    assert r.returncode == 2 and "settings.yellow_behind" in r.stderr and "Traceback" not in r.stderr
