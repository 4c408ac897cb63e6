"""Unit lists: who leads, who co-owns, and the notes written among them.

A unit list comes in one of three shapes, all read by `parse_group`:

- labelled: ``牵头单位:X;责任单位:A、B`` (any order; 主办单位/主要责任单位/牵头责任单位 mean lead;
  配合单位/协办单位/协同责任单位 co-own; 责任单位 alone means its first unit leads);
- verb style: ``A、B牵头,C按职责分工负责`` (State-Council style);
- a bare list: ``A、B、C`` (the first-listed unit leads).

Units split on 、 , ; and 及, never inside brackets (各县(市、区)政府, 〈含开发区、…〉) nor inside a
collective written with 、 (各县、市、区政府, 各镇、街道).  A level prefix written once distributes
(市发展改革委、财政局 -> 市财政局); a trailing 等 makes the list open (a flag, not a unit); a note
such as ``(排名第一的为牵头单位,下同)`` or ``以下均需各县市区落实`` is a rule, never a unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN = "([〈《【[{"
CLOSE = ")]〉》】]}"
_PAIR = dict(zip("([〈《【{", ")]〉》】}"))

LEAD_LABELS = ("牵头责任单位", "主要责任单位", "牵头单位", "主办单位", "牵头部门", "主责单位", "主责部门",
               "牵头责任部门")
CO_LABELS = ("协同责任单位", "配合单位", "协办单位", "协同单位", "参与单位", "配合部门", "协作单位", "协办部门",
             "责任部门")
RESP_LABELS = ("责任单位",)
LEADER_LABELS = ("牵头负责领导", "牵头责任领导", "牵头领导", "责任领导", "分管领导", "牵头县领导", "牵头市领导",
                 "牵头区领导", "包抓领导", "包抓责任领导", "区政府分管领导", "市政府分管领导", "县政府分管领导",
                 "责任市领导", "责任县领导", "责任区领导")
DUE_LABELS = ("完成时限", "完成时间", "时间节点", "办结期限", "完成期限", "时限要求")
PERSON_LABELS = ("责任人", "联系人")
ALL_LABELS = sorted(LEAD_LABELS + CO_LABELS + RESP_LABELS + LEADER_LABELS + DUE_LABELS + PERSON_LABELS,
                    key=len, reverse=True)
LABEL_RE = re.compile("(" + "|".join(ALL_LABELS) + r")[::]")
TAGS = ("预期性指标", "约束性指标", "预期性", "约束性")
_RULE = re.compile(r"以下|下同|不再逐|均需|列第一位|排名第一|排在第一|排第一|居首|为牵头单位|为牵头|为主办|汇总单位")
_VERB_LEAD = re.compile(r"(?:分别|共同)?牵头(?:负责|抓总)?$")
_VERB_CO = re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|按职责落实|分工负责|配合|参与|协助|协办|共同推进|负责)$")
_COLLECTIVE = re.compile(r"各[县市区镇乡](?:、[县市区镇乡街道办场]{1,3})+[^、,;]*|"
                         r"各(?:相关|有关)?(?:镇|乡|园区|街道|开发区|板块)(?:、(?:镇|乡|园区|街道|开发区|板块)){1,3}|"
                         r"各专委会及牵头部门|市各委办局")
_NO_PREFIX = re.compile(r"^(?:各|全|有关|相关|其他|中国|国家|省|市|区|县|人民银行|团[市区县]委)|"
                        r"(?:镇|乡|街道|街办|园区|开发区|高新区|新区|管委会|银行|支行|分行|海关|公司|集团|监管组|监管分局)$")
LEVELS = ("省", "市", "区", "县", "州", "旗")
_VERBISH = re.compile(r"推进|加强|落实|完成|开展|确保|实施|建设|提高|提升|加快|做好|力争|增长|达到|\d")


@dataclass
class UnitGroup:
    leads: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    leader: str = ""
    due_text: str = ""
    open: bool = False
    tags: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    blanket: list[str] = field(default_factory=list)  # units a rule adds to every later task
    labelled: bool = False
    first_leads: bool = True  # no lead stated: the first unit leads

    @property
    def units(self) -> list[str]:
        out = list(self.leads)
        for u in self.others:
            if u not in out:
                out.append(u)
        return out

    def any(self) -> bool:
        return bool(self.leads or self.others or self.leader or self.due_text)


def depth_split(text: str, seps: str) -> list[str]:
    """Split on any of `seps` outside brackets."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _strip(s: str) -> str:
    return s.strip().strip("。.;,、:").strip()


