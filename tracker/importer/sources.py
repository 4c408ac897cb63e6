"""Reading a source file: text (UTF-8, BOM, GB18030), HTML, .docx, .xlsx, .pdf, legacy formats.

Every failure is a TrackerError naming the file and what is missing.  Nothing here writes
anything except LibreOffice's conversion of a legacy file, into a temporary folder.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..model import TrackerError

MAX_BYTES = 50 * 1024 * 1024
TEXT_EXT = (".txt", ".md", ".text", "")
HTML_EXT = (".html", ".htm", ".shtml", ".xhtml")
LEGACY = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


@dataclass
class Source:
    path: Path
    text: str = ""                                   # the document's text (paragraphs, or all of it)
    tables: list[list[tuple[str, list[str]]]] = field(default_factory=list)  # rows: (where, cells)


def decode(raw: bytes, path: Path) -> str:
    if not raw.strip():
        raise TrackerError(f"{path}: the file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    head = raw[:4096]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        raise TrackerError(f"{path}: binary data, not text (save the notice as .txt, .docx or .xlsx)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{path}: neither UTF-8 nor GB18030 text (byte offset {exc.start})") from None


class _Html(HTMLParser):
    SKIP = {"script", "style", "nav", "header", "footer", "noscript", "head", "select", "button", "form", "iframe"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
             "ul", "ol", "title", "center", "blockquote", "pre", "dd", "dt"}
    CHROME = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|topbar|sidebar|share|position|location", re.I)

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        chrome = tag in self.SKIP or bool(self.CHROME.search(f"{a.get('class') or ''} {a.get('id') or ''}"))
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append((tag, chrome))
            if chrome:
                self.skip += 1
        if tag in self.BLOCK:
            self.out.append("\n")
        if tag in ("td", "th"):
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        while self.stack:
            t, chrome = self.stack.pop()
            if chrome:
                self.skip -= 1
            if t == tag:
                break
        if tag in self.BLOCK or tag in ("td", "th"):
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data.replace("\n", " "))


def html_text(raw: str) -> str:
    p = _Html()
    p.feed(raw)
    p.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(p.out))


def _docx(path: Path) -> Source:
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:
        raise TrackerError("reading .docx needs python-docx (pip install python-docx)") from None
    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise TrackerError(f"{path}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    src = Source(path)
    paras: list[str] = []
    body = d.element.body
    tno = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paras.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            tno += 1
            rows: list[tuple[str, list[str]]] = []
            above: list[str] = []
            for ri, tr in enumerate(child.iter(qn("w:tr")), 1):
                cells: list[str] = []
                for tc in tr.iter(qn("w:tc")):
                    pr = tc.find(qn("w:tcPr"))
                    span, vmerge = 1, None
                    if pr is not None:
                        gs = pr.find(qn("w:gridSpan"))
                        if gs is not None:
                            span = int(gs.get(qn("w:val")) or 1)
                        vm = pr.find(qn("w:vMerge"))
                        if vm is not None:
                            vmerge = vm.get(qn("w:val")) or "continue"
                    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                    col = len(cells)
                    if vmerge == "continue":
                        text = "\x01" + (above[col] if col < len(above) else "")  # marked: merged from above
                    cells += [text] * span
                above = [c.lstrip("\x01") for c in cells]
                rows.append((f"table {tno} row {ri}", cells))
            src.tables.append(rows)
    src.text = "\n".join(paras)
    return src


def _xlsx(path: Path) -> Source:
    try:
        import openpyxl
    except ImportError:
        raise TrackerError("reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        wb = openpyxl.load_workbook(str(path), data_only=False)
    except Exception as exc:
        raise TrackerError(f"{path}: not a readable .xlsx ({type(exc).__name__}: {exc})") from None
    src = Source(path)
    for ws in wb.worksheets:
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r, c)] = (rng.min_row, rng.min_col)
        rows: list[tuple[str, list[str]]] = []
        values = {}
        for row in ws.iter_rows():
            for cell in row:
                values[(cell.row, cell.column)] = cell.value
        maxc = ws.max_column or 0
        for r in range(1, (ws.max_row or 0) + 1):
            cells = []
            for c in range(1, maxc + 1):
                if (r, c) in merged:
                    top = merged[(r, c)]
                    v = values.get(top)
                    # across a row a merged cell is one cell; down the rows, marked as merged
                    cells.append(("" if top[0] == r else "\x01") + ("" if v is None else _cell_text(v)))
                else:
                    v = values.get((r, c))
                    cells.append("" if v is None else _cell_text(v))
            rows.append((f"{ws.title}!row {r}", cells))
        src.tables.append(rows)
    return src


def _cell_text(v) -> str:
    from datetime import date, datetime

    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(v))


def _pdf(path: Path) -> Source:
    tool = shutil.which("pdftotext")
    if tool:
        try:
            r = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise TrackerError(f"{path}: pdftotext took longer than 2 minutes") from None
        if r.returncode != 0:
            raise TrackerError(f"{path}: not a readable PDF ({r.stderr.decode('utf-8', 'replace').strip()[:200]})")
        text = r.stdout.decode("utf-8", "replace")
    else:
        try:
            import pypdf  # type: ignore
        except ImportError:
            raise TrackerError(f"{path}: reading a PDF needs pdftotext (apt-get install poppler-utils) "
                               f"or the pypdf package; or save the notice as .docx or .txt") from None
        try:
            text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages)
        except Exception as exc:
            raise TrackerError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    if len(re.sub(r"\s+", "", text)) < 20:
        raise TrackerError(f"{path}: the PDF has no text layer (a scanned image); run OCR first or import the "
                           f"original .docx / .txt")
    return Source(path, text=text.replace("\f", "\n"))


def _legacy(path: Path) -> Source:
    target = LEGACY[path.suffix.lower()]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise TrackerError(f"{path}: {path.suffix} files are read through LibreOffice, which is not installed; "
                           f"save the file as .{target} (Word/WPS: 另存为) and import that")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            r = subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", tmp, str(path)],
                               capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise TrackerError(f"{path}: LibreOffice took longer than 3 minutes to convert it") from None
        out = Path(tmp) / (path.stem + "." + target)
        if r.returncode != 0 or not out.exists():
            raise TrackerError(f"{path}: LibreOffice could not convert it to .{target}")
        src = _docx(out) if target == "docx" else _xlsx(out)
    src.path = path
    return src


def read_source(path: Path) -> Source:
    try:
        st = path.stat()
    except OSError as exc:
        raise TrackerError(f"cannot read {path}: {exc.strerror}") from None
    if not path.is_file():
        raise TrackerError(f"{path}: not a file")
    if st.st_size > MAX_BYTES:
        raise TrackerError(f"{path}: {st.st_size / 1024 / 1024:.0f} MB is larger than the {MAX_BYTES // 1024 // 1024} MB "
                           f"an import accepts")
    if st.st_size == 0:
        raise TrackerError(f"{path}: the file is empty")
    ext = path.suffix.lower()
    if ext == ".docx":
        return _docx(path)
    if ext in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if ext == ".pdf":
        return _pdf(path)
    if ext in LEGACY:
        return _legacy(path)
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise TrackerError(f"{path}: a zip container (.docx/.xlsx?) with a {ext or 'missing'} extension; rename it")
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TrackerError(f"{path}: a legacy Office file (.doc/.xls) with a {ext or 'missing'} extension; rename it")
    if raw[:5] == b"%PDF-":
        return _pdf(path)
    text = decode(raw, path)
    if ext in HTML_EXT or (ext not in (".txt", ".md") and re.search(r"<(?:html|body|p|div|table)\b", text[:5000], re.I)):
        text = html_text(text)
    return Source(path, text=text)
