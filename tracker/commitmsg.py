"""Commit messages written for the people who read `git log`.

    2020-05 持续推进重点水利工程建设: 状态 未启动 → 推进中, 进度 0 → 30

    状态: 未启动 → 推进中
    进度: 0 → 30
    进展情况: （空） → 竺山圩退圩还湖主体完工

    Tracker-Task: 2020-05
    Tracker-Fields: status, progress, note

The subject names the task and the change; the body lists every field old → new; the last
paragraph holds machine-readable trailers.  Text from files is flattened to one line in the
subject and indented in the body, so a title or note can never forge a trailer.
"""
from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len

from .changes import FieldChange
from .i18n import field_label, status_label, word

SUBJECT_TITLE_CELLS = 28
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: Any) -> str:
    """Flatten: no newlines, no control characters (no ANSI escapes) in a subject or trailer."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def clip(text: str, cells: int) -> str:
    if cell_len(text) <= cells:
        return text
    out, used = "", 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def _value(field: str, v: Any, lang: str) -> str:
    if v is None or v == "":
        return "（空）" if lang == "zh" else "(empty)"
    if field == "status" or field.endswith(".status"):
        return status_label(str(v), lang)
    if field.endswith(".assessment"):
        from .model import ASSESSMENTS

        return ASSESSMENTS[v][0 if lang == "zh" else 1] if v in ASSESSMENTS else str(v)
    if isinstance(v, list):
        return "、".join(one_line(x) for x in v) if lang == "zh" else ", ".join(one_line(x) for x in v)
    return str(v)


_LONG_TEXT = ("note", "problems", "next_steps", "text", "title")


def _is_text(field: str) -> bool:
    return field.split(".")[-1] in _LONG_TEXT or field.startswith("measures.") and field.count(".") == 1


def summary(changes: list[FieldChange], lang: str) -> str:
    parts = []
    for ch in changes:
        label = field_label(ch.field, lang)
        if _is_text(ch.field) or ch.field == "conflicts":
            parts.append(f"{word('updated', lang)}{'' if lang == 'zh' else ' '}{label}")
        else:
            parts.append(f"{label} {clip(one_line(_value(ch.field, ch.old, lang)), 16)} → {clip(one_line(_value(ch.field, ch.new, lang)), 16)}")
    sep = "，" if lang == "zh" else ", "
    if len(parts) > 2:
        more = word("and_more", lang).format(n=len(parts))
        return sep.join(parts[:2]) + (" " if lang == "en" else "") + more
    return sep.join(parts)


def _body_line(ch: FieldChange, lang: str) -> list[str]:
    label = field_label(ch.field, lang)
    old, new = _value(ch.field, ch.old, lang), _value(ch.field, ch.new, lang)
    old = "\n".join(_CONTROL.sub(" ", ln) for ln in old.splitlines())
    new = "\n".join(_CONTROL.sub(" ", ln) for ln in new.splitlines())
    if old == new:  # e.g. a resolve that keeps the current side: not "进度: 65 → 65"
        kept = "（保持不变）" if lang == "zh" else " (unchanged)"
        return [f"{label}: {one_line(new)}{kept}"]
    if "\n" not in old and "\n" not in new:
        return [f"{label}: {old} → {new}"]
    lines = [f"{label}:"]
    lines += ["    " + ln for ln in old.splitlines()] or ["    "]
    lines.append("  →")
    lines += ["    " + ln for ln in new.splitlines()]
    return lines


def compose(subject_id: str, title: str, changes: list[FieldChange], lang: str,
            trailers: dict[str, str], subject_text: str | None = None) -> str:
    """A full message: subject, body of field changes, trailers."""
    head = f"{subject_id} {clip(one_line(title), SUBJECT_TITLE_CELLS)}".strip()
    subject = f"{head}: {subject_text if subject_text is not None else summary(changes, lang)}"
    body: list[str] = []
    for ch in changes:
        body += _body_line(ch, lang)
    trailer_lines = [f"{k}: {one_line(v)}" for k, v in trailers.items() if v]
    parts = [one_line(subject)]
    if body:
        parts.append("\n".join(body))
    parts.append("\n".join(trailer_lines))
    return "\n\n".join(parts) + "\n"


def task_message(task_id: str, title: str, changes: list[FieldChange], lang: str, **extra: str) -> str:
    fields = ", ".join(dict.fromkeys(c.field.split(".")[0] if not c.field.startswith("measures.") else c.field
                                     for c in changes))
    trailers = {"Tracker-Task": task_id, "Tracker-Fields": fields, **extra}
    return compose(task_id, title, changes, lang, trailers)


def trailers(message: str) -> dict[str, str]:
    """Trailers of the last paragraph only (what git's interpret-trailers also reads)."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return {}
    out = {}
    for line in paragraphs[-1].splitlines():
        m = re.match(r"^([A-Za-z][A-Za-z0-9-]*): (.*)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out
