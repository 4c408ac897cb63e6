"""Recorded merge conflicts: list them, and resolve one field with a normal commit.

A conflict is an entry in a task's (or target's) top-level `conflicts:` list, written by the
semantic merge (tracker.merge) when two offices changed the same field differently:

    conflicts:
      - field: status                 # or measures.2.status, indicators.<name>.actuals.<period>.value
        base: not_started             # the value both started from
        ours:   {value: in_progress, author: 张三, date: '2020-09-01T10:00:00+08:00'}
        theirs: {value: blocked,     author: 李四, date: '2020-09-02T09:30:00+08:00'}
        more:   [...]                 # only when three or more offices disagreed

Until it is resolved the field holds the `ours` value and everything else works.  Resolving
sets the field to the chosen value, removes the entry, and commits that one file with a message
naming the task, the field and the choice (trailer `Tracker-Resolve: status=theirs`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import commitmsg
from .changes import FieldChange
from .fieldpath import _set, current_value, norm, values_of
from .i18n import Lines, book, field_label, say
from .model import TrackerError
from .yamlio import YamlError, atomic_write, decode, fast_load, rt_dump, rt_load

TAKE_WORDS = ("ours", "theirs")

LABELS = book("conflicts", {
    "resolve": ("解决冲突", "resolve conflict"),
    "none_there": ("{ref}：这里没有记录的冲突（tracker conflicts 列出全部冲突）", "{ref}: no recorded conflicts there (tracker conflicts lists them)"),
    "say_which": ("{id}：请说明保留哪个值：--take ours|theirs|值（字段 {field}）", "{id}: say which value to keep: --take ours|theirs|VALUE (field {field})"),
    "name_one": ("{id}：{n} 个字段有冲突（{fields}）；用 --field 字段 --take ours|theirs|值 指定一个，或用 --take ours|theirs 应用于全部",
                 "{id}: {n} fields are in conflict ({fields}); name one with --field F --take ours|theirs|VALUE, or --take ours|theirs for all"),
    "not_in_conflict": ("{id}：字段 {field!r} 没有冲突（有冲突的字段：{fields}）", "{id}: field {field!r} is not in conflict (conflicting fields: {fields})"),
    "take": ("取", "take"),
    "sides": ("冲突各方", "the sides were"),
    "none": ("没有待解决的冲突", "no conflicts to resolve"),
    "conflict_word": ("冲突 ", "conflict "),   # a merged-in change's subject: 冲突 进度、状态
})


book("resolve", {
    "gone": ("{path}：{fields} 已不在冲突中（其间已被解决，例如一次同步）；未写入任何内容。tracker conflicts 列出仍待解决的冲突",
             "{path}: {fields} is no longer in conflict (resolved meanwhile, e.g. by a sync); nothing was written. "
             "tracker conflicts shows what is still open"),
    "unchanged": ("{path}：解决后文件没有变化；未提交任何内容", "{path}: resolving left the file unchanged; nothing was committed"),
    "no_other": ("--take {take}：该冲突只有 {n} 个其他值", "--take {take}: this conflict has {n} other value(s)"),
    "would_be_invalid": ("所选的值会使文件无效；未写入任何内容：\n  {problems}",
                         "the chosen value would make the file invalid; nothing was written:\n  {problems}"),
    "ledger_stale": ("{rel} 在台账核对之后已被改动；未写入任何内容，请重新核对",
                     "{rel} changed on disk since the ledger was checked; nothing was written, check it again"),
    "merged_invalid": ("合并后的文件会无效；未写入任何内容：\n  {problems}",
                       "the merged file would be invalid; nothing was written:\n  {problems}"),
})


def _resolve_err(entry: str, cls: type = TrackerError, **args) -> TrackerError:
    """The book entry `resolve.<entry>` as an error of `cls`: str() English, err.text(lang) the user's."""
    return cls.keyed(f"resolve.{entry}", **args)


def label(key: str, lang: str) -> str:
    return say(f"conflicts.{key}", lang)


