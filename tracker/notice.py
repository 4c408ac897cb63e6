"""Parse a key-work notice (重点工作分解落实方案) into plan, targets and tasks.

The notice is plain text as published: a header (document number, issuer, date), a section of
overall targets (综合目标分解), then numbered tasks under Chinese-numbered categories, each task
line carrying its units in parentheses and followed by one paragraph per measure.  Every line of
the plan body that fits none of these shapes is reported, never dropped silently.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .units import split_units

if TYPE_CHECKING:
    from .importer.unitlist import UnitGroup

_CN_NUM = "一二三四五六七八九十"
_ITEM = re.compile(r"^(\d+)、(.+?)[。.]?\s*[((]([^()()]+)[))]\s*[。.]?$")
_CATEGORY = re.compile(rf"^([{_CN_NUM}]+)、\s*(.+)$")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]+发〔\d{4}〕\d+号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE = re.compile(r"《([^》]+)》")


@dataclass
class Measure:
    text: str
    due: date | None = None
    milestones: list[tuple[date, str]] = field(default_factory=list)


@dataclass
class ImportedTask:
    """A task as a notice states it, before it is written: the bundled parser fills number, title,
    units, category, measures and line; the general importer (tracker.importer) the rest too."""

    title: str
    category: str = ""
    ref: str = ""            # the document's own number (二.1, (三), 12)
    number: int = 0          # the id, 1..N in document order
    units: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    leader: str = ""
    due: date | None = None
    due_text: str = ""
    start: date | None = None
    open_units: bool = False
    incomplete: bool = False
    key: bool = False        # ★ in the document
    tags: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    line: int = 0            # where it starts in the source (1-based), 0 when unknown (tables)
    where: str = ""          # e.g. 'row 12' of a spreadsheet

    def locate(self) -> str:
        return self.where or (f"line {self.line}" if self.line else "")

    def set_group(self, g: UnitGroup) -> None:
        self.leads = list(g.leads)
        self.units = g.units
        self.open_units = g.open
        self.tags = list(g.tags)
        if g.leader:
            self.leader = g.leader
        if g.due_text:
            self.due_text = g.due_text


@dataclass
class ParsedIndicator:
    name: str
    comparator: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str = ""


@dataclass
class ParsedTarget:
    number: int
    text: str
    units: list[str]
    indicators: list[ParsedIndicator]


@dataclass
class ParsedNotice:
    year: int
    title: str
    document: str
    issuer: str
    issued: date | None
    categories: list[str]
    targets: list[ParsedTarget]
    tasks: list[ImportedTask]
    unplaced: list[tuple[int, str]]  # (line number, text) of plan-body lines that fit nowhere


def _num(s: str) -> float | int:
    f = float(s)
    return int(f) if f.is_integer() else f


_UNIT = r"(%|个百分点|亿美元|亿元|万元|万亩|公里|家|个|座|只|户|场|所|条|人)"
_RANGE = re.compile(rf"^(.*?)(\d+(?:\.\d+)?)%?\s*[—\-–~～至]+\s*(\d+(?:\.\d+)?){_UNIT}?$")
_AT_MOST = re.compile(rf"^(.*?)(?:控制在|不超过|不高于|低于)(\d+(?:\.\d+)?){_UNIT}?(?:以内|以下)?$")
_AT_LEAST = re.compile(rf"^(.*?)(?:达到|达|不低于|超过)?(\d+(?:\.\d+)?){_UNIT}(?:以上|左右)?$")


def parse_indicator(phrase: str) -> ParsedIndicator:
    """One indicator phrase to name, comparator, value(s) and unit, as the text states them."""
    p = phrase.strip().rstrip("。.")
    if m := _RANGE.match(p):
        return ParsedIndicator(m.group(1), "range", min=_num(m.group(2)), max=_num(m.group(3)), unit=m.group(4) or "%")
    if m := _AT_MOST.match(p):
        return ParsedIndicator(m.group(1), "at_most", value=_num(m.group(2)), unit=m.group(3) or "")
    if m := _AT_LEAST.match(p):
        return ParsedIndicator(m.group(1), "at_least", value=_num(m.group(2)), unit=m.group(3))
    return ParsedIndicator(p, "qualitative")


def parse_indicators(text: str) -> list[ParsedIndicator]:
    return [parse_indicator(part) for part in re.split(r"[;;,,]", text.rstrip("。")) if part.strip()]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_DUE_PATTERNS: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"(\d{1,2})月(\d{1,2})日"), lambda y, m: date(y, int(m.group(1)), int(m.group(2)))),
    (re.compile(r"(?<![\d年个])(\d{1,2})月(?:底|末|份)?"), lambda y, m: _month_end(y, int(m.group(1)))),
    (re.compile(r"上半年"), lambda y, m: date(y, 6, 30)),
    (re.compile(r"年内|年底|年末|全年"), lambda y, m: date(y, 12, 31)),
]


def stated_dues(text: str, year: int) -> list[date]:
    """Every deadline the text states: '9月交付使用' -> 2020-09-30, '年内完工' -> 2020-12-31."""
    found: list[tuple[int, date]] = []
    taken: list[range] = []
    for rx, make in _DUE_PATTERNS:
        for m in rx.finditer(text):
            span = range(m.start(), m.end())
            if any(set(span) & set(t) for t in taken):
                continue
            try:
                d = make(year, m)  # type: ignore[operator]
            except ValueError:
                continue
            if 1 <= d.month <= 12:
                found.append((m.start(), d))
                taken.append(span)
    return [d for _, d in sorted(found)]


def milestones(text: str, year: int) -> list[tuple[date, str]]:
    """(deadline, clause) for each clause of a measure that states a deadline."""
    out = []
    for clause in re.split(r"[,,;;。]", text):
        dues = stated_dues(clause, year)
        if dues:
            out.append((max(dues), clause.strip()))
    return out


def parse_notice(text: str, year: int) -> ParsedNotice:
    lines = [ln.replace("\xa0", " ").replace("\u3000", " ").strip() for ln in text.splitlines()]
    doc = _DOC_NO.search(text)
    title_m = _TITLE.search(text)
    issuer = ""
    issued: date | None = None
    targets: list[ParsedTarget] = []
    tasks: list[ImportedTask] = []
    categories: list[str] = []
    unplaced: list[tuple[int, str]] = []

    # the header: issuer and date are the signature lines just before the plan body
    body_start = next((i for i, ln in enumerate(lines) if ln.endswith("综合目标分解")), None)
    if body_start is None:
        raise ValueError("no 综合目标分解 heading found: is this a key-work notice?")
    for ln in reversed(lines[:body_start]):
        if issued is None and (m := _DATE.fullmatch(ln)):
            issued = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif issued is not None and ln and not issuer:
            if ln.endswith(("人民政府", "办公室")):
                issuer = ln
                break
    title = title_m.group(1) if title_m else lines[body_start].removesuffix("综合目标分解")

    section = "targets"
    category = ""
    current: ImportedTask | None = None
    for idx in range(body_start + 1, len(lines)):
        ln = lines[idx]
        if not ln:
            continue
        if ln == "具体任务分解":
            section, current = "tasks", None
            continue
        if section == "tasks" and (m := _CATEGORY.match(ln)) and not _ITEM.match(ln):
            category = m.group(2).strip()
            categories.append(category)
            current = None
            continue
        if m := _ITEM.match(ln):
            number, head, units = int(m.group(1)), m.group(2).strip(), split_units(m.group(3))
            if section == "targets":
                targets.append(ParsedTarget(number, head.rstrip("。"), units, parse_indicators(head)))
            else:
                current = ImportedTask(number=number, title=head.rstrip("。"), units=units, category=category,
                                       line=idx + 1)
                tasks.append(current)
            continue
        if section == "tasks" and current is not None:
            miles = milestones(ln, year)
            current.measures.append(Measure(ln, max(d for d, _ in miles) if miles else None, miles))
            continue
        unplaced.append((idx + 1, ln))
    return ParsedNotice(year=year, title=title, document=doc.group(0) if doc else "", issuer=issuer,
                        issued=issued, categories=categories, targets=targets, tasks=tasks,
                        unplaced=unplaced)


def task_due(task: ImportedTask, year: int) -> date:
    """The latest stated deadline when every measure states one, else the plan year's end."""
    dues = [m.due for m in task.measures]
    if dues and all(dues):
        return max(d for d in dues if d)
    return date(year, 12, 31)
