"""What an import produces: the plan, its tasks, and every warning, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# One type for a notice's task and measure, whichever parser read it: the bundled notice's parser
# (tracker/notice.py, below the importer: the importer uses its deadline rules) defines them.
from ..notice import ImportedTask, Measure

__all__ = ["ImportedPlan", "ImportedTask", "Measure", "Warning_"]


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