def _err(entry: str, **args) -> TrackerError:
    """The book entry `conflicts.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"conflicts.{entry}", **args)


@dataclass
class FileConflicts:
    path: str  # relative to the repository root
    kind: str  # task | target
    number: int
    title: str
    entries: list[dict]
    year: int

    @property
    def id(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "task" else f"{self.year}-T{self.number:02d}"

    @property
    def fields(self) -> list[str]:
        return [str(e.get("field")) for e in self.entries]


def _entries(raw: Any) -> list[dict]:
    if not isinstance(raw, dict) or not isinstance(raw.get("conflicts"), list):
        return []
    return [e for e in raw["conflicts"] if isinstance(e, dict) and "field" in e]


def scan(ws) -> list[FileConflicts]:
    """Every task and target file with recorded conflicts (files without the word are not parsed)."""
    out = []
    for kind, files in (("task", ws.task_files()), ("target", ws.target_files())):
        for p in files:
            try:
                raw_bytes = p.read_bytes()
            except OSError:
                continue
            if b"conflicts:" not in raw_bytes:
                continue
            rel = ws.rel(p)
            try:
                raw = fast_load(decode(raw_bytes, rel), rel)
            except YamlError:
                continue
            entries = _entries(raw)
            if entries:
                title = str(raw.get("title") or raw.get("text") or "")
                num = raw.get("number") if isinstance(raw.get("number"), int) else 0
                out.append(FileConflicts(rel, kind, num, title, entries, ws.year))
    return out


def find(ws, ref: str) -> FileConflicts | None:
    """A task id (5, 05, 2020-05), a target (T4, 2020-T04) or a path."""
    items = scan(ws)
    ref = ref.strip()
    for fc in items:
        if ref in (fc.path, fc.id):
            return fc
    up = ref.upper()
    if "T" in up and up.replace(f"{ws.year}-", "").lstrip("T").isdigit():
        n = int(up.replace(f"{ws.year}-", "").lstrip("T"))
        return next((fc for fc in items if fc.kind == "target" and fc.number == n), None)
    try:
        n = ws.task_number(ref)
    except TrackerError:
        return None
    return next((fc for fc in items if fc.kind == "task" and fc.number == n), None)


def choose(entry: dict, take: str) -> tuple[Any, str]:
    """The value `take` names: ours, theirs, other:N (a third office's), an author's name, or a literal value."""
    sides = values_of(entry)
    if take in TAKE_WORDS:
        side = entry.get(take)
        return (side or {}).get("value"), take
    if take.startswith("other:") and take[6:].isdigit():
        i = int(take[6:]) - 1
        more = entry.get("more") or []
        if not 0 <= i < len(more):
            raise _resolve_err("no_other", take=take, n=len(more))
        return more[i].get("value"), take
    by_author = [s for s in sides if s.get("author") == take]
    if len(by_author) == 1:
        return by_author[0].get("value"), f"author:{take}"
    import yaml

    try:
        value = yaml.safe_load(take) if take.strip() else ""
    except yaml.YAMLError:
        value = take
    if isinstance(value, (dict, list)) or value is None:
        value = take
    if isinstance(value, date):
        value = value.isoformat()
    return value, "value"


def resolve(ws, ref: str, choices: dict[str, str] | None = None, take_all: str | None = None, *,
            lang: str | None = None, expect: str | None = None):
    """Settle conflicts of one file: `choices` {field: take}, or `take_all` for every field.

    One commit of that file; returns tracker.store.CommitResult.  Refuses (TrackerError) when the
    result would not be a valid file, naming the field and value; nothing is written then.

    The write is a save like any other (Workspace._commit_edit): under the lock, journaled, the
    commit made from the blob of the validated bytes with the branch moved only from the commit
    the tree was built on, and a save killed half-way finished by the next tracker command.  The
    entries are read again under the lock: a field no longer in conflict there (a sync resolved
    it meanwhile) is refused, naming it, and nothing is written."""
    from .schema import check_target, check_task
    from .store import CommitResult, StaleError

    fc = find(ws, ref)
    if fc is None:
        raise _err("none_there", ref=ref)
    fields = fc.fields
    choices = dict(choices or {})
    if take_all:
        for f in fields:
            choices.setdefault(f, take_all)
    if not choices:
        if len(fields) == 1:
            raise _err("say_which", id=fc.id, field=fields[0])
        raise _err("name_one", id=fc.id, n=len(fields), fields=tuple(fields))
    for f in choices:
        if f not in fields:
            raise _err("not_in_conflict", id=fc.id, field=f, fields=tuple(fields))
    lang = lang or ws.language()
    ws.git.identity()
    path = ws.root / fc.path
    info, _ = ws.load_info()
    cats = info.categories if info else ()
    done: dict[str, list] = {}  # what mutate did, for the message

    def mutate(tree: Any) -> None:
        entries = {str(e.get("field")): e for e in tree.get("conflicts") or [] if isinstance(e, dict)}
        gone = [f for f in choices if f not in entries]
        if gone:
            raise StaleError(f"{fc.path}: {', '.join(gone)} is no longer in conflict (resolved meanwhile, e.g. by a "
                             "sync); nothing was written. tracker conflicts shows what is still open",
                             key="resolve.gone", path=fc.path, fields=gone)
        changes, how, sides_text = [], [], []
        for f, take in choices.items():
            entry = entries[f]
            value, kind = choose(_plain(entry), take)
            old = current_value(tree, f)
            _set(tree, f, value)
            changes.append(FieldChange(f, old, value))
            how.append(f"{f}={take if kind != 'value' else 'value'}")
            sides_text.append(_sides_line(f, _plain(entry), lang))
        keep = tree["conflicts"]
        for i in reversed(range(len(keep))):
            if isinstance(keep[i], dict) and str(keep[i].get("field")) in choices:
                del keep[i]
        if not keep:
            del tree["conflicts"]
        done.update(changes=changes, how=how, sides=sides_text)

    def check(data: Any, rel: str, text: str) -> list:
        if fc.kind == "task":
            probs = check_task(data, rel, text, ws.year, cats)[1]
        else:
            data = dict(data or {})
            data.pop("conflicts", None)  # tolerated here even where the schema does not list it yet
            probs = check_target(data, rel, text, ws.year)[1]
        if probs and done:  # the file as the chosen values would make it (the file as read was checked first)
            raise _resolve_err("would_be_invalid", problems=Lines(probs))
        return probs

    def compose(before: Any, after: Any) -> str:
        # the body and Tracker-Fields describe the commit's own diff (an actual's value is named as
        # diffs name it); a choice that keeps the current value still has its line (old → same)
        from .changes import diff_records

        changes = done["changes"]
        real = [c for c in diff_records(before, after) if c.field != "conflicts"]
        shown_fields = {c.field for c in real}
        body_changes = real + [ch for ch in changes if ch.old == ch.new and ch.field not in shown_fields]
        fields = list(dict.fromkeys([*commitmsg.fields_of(real), *choices]))
        subject = (f"{label('resolve', lang)} " + say("sep.comma", lang).join(
            f"{field_label(ch.field, lang)} {label('take', lang)} {commitmsg.clip(commitmsg.one_line(shown(ch.field, ch.new, lang)), 16)}"
            for ch in changes))
        trailers = {("Tracker-Task" if fc.kind == "task" else "Tracker-Target"): fc.id,
                    "Tracker-Fields": ", ".join(fields), "Tracker-Resolve": ", ".join(done["how"])}
        title = str(after.get("title") or after.get("text") or "")
        message = commitmsg.compose(fc.id, title, body_changes, lang, trailers, subject_text=subject)
        parts = message.split("\n\n")
        parts.insert(2, "\n".join(done["sides"]))  # who wanted what, for the reviewer
        return "\n\n".join(parts)

    res = ws._commit_edit(path, mutate, expect=expect, subject=lambda d: (fc.id, ""), check=check, lang=lang,
                          compose=compose)
    if res is None:  # cannot happen (an entry always goes); never claim a resolve that wrote nothing
        raise TrackerError(f"{fc.path}: resolving left the file unchanged; nothing was committed",
                           key="resolve.unchanged", path=fc.path)
    return CommitResult(sha=res.sha, message=res.message, path=res.path, changes=done["changes"])


def _plain(entry: Any) -> dict:
    return norm(entry)


def shown(field: str, v: Any, lang: str) -> str:
    """A value as the officer reads it: status labels, (empty)."""
    from .i18n import status_label

    if v is None or v == "":
        return say("sep.empty", lang)
    if (field == "status" or field.endswith(".status")) and isinstance(v, str):
        return status_label(v, lang)
    if isinstance(v, (dict, list)):
        import json

        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _sides_line(field: str, entry: dict, lang: str) -> str:
    vals = "; ".join(f"{commitmsg.clip(commitmsg.one_line(shown(field, s.get('value'), lang)), 24)} "
                     f"({commitmsg.one_line(s.get('author') or '?')} {str(s.get('date') or '')[:10]})"
                     for s in values_of(entry))
    return f"{label('sides', lang)} [{field_label(field, lang)}]: {vals}"


# -- a change made outside git (a returned ledger), merged as sync merges ----------------------
def merge_external(ws, rel: str, base_text: str, changes: dict, *, theirs_author: str,
                   trailers: dict[str, str], lang: str | None = None, expect: str | None = None):
    """Merge `changes` made to the version `base_text` of a task file (say, by a unit filling in
    a ledger exported then) into the file as it is now, as the sync merge does: base = that
    version, ours = the repository's file, theirs = base + changes.  A field both sides changed
    differently keeps ours and gets a `conflicts:` entry whose theirs side is `theirs_author`.
    One commit of that file (the message lists the fields taken and the conflicts recorded);
    returns tracker.store.CommitResult, or None when nothing would change."""
    from datetime import datetime, timezone

    from .changes import diff_records
    from .merge import Side, merge_trees
    from .schema import check_task
    from .store import CommitResult, StaleError, apply_task_changes, blob_id

    lang = lang or ws.language()
    ws.check_repo_state()
    ws.git.identity()
    path = ws.root / rel
    info, _ = ws.load_info()
    cats = info.categories if info else ()
    out = ws.git.run("log", "-1", "--format=%an%x00%aI", "--", rel, check=False).strip()
    name, _, when = out.partition("\x00")
    ours_side = Side(name or "?", when)
    theirs_side = Side(theirs_author, datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"))
    with ws.lock():
        raw = path.read_bytes()
        if expect is not None and blob_id(raw) != expect:
            raise _resolve_err("ledger_stale", StaleError, rel=rel)
        text = decode(raw, rel)
        ours = rt_load(text, rel)
        base = rt_load(base_text, rel)
        theirs = rt_load(base_text, rel)
        sid = f"{ws.year}-{int(ours.get('number')):02d}"
        apply_task_changes(theirs, changes, sid)
        result, new = merge_trees(base, ours, theirs, ours_side, theirs_side)
        new_text = rt_dump(result)
        if new_text == text:
            return None
        after = fast_load(new_text, rel)
        _, probs = check_task(after, rel, new_text, ws.year, cats)
        if probs:
            raise _resolve_err("merged_invalid", problems=Lines(probs))
        changed = [c for c in diff_records(fast_load(text, rel), after) if c.field != "conflicts"]
        title = str(after.get("title") or "")
        conflict_fields = [c["field"] for c in new]
        sep = say("sep.comma", lang)
        what = label("conflict_word", lang) + sep.join(field_label(f, lang) for f in conflict_fields)
        subject = (commitmsg.summary(changed, lang) + sep if changed else "") + what
        fields = [c.field for c in changed] + conflict_fields
        full = {"Tracker-Task": sid, "Tracker-Fields": ", ".join(dict.fromkeys(fields)),
                "Tracker-Conflicts": ", ".join(conflict_fields), **trailers}
        message = commitmsg.compose(sid, title, changed, lang, full, subject_text=subject)
        parts = message.split("\n\n")
        parts.insert(len(parts) - 1, "\n".join(_sides_line(c["field"], c, lang) for c in new))
        message = "\n\n".join(parts)
        atomic_write(path, new_text)
        try:
            sha = ws.git.commit_paths([rel], message)
        except Exception:
            atomic_write(path, text)
            raise
        return CommitResult(sha=sha, message=message, path=rel, changes=changed)
