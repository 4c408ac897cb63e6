"""Validation of plan, target and task files.

Every problem names the file, the line and column, the field and the offending value; one
broken file never stops the others from loading.  The checks return typed objects from
`tracker.model` so that nothing downstream sees an unchecked value.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field as _field
from datetime import date, datetime
from typing import Any

from .model import (ASSESSMENTS, COMPARATORS, STATUSES, TASK_STATUSES, TASK_TABLE, Actual, Indicator, Measure,
                    PlanInfo, Target,
                    Task)
from .i18n import Said, book, say, told
from .yamlio import locate

#: from the field table (tracker.model.TASK_TABLE); `conflicts` is written by a sync, not a field
TASK_REQUIRED = tuple(f.name for f in TASK_TABLE if f.required)
TASK_OPTIONAL = (*(f.name for f in TASK_TABLE if not f.required), "conflicts")
MEASURE_KEYS = ("number", "text", "status", "due", "milestones")
TARGET_REQUIRED = ("number", "text", "units", "indicators")
INDICATOR_KEYS = ("name", "comparator", "value", "min", "max", "unit", "actuals")
ACTUAL_KEYS = ("period", "value", "note", "recorded_by", "recorded_on")
PLAN_REQUIRED = ("title", "document", "issuer", "issued", "year", "language", "categories")
PLAN_OPTIONAL = ("settings",)


#: What a plan file can be wrong about (the message after "file:line:col: field: "); str(Problem) is
#: the English as it always was, Problem.text(lang) the user's language.  Values from the file are
#: shown as written ({value} is their repr, cut at 60 characters).
SCHEMA_WORDS = book("schema", {
    "not_mapping": ("须为键值映射，不能是 {kind} {value}", "must be a mapping of keys, not {kind} {value}"),
    "missing_key": ("缺少必填的键 {name!r}", "required key {name!r} is missing"),
    "unknown_key": ("未知的键 {name}（可用的键：{allowed}）", "unknown key {name} (allowed: {allowed})"),
    "not_text": ("须为文字，不能是 {kind} {value}", "must be text, not {kind} {value}"),
    "not_text_value": ("须为文字，不能是 {value}", "must be text, not {value}"),
    "empty": ("不能为空", "empty"),
    "not_whole": ("须为 {lo} 到 {hi} 的整数，不能是 {value}", "must be a whole number from {lo} to {hi}, not {value}"),
    "out_of_range": ("须在 {lo} 到 {hi} 之间，不能是 {n}", "must be from {lo} to {hi}, not {n}"),
    "not_one_of": ("{value} 不是可用的值（可用：{allowed}）", "{value} is not one of: {allowed}"),
    "bad_date": ("须为日期 YYYY-MM-DD：{detail}", "must be a date YYYY-MM-DD: {detail}"),
    "not_date": ("须为日期 YYYY-MM-DD，不能是 {value}", "must be a date YYYY-MM-DD, not {value}"),
    "not_flag": ("须为 true 或 false，不能是 {value}", "must be true or false, not {value}"),
    "not_names": ("须为非空的名称列表，不能是 {value}", "must be a non-empty list of names, not {value}"),
    "not_name": ("须为名称，不能是 {value}", "must be a name, not {value}"),
    "name_twice": ("同一名称列了两次", "name_twice"),
    "not_number": ("须为数字，不能是 {value}", "must be a number, not {value}"),
    "not_finite": ("须为有限的数字，不能是 {value}", "must be a finite number, not {value}"),
    "not_category": ("{value!r} 不是本计划的类别（plan.yaml 列出的类别：{cats}）",
                     "{value!r} is not a category of the plan (plan.yaml lists: {cats})"),
    "lead_not_unit": ("{unit!r} 不在本任务的责任单位中（请把它加入 units，牵头单位在前）",
                      "{unit!r} is not one of the task's units (add it to units, lead first)"),
    "leads_first": ("牵头单位须排在 units 的最前面，顺序相同", "leads_first"),
    "start_after_due": ("开始日期 {start} 晚于完成时限 {due}", "{start} is after the due date {due}"),
    "not_measures": ("须为措施列表，不能是 {value}", "must be a list of measures, not {value}"),
    "measure_twice": ("措施编号 {n} 出现了两次", "measure number {n} appears twice"),
    "not_list": ("须为列表，不能是 {value}", "must be a list, not {value}"),
    "not_entries": ("须为条目列表，不能是 {value}", "must be a list of entries, not {value}"),
    "not_settings": ("须为键值映射，不能是 {value}", "must be a mapping, not {value}"),
    "range_needs": ("区间须有 min 和 max，且 min <= max", "range_needs"),
    "needs_value": ("比较方式 {comp} 须有 value", "comparator {comp} needs a value"),
    "not_period": ("须为期间，如 2020-09 或 2020-Q3，不能是 {value}", "must be a period like 2020-09 or 2020-Q3, not {value}"),
    "qualitative_empty": ("须为文字形式的实际值（如 基本同步），不能为空", "qualitative_empty"),
    "assessment": ("{value}：只有定性指标的实际值才有评价，可用：{allowed}（{zh}）",
                   "{value}: only a qualitative indicator's actual has an assessment, one of: {allowed} ({zh})"),
    # the loader's (store_load.py, asof.py): the files together
    "plan_missing": ("缺少 plan.yaml", "plan.yaml is missing"),
    "cannot_read": ("无法读取：{why}", "cannot read: {why}"),
    "file_name": ("文件名 {name!r} 与任务编号 {number} 不符（应为 {expected}）",
                  "file name {name!r} does not match the task number {number} (expected {expected})"),
    "number_also": ("任务编号 {number} 也被 {other} 使用", "task number {number} is also used by {other}"),
    "number_clash": ("任务编号 {number} 被多个文件使用，这些文件都未载入",
                     "task number {number} is used by more than one file; neither is loaded"),
    "target_twice": ("目标编号 {number} 出现了两次", "target number {number} appears twice"),
    "symlink": ("是符号链接，历史版本中不读取", "is a symbolic link; not read in a past version"),
    "blob_missing": ("仓库中缺少数据对象 {sha}", "blob {sha} is missing from the repository"),
})


@dataclass(frozen=True)
class Problem:
    """One fault of a plan file.  `key`/`args`: the message as a book entry and its arguments (plain
    str/int/float values or tuples of str, an enumeration: they are cached with marshal); a Problem without a key says `message`
    (or, when it is a Said, that in the user's language).  Equality and hash ignore key and args."""

    path: str
    line: int | None
    col: int | None
    field: str
    message: str
    key: str | None = _field(default=None, compare=False, repr=False)
    args: dict = _field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"

    def text(self, lang: str | None = "zh") -> str:
        """str(self) in `lang`: the location and the field (the YAML key to find) as written, the message said."""
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self._field_said(lang)}"

    def short(self, lang: str | None = "zh") -> str:
        """text(lang) without the path, for a place that shows the file beside it (the task list's
        row of a broken file): `line:col field: message`."""
        where = f"{self.line}:{self.col} " if self.line is not None else ""
        return f"{where}{self._field_said(lang)}"

    def _field_said(self, lang: str | None) -> str:
        return f"{self.field + ': ' if self.field else ''}{self.said(lang)}"

    def said(self, lang: str | None = "zh") -> str:
        """The message alone in `lang`.  An argument "detail" that came from a keyed error is said
        again in `lang` (its key in "detail_key", its arguments as "d_<name>")."""
        if self.key is None:
            return told(self.message, lang)
        args = {k: v for k, v in self.args.items() if k != "detail_key" and not k.startswith("d_")}
        if "detail_key" in self.args:
            args["detail"] = say(self.args["detail_key"], lang,
                                 **{k[2:]: v for k, v in self.args.items() if k.startswith("d_")})
        return say(self.key, lang, **args)


