"""Bulletins ready to send (issue 16): the docx is an A4 公文 page with the issuer in the header,
page numbers, columns fitted to content, 完成时限 kept and no empty column; the xlsx has real
dates, progress as numbers formatted %, frozen headers, filters, a print setup and an all-tasks sheet."""
from __future__ import annotations

import datetime as dt

import pytest

from tests_support import make_plan_repo

from tracker.cli import main


@pytest.fixture
def bulletin_files(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    assert main(["--repo", str(repo), "set", "5", "--progress", "40", "--note", "这是一段很长的进展情况说明，" * 8]) == 0
    out = {}
    for ext in ("docx", "xlsx"):
        out[ext] = tmp_path / f"b.{ext}"
        assert main(["--repo", str(repo), "report", "--no-record", "-o", str(out[ext])]) == 0
    return out


def test_docx_is_an_a4_gongwen_page(bulletin_files):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document(str(bulletin_files["docx"]))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    assert abs(sec.top_margin - Mm(37)) < Mm(1) and abs(sec.left_margin - Mm(28)) < Mm(1)
    assert abs(sec.right_margin - Mm(26)) < Mm(1) and abs(sec.bottom_margin - Mm(35)) < Mm(1)
    assert "宜兴市人民政府" in sec.header.paragraphs[0].text
    assert "PAGE" in "".join(e.text or "" for e in sec.footer._element.iter(qn("w:instrText")))
    from docx.shared import Length

    text_width = Length(sec.page_width - sec.left_margin - sec.right_margin)
    cat_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "编号" and "完成时限" in [c.text for c in t.rows[0].cells]]
    assert len(cat_tables) >= 11  # every category table keeps 完成时限
    for t in doc.tables:
        headers = [c.text for c in t.rows[0].cells]
        assert all(h.strip() for h in headers), headers  # no empty (trailing) column
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= text_width.twips + 5, (headers, grid)
    t = cat_tables[0]
    grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    heads = [c.text for c in t.rows[0].cells]
    # the id and date columns are wide enough for '2020-06' and '2020-12-31' on one line; the title gets the most
    assert grid[heads.index("编号")] >= 9 * 110 and grid[heads.index("完成时限")] >= 12 * 110
    assert grid[heads.index("任务")] == max(grid)


def test_xlsx_has_real_dates_percent_numbers_and_print_setup(bulletin_files):
    from openpyxl import load_workbook

    wb = load_workbook(str(bulletin_files["xlsx"]))
    names = wb.sheetnames
    assert any(n in ("全部任务", "台账") for n in names), names
    sheet = wb["全部任务"]
    head = [c.value for c in sheet[1]]
    assert {"编号", "任务", "牵头单位", "进度", "完成时限", "亮灯"} <= set(head)
    row = [c for c in sheet[2]]
    due = row[head.index("完成时限")]
    prog = row[head.index("进度")]
    assert isinstance(due.value, (dt.date, dt.datetime)) and "yy" in due.number_format.lower()
    assert isinstance(prog.value, (int, float)) and 0 <= prog.value <= 1 and "%" in prog.number_format
    assert len(list(sheet.iter_rows(min_row=2))) == 60
    for ws in wb.worksheets[1:]:  # (the overview holds small stacked tables and the chart)
        assert ws.freeze_panes is not None, ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.print_title_rows, ws.title
    for ws in wb.worksheets:  # progress is a number formatted as % everywhere
        if ws.title == "本期变化":
            continue  # old → new of mixed fields (进度, 状态, 进展情况): the values as the commit says them
        for r in ws.iter_rows():
            for c in r:
                assert not (isinstance(c.value, str) and c.value.endswith("%") and c.value[:-1].isdigit()), (ws.title, c.coordinate)
    assert wb["全部任务"].auto_filter.ref
    assert wb.worksheets[0].page_setup.orientation == "landscape"
    chart = wb.worksheets[0]._charts
    assert chart is not None
