"""Task tables: Word and Excel tables, and tables flattened to one cell per line.

The header row is found by the words offices use (序号/编号, 工作任务/重点工作/目标任务…, 牵头单位/
主办单位…, 责任单位/配合单位…, 完成时限/时间节点, 责任领导/分管领导…), with spaces and line
breaks inside header cells ignored.  A header repeated on every page is skipped.  A row whose
only text is a heading (一、…) is a category row; a leader named in it (`(牵头领导:A、B)`) heads
every task below.  In a flattened table empty cells vanish, so a row with fewer cells than the
header is matched column by column by what each cell looks like (a date, a person, units).
"""
from __future__ import annotations

import re

from .deadlines import resolve
from .normalise import fold
from .plan import ImportedPlan, ImportedTask, Measure, at_line
from .unitlist import CLOSE, OPEN, UNIT_SUFFIX, UnitGroup, parse_group, split_names

KINDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "task": ("工作任务", "重点工作", "主要工作任务", "目标任务", "任务内容", "主要工作", "工作内容", "重点任务", "具体任务",
             "项目名称", "工作事项", "议定事项", "重点工作任务", "主要任务", "任务", "重点项目", "项目", "工作要点",
             "目标任务内容", "实事项目", "民生实事"),
    "content": ("主要内容", "具体内容", "建设内容", "工作措施", "主要措施", "目标要求", "工作目标", "具体措施",
                "工作举措", "推进措施", "年度目标", "主要目标"),
    "lead": ("牵头单位", "主办单位", "牵头责任单位", "主要责任单位", "主责部门", "牵头部门", "主责单位"),
    "resp": ("责任单位", "责任部门", "责任主体"),
    "co": ("配合单位", "协办单位", "协同责任单位", "协同单位", "配合部门", "参与单位", "协作单位"),
    "leader": ("责任领导", "分管领导", "牵头领导", "区政府分管领导", "市政府分管领导", "县政府分管领导", "牵头县领导",
               "牵头市领导", "牵头区领导", "牵头负责领导", "牵头责任领导", "包抓领导", "责任市领导", "责任县领导",
               "责任区领导", "分管区领导", "分管市领导", "分管县领导", "市领导", "县领导", "区领导"),
    "due": ("完成时限", "时间节点", "完成时间", "办结期限", "完成期限", "时限", "时限要求", "进度安排"),
    "person": ("责任人", "联系人", "具体责任人"),
    "category": ("类别", "分类", "领域"),
}
_BY_WORD = {w: k for k, ws in KINDS.items() for w in ws}
_EXTRA = re.compile(r"^(?:省级|省|国家|中央)[\u4e00-\u9fff]*(?:牵头|责任)(?:单位|部门)$|^备注$|^(?:工作)?进展|^完成情况")


def header_kind(cell: str) -> str | None:
    """The column a header cell names ('task', 'lead', …), 'other' for a known extra column."""
    f = re.sub(r"\s+", "", fold(cell or "")).rstrip(":")
    if f in _BY_WORD:
        return _BY_WORD[f]
    if _EXTRA.search(f):
        return "other"
    return None


def is_header_cell(cell: str) -> bool:
    return header_kind(cell) not in (None, "other")


def header_columns(cells: list[str]) -> list[str] | None:
    """Kinds of a header row, or None when it is not one (needs a task column and one more)."""
    kinds = [header_kind(c) or ("other" if (c or "").strip() else "blank") for c in cells]
    known = [k for k in kinds if k not in ("other", "blank")]
    if "task" not in kinds and "content" in kinds:
        kinds[kinds.index("content")] = "task"
        known = [k for k in kinds if k not in ("other", "blank")]
    if "task" not in kinds or len(known) < 2:
        return None
    return kinds


def find_header(lines: list[str], start: int) -> tuple[int, int, list[str]] | None:
    """(first line, line after, kinds) of a header flattened one cell per line."""
    i = start
    n = len(lines)
    while i < n:
        if lines[i] and is_header_cell(lines[i]):
            j, cells = i, []
            while j < n and (not lines[j] or header_kind(lines[j])):
                if lines[j]:
                    cells.append(lines[j])
                j += 1
            kinds = header_columns(cells)
            if kinds and len(cells) >= 2:
                return i, j, kinds
            i = j if j > i else i + 1
        else:
            i += 1
    return None


