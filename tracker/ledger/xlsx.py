"""The ledger as an Excel workbook, made for the people who fill it in.

Sheet 台账: a title, an instruction line, the header (row 3, repeated on every printed page and
frozen on screen), then one row per task and per measure.  A4 landscape, fitted to the page
width; 宋体 headings, 仿宋 body; widths fitted to the Chinese text (rich.cells.cell_len), wrapped
text and row heights computed for it (every program shows the same rows); 完成时限 a real date;
状态 a drop-down list; 进度 a whole number 0-100; the sheet protected without a password with only
the cells a unit fills in unlocked (white; locked cells grey).  Sheet `_tracker` (hidden,
protected) holds the version record: the export's commit and date and each task's blob id.
"""
from __future__ import annotations

import io
from copy import copy
from datetime import date
from typing import Any

from rich.cells import cell_len

from .labels import lw
from .rows import Column, Meta, Row, columns, header, letter, status_choices

SHEET = "台账"
META_SHEET = "_tracker"
HEADER_ROW = 3
BODY_FONT = "仿宋"
HEAD_FONT = "宋体"
CENTERED = ("id", "due", "status", "progress", "role")
LINE_PT = 15.0  # one line of 11 pt 仿宋


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def widths(cols: tuple[Column, ...], rows: list[Row], lang: str) -> list[int]:
    out = []
    for col in cols:
        w = max(col.width, cell_len(header(col, lang)) + 2)
        for r in rows:
            for line in _text(r.values.get(col.key)).split("\n"):
                n = cell_len(line) + 2
                if n > w:
                    w = n
                    if w >= col.max_width:
                        break
            if w >= col.max_width:
                w = col.max_width
                break
        out.append(w)
    return out


