"""催办单: the reminder note sent to one unit, and the record that it was sent.

`tracker remind --unit U --format docx -o F` writes one Word file (A4 portrait, 公文 fonts:
方正小标宋简体 for the title, 仿宋_GB2312 for the text, 黑体 for the table header; Word and WPS
substitute an installed font when one is missing, and the font table names the usual
fallbacks) with:

    督查督办催办单                                 (title)
    催办〔2020〕3号        第2次催办                 (文号-like number, and the count for this unit)
    市发展改革委：                                  (the unit)
    the paragraph asking for action, then a table: 序号, 编号, 事项, 完成时限, 情况 (逾期N天,
    N天未签收, 措施N节点已过, N天未报送进展 ...), 催办次数 (第N次 for each item)
    the office and the date, right-aligned

Sending is recorded in git, one commit per note: `plan/<year>/reminders.yaml`, a list in the
order sent, each entry ``{no, date, unit, items: [ids], by}``.  The number is the entry's place
in the year (1, 2, ...); an item's count is how many earlier notes named it, plus one, so the
next note says 第2次催办.  The file only ever grows by whole entries at its end (a sync merges
two offices' additions like any text file).

Pure python-docx plus the repository's git gateway; no Textual.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import escape

from .i18n import book, say
from .model import TrackerError

LOG_NAME = "reminders.yaml"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
#: font -> fallbacks named in the document's font table (w:altName takes one; Word and WPS
#: also substitute by the font's family on their own)
ALT_FONTS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEAD_FONT: "SimHei"}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

T = book("note", {
    "to": ("{unit}：", "{unit}:"),                     # the addressee line
    "day": ("{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}"),                 # the date under the office's name
    "title": ("督查督办催办单", "Supervision reminder"),
    "number": ("催办〔{year}〕{no}号", "Reminder {year} No. {no}"),
    "nth": ("第{n}次催办", "reminder no. {n}"),
    "nth_short": ("第{n}次", "no. {n}"),
    "body": ("经督查，你单位牵头负责的以下{n}项工作存在逾期、进度滞后或未按要求报送等情况。"
             "请高度重视，抓紧推进，于收到本单后{days}个工作日内将办理情况书面报送{office}。",
             "The following {n} items your unit leads are overdue, behind schedule or not reported. "
             "Please act on them and report to {office} in writing within {days} working days."),
    "col.seq": ("序号", "No."),
    "col.id": ("编号", "ID"),
    "col.title": ("事项", "Item"),
    "col.due": ("完成时限", "Due"),
    "col.what": ("情况", "Situation"),
    "col.count": ("催办次数", "Reminders"),
    "office_default": ("督查办", "the supervision office"),
    "nothing": ("{unit}：当前没有需要催办的事项（{on}），未生成催办单。",
                "{unit}: nothing to remind on {on}; no note written."),
    "no_unit": ("催办单只发给一个单位：请加 --unit 单位名称", "a reminder note is for one unit: add --unit NAME"),
    "many_units": ("--unit {unit!r} 对应 {n} 个牵头单位：{names}；请写明其中一个",
                   "--unit {unit!r} matches {n} lead units: {names}; name one of them"),
    "no_output": ("请用 -o 文件名.docx 指定催办单的保存位置", "name the file with -o FILE.docx"),
    "bad_log": ("{path}：不是催办记录列表（{why}）", "{path}: not a list of reminder records ({why})"),
    "subject": ("催办 {unit}：{title}（{nth}）", "Reminder to {unit}: {title} ({nth})"),
    "sent": ("已写出 {file}：{number}，{nth}，{n}项；已记录（提交 {sha}）",
             "wrote {file}: {number}, {nth}, {n} items; recorded (commit {sha})"),
})


@dataclass(frozen=True)
class Sent:
    no: int
    day: date
    unit: str
    items: tuple[str, ...]
    by: str = ""


def log_path(ws) -> Path:
    return ws.plan_dir / LOG_NAME


def read_log(ws) -> list[Sent]:
    """Every note sent this year, in order.  A file that is not a list of records is an error
    naming the file (nothing is guessed)."""
    p = log_path(ws)
    if not p.exists():
        return []
    from .yamlio import rt_load

    rel = p.relative_to(ws.root).as_posix()
    raw = rt_load(p.read_text("utf-8"), rel) or []
    if not isinstance(raw, list):
        raise TrackerError(f"{rel}: not a list of reminder records (a {type(raw).__name__})",
                           key="note.bad_log", path=rel, why=type(raw).__name__)
    out = []
    for i, e in enumerate(raw, 1):
        try:
            d = e["date"]
            out.append(Sent(int(e["no"]), d if isinstance(d, date) else date.fromisoformat(str(d)),
                            str(e["unit"]), tuple(str(x) for x in (e.get("items") or ())), str(e.get("by") or "")))
        except (TypeError, KeyError, ValueError) as exc:
            why = f"entry {i}: {exc.__class__.__name__} {exc}"
            raise TrackerError(f"{rel}: not a list of reminder records ({why})",
                               key="note.bad_log", path=rel, why=why) from None
    return out


def counts(log: Iterable[Sent]) -> dict[str, int]:
    """item id -> how many notes named it so far."""
    out: dict[str, int] = {}
    for s in log:
        for i in s.items:
            out[i] = out.get(i, 0) + 1
    return out


def unit_count(log: Iterable[Sent], unit: str) -> int:
    return sum(1 for s in log if s.unit == unit)


def record(ws, unit: str, item_ids: list[str], title: str, on: date, nth: int, lang: str = "zh") -> tuple[int, str]:
    """Append one entry to reminders.yaml and commit it (one commit, the log file only).
    Returns (the note's number, the commit id)."""
    from .yamlio import atomic_write

    log = read_log(ws)
    no = (max((s.no for s in log), default=0)) + 1
    p = log_path(ws)
    rel = p.relative_to(ws.root).as_posix()
    by = ws.git.run("config", "user.name", check=False).strip()
    entry = (f"- no: {no}\n  date: {on.isoformat()}\n  unit: {_q(unit)}\n  by: {_q(by)}\n  items:\n"
             + "".join(f"    - {_q(i)}\n" for i in item_ids))
    old = p.read_text("utf-8") if p.exists() else ("# 催办记录 (tracker remind --format docx): one entry per note sent; "
                                                  "appended by the tool\n")
    if old and not old.endswith("\n"):
        old += "\n"
    subject = say("note.subject", "zh", unit=unit, title=title if len(item_ids) == 1 else f"{len(item_ids)}项",
                  nth=say("note.nth", "zh", n=nth))
    body = "\n".join(f"- {i}" for i in item_ids)
    msg = f"{subject}\n\n催办〔{ws.year}〕{no}号，{on.isoformat()}\n{body}\n\nTracker-Reminder: {no}\nTracker-Unit: {unit}\n"
    with ws.lock():
        atomic_write(p, old + entry)
        try:
            sha = ws.git.commit_paths([rel], msg, allow_new=True)
        except Exception:
            atomic_write(p, old) if old.strip() and p.exists() else None
            raise
    return no, sha


def _q(s: str) -> str:
    """A YAML double-quoted scalar (unit names may hold ':' or '#')."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- the document ------------------------------------------------------------------------------

def _run(text: str, font: str, half_points: int, bold: bool = False) -> str:
    f = escape(font, {'"': "&quot;"})
    props = (f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{f}" w:cs="{f}"/>'
             + ("<w:b/>" if bold else "") + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    text = _BAD_XML.sub("", text)
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
    return f'<w:r xmlns:w="{_W}"><w:rPr>{props}</w:rPr>{body}</w:r>'


def _para(doc, text: str, font: str, half_points: int, *, align: str | None = None, bold: bool = False,
          indent: bool = False, before: int = 0, after: int = 0, line: int | None = None):
    from docx.oxml import parse_xml

    p = doc.add_paragraph()
    ppr = p._p.get_or_add_pPr()
    xml = f'<w:spacing xmlns:w="{_W}" w:before="{before}" w:after="{after}"'
    xml += f' w:line="{line}" w:lineRule="exact"/>' if line else "/>"
    ppr.append(parse_xml(xml))
    if indent:  # 首行缩进两字
        ppr.append(parse_xml(f'<w:ind xmlns:w="{_W}" w:firstLineChars="200" w:firstLine="{half_points * 20}"/>'))
    if align:
        ppr.append(parse_xml(f'<w:jc xmlns:w="{_W}" w:val="{align}"/>'))
    p._p.append(parse_xml(_run(text, font, half_points, bold)))
    return p


def _cell(text: str, w: int, font: str, half_points: int, *, bold=False, center=False, shade=None) -> str:
    pr = f'<w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/>'
    if shade:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    jc = '<w:jc w:val="center"/>' if center else ""
    run = _run(text, font, half_points, bold).replace(f' xmlns:w="{_W}"', "", 1)
    return f'<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:pPr><w:spacing w:before="40" w:after="40"/>{jc}</w:pPr>{run}</w:p></w:tc>'


@dataclass(frozen=True)
class NoteRow:
    id: str
    title: str
    due: date
    what: str      # 逾期3天；措施2节点已过5天
    count: int     # this item's reminder number (1 = first time)


def write_note(rows: list[NoteRow], *, unit: str, year: int, no: int, nth: int, office: str, on: date,
               lang: str = "zh", reply_days: int = 3) -> bytes:
    """The 催办单 as .docx bytes (A4 portrait, 公文 margins 37/35/28/26 mm)."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.shared import Mm

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    _fallback_fonts(doc)
    _para(doc, say("note.title", lang), TITLE_FONT, 44, align="center", after=200)     # 二号
    _para(doc, f"{say('note.number', lang, year=year, no=no)}　　{say('note.nth', lang, n=nth)}",
          BODY_FONT, 32, align="center", after=300)                                            # 三号
    _para(doc, say("note.to", lang, unit=unit), BODY_FONT, 32, line=560)
    _para(doc, say("note.body", lang, n=len(rows), days=reply_days, office=office), BODY_FONT, 32,
          indent=True, line=560, after=200)
    usable = int((210 - 28 - 26) / 25.4 * 1440)
    fixed = [750, 1400, 0, 1650, 0, 1100]
    rest = usable - sum(fixed)
    tw = [fixed[0], fixed[1], int(rest * 0.55), fixed[3], rest - int(rest * 0.55), fixed[5]]
    cols = ["seq", "id", "title", "due", "what", "count"]
    borders = "".join(f'<w:{s} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblW w:w="{sum(tw)}" w:type="dxa"/><w:jc w:val="center"/>'
             f'<w:tblLayout w:type="fixed"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>'
             + "".join(f'<w:gridCol w:w="{w}"/>' for w in tw) + "</w:tblGrid>"]
    parts.append("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
    parts += [_cell(say(f"note.col.{c}", lang), w, HEAD_FONT, 21, center=True, shade="E7E6E6") for c, w in zip(cols, tw)]
    parts.append("</w:tr>")
    for i, r in enumerate(rows, 1):
        vals = [str(i), r.id, r.title, r.due.isoformat(), r.what, say("note.nth_short", lang, n=r.count)]
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts += [_cell(v, w, BODY_FONT, 21, center=c in ("seq", "id", "due", "count")) for c, v, w in zip(cols, vals, tw)]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body.insert(len(doc.element.body) - 1, parse_xml("".join(parts)))
    _para(doc, "", BODY_FONT, 32, before=400)
    _para(doc, office, BODY_FONT, 32, align="right", line=560)
    day = say("note.day", lang, y=on.year, m=on.month, d=on.day)
    _para(doc, day, BODY_FONT, 32, align="right", line=560)
    doc.core_properties.title = f"{say('note.title', lang)} {say('note.number', lang, year=year, no=no)}"
    doc.core_properties.author = "tracker"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _fallback_fonts(doc) -> None:
    """Name each 公文 font in the document's font table with a fallback (w:altName)."""
    from docx.oxml import parse_xml

    try:
        part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    except StopIteration:
        return
    root = part.element if hasattr(part, "element") else None
    if root is None:
        from lxml import etree

        root = etree.fromstring(part.blob)
        for name, alt in ALT_FONTS.items():
            root.append(parse_xml(f'<w:font xmlns:w="{_W}" w:name="{escape(name)}"><w:altName w:val="{alt}"/>'
                                  f'<w:charset w:val="86"/><w:family w:val="roman"/></w:font>'))
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return
    for name, alt in ALT_FONTS.items():
        root.append(parse_xml(f'<w:font xmlns:w="{_W}" w:name="{escape(name)}"><w:altName w:val="{alt}"/>'
                              f'<w:charset w:val="86"/><w:family w:val="roman"/></w:font>'))


def office_name(data) -> str:
    """The office that signs the note: plan.yaml settings.office, else the plan's issuer's
    督查室, else 督查办."""
    info = getattr(data, "info", None)
    s = (getattr(info, "settings", None) or {}) if info is not None else {}
    if s.get("office"):
        return str(s["office"])
    issuer = getattr(info, "issuer", "") if info is not None else ""
    return f"{issuer}督查室" if issuer else say("note.office_default", "zh")


def what_text(reminders, lang: str = "zh") -> str:
    from .analytics import reason_text

    return say("sep.clause", lang).join(reason_text(r, lang) for r in reminders)


def rows_for(reminders, log: list[Sent], lang: str = "zh") -> list[NoteRow]:
    """One row per item (its reasons joined), in the order of the reminders."""
    seen: dict[str, list] = {}
    for r in reminders:
        seen.setdefault(r.task.id, []).append(r)
    done = counts(log)
    return [NoteRow(tid, rs[0].task.title, rs[0].task.due, what_text(rs, lang), done.get(tid, 0) + 1)
            for tid, rs in seen.items()]


def send(ws, data, unit: str, reminders, out: Path, on: date, lang: str = "zh") -> dict[str, Any]:
    """Write the note to `out` and record it (one commit).  The file is written first (to a
    temporary name, then renamed) so a failed commit leaves no record of a note never made."""
    log = read_log(ws)
    rows = rows_for(reminders, log, lang)
    nth = unit_count(log, unit) + 1
    no = max((s.no for s in log), default=0) + 1
    blob = write_note(rows, unit=unit, year=ws.year, no=no, nth=nth, office=office_name(data), on=on, lang=lang)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(blob)
    tmp.replace(out)
    title = rows[0].title if rows else ""
    got_no, sha = record(ws, unit, [r.id for r in rows], title, on, nth, lang)
    return {"file": str(out), "no": got_no, "nth": nth, "items": [r.id for r in rows], "commit": sha,
            "number": say("note.number", lang, year=ws.year, no=got_no)}