def split_names(text: str, level_prefix: bool = True) -> tuple[list[str], bool, list[str]]:
    """(units, open list?, rules) of a plain list of unit names."""
    rules: list[str] = []
    is_open = False
    # bracketed notes among the units that state a rule: (排名第一的为牵头单位,下同)
    def note(m: re.Match) -> str:
        if _RULE.search(m.group(0)):
            rules.append(m.group(0)[1:-1])
            return ""
        return m.group(0)
    text = re.sub(r"[(\[][^()\[\]]*[)\]]", note, text)
    protected: list[str] = []

    def keep(m: re.Match) -> str:
        protected.append(m.group(0))
        return f"\x00{len(protected) - 1}\x00"
    text = _COLLECTIVE.sub(keep, text)
    units: list[str] = []
    for group in depth_split(text, ",;"):
        prefix = ""
        for raw in depth_split(group, "、"):
            for piece in _split_ji(raw):
                name = _strip(re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], piece))
                if not name:
                    continue
                if _RULE.search(name) and not name.endswith(("单位", "局", "委", "办", "政府")):
                    rules.append(name)
                    continue
                for tail in ("等单位", "等部门", "等"):
                    if name.endswith(tail) and len(name) > len(tail):
                        name, is_open = name[: -len(tail)], True
                        break
                if name[:1] in LEVELS and not name.startswith(("市场", "区域", "县域", "省级")) and len(name) > 2:
                    prefix = name[0] if level_prefix else ""
                elif prefix and not _NO_PREFIX.search(name):
                    name = prefix + name
                if name not in units:
                    units.append(name)
    return units, is_open, rules


def _split_ji(raw: str) -> list[str]:
    """`市级各有关部门及各县市区政府` -> two units; `各专委会及牵头部门` stays one."""
    parts = depth_split(raw, "及")
    if len(parts) == 2 and parts[1][:1] in ("各", *LEVELS) and len(parts[0]) > 2:
        return parts
    return [raw]


def parse_group(text: str) -> UnitGroup:
    """Everything a unit list (a parenthesis, a labelled line, a cell) states."""
    g = UnitGroup()
    text = text.strip()
    marks = [m for m in LABEL_RE.finditer(text) if _depth_at(text, m.start()) == 0]
    head = text[: marks[0].start()] if marks else text
    resp: list[str] = []
    if head.strip(" ;,。"):
        _head(head, g)
    for i, m in enumerate(marks):
        label = m.group(1)
        value = _strip(text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)])
        g.labelled = True
        if label in LEADER_LABELS:
            g.leader = value
        elif label in DUE_LABELS:
            g.due_text = value
        elif label in PERSON_LABELS:
            continue
        else:
            units, is_open, rules = split_names(value)
            g.open |= is_open
            _rules(rules, g)
            if label in LEAD_LABELS:
                g.leads += [u for u in units if u not in g.leads]
            elif label in RESP_LABELS:
                resp += units
            else:
                g.others += [u for u in units if u not in g.others]
    if resp:
        if g.leads:
            g.others = [u for u in resp if u not in g.others] + g.others
        else:
            g.leads, g.others = resp[:1], resp[1:] + g.others
    if not g.leads and g.others and g.first_leads:
        g.leads, g.others = g.others[:1], g.others[1:]
    g.others = [u for u in g.others if u not in g.leads]
    return g


def _rules(rules: list[str], g: UnitGroup) -> None:
    for r in rules:
        g.rules.append(r)
        if m := re.search(r"均需(.+?)(?:落实|负责|配合)", r):
            g.blanket += split_names(m.group(1))[0]


def _head(head: str, g: UnitGroup) -> None:
    """The unlabelled part: type tags, verb-style clauses, or a bare list."""
    for piece in depth_split(head, ",;"):
        piece = _strip(piece)
        if not piece:
            continue
        if piece in TAGS:
            g.tags.append(piece)
            continue
        if _RULE.search(re.sub(r"[(\[][^()\[\]]*[)\]]", "", piece)) and not piece.endswith("牵头"):
            _rules([piece], g)
            continue
        if m := _VERB_LEAD.search(piece):
            units, is_open, rules = split_names(piece[: m.start()])
            g.leads += [u for u in units if u not in g.leads]
        elif m := _VERB_CO.search(piece):
            units, is_open, rules = split_names(piece[: m.start()])
            g.others += [u for u in units if u not in g.others]
        else:
            units, is_open, rules = split_names(piece)
            g.others += [u for u in units if u not in g.others]
        g.open |= is_open
        _rules(rules, g)


def _depth_at(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
    return depth


UNIT_SUFFIX = re.compile(r"(?:局|委|办|院|厅|政府|中心|公司|集团|街道|街办|镇|乡|部|会|处|室|队|所|行|站|馆|园|区|县|"
                         r"社|联|团|台|署|组|单位|部门|机构|企业|学校|医院|管委会|指挥部|办公室|监管组|海关|分局|支行|校)"
                         r"(?:\([^()]*\)|〈[^〈〉]*〉)?$")


def looks_like_units(text: str) -> bool:
    """Whether a bracket's content is a unit list rather than part of the title (`(GDP)`)."""
    if LABEL_RE.search(text):
        return True
    body = _strip(text)
    if not body or len(body) > 300:
        return False
    if _VERB_LEAD.search(_strip(depth_split(body, ",;")[0])) or re.search(r"牵头[,;]|牵头$", body):
        return True
    names, _, _ = split_names(body)
    if not names:
        return False
    good = sum(1 for n in names if UNIT_SUFFIX.search(n) and len(n) <= 30 and not re.search(r"\d", n)
               and (len(n) <= 12 or not _VERBISH.search(n)))
    return good == len(names) or (len(names) >= 3 and good >= len(names) - 1)


def suspicious(name: str) -> str:
    """Why a unit name looks wrong ('' when it does not)."""
    if len(name) > 30:
        return "too long"
    if re.search(r"\d", name) or (_VERBISH.search(name) and not UNIT_SUFFIX.search(name)):
        return "holds a verb or a number"
    return ""
