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
from .i18n import field_label as _field_label
from .i18n import book, say, status_label
from .model import FIELD, LONG_TEXT_FIELDS


def field_label(name: str, lang: str) -> str:
    """A field's label: a task field's from the field table (tracker.model.TASK_TABLE), else i18n's."""
    spec = FIELD.get(name)
    return say(spec.label_key, lang) if spec is not None else _field_label(name, lang)


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


MSG_WORDS = book("msg", {
    "empty": ("（空）", "(empty)"), "list_sep": ("、", ", "), "sep": ("，", ", "), "yes": ("是", "yes"), "no": ("否", "no"),
    "updated": ("更新{label}", "updated {label}"), "and_more": ("{first}等{n}项", "{first} and {n} more"),
    "unchanged": ("{value}（保持不变）", "{value} (unchanged)"),
    "added": ("新增{label}", "add {label}"), "removed": ("删除{label}", "remove {label}"),
})


def _value(field: str, v: Any, lang: str) -> str:
    if v is None or v == "":
        return say("msg.empty", lang)
    if field == "status" or field.endswith(".status"):
        return status_label(str(v), lang)
    if field in ("kind", "urgency"):  # items of any kind: 批示件, 紧急 (tracker.items registers the labels)
        from .itemkinds import kind_label, urgency_label

        return (kind_label if field == "kind" else urgency_label)(str(v), lang)
    if field.endswith(".assessment"):
        from .model import ASSESSMENTS

        return say(f"assessment.{v}", lang) if v in ASSESSMENTS else str(v)
    if isinstance(v, bool):  # a flag (open_units, incomplete)
        return say("msg.yes" if v else "msg.no", lang)
    if isinstance(v, dict):  # an entry of the cycle (returns, extensions, cancelled): its values in one line
        return " ".join(one_line(x) for x in v.values() if x not in (None, ""))
    if isinstance(v, list):
        return say("msg.list_sep", lang).join(_value(field, x, lang) for x in v)
    return str(v)


#: long texts: a subject says "updated X"; the task's from the field table, plus a measure's or target's text
_LONG_TEXT = (*LONG_TEXT_FIELDS, "text")


def _is_text(field: str) -> bool:
    return field.split(".")[-1] in _LONG_TEXT or field.startswith("measures.") and field.count(".") == 1


#: lists of cycle records (tracker/cycle.py): a change that appends entries reads as those entries
_RECORD_LISTS = ("returns", "extensions")


def appended(ch: FieldChange) -> list[tuple[int, dict]]:
    """The entries (number, entry) a change of a record list appends to it; [] for anything else."""
    if ch.field not in _RECORD_LISTS or not isinstance(ch.new, list):
        return []
    old = ch.old if isinstance(ch.old, list) else []
    if len(ch.new) <= len(old) or ch.new[:len(old)] != old or not all(isinstance(e, dict) for e in ch.new[len(old):]):
        return []
    return list(enumerate(ch.new[len(old):], start=len(old) + 1))


def _appended_summary(ch: FieldChange, lang: str) -> str:
    from . import cycle  # noqa: F401 - the cycle's own words (退回重办（第2次）)

    out = []
    for n, e in appended(ch):
        if ch.field == "returns":
            out.append(say("cycle.body.return_what", lang, n=n))
        else:
            out.append(f"{field_label(ch.field, lang)} {_value('due', e.get('from'), lang)} → {_value('due', e.get('to'), lang)}")
    return say("msg.sep", lang).join(out)


def summary(changes: list[FieldChange], lang: str) -> str:
    parts = []
    for ch in changes:
        label = field_label(ch.field, lang)
        if appended(ch):
            parts.append(_appended_summary(ch, lang))
        elif ch.field.startswith("measures.") and ch.field.count(".") == 1 and (ch.old is None) != (ch.new is None):
            parts.append(say("msg.added" if ch.old is None else "msg.removed", lang, label=label))  # 新增措施3 / 删除措施3
        elif _is_text(ch.field) or ch.field == "conflicts":
            parts.append(say("msg.updated", lang, label=label))
        else:
            parts.append(f"{label} {clip(one_line(_value(ch.field, ch.old, lang)), 16)} → {clip(one_line(_value(ch.field, ch.new, lang)), 16)}")
    sep = say("msg.sep", lang)
    if len(parts) > 2:
        return say("msg.and_more", lang, first=sep.join(parts[:2]), n=len(parts))
    return sep.join(parts)