def _plain(v: Any) -> Any:
    if isinstance(v, (list, tuple)):  # an enumeration: said joined by the language's separator (i18n.say)
        return tuple(str(x) for x in v)
    return v if v is None or isinstance(v, (bool, int, float)) or type(v) is str else str(v)


def problem(path: str, line: int | None, col: int | None, field: str, entry: str, **args: Any) -> Problem:
    """The book entry `schema.<entry>` as a Problem: message in English, key and args kept."""
    args = {k: _plain(v) for k, v in args.items()}
    key = f"schema.{entry}"
    return Problem(path, line, col, field, say(key, "en", **args), key=key, args=args)


def error_problem(exc: Any, field: str = "") -> Problem:
    """A keyed error (a YamlError: path, line, col, problem, key, args_) as a Problem that keeps its key."""
    args = {k: _plain(v) for k, v in (getattr(exc, "args_", None) or {}).items()}
    return Problem(exc.path, exc.line, exc.col, field, exc.problem, key=getattr(exc, "key", None), args=args)


def detail_args(exc: Any) -> dict[str, Any]:
    """An error's text as the argument "detail" of a message, with its key so that it is said in any language."""
    out: dict[str, Any] = {"detail": str(exc)}
    if getattr(exc, "key", None):
        out["detail_key"] = exc.key
        out.update({f"d_{k}": v for k, v in exc.args_.items()})
    return out


