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

from ..model import TrackerError
from .rows import Meta, header_keys, letter, parse_row_id, squash

MAX_BYTES = 50 * 1024 * 1024


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
    notes: list[str] = field(default_factory=list)  # rows that were not read, and why
    content: bytes = b""


def read(path: str | Path) -> Returned:
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read the ledger ({exc.strerror or exc})") from None
    if st.st_size > MAX_BYTES:
        raise TrackerError(f"{path}: {st.st_size // 1024 // 1024} MB is too large for a ledger (at most 50 MB)")
    data = p.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TrackerError(f"{path}: not an .xlsx or .docx file (an old .xls/.doc? save it as .xlsx or .docx)")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" in names:
        out = _read_xlsx(str(path), data)
    elif "word/document.xml" in names:
        out = _read_docx(str(path), data)
    else:
        raise TrackerError(f"{path}: neither a workbook nor a Word document")
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
        raise TrackerError(f"{where}: no header row with 编号 (and the other column names) in the first 20 rows; "
                           "is this a ledger exported by tracker?")
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
            notes.append(f"{ref}: {'编号 ' + repr(shown) + ' is not an item id' if shown else 'a row without 编号'}; row not read")
            continue
        ident = str(rid).strip()
        if ident in seen:
            raise TrackerError(f"{where} {ref}: 编号 {ident} appears twice (also in row {seen[ident]}); "
                               "keep one row per item")
        seen[ident] = line
        cells = {k: Cell(values[i] if i < len(values) else None, f"{letters[i]}{line}") for k, i in cols.items()}
        rows.append(ReadRow(line, ident, parsed[0], parsed[1], cells))
    return rows, {k: letter(i) for k, i in cols.items()}, notes


def _read_xlsx(where: str, data: bytes) -> Returned:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise TrackerError(f"{where}: the workbook cannot be read ({exc})") from None
    try:
        if "_tracker" not in wb.sheetnames:
            raise TrackerError(f"{where}: the hidden sheet _tracker (the export's version record) is missing; "
                               "only a ledger exported by `tracker ledger export` can be taken back")
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
        raise last_err or TrackerError(f"{where}: no ledger sheet")
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
            raise TrackerError(f"{where}: the document cannot be read ({exc})") from None
        custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in z.namelist() else None
    if custom is None:
        raise TrackerError(f"{where}: the document properties with the export's version record are missing; "
                           "only a ledger exported by `tracker ledger export` can be taken back")
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
    raise last_err or TrackerError(f"{where}: the document holds no table")
