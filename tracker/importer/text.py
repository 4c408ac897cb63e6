"""Plain text of a notice -> tasks: numbering, headings, unit lists, leaders, deadlines.

The text is first cleaned (normalise.py).  The plan body starts at the scheme's own title
(…分解方案 / 分工方案 / 责任清单…) when there is one, so the covering letter's own 一、二、三、
are never categories.  Inside the body each line is a numbered item (一、 / (一) / 1. 1、 1* /
(1) ① ⑴), a labelled line (牵头单位: …), or a paragraph.  The level that carries the unit lists
is the task level; levels above it are headings (category, or a leader group such as
`二、XX副市长牵头重点工作`), levels below it and plain paragraphs are the task's measures.
A table flattened one cell per line is read by tables.py.  A whole body on one physical line is
first cut at its `N.` markers.
"""
from __future__ import annotations

import re
from datetime import date

from . import tables
from .deadlines import resolve
from .normalise import clean_lines, fold
from .plan import ImportedPlan, ImportedTask, Measure, at_line
from .unitlist import (CLOSE, LABEL_RE, OPEN, UnitGroup, balanced, depth_split, looks_like_units, parse_group)
from ..notice import milestones as find_milestones

CN = "零〇一二三四五六七八九十百"
_CN_VAL = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            cur = _CN_VAL.get(ch, 0)
    return total + cur


# (level, regex) - the number is group 1, the rest group 2
MARKERS = [
    (1, re.compile(rf"^([{CN}]{{1,4}})[、.,](.*)$")),
    (2, re.compile(rf"^\(([{CN}]{{1,4}})\)[、.]?(.*)$")),
    (3, re.compile(r"^(\d{1,3})(?:[、.,](?!\d)|[*★])(.*)$")),
    (4, re.compile(r"^\((\d{1,3})\)[、.]?(.*)$")),
]
_SCHEME_TITLE = re.compile(r"(?:分解方案|分解表|责任分解|任务分解|工作分解|分工方案|分工意见|责任清单|任务清单|分解一览表|工作要点|任务分工|"
                           r"落实方案|责任表|工作清单|任务表|推进表|台账)(?:\(共计?\d+项\))?$")
_COUNT = re.compile(r"\(共计?(\d+)项\)")
_LEADER_HEAD = re.compile(r"(?:^|[、,])([\u4e00-\u9fff]{0,6}?(?:常务副|副)?(?:市长|区长|县长|省长|州长|旗长|书记|主任|部长|"
                          r"秘书长|同志))(?:牵头|负责|分管|领衔)")
_LEADER_PAREN = re.compile(r"\((?:牵头领导|责任领导|分管领导|牵头负责领导|牵头市领导|牵头县领导|牵头区领导)[::]([^()]*)\)")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(]\d{4}[〕\])]\d+号")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE = re.compile(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")
_META_DATE = re.compile(r"(?:成文日期|发文日期|印发日期)[::]?(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})")
_TERMINAL = tuple("。)]】!?;》”")
_ONE_LINE_SPLIT = re.compile(r"(?<=[。;)\]])(?=(?:\d{1,3}[.、](?!\d)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、))")


def _issued(lines: list[str], stop: int) -> date | None:
    for ln in lines[:stop][::-1]:
        if m := _DATE.match(ln):
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
        if m := _CN_DATE.match(ln):
            y = int("".join(str(_CN_VAL.get(c, 0)) for c in m.group(1)))
            try:
                return date(y, cn_int(m.group(2)), cn_int(m.group(3)))
            except ValueError:
                continue
    return None


def metadata(raw: str, lines: list[str], start: int, plan: ImportedPlan) -> None:
    folded = fold(raw)
    if m := _DOC_NO.search(folded):
        plan.document = re.sub(r"^.*(?:文号|字号|序号|编号|文件)[::]?", "", m.group(0))
    if m := _META_DATE.search(folded):
        try:
            plan.issued = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    if plan.issued is None:
        plan.issued = _issued(lines, start) or _issued(lines, len(lines))
    # issuer: the signature line above the date, else a 发文单位/发布机构 value
    for i, ln in enumerate(lines[:start] if start else lines):
        if (_DATE.match(ln) or _CN_DATE.match(ln)) and i:
            prev = next((p for p in lines[:i][::-1] if p), "")
            if prev.endswith(("人民政府", "办公室", "办公厅", "政府", "委员会")) and len(prev) <= 30:
                plan.issuer = prev
    if not plan.issuer and (m := re.search(r"(?:发文单位|发布机构|发布部门)[::]?([\u4e00-\u9fff]{2,20}?(?:办公室|办公厅|政府))", folded)):
        plan.issuer = m.group(1)
    title = ""
    if 0 < start <= len(lines) and _SCHEME_TITLE.search(lines[start - 1]) and len(lines[start - 1]) >= 8:
        title = _COUNT.sub("", lines[start - 1])
        prev = next((p for p in lines[max(0, start - 4):start - 1][::-1] if p), "")
        if prev and len(prev) <= 30 and not prev.endswith(_TERMINAL + (":",)) and not _marker(prev) \
                and len(title) <= 12:
            title = prev + title  # a title broken over two lines
    if not title:
        title = next((x for x in re.findall(r"《([^《》]{4,80})》", folded) if _SCHEME_TITLE.search(x)), "")
    plan.title = plan.title or title
    if start and (m := _COUNT.search(lines[start - 1])):
        plan.stated_count = int(m.group(1))


