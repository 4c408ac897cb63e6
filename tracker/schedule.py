"""序时进度: how far a task should be on a given day, and the light that follows.

Expected progress is the elapsed share of the task's period, from the task's own ``start``
(when its file states one) or else the plan's start (``settings.start``, default January 1st)
to the task's due date.  The light compares
reported progress with that expectation; thresholds come from ``plan.yaml`` settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from .i18n import LANGS, book, say_in, table
from .model import Task, TrackerError

#: a plan.yaml setting the lights cannot use (str(err) English, err.text(lang) the user's language)
book("settings", {
    "start": ("plan.yaml：settings.start：{start!r} 不是日期；请用 YYYY-MM-DD 格式，例如 {year}-01-01",
              "plan.yaml: settings.start: {start!r} is not a date; use YYYY-MM-DD, e.g. {year}-01-01"),
    "whole": ("plan.yaml：settings.{setting}：{value!r} 不是整数{unit}（默认 {default}）",
              "plan.yaml: settings.{setting}: {value!r} is not a whole number of {unit_en} (default {default})"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `settings.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"settings.{entry}", **args)

#: display order, most urgent first
LIGHTS = ("red", "yellow", "blue", "green", "done")

_LIGHT_WORDS = book("light", {
    "red": ("红灯", "red"),
    "yellow": ("黄灯", "yellow"),
    "blue": ("蓝灯", "due soon"),
    "green": ("绿灯", "green"),
    "done": ("已完成", "done"),
    "cancelled": ("已撤销", "cancelled"),  # tracker/cycle.py: a cancelled item has no light
})
LIGHT_LABELS = {lang: table("light", lang) for lang in LANGS}  # {lang: {light: text}}, from the book
#: Rich style per light (theme-neutral names so the TUI can map them to theme variables)
LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "blue": "bold blue", "green": "green", "done": "dim",
               "cancelled": "dim strike"}
LIGHT_GLYPH = {"red": "●", "yellow": "●", "blue": "●", "green": "●", "done": "✔", "cancelled": "–"}
#: a cancelled item (已撤销, tracker/cycle.py) has no light: light() says "cancelled", which is not
#: one of LIGHTS, and the counts, the ranking and the rates leave it out
NO_LIGHT = "cancelled"


@dataclass(frozen=True)
class Thresholds:
    start: date
    yellow_behind: int = 10
    red_behind: int = 30
    due_soon_days: int = 7
    reporting_cycle_days: int = 30

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None, year: int) -> "Thresholds":
        """From plan.yaml's `settings`; a bad value is a TrackerError naming the setting."""
        s = dict(settings or {})
        start = s.get("start") or date(year, 1, 1)
        if not isinstance(start, date):
            try:
                start = date.fromisoformat(str(start).strip())
            except ValueError:
                raise _err("start", start=start, year=year) from None

        def whole(key: str, default: int) -> int:
            v = s.get(key, default)
            if v is None:
                return default
            if isinstance(v, bool) or not isinstance(v, (int, str)) or not str(v).strip().isdigit():
                days = key.endswith("days")
                raise _err("whole", setting=key, value=v, default=default, unit="（天数）" if days else "（百分点）",
                           unit_en="days" if days else "points")
            return int(str(v).strip())

        return cls(
            start=start,
            yellow_behind=whole("yellow_behind", 10),
            red_behind=whole("red_behind", 30),
            due_soon_days=whole("due_soon_days", 7),
            reporting_cycle_days=whole("reporting_cycle_days", 30),
        )


def task_start(task: Task, th: Thresholds) -> date:
    """When the task's period begins: its own `start` when the file states one, else the plan's."""
    return getattr(task, "start", None) or th.start


def expected_progress(task: Task, th: Thresholds, on: date) -> int:
    """Percent of the task's period elapsed on `on` (0 before the start, 100 on/after due).

    The period runs from the task's `start` (default: the plan's settings.start) to its due date,
    so a task added in October is not behind on its first day."""
    if on >= task.due:
        return 100
    start = task_start(task, th)
    if on <= start:
        return 0
    span = (task.due - start).days
    if span <= 0:
        return 100
    return round(100 * (on - start).days / span)


def light(task: Task, th: Thresholds, on: date) -> str:
    """One of LIGHTS (NO_LIGHT for a cancelled item).  Red wins over blue: an overdue or far-behind
    task is red, not 'due soon'.  A closed item (已销号) is done, as a done one (申请办结)."""
    if task.status == "done" or task.status == "closed":
        return "done"
    if task.status == "cancelled":
        return NO_LIGHT
    if on > task.due:
        return "red"
    behind = expected_progress(task, th, on) - task.progress
    if behind >= th.red_behind:
        return "red"
    if behind >= th.yellow_behind:
        return "yellow"
    if (task.due - on).days <= th.due_soon_days:
        return "blue"
    return "green"


def overdue(task: Task, on: date) -> bool:
    return task.status not in ("done", "closed", "cancelled") and on > task.due


def light_label(name: str, lang: str = "zh") -> str:
    return say_in("light", name, lang)