def change_lines(ch: FieldChange, lang: str) -> list[str]:
    """A change's body lines in a replayed commit: entries appended to a cycle record list one line
    each, as the cycle's step writes them (tracker/lifecycle.py); anything else as `_body_line`."""
    if appended(ch):
        from .cycle import entry_line

        return [entry_line(ch.field, e, n, lang) for n, e in appended(ch)]
    return _body_line(ch, lang)


def _body_line(ch: FieldChange, lang: str) -> list[str]:
    label = field_label(ch.field, lang)
    old, new = _value(ch.field, ch.old, lang), _value(ch.field, ch.new, lang)
    old = "\n".join(_CONTROL.sub(" ", ln) for ln in old.splitlines())
    new = "\n".join(_CONTROL.sub(" ", ln) for ln in new.splitlines())
    if old == new:  # e.g. a resolve that keeps the current side: not "进度: 65 → 65"
        return [f"{label}: {say('msg.unchanged', lang, value=one_line(new))}"]
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


def fields_of(changes: list[FieldChange]) -> list[str]:
    """The `Tracker-Fields` names of a list of changes (measures keep their number and field)."""
    return list(dict.fromkeys(c.field.split(".")[0] if not c.field.startswith("measures.") else c.field
                              for c in changes))


def task_message(task_id: str, title: str, changes: list[FieldChange], lang: str, **extra: str) -> str:
    fields = ", ".join(fields_of(changes))
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


# -- messages of commits a sync replayed ------------------------------------------------------
REPLAY_WORDS = {
    "zh": {"conflict": "{label} 冲突 {mine} / {theirs} 已记录", "conflict_body": "{label}: 冲突已记录：本提交 {mine}（{me}），"
           "共享记录中为 {theirs}（{who} {when}）；字段保留 {theirs}，待解决",
           "same": "{label} {value} 与 {who} 相同", "same_body": "{label}: {value}（与 {who} {when} 的提交 {sha} 相同，已在共享记录中）",
           "stale": "解决 {label} 未生效，冲突仍待解决", "stale_body": "{label}: 解决未生效：此解决基于 {n} 方的冲突，"
           "其间又加入了 {gained}；冲突保持待解决，各方: {sides}",
           "unresolved": "{label}: 冲突已在共享记录中解决，本提交未再解决它",
           "same_resolve": "解决冲突 {label} 取 {value} 与 {who} 相同",
           "same_resolve_body": "{label}: 取 {value}（与 {who} {when} 的提交 {sha} 的解决相同，已在共享记录中）",
           "same_side": "{label} {value} 已是冲突一方（与 {who} 相同）",
           "same_side_body": "{label}: 本提交的取值 {value} 已是共享记录中冲突的一方（{who} {when}，提交 {sha}）；冲突待解决",
           "was": "同步时改写：原提交在另一版本上做的是：{summary}", "nothing": "（无字段变化）"},
    "en": {"conflict": "{label} conflict {mine} / {theirs} recorded", "conflict_body": "{label}: conflict recorded: this commit "
           "{mine} ({me}), the shared history {theirs} ({who} {when}); the field keeps {theirs} until resolved",
           "same": "{label} {value} same as {who}", "same_body": "{label}: {value} (the same as {who}'s commit {sha} of {when}, "
           "already in the shared history)",
           "stale": "resolve of {label} did not take; the conflict stays open", "stale_body": "{label}: the resolve did "
           "not take: it was made on a {n}-sided view and {gained} joined since; the conflict stays open, sides: {sides}",
           "unresolved": "{label}: the conflict had already been resolved in the shared history; this commit no longer resolves it",
           "same_resolve": "resolve {label} take {value} same as {who}",
           "same_resolve_body": "{label}: take {value} (the same resolve as {who}'s commit {sha} of {when}, already in "
           "the shared history)",
           "same_side": "{label} {value} already a conflict side (same as {who})",
           "same_side_body": "{label}: this commit's value {value} is already a side of the conflict in the shared history "
           "({who} {when}, commit {sha}); the conflict stays open",
           "was": "rewritten by sync: the original commit, on another version, did: {summary}", "nothing": "(no field changes)"},
}


