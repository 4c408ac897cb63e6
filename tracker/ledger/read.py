"""Read a returned ledger (.xlsx or .docx) into rows keyed by the 编号 column, with cell names.

Columns are found by their header text (either language), so a column the unit moved is still
read; rows are matched by their 编号, never by position, so blank rows, reordered rows and a
file re-saved by Excel, WPS or LibreOffice read the same.  A cell is named as the unit sees it:
`H7` in a workbook; in a Word table the column letter and the table row (header = row 1).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import book, os_words, said
from ..model import TrackerError
from . import labels as _labels  # noqa: F401 - the ledger.note_* entries said here
from .rows import Meta, header_keys, letter, parse_row_id, squash

MAX_BYTES = 50 * 1024 * 1024

#: a file that is not a readable returned ledger (str(err) English, err.text(lang) the user's language)
book("ledger_read", {
    "cannot_read": ("{path}：无法读取台账（{why}）", "{path}: cannot read the ledger ({why})"),
    "too_large": ("{path}：{size} MB，作为台账过大（最多 50 MB）", "{path}: {size} MB is too large for a ledger (at most 50 MB)"),
    "not_zip": ("{path}：不是 .xlsx 或 .docx 文件（是旧版 .xls/.doc？请另存为 .xlsx 或 .docx）",
                "{path}: not an .xlsx or .docx file (an old .xls/.doc? save it as .xlsx or .docx)"),
    "neither": ("{path}：既不是工作簿也不是 Word 文档", "{path}: neither a workbook nor a Word document"),
    "no_header": ("{where}：前 20 行中没有含“编号”（及其他列名）的表头行；这是 tracker 导出的台账吗？",
                  "{where}: no header row with 编号 (and the other column names) in the first 20 rows; "
                  "is this a ledger exported by tracker?"),
    "twice": ("{where} {ref}：编号 {ident} 出现两次（另见第 {other} 行）；每个事项只保留一行",
              "{where} {ref}: 编号 {ident} appears twice (also in row {other}); keep one row per item"),
    "bad_workbook": ("{where}：无法读取该工作簿（{why}）", "{where}: the workbook cannot be read ({why})"),
    "no_record_sheet": ("{where}：缺少隐藏工作表 _tracker（导出时的版本记录）；只有 `tracker ledger export` 导出的台账才能收回",
                        "{where}: the hidden sheet _tracker (the export's version record) is missing; "
                        "only a ledger exported by `tracker ledger export` can be taken back"),
    "no_sheet": ("{where}：没有台账工作表", "{where}: no ledger sheet"),
    "bad_document": ("{where}：无法读取该文档（{why}）", "{where}: the document cannot be read ({why})"),
    "no_record_props": ("{where}：缺少记载导出版本记录的文档属性；只有 `tracker ledger export` 导出的台账才能收回",
                        "{where}: the document properties with the export's version record are missing; "
                        "only a ledger exported by `tracker ledger export` can be taken back"),
    "no_table": ("{where}：文档中没有表格", "{where}: the document holds no table"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `ledger_read.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"ledger_read.{entry}", **args)


@dataclass
class Cell:
    value: Any
    ref: str  # H7


@dataclass
class ReadRow:
    line: int  # sheet row (or table row)
    id: str
    number: int
    measure: int | None
    cells: dict[str, Cell]


@dataclass
class Returned:
    path: str
    kind: str  # xlsx | docx
    meta: Meta
    rows: list[ReadRow]
    columns: dict[str, str]  # key -> letter
    notes: list[str] = field(default_factory=list)  # rows that were not read, and why (i18n.Said)
    content: bytes = b""


def read(path: str | Path) -> Returned:
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise _err("cannot_read", path=path, why=os_words(exc)) from None
    if st.st_size > MAX_BYTES:
        raise _err("too_large", path=path, size=st.st_size // 1024 // 1024)
    data = p.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _err("not_zip", path=path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" in names:
        out = _read_xlsx(str(path), data)
    elif "word/document.xml" in names:
        out = _read_docx(str(path), data)
    else:
        raise _err("neither", path=path)
    out.content = data
    return out


def _map_header(values: list[Any]) -> dict[str, int]:
    keys = header_keys()
    out: dict[str, int] = {}
    for i, v in enumerate(values):
        k = keys.get(squash(v))
        if k and k not in out:
            out[k] = i
    return out


def _rows(where: str, table: list[tuple[int, list[Any]]], meta: Meta, name_cell) -> tuple[list[ReadRow], dict[str, str], list[str]]:
    """Rows of a sheet/table as (line, values): find the header, then read every row by its id."""
    cols: dict[str, int] = {}
    start = None
    for n, (line, values) in enumerate(table[:20]):
        m = _map_header(values)
        if "id" in m and len(m) >= 3:
            cols, start = m, n
            break
    if start is None:
        raise _err("no_header", where=where)
    letters = [letter(i) for i in range(max(cols.values()) + 1)]
    rows: list[ReadRow] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for line, values in table[start + 1:]:
        def get(k: str) -> Any:
            i = cols.get(k)
            return values[i] if i is not None and i < len(values) else None

        if all(v is None or str(v).strip() == "" for v in values):
            continue  # a blank row
        rid = get("id")
        parsed = parse_row_id(rid, meta.year)
        ref = name_cell(cols["id"], line)
        if parsed is None:
            shown = str(rid or "").strip()
            notes.append(said("ledger.note_not_id", ref=ref, shown=shown) if shown else said("ledger.note_no_id", ref=ref))
            continue
        ident = str(rid).strip()
        if ident in seen:
            raise _err("twice", where=where, ref=ref, ident=ident, other=seen[ident])
        seen[ident] = line
        cells = {k: Cell(values[i] if i < len(values) else None, f"{letters[i]}{line}") for k, i in cols.items()}
        rows.append(ReadRow(line, ident, parsed[0], parsed[1], cells))
    return rows, {k: letter(i) for k, i in cols.items()}, notes


def _read_xlsx(where: str, data: bytes) -> Returned:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise _err("bad_workbook", where=where, why=exc) from None
    try:
        if "_tracker" not in wb.sheetnames:
            raise _err("no_record_sheet", where=where)
        pairs, items = [], {}
        for r in wb["_tracker"].iter_rows(values_only=True):
            r = list(r) + [None] * 4
            if r[0] == "item" and r[1]:
                items[str(r[1])] = (str(r[2] or ""), str(r[3] or ""))
            elif r[0]:
                pairs.append((str(r[0]), "" if r[1] is None else str(r[1])))
        meta = Meta.from_pairs(pairs, items, where)
        last_err: TrackerError | None = None
        for name in wb.sheetnames:
            if name == "_tracker":
                continue
            table = [(n, list(vals)) for n, vals in enumerate(wb[name].iter_rows(values_only=True), start=1)]
            try:
                rows, cols, notes = _rows(f"{where} [{name}]", table, meta, lambda i, line: f"{letter(i)}{line}")
            except TrackerError as exc:
                last_err = exc
                continue
            return Returned(where, "xlsx", meta, rows, cols, notes)
        raise last_err or _err("no_sheet", where=where)
    finally:
        wb.close()


_WNS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tc_text(tc) -> str:
    paras = []
    for p in tc.iter(f"{_WNS}p"):
        buf = []
        for el in p.iter(f"{_WNS}t", f"{_WNS}br", f"{_WNS}tab", f"{_WNS}cr"):
            if el.tag == f"{_WNS}t":
                buf.append(el.text or "")
            elif el.tag == f"{_WNS}tab":
                buf.append("\t")
            else:
                buf.append("\n")
        paras.append("".join(buf))
    return "\n".join(paras)


def _read_docx(where: str, data: bytes) -> Returned:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        try:
            doc = etree.fromstring(z.read("word/document.xml"))
        except etree.XMLSyntaxError as exc:
            raise _err("bad_document", where=where, why=exc) from None
        custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in z.namelist() else None
    if custom is None:
        raise _err("no_record_props", where=where)
    props: dict[str, str] = {}
    for prop in etree.fromstring(custom):
        name = prop.get("name") or ""
        props[name] = "".join(prop.itertext())
    pairs = [tuple(line.split("=", 1)) for line in props.get("tracker.meta", "").splitlines() if "=" in line]
    items: dict[str, tuple[str, str]] = {}
    for name in sorted(k for k in props if k.startswith("tracker.items.")):
        for piece in props[name].split(";"):
            tid, _, blob = piece.partition(":")
            if tid:
                items[tid.strip()] = ("", blob.strip())
    meta = Meta.from_pairs(pairs, items, where)
    last_err: TrackerError | None = None
    for tbl in doc.iter(f"{_WNS}tbl"):
        table = []
        for n, tr in enumerate(tbl.findall(f"{_WNS}tr"), start=1):
            values: list[Any] = []
            for tc in tr.findall(f"{_WNS}tc"):
                span = tc.find(f"{_WNS}tcPr/{_WNS}gridSpan")
                values.append(_tc_text(tc))
                if span is not None:
                    values += [None] * (int(span.get(f"{_WNS}val", "1")) - 1)
            table.append((n, values))
        try:
            rows, cols, notes = _rows(where, table, meta, lambda i, line: f"{letter(i)}{line}")
        except TrackerError as exc:
            last_err = exc
            continue
        return Returned(where, "docx", meta, rows, cols, notes)
    raise last_err or _err("no_table", where=where)
