"""What an import produces: the plan, its tasks, and every warning, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# One type for a notice's task and measure, whichever parser read it: the bundled notice's parser
# (tracker/notice.py, below the importer: the importer uses its deadline rules) defines them.
from ..i18n import Said, book, said, told
from ..notice import ImportedTask, Measure

__all__ = ["ImportedPlan", "ImportedTask", "Measure", "Warning_", "at_line"]

#: Where a warning points and what it says (a Said of these entries: str() English as before).
book("import_where", {
    "line": ("第 {n} 行", "line {n}"),
    "table_row": ("表 {table} 第 {row} 行", "table {table} row {row}"),
    "sheet_row": ("{sheet}!第 {row} 行", "{sheet}!row {row}"),
})
book("import_warn", {
    "heading": ("{n} 条提示：", "{n} warning(s):"),
    "traditional": ("文本为繁体字（镜像网站转换的？）：单位名称按原文保留；如有原始文件，请导入原始文件",
                    "the text is in Traditional script (a mirror site's conversion?): unit names are kept as written; "
                    "import the original document if you have it"),
    "task": ("第 {i} 项任务", "task {i}"),
    "task_ref": ("第 {i} 项任务（{ref}）", "task {i} ({ref})"),
    "cut_off": ("{label}：被文本结尾截断，已标为不完整", "{label}: cut off by the end of the text; flagged incomplete"),
    "cut_off_no_units": ("{label}：被文本结尾截断，已标为不完整，未写明责任单位",
                         "{label}: cut off by the end of the text; flagged incomplete, no units stated"),
    "no_units": ("{label}：未找到责任单位", "{label}: no units found"),
    "suspicious": ("{label}：责任单位 {unit!r} 可疑（{why}）", "{label}: suspicious unit {unit!r} ({why})"),
    "too long": ("名称过长", "too long"),
    "holds a verb or a number": ("含有动词或数字", "holds a verb or a number"),
    "same_title": ("{label}：标题 {title!r} 出现 {n} 次", "{label}: the title {title!r} appears {n} times"),
    "stated_count": ("文件写明共 {stated} 项任务，实际找到 {found} 项", "the document states {stated} tasks; {found} found"),
    "unplaced": ("无法归入任何任务：{text}", "could not place: {text}"),
    "row_no_text": ("序号 {num} 的行没有任务内容", "row {num} has no task text"),
    "units_no_text": ("该行有责任单位，但没有任务内容", "a row with units but no task text"),
    "restart": ("编号在新标题下从 1 重新开始：任务编号接续，文件自己的编号保留为 ref（如 二.1）",
                "numbering restarts at 1 under a new heading: ids run on, the document's own number is kept as ref "
                "(e.g. 二.1)"),
    "jump": ("编号从 {prev} 跳到 {num}", "numbering jumps from {prev} to {num}"),
})


def at_line(n: int) -> Said:
    """"line 12" (第 12 行): where a warning points."""
    return said("import_where.line", n=n)


@dataclass
class Warning_:
    """One warning of an import: `where` and `message` are Saids (str() the English as always,
    `.text(lang)` the user's language) or plain text."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def text(self, lang: str | None = "zh") -> str:
        where, message = told(self.where, lang), told(self.message, lang)
        return f"{where}: {message}" if where else message


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

    def warn(self, where: str, entry: str, **args) -> None:
        """The warning `import_warn.<entry>` (said with `args`) at `where` (a Said such as at_line(12), or "")."""
        self.warnings.append(Warning_(where, said(f"import_warn.{entry}", **args)))
