"""The bulletin as a Word document (python-docx), in the style of a 督查通报: 方正小标宋/宋体
heading, 仿宋 body, tables with a header row.  East Asian text gets its font through
w:rFonts/@w:eastAsia (Word ignores the Latin font name for Chinese characters).  Word cannot
show SVG, so the burn-up is a PNG drawn by tracker.report.png (pure Python), with its legend as
document text and the counts as a table."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from lxml import etree
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from ..output import visible
from ..schedule import LIGHTS
from .md import thin_points
from .png import SERIES_RGB, burnup_png
from .model import Bulletin
from ..analytics import ranks

BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"
LIGHT_HEX = {"red": "C62828", "yellow": "B58900", "blue": "1565C0", "green": "2E7D32", "done": "616161"}
LIGHT_RGB = {"red": RGBColor(0xC6, 0x28, 0x28), "yellow": RGBColor(0xB5, 0x89, 0x00),
             "blue": RGBColor(0x15, 0x65, 0xC0), "green": RGBColor(0x2E, 0x7D, 0x32), "done": RGBColor(0x61, 0x61, 0x61)}


def set_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian font of a run (rPr/rFonts w:ascii, w:hAnsi, w:eastAsia)."""
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _clean(value) -> str:
    return visible("" if value is None else value, keep_newlines=True)


def _para(doc, text: str, font: str = BODY_FONT, size: float = 14, bold: bool = False, align=None, style=None):
    p = doc.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    set_font(p.add_run(_clean(text)), font, size, bold)
    return p


def _heading(doc, text: str, level: int = 1):
    p = doc.add_heading(level=level)
    set_font(p.add_run(_clean(text)), HEAD_FONT, 16 if level == 1 else 14, True)
    for run in p.runs:
        run.font.color.rgb = RGBColor(0, 0, 0)
    return p