def line_count(text: str, width: int) -> int:
    usable = max(width - 1, 2) / 0.85  # a 仿宋 character is ~1.7 units of Excel's column width, not 2
    n = 0
    for line in text.split("\n") or [""]:
        n += max(1, -int(-cell_len(line) // usable))
    return n


def write_xlsx(rows: list[Row], meta: Meta, *, title: str, instruction: str, lang: str = "zh",
               with_role: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns(with_role)
    col_of = {c.key: i for i, c in enumerate(cols)}
    wb = Workbook()
    sh = wb.active
    sh.title = lw("sheet", lang)  # SHEET in Chinese
    wid = widths(cols, rows, lang)
    last = letter(len(cols) - 1)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=BODY_FONT, size=11)
    body_bold = Font(name=BODY_FONT, size=11, bold=True)
    head = Font(name=HEAD_FONT, size=11, bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(wrap_text=True, vertical="top", horizontal="center")
    unlocked = Protection(locked=False)

    sh["A1"] = title
    sh["A1"].font = Font(name=HEAD_FONT, size=16, bold=True)
    sh["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sh.merge_cells(f"A1:{last}1")
    sh.row_dimensions[1].height = 28
    sh["A2"] = instruction
    sh["A2"].font = Font(name=BODY_FONT, size=10)
    sh["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sh.merge_cells(f"A2:{last}2")
    sh.row_dimensions[2].height = LINE_PT * max(1, line_count(instruction, sum(wid))) + 4
    for i, col in enumerate(cols):
        c = sh.cell(row=HEADER_ROW, column=i + 1, value=header(col, lang))
        c.font, c.fill, c.border, c.alignment = head, head_fill, border, center
        sh.column_dimensions[letter(i)].width = wid[i]
    sh.row_dimensions[HEADER_ROW].height = 20

    styles: dict[tuple, Any] = {}
    status_cells: list[str] = []
    progress_cells: list[str] = []
    for n, r in enumerate(rows):
        rix = HEADER_ROW + 1 + n
        editable = r.editable()
        lines = 1
        for i, col in enumerate(cols):
            v = r.values.get(col.key)
            if col.key == "status":
                v = (status_choices(lang)[_status_index(v)] if v in STATUS_KEYS else status_label(v, lang)) if v else ""
            if col.key == "progress" and r.is_measure:
                v = None
            if isinstance(v, str) and v == "":
                v = None
            c = sh.cell(row=rix, column=i + 1, value=v)
            # openpyxl hashes every style object on assignment (~0.2 ms a cell): each combination is
            # built once and its style array copied to the other cells
            key = (col.key == "title" and not r.is_measure, col.key in CENTERED, col.key == "due" and v is not None,
                   col.key in editable)
            st = styles.get(key)
            if st is not None:
                c._style = copy(st)
            else:
                c.border = border
                c.font = body_bold if key[0] else body
                c.alignment = center if key[1] else wrap
                if key[2]:
                    c.number_format = "yyyy-mm-dd"
                if key[3]:
                    c.protection = unlocked
                else:
                    c.fill = grey
                styles[key] = copy(c._style)
            if isinstance(v, str):
                lines = max(lines, line_count(v, wid[i]))
        if "status" in editable:
            status_cells.append(f"{letter(col_of['status'])}{rix}")
        if "progress" in editable:
            progress_cells.append(f"{letter(col_of['progress'])}{rix}")
        sh.row_dimensions[rix].height = LINE_PT * lines + 3

    dv = DataValidation(type="list", formula1='"' + ",".join(status_choices(lang)) + '"', allow_blank=False,
                        showErrorMessage=True, showDropDown=False,
                        errorTitle=lw("status_title", lang),
                        error=lw("status_error", lang, choices="、".join(status_choices(lang))),
                        promptTitle=lw("status_title", lang),
                        prompt=lw("status_prompt", lang))
    dv.showInputMessage = True
    sh.add_data_validation(dv)
    dv.sqref = MultiCellRange(" ".join(_ranges(status_cells)))  # at once: .add() is quadratic
    pv = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=False,
                        showErrorMessage=True, errorTitle=lw("progress_title", lang),
                        error=lw("progress_error", lang), promptTitle=lw("progress_title", lang), prompt="0-100")
    pv.showInputMessage = True
    sh.add_data_validation(pv)
    pv.sqref = MultiCellRange(" ".join(_ranges(progress_cells)))

    sh.freeze_panes = f"B{HEADER_ROW + 1}"
    sh.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sh.page_setup.orientation = "landscape"
    sh.page_setup.paperSize = sh.PAPERSIZE_A4
    sh.page_setup.fitToWidth = 1
    sh.page_setup.fitToHeight = 0
    sh.sheet_properties.pageSetUpPr.fitToPage = True
    sh.print_options.horizontalCentered = True
    sh.page_margins.left = sh.page_margins.right = 0.4
    sh.page_margins.top = sh.page_margins.bottom = 0.6
    sh.oddFooter.center.text = lw("page_footer", lang)
    sh.protection.sheet = True  # no password: the unit can lift it, the office sees what changed
    sh.protection.formatRows = False  # row heights and column widths stay adjustable
    sh.protection.formatColumns = False
    sh.protection.formatCells = False

    ms = wb.create_sheet(META_SHEET)
    for k, v in meta.pairs():
        ms.append([k, v])
    for tid, (path, blob) in meta.items.items():
        ms.append(["item", tid, path, blob])
    ms.sheet_state = "hidden"
    ms.protection.sheet = True
    wb.properties.title = title
    wb.properties.creator = "tracker"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


from ..i18n import status_label  # noqa: E402  (a cycle state, 已销号, is written as itself)
from ..model import STATUSES as STATUS_KEYS  # noqa: E402


def _status_index(status: str) -> int:
    from ..model import STATUSES

    return STATUSES.index(status) if status in STATUSES else 0


def _ranges(cells: list[str]) -> list[str]:
    """Consecutive cells of one column as ranges (H4:H9 H12): a short sqref."""
    out: list[str] = []
    start = prev = None
    col = ""
    for ref in cells:
        c = ref.rstrip("0123456789")
        n = int(ref[len(c):])
        if start is not None and c == col and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
        start = prev = n
        col = c
    if start is not None:
        out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
    return out