_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})*$")
_POST = re.compile(r"(?:市长|区长|县长|书记|主任|部长|秘书长)$")


def looks_like_person(cell: str) -> bool:
    c = cell.strip()
    if not _PERSON.match(c):
        return _POST.search(c) is not None and len(c) <= 10
    return not any(UNIT_SUFFIX.search(n) for n in c.split("、")) or bool(_POST.search(c))


def looks_like_due(cell: str) -> bool:
    c = cell.strip()
    return len(c) <= 30 and (resolve(c, 2000) is not None or bool(re.search(r"长期|持续|全年|年底|年内|季度", c)))


def _fits(kind: str, cell: str) -> bool:
    if kind == "due":
        return looks_like_due(cell)
    if kind in ("leader", "person"):
        return looks_like_person(cell)
    if kind in ("lead", "resp", "co"):
        names = split_names(cell)[0]
        return bool(names) and not looks_like_due(cell) and not (looks_like_person(cell) and not any(UNIT_SUFFIX.search(n) for n in names))
    return True


def assign(kinds: list[str], cells: list[str]) -> dict[str, str]:
    """Cells (without the 序号) to columns: by position when every cell is there, else by fit."""
    cols = [k for k in kinds if k != "seq"]
    out: dict[str, str] = {}
    if len(cells) == len(cols):
        for k, c in zip(cols, cells):
            if c.strip() and k not in out:
                out[k] = c
        return out
    ci = 0
    for ki, k in enumerate(cols):
        if ci >= len(cells):
            break
        c = cells[ci]
        left_cells, left_cols = len(cells) - ci, len(cols) - ki
        if k in ("task",) or left_cells >= left_cols or _fits(k, c):
            if k not in out:
                out[k] = c
            ci += 1
    return out


def split_title(text: str) -> tuple[str, str]:
    """'title。body…' -> (title, body) when the text is long; a short one is all title (text notices and
    table cells both use it: here, because importer.text imports this module)."""
    text = text.strip()
    depth = 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif depth == 0 and 4 <= i < len(text) - 1 and (ch == "。" or (ch == ";" and len(text) > 45)):
            return text[:i], text[i + 1:].strip()
    return text.rstrip("。;"), ""


def row_task(kinds: list[str], cells: list[str], plan: ImportedPlan, *, category: str, leader: str,
             where: str, line: int = 0, cut: bool = False) -> ImportedTask | None:
    cols = assign(kinds, cells)
    text = (cols.get("task") or "").strip()
    if not text:
        return None
    key = text.startswith(("★", "*"))
    text = text.lstrip("★*").strip()
    title, rest = text, ""
    if len(text) > 45 and "content" not in cols:
        title, rest = split_title(text)
    else:
        title = text.rstrip("。;")
    group = UnitGroup()
    lead_cell, resp_cell, co_cell = cols.get("lead", ""), cols.get("resp", ""), cols.get("co", "")
    if lead_cell:
        g = parse_group(lead_cell)
        group.leads = g.units
        group.open |= g.open
    for cell in (resp_cell, co_cell):
        if cell:
            g = parse_group(cell)
            group.others += [u for u in g.units if u not in group.others]
            group.open |= g.open
    if not group.leads and group.others:
        group.leads, group.others = group.others[:1], group.others[1:]
    group.others = [u for u in group.others if u not in group.leads]
    t = ImportedTask(title=title, category=category, line=line, where=where)
    t.set_group(group)
    t.key = key
    t.leader = (cols.get("leader") or "").strip() or leader
    t.due_text = (cols.get("due") or "").strip()
    if rest:
        t.measures.append(Measure(rest))
    if cols.get("content"):
        t.measures.append(Measure(cols["content"].strip()))
    t.incomplete = cut
    return t


_CAT_ROW = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\))")
_LEADER_PAREN = re.compile(r"\((?:牵头领导|责任领导|分管领导|牵头负责领导|牵头市领导|牵头县领导|牵头区领导)[::]([^()]*)\)")


