"""The bulletin says which units returned their ledger (台账) in its period and which did not
(未按要求报送), in every format; only once the repository has taken a ledger back."""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from analytics_history import dated

from tracker.report import build, write

UNIT = "市水利局"


def _return_ledger(ws, tmp_path, unit: str, when: str, edits: dict[tuple[str, str], object], name: str):
    """Export `unit`'s ledger, fill in cells (openpyxl) and ingest it, committed at `when`."""
    from openpyxl import load_workbook

    from tracker.ledger.export import export
    from tracker.ledger.ingest import apply, plan

    path, _, _ = export(ws, tmp_path / f"out-{name}", unit=unit)
    wb = load_workbook(path)
    sh = wb["台账"]
    heads = {c.value: c.column_letter for c in sh[3]}
    for row in sh.iter_rows(min_row=4):
        for (rid, head), value in edits.items():
            if row[0].value == rid:
                sh[f"{heads[head]}{row[0].row}"] = value
    wb.save(tmp_path / name)
    with dated(when):
        return apply(ws, plan(ws, tmp_path / name), lang="zh")


def _expected_units(ws, on: date) -> list[str]:
    from tracker.asof import load_as_of

    tasks = sorted(load_as_of(ws, on).tasks, key=lambda t: t.number)
    return list(dict.fromkeys(t.lead for t in tasks if t.lead and t.status != "done"))


def test_no_ledger_section_before_any_ledger_came_back(hws, tmp_path):
    b = build(hws, as_of=date(2020, 11, 30), since=date(2020, 10, 31))
    assert b.ledgers is None
    write(b, "md", tmp_path / "b.md")
    assert "台账报送" not in (tmp_path / "b.md").read_text("utf-8")


def test_the_bulletin_names_who_returned_the_ledger_and_who_did_not(hws, tmp_path):
    results = _return_ledger(hws, tmp_path, UNIT, "2020-11-25T10:00:00+08:00",
                             {("2020-05", "进度(%)"): 45, ("2020-05", "进展情况"): "竺山圩主体完工"}, "水利局-11月.xlsx")
    assert len(results) == 1
    on = date(2020, 11, 30)
    b = build(hws, as_of=on, since=date(2020, 10, 31))
    lg = b.ledgers
    assert lg is not None and (lg.since, lg.until) == (date(2020, 11, 1), on)
    assert [(r.unit, r.date, r.file, r.commits) for r in lg.returned] == [(UNIT, "2020-11-25", "水利局-11月.xlsx", 1)]
    expected = _expected_units(hws, on)
    assert UNIT in expected and len(expected) > 5
    assert lg.missing == [u for u in expected if u != UNIT]

    # every format says it
    missing_line = f"未按要求报送 {len(lg.missing)} 个单位：{'、'.join(lg.missing)}。"
    for fmt in ("md", "html", "xlsx", "docx"):
        write(b, fmt, tmp_path / f"b.{fmt}")
    md = (tmp_path / "b.md").read_text("utf-8")
    assert "## 台账报送情况 (2020-11-01 — 2020-11-30)" in md
    assert "已报送 1 个单位。" in md and missing_line in md
    assert "| 市水利局 | 2020-11-25 | 水利局-11月.xlsx | 1 |" in md

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text: list[str] = []

        def handle_data(self, data):
            self.text.append(data)

    page = Cells()
    page.feed((tmp_path / "b.html").read_text("utf-8"))
    assert "台账报送情况 (2020-11-01 — 2020-11-30)" in page.text and missing_line in page.text
    assert "水利局-11月.xlsx" in page.text

    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "b.xlsx")
    sh = wb["台账报送情况"]
    assert sh["A1"].value == "台账报送情况 (2020-11-01 — 2020-11-30)"
    assert (sh["A2"].value, sh["A3"].value) == ("已报送 1 个单位。", f"未按要求报送 {len(lg.missing)} 个单位。")
    rows = [[c.value for c in r] for r in sh.iter_rows(min_row=5, max_col=5)]
    assert rows[0] == ["单位", "报送情况", "报送日期", "文件", "提交数"]
    assert rows[1][:2] == [UNIT, "已报送"] and rows[1][2].date() == date(2020, 11, 25) and rows[1][3:] == ["水利局-11月.xlsx", 1]
    assert [r[0] for r in rows[2:]] == lg.missing and {r[1] for r in rows[2:]} == {"未按要求报送"}

    from docx import Document

    doc = Document(tmp_path / "b.docx")
    body = [p.text for p in doc.paragraphs]
    assert "台账报送情况 (2020-11-01 — 2020-11-30)" in body and missing_line in body
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["单位", "报送日期", "文件", "提交数"] in cells and [UNIT, "2020-11-25", "水利局-11月.xlsx", "1"] in cells

    # English
    en = build(hws, as_of=on, since=date(2020, 10, 31), lang="en")
    write(en, "md", tmp_path / "en.md")
    text = (tmp_path / "en.md").read_text("utf-8")
    assert "## Ledger returns (2020-11-01 — 2020-11-30)" in text and "1 unit(s) returned their ledger." in text
    assert f"Not returned (未按要求报送): {len(lg.missing)} unit(s): " in text


def test_a_bulletin_of_another_period_or_before_the_first_return(hws, tmp_path):
    _return_ledger(hws, tmp_path, UNIT, "2020-11-25T10:00:00+08:00", {("2020-05", "进度(%)"): 45}, "back.xlsx")
    # October, before any ledger came back: nothing to say about ledgers
    assert build(hws, as_of=date(2020, 10, 31), since=date(2020, 9, 30)).ledgers is None
    # December: ledgers are in use, and nobody returned one this period
    dec = build(hws, as_of=date(2020, 12, 31), since=date(2020, 11, 30)).ledgers
    assert dec is not None and dec.returned == [] and UNIT in dec.missing