def _run_xml(text: str, font: str, size_half_points: int, bold: bool = False, color: str | None = None):
    """<w:r> with rFonts (ascii/hAnsi/eastAsia), size, bold, colour and the text, built directly."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rfonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rpr.append(rfonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    if color:
        c = OxmlElement("w:color")
        c.set(qn("w:val"), color)
        rpr.append(c)
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), str(size_half_points))
        rpr.append(sz)
    r.append(rpr)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        r.append(t)
    return r


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _run_str(text: str, font: str, bold: bool = False, color: str | None = None) -> str:
    """The XML of one <w:r> (10.5 pt), text escaped, lines broken with <w:br/>."""
    f = xml_escape(font, {'"': "&quot;"})
    props = f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
    if bold:
        props += "<w:b/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    props += '<w:sz w:val="21"/><w:szCs w:val="21"/>'
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in text.split("\n"))
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"


def _table(doc, headers, rows, light_col: int | None = None, lights=None):
    """A 'Table Grid' table.  The data rows are written as one XML string and parsed once:
    python-docx's row.cells recomputes the grid on every access (minutes at 10,000 rows)."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    tbl = t._tbl
    template = tbl.tr_lst[0]
    for tc, h in zip(template.tc_lst, headers):
        tc.p_lst[0].append(_run_xml(_clean(h), TABLE_FONT, 21, bold=True))
    tcprs = [etree.tostring(tc.tcPr).decode() if tc.tcPr is not None else "" for tc in template.tc_lst]
    parts = [f'<w:tbl xmlns:w="{_W}">']
    for i, row in enumerate(rows):
        parts.append("<w:tr>")
        for j, (tcpr, v) in enumerate(zip(tcprs, row)):
            colour = LIGHT_HEX.get(lights[i]) if light_col == j and lights else None
            parts.append(f"<w:tc>{tcpr}<w:p>{_run_str(_clean(v), TABLE_FONT, colour is not None, colour)}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    for tr in list(parse_xml("".join(parts))):
        tbl.append(tr)
    doc.add_paragraph()
    return t


def build_document(b: Bulletin):
    L = b.L
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = _clean(b.heading)

    _para(doc, b.heading, TITLE_FONT, 20, True, WD_ALIGN_PARAGRAPH.CENTER)
    if b.document:
        _para(doc, b.document, BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"{L('as_of')} {b.as_of.isoformat()}  {L('period')} {b.period_text}", BODY_FONT, 12, False,
          WD_ALIGN_PARAGRAPH.CENTER)

    _heading(doc, L("totals"))
    _para(doc, b.summary)
    _table(doc, [L("status"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_status])
    _table(doc, [L("light"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_light],
           light_col=0, lights=[c.key for c in b.by_light])

    _heading(doc, L("categories"))
    for sec in b.categories:
        _heading(doc, sec.name, 2)
        _para(doc, b.category_line(sec), size=12)
        _table(doc, [L("id"), L("title"), L("lead"), L("status"), L("progress"), L("expected"), L("light")],
               [[r.id, r.title, r.lead, r.status_label, f"{r.progress}%", f"{r.expected}%", r.light_label]
                for r in sec.rows], light_col=6, lights=[r.light for r in sec.rows])

    _heading(doc, L("lagging"))
    if b.lagging:
        _table(doc, [L("id"), L("title"), L("lead"), L("light"), L("progress"), L("note"), L("problems")],
               [[r.id, r.title, r.lead, r.light_label, f"{r.progress}% / {r.expected}%", r.note or "—", r.problems or "—"]
                for r in b.lagging], light_col=3, lights=[r.light for r in b.lagging])
    else:
        _para(doc, L("no_lagging"))

    _heading(doc, L("ranking"))
    _table(doc, [L("rank"), L("unit"), L("led"), L("done"), L("yellow"), L("red"), L("overdue"), L("rate"), L("last_update")],
           [[i, r.unit, r.led, r.done, r.yellow, r.red, r.overdue, f"{r.rate:.0%}",
             r.last_update.isoformat() if r.last_update else "—"] for i, r in zip(ranks(b.ranking), b.ranking)])
    _para(doc, b.rank_rule)

    _heading(doc, L("targets"))
    _table(doc, [L("id"), L("indicator"), L("target"), L("latest"), L("actual_period"), L("assessment")],
           [[t.target, t.indicator, t.target_text, t.latest or "—", t.period or "—", t.assessment or "—"]
            for t in b.targets])

    _heading(doc, f"{L('changes')} ({b.period_text})")
    if b.changes:
        _table(doc, [L("item"), L("title"), L("field"), L("old"), L("new"), L("author"), L("date")],
               [[c.item, c.title, c.field, c.old, c.new, c.author, c.date] for c in b.changes])
    elif not b.added:
        _para(doc, L("no_changes"))
    if b.added:
        _para(doc, L("added_line", n=b.added), size=12)

    if b.burnup:
        _heading(doc, L("burnup"))
        _para(doc, L("chart_note"), size=12)
        doc.add_picture(io.BytesIO(burnup_png(b.burnup)), width=Inches(6.2))
        legend = doc.add_paragraph()
        last = b.burnup[-1]
        for key, label, value in [("done", b.light_name("done"), last.done),
                                  *[(k, b.light_name(k), last.by_light[k]) for k in ("red", "yellow", "blue", "green")],
                                  ("total", L("total"), last.total)]:
            mark = legend.add_run("━━ ")
            set_font(mark, TABLE_FONT, 10.5, True)
            mark.font.color.rgb = RGBColor(*SERIES_RGB[key])
            set_font(legend.add_run(f"{label} {value}    "), TABLE_FONT, 10.5)
        pts = thin_points(b.burnup)
        top = max(1, max(p.total for p in pts))
        _table(doc, [L("date"), L("total"), *[b.light_name(k) for k in LIGHTS], ""],
               [[p.day.isoformat(), p.total, *[p.by_light[k] for k in LIGHTS], "█" * round(20 * p.done / top)]
                for p in pts])
    if b.problems:
        for prob in b.problems:
            _para(doc, prob, size=10)
    return doc


def write_docx(b: Bulletin, path) -> None:
    build_document(b).save(str(path))