class Invalid(Exception):
    def __init__(self, keys: list[str | int], message: str):
        self.keys, self.message = keys, message


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_name(keys: list[str | int]) -> str:
    out = ""
    for k in keys:
        out += f"[{k + 1}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


_new = object.__new__     # Task and Measure are made as tracker.cache.decode makes them
_set = object.__setattr__
#: the allowed keys of a mapping check, per (required, optional) pair of tuples
_KNOWN: dict[tuple, frozenset] = {}


def _dates():
    """tracker.inputs' date helpers, imported on first use (a checked file is not always dated)."""
    global _DATES
    if _DATES is None:
        from .inputs import InputError, check_date_range, parse_date
        _DATES = (InputError, check_date_range, parse_date)
    return _DATES


_DATES = None


class _Checker:
    """Collects problems for one file; `keys` point at the node for line:column lookup."""

    def __init__(self, path: str, text: str):
        self.path, self.text, self.problems = path, text, []

    def fail(self, keys: list[str | int], entry: str | Said, **args: Any) -> None:
        """The problem at `keys`: `entry` is a "schema" book entry said with `args`, or a Said (of one
        book entry: its key is kept)."""
        pos = locate(self.text, keys)
        line, col = pos if pos else (None, None)
        if isinstance(entry, Said):
            one = entry.parts[0] if len(entry.parts) == 1 and isinstance(entry.parts[0], tuple) else None
            self.problems.append(Problem(self.path, line, col, _field_name(keys), entry,
                                         key=one[0] if one else None,
                                         args={k: _plain(v) for k, v in one[1].items()} if one else {}))
            return
        self.problems.append(problem(self.path, line, col, _field_name(keys), entry, **args))

    def mapping(self, data: Any, keys: list[str | int], required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        if not isinstance(data, dict):
            self.fail(keys, "not_mapping", kind=type(data).__name__, value=_show(data))
            return False
        ok = True
        for k in required:
            if k not in data:
                self.fail(keys, "missing_key", name=k)
                ok = False
        known = _KNOWN.get((required, optional))
        if known is None:
            known = _KNOWN[(required, optional)] = frozenset((*required, *optional))
        for k in data:
            if k not in known:
                self.fail([*keys, str(k)], "unknown_key", name=repr(k), allowed=(*required, *optional))
        return ok  # an unknown key is reported but the rest is still checked: every problem at once

    def text_(self, data: dict, key: str, keys: list, *, required: bool = True, empty_ok: bool = True) -> str:
        v = data.get(key)
        if v is None and not required:
            return ""
        if not isinstance(v, str):
            self.fail([*keys, key], "not_text", kind=type(v).__name__, value=_show(v))
            return ""
        if not empty_ok and not v.strip():
            self.fail([*keys, key], "empty")
        return v

    def int_(self, data: dict, key: str, keys: list, lo: int, hi: int) -> int:
        v = data.get(key)
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail([*keys, key], "not_whole", lo=lo, hi=hi, value=_show(v))
            return lo
        if not lo <= v <= hi:
            self.fail([*keys, key], "out_of_range", lo=lo, hi=hi, n=v)
        return v

    def enum(self, data: dict, key: str, keys: list, allowed: tuple[str, ...]) -> str:
        v = data.get(key)
        if v not in allowed:
            self.fail([*keys, key], "not_one_of", value=_show(v), allowed=tuple(allowed))
            return allowed[0]
        return v

    def date_(self, data: dict, key: str, keys: list, *, required: bool = True) -> date | None:
        v = data.get(key)
        if v is None and not required:
            return None
        InputError, check_date_range, parse_date = _dates()
        try:
            if isinstance(v, datetime):
                return check_date_range(v.date())
            if isinstance(v, date):
                return check_date_range(v)
            if isinstance(v, str):
                return parse_date(v)
        except InputError as exc:
            self.fail([*keys, key], "bad_date", **detail_args(exc))
            return None
        self.fail([*keys, key], "not_date", value=_show(v))
        return None

    def flag(self, data: dict, key: str, keys: list) -> bool:
        v = data.get(key, False)
        if v is None:
            return False
        if not isinstance(v, bool):
            self.fail([*keys, key], "not_flag", value=_show(v))
            return False
        return v

    def str_list(self, data: dict, key: str, keys: list, *, empty_ok: bool = False) -> tuple[str, ...]:
        v = data.get(key)
        if isinstance(v, list) and not v and empty_ok:
            return ()
        if not isinstance(v, list) or not v:
            self.fail([*keys, key], "not_names", value=_show(v))
            return ()
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, str) or not item.strip():
                self.fail([*keys, key, i], "not_name", value=_show(item))
            else:
                out.append(item)
        if len(set(out)) != len(out):
            self.fail([*keys, key], "name_twice")
        return tuple(out)

    def number(self, data: dict, key: str, keys: list) -> float | None:
        v = data.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail([*keys, key], "not_number", value=_show(v))
            return None
        if isinstance(v, float) and not math.isfinite(v):
            self.fail([*keys, key], "not_finite", value=_show(v))
            return None
        return v


