"""Typed, read-only views of the plan's files.

The YAML files are the source of truth; these dataclasses are what the rest of the program
reads.  They carry the repository-relative path so every error and every commit can name it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

STATUSES = ("not_started", "in_progress", "done", "blocked")
#: a task's status: the work statuses above (a measure's too) and the supervision cycle's own
#: states (tracker/cycle.py): acked 已签收, closed 已销号, cancelled 已撤销
TASK_STATUSES = STATUSES + ("acked", "closed", "cancelled")
COMPARATORS = ("at_least", "at_most", "range", "qualitative")

TASK_FIELDS = (
    "number", "category", "title", "units", "measures", "status", "progress", "due",
    "note", "problems", "next_steps",
)
#: fields a person may change through `tracker set` / the TUI
EDITABLE_FIELDS = ("status", "progress", "due", "note", "problems", "next_steps")


class TrackerError(Exception):
    """An error meant for the user: its text names the file, field and value at fault.

    `str(err)` is the English text (logs, tests, `--lang en`).  An error raised with `key=` (a
    label-book key, see i18n.say) and keyword arguments can also be shown in the user's
    language: `err.text("zh")`.  Errors without a key show their English text in both.
    """

    key: str | None = None          # subclasses that set their own __init__ keep these defaults
    args_: dict[str, Any] = {}

    def __init__(self, message: str = "", *, key: str | None = None, **args: Any) -> None:
        super().__init__(message)
        self.key = key
        self.args_ = args

    def text(self, lang: str | None = "zh") -> str:
        if self.key is None:
            return str(self)
        from .i18n import say  # i18n imports nothing of ours; kept local so model stays leaf-light
        return say(self.key, lang, **self.args_)


@dataclass(frozen=True)
class Measure:
    number: int
    text: str
    status: str
    due: date | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"number": self.number, "text": self.text, "status": self.status}
        if self.due is not None:
            out["due"] = self.due.isoformat()
        return out


@dataclass(frozen=True)
class Task:
    year: int
    number: int
    category: str
    title: str
    units: tuple[str, ...]
    measures: tuple[Measure, ...]
    status: str
    progress: int
    due: date
    note: str
    problems: str
    next_steps: str
    path: str  # relative to the repository root, '/' separated
    # optional in the files (older plans have none of them): see README "Task files"
    leads: tuple[str, ...] = ()   # every lead unit as written in `leads:`; empty = the first unit leads
    leader: str = ""              # 牵头/分管领导 (a name or a post)
    ref: str = ""                 # the document's own number when it differs from the id (二.1)
    start: date | None = None     # when the task begins (序时进度 runs from here); None = the plan's start
    open_units: bool = False      # the document's unit list ended in 等
    incomplete: bool = False      # the source text was cut off inside this task
    # the supervision cycle (tracker/cycle.py; README "Lifecycle"); dates in entries are ISO text
    acked: date | None = None     # 签收
    report: str = ""              # 办结报告
    finished: date | None = None  # 申请办结
    closed: date | None = None    # 销号
    returns: tuple = ()           # ({date, by, reason}, ...) 退回重办
    extensions: tuple = ()        # ({date, by, from, to, reason}, ...) 延期
    cancelled: dict | None = None  # {date, by, reason} 撤销

    @property
    def id(self) -> str:
        return task_id(self.year, self.number)

    @property
    def lead(self) -> str:
        if self.leads:
            return self.leads[0]
        return self.units[0] if self.units else ""

    @property
    def lead_units(self) -> tuple[str, ...]:
        """All lead units: `leads` when the file states them, else the first unit."""
        return self.leads or self.units[:1]

    def as_json(self) -> dict[str, Any]:
        """The documented, stable JSON contract (README "JSON output")."""
        return {
            "id": self.id,
            "number": self.number,
            "category": self.category,
            "title": self.title,
            "units": list(self.units),
            "lead": self.lead,
            "leads": list(self.leads or self.units[:1]),
            "leader": self.leader,
            "ref": self.ref,
            "start": self.start.isoformat() if self.start is not None else None,
            "open_units": self.open_units,
            "incomplete": self.incomplete,
            "status": self.status,
            "progress": self.progress,
            "due": self.due.isoformat(),
            "note": self.note,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "measures": [{"number": m.number, "text": m.text, "status": m.status, "due": m.due.isoformat()}
                         if m.due is not None else {"number": m.number, "text": m.text, "status": m.status}
                         for m in self.measures],  # = Measure.as_json, inlined: 10,000 tasks list faster
            "path": self.path,
            **self._cycle_json(),
        }

    def _cycle_json(self) -> dict[str, Any]:
        """The cycle's fields, only where the file has them (older plans: the JSON is unchanged)."""
        out: dict[str, Any] = {}
        for key in ("acked", "finished", "closed"):
            v = getattr(self, key)
            if v is not None:
                out[key] = v.isoformat()
        if self.report:
            out["report"] = self.report
        if self.returns:
            out["returns"] = [dict(r) for r in self.returns]
        if self.extensions:
            out["extensions"] = [dict(e) for e in self.extensions]
        if self.cancelled:
            out["cancelled"] = dict(self.cancelled)
        return out


