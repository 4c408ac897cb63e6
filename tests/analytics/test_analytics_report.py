"""Bulletins: every format opened with its own library and checked against the plan."""
from __future__ import annotations

import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from analytics_history import dated, git

from tracker.asof import load_as_of
from tracker.report import build, write
from tracker.report.md import esc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bulletin(hws):
    return build(hws, as_of=date(2020, 11, 30), since=date(2020, 10, 31))


class TextOf(HTMLParser):
    """Text content, and every start tag seen."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def test_model_totals_match_the_plan(hws, bulletin):
    data = load_as_of(hws, date(2020, 11, 30))
    assert bulletin.total == len(data.tasks) == 60
    status = {c.key: c.count for c in bulletin.by_status}
    assert status["done"] == 2 and status["blocked"] == 1 and sum(status.values()) == 60
    assert sum(c.count for c in bulletin.by_light) == 60
    assert sum(len(s.rows) for s in bulletin.categories) == 60
    assert [s.name for s in bulletin.categories] == [c for c in data.info.categories
                                                      if any(t.category == c for t in data.tasks)]
    assert {r.light for r in bulletin.lagging} <= {"red", "yellow"}
    assert [r.light for r in bulletin.lagging] == sorted((r.light for r in bulletin.lagging), key=["red", "yellow"].index)
    t1 = next(t for t in bulletin.targets if t.indicator == "地区生产总值增长")
    assert (t1.latest, t1.period, t1.met) == ("2.9 %", "2020-Q3", False)


def test_md_bulletin(tmp_path, bulletin):
    out = tmp_path / "b.md"
    write(bulletin, "md", out)
    md = out.read_text("utf-8")
    assert md.startswith("# 市政府2020年重点工作分解落实方案 督查通报")
    assert "宜政发〔2020〕160号" in md and "2020-11-01 — 2020-11-30" in md
    assert "共60项任务,已完成2项(3.3%)" in md
    for sec in bulletin.categories:
        assert f"### {sec.name}" in md
    assert "| 2020-01 | 加快推进农业现代化建设 | 状态 | 推进中 | 已完成 | 农业农村局 王芳 | 2020-11-12 10:00 |" in md
    assert "资金缺口\\<较大\\>\\&待协调" in md  # data escaped, not read as markup
    assert "## 任务推进趋势" in md


def test_as_of_report_before_an_update_does_not_show_it(hws, tmp_path):
    b = build(hws, as_of=date(2020, 11, 4), since=date(2020, 10, 31))
    write(b, "md", tmp_path / "early.md")
    md = (tmp_path / "early.md").read_text("utf-8")
    assert "用地指标未落实" not in md  # task 4's problem was reported on November 5th
    assert "全部完成" not in md  # task 1 done on November 12th
    assert "资金缺口" in md  # October 31st, 23:30 Beijing time: inside the window
    assert b.lagging and all(r.id != "2020-01" or r.status != "done" for r in b.lagging)
    t1 = next(r for s in b.categories for r in s.rows if r.id == "2020-01")
    assert (t1.status, t1.progress) == ("in_progress", 75)


def test_html_bulletin_escapes_and_draws(tmp_path, hist_repo, hws):
    f = hist_repo / "plan/2020/tasks/06.yaml"
    f.write_text(f.read_text("utf-8").replace("title: 突出产业项目驱动", "title: <script>alert(1)</script>突出产业项目驱动"), "utf-8")
    with dated("2020-11-25T09:00:00+08:00"):
        git(hist_repo, "commit", "-q", "-am", "hand edit")
    b = build(hws, as_of=date(2020, 11, 30), since=date(2020, 10, 31))
    write(b, "html", tmp_path / "b.html")
    page = (tmp_path / "b.html").read_text("utf-8")
    parsed = TextOf()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert "script" not in parsed.tags
    assert "<script>alert(1)</script>突出产业项目驱动" in parsed.cells
    assert "资金缺口<较大>&待协调" in parsed.cells
    assert "宜政发〔2020〕160号" in text
    assert "svg" in parsed.tags and "polyline" in parsed.tags
    assert page.count('class="series-') == 6  # total, four lights, done
    for t in load_as_of(hws, date(2020, 11, 30)).tasks:
        assert t.id in parsed.cells


def test_xlsx_bulletin(tmp_path, hist_repo, hws):
    from openpyxl import load_workbook

    f = hist_repo / "plan/2020/tasks/07.yaml"
    f.write_text(f.read_text("utf-8").replace("note: ''", "note: '=HYPERLINK(\"http://x\")'"), "utf-8")
    with dated("2020-11-25T09:00:00+08:00"):
        git(hist_repo, "commit", "-q", "-am", "a note that looks like a formula")
    b = build(hws, as_of=date(2020, 11, 30), since=date(2020, 10, 31))
    write(b, "xlsx", tmp_path / "b.xlsx")
    wb = load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames[0] == "总体情况"
    ov = wb["总体情况"]
    assert ov["A1"].value == "市政府2020年重点工作分解落实方案 督查通报"
    assert ov["A1"].font.name == "宋体"
    assert len(ov._charts) == 1
    data = load_as_of(hws, date(2020, 11, 30))
    for sec in b.categories:
        ws = wb[sec.name]
        ids = [ws.cell(row=r, column=1).value for r in range(5, 5 + len(sec.rows))]
        assert ids == [t.id for t in data.tasks if t.category == sec.name]
    agri = wb["农业农村类"]
    row1 = [c.value for c in agri[5]]
    assert row1[:4] == ["2020-01", "加快推进农业现代化建设", "市农业农村局", "已完成"]
    assert row1[4] == 1.0
    seven = next(r for r in wb["工业经济和信息化类"].iter_rows(min_row=5) if r[0].value == "2020-07")
    assert seven[8].value == '=HYPERLINK("http://x")' and seven[8].data_type == "s"
    rank = wb["牵头单位排名"]
    assert rank["B2"].value == "市农业农村局" and rank["D2"].value == 2
    burn = wb[wb.sheetnames[-1]]
    assert burn.max_row == len(b.burnup) + 1


def test_docx_bulletin(tmp_path, bulletin):
    from docx import Document
    from docx.oxml.ns import qn

    write(bulletin, "docx", tmp_path / "b.docx")
    doc = Document(tmp_path / "b.docx")
    assert doc.paragraphs[0].text == "市政府2020年重点工作分解落实方案 督查通报"
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text}
    assert "方正小标宋简体" in fonts and "仿宋_GB2312" in fonts and None not in fonts
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for sec in bulletin.categories:
        for r in sec.rows:
            assert r.id in cells
    assert "资金缺口<较大>&待协调" in cells
    table_fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for t in doc.tables[:1]
                   for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs}
    assert table_fonts == {"宋体"}
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "共60项任务,已完成2项(3.3%)" in body
    pngs = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(pngs) == 1 and pngs[0].startswith(b"\x89PNG\r\n\x1a\n")
    assert "已完成 2" in body and "红灯 57" in body  # the chart's legend, as text


def test_english_labels(hws, tmp_path):
    b = build(hws, as_of=date(2020, 11, 30), since=date(2020, 10, 31), lang="en")
    write(b, "md", tmp_path / "en.md")
    md = (tmp_path / "en.md").read_text("utf-8")
    assert "Supervision bulletin" in md and "## Lead unit ranking" in md and "60 tasks: 2 done" in md


def test_md_escape():
    assert esc("a|b") == "a\\|b"
    assert esc("**x**") == "\\*\\*x\\*\\*"
    assert esc("第一行\n第二行") == "第一行<br>第二行"
    assert esc("\x1b[31m") == "\\\\x1b\\[31m"


def test_sample_bulletin_is_what_the_tool_writes(tmp_path):
    """docs/sample-bulletin.md is regenerated by tests/analytics/analytics_history.py --sample."""
    import subprocess

    out = tmp_path / "sample.md"
    r = subprocess.run([sys.executable, str(ROOT / "tests/analytics/analytics_history.py"), "--sample", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.read_text("utf-8") == (ROOT / "docs/sample-bulletin.md").read_text("utf-8")


def test_png_chart_draws_each_series(bulletin):
    import struct
    import zlib

    from tracker.report.png import SERIES_RGB, burnup_png

    data = burnup_png(bulletin.burnup, width=300, height=120)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (300, 120)
    # decode (filter 0 rows) and look for the colours of the lines that are not all zero
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag = data[pos + 4:pos + 8]
        if tag == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    pixels = {tuple(raw[r * (3 * w + 1) + 1 + 3 * i: r * (3 * w + 1) + 4 + 3 * i]) for r in range(h) for i in range(w)}
    for key in ("total", "red", "done"):
        assert SERIES_RGB[key] in pixels, key
