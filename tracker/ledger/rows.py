"""The ledger's row model: columns, rows of an export, the version record, value rules.

One row per task and one per measure (措施), in the plan's order.  Column letters are fixed
(A 编号 … H 进度(%) …) so an error can name a cell the way the unit sees it: `H7: 进度 150 超出 0-100`.
The columns a unit fills in are 状态, 进度, 进展情况, 存在问题, 下步打算 (a measure row: only 状态);
every other cell is locked in the workbook, and a change to it is reported on ingest, never applied.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..i18n import STATUS_LABELS, book, join, norm_lang, pick, status_label
from ..model import STATUSES, Task, TrackerError

#: refusals of the ledger's options and of a version record that is not one (str(err) English, err.text(lang) the user's)
book("ledger_rows", {
    "no_unit": ("--unit {unit!r}：没有任务写有该单位（tracker units 列出全部单位）",
                "--unit {unit!r}: no task names this unit (tracker units lists them)"),
    "many_units": ("--unit {unit!r} 匹配到 {count} 个单位：{hits}；请给出全称",
                   "--unit {unit!r} matches {count} units: {hits}; give the full name"),
    "bad_kind": ("--kind {kind!r}：请用 all（牵头和配合）、lead（牵头）或 co（配合）",
                 "--kind {kind!r}: use all (牵头和配合), lead (牵头) or co (配合)"),
    "not_ours": ("{where}：不是 tracker 导出的台账（没有版本记录 {format!r}）；请用 `tracker ledger export` 导出",
                 "{where}: not a ledger exported by tracker (no version record {format!r}); "
                 "export one with `tracker ledger export`"),
    "no_year": ("{where}：版本记录中没有计划年度", "{where}: the version record names no plan year"),
    "bad_commit": ("{where}：版本记录中的提交 {commit!r} 不是提交编号；隐藏记录被改动过，请重新导出台账",
                   "{where}: the version record's commit {commit!r} is not a commit id; "
                   "the hidden record was changed, export the ledger again"),
    "bad_blob": ("{where}：{items} 的版本记录不是 blob 编号；隐藏记录被改动过，请重新导出台账",
                 "{where}: the version record of {items} is not a blob id; "
                 "the hidden record was changed, export the ledger again"),
    "bad_exported": ("{where}：版本记录中的导出日期 {exported!r} 不是日期",
                     "{where}: the version record's export date {exported!r} is not a date"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `ledger_rows.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"ledger_rows.{entry}", **args)

FORMAT = "tracker-ledger/1"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: int  # minimum width in cells (Chinese characters count 2)
    max_width: int  # widest the column grows to before wrapping


COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", "ID", 10, 12),
    Column("category", "类别", "Category", 8, 16),
    Column("title", "工作任务", "Task", 30, 44),
    Column("lead", "牵头单位", "Lead unit", 10, 18),
    Column("units", "责任单位", "Co-units", 10, 22),
    Column("due", "完成时限", "Due", 11, 11),
    Column("status", "状态", "Status", 8, 8),
    Column("progress", "进度(%)", "Progress (%)", 8, 8),
    Column("note", "进展情况", "Progress note", 30, 40),
    Column("problems", "存在问题", "Problems", 20, 30),
    Column("next_steps", "下步打算", "Next steps", 20, 30),
)
ROLE = Column("role", "本单位职责", "Role", 8, 10)
#: the cells a unit fills in; a measure row has only its status
EDITABLE = ("status", "progress", "note", "problems", "next_steps")
TEXTS = ("note", "problems", "next_steps")
LOCKED = ("category", "title", "lead", "units", "due")


def columns(with_role: bool) -> tuple[Column, ...]:
    return COLUMNS + ((ROLE,) if with_role else ())


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def header(col: Column, lang: str) -> str:
    return pick((col.zh, col.en), lang)


def header_keys() -> dict[str, str]:
    """Every header text (both languages, spaces and case ignored) -> column key."""
    out = {}
    for col in COLUMNS + (ROLE,):
        for text in (col.zh, col.en, col.zh.replace("(%)", ""), col.zh.replace("(%)", "（%）")):
            out[squash(text)] = col.key
    out[squash("序号")] = "id"
    out[squash("下一步措施")] = "next_steps"
    out[squash("下步工作打算")] = "next_steps"
    out[squash("完成情况")] = "note"
    return out


def squash(text: Any) -> str:
    return "".join(str(text or "").split()).lower()


@dataclass
class Row:
    id: str  # 2020-05, or 2020-05.2 for measure 2 of task 5
    number: int
    measure: int | None
    values: dict[str, Any]

    @property
    def is_measure(self) -> bool:
        return self.measure is not None

    def editable(self) -> tuple[str, ...]:
        return ("status",) if self.is_measure else EDITABLE


def row_id(task: Task, measure: int | None = None) -> str:
    return task.id if measure is None else f"{task.id}.{measure}"


def parse_row_id(text: Any, year: int) -> tuple[int, int | None] | None:
    """'2020-05' -> (5, None); '2020-05.2' -> (5, 2); anything else None."""
    s = str(text or "").strip()
    if not s:
        return None
    head, _, meas = s.partition(".")
    y, _, num = head.partition("-")
    if not (y == str(year) and num.isdigit() and (not meas or meas.isdigit())):
        return None
    return int(num), (int(meas) if meas else None)


def task_rows(task: Task, unit: str | None, lang: str) -> list[Row]:
    from .labels import lw

    role = ""
    if unit:
        role = lw("role_lead", lang) if task.lead == unit else lw("role_co", lang)
    rows = [Row(task.id, task.number, None, {
        "id": task.id, "category": task.category, "title": task.title, "lead": task.lead,
        "units": join(task.units[1:], lang), "due": task.due, "status": task.status,
        "progress": task.progress, "note": task.note, "problems": task.problems, "next_steps": task.next_steps,
        "role": role,
    })]
    for m in task.measures:
        rows.append(Row(row_id(task, m.number), task.number, m.number, {
            "id": row_id(task, m.number), "category": "", "title": measure_title(m.number, m.text, lang),
            "lead": "", "units": "", "due": m.due, "status": m.status, "progress": None,
            "note": "", "problems": "", "next_steps": "", "role": "",
        }))
    return rows


def measure_title(number: int, text: str, lang: str) -> str:
    from .labels import lw

    return lw("measure_title", lang, n=number, text=text)


def resolve_unit(tasks: list[Task], unit: str) -> str:
    """The unit's canonical name: an exact name, or a part of exactly one name."""
    names = list(dict.fromkeys(u for t in tasks for u in t.units))
    if unit in names:
        return unit
    hits = [n for n in names if unit in n]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise _err("no_unit", unit=unit)
    raise _err("many_units", unit=unit, count=len(hits), hits=hits[:8])