#: a qualitative actual's assessment (评价): key -> (zh, en)
ASSESSMENTS = {"met": ("达标", "met"), "not_met": ("未达标", "not met"), "unclear": ("无法判断", "cannot tell")}


def assessment_key(text: str) -> str | None:
    """'达标' / 'met' / 'not met' / '无法判断' -> its key; None when it is none of them."""
    v = str(text).strip().lower().replace("-", "_")
    for key, (zh, en) in ASSESSMENTS.items():
        if v in (key, zh, en.lower(), en.lower().replace(" ", "_")):
            return key
    return None


@dataclass(frozen=True)
class Actual:
    period: str
    value: float | str | None  # a number; text for a qualitative indicator (基本同步)
    note: str = ""
    assessment: str = ""  # qualitative: met | not_met | unclear (ASSESSMENTS)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.period, "value": self.value, "note": self.note}
        if self.assessment:
            out["assessment"] = self.assessment
        return out


@dataclass(frozen=True)
class Indicator:
    name: str
    comparator: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str = ""
    actuals: tuple[Actual, ...] = ()

    def target_text(self) -> str:
        """The target as a short phrase: '≥ 6.5 %', '8–8.5 %', '≤ 3 %', or '定性'."""
        if self.comparator == "range":
            return f"{fmt_num(self.min)}–{fmt_num(self.max)} {self.unit}".strip()
        if self.comparator == "at_least":
            return f"≥ {fmt_num(self.value)} {self.unit}".strip()
        if self.comparator == "at_most":
            return f"≤ {fmt_num(self.value)} {self.unit}".strip()
        return "qualitative"

    def latest(self) -> Actual | None:
        return max(self.actuals, key=lambda a: a.period) if self.actuals else None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "comparator": self.comparator, "unit": self.unit}
        if self.comparator == "range":
            out["min"], out["max"] = self.min, self.max
        elif self.comparator != "qualitative":
            out["value"] = self.value
        out["actuals"] = [a.as_json() for a in self.actuals]
        return out


@dataclass(frozen=True)
class Target:
    year: int
    number: int
    text: str
    units: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    path: str

    @property
    def id(self) -> str:
        return f"{self.year}-T{self.number:02d}"

    @property
    def lead(self) -> str:
        return self.units[0] if self.units else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "number": self.number, "text": self.text, "units": list(self.units),
            "lead": self.lead, "indicators": [i.as_json() for i in self.indicators], "path": self.path,
        }


@dataclass(frozen=True)
class PlanInfo:
    year: int
    title: str
    document: str
    issuer: str
    issued: date
    language: str
    categories: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    path: str = ""


def fmt_num(x: float | int | str | None) -> str:
    if x is None:
        return "?"
    if isinstance(x, str):
        return x
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def task_id(year: int, number: int) -> str:
    return f"{year}-{number:02d}"


_ID_RE = re.compile(r"^(?:(\d{4})-)?0*(\d{1,6})$")


def parse_task_id(text: str, year: int) -> int:
    """'5', '05' and '2020-05' all mean task 5 of the 2020 plan; anything else is refused."""
    m = _ID_RE.match(text.strip())
    if not m or (m.group(1) and int(m.group(1)) != year):
        raise TrackerError(
            f"not a task id of the {year} plan: {text!r} (use 5, 05 or {year}-05)"
        )
    return int(m.group(2))