def check_task(data: Any, path: str, text: str, year: int, categories: tuple[str, ...]) -> tuple[Task | None, list[Problem]]:
    c = _Checker(path, text)
    if not c.mapping(data, [], TASK_REQUIRED, TASK_OPTIONAL):
        return None, c.problems
    number = c.int_(data, "number", [], 1, 999_999)
    title = c.text_(data, "title", [], empty_ok=False)
    category = c.text_(data, "category", [])
    if categories and category and category not in categories:
        c.fail(["category"], "not_category", value=category, cats=tuple(categories))
    incomplete = c.flag(data, "incomplete", [])
    units = c.str_list(data, "units", [], empty_ok=incomplete)  # a task cut off by its source may name none
    leads: tuple[str, ...] = ()
    if data.get("leads") not in (None, []):
        leads = c.str_list(data, "leads", [])
        for i, u in enumerate(leads):
            if u not in units:
                c.fail(["leads", i], "lead_not_unit", unit=u)
        if leads and units and leads != units[:len(leads)]:
            c.fail(["leads"], "leads_first")
    leader = c.text_(data, "leader", [], required=False)
    ref = data.get("ref")
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    elif ref is not None and not isinstance(ref, str):
        c.fail(["ref"], "not_text_value", value=_show(ref))
        ref = ""
    open_units = c.flag(data, "open_units", [])
    status = c.enum(data, "status", [], TASK_STATUSES)
    progress = c.int_(data, "progress", [], 0, 100)
    due = c.date_(data, "due", [])
    start = c.date_(data, "start", [], required=False)
    if start is not None and due is not None and start > due:
        c.fail(["start"], "start_after_due", start=start.isoformat(), due=due.isoformat())
    measures: list[Measure] = []
    raw_measures = data.get("measures")
    if not isinstance(raw_measures, list):
        c.fail(["measures"], "not_measures", value=_show(raw_measures))
    else:
        seen: set[int] = set()
        for i, m in enumerate(raw_measures):
            # the common measure (number, text, status, all well formed; no due, no milestones) is
            # built here without the checker's calls; anything else takes the full checks below
            if m.__class__ is dict and len(m) == 3:
                mnum, mtext, mstatus = m.get("number"), m.get("text"), m.get("status")
                if (mnum.__class__ is int and 1 <= mnum <= 9999 and mnum not in seen and mtext.__class__ is str
                        and mstatus.__class__ is str and mstatus in _MEASURE_STATUSES and mtext.strip()):
                    seen.add(mnum)
                    measure = _new(Measure)
                    _set(measure, "__dict__", {"number": mnum, "text": mtext, "status": mstatus, "due": None})
                    measures.append(measure)
                    continue
            keys: list[str | int] = ["measures", i]
            if not c.mapping(m, keys, ("number", "text", "status"), ("due", "milestones")):
                continue
            mnum = c.int_(m, "number", keys, 1, 9999)
            if mnum in seen:
                c.fail([*keys, "number"], "measure_twice", n=mnum)
            seen.add(mnum)
            mtext = c.text_(m, "text", keys, empty_ok=False)
            mstatus = c.enum(m, "status", keys, STATUSES)
            mdue = c.date_(m, "due", keys, required=False)
            miles = m.get("milestones")
            if miles is not None:
                if not isinstance(miles, list):
                    c.fail([*keys, "milestones"], "not_list", value=_show(miles))
                else:
                    for j, ms in enumerate(miles):
                        if c.mapping(ms, [*keys, "milestones", j], ("due", "text"), ()):
                            c.date_(ms, "due", [*keys, "milestones", j])
                            c.text_(ms, "text", [*keys, "milestones", j])
            measure = _new(Measure)
            _set(measure, "__dict__", {"number": mnum, "text": mtext, "status": mstatus, "due": mdue})
            measures.append(measure)
    note = c.text_(data, "note", [], required=False)
    problems = c.text_(data, "problems", [], required=False)
    next_steps = c.text_(data, "next_steps", [], required=False)
    conflicts = data.get("conflicts")
    if conflicts is not None and not isinstance(conflicts, list):
        c.fail(["conflicts"], "not_list", value=_show(conflicts))
    values = dict(number=number, category=category, title=title, units=units, measures=tuple(measures),
                  status=status, progress=progress, due=due, note=note, problems=problems, next_steps=next_steps,
                  leads=leads, leader=leader, ref=ref or "", start=start, open_units=open_units, incomplete=incomplete)
    for key, allowed, default in _item_keys():  # items of any kind (issue 13): keys, absent = a plan task
        values[key] = default if data.get(key) is None else c.enum(data, key, [], allowed)
    for name, required, default, check in _plain_fields(values):  # no check of its own above: its kind's
        values[name] = default if not required and data.get(name) is None else check(c, data, name)
    if c.problems or due is None:
        return None, c.problems
    values["year"], values["path"] = year, path
    task = _new(Task)  # every field is in `values` (tests/test_schema_fast.py): the frozen dataclass's
    _set(task, "__dict__", values)  # __init__ (one object.__setattr__ a field) is a third of a check
    return task, []