def find_start(lines: list[str]) -> int:
    """The index just after the scheme's own title line (0 when there is none)."""
    best = 0
    for i, ln in enumerate(lines):
        if (ln and len(ln) <= 90 and not ln.endswith(("。", ":")) and _SCHEME_TITLE.search(ln)
                and not ln.startswith(("附件", "关于")) and "通知" not in ln and "印发" not in ln
                and not _marker(ln)):
            if any(_marker(x) or tables.is_header_cell(x) for x in lines[i + 1:i + 40] if x):
                best = i + 1
    return best


def _marker(ln: str) -> tuple[int, str, str] | None:
    for level, rx in MARKERS:
        if m := rx.match(ln):
            rest = m.group(2).strip()
            if level == 3 and not rest:
                return None  # a bare number: a table cell
            if level == 1 and len(m.group(1)) > 1 and not re.fullmatch(r"十?[一二三四五六七八九]?|[一二三四五六七八九]十[一二三四五六七八九]?", m.group(1)):
                return None
            return level, m.group(1), rest
    return None


def _trailing_bracket(text: str) -> tuple[str, str, bool] | None:
    """(text before, content, closed) of a bracket group ending the text (or left open at its end)."""
    t = text.rstrip().rstrip("。.")
    if t and t[-1] in CLOSE:
        depth = 0
        for i in range(len(t) - 1, -1, -1):
            if t[i] in CLOSE:
                depth += 1
            elif t[i] in OPEN:
                depth -= 1
                if depth == 0:
                    return t[:i], t[i + 1:-1], True
        return None
    # an opening bracket never closed: the text was cut inside the unit list
    depth, opened = 0, -1
    for i, ch in enumerate(t):
        if ch in OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
    if depth > 0 and opened >= 0:
        inner = t[opened + 1:]
        if LABEL_RE.search(inner) or "牵头" in inner:
            return t[:opened], inner, False
    return None


def _cut_group(content: str) -> UnitGroup:
    """A unit list cut off by the end of the text: its last (cut) name is dropped."""
    parts = depth_split(content, ";")
    last = parts[-1]
    pieces = depth_split(last, "、,")
    if len(pieces) > 1:
        last = ",".join(pieces[:-1]) if "," in last else "、".join(pieces[:-1])
    else:
        m = LABEL_RE.search(last)
        last = last[: m.end()] if m else ""
    kept = ";".join(parts[:-1] + ([last] if last and not last.endswith((":", ":")) else []))
    return parse_group(kept) if kept else UnitGroup()


class _Item:
    def __init__(self, level: int, num: str, text: str, line: int):
        self.level, self.num, self.text, self.line = level, num, text, line
        self.labels: list[str] = []     # labelled lines after it
        self.paras: list[tuple[int, str]] = []  # (line, text) of plain paragraphs after it
        self.group: UnitGroup | None = None
        self.body_units = False
        self.cut_end = False  # the text ends inside this item

    def has_units(self) -> bool:
        return bool(self.labels) or self.body_units