book("replay", {k: (REPLAY_WORDS["zh"][k], REPLAY_WORDS["en"][k]) for k in REPLAY_WORDS["zh"]})


def _rw(key: str, lang: str, **kw: Any) -> str:
    return say(f"replay.{key}", lang, **kw)


def replay_message(original: str, sid: str, title: str, orig_changes: list[FieldChange], new_changes: list[FieldChange],
                   lang: str, *, me: str = "", recorded: list[dict] | None = None, same: list[dict] | None = None,
                   stale: list[dict] | None = None, same_resolve: list[dict] | None = None,
                   same_side: list[dict] | None = None) -> str:
    """The message of a commit whose replay changed what it does (docs/sync.md, "replay message rule").

    `new_changes` is the replayed commit's own diff; `recorded` the conflict entries it recorded,
    `same` its changes the shared history already held ({change, author, date, sha}), `stale` its
    resolves that did not take, `same_resolve` its resolves the shared history already made to the
    same value ({field, value, author, date, sha}: `sha` resolved it there), `same_side` the conflict
    sides it recorded that the shared history already holds with the same value (`sha` added it).
    The subject and body describe the new diff; one line keeps what
    the officer originally did; `Tracker-Fields` lists the fields of the new diff."""
    recorded, same, stale, same_resolve = recorded or [], same or [], stale or [], same_resolve or []
    same_side = same_side or []
    old_tr = trailers(original)
    sep = say("msg.sep", lang)
    shown = [c for c in new_changes if c.field != "conflicts"]
    parts, body = [], []
    stale_fields = {s["field"] for s in stale}
    recorded_fields = {r["field"] for r in recorded}
    for r in recorded:
        lab = field_label(r["field"], lang)
        mine = clip(one_line(_value(r["field"], r["theirs"]["value"], lang)), 12)
        theirs = clip(one_line(_value(r["field"], r["ours"]["value"], lang)), 12)
        parts.append(_rw("conflict", lang, label=lab, mine=mine, theirs=theirs))
        body.append(_rw("conflict_body", lang, label=lab, mine=mine, theirs=theirs, me=one_line(r["theirs"].get("author") or me),
                        who=one_line(r["ours"].get("author") or "?"), when=str(r["ours"].get("date") or "")[:10]))
    for st in stale:
        lab = field_label(st["field"], lang)
        sides = "; ".join(f"{clip(one_line(_value(st['field'], v.get('value'), lang)), 16)} ({one_line(v.get('author') or '?')})"
                          for v in _sides_of(st["entry"]))
        gained = "、".join(one_line(v.get("author") or "?") for v in st["gained"])
        parts.append(_rw("stale", lang, label=lab))
        body.append(_rw("stale_body", lang, label=lab, n=len(_sides_of(st["entry"])) - len(st["gained"]),
                        gained=gained, sides=sides))
    if shown:
        parts.append(summary(shown, lang))
        for ch in shown:
            body += change_lines(ch, lang)
    for sm in same:
        ch = sm["change"]
        lab = field_label(ch.field, lang)
        value = clip(one_line(_value(ch.field, ch.new, lang)), 16)
        parts.append(_rw("same", lang, label=lab, value=value, who=one_line(sm["author"])))
        body.append(_rw("same_body", lang, label=lab, value=value, who=one_line(sm["author"]), when=str(sm["date"])[:10],
                        sha=sm["sha"][:10]))
    for sr in same_resolve:
        lab = field_label(sr["field"], lang)
        value = clip(one_line(_value(sr["field"], sr["value"], lang)), 16)
        parts.append(_rw("same_resolve", lang, label=lab, value=value, who=one_line(sr["author"])))
        body.append(_rw("same_resolve_body", lang, label=lab, value=value, who=one_line(sr["author"]),
                        when=str(sr["date"])[:10], sha=sr["sha"][:10]))
    for sd in same_side:
        lab = field_label(sd["field"], lang)
        value = clip(one_line(_value(sd["field"], sd["value"], lang)), 16)
        parts.append(_rw("same_side", lang, label=lab, value=value, who=one_line(sd["author"])))
        body.append(_rw("same_side_body", lang, label=lab, value=value, who=one_line(sd["author"]),
                        when=str(sd["date"])[:10], sha=sd["sha"][:10] or "?"))
    same_resolved = {sr["field"] for sr in same_resolve} | {sd["field"] for sd in same_side}
    resolved_before = [f.split("=")[0].strip() for f in old_tr.get("Tracker-Resolve", "").split(",") if f.strip()]
    removed = any(c.field == "conflicts" and (c.new or 0) < (c.old or 0) for c in new_changes)
    for f in resolved_before:
        if f not in stale_fields and f not in recorded_fields and f not in same_resolved and not removed:
            body.append(_rw("unresolved", lang, label=field_label(f, lang)))
    subject_text = sep.join(parts) if parts else _rw("nothing", lang)
    head = f"{sid} {clip(one_line(title), SUBJECT_TITLE_CELLS)}".strip()
    was = summary(orig_changes, lang) if orig_changes else _rw("nothing", lang)
    first = original.split("\n", 1)[0]
    if old_tr.get("Tracker-Resolve") and first.startswith(f"{head}: "):  # a resolve: its own words say what it chose
        was = first[len(head) + 2:]
    kept_was = None
    if old_tr.get("Tracker-Rewritten"):  # rewritten before: keep what the officer originally did, not the last rewrite
        prefixes = tuple(REPLAY_WORDS[k]["was"].split("{")[0] for k in ("zh", "en"))
        kept_was = next((ln for ln in original.splitlines() if ln.startswith(prefixes)), None)
    body.append("")
    body.append(kept_was or _rw("was", lang, summary=one_line(was)))
    kept = {k: v for k, v in old_tr.items() if k not in ("Tracker-Fields", "Tracker-Resolve", "Tracker-Same-As",
                                                         "Tracker-Conflict", "Tracker-Rewritten")}
    new_tr: dict[str, str] = {}
    for k in ("Tracker-Task", "Tracker-Target"):
        if k in kept:
            new_tr[k] = kept.pop(k)
    new_tr["Tracker-Fields"] = ", ".join(fields_of(new_changes))
    if removed and old_tr.get("Tracker-Resolve"):
        new_tr["Tracker-Resolve"] = old_tr["Tracker-Resolve"]
    if recorded:
        new_tr["Tracker-Conflict"] = ", ".join(r["field"] for r in recorded)
    if same or same_resolve or same_side:
        new_tr["Tracker-Same-As"] = ", ".join([f"{sm['change'].field}={sm['sha'][:12]}" for sm in same]
                                              + [f"{sr['field']}={sr['sha'][:12]}" for sr in same_resolve]
                                              + [f"{sd['field']}={sd['sha'][:12] or '?'}" for sd in same_side])
    if stale:
        new_tr["Tracker-Resolve-Stale"] = ", ".join(sorted(stale_fields))
    returns = next((c for c in new_changes if c.field == "returns" and appended(c)), None)
    if returns is not None and "Tracker-Returns" in kept:  # the return's number after the replay (a union)
        kept["Tracker-Returns"] = str(appended(returns)[-1][0])
    new_tr.update(kept)
    new_tr["Tracker-Rewritten"] = "sync"
    lines = [f"{k}: {one_line(v)}" for k, v in new_tr.items()]
    return "\n\n".join([one_line(f"{head}: {subject_text}"), "\n".join(body).strip("\n"), "\n".join(lines)]) + "\n"


def _sides_of(entry: dict) -> list[dict]:
    out = [entry[k] for k in ("ours", "theirs") if isinstance(entry.get(k), dict)]
    return out + [m for m in entry.get("more") or [] if isinstance(m, dict)]
