"""The bulletin as an Excel workbook (openpyxl): an overview sheet with a burn-up line chart,
one sheet per category, and sheets for lagging tasks, the unit ranking, targets, changes and
the burn-up data.  Cells use an East Asian font; data is always stored as text, never as a
formula (a note that starts with "=" stays a note)."""
from __future__ import annotations

import re
from copy import copy

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..output import visible
from ..schedule import LIGHTS
from .model import Bulletin
from ..analytics import ranks

FONT = "宋体"
FILLS = {"red": "FFCDD2", "yellow": "FFF59D", "blue": "BBDEFB", "green": "C8E6C9", "done": "E0E0E0"}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET.sub("_", visible(name)).strip("'") or "Sheet"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in used:
        suffix = f" ({i})"
        cand = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(cand.lower())
    return cand


_STYLE_CACHE: dict[tuple, object] = {}
_TEMPLATES: dict[tuple, tuple] = {}


def _style(kind: str, *key):
    """One style object per distinct value: openpyxl dedupes styles by hashing each assignment,
    so building a Font per cell costs more than writing the cell (10,000 tasks: seconds)."""
    k = (kind, *key)
    obj = _STYLE_CACHE.get(k)
    if obj is None:
        if kind == "font":
            obj = Font(name=FONT, bold=key[0], size=key[1])
        elif kind == "fill":
            obj = PatternFill("solid", fgColor=key[0])
        else:
            obj = Alignment(wrap_text=True, vertical="top")
        _STYLE_CACHE[k] = obj
    return obj


def _put(ws, row: int, col: int, value, *, bold: bool = False, size: int | None = None, fill: str | None = None):
    if isinstance(value, str):
        value = visible(value, keep_newlines=True)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    wrap = isinstance(value, str) and ("\n" in value or len(value) > 24)  # long text wraps in its column
    key = (id(ws.parent), bold, size or 11, fill, wrap)
    tpl = _TEMPLATES.get(key)
    if tpl is not None and tpl[0] is ws.parent:
        cell._style = copy(tpl[1])  # the style ids found for the first such cell
        return cell
    cell.font = _style("font", bold, size or 11)
    if wrap:
        cell.alignment = _style("wrap")
    if fill:
        cell.fill = _style("fill", fill)
    _TEMPLATES[key] = (ws.parent, copy(cell._style))
    return cell


def _when(text: str):
    """'2020-12-31' -> a date, '2020-10-20 10:00' -> a datetime: real date cells (sortable, filterable)."""
    from datetime import date, datetime

    if not text:
        return None
    try:
        return datetime.strptime(text[:16], "%Y-%m-%d %H:%M") if len(text) >= 16 else date.fromisoformat(text[:10])
    except ValueError:
        return text


def _formats(ws, first_row: int, n: int, formats: dict[int, str]) -> None:
    for col, fmt in formats.items():
        for i in range(n):
            ws.cell(row=first_row + i, column=col).number_format = fmt