def category_row(text: str) -> tuple[str, str]:
    """(category, leader) of a row that spans the table."""
    leader = ""
    if m := _LEADER_PAREN.search(text):
        leader = m.group(1).strip()
        text = (text[: m.start()] + text[m.end():]).strip()
    text = _CAT_ROW.sub("", text).strip()
    return text, leader


def parse_flat(lines: list[str], start: int, plan: ImportedPlan) -> None:
    """A table flattened one cell per line (cells separated by blank lines, or one per line)."""
    found = find_header(lines, start)
    assert found is not None
    first, after, kinds = found
    header_texts = {fold(x) for x in lines[first:after] if x}
    blank_sep = any(not x for x in lines[first:after])
    rows: list[tuple[int, str, list[str]]] = []  # (line, number, cells)
    category, leader = "", ""
    cur: list[str] | None = None
    prev_blank = True
    i = after
    events: list[tuple] = []
    while i < len(lines):
        ln = lines[i]
        if not ln:
            prev_blank = True
            i += 1
            continue
        if fold(ln) in header_texts and header_kind(ln):
            prev_blank = False
            i += 1
            continue  # a header repeated on a new page
        if re.fullmatch(r"[★*]?\d{1,4}[★*]?", ln):
            cur = []
            rows.append((i + 1, ln.strip("★*"), cur))
            events.append(("row", len(rows) - 1, category, leader))
        elif _CAT_ROW.match(ln) and (cur is None or len(cur) >= 1):
            category, leader = category_row(ln)
            if category and category not in plan.categories:
                plan.categories.append(category)
            cur = None
        elif cur is not None:
            if blank_sep and not prev_blank and cur:
                cur[-1] += ln
            else:
                cur.append(ln)
        else:
            plan.warn(at_line(i + 1), "unplaced", text=ln[:40])
        prev_blank = False
        i += 1
    ncols = len([k for k in kinds if k != "seq"])
    for n, (_, ri, cat, ldr) in enumerate(events):
        line, num, cells = rows[ri]
        last = ri == len(rows) - 1
        cut = last and len(cells) < ncols
        t = row_task(kinds, cells, plan, category=cat, leader=ldr, where=at_line(line), line=line, cut=cut)
        if t is None:
            plan.warn(at_line(line), "row_no_text", num=num)
            continue
        t.ref = num
        plan.tasks.append(t)


def parse_rows(rows: list[tuple[str, list[str]]], plan: ImportedPlan, source: str) -> bool:
    """Rows of a Word or Excel table: find the header, then one task per row.  False when no
    header is recognised."""
    kinds = None
    for hi, (_, cells) in enumerate(rows):
        kinds = header_columns(cells)
        if kinds:
            break
    if not kinds:
        return False
    header_f = [fold(c) for c in rows[hi][1]]
    category, leader = "", ""
    task_col = kinds.index("task")
    seq_col = kinds.index("seq") if "seq" in kinds else None
    for where, cells in rows[hi + 1:]:
        cells = [(c or "").strip() for c in cells] + [""] * (len(kinds) - len(cells))
        if [fold(c) for c in cells[: len(header_f)]] == header_f:
            continue  # the header repeated on every page
        filled = [c for c in cells if c]
        if not filled:
            continue
        distinct = set(filled)
        if len(distinct) == 1 and (seq_col is None or not re.fullmatch(r"\d+", cells[seq_col] or "")):
            only = filled[0]
            if not re.fullmatch(r"[\d.]+", only):
                category, leader = category_row(only)
                if category and category not in plan.categories:
                    plan.categories.append(category)
                continue
        if "category" in kinds and cells[kinds.index("category")]:
            c = cells[kinds.index("category")]
            category, _ = category_row(c)
            if category not in plan.categories:
                plan.categories.append(category)
        body = [c for k, c in zip(kinds, cells) if k != "seq"]
        body_kinds = [k for k in kinds if k != "seq"]
        t = row_task(body_kinds, body, plan, category=category, leader=leader, where=where)
        if t is None:
            if any(c for k, c in zip(kinds, cells) if k not in ("seq", "task")):
                plan.warn(where, "units_no_text")
            continue
        if seq_col is not None and cells[seq_col]:
            t.ref = re.sub(r"\s+", "", cells[seq_col]).rstrip(".、")
        plan.tasks.append(t)
        _ = task_col
    return True
