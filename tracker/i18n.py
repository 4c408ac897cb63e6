"""Labels in Chinese and English.

Data is always shown as written; only the tool's own words are translated.  One table keeps
the two languages side by side so that a missing translation is visible in review.
"""
from __future__ import annotations

import locale
import os
import re

LANGS = ("zh", "en")

STATUS_LABELS = {
    "zh": {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "blocked": "受阻",
           "acked": "已签收", "closed": "已销号", "cancelled": "已撤销"},  # the last three: tracker/cycle.py
    "en": {"not_started": "not started", "in_progress": "in progress", "done": "done", "blocked": "blocked",
           "acked": "acknowledged", "closed": "closed", "cancelled": "cancelled"},
}

FIELD_LABELS = {
    "zh": {
        "status": "状态", "progress": "进度", "due": "完成时限", "note": "进展情况",
        "problems": "存在问题", "next_steps": "下步打算", "title": "标题", "category": "类别",
        "units": "责任单位", "measures": "措施", "number": "编号", "text": "内容",
        "indicators": "指标", "actuals": "实际值", "conflicts": "冲突", "created": "新建", "deleted": "删除",
        "actual_note": "说明", "comparator": "比较方式", "value": "目标值", "min": "下限", "max": "上限", "unit": "单位",
        "name": "名称", "path": "文件",
        "acked": "签收日期", "report": "办结报告", "finished": "申请办结日期", "closed": "销号日期",
        "returns": "退回重办", "extensions": "延期", "cancelled": "撤销",  # tracker/cycle.py
    },
    "en": {
        "status": "status", "progress": "progress", "due": "due", "note": "note",
        "problems": "problems", "next_steps": "next steps", "title": "title", "category": "category",
        "units": "units", "measures": "measures", "number": "number", "text": "text",
        "indicators": "indicators", "actuals": "actuals", "conflicts": "conflicts", "created": "created",
        "deleted": "deleted", "actual_note": "note", "comparator": "comparator", "value": "target value",
        "min": "minimum", "max": "maximum", "unit": "unit", "name": "name", "path": "file",
        "acked": "acknowledged on", "report": "closure report", "finished": "applied for closure on",
        "closed": "closed on", "returns": "sent back", "extensions": "extensions", "cancelled": "cancellation",
    },
}

COMPARATOR_LABELS = {
    "zh": {"at_least": "不低于", "at_most": "不高于", "range": "区间", "qualitative": "定性"},
    "en": {"at_least": "at least", "at_most": "at most", "range": "range", "qualitative": "qualitative"},
}

WORDS = {
    "zh": {
        "measure": "措施", "and_more": "等{n}项", "updated": "更新", "lead": "牵头",
        "co": "配合", "id": "编号", "category": "类别", "title": "任务", "lead_unit": "牵头单位",
        "status": "状态", "progress": "进度", "due": "完成时限", "unit": "单位", "led": "牵头任务",
        "co_owned": "配合任务", "target": "目标", "indicator": "指标", "latest": "最新实际",
        "date": "日期", "author": "修改人", "change": "变更", "commit": "提交", "total": "合计",
        "qualitative": "定性", "none": "无", "target_text": "目标内容",
        "actual": "实际值", "period": "期间",
    },
    "en": {
        "measure": "measure", "and_more": "and {n} more", "updated": "updated", "lead": "lead",
        "co": "co-owner", "id": "id", "category": "category", "title": "task", "lead_unit": "lead unit",
        "status": "status", "progress": "progress", "due": "due", "unit": "unit", "led": "leads",
        "co_owned": "co-owns", "target": "target", "indicator": "indicator", "latest": "latest actual",
        "date": "date", "author": "author", "change": "change", "commit": "commit", "total": "total",
        "qualitative": "qualitative", "none": "none", "target_text": "target",
        "actual": "actual", "period": "period",
    },
}


#: The label book: every key the tool says anything by, with its (zh, en) text.  Each area keeps
#: its own entries in its own module and adds them with `book()`; `say()` is the one lookup.
#: Keys are "area.name" (e.g. "error.out_of_range"); texts use str.format fields ({field}).
BOOK: dict[str, tuple[str, str]] = {}


def book(area: str, entries: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Add an area's entries under "area.<key>"; returns them unchanged (so a module can keep
    a local name for its own table).  A key defined twice with different text is an error."""
    for key, pair in entries.items():
        full = f"{area}.{key}"
        old = BOOK.get(full)
        if old is not None and old != pair:
            raise ValueError(f"label {full!r} defined twice with different text")
        BOOK[full] = pair
    return entries


def say(key: str, lang: str | None = "zh", **args) -> str:
    """The one lookup: BOOK[key] in `lang`, formatted with `args`; an unknown key shows as itself."""
    pair = BOOK.get(key)
    if pair is None:
        return key
    text = pair[1] if norm_lang(lang) == "en" else pair[0]
    return text.format(**args) if args else text


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "zh"


def status_label(status: str, lang: str = "zh") -> str:
    return STATUS_LABELS[norm_lang(lang)].get(status, status)


def field_label(name: str, lang: str = "zh") -> str:
    """'measures.2.status' -> '措施2 状态'; plain names through FIELD_LABELS."""
    lang = norm_lang(lang)
    parts = name.split(".")
    if len(parts) == 2 and parts[0] == "measures":
        return f"{WORDS[lang]['measure']}{'' if lang == 'zh' else ' '}{parts[1]}"
    if len(parts) == 3 and parts[0] == "measures":
        sep = "" if lang == "zh" else " "
        return f"{WORDS[lang]['measure']}{sep}{parts[1]} {FIELD_LABELS[lang].get(parts[2], parts[2])}"
    if name.startswith("indicators."):
        m = _ACTUAL.match(name)
        if m:
            ind, period, sub = m.groups()  # sub: None or 'value' (the actual itself), 'note'
            what = WORDS[lang]["actual"] + ("" if sub != "note" else
                                            (FIELD_LABELS[lang]["actual_note"] if lang == "zh" else " note"))
            if sub == "assessment":
                what = WORDS[lang]["actual"] + ("评价" if lang == "zh" else " assessment")
            return f"{ind} {period} {what}"
        ind, _, key = name[len("indicators."):].rpartition(".")
        return f"{ind} {FIELD_LABELS[lang].get(key, key)}" if ind else FIELD_LABELS[lang]["indicators"]
    return FIELD_LABELS[lang].get(name, name)


#: an actual's field: indicators.<name>.actuals.<period>[.value|.note|.assessment] (conflicts add .value)
_ACTUAL = re.compile(r"^indicators\.(.+)\.actuals\.(\d{4}(?:-[0-9A-Z]+)?)(?:\.(value|note|assessment))?$")


def word(key: str, lang: str = "zh") -> str:
    return WORDS[norm_lang(lang)].get(key, key)


def detect_lang(explicit: str | None = None, setting: str | None = None) -> str:
    """--lang beats TRACKER_LANG, which beats a setting, which beats the locale."""
    for choice in (explicit, os.environ.get("TRACKER_LANG"), setting):
        if choice in LANGS:
            return choice
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if not loc:
        try:
            loc = locale.getlocale()[0] or ""
        except ValueError:
            loc = ""
    return "en" if loc.lower().startswith("en") else "zh"