KINDS = ("all", "lead", "co")


def select(tasks: list[Task], unit: str | None, kind: str = "all", category: str | None = None) -> list[Task]:
    if kind not in KINDS:
        raise _err("bad_kind", kind=kind)
    out = []
    for t in sorted(tasks, key=lambda t: t.number):
        if category and not (category == t.category or category in t.category):
            continue
        if unit:
            if unit not in t.units:
                continue
            if kind == "lead" and t.lead != unit or kind == "co" and t.lead == unit:
                continue
        out.append(t)
    return out


# -- the version record ------------------------------------------------------------------------
@dataclass
class Meta:
    """What the export was: stored in the file (hidden sheet / document properties)."""

    year: int
    commit: str
    exported: str  # ISO date of the export
    unit: str = ""
    kind: str = "all"
    lang: str = "zh"
    items: dict[str, tuple[str, str]] = field(default_factory=dict)  # task id -> (path, blob id)
    export_id: str = ""

    def make_id(self) -> str:
        h = hashlib.sha256(json.dumps([self.year, self.commit, self.exported, self.unit, self.kind,
                                       sorted(self.items.items())], ensure_ascii=False).encode()).hexdigest()
        self.export_id = h[:16]
        return self.export_id

    def pairs(self) -> list[tuple[str, str]]:
        """Key/value lines of the record (the item lines follow as `item` rows)."""
        return [("format", FORMAT), ("year", str(self.year)), ("commit", self.commit), ("exported", self.exported),
                ("unit", self.unit), ("kind", self.kind), ("lang", self.lang), ("export_id", self.export_id)]

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]], items: dict[str, tuple[str, str]], where: str) -> "Meta":
        d = dict(pairs)
        if d.get("format") != FORMAT:
            raise _err("not_ours", where=where, format=FORMAT)
        try:
            year = int(d.get("year") or "")
        except ValueError:
            raise _err("no_year", where=where) from None
        commit = d.get("commit", "").strip()
        if commit and not _HEX.fullmatch(commit):
            raise _err("bad_commit", where=where, commit=commit[:50])
        bad = [tid for tid, (_, blob) in items.items() if blob and not _HEX.fullmatch(blob)]
        if bad:
            raise _err("bad_blob", where=where, items=[repr(b) for b in bad[:3]])
        exported = d.get("exported", "").strip()
        if exported and parse_date(exported) is None:
            raise _err("bad_exported", where=where, exported=exported[:30])
        return cls(year=year, commit=commit, exported=exported, unit=_clean(d.get("unit", "")),
                   kind=_clean(d.get("kind", "all")), lang=norm_lang(d.get("lang")), items=items,
                   export_id=_clean(d.get("export_id", "")))


