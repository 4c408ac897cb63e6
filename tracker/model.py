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



# -- the task fields: one table ------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    """One key of a task file, and everything the program does with it.

    Every consumer derives its list from TASK_TABLE: the schema's required/optional keys
    (schema.py), the edits `tracker set` and the TUI accept and how they are checked
    (store.validate_changes: rule `kind`), the parse cache's record layout (cache.py), the order of
    changes in diffs and commit messages (changes.SCALAR_ORDER), which values a commit message
    calls "updated" instead of old → new (commitmsg), the options of `tracker set` (commands/tasks),
    the rows of `tracker show` and of the TUI's detail screen, and the JSON contract (Task.as_json).
    tests/test_fields_table.py checks that each of those equals what the table says.

    Adding a plain field: a row here, the attribute on Task (same name, its default for an
    optional key), and a test.  A kind with a special check adds its rule in schema/store."""

    name: str                     # the YAML key and the Task attribute
    kind: str                     # number | line | text | names | status | percent | date | flag | measures;
                                  # the cycle's: optional_text (written only when set) | entries | entry
    label: tuple[str, str]        # (zh, en): registered in the label book as "field.<name>"
    required: bool = False        # must be in every task file (else: optional, older files lack it)
    editable: bool = False        # `tracker set` and the TUI change it (one commit)
    long_text: bool = False       # a commit subject says "updated X" (old → new is in the body)
    json: str | None = None       # key in `--format json` (README "JSON output"); None = not in the JSON
    order: int = 99               # place in change lists and commit messages (lower first; ties: table order)
    help: tuple[str, str] | None = None  # (zh, en) help of `tracker set --<name>` (editable rows): "help.field.<name>"
    file: int = 0                 # place in a new task file's layout (tracker.planfiles.task_map)
    show: int | None = None       # row place in `tracker show` (None: not a row of its own)
    detail: int | None = None     # row place on the TUI's detail screen (None: not a row of its own)

    @property
    def label_key(self) -> str:
        return f"field.{self.name}"

    @property
    def option(self) -> str | None:
        """`tracker set` option: --next-steps for next_steps; None when not editable."""
        return "--" + self.name.replace("_", "-") if self.editable else None


#: in the order of the JSON contract (and of the parse cache's record).  order: change lists and
#: commit messages; file: a new file's layout; show / detail: rows of `tracker show` / the TUI detail.
_F = FieldSpec
TASK_TABLE: tuple[FieldSpec, ...] = (
    _F("number", "number", ("编号", "number"), required=True, json="number", order=9, file=10),
    _F("category", "line", ("类别", "category"), required=True, json="category", order=7, file=30,
       show=20, detail=10),
    _F("title", "line", ("标题", "title"), required=True, long_text=True, json="title", order=6, file=20, show=10),
    _F("units", "names", ("责任单位", "units"), required=True, json="units", order=8, file=50, show=30),
    _F("leads", "names", ("牵头单位", "lead unit"), json="leads", order=10, file=60, detail=60),
    _F("leader", "line", ("牵头领导", "leader"), json="leader", order=11, file=70, show=32, detail=70),
    _F("ref", "line", ("文件编号", "document no."), json="ref", order=12, file=40, show=34, detail=80),
    _F("start", "date", ("开始", "start"), json="start", order=13, file=120, show=36, detail=90),
    _F("open_units", "flag", ("等（单位未列全）", "etc. (list not complete)"), json="open_units", order=14, file=80),
    _F("incomplete", "flag", ("原文不完整", "source text cut off"), json="incomplete", order=15, file=90,
       detail=100),
    _F("origin", "line", ("结转自", "carried over from"), json="origin", order=16, file=95, detail=105),
    _F("status", "status", ("状态", "status"), required=True, editable=True, json="status", order=0, file=100,
       show=40, detail=20, help=("未启动|推进中|已完成|受阻（或 not_started|in_progress|done|blocked）",
                                  "not_started|in_progress|done|blocked (or 未启动|推进中|已完成|受阻)")),
    _F("progress", "percent", ("进度", "progress"), required=True, editable=True, json="progress", order=1,
       file=110, show=50, detail=30, help=("0-100（百分比）", "0-100")),
    _F("due", "date", ("完成时限", "due"), required=True, editable=True, json="due", order=2, file=130,
       show=60, detail=50, help=("完成时限 YYYY-MM-DD（2000-2099）", "due date YYYY-MM-DD (2000-2099)")),
    _F("note", "text", ("进展情况", "note"), editable=True, long_text=True, json="note", order=3, file=140,
       show=70, detail=120, help=("进展情况", "进展情况 (progress note)")),
    _F("problems", "text", ("存在问题", "problems"), editable=True, long_text=True, json="problems", order=4,
       file=150, show=80, detail=130, help=("存在问题", "存在问题")),
    _F("next_steps", "text", ("下步打算", "next steps"), editable=True, long_text=True, json="next_steps", order=5,
       file=160, show=90, detail=140, help=("下步打算", "下步打算")),
    # items of any kind (issue 13): optional, a plan's own tasks lack them (kind plan, urgency normal)
    _F("kind", "line", ("类型", "kind"), json="kind", order=16, file=15, show=5, detail=5),
    _F("urgency", "line", ("紧急程度", "urgency"), json="urgency", order=17, file=45, show=35, detail=85),
    _F("text", "text", ("内容", "text"), long_text=True, json="text", order=18, file=25, show=15, detail=110),
    _F("measures", "measures", ("措施", "measures"), required=True, json="measures", order=98, file=170),
    # the supervision cycle (tracker/cycle.py, README "Lifecycle"): written by its steps, never by `set`;
    # in the JSON only where the file has them (Task._cycle_json); shown by cycle.cycle_rows
    _F("acked", "date", ("签收日期", "acknowledged on"), order=20, file=180),
    _F("finished", "date", ("申请办结日期", "applied for closure on"), order=21, file=181),
    _F("report", "optional_text", ("办结报告", "closure report"), long_text=True, order=22, file=182),
    _F("closed", "date", ("销号日期", "closed on"), order=23, file=183),
    _F("returns", "entries", ("退回重办", "sent back"), order=24, file=184),
    _F("extensions", "entries", ("延期", "extensions"), order=25, file=185),
    _F("cancelled", "entry", ("撤销", "cancellation"), order=26, file=186),
)
del _F
FIELD = {f.name: f for f in TASK_TABLE}

#: the keys of a task file, every one (conflicts: recorded by a sync, not a field of the task)
TASK_FIELDS = tuple(f.name for f in TASK_TABLE)
#: fields a person may change through `tracker set` / the TUI, in the order of change lists
EDITABLE_FIELDS = tuple(f.name for f in sorted(TASK_TABLE, key=lambda f: f.order) if f.editable)
#: fields whose change a commit subject names as "updated X" (long text)
LONG_TEXT_FIELDS = tuple(f.name for f in TASK_TABLE if f.long_text)
#: the task fields in the order of change lists and commit messages (measures: item by item, after them)
CHANGE_ORDER = tuple(f.name for f in sorted(TASK_TABLE, key=lambda f: f.order) if f.kind != "measures")


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

    @classmethod
    def keyed(cls, key: str, **args: Any) -> "TrackerError":
        """The error of label-book entry `key`: its English text as str(), `.text(lang)` any language."""
        from .i18n import say  # i18n imports nothing of ours; kept local so model stays leaf-light
        return cls(say(key, "en", **args), key=key, **args)

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
    kind: str = "plan"            # plan (重点工作) | instruction (批示件) | meeting | proposal | inspection | other
    urgency: str = "normal"       # normal (一般) | urgent (紧急) | critical (特急)
    text: str = ""                # the item's own words (批示内容, 议定事项 ...); a plan task's is its title
    origin: str = ""              # 结转: the id this item was carried over from (tracker carry-over)

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
        """The documented, stable JSON contract (README "JSON output"): `id`, then every field of
        TASK_TABLE with a JSON key, in table order (`lead` just before `leads`), then `path`."""
        out: dict[str, Any] = {"id": self.id}
        for key, name, how in _JSON_PLAN:
            v = getattr(self, name)
            if how is None:
                out[key] = v
            elif how is _LEADS:
                out["lead"] = self.lead
                out[key] = list(v or self.units[:1])
            elif how is list:
                out[key] = list(v)
            elif how is _DATE:
                out[key] = v.isoformat() if v is not None else None
            else:  # measures
                out[key] = [{"number": m.number, "text": m.text, "status": m.status, "due": m.due.isoformat()}
                            if m.due is not None else {"number": m.number, "text": m.text, "status": m.status}
                            for m in v]  # = Measure.as_json, inlined: 10,000 tasks list faster
        out["path"] = self.path
        out.update(self._cycle_json())  # the cycle's fields, only where the file has them
        return out

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


_LEADS, _DATE, _MEASURES = object(), object(), object()
#: (JSON key, attribute, conversion) for Task.as_json, from the table
_JSON_PLAN: tuple = tuple(
    (f.json, f.name, _LEADS if f.name == "leads" else {"names": list, "date": _DATE, "measures": _MEASURES}.get(f.kind))
    for f in TASK_TABLE if f.json is not None)


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


from .i18n import book as _book  # noqa: E402  (i18n imports nothing of ours)

_book("task_id", {"bad": ("不是 {year} 年计划的任务编号：{text!r}（请用 5、05 或 {year}-05）",
                          "not a task id of the {year} plan: {text!r} (use 5, 05 or {year}-05)")})


def parse_task_id(text: str, year: int) -> int:
    """'5', '05' and '2020-05' all mean task 5 of the 2020 plan; anything else is refused."""
    m = _ID_RE.match(text.strip())
    if not m or (m.group(1) and int(m.group(1)) != year):
        from .i18n import say

        args = {"year": year, "text": text}
        raise TrackerError(say("task_id.bad", "en", **args), key="task_id.bad", **args)
    return int(m.group(2))


def _register_labels() -> None:
    from .i18n import book  # i18n imports nothing of ours

    book("field", {f.name: f.label for f in TASK_TABLE})
    book("help.field", {f.name: f.help for f in TASK_TABLE if f.help is not None})
    book("assessment", ASSESSMENTS)


_register_labels()