def split_one_line(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        if len(ln) > 60 and _ONE_LINE_SPLIT.search(ln):
            out += [p for p in _ONE_LINE_SPLIT.split(ln) if p]
        else:
            out.append(ln)
    return out


def parse_text(raw: str, year: int, plan: ImportedPlan | None = None) -> ImportedPlan:
    plan = plan or ImportedPlan(year=year)
    lines = clean_lines(raw)
    start = find_start(lines)
    metadata(raw, lines, start, plan)
    if tables.find_header(lines, start) is not None:
        tables.parse_flat(lines, start, plan)
        if plan.tasks:
            return plan
        plan.warnings.clear()  # a header with no rows under it: read the text instead
    body = [(i + 1, ln) for i, ln in enumerate(lines) if i >= start and ln]
    # a whole body on one physical line: cut it at its markers (keeping the line number)
    expanded: list[tuple[int, str]] = []
    for no, ln in body:
        expanded += [(no, p) for p in split_one_line([ln])]
    _parse_items(expanded, plan, last_line=max((no for no, _ in body), default=0))
    return plan


def _parse_items(body: list[tuple[int, str]], plan: ImportedPlan, last_line: int) -> None:
    items: list[_Item] = []
    preamble: list[tuple[int, str]] = []
    for no, ln in body:
        mk = _marker(ln)
        if mk:
            items.append(_Item(mk[0], mk[1], mk[2], no))
            continue
        lab = LABEL_RE.match(ln)
        partial_label = re.fullmatch(r"(?:牵头|责任|配合|协办|主办|完成|主要责任|协同责任)[\u4e00-\u9fff]{0,4}", ln) and no == last_line
        if items and (lab or partial_label):
            items[-1].labels.append(ln)
            continue
        if items:
            items[-1].paras.append((no, ln))
        else:
            preamble.append((no, ln))
    if not items:
        return
    items[-1].cut_end = True
    # which items carry units?
    for it in items:
        tb = _trailing_bracket(it.text)
        if tb and (not tb[2] or looks_like_units(tb[1])):
            it.body_units = True
        elif LABEL_RE.search(it.text):
            it.body_units = True
        elif it.paras and (tb2 := _trailing_bracket(it.paras[-1][1])) and (not tb2[2] or looks_like_units(tb2[1])):
            it.body_units = True
    counts: dict[int, int] = {}
    for it in items:
        if it.has_units():
            counts[it.level] = counts.get(it.level, 0) + 1
    prose = lambda it: it.level == 1 and (len(it.text) > 60 or "。" in it.text.rstrip("。"))  # noqa: E731
    if counts:
        task_level = max(counts, key=lambda lv: (counts[lv], lv))
    else:
        present = [it.level for it in items if not prose(it)]
        if not present:
            return
        task_level = max(set(present), key=lambda lv: (present.count(lv), lv))
        if task_level == 1 and any(lv > 1 for lv in present):
            task_level = max(lv for lv in present)
    category, leader, head_num = "", "", ""
    sub_category = ""
    prev_num: int | None = None
    restarted = False
    tasks: list[ImportedTask] = []
    blanket: list[str] = []
    current: ImportedTask | None = None
    pending: list[tuple[int, str]] = []
    for it in items:
        if it.level < task_level:
            current = None
            if prose(it):
                category, leader, head_num, sub_category = "", "", "", ""  # the notice's own points
                pending = []
                continue
            # text between a heading and its first task: reported once a task follows (a heading
            # with prose only, such as 一、总体要求, is the notice's own text)
            pending = [(no, para) for no, para in it.paras if not para.endswith((":", ":"))]
            text = it.text.rstrip("。:")
            lead_m = _LEADER_PAREN.search(text)
            if lead_m:
                leader_here = lead_m.group(1).strip()
                text = (text[: lead_m.start()] + text[lead_m.end():]).strip()
            else:
                lm = _LEADER_HEAD.search(text)
                leader_here = lm.group(1) if lm else ""
            if it.level == 1:
                if leader_here and lm_is_group(text):
                    leader, category = leader_here, text
                else:
                    leader = leader_here
                    category = text
                head_num, sub_category = it.num, ""
                prev_num = None if tasks else prev_num
                if tasks:
                    prev_num = prev_num  # numbering may continue or restart
            else:
                sub_category = text
                if leader_here:
                    leader = leader_here
            continue
        if it.level > task_level:
            if current is not None:
                current.measures.append(Measure(it.text))
                for lab in it.labels:
                    current.measures.append(Measure(lab))
            else:
                plan.warn(at_line(it.line), "unplaced", text=it.text[:40])
            continue
        if prose(it) and task_level == 1:
            continue
        num = cn_int(it.num)
        if prev_num is not None and num != prev_num + 1:
            if num == 1:
                if not restarted:
                    plan.warn(at_line(it.line), "restart")
                restarted = True
            else:
                plan.warn(at_line(it.line), "jump", prev=prev_num, num=num)
        elif prev_num is None and tasks and num == 1:
            if not restarted:
                plan.warn(at_line(it.line), "restart")
            restarted = True
        prev_num = num
        for no, para in pending:
            plan.warn(at_line(no), "unplaced", text=para[:40])
        pending = []
        task = _make_task(it, plan)
        task.category = category if not (leader and lm_is_group(category)) or not sub_category else sub_category
        if not task.category:
            task.category = sub_category
        task.leader = task.leader or leader
        task.ref = (f"{head_num}.{it.num}" if head_num else it.num)
        task.key = task.key or it.text.startswith("★")
        for u in blanket:  # a rule stated earlier (以下均需各县市区落实) adds its units to every later task
            if u not in task.units:
                task.units.append(u)
        for g in task._blanket:  # type: ignore[attr-defined]
            if g not in blanket:
                blanket.append(g)
        tasks.append(task)
        current = task
    _finish(plan, tasks, restarted, body_end_line=last_line)


def lm_is_group(text: str) -> bool:
    return bool(re.search(r"牵头(?:的)?(?:重点)?(?:工作|任务|事项)", text))


def _make_task(it: _Item, plan: ImportedPlan) -> ImportedTask:
    text = it.text.lstrip("★*").strip()
    group = UnitGroup()
    cut = False
    # inline labels after the task sentence (`…。主办单位:A、B。`) come first: a bracket that ends
    # them is part of the last unit (各乡镇(街道)); else a trailing bracket holds the units
    m = next((m for m in LABEL_RE.finditer(text) if balanced(text[: m.start()])), None)
    tb = _trailing_bracket(text)
    if m and not (tb and tb[0].endswith(text[: m.start()].rstrip()) and len(tb[0]) <= m.start()):
        group = parse_group(text[m.start():])
        text = text[: m.start()]
    elif tb and (not tb[2] or looks_like_units(tb[1])):
        text = tb[0]
        group = parse_group(tb[1]) if tb[2] else _cut_group(tb[1])
        cut = not tb[2]
    paras = list(it.paras)
    if not group.any() and paras:
        tb2 = _trailing_bracket(paras[-1][1])
        if tb2 and (not tb2[2] or looks_like_units(tb2[1])):
            group = parse_group(tb2[1]) if tb2[2] else _cut_group(tb2[1])
            cut = cut or not tb2[2]
            paras[-1] = (paras[-1][0], tb2[0])
    labels = list(it.labels)
    if labels and it.cut_end:
        lm = LABEL_RE.match(labels[-1])
        if not lm or len(labels[-1]) - lm.end() <= 1:
            cut = True  # a label cut off by the end of the text: `完成时`, `责任单位:区`
            labels.pop()
    if labels:  # every labelled line of the task read as one list: 协办 before 牵头 is still co-owner
        g = parse_group(";".join(lab.rstrip("。;") for lab in labels))
        if group.any():
            group.leads += [u for u in g.leads if u not in group.leads]
            group.others += [u for u in g.others if u not in group.others]
        else:
            group.leads, group.others = g.leads, g.others
        group.leader = group.leader or g.leader
        group.due_text = group.due_text or g.due_text
        group.open |= g.open
    if group.leads == [] and group.others:
        group.leads, group.others = group.others[:1], group.others[1:]
    group.others = [u for u in group.others if u not in group.leads]
    title, rest = tables.split_title(text)
    task = ImportedTask(title=title, line=it.line)
    task.set_group(group)
    task._blanket = list(group.blanket)  # type: ignore[attr-defined]
    task.incomplete = cut
    bodies = ([rest] if rest else []) + [p for _, p in paras if p]
    for b in bodies:
        task.measures.append(Measure(b))
    return task


def _finish(plan: ImportedPlan, tasks: list[ImportedTask], restarted: bool, body_end_line: int) -> None:
    if not restarted:
        for t in tasks:
            t.ref = t.ref.split(".")[-1]
    if tasks:
        last = tasks[-1]
        end_text = (last.measures[-1].text if last.measures else last.title)
        if not last.units and not end_text.endswith(_TERMINAL):
            last.incomplete = True
    plan.tasks.extend(tasks)


def apply_dates(plan: ImportedPlan) -> None:
    """Deadlines and milestones, once the plan's year and date are known."""
    year = plan.year
    for t in plan.tasks:
        for m in t.measures:
            miles = find_milestones(m.text, year)
            m.milestones = miles
            m.due = max(d for d, _ in miles) if miles else None
        if t.due_text:
            t.due = resolve(t.due_text, year, plan.issued)
        if t.due is None:
            dues = [m.due for m in t.measures]
            if dues and all(dues):
                t.due = max(d for d in dues if d)
        if t.due is None:
            t.due = date(year, 12, 31)
