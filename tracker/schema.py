"""Validation of plan, target and task files.

Every problem names the file, the line and column, the field and the offending value; one
broken file never stops the others from loading.  The checks return typed objects from
`tracker.model` so that nothing downstream sees an unchecked value.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .model import (ASSESSMENTS, COMPARATORS, STATUSES, TASK_STATUSES, TASK_TABLE, Actual, Indicator, Measure,
                    PlanInfo, Target,
                    Task)
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


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


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

    def fail(self, keys: list[str | int], message: str) -> None:
        pos = locate(self.text, keys)
        line, col = pos if pos else (None, None)
        self.problems.append(Problem(self.path, line, col, _field_name(keys), message))

    def mapping(self, data: Any, keys: list[str | int], required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        if not isinstance(data, dict):
            self.fail(keys, f"must be a mapping of keys, not {type(data).__name__} {_show(data)}")
            return False
        ok = True
        for k in required:
            if k not in data:
                self.fail(keys, f"required key {k!r} is missing")
                ok = False
        known = _KNOWN.get((required, optional))
        if known is None:
            known = _KNOWN[(required, optional)] = frozenset((*required, *optional))
        for k in data:
            if k not in known:
                allowed = ", ".join((*required, *optional))
                self.fail([*keys, str(k)], f"unknown key {k!r} (allowed: {allowed})")
        return ok  # an unknown key is reported but the rest is still checked: every problem at once

    def text_(self, data: dict, key: str, keys: list, *, required: bool = True, empty_ok: bool = True) -> str:
        v = data.get(key)
        if v is None and not required:
            return ""
        if not isinstance(v, str):
            self.fail([*keys, key], f"must be text, not {type(v).__name__} {_show(v)}")
            return ""
        if not empty_ok and not v.strip():
            self.fail([*keys, key], "must not be empty")
        return v

    def int_(self, data: dict, key: str, keys: list, lo: int, hi: int) -> int:
        v = data.get(key)
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail([*keys, key], f"must be a whole number from {lo} to {hi}, not {_show(v)}")
            return lo
        if not lo <= v <= hi:
            self.fail([*keys, key], f"must be from {lo} to {hi}, not {v}")
        return v

    def enum(self, data: dict, key: str, keys: list, allowed: tuple[str, ...]) -> str:
        v = data.get(key)
        if v not in allowed:
            self.fail([*keys, key], f"{_show(v)} is not one of: {', '.join(allowed)}")
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
            self.fail([*keys, key], f"must be a date YYYY-MM-DD: {exc}")
            return None
        self.fail([*keys, key], f"must be a date YYYY-MM-DD, not {_show(v)}")
        return None

    def flag(self, data: dict, key: str, keys: list) -> bool:
        v = data.get(key, False)
        if v is None:
            return False
        if not isinstance(v, bool):
            self.fail([*keys, key], f"must be true or false, not {_show(v)}")
            return False
        return v

    def str_list(self, data: dict, key: str, keys: list, *, empty_ok: bool = False) -> tuple[str, ...]:
        v = data.get(key)
        if isinstance(v, list) and not v and empty_ok:
            return ()
        if not isinstance(v, list) or not v:
            self.fail([*keys, key], f"must be a non-empty list of names, not {_show(v)}")
            return ()
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, str) or not item.strip():
                self.fail([*keys, key, i], f"must be a name, not {_show(item)}")
            else:
                out.append(item)
        if len(set(out)) != len(out):
            self.fail([*keys, key], "lists a name twice")
        return tuple(out)

    def number(self, data: dict, key: str, keys: list) -> float | None:
        v = data.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail([*keys, key], f"must be a number, not {_show(v)}")
            return None
        if isinstance(v, float) and not math.isfinite(v):
            self.fail([*keys, key], f"must be a finite number, not {_show(v)}")
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
        c.fail(["category"], f"{category!r} is not a category of the plan (plan.yaml lists: {', '.join(categories)})")
    incomplete = c.flag(data, "incomplete", [])
    units = c.str_list(data, "units", [], empty_ok=incomplete)  # a task cut off by its source may name none
    leads: tuple[str, ...] = ()
    if data.get("leads") not in (None, []):
        leads = c.str_list(data, "leads", [])
        for i, u in enumerate(leads):
            if u not in units:
                c.fail(["leads", i], f"{u!r} is not one of the task's units (add it to units, lead first)")
        if leads and units and leads != units[:len(leads)]:
            c.fail(["leads"], "the lead units must come first in units, in the same order")
    leader = c.text_(data, "leader", [], required=False)
    ref = data.get("ref")
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    elif ref is not None and not isinstance(ref, str):
        c.fail(["ref"], f"must be text, not {_show(ref)}")
        ref = ""
    open_units = c.flag(data, "open_units", [])
    status = c.enum(data, "status", [], TASK_STATUSES)
    progress = c.int_(data, "progress", [], 0, 100)
    due = c.date_(data, "due", [])
    start = c.date_(data, "start", [], required=False)
    if start is not None and due is not None and start > due:
        c.fail(["start"], f"{start.isoformat()} is after the due date {due.isoformat()}")
    measures: list[Measure] = []
    raw_measures = data.get("measures")
    if not isinstance(raw_measures, list):
        c.fail(["measures"], f"must be a list of measures, not {_show(raw_measures)}")
    else:
        seen: set[int] = set()
        for i, m in enumerate(raw_measures):
            keys: list[str | int] = ["measures", i]
            if not c.mapping(m, keys, ("number", "text", "status"), ("due", "milestones")):
                continue
            mnum = c.int_(m, "number", keys, 1, 9999)
            if mnum in seen:
                c.fail([*keys, "number"], f"measure number {mnum} appears twice")
            seen.add(mnum)
            mtext = c.text_(m, "text", keys, empty_ok=False)
            mstatus = c.enum(m, "status", keys, STATUSES)
            mdue = c.date_(m, "due", keys, required=False)
            miles = m.get("milestones")
            if miles is not None:
                if not isinstance(miles, list):
                    c.fail([*keys, "milestones"], f"must be a list, not {_show(miles)}")
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
        c.fail(["conflicts"], f"must be a list, not {_show(conflicts)}")
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
        c.fail([kind], f"must be a list of entries, not {_show(raw)}")
        return ()
    return tuple(r for r in (_entry(c, e, [kind, i], kind) for i, e in enumerate(raw)) if r is not None)


def check_target(data: Any, path: str, text: str, year: int) -> tuple[Target | None, list[Problem]]:
    c = _Checker(path, text)
    if not c.mapping(data, [], TARGET_REQUIRED, ("conflicts",)):
        return None, c.problems
    conflicts = data.get("conflicts")
    if conflicts is not None and not isinstance(conflicts, list):
        c.fail(["conflicts"], f"must be a list, not {_show(conflicts)}")
    number = c.int_(data, "number", [], 1, 9999)
    ttext = c.text_(data, "text", [], empty_ok=False)
    units = c.str_list(data, "units", [])
    indicators: list[Indicator] = []
    raw = data.get("indicators")
    if not isinstance(raw, list):
        c.fail(["indicators"], f"must be a list, not {_show(raw)}")
        raw = []
    for i, ind in enumerate(raw):
        keys: list[str | int] = ["indicators", i]
        if not c.mapping(ind, keys, ("name", "comparator"), ("value", "min", "max", "unit", "actuals")):
            continue
        name = c.text_(ind, "name", keys, empty_ok=False)
        comp = c.enum(ind, "comparator", keys, COMPARATORS)
        value, lo, hi = c.number(ind, "value", keys), c.number(ind, "min", keys), c.number(ind, "max", keys)
        if comp == "range" and (lo is None or hi is None or lo > hi):
            c.fail(keys, "a range needs min and max with min <= max")
        if comp in ("at_least", "at_most") and value is None:
            c.fail(keys, f"comparator {comp} needs a value")
        unit = c.text_(ind, "unit", keys, required=False)
        actuals: list[Actual] = []
        raw_act = ind.get("actuals", [])
        if not isinstance(raw_act, list):
            c.fail([*keys, "actuals"], f"must be a list, not {_show(raw_act)}")
            raw_act = []
        for j, a in enumerate(raw_act):
            akeys = [*keys, "actuals", j]
            if not c.mapping(a, akeys, ("period", "value"), ("note", "recorded_by", "recorded_on", "assessment")):
                continue
            period = a.get("period")
            if isinstance(period, (date, int)):
                period = str(period)
            if not isinstance(period, str) or not period:
                c.fail([*akeys, "period"], f"must be a period like 2020-09 or 2020-Q3, not {_show(period)}")
                continue
            raw_value = a.get("value")
            if comp == "qualitative" and isinstance(raw_value, str):
                value_ = raw_value if raw_value.strip() else None  # a qualitative actual is text
                if value_ is None:
                    c.fail([*akeys, "value"], "must be the actual as text (e.g. 基本同步), not empty")
            else:
                value_ = c.number(a, "value", akeys)
            verdict = a.get("assessment")
            if verdict is not None and (comp != "qualitative" or verdict not in ASSESSMENTS):
                c.fail([*akeys, "assessment"], f"{_show(verdict)}: only a qualitative indicator's actual has an "
                       f"assessment, one of: {', '.join(ASSESSMENTS)} ({'/'.join(z for z, _ in ASSESSMENTS.values())})")
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
        c.fail(["settings"], f"must be a mapping, not {_show(settings)}")
        settings = {}
    if c.problems or issued is None:
        return None, c.problems
    return PlanInfo(year=year, title=title, document=document, issuer=issuer, issued=issued,
                    language=language, categories=cats, settings=dict(settings), path=path), []
