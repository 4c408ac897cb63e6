"""The ledger as a Word table: A4 landscape, the header row repeated on every page, 宋体 title
and header, 仿宋 body, fixed column widths in proportion to the Chinese text; locked columns
shaded grey.  Word has no cell protection or drop-down lists in a plain table, so the instruction
line names the allowed statuses, and the reader checks every value on the way back.

The version record is kept as custom document properties (File → Properties → Custom), which
Word, WPS and LibreOffice keep when they save: `tracker.meta` (key=value lines) and
`tracker.items.NNN` (id:blob pairs, at most 255 characters each: Word's limit for a property).
"""
from __future__ import annotations

import io
import re
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from ..i18n import join
from .labels import lw
from .rows import Meta, Row, columns, header, status_choices

BODY_FONT = "仿宋"
HEAD_FONT = "宋体"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#: narrow columns get a fixed width (twips) that fits their longest value on one line at 10 pt
FIXED_TWIPS = {"id": 1250, "category": 1000, "lead": 1150, "due": 1450, "status": 850, "progress": 800, "role": 850}
#: the page's remaining width, shared: the task's text first, then room to write the progress
FLEX_WEIGHTS = {"title": 4.0, "units": 1.6, "note": 2.2, "problems": 1.2, "next_steps": 1.2}
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _run(text: str, font: str, half_points: int, bold: bool = False) -> str:
    f = escape(font, {'"': "&quot;"})
    props = f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
    if bold:
        props += "<w:b/>"
    props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    text = _BAD_XML.sub("", text)
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"


def _cell(text: str, width_twips: int, *, font: str, bold: bool = False, shade: str | None = None,
          center: bool = False, half_points: int = 21) -> str:
    pr = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if shade:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    jc = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{jc}{_run(text, font, half_points, bold)}</w:p></w:tc>"


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def write_docx(rows: list[Row], meta: Meta, *, title: str, instruction: str, lang: str = "zh",
               with_role: bool = False) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    cols = columns(with_role)
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.5))
    sec.top_margin = sec.bottom_margin = Cm(1.8)
    usable = int((29.7 - 3.0) / 2.54 * 1440)  # twips
    fixed = {k: v for k, v in FIXED_TWIPS.items() if any(c.key == k for c in cols)}
    flex = sum(v for k, v in FLEX_WEIGHTS.items() if any(c.key == k for c in cols))
    rest = usable - sum(fixed.values())
    tw = [fixed[c.key] if c.key in fixed else int(rest * FLEX_WEIGHTS.get(c.key, 1) / flex) for c in cols]

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">' + _run(title, HEAD_FONT, 32, True)[5:]))
    note = lw("docx_note", lang, instruction=instruction, choices=join(status_choices(lang), lang))
    p = doc.add_paragraph()
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">' + _run(note, BODY_FONT, 20)[5:]))

    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in tw)
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblW w:w="{sum(tw)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
             f"<w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"]
    parts.append('<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>')
    for c, w in zip(cols, tw):
        parts.append(_cell(header(c, lang), w, font=HEAD_FONT, bold=True, shade="D9D9D9", center=True, half_points=20))
    parts.append("</w:tr>")
    labels = status_choices(lang)
    from ..i18n import status_label
    from ..model import STATUSES

    for r in rows:
        parts.append("<w:tr>")
        editable = r.editable()
        for c, w in zip(cols, tw):
            v = r.values.get(c.key)
            if c.key == "status":
                v = labels[STATUSES.index(v)] if v in STATUSES else _value(status_label(v, lang) if v else v)
            if c.key == "progress" and r.is_measure:
                v = None
            parts.append(_cell(_value(v), w, font=BODY_FONT, bold=(c.key == "title" and not r.is_measure),
                               shade=None if c.key in editable else "F2F2F2", half_points=20,
                               center=c.key in ("id", "due", "status", "progress", "role")))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body.insert(len(doc.element.body) - 1, parse_xml("".join(parts)))  # before sectPr
    doc.core_properties.title = title
    doc.core_properties.author = "tracker"
    _add_custom_properties(doc, meta)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def meta_properties(meta: Meta) -> list[tuple[str, str]]:
    props = [("tracker.meta", "\n".join(f"{k}={v}" for k, v in meta.pairs()))]
    chunk: list[str] = []
    n = 0
    for tid, (_path, blob) in meta.items.items():
        piece = f"{tid}:{blob}"
        if chunk and len(";".join(chunk + [piece])) > 255:
            n += 1
            props.append((f"tracker.items.{n:03d}", ";".join(chunk)))
            chunk = []
        chunk.append(piece)
    if chunk:
        n += 1
        props.append((f"tracker.items.{n:03d}", ";".join(chunk)))
    return props


def _add_custom_properties(doc, meta: Meta) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CP}" xmlns:vt="{_VT}">']
    for pid, (name, value) in enumerate(meta_properties(meta), start=2):
        body.append(f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
                    f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>")
    body.append("</Properties>")
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, "".join(body).encode("utf-8"), doc.part.package)
    doc.part.package.relate_to(part, CUSTOM_RT)
