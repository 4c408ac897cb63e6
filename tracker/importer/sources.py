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

from ..i18n import book, os_words, said
from . import plan as _plan  # noqa: F401 - its import_where entries, said here
from ..model import TrackerError

MAX_BYTES = 50 * 1024 * 1024
TEXT_EXT = (".txt", ".md", ".text", "")
HTML_EXT = (".html", ".htm", ".shtml", ".xhtml")
LEGACY = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


#: why a source cannot be read (str(err) English, err.text(lang) the user's language)
book("source", {
    "empty": ("{path}：文件为空", "{path}: the file is empty"),
    "binary": ("{path}：是二进制数据，不是文本（请把通知另存为 .txt、.docx 或 .xlsx）",
               "{path}: binary data, not text (save the notice as .txt, .docx or .xlsx)"),
    "encoding": ("{path}：既不是 UTF-8 也不是 GB18030 文本（字节偏移 {offset}）",
                 "{path}: neither UTF-8 nor GB18030 text (byte offset {offset})"),
    "needs_docx": ("读取 .docx 需要 python-docx（pip install python-docx）",
                   "reading .docx needs python-docx (pip install python-docx)"),
    "bad_docx": ("{path}：不是可读的 .docx（{why}）", "{path}: not a readable .docx ({why})"),
    "needs_xlsx": ("读取 .xlsx 需要 openpyxl（pip install openpyxl）", "reading .xlsx needs openpyxl (pip install openpyxl)"),
    "bad_xlsx": ("{path}：不是可读的 .xlsx（{why}）", "{path}: not a readable .xlsx ({why})"),
    "pdf_slow": ("{path}：pdftotext 用时超过 2 分钟", "{path}: pdftotext took longer than 2 minutes"),
    "bad_pdf": ("{path}：不是可读的 PDF（{why}）", "{path}: not a readable PDF ({why})"),
    "needs_pdf": ("{path}：读取 PDF 需要 pdftotext（apt-get install poppler-utils）或 pypdf 包；"
                  "也可把通知另存为 .docx 或 .txt",
                  "{path}: reading a PDF needs pdftotext (apt-get install poppler-utils) "
                  "or the pypdf package; or save the notice as .docx or .txt"),
    "scanned": ("{path}：该 PDF 没有文字层（是扫描图像）；请先做文字识别（OCR），或导入原始的 .docx / .txt",
                "{path}: the PDF has no text layer (a scanned image); run OCR first or import the original .docx / .txt"),
    "needs_office": ("{path}：{suffix} 文件要通过 LibreOffice 读取，但未安装 LibreOffice；"
                     "请把文件另存为 .{target}（Word/WPS：另存为）后导入",
                     "{path}: {suffix} files are read through LibreOffice, which is not installed; "
                     "save the file as .{target} (Word/WPS: 另存为) and import that"),
    "office_slow": ("{path}：LibreOffice 转换用时超过 3 分钟", "{path}: LibreOffice took longer than 3 minutes to convert it"),
    "office_failed": ("{path}：LibreOffice 无法将其转换为 .{target}", "{path}: LibreOffice could not convert it to .{target}"),
    "cannot_read": ("无法读取 {path}：{why}", "cannot read {path}: {why}"),
    "not_file": ("{path}：不是文件", "{path}: not a file"),
    "too_large": ("{path}：{size} MB，超过导入上限 {limit} MB", "{path}: {size} MB is larger than the {limit} MB an import accepts"),
    "zip_renamed": ("{path}：这是 zip 容器（.docx/.xlsx？），扩展名却是{ext}；请改名",
                    "{path}: a zip container (.docx/.xlsx?) with a {ext_en} extension; rename it"),
    "ole_renamed": ("{path}：这是旧版 Office 文件（.doc/.xls），扩展名却是{ext}；请改名",
                    "{path}: a legacy Office file (.doc/.xls) with a {ext_en} extension; rename it"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `source.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"source.{entry}", **args)


@dataclass
class Source:
    path: Path
    text: str = ""                                   # the document's text (paragraphs, or all of it)
    tables: list[list[tuple[str, list[str]]]] = field(default_factory=list)  # rows: (where, cells)


def decode(raw: bytes, path: Path) -> str:
    if not raw.strip():
        raise _err("empty", path=path)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    head = raw[:4096]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        raise _err("binary", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _err("encoding", path=path, offset=exc.start) from None


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
        raise _err("needs_docx") from None
    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise _err("bad_docx", path=path, why=f"{type(exc).__name__}: {exc}") from None
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
                rows.append((said("import_where.table_row", table=tno, row=ri), cells))
            src.tables.append(rows)
    src.text = "\n".join(paras)
    return src


def _xlsx(path: Path) -> Source:
    try:
        import openpyxl
    except ImportError:
        raise _err("needs_xlsx") from None
    try:
        wb = openpyxl.load_workbook(str(path), data_only=False)
    except Exception as exc:
        raise _err("bad_xlsx", path=path, why=f"{type(exc).__name__}: {exc}") from None
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
            rows.append((said("import_where.sheet_row", sheet=ws.title, row=r), cells))
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
            raise _err("pdf_slow", path=path) from None
        if r.returncode != 0:
            raise _err("bad_pdf", path=path, why=r.stderr.decode("utf-8", "replace").strip()[:200])
        text = r.stdout.decode("utf-8", "replace")
    else:
        try:
            import pypdf  # type: ignore
        except ImportError:
            raise _err("needs_pdf", path=path) from None
        try:
            text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages)
        except Exception as exc:
            raise _err("bad_pdf", path=path, why=type(exc).__name__) from None
    if len(re.sub(r"\s+", "", text)) < 20:
        raise _err("scanned", path=path)
    return Source(path, text=text.replace("\f", "\n"))


def _legacy(path: Path) -> Source:
    target = LEGACY[path.suffix.lower()]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise _err("needs_office", path=path, suffix=path.suffix, target=target)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            r = subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", tmp, str(path)],
                               capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise _err("office_slow", path=path) from None
        out = Path(tmp) / (path.stem + "." + target)
        if r.returncode != 0 or not out.exists():
            raise _err("office_failed", path=path, target=target)
        src = _docx(out) if target == "docx" else _xlsx(out)
    src.path = path
    return src


def read_source(path: Path) -> Source:
    try:
        st = path.stat()
    except OSError as exc:
        raise _err("cannot_read", path=path, why=os_words(exc)) from None
    if not path.is_file():
        raise _err("not_file", path=path)
    if st.st_size > MAX_BYTES:
        raise _err("too_large", path=path, size=f"{st.st_size / 1024 / 1024:.0f}", limit=MAX_BYTES // 1024 // 1024)
    if st.st_size == 0:
        raise _err("empty", path=path)
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
        raise _err("zip_renamed", path=path, ext=f"“{ext}”" if ext else "空的", ext_en=ext or "missing")
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _err("ole_renamed", path=path, ext=f"“{ext}”" if ext else "空的", ext_en=ext or "missing")
    if raw[:5] == b"%PDF-":
        return _pdf(path)
    text = decode(raw, path)
    if ext in HTML_EXT or (ext not in (".txt", ".md") and re.search(r"<(?:html|body|p|div|table)\b", text[:5000], re.I)):
        text = html_text(text)
    return Source(path, text=text)