_MEASURE_STATUSES = frozenset(STATUSES)

#: the check of a plain field of each kind (tracker.model.FieldSpec.kind): (checker, data, key) -> value
_KIND_CHECK = {
    "line": lambda c, d, k: c.text_(d, k, []),
    "text": lambda c, d, k: c.text_(d, k, []),
    "date": lambda c, d, k: c.date_(d, k, []),
    "flag": lambda c, d, k: c.flag(d, k, []),
    "names": lambda c, d, k: c.str_list(d, k, [], empty_ok=True),
    "status": lambda c, d, k: c.enum(d, k, [], STATUSES),
    "percent": lambda c, d, k: c.int_(d, k, [], 0, 100),
    "number": lambda c, d, k: c.int_(d, k, [], 0, 999_999_999),
    "optional_text": lambda c, d, k: c.text_(d, k, []),  # the cycle's report
    "entries": lambda c, d, k: _entries(c, d, k),   # the cycle's returns / extensions
    "entry": lambda c, d, k: _entry(c, d.get(k), [k], k),  # the cycle's cancelled
}
#: an optional field's value when a file does not have it: the Task attribute's default
_TASK_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Task) if f.default is not dataclasses.MISSING}
_PLAIN: list[tuple] | None = None
_ITEM_KEYS: tuple | None = None


def _plain_fields(checked: dict) -> list[tuple]:
    """(name, required, default, check) of every TASK_TABLE field check_task has no check of its
    own for (those not in `checked` on the first call: the same on every call), made once."""
    global _PLAIN
    if _PLAIN is None:
        _PLAIN = [(f.name, f.required, _TASK_DEFAULTS.get(f.name), _KIND_CHECK[f.kind])
                  for f in TASK_TABLE if f.name not in checked]
    return _PLAIN


def _item_keys() -> tuple:
    """(key, allowed, default) of the item's kind and urgency (tracker.itemkinds, imported once)."""
    global _ITEM_KEYS
    if _ITEM_KEYS is None:
        from .itemkinds import KINDS, URGENCIES
        _ITEM_KEYS = (("kind", tuple(KINDS), "plan"), ("urgency", tuple(URGENCIES), "normal"))
    return _ITEM_KEYS


#: the keys of the cycle's entries (tracker/cycle.py): (required, optional); dates become ISO text
_ENTRY_KEYS = {"returns": (("date", "reason"), ("by",)), "extensions": (("date", "to", "reason"), ("by", "from")),
               "cancelled": (("date", "reason"), ("by",))}


def _entry(c: "_Checker", e: Any, keys: list, kind: str) -> dict | None:
    required, optional = _ENTRY_KEYS[kind]
    if not c.mapping(e, keys, required, optional):
        return None
    rec: dict[str, str] = {}
    for k in (*required, *optional):
        if k in ("date", "to", "from"):
            d = c.date_(e, k, keys, required=k in required)
            rec[k] = d.isoformat() if d is not None else ""
        else:
            rec[k] = c.text_(e, k, keys, required=k in required)
    return rec


