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
from docx.shared import Inches, Mm, Pt, RGBColor
from rich.cells import cell_len

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


def _run_str(text: str, font: str, bold: bool = False, color: str | None = None, size: int = 21) -> str:
    """The XML of one <w:r> (`size` half-points: 10.5 pt), text escaped, lines broken with <w:br/>."""
    f = xml_escape(font, {'"': "&quot;"})
    props = f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
    if bold:
        props += "<w:b/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in text.split("\n"))
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"


#: 公文 page (GB/T 9704-2012): A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_TWIPS = round((PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 1440)


def _has_wide(text: str) -> bool:
    return any(cell_len(ch) > 1 for ch in text)


def column_widths(headers, rows, total: int = TEXT_WIDTH_TWIPS) -> list[int]:
    """Widths (twips) fitted to the content.  Columns of ids, numbers, percentages, dates (≤ 16
    cells, no Chinese) and short words (≤ 8 cells) get what their longest cell needs and never wrap; headers may wrap into two
    lines; the text columns (titles, units, notes) share what is left by how much they hold."""
    cols = len(headers)
    cell_twips = 125  # one half-width cell of 10.5 pt text (105 twips in 宋体; fallback fonts are wider)
    need, short = [], []
    for j in range(cols):
        cells = [_clean(r[j]) for r in rows[:500]]
        longest = max((cell_len(ln) for c in cells for ln in c.split("\n")), default=0)
        head = cell_len(str(headers[j]))
        n = max(longest, (head + 1) // 2 if _has_wide(str(headers[j])) else head, 4) + 2
        need.append(min(n, 61))
        short.append(longest <= 8 or (longest <= 16 and not any(_has_wide(c) for c in cells)))
    want = [n * cell_twips for n in need]
    if sum(want) <= total:
        extra = total - sum(want)  # the spare width goes to the text columns
        wide = [j for j in range(cols) if not short[j]] or list(range(cols))
        for j in wide:
            want[j] += extra / len(wide)
        return [round(w) for w in want]
    fixed = sum(want[j] for j in range(cols) if short[j])
    rest = [j for j in range(cols) if not short[j]]
    room = max(total - fixed, total * 0.25)
    # shares by content, but a long note does not starve the title: weights capped at 24 cells
    weight = {j: min(need[j], 24) for j in rest}
    out = [want[j] if short[j] else max(4 * cell_twips, room * weight[j] / sum(weight.values())) for j in range(cols)]
    if sum(out) > total:  # even the whole columns do not fit: shrink everything alike
        k = total / sum(out)
        out = [w * k for w in out]
    return [round(w) for w in out]


#: the size (half-points) of a table of counts: 9 pt (小五), as statistics tables in 公文 are set; never
#: below COUNT_MIN (7.5 pt) where the columns need less to fit the page
COUNT_SIZE, COUNT_MIN = 18, 15


def count_widths(headers, rows, total: int = TEXT_WIDTH_TWIPS) -> tuple[list[int], int]:
    """(widths in twips, size in half-points) of a table of counts: its headers are its content,
    so a Chinese header stays on one line and an English one wraps only between words; a column
    is as wide as its longest cell, header or word needs.  9 pt, or smaller down to 7.5 pt where
    the columns would not fit the page; then shrunk alike if they still do not."""
    per_cell = 122 / COUNT_SIZE  # twips per half-width cell per half-point: bold fallback fonts (DejaVu) included
    pad = 120  # the cell's left and right margins (57 twips each) and a little air
    cells_needed = []
    for j, h in enumerate(headers):
        h = _clean(h)
        head = cell_len(h) if _has_wide(h) else max((cell_len(w) for w in h.split()), default=0)
        body = max((cell_len(w) for r in rows for w in _clean(r[j]).split()), default=0)
        cells_needed.append(max(head, body, 2))
    room = total - pad * len(headers)
    size = max(COUNT_MIN, min(COUNT_SIZE, int(room / (sum(cells_needed) * per_cell))))
    out = [n * per_cell * size + pad for n in cells_needed]
    if sum(out) > total:
        k = total / sum(out)
        out = [w * k for w in out]
    return [round(w) for w in out], size


def _table(doc, headers, rows, light_col: int | None = None, lights=None, *, counts: bool = False):
    """A 'Table Grid' table, columns fitted to the content (fixed layout), the header row
    repeated on every page.  The data rows are written as one XML string and parsed once:
    python-docx's row.cells recomputes the grid on every access (minutes at 10,000 rows)."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    tbl = t._tbl
    widths, size = count_widths(headers, rows) if counts else (column_widths(headers, rows), 21)
    tblpr = tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")) + tblpr.findall(qn("w:tblLayout")):
        tblpr.remove(old)
    tblw = OxmlElement("w:tblW")
    tblw.set(qn("w:w"), str(sum(widths)))
    tblw.set(qn("w:type"), "dxa")
    tblpr.append(tblw)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    mar = OxmlElement("w:tblCellMar")  # narrow cell padding (0.1 cm): more room for the text
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "57")
        m.set(qn("w:type"), "dxa")
        mar.append(m)
    tblpr.append(mar)
    for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(w))
    template = tbl.tr_lst[0]
    trpr = template.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))  # the header row again at the top of each page
    for tc, h, w in zip(template.tc_lst, headers, widths):
        tc.p_lst[0].append(_run_xml(_clean(h), TABLE_FONT, size, bold=True))
        tcpr = tc.get_or_add_tcPr()
        for old in tcpr.findall(qn("w:tcW")):
            tcpr.remove(old)
        tcw = OxmlElement("w:tcW")
        tcw.set(qn("w:w"), str(w))
        tcw.set(qn("w:type"), "dxa")
        tcpr.insert(0, tcw)
    tcprs = [etree.tostring(tc.tcPr).decode() if tc.tcPr is not None else "" for tc in template.tc_lst]
    parts = [f'<w:tbl xmlns:w="{_W}">']
    for i, row in enumerate(rows):
        parts.append("<w:tr>")
        for j, (tcpr, v) in enumerate(zip(tcprs, row)):
            colour = LIGHT_HEX.get(lights[i]) if light_col == j and lights else None
            parts.append(f"<w:tc>{tcpr}<w:p>{_run_str(_clean(v), TABLE_FONT, colour is not None, colour, size)}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    for tr in list(parse_xml("".join(parts))):
        tbl.append(tr)
    doc.add_paragraph()
    return t


def _field(paragraph, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph: Word and LibreOffice fill in the number."""
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        r = paragraph.add_run()
        set_font(r, BODY_FONT, 14)
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._element.append(fc)
        elif text == instr:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = f" {instr} "
            r._element.append(it)
        else:
            r.text = text


def _page_setup(doc, b: Bulletin) -> None:
    """A4 with 公文 margins; the issuer and the bulletin in the header; '— 1 —' page numbers in the footer."""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issuer = f"{b.issuer}  " if b.issuer else ""
    set_font(head.add_run(_clean(f"{issuer}{b.L('bulletin')}（{b.as_of.isoformat()}）")), BODY_FONT, 10.5)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(foot.add_run("— "), BODY_FONT, 14)
    _field(foot, "PAGE")
    set_font(foot.add_run(" —"), BODY_FONT, 14)


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
    _page_setup(doc, b)

    _para(doc, b.heading, TITLE_FONT, 20, True, WD_ALIGN_PARAGRAPH.CENTER)
    if b.document:
        _para(doc, b.document, BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"{L('as_of')} {b.as_of.isoformat()}  {L('period')} {b.period_text}", BODY_FONT, 12, False,
          WD_ALIGN_PARAGRAPH.CENTER)

    _heading(doc, L("totals"))
    _para(doc, b.summary)
    if b.verified is not None:  # offices.yaml governs the repository: the period's commits, checked
        _para(doc, b.verify_line)
    _table(doc, [L("status"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_status])
    _table(doc, [L("light"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_light],
           light_col=0, lights=[c.key for c in b.by_light])
    if b.stages:  # by kind and stage (交办 … 撤销, 合计, 其中退回, 其中逾期)
        _heading(doc, b.stage_heading, 2)
        _table(doc, *b.stage_table(), counts=True)
        _para(doc, b.stage_note, size=12)

    _heading(doc, L("categories"))
    for sec in b.categories:
        _heading(doc, sec.name, 2)
        _para(doc, b.category_line(sec), size=12)
        _table(doc, [L("id"), L("title"), L("lead"), L("status"), L("progress"), L("expected"), L("light"), L("due")],
               [[r.id, r.title, r.lead, r.status_label, f"{r.progress}%", f"{r.expected}%", r.light_label, r.due]
                for r in sec.rows], light_col=6, lights=[r.light for r in sec.rows])

    _heading(doc, L("lagging"))
    if b.lagging:
        _table(doc, [L("id"), L("title"), L("lead"), L("light"), L("progress"), L("note"), L("problems")],
               [[r.id, r.title, r.lead, r.light_label, f"{r.progress}% / {r.expected}%", r.note or "—", r.problems or "—"]
                for r in b.lagging], light_col=3, lights=[r.light for r in b.lagging])
    else:
        _para(doc, L("no_lagging"))

    if b.review:  # applied for closure, waiting for the office's review (销号 or 退回)
        _heading(doc, b.review_heading)
        _table(doc, *b.review_table())

    if b.reminders:  # 催办: what each lead unit is chased about, and why
        _heading(doc, b.reminder_heading)
        _table(doc, *b.reminder_table())

    if b.cycle:  # the supervision cycle's 退回 / 延期 / 撤销 of the period
        _heading(doc, L("cycle"))
        _table(doc, *b.cycle_table())

    _heading(doc, L("ranking"))
    _table(doc, [L("rank"), L("unit"), L("led"), L("done"), L("yellow"), L("red"), L("overdue"), L("rate"), L("last_update")],
           [[i, r.unit, r.led, r.done, r.yellow, r.red, r.overdue, f"{r.rate:.0%}",
             r.last_update.isoformat() if r.last_update else "—"] for i, r in zip(ranks(b.ranking), b.ranking)])
    _para(doc, b.rank_rule)

    if b.ledgers is not None:
        _heading(doc, b.ledger_heading)
        heads, rows = b.ledger_table()
        got, missing = b.ledger_lines()
        _para(doc, got).paragraph_format.keep_with_next = bool(rows)  # the line stays with its table
        if rows:
            _table(doc, heads, rows)
        _para(doc, missing)

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
        _table(doc, [L("date"), L("total"), *[b.light_name(k) for k in LIGHTS]],
               [[p.day.isoformat(), p.total, *[p.by_light[k] for k in LIGHTS]] for p in pts])
    if b.problems:
        for prob in b.problems:
            _para(doc, prob, size=10)
    return doc


def write_docx(b: Bulletin, path) -> None:
    build_document(b).save(str(path))