def _print_setup(ws, header_row: int | None, ncols: int | None = None, nrows: int = 0, *, freeze: bool = True) -> None:
    """Landscape, fit to the page width, the header row repeated on every printed page; the
    header frozen on screen and a filter on the table."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
        if freeze:
            ws.freeze_panes = f"A{header_row + 1}"
        if ncols and nrows:
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{header_row + nrows}"


DATE_FMT, TIME_FMT, PCT_FMT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0%"


def _table(ws, row: int, headers, rows, *, light_col: int | None = None, lights=None, widths=None,
           formats: dict[int, str] | None = None, setup: bool = True) -> int:
    for j, h in enumerate(headers, 1):
        _put(ws, row, j, h, bold=True, fill="EEEEEE")
    for i, r in enumerate(rows, 1):
        for j, v in enumerate(r, 1):
            fill = FILLS.get(lights[i - 1]) if light_col == j and lights else None
            _put(ws, row + i, j, v, fill=fill)
    if setup:
        _print_setup(ws, row, len(headers), len(rows))
    if formats:
        _formats(ws, row + 1, len(rows), formats)
    if widths:
        for j, wdt in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = wdt
    return row + len(rows) + 2


def build_workbook(b: Bulletin) -> Workbook:
    L = b.L
    _TEMPLATES.clear()
    wb = Workbook()
    used: set[str] = set()
    ov = wb.active
    ov.title = sheet_name(L("totals"), used)
    heads = [(b.heading, True, 16), ("  ".join(v for v in (b.document, b.issuer) if v), False, None),
             (f"{L('as_of')} {b.as_of.isoformat()}  {L('period')} {b.period_text}", False, None), (b.summary, False, None)]
    if b.verified is not None:  # offices.yaml governs the repository: the period's commits, checked
        heads.append((b.verify_line, False, None))
    for i, (text, bold, size) in enumerate(heads, 1):  # one line each, over the empty cells beside (a
        _put(ov, i, 1, text, bold=bold, size=size).alignment = Alignment(wrap_text=False)  # wrapped cell hid the rest)
    r = _table(ov, 6, [L("status"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_status], setup=False)
    r = _table(ov, r, [L("light"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_light],
               light_col=1, lights=[c.key for c in b.by_light], widths=[18, 10, 10], setup=False)
    _print_setup(ov, None)

    if b.burnup:
        bs = wb.create_sheet(sheet_name(L("burnup"), set()))  # data sheet, created now, ordered last below
        used.add(bs.title.lower())
        headers = [L("date"), L("total"), *[b.light_name(k) for k in LIGHTS]]
        _table(bs, 1, headers, [[p.day, p.total, *[p.by_light[k] for k in LIGHTS]] for p in b.burnup],
               widths=[14] + [10] * (len(headers) - 1), formats={1: DATE_FMT})
        chart = LineChart()
        chart.title = L("chart_title")
        chart.y_axis.title = L("tasks")
        chart.x_axis.title = L("date")
        chart.height, chart.width = 9, 22
        n = len(b.burnup)
        data = Reference(bs, min_col=2, max_col=2 + len(LIGHTS), min_row=1, max_row=n + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(bs, min_col=1, min_row=2, max_row=n + 1))
        for series in chart.series:
            series.smooth = False  # counts step between dates: straight segments, never curves
        chart.x_axis.number_format = DATE_FMT
        ov.add_chart(chart, f"E{6}")

    for sec in b.categories:
        ws = wb.create_sheet(sheet_name(sec.name, used))
        _put(ws, 1, 1, sec.name, bold=True, size=13)
        _put(ws, 2, 1, b.category_line(sec))
        _table(ws, 4, [L("id"), L("title"), L("lead"), L("status"), L("progress"), L("expected"), L("light"), L("due"),
                       L("note"), L("problems")],
               [[x.id, x.title, x.lead, x.status_label, x.progress / 100, x.expected / 100, x.light_label, _when(x.due),
                 x.note, x.problems] for x in sec.rows],
               light_col=7, lights=[x.light for x in sec.rows], widths=[10, 36, 22, 10, 8, 10, 10, 12, 40, 30],
               formats={5: PCT_FMT, 6: PCT_FMT, 8: DATE_FMT})

    # the 台账 view: every task on one sheet, filterable (after the overview)
    ws = wb.create_sheet(sheet_name(L("all_tasks"), used), 1)
    rows = [x for sec in b.categories for x in sec.rows]
    _table(ws, 1, [L("id"), L("category"), L("title"), L("lead"), L("status"), L("progress"), L("expected"),
                   L("light"), L("due"), L("note"), L("problems")],
           [[x.id, sec.name, x.title, x.lead, x.status_label, x.progress / 100, x.expected / 100, x.light_label,
             _when(x.due), x.note, x.problems] for sec in b.categories for x in sec.rows],
           light_col=8, lights=[x.light for x in rows], widths=[10, 16, 36, 22, 10, 8, 10, 10, 12, 40, 30],
           formats={6: PCT_FMT, 7: PCT_FMT, 9: DATE_FMT})

    if b.stages:  # by kind and stage, after the overview
        ws = wb.create_sheet(sheet_name(b.stage_heading, used), 1)
        heads, rows = b.stage_table()
        _put(ws, 1, 1, b.stage_heading, bold=True, size=13).alignment = Alignment(wrap_text=False)
        _table(ws, 3, heads, rows, widths=[14] + [11] * (len(heads) - 1))
        ws.auto_filter.ref = None  # a summary: nothing to filter
        _put(ws, 5 + len(rows), 1, b.stage_note).alignment = Alignment(wrap_text=False)

    ws = wb.create_sheet(sheet_name(L("lagging"), used))
    _table(ws, 1, [L("id"), L("title"), L("lead"), L("light"), L("progress"), L("expected"), L("note"), L("problems")],
           [[x.id, x.title, x.lead, x.light_label, x.progress / 100, x.expected / 100, x.note, x.problems]
            for x in b.lagging], light_col=4, lights=[x.light for x in b.lagging],
           widths=[10, 36, 22, 8, 8, 10, 40, 30], formats={5: PCT_FMT, 6: PCT_FMT})

    if b.review:  # applied for closure, waiting for the office's review (销号 or 退回)
        ws = wb.create_sheet(sheet_name(b.L("review_sheet"), used))
        heads, rows = b.review_table()
        _table(ws, 1, heads, [[*r[:3], _when(r[3]) if r[3] != "—" else r[3], *r[4:]] for r in rows],
               widths=[10, 36, 22, 14, 70, 10][:len(heads)], formats={4: DATE_FMT})

    if b.reminders:  # 催办: what each lead unit is chased about, and why
        ws = wb.create_sheet(sheet_name(b.L("reminder_sheet"), used))
        heads, rows = b.reminder_table()
        _table(ws, 1, heads, [[*r[:4], _when(r[4])] for r in rows], widths=[22, 10, 36, 40, 12], formats={5: DATE_FMT})

    if b.cycle:  # the supervision cycle's 退回 / 延期 / 撤销 of the period
        ws = wb.create_sheet(sheet_name(L("cycle"), used))
        _table(ws, 1, *b.cycle_table(), widths=[10, 36, 22, 16, 50, 12])

    ws = wb.create_sheet(sheet_name(L("ranking"), used))
    _table(ws, 1, [L("rank"), L("unit"), L("led"), L("done"), L("green"), L("yellow"), L("red"), L("blue"),
                   L("overdue"), L("rate"), L("last_update")],
           [[i, x.unit, x.led, x.done, x.green, x.yellow, x.red, x.blue, x.overdue, round(x.rate, 4),
             x.last_update if x.last_update else "—"] for i, x in zip(ranks(b.ranking), b.ranking)],
           widths=[6, 28, 8, 8, 8, 8, 8, 8, 8, 10, 12], formats={10: PCT_FMT, 11: DATE_FMT})
    ws.cell(row=3 + len(b.ranking), column=1, value=b.rank_rule)

    if b.ledgers is not None:  # 台账报送: who returned, who did not (未按要求报送)
        ws = wb.create_sheet(sheet_name(L("ledgers"), used))
        heads, rows = b.ledger_table()
        got, missing = b.ledger_lines()
        # one line each, running over the empty cells beside; the units not returned are in the table
        short = L("ledger_missing_short", n=len(b.ledgers.missing)) if b.ledgers.missing else missing
        for i, (text, size) in enumerate(((b.ledger_heading, 13), (got, None), (short, None)), 1):
            _put(ws, i, 1, text, bold=i == 1, size=size).alignment = Alignment(wrap_text=False)
        every = [[u, L("ledger_in"), _when(d), f, n] for u, d, f, n in rows]
        every += [[u, L("ledger_out"), None, None, None] for u in b.ledgers.missing]
        _table(ws, 5, [heads[0], L("ledger_state"), *heads[1:]], every, light_col=2,
               lights=["green"] * len(rows) + ["red"] * len(b.ledgers.missing), widths=[28, 14, 12, 36, 8],
               formats={3: DATE_FMT})

    ws = wb.create_sheet(sheet_name(L("targets"), used))
    _table(ws, 1, [L("id"), L("indicator"), L("target"), L("latest"), L("actual_period"), L("assessment"), L("lead")],
           [[t.target, t.indicator, t.target_text, t.latest, t.period, t.assessment, t.lead] for t in b.targets],
           widths=[10, 30, 14, 14, 10, 10, 22])

    ws = wb.create_sheet(sheet_name(L("changes"), used))
    _table(ws, 1, [L("item"), L("title"), L("field"), L("old"), L("new"), L("author"), L("date")],
           [[c.item, c.title, c.field, c.old, c.new, c.author, _when(c.date)] for c in b.changes],
           widths=[10, 30, 20, 30, 30, 18, 18], formats={7: TIME_FMT})
    if b.burnup:  # the chart's data last
        wb.move_sheet(bs, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(bs.title))
    return wb


def write_xlsx(b: Bulletin, path) -> None:
    build_workbook(b).save(str(path))