def _entries(c: "_Checker", data: dict, kind: str) -> tuple:
    raw = data.get(kind)
    if not isinstance(raw, list):
        c.fail([kind], "not_entries", value=_show(raw))
        return ()
    return tuple(r for r in (_entry(c, e, [kind, i], kind) for i, e in enumerate(raw)) if r is not None)


def check_target(data: Any, path: str, text: str, year: int) -> tuple[Target | None, list[Problem]]:
    c = _Checker(path, text)
    if not c.mapping(data, [], TARGET_REQUIRED, ("conflicts",)):
        return None, c.problems
    conflicts = data.get("conflicts")
    if conflicts is not None and not isinstance(conflicts, list):
        c.fail(["conflicts"], "not_list", value=_show(conflicts))
    number = c.int_(data, "number", [], 1, 9999)
    ttext = c.text_(data, "text", [], empty_ok=False)
    units = c.str_list(data, "units", [])
    indicators: list[Indicator] = []
    raw = data.get("indicators")
    if not isinstance(raw, list):
        c.fail(["indicators"], "not_list", value=_show(raw))
        raw = []
    for i, ind in enumerate(raw):
        keys: list[str | int] = ["indicators", i]
        if not c.mapping(ind, keys, ("name", "comparator"), ("value", "min", "max", "unit", "actuals")):
            continue
        name = c.text_(ind, "name", keys, empty_ok=False)
        comp = c.enum(ind, "comparator", keys, COMPARATORS)
        value, lo, hi = c.number(ind, "value", keys), c.number(ind, "min", keys), c.number(ind, "max", keys)
        if comp == "range" and (lo is None or hi is None or lo > hi):
            c.fail(keys, "range_needs")
        if comp in ("at_least", "at_most") and value is None:
            c.fail(keys, "needs_value", comp=comp)
        unit = c.text_(ind, "unit", keys, required=False)
        actuals: list[Actual] = []
        raw_act = ind.get("actuals", [])
        if not isinstance(raw_act, list):
            c.fail([*keys, "actuals"], "not_list", value=_show(raw_act))
            raw_act = []
        for j, a in enumerate(raw_act):
            akeys = [*keys, "actuals", j]
            if not c.mapping(a, akeys, ("period", "value"), ("note", "recorded_by", "recorded_on", "assessment")):
                continue
            period = a.get("period")
            if isinstance(period, (date, int)):
                period = str(period)
            if not isinstance(period, str) or not period:
                c.fail([*akeys, "period"], "not_period", value=_show(period))
                continue
            raw_value = a.get("value")
            if comp == "qualitative" and isinstance(raw_value, str):
                value_ = raw_value if raw_value.strip() else None  # a qualitative actual is text
                if value_ is None:
                    c.fail([*akeys, "value"], "qualitative_empty")
            else:
                value_ = c.number(a, "value", akeys)
            verdict = a.get("assessment")
            if verdict is not None and (comp != "qualitative" or verdict not in ASSESSMENTS):
                c.fail([*akeys, "assessment"], "assessment", value=_show(verdict), allowed=tuple(ASSESSMENTS),
                       zh="/".join(z for z, _ in ASSESSMENTS.values()))
                verdict = None
            actuals.append(Actual(period=period, value=value_,
                                  note=c.text_(a, "note", akeys, required=False), assessment=verdict or ""))
        indicators.append(Indicator(name=name, comparator=comp, value=value, min=lo, max=hi,
                                    unit=unit, actuals=tuple(actuals)))
    if c.problems:
        return None, c.problems
    return Target(year=year, number=number, text=ttext, units=units, indicators=tuple(indicators), path=path), []


def check_plan(data: Any, path: str, text: str) -> tuple[PlanInfo | None, list[Problem]]:
    c = _Checker(path, text)
    if not c.mapping(data, [], PLAN_REQUIRED, PLAN_OPTIONAL):
        return None, c.problems
    title = c.text_(data, "title", [], empty_ok=False)
    document = c.text_(data, "document", [])
    issuer = c.text_(data, "issuer", [])
    issued = c.date_(data, "issued", [])
    year = c.int_(data, "year", [], 1900, 2999)
    language = c.enum(data, "language", [], ("zh", "en"))
    cats = c.str_list(data, "categories", [])
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        c.fail(["settings"], "not_settings", value=_show(settings))
        settings = {}
    if c.problems or issued is None:
        return None, c.problems
    return PlanInfo(year=year, title=title, document=document, issuer=issuer, issued=issued,
                    language=language, categories=cats, settings=dict(settings), path=path), []
