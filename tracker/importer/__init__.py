"""Importing an office's own plan from the documents it holds (text, HTML, Word, Excel, PDF).

    source file --sources--> text and tables --text/tables--> ImportedPlan --write--> plan/<year>/

`import_source` does everything but writing: the result carries every task and every warning,
so a dry run shows exactly what an import would write.  The bundled 宜兴 2020 notice keeps its
own parser (tracker/notice.py) so that plan/2020 still imports byte for byte.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from ..i18n import book, said, say
from ..model import TrackerError
from ..units import Aliases
from . import tables
from .plan import ImportedPlan, ImportedTask, at_line
from .sources import Source, read_source

#: an import that found nothing (str(err) English, err.text(lang) the user's language)
book("import", {
    "no_header": ("{path}：所有工作表和表格中均未找到表头行（查找的是与 序号、牵头单位、责任单位 或 完成时限 相邻的"
                  "任务列，如 工作任务/重点工作/目标任务/任务内容）",
                  "{path}: no header row found in any sheet or table (looked for a task column "
                  "such as 工作任务/重点工作/目标任务/任务内容 next to 序号, 牵头单位, 责任单位 or 完成时限)"),
    "no_tasks": ("{source}：未找到任务（没有带责任单位的编号事项，没有标明 牵头单位/责任单位 的行，也没有含任务列的表格）",
                 "{source_en}: no tasks found (no numbered items with units, "
                 "no labelled 牵头单位/责任单位 lines, no table with a task column)"),
})
from .text import apply_dates, parse_text
from .unitlist import suspicious

DEFAULT_CATEGORY = "重点工作"


def _clean_cells(rows):
    kinds = None
    out = []
    for where, cells in rows:
        if kinds is None:
            kinds = tables.header_columns([c.lstrip("\x01") for c in cells])
            out.append((where, [c.lstrip("\x01") for c in cells]))
            continue
        keep = []
        for k, c in zip(kinds + ["other"] * (len(cells) - len(kinds)), cells):
            if c.startswith("\x01"):
                keep.append(c[1:] if k in ("task", "category", "seq", "leader") else "")
            else:
                keep.append(c)
        out.append((where, keep))
    return out


_TRADITIONAL_ONLY = set("們個這為與發無國會說對時從還後動點過關經實現種開機業區電長門問題際務辦單責導審許項")


def parse_source(src: Source, year: int) -> ImportedPlan:
    plan = ImportedPlan(year=year, source=str(src.path))
    sample = src.text[:20000]
    if sum(ch in _TRADITIONAL_ONLY for ch in sample) > max(10, len(sample) // 200):
        plan.warn("", "traditional")
    used_table = False
    for rows in src.tables:
        # a table's own header row decides; rows before it (a title row) are skipped
        hi = next((i for i, (_, cells) in enumerate(rows) if tables.header_columns([c.lstrip("\x01") for c in cells])), None)
        if hi is None:
            continue
        for where, cells in rows[:hi]:
            title = next((c.strip() for c in cells if c.strip()), "")
            if title and not plan.title:
                plan.title = title
        if tables.parse_rows(_clean_cells(rows[hi:]), plan, str(src.path)):
            used_table = True
    if used_table:
        if src.text.strip():
            from .normalise import clean_lines
            from .text import find_start, metadata

            lines = clean_lines(src.text)
            meta = ImportedPlan(year=year)
            metadata(src.text, lines, find_start(lines) or len(lines), meta)
            plan.document, plan.issuer, plan.issued = meta.document, meta.issuer, meta.issued
            plan.title = plan.title or meta.title
            if not plan.title:
                plan.title = next((ln for ln in lines if ln), "")
        return plan
    if src.tables and not src.text.strip():
        args = {"path": src.path}
        raise TrackerError(say("import.no_header", "en", **args), key="import.no_header", **args)
    return parse_text(src.text, year, plan)


def finish(plan: ImportedPlan, aliases: Aliases | None = None) -> ImportedPlan:
    """Numbers, categories, canonical unit names, dates, and the warnings a person should read."""
    if not plan.tasks:
        args = {"source": plan.source or "该文本", "source_en": plan.source or "the text"}
        raise TrackerError(say("import.no_tasks", "en", **args), key="import.no_tasks", **args)
    aliases = aliases or Aliases()
    city = re.match(r"^(?:.{2,6}?[省])?(.{2,4}?)[市区县](?:人民政府|政府)", plan.issuer or "")
    own = city.group(1) if city else ""
    for t in plan.tasks:  # 市宜兴海关 -> 宜兴海关: a body named after the city takes no level prefix
        if own:
            t.units = [u[1:] if u[:1] in "市区县" and u[1:].startswith(own) else u for u in t.units]
            t.leads = [u[1:] if u[:1] in "市区县" and u[1:].startswith(own) else u for u in t.leads]
    seen_titles: Counter = Counter(t.title for t in plan.tasks)
    for i, t in enumerate(plan.tasks, 1):
        t.number = i
        t.units = _dedupe([aliases.canonical(u) for u in t.units])
        t.leads = _dedupe([aliases.canonical(u) for u in t.leads]) or t.units[:1]
        t.units = t.leads + [u for u in t.units if u not in t.leads]
        if not t.category:
            t.category = plan.categories[0] if plan.categories else DEFAULT_CATEGORY
        if t.category not in plan.categories:
            plan.categories.append(t.category)
        where = t.where or (at_line(t.line) if t.line else "")  # as t.locate(), in any language
        label = said("import_warn.task_ref", i=i, ref=t.ref) if t.ref and t.ref != str(i) else said("import_warn.task", i=i)
        if t.incomplete:
            plan.warn(where, "cut_off" if t.units else "cut_off_no_units", label=label)
        elif not t.units:
            plan.warn(where, "no_units", label=label)
        for u in t.units:
            if why := suspicious(u):
                plan.warn(where, "suspicious", label=label, unit=u, why=said(f"import_warn.{why}"))
        if seen_titles[t.title] > 1:
            plan.warn(where, "same_title", label=label, title=t.title[:30], n=seen_titles[t.title])
    if plan.stated_count and plan.stated_count != len(plan.tasks):
        plan.warn("", "stated_count", stated=plan.stated_count, found=len(plan.tasks))
    apply_dates(plan)
    plan.targets = indicator_targets(plan)
    if not plan.title:
        plan.title = f"{plan.year}年重点工作"
    return plan


def indicator_targets(plan: ImportedPlan) -> list:
    """A task that states a number (地区生产总值增长6%左右, 失业率控制在4%以内) is also an overall target
    (综合目标), so its actual values can be recorded against the indicator."""
    from ..notice import ParsedTarget, parse_indicators

    out = []
    for t in plan.tasks:
        if not t.units or len(t.title) > 40:
            continue
        inds = parse_indicators(t.title)
        if inds and all(i.comparator != "qualitative" and i.name for i in inds):
            out.append(ParsedTarget(len(out) + 1, t.title, list(t.units), inds))
    return out


def _dedupe(xs):
    out = []
    for x in xs:
        if x and x not in out:
            out.append(x)
    return out


def import_source(path: Path, year: int, *, aliases: Aliases | None = None, title: str | None = None,
                  doc_no: str | None = None, issuer: str | None = None, issued: date | None = None) -> ImportedPlan:
    src = read_source(path)
    plan = parse_source(src, year)
    if title:
        plan.title = title
    if doc_no:
        plan.document = doc_no
    if issuer:
        plan.issuer = issuer
    if issued:
        plan.issued = issued
    plan.source = str(path)
    return finish(plan, aliases)


def import_text(text: str, year: int, aliases: Aliases | None = None) -> ImportedPlan:
    plan = parse_text(text, year)
    return finish(plan, aliases)


__all__ = ["ImportedPlan", "ImportedTask", "import_source", "import_text", "finish", "parse_source"]
_ = re
