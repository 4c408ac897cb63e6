"""The kinds of items and their urgencies (issue 13): keys, labels, and reading them from input.

A leaf (i18n and model only): the schema, commit messages and the list read it; the work of
registering an item is tracker/items.py.  Files store the keys; either label is accepted on input.
"""
from __future__ import annotations

from .i18n import book, say
from .model import TrackerError

#: kind key -> (zh, en); the first is the plan's own tasks
KINDS = book("item_kind", {
    "plan": ("重点工作", "key task"),
    "instruction": ("批示件", "leader's instruction"),
    "meeting": ("会议议定", "meeting decision"),
    "proposal": ("建议提案", "proposal"),
    "inspection": ("专项督查", "special inspection"),
    "other": ("其他", "other"),
})
#: urgency key -> (zh, en)
URGENCIES = book("urgency", {"normal": ("一般", "normal"), "urgent": ("紧急", "urgent"),
                             "critical": ("特急", "most urgent")})
#: other ways people write a kind
SYNONYMS = {"批示": "instruction", "领导批示": "instruction", "领导批示件": "instruction", "会议": "meeting",
            "议定事项": "meeting", "会议议定事项": "meeting", "建议": "proposal", "提案": "proposal",
            "人大建议": "proposal", "政协提案": "proposal", "督查": "inspection", "专项督查事项": "inspection"}

book("items", {
    "bad_kind": ("类型“{value}”不存在；可用的类型：{allowed}", "kind: {value!r} is not a kind; the kinds are: {allowed}"),
    "bad_urgency": ("紧急程度“{value}”不存在；可用：{allowed}", "urgency: {value!r} is not an urgency; allowed: {allowed}"),
})


def _choice(value: str, table: dict[str, tuple[str, str]]) -> str | None:
    v = value.strip()
    for key, (zh, en) in table.items():
        if v in (key, zh) or v.lower() in (key, en.lower()):
            return key
    return SYNONYMS.get(v) if table is KINDS else None


def kind_key(value: str) -> str:
    """'批示件' / 'instruction' / 'leader's instruction' -> 'instruction'; else an error listing the kinds."""
    key = _choice(value, KINDS)
    if key is None:
        allowed = [f"{k} ({zh})" for k, (zh, _) in KINDS.items()]
        raise TrackerError.keyed("items.bad_kind", value=value, allowed=allowed)
    return key


def urgency_key(value: str) -> str:
    key = _choice(value, URGENCIES)
    if key is None:
        allowed = [f"{k} ({zh})" for k, (zh, _) in URGENCIES.items()]
        raise TrackerError.keyed("items.bad_urgency", value=value, allowed=allowed)
    return key


def kind_label(key: str, lang: str | None = "zh") -> str:
    return say(f"item_kind.{key}", lang) if key in KINDS else key


def urgency_label(key: str, lang: str | None = "zh") -> str:
    return say(f"urgency.{key}", lang) if key in URGENCIES else key
