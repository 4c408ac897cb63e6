"""Who may change what: the rules table, in this one place.

A change is cut into *field changes* (`task status`, `task measures[].status`, `target
indicators[].actuals`, `offices.yaml`, ...).  Each is allowed when a row of `RULES` grants it to the
office's role, within the row's scope and values; anything no row grants is supervisor-only.  A
supervisor office may change anything.  Issues that add lifecycle steps (申请办结, 销号, 退回, ...)
extend `UNIT_STATUSES` (what a unit office may set) and, when a step needs it, add a row; nothing
else in the program decides rights.

`python -m tracker.permissions` prints the table as the README shows it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .i18n import book, pick, say
from .offices import OFFICES_FILE, Office

#: statuses a unit office may set, and may change from: up to claiming the item done (the
#: "applied for closure" level, 申请办结), with 签收 (acked) on the way; closing, sending back,
#: cancelling and extending stay with the supervisor (tracker/cycle.py: STEPS[..].who).
UNIT_STATUSES = ("not_started", "acked", "in_progress", "blocked", "done")
#: a measure's statuses (the cycle's own states are a task's only)
MEASURE_STATUSES = ("not_started", "in_progress", "blocked", "done")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str           # task | target | plan | offices | other
    field: str          # the field change it grants ("*" = every field)
    role: str           # supervisor | unit
    scope: str          # "any" | "own" (the office acts for the item's lead or a co-unit)
    values: tuple[str, ...] = ()   # when given, old and new value must be among them
    note: str = ""


RULES: tuple[Rule, ...] = (
    Rule("supervisor-all", "*", "*", "supervisor", "any", note="a supervisor office may change anything: the plan, new items, closing, sending back, cancelling, extensions, offices.yaml"),
    Rule("unit-status", "task", "status", "unit", "own", UNIT_STATUSES, "status, up to done (申请办结 level)"),
    Rule("unit-progress", "task", "progress", "unit", "own", note="progress 0-100"),
    Rule("unit-note", "task", "note", "unit", "own", note="进展情况"),
    Rule("unit-problems", "task", "problems", "unit", "own", note="存在问题"),
    Rule("unit-next-steps", "task", "next_steps", "unit", "own", note="下步打算"),
    Rule("unit-measure-status", "task", "measures[].status", "unit", "own", MEASURE_STATUSES, "a measure's status"),
    Rule("unit-acked", "task", "acked", "unit", "own", note="签收 date (tracker ack)"),
    Rule("unit-report", "task", "report", "unit", "own", note="办结报告 (tracker finish)"),
    Rule("unit-finished", "task", "finished", "unit", "own", note="申请办结 date (tracker finish)"),
    Rule("unit-task-conflicts", "task", "conflicts", "unit", "own", note="recorded merge conflicts (sync, resolve)"),
    Rule("unit-actuals", "target", "indicators[].actuals", "unit", "own", note="a target's actual values, where the office acts for one of the target's units"),
    Rule("unit-target-conflicts", "target", "conflicts", "unit", "own", note="recorded merge conflicts (sync, resolve)"),
)

_TASK = re.compile(r"^plan/(\d{4})/tasks/(?:.*/)?\d+\.yaml$")
_TARGET = re.compile(r"^plan/(\d{4})/targets/\d+\.yaml$")
_PLAN = re.compile(r"^plan/(\d{4})/plan\.yaml$")


def kind_of(path: str) -> str:
    if path == OFFICES_FILE:
        return "offices"
    if _TASK.match(path):
        return "task"
    if _TARGET.match(path):
        return "target"
    if _PLAN.match(path):
        return "plan"
    return "other"


@dataclass(frozen=True)
class FieldChange:
    field: str        # "status", "measures[].status", "(created)", "(deleted)", "(file)"
    where: str        # human position: "measures[3].status"
    old: Any = None
    new: Any = None


WORDS = book("permissions", {
    "denied": ("{path}: {where}: {office} 无权修改（{rule}：{reason}）",
               "{path}: {where}: office {office} may not change it ({rule}: {reason})"),
})


@dataclass(frozen=True)
class Denied:
    path: str
    where: str
    office: str
    rule: str         # the id of the rule that was closest, or "supervisor-only"
    reason: str
    reason_zh: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """In `lang`; a denial that has no Chinese reason is said in English."""
        lang = lang if self.reason_zh else "en"
        return say("permissions.denied", lang, path=self.path, where=self.where, office=self.office, rule=self.rule,
                   reason=pick((self.reason_zh, self.reason), lang))


def _drop(d: Any, *keys: str) -> Any:
    return {k: v for k, v in d.items() if k not in keys} if isinstance(d, dict) else d


def field_changes(kind: str, old: Any, new: Any) -> list[FieldChange]:
    """The field changes between two parsed versions of one file (None = absent)."""
    if old is None and new is None:
        return []
    if old is None:
        return [FieldChange("(created)", "(file created)")]
    if new is None:
        return [FieldChange("(deleted)", "(file deleted)")]
    if kind not in ("task", "target") or not isinstance(old, dict) or not isinstance(new, dict):
        return [] if old == new else [FieldChange("(file)", "(file)")]
    out: list[FieldChange] = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if kind == "task" and key == "measures" and _same_shape(a, b, "status"):
            for i, (ma, mb) in enumerate(zip(a, b)):
                if ma.get("status") != mb.get("status"):
                    out.append(FieldChange("measures[].status", f"measures[{i + 1}].status", ma.get("status"), mb.get("status")))
            continue
        if kind == "target" and key == "indicators" and _same_shape(a, b, "actuals"):
            for i, (ia, ib) in enumerate(zip(a, b)):
                if ia.get("actuals") != ib.get("actuals"):
                    out.append(FieldChange("indicators[].actuals", f"indicators[{i + 1}].actuals"))
            continue
        out.append(FieldChange(str(key), str(key), a, b))
    return out


def _same_shape(a: Any, b: Any, free: str) -> bool:
    """Two lists of mappings equal but for the key `free` in each element."""
    return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
            and all(isinstance(x, dict) and isinstance(y, dict) and _drop(x, free) == _drop(y, free) for x, y in zip(a, b)))


def item_units(kind: str, old: Any) -> tuple[str, ...]:
    """The units an item names (its lead first), read from the version before the change."""
    if kind in ("task", "target") and isinstance(old, dict) and isinstance(old.get("units"), list):
        return tuple(str(u) for u in old["units"])
    return ()


def check_change(office: Office, path: str, old: Any, new: Any) -> list[Denied]:
    """What of this file's change `office` may not make (empty: all allowed)."""
    if office.is_supervisor:
        return []
    kind = kind_of(path)
    units = item_units(kind, old)
    denied = []
    for ch in field_changes(kind, old, new):
        rule = next((r for r in RULES if r.role == office.role and r.kind == kind and r.field == ch.field), None)
        if rule is None:
            what, what_zh = {
                "offices": ("offices.yaml is changed only by a supervisor office", "offices.yaml 只能由督查科室修改"),
                "plan": ("the plan is changed only by a supervisor office", "计划只能由督查科室修改"),
                "other": ("files outside the plan's items are changed only by a supervisor office", "任务和目标以外的文件只能由督查科室修改"),
            }.get(kind) or {
                "(created)": ("new items are made only by a supervisor office", "新增任务/目标只能由督查科室进行"),
                "(deleted)": ("items are removed only by a supervisor office", "删除任务/目标只能由督查科室进行"),
            }.get(ch.field) or (f"{ch.field} is changed only by a supervisor office", f"{ch.field} 只能由督查科室修改")
            denied.append(Denied(path, ch.where, office.name, "supervisor-only", what, what_zh))
            continue
        if rule.scope == "own" and not office.acts_for(units):
            denied.append(Denied(path, ch.where, office.name, rule.id,
                                 f"the office acts for {', '.join(office.units)}, the item belongs to {', '.join(units) or 'no unit'}",
                                 f"本科室代表 {'、'.join(office.units)}，该事项属于 {'、'.join(units) or '无单位'}"))
            continue
        if rule.values and (ch.old not in rule.values or ch.new not in rule.values):
            bad = ch.new if ch.new not in rule.values else ch.old
            denied.append(Denied(path, ch.where, office.name, rule.id,
                                 f"a unit office sets only {', '.join(rule.values)}; {bad!r} is the supervisor's",
                                 f"单位科室只能设为 {'、'.join(rule.values)}；{bad!r} 由督查科室决定"))
    return denied


def markdown_table() -> str:
    rows = ["| rule | file | field | who | scope | values |", "|---|---|---|---|---|---|"]
    for r in RULES:
        scope = "any item" if r.scope == "any" else "items whose lead or co-unit the office acts for"
        rows.append(f"| `{r.id}` | {r.kind} | `{r.field}` | {r.role} | {scope} | {', '.join(r.values) or '—'} |")
    rows.append("| `supervisor-only` | everything else | | supervisor | | |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table())
