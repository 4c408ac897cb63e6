"""What an import produces: the plan, its tasks, and every warning, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .unitlist import UnitGroup


@dataclass
class Measure:
    text: str
    due: date | None = None
    milestones: list[tuple[date, str]] = field(default_factory=list)


@dataclass
class ImportedTask:
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
class Warning_:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ImportedPlan:
    year: int
    title: str = ""
    document: str = ""
    issuer: str = ""
    issued: date | None = None
    categories: list[str] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    targets: list = field(default_factory=list)  # notice.ParsedTarget: tasks that state a number (增长6%左右)
    source: str = ""
    stated_count: int | None = None   # (共计121项) in the title

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Warning_(where, message))