_HEX = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(text: str) -> str:
    """A name from the file, on one line and without control characters (it goes into trailers)."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


# -- value rules ---------------------------------------------------------------------------------
_STATUS_WORDS = {
    "done": ("已完成", "已办结", "完成", "办结", "已提前完成", "提前完成", "完成销号", "已销号", "超额完成"),
    "in_progress": ("推进中", "进行中", "正在推进", "正在办理", "序时推进", "按序时推进", "正常推进", "有序推进",
                    "执行中", "办理中", "在建"),
    "not_started": ("未启动", "尚未启动", "未开始", "暂未启动", "暂未开启"),
    "blocked": ("受阻", "暂停", "停滞"),
}


def status_choices(lang: str) -> list[str]:
    return [status_label(s, lang) for s in STATUSES]


def parse_status(value: Any) -> str | None:
    s = "".join(str(value or "").split()).lower()
    if not s:
        return None
    from ..model import TASK_STATUSES  # the cycle's 已签收/已销号/已撤销 read back as themselves

    for key in TASK_STATUSES:
        if s == key or s == key.replace("_", ""):
            return key
        for labels in STATUS_LABELS.values():
            if s == "".join(labels[key].split()).lower():
                return key
    for key, words in _STATUS_WORDS.items():
        if s in words:
            return key
    return None


def parse_progress(value: Any) -> int | None:
    """A whole number 0-100 from a number cell or text like '30', '30%', '３０'; None when not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float):
            if value != value or not value.is_integer():
                if 0 < value <= 1 and (value * 100).is_integer():
                    return None  # 0.3 formatted as 30%: refused with the message, not guessed
                return None
            value = int(value)
        return value
    s = str(value or "").strip().translate(str.maketrans("０１２３４５６７８９％．", "0123456789%."))
    s = s.rstrip("%").strip()
    try:
        f = float(s)
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str and "\r" not in value and "\u2028" not in value and " \n" not in value \
            and value == value.strip():
        return value  # the common case, fast: 30,000 cells in a 500-task ledger
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return "\n".join(line.rstrip() for line in s.split("\n")).strip()


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value or "").strip().replace("/", "-").replace(".", "-")
    if not s:
        return None
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    return None
