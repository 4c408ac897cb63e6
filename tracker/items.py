"""Items of any kind (issue 13): register one (立项/交办) as a new task file, one commit.

A supervision office's year is more than the plan: 批示件, 会议议定事项, 建议提案, 专项督查 findings
arrive all year.  Each is a task file like the plan's own tasks (same fields, same lifecycle,
same commands), with three more optional keys from the field table (tracker.model.TASK_TABLE):
`kind`, `urgency` and `text`.  A plan task without them is kind `plan`, urgency `normal`.

Ids.  Every item of a year's plan, whatever its kind, takes the next number of one sequence:
`2020-61` after the plan's 60 tasks, file `plan/2020/tasks/61.yaml`.  So every command that
takes an id (`tracker set 61`, `show 2020-61`, the permissions' path rule, the TUI) takes the
new items unchanged.  A number is never reused: the next number is above every number any file
in `tasks/` ever had in the history of any branch this clone knows (`git log --all`), so an
item deleted later keeps its number, and so does an item another office created and this
clone has fetched.  Two offices creating an item at the same time, before either has synced,
pick the same number: see README "Items" for what the sync does then.

Deadlines.  When `--due` is not given, the due date is the start (交办 date, today by default)
plus the days plan.yaml `settings` give for the kind (`item_days: {instruction: 15, ...}`),
shortened by the urgency's days (`urgency_days: {urgent: 5, critical: 1}`).  DEFAULT_DAYS and
DEFAULT_URGENCY_DAYS are used for kinds and urgencies the settings do not name.

Nothing here imports Textual: the CLI (tracker/commands/items.py) and the TUI form use it.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .i18n import Words, book, say
from .itemkinds import KINDS, URGENCIES, kind_key, kind_label, urgency_key, urgency_label  # noqa: F401 - re-exported
from .model import TrackerError, task_id

#: days from start to due per kind, when plan.yaml settings `item_days` does not say (plan: the year's end)
DEFAULT_DAYS = {"instruction": 15, "meeting": 30, "proposal": 90, "inspection": 30, "other": 30}
#: an urgent item's days at most, when settings `urgency_days` does not say
DEFAULT_URGENCY_DAYS = {"urgent": 5, "critical": 1}

book("items", {
    "days_table": ("plan.yaml settings.{setting}：须把事项类型对应到天数，例如 {setting}: {{instruction: 15}}",
                   "plan.yaml settings.{setting}: must map a kind to a number of days, e.g. {setting}: {{instruction: 15}}"),
    "plan_unreadable": ("{plan}/plan.yaml 无法读取；请先修正（tracker check）", "{plan}/plan.yaml cannot be read; fix it first (tracker check)"),
    "units_cannot_add": ("{file}：无法加入 {units}；请先手工修正该文件", "{file}: cannot add {units}; fix the file by hand first"),
    "exists": ("{rel} 已存在；未写入任何内容", "{rel} already exists; nothing was written"),
    "invalid_write": ("拒绝写入无效的文件：\n  {problems}", "refusing to write an invalid file:\n  {problems}"),
    "not_edit_field": ("{field}：不是 `tracker edit` 可修改的字段（{fields}）", "{field}: not a field `tracker edit` changes ({fields})"),
    "empty_title": ("标题不能为空", "title: must not be empty"),
    "no_lead": ("必须指定牵头单位（--lead）", "lead: give the lead unit (--lead)"),
    "bad_unit": ("单位“{value}”不在计划的单位中（最接近的：{close}）；如确为新单位，用 --new-unit {value} 加入",
                 "unit: {value!r} is not a unit of the plan (closest: {close}); if it is a new unit, "
                 "add it with --new-unit {value}"),
    "due_before_start": ("完成时限 {due} 早于开始日期 {start}", "due: {due} is before the start {start}"),
    "bad_category": ("类别“{value}”不是计划的类别（plan.yaml 列出：{allowed}）",
                     "category: {value!r} is not a category of the plan (plan.yaml lists: {allowed})"),
    "created": ("新建{kind}", "new {kind}"),
    "bad_days": ("plan.yaml settings.{setting}.{name}：{value!r} 不是天数",
                 "plan.yaml settings.{setting}.{name}: {value!r} is not a number of days"),
    "due_clamped": ("注意：按默认天数，完成时限应为 {computed}，已超出 {year} 年计划的年末；完成时限定为 {due}"
                    "（如需更晚，用 --due 指定）",
                    "note: the default days give the due date {computed}, after the end of the {year} plan's year; "
                    "due {due} (give --due for a later date)"),
    "due_next_year": ("注意：完成时限 {due} 在 {year} 年计划的年末之后；事项仍属 {year} 年计划，年末可用 tracker carry-over 结转",
                      "note: due {due} is after the end of the {year} plan's year; the item stays in the {year} plan "
                      "(tracker carry-over moves unfinished items into the next year)"),
})


def _err(entry: str, **args: Any) -> TrackerError:
    """The book entry `items.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"items.{entry}", **args)


# -- deadlines ---------------------------------------------------------------------------------
def _days(settings: dict, key: str, name: str, default: int | None) -> int | None:
    table = settings.get(key) or {}
    if not isinstance(table, dict):
        raise _err("days_table", setting=key)
    v = table.get(name, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise TrackerError(f"plan.yaml settings.{key}.{name}: {v!r} is not a number of days", key="items.bad_days",
                           setting=key, name=name, value=v)
    return v


def default_due(settings: dict, year: int, kind: str, urgency: str, start: date) -> date:
    """The due date an item gets when none is given: start + the kind's days, at most the urgency's
    days; a plan task (kind plan) with no days of its own: the year's last day.  (This date may
    pass the year's end; `prepare` clamps it to the plan year's last day and says so.)"""
    end = date(year, 12, 31)
    days = _days(settings, "item_days", kind, DEFAULT_DAYS.get(kind))
    cap = _days(settings, "urgency_days", urgency, DEFAULT_URGENCY_DAYS.get(urgency))
    if cap is not None:
        days = cap if days is None else min(days, cap)
    if days is None:
        return end
    return start + timedelta(days=days)


# -- ids ---------------------------------------------------------------------------------------
_NUM = re.compile(r"(?:^|/)(\d+)\.yaml$")


def numbers_ever(ws) -> set[int]:
    """Every task number any file of this plan's tasks/ had: in the work tree, and in the history
    of every ref this clone knows (deleted items, other offices' fetched items)."""
    seen: set[int] = set()
    for p in ws.task_files():
        m = _NUM.search(p.name)
        if m:
            seen.add(int(m.group(1)))
    tasks_rel = f"{ws.plan_rel}/tasks"
    if ws.git.ok("rev-parse", "--verify", "-q", "HEAD"):
        out = ws.git.run("log", "--all", "--format=", "--name-only", "--diff-filter=A", "--no-renames", "--", tasks_rel)
        for line in out.splitlines():
            m = _NUM.search(line.strip())
            if m:
                seen.add(int(m.group(1)))
    return seen


def next_number(ws) -> int:
    return max(numbers_ever(ws), default=0) + 1


# -- units -------------------------------------------------------------------------------------
def known_units(ws, tasks) -> list[str]:
    """The plan's units: every unit its tasks name, and the canonical names of units.yaml."""
    names: dict[str, None] = {}
    for t in tasks:
        for u in t.units:
            names[u] = None
    from .units import load_aliases

    try:
        for canon in load_aliases(ws.root).full.values():  # units.yaml's own canonical names (not its aliases)
            names[canon] = None
    except TrackerError:
        pass
    return list(names)


def resolve_unit(name: str, known: list[str], aliases, new_units: tuple[str, ...]) -> str:
    """A unit as the plan names it: itself when known, its canonical name (alias table), or a
    unit given with --new-unit; else an error offering the closest names of the plan."""
    name = name.strip()
    if name in known or name in new_units:
        return name
    canon = aliases.canonical(name)
    if canon in known:
        return canon
    for k in known:  # 市发改委 also finds 市发展改革委: compare canonical forms
        if aliases.canonical(k) == canon:
            return k
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.4)
    close += [k for k in known if (name in k or k in name) and k not in close][:3]
    names = "、".join(close[:3]) or "—"
    raise TrackerError(f"unit: {name!r} is not a unit of the plan (closest: {names}); if it is a new unit, add it "
                       f"with --new-unit {name}", key="items.bad_unit", value=name, close=names)


# -- the new item ------------------------------------------------------------------------------
@dataclass
class NewItem:
    kind: str
    title: str
    leads: tuple[str, ...]
    units: tuple[str, ...] = ()          # co-units (协办)
    due: date | None = None
    start: date | None = None
    leader: str = ""
    ref: str = ""
    urgency: str = "normal"
    text: str = ""
    category: str = ""
    new_units: tuple[str, ...] = ()


def prepare(ws, item: NewItem, *, today: date | None = None, notes: list | None = None) -> dict[str, Any]:
    """Check a new item against the plan and fill in the defaults: the file's values, or a
    TrackerError naming the field and value (nothing is written).

    The start defaults to today, kept within the plan's year (an item registered in a 2020 plan
    after 2020 starts on 2020-12-31).  A default due date never leaves the plan's year: when the
    kind's days would pass December 31st, the due date is December 31st (an office tracks a
    year's plan within that year; what is open at its end is carried over).  A --due after the
    year's end is the office's explicit choice and is kept.  Either way a note is appended to
    `notes` as (label key, args) for the caller to show."""
    info, probs = ws.load_info()
    if info is None:
        raise _err("plan_unreadable", plan=ws.plan_rel)
    kind = kind_key(item.kind)
    urgency = urgency_key(item.urgency or "normal")
    title = (item.title or "").strip()
    if not title:
        raise TrackerError("title: must not be empty", key="items.empty_title")
    if not [u for u in item.leads if u.strip()]:
        raise TrackerError("lead: give the lead unit (--lead)", key="items.no_lead")
    if item.category and info.categories and item.category not in info.categories:
        allowed = "、".join(info.categories)
        raise TrackerError(f"category: {item.category!r} is not a category of the plan (plan.yaml lists: {allowed})",
                           key="items.bad_category", value=item.category, allowed=allowed)
    data = ws.load()
    from .units import load_aliases

    aliases = load_aliases(ws.root)
    known = known_units(ws, data.tasks)
    new_units = tuple(u.strip() for u in item.new_units if u.strip())
    leads = tuple(dict.fromkeys(resolve_unit(u, known, aliases, new_units) for u in item.leads if u.strip()))
    co = tuple(u for u in dict.fromkeys(resolve_unit(u, known, aliases, new_units) for u in item.units if u.strip())
               if u not in leads)
    today = today or date.today()
    start = item.start or min(max(today, date(ws.year, 1, 1)), date(ws.year, 12, 31))  # 交办: today, in the plan's year
    due = item.due or default_due(info.settings, ws.year, kind, urgency, start)
    end = date(ws.year, 12, 31)
    if due > end and item.due is None:
        (notes if notes is not None else []).append(("items.due_clamped", dict(computed=due.isoformat(),
                                                                               year=ws.year, due=end.isoformat())))
        due = end
    elif due > end:
        (notes if notes is not None else []).append(("items.due_next_year", dict(due=due.isoformat(), year=ws.year)))
    if due < start:
        raise TrackerError(f"due: {due.isoformat()} is before the start {start.isoformat()}",
                           key="items.due_before_start", due=due.isoformat(), start=start.isoformat())
    return dict(number=0, kind=kind, title=title, text=(item.text or "").strip(), category=item.category,
                ref=item.ref.strip(), units=[*leads, *co], leads=list(leads), leader=item.leader.strip(),
                urgency=urgency, status="not_started", progress=0, start=start, due=due, note="", problems="",
                next_steps="", measures=[], new_units=[u for u in [*leads, *co] if u not in known])


# -- the plan's unit list: units.yaml ------------------------------------------------------------
UNITS_FILE = "units.yaml"

book("items", {
    "unit_added": ("新增单位：{units}（加入 units.yaml）", "new unit: {units} (added to units.yaml)"),
})


def units_text(ws, new_units: list[str]) -> tuple[str | None, str]:
    """units.yaml (the plan's unit list and aliases, tracker/units.py) with `new_units` added as
    canonical names without aliases, at its end: (old text or None, new text).  Comments and the
    rest of the file are kept byte for byte; the result is checked to load."""
    from .units import STARTER_UNITS_YAML, load_aliases

    path = ws.root / UNITS_FILE
    old = path.read_text("utf-8") if path.exists() else None
    base = old if old is not None else STARTER_UNITS_YAML.format("").rstrip("\n") + "\n"
    if base and not base.endswith("\n"):
        base += "\n"
    if base.strip() == "{}":
        base = ""
    lines = "".join('"' + u.replace("\\", "\\\\").replace('"', '\\"') + '": []\n' for u in new_units)
    text = base + lines
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="tracker-units-") as d:  # the new table must load, with the units in it
        Path(d, UNITS_FILE).write_text(text, "utf-8")
        got = load_aliases(d).full
        if any(got.get(u) != u for u in new_units):
            raise _err("units_cannot_add", file=UNITS_FILE, units=list(new_units))
    return old, text


def _file_values(values: dict[str, Any]) -> dict[str, Any]:
    """What the file says: kind/urgency only when they are not the plan task's defaults, leads only
    when more than the first unit leads (as the plan's importer writes them)."""
    out = dict(values)
    if out["urgency"] == "normal":
        out.pop("urgency")
    if len(out["leads"]) <= 1:
        out.pop("leads")
    return out


def create(ws, item: NewItem, *, today: date | None = None, lang: str | None = None, notes: list | None = None):
    """Register `item`: one new file `tasks/<n>.yaml`, one commit (the save path's lock, journal
    and commit of the validated blob).  Returns the CommitResult; its `path` names the file.
    `notes` gets what `prepare` has to say about the due date (label key, args)."""
    from . import commitmsg
    from .changes import diff_records
    from .planfiles import task_map
    from .schema import check_task
    from .store_save import CommitResult, fault, git_failure
    from .gitstore import GitError
    from .store_load import blob_id
    from .yamlio import atomic_write, fast_load, rt_dump

    values = prepare(ws, item, today=today, notes=notes)
    added = values.pop("new_units")  # --new-unit names no item or units.yaml had: units.yaml gets them, same commit
    info, _ = ws.load_info()
    lang = lang or (info.language if info else "zh")
    ws.check_repo_state()
    with ws.lock():
        fault("locked")
        number = next_number(ws)  # under the lock: two saves in this clone never pick the same number
        values["number"] = number
        tid = task_id(ws.year, number)
        rel = f"{ws.plan_rel}/tasks/{number:02d}.yaml"
        path = ws.root / rel
        if path.exists() or os.path.lexists(path):
            raise _err("exists", rel=rel)
        text = rt_dump(task_map(_file_values(values), always=("kind",)))
        after = fast_load(text, rel)
        _, probs = check_task(after, rel, text, ws.year, info.categories if info else ())
        if probs:  # a bug here, never the user's: refuse rather than write a bad file
            raise _err("invalid_write", problems="\n  ".join(map(str, probs)))
        changes = [c for c in diff_records(None, after) if c.field != "number" and c.new not in (None, "", [])]
        label = kind_label(values["kind"], lang)
        message = commitmsg.compose(tid, values["title"], changes, lang,
                                    {"Tracker-Task": tid, "Tracker-New": values["kind"],
                                     "Tracker-Fields": ", ".join(commitmsg.fields_of(changes)),
                                     "Tracker-New-Unit": ", ".join(added)},
                                    subject_text=say("items.created", lang, kind=label))
        also: tuple[tuple[str, str], ...] = ()
        units_old = None
        if added:
            units_old, units_new = units_text(ws, added)
            head, _, tail = message.rpartition("\n\n")  # the body says it too, before the trailers
            message = f"{head}\n{say('items.unit_added', lang, units=say('msg.list_sep', lang).join(added))}\n\n{tail}"
            ublob = ws.git.run("hash-object", "-w", "--no-filters", "--stdin", input=units_new.encode("utf-8")).strip()
            also = ((UNITS_FILE, ublob),)
        new_bytes = text.encode("utf-8")
        blob = ws.git.run("hash-object", "-w", "--no-filters", "--stdin", input=new_bytes).strip()
        import json

        atomic_write(ws._journal(), json.dumps({"path": rel, "message": message, "old": None,
                                                "new": blob_id(new_bytes)}, ensure_ascii=False), durable=False)
        fault("journal")
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text, fault_step="tmp", sync_dir=False)
        fault("written")
        if also:
            atomic_write(ws.root / UNITS_FILE, units_new, sync_dir=False)
        try:
            sha = ws.git.commit_blob(rel, blob, message, also=also)
        except GitError as exc:
            if path.exists() and path.read_bytes() == new_bytes:
                path.unlink()  # nothing half-done: no file without its commit
            if also:  # units.yaml as it was
                if units_old is None:
                    (ws.root / UNITS_FILE).unlink(missing_ok=True)
                else:
                    atomic_write(ws.root / UNITS_FILE, units_old, sync_dir=False)
            ws._journal().unlink(missing_ok=True)
            raise git_failure(exc) from exc
        fault("committed")
        ws._journal().unlink(missing_ok=True)
        return CommitResult(sha=sha, message=message, path=rel, changes=changes)


# -- changing the plan itself, audited: one commit, what changed and why ---------------------------
#: fields `tracker edit` changes (the due date only as an extension, 延期: `extend_due`)
PLAN_FIELDS = ("title", "text", "leader", "ref", "category", "urgency", "kind")

book("items", {
    "no_reason": ("修改计划须说明理由（--reason）", "reason: say why the plan changes (--reason)"),
    "no_edit": ("没有要修改的内容", "nothing to change: give at least one of --title --text --leader --ref "
                                     "--category --urgency --kind --lead --unit"),
    "no_measure": ("{id} 没有措施 {k}（现有：{have}）", "{id} has no measure {k} (it has: {have})"),
    "empty_measure": ("措施内容不能为空", "measure text: must not be empty"),
    "due_reason": ("完成时限：修改完成时限即延期，须说明理由：tracker {cmd} {id} --due {due} --reason 理由"
                   "（或 tracker extend {id} --due {due} --reason 理由）；未作修改",
                   "due: changing the due date is an extension (延期) and needs a reason: tracker {cmd} {id} "
                   "--due {due} --reason TEXT (or tracker extend {id} --due {due} --reason TEXT); nothing was written"),
    "due_alone": ("完成时限：延期单独提交（一次提交一项）：请先只用 --due {due} --reason 理由，再修改其他字段；未作修改",
                  "due: an extension is a commit of its own: give --due {due} --reason TEXT alone, then the other "
                  "fields; nothing was written"),
    "reason_no_due": ("--reason 只与 --due 同用（延期的理由）；其他字段无需理由",
                      "--reason goes with --due (the reason of an extension); the other fields take none"),
})


def extend_due(ws, number: int, due: date, reason: str | None, *, cmd: str = "edit"):
    """A change of the plan's due date: always an extension (延期), the one path for a due change
    (`tracker edit --due`, `tracker set --due`, `tracker extend`): the reason is required, and the
    old and new dates and the reason are kept in the file's `extensions:` and the commit
    (tracker.lifecycle.take_step("extend")).  No reason: a TrackerError naming the field, nothing
    written."""
    from .lifecycle import take_step

    tid = task_id(ws.year, number)
    if not " ".join((reason or "").split()):
        raise TrackerError(say("items.due_reason", "en", cmd=cmd, id=tid, due=due.isoformat()), key="items.due_reason",
                           cmd=cmd, id=tid, due=due.isoformat())
    return take_step(ws, number, "extend", reason=reason or "", due=due)


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise TrackerError("reason: say why the plan changes (--reason)", key="items.no_reason")
    return reason


def _plan_edit(ws, number: int, mutate, reason: str, *, lang: str | None = None):
    from .schema import check_task

    tid = task_id(ws.year, number)
    info, _ = ws.load_info()
    cats = info.categories if info else ()
    return ws._commit_edit(ws.task_path(number), mutate, expect=None,
                           subject=lambda d: (tid, str(d.get("title", ""))),
                           check=lambda data, rel, text: check_task(data, rel, text, ws.year, cats)[1],
                           trailers={"Tracker-Reason": reason, "Tracker-Plan-Change": "edit"}, lang=lang)


def edit_item(ws, number: int, values: dict[str, Any], reason: str, *, leads: tuple[str, ...] = (),
              units: tuple[str, ...] | None = None, new_units: tuple[str, ...] = (), lang: str | None = None):
    """Change the plan's own words of an item (title, text, leader, ref, category, kind, urgency,
    lead and co-units): one commit whose trailers carry the reason (`Tracker-Reason`).  None when
    nothing changes.  Bad values: a TrackerError naming the field, nothing written."""
    reason = _reason(reason)
    clean: dict[str, Any] = {}
    for k, v in values.items():
        if v is None:
            continue
        if k not in PLAN_FIELDS:
            raise _err("not_edit_field", field=k, fields=tuple(PLAN_FIELDS))
        v = v.strip() if isinstance(v, str) else v
        if k == "title" and not v:
            raise TrackerError("title: must not be empty", key="items.empty_title")
        if k == "kind":
            v = kind_key(v)
        if k == "urgency":
            v = urgency_key(v)
        clean[k] = v
    data = ws.load()
    if "category" in clean and clean["category"]:
        info, _ = ws.load_info()
        if info and info.categories and clean["category"] not in info.categories:
            allowed = "、".join(info.categories)
            raise TrackerError(f"category: {clean['category']!r} is not a category of the plan (plan.yaml lists: "
                               f"{allowed})", key="items.bad_category", value=clean["category"], allowed=allowed)
    new_leads = new_co = None
    if leads or units is not None:
        from .units import load_aliases

        aliases = load_aliases(ws.root)
        known = known_units(ws, data.tasks)
        nu = tuple(u.strip() for u in new_units if u.strip())
        task = data.task(number)
        cur_leads = task.lead_units if task else ()
        new_leads = tuple(dict.fromkeys(resolve_unit(u, known, aliases, nu) for u in leads if u.strip())) or cur_leads
        co_src = units if units is not None else tuple(u for u in (task.units if task else ()) if u not in cur_leads)
        new_co = tuple(u for u in dict.fromkeys(resolve_unit(u, known, aliases, nu) for u in co_src if u.strip())
                       if u not in new_leads)
    if not clean and new_leads is None:
        raise TrackerError("nothing to change: give at least one of --title --text --leader --ref --category "
                           "--urgency --kind --lead --unit", key="items.no_edit")

    def mutate(tree) -> None:
        from .yamlio import text_scalar

        for k, v in clean.items():
            if k in tree or v not in ("", "plan", "normal"):
                tree[k] = text_scalar(v) if isinstance(v, str) and k not in ("kind", "urgency") else v
        if new_leads is not None:
            tree["units"] = [*new_leads, *new_co]
            if len(new_leads) > 1 or "leads" in tree:
                tree["leads"] = list(new_leads)

    return _plan_edit(ws, number, mutate, reason, lang=lang)


def add_measure(ws, number: int, text: str, reason: str, *, due: date | None = None, lang: str | None = None):
    """A new measure (措施) at the end, not started: one commit with the reason."""
    reason = _reason(reason)
    text = (text or "").strip()
    if not text:
        raise TrackerError("measure text: must not be empty", key="items.empty_measure")

    def mutate(tree) -> None:
        from ruamel.yaml.comments import CommentedMap

        ms = tree.get("measures")
        if ms is None:
            ms = tree["measures"] = []
        k = max((int(m.get("number", 0)) for m in ms), default=0) + 1
        m = CommentedMap([("number", k), ("text", text), ("status", "not_started")])
        if due is not None:
            m["due"] = due
        ms.append(m)

    return _plan_edit(ws, number, mutate, reason, lang=lang)


def remove_measure(ws, number: int, k: int, reason: str, *, lang: str | None = None):
    """Remove measure K (later measures keep their numbers): one commit with the reason."""
    reason = _reason(reason)

    def mutate(tree) -> None:
        ms = tree.get("measures") or []
        for i, m in enumerate(ms):
            if int(m.get("number", 0)) == k:
                del ms[i]
                return
        raise TrackerError.keyed("items.no_measure", id=task_id(ws.year, number), k=k,
                                 have=Words([str(m.get("number")) for m in ms], none="word.dash"))

    return _plan_edit(ws, number, mutate, reason, lang=lang)
