"""Numbers a supervision office reports: unit ranking, reminders (催办), burn-up, changes.

Everything is computed from the plan files and their git history; there is no second store.
Every function takes the day it is computed for (`on`) explicitly, so the same code serves
today's board and any past one (see tracker.asof).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping

from . import schedule
from .changes import FieldChange, diff_records, plain
from .i18n import LANGS, book, say
from .model import CHANGE_ORDER, STATUSES, TASK_STATUSES, Task, TrackerError
from .schedule import LIGHTS, Thresholds

# -- thresholds -------------------------------------------------------------------------------


def thresholds(data) -> Thresholds:
    """The plan's schedule settings (defaults when plan.yaml cannot be read)."""
    info = getattr(data, "info", None)
    if info is None:
        year = data.tasks[0].year if getattr(data, "tasks", None) else date.today().year
        return Thresholds.from_settings({}, year)
    return Thresholds.from_settings(info.settings, info.year)


def lights(data, on: date) -> dict[int, str]:
    """task number -> light on `on`."""
    th = thresholds(data)
    return {t.number: schedule.light(t, th, on) for t in data.tasks}


def change_day(lc: Any) -> date | None:
    """The local date of a LastChange / Touch (its ISO `date` on the author's clock)."""
    if lc is None:
        return None
    d = getattr(lc, "date", None)
    if isinstance(d, date):
        return d
    try:
        return date.fromisoformat(str(d)[:10])
    except ValueError:
        return None


# -- unit ranking -----------------------------------------------------------------------------


@dataclass
class UnitRank:
    unit: str
    led: int = 0
    done: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    blue: int = 0
    overdue: int = 0
    rate: float = 0.0  # done / led, 0..1 (only tasks the unit leads: 配合 units are not counted)
    last_update: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "led": self.led, "done": self.done, "green": self.green,
                "yellow": self.yellow, "red": self.red, "blue": self.blue, "overdue": self.overdue,
                "rate": round(self.rate, 4),
                "last_update": self.last_update.isoformat() if self.last_update else None}


#: sort keys for the ranking (CLI --sort, TUI column sort)
RANK_KEYS = ("rate", "led", "done", "red", "yellow", "overdue", "last_update", "unit")


#: the analytics' own words: the ranking rule (said in the bulletin under the ranking table) and the
#: notes on commits with a wrong clock
WORDS = book("analytics", {
    "rank_rule": ("排名规则：按完成率（已完成项数 ÷ 牵头项数）从高到低；完成率相同的，红灯任务占比低者在前；"
                  "再相同的，逾期任务占比低者在前；仍相同的并列。只计牵头任务。未更新过的单位，最近更新记为“—”。",
                  "Ranking rule: completion rate (done ÷ led), highest first; ties go to the lower share of red tasks, "
                  "then the lower share of overdue tasks; units still equal share a rank. Only led tasks count. "
                  "A unit that never updated shows — as its last update."),
    "clock_future": ("提交 {sha}（{author}）提交时间在未来（{day}，时钟有误），按 {eff} 计入。",
                     "Commit {sha} by {author} is dated in the future ({day}, a wrong clock); it is counted from {eff}."),
    "clock_before_parent": ("提交 {sha}（{author}）提交时间早于其前一提交（{day}，时钟有误），按 {eff} 计入。",
                            "Commit {sha} by {author} is dated before the commit it follows ({day}, a wrong clock); "
                            "it is counted from {eff}."),
})
RANK_RULE = {lang: say("analytics.rank_rule", lang) for lang in LANGS}


def unit_sort_key(name: str) -> tuple:
    """Units in pinyin order (安监局 before 财政局 before 住建局), not code-point order."""
    try:
        from pypinyin import Style, lazy_pinyin

        return (tuple(lazy_pinyin(name, style=Style.TONE3, errors="default")), name)
    except ImportError:  # pypinyin is a dependency; keep sorting if it is broken
        return ((name,), name)


def creation_commits(ws) -> frozenset[str]:
    """Commits that added task files (the plan's import, a task added later): the plan's own
    creation is not an update by its lead unit.  A query on the history index (tracker.touchindex)."""
    from . import touchindex

    try:
        return touchindex.created(ws, f"{ws.plan_rel}/tasks")
    except Exception:  # noqa: BLE001 - no history: nothing to leave out
        return frozenset()


def plan_aliases(data, aliases=None):
    """`aliases` when given, else the alias table of the repository `data` was loaded from
    (PlanData.root: its units.yaml over the built-in table; read again only when the file
    changes), else the built-in table.  A malformed units.yaml is reported by the commands that
    read it directly; here it falls back to the built-in table."""
    if aliases is not None:
        return aliases
    from .units import Aliases, load_aliases

    root = getattr(data, "root", None)
    if root is None:
        return Aliases()
    from pathlib import Path

    path = Path(root) / "units.yaml"
    try:
        st = path.stat()
        stamp = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return Aliases()
    hit = _ALIAS_CACHE.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        table = load_aliases(root)
    except TrackerError:
        table = Aliases()
    _ALIAS_CACHE[str(path)] = (stamp, table)
    return table


_ALIAS_CACHE: dict[str, tuple] = {}


def unit_names(tasks, aliases=None) -> dict[str, str]:
    """written unit name -> the one name the unit is counted and shown under.

    Spellings that the alias table (`aliases`: tracker.units.load_aliases(root), default the
    built-in table) resolves to one canonical name are one unit: 市发改委 in one task file and
    市发展改革委 in another count together.  The unit is shown under the canonical name of the
    repository's units.yaml when it names one, else under the spelling the plan uses most
    (the first seen on a tie), so a plan that writes each unit one way shows exactly its own
    names."""
    from .units import Aliases

    aliases = aliases if aliases is not None else Aliases()
    own = set(aliases.full.values())
    count: dict[str, int] = {}
    for t in tasks:
        for u in dict.fromkeys((*t.units, *getattr(t, "leads", ()))):
            count[u] = count.get(u, 0) + 1
    groups: dict[str, list[str]] = {}
    for u in count:  # first-seen order
        groups.setdefault(aliases.canonical(u), []).append(u)
    out: dict[str, str] = {}
    for key, spellings in groups.items():
        shown = key if key in own else max(spellings, key=lambda u: count[u])  # max keeps the first on a tie
        for u in spellings:
            out[u] = shown
    return out


def unit_ranking(data, on: date, last_changes: Mapping[str, Any] | None = None,
                 sort: str = "rate", *, created: frozenset[str] | set[str] = frozenset(),
                 aliases=None) -> list[UnitRank]:
    """One row per lead unit (the first unit listed on a task), best first.

    Default order (RANK_RULE): completion rate (desc), then a lower share of red, a lower share
    of overdue (rates, not counts: a unit leading ten tasks is not behind one leading one),
    then more led, then the name in pinyin.  `last_changes` (path -> LastChange, e.g.
    tracker.lastchange.last_changes(ws) or tracker.asof.last_changes_as_of(ws, on)) gives the
    date of each unit's latest update; changes dated after `on` and the commits in `created`
    (creation_commits: the plan's own creation) are not updates.  Two spellings of one unit
    are one row (unit_names; `aliases` default: plan_aliases, the repository's units.yaml)."""
    th = thresholds(data)
    names = unit_names(data.tasks, plan_aliases(data, aliases))
    rows: dict[str, UnitRank] = {}
    for t in data.tasks:
        if not t.lead or t.status == "cancelled":  # 已撤销: out of the ranking (tracker/cycle.py)
            continue
        lead = names.get(t.lead, t.lead)
        r = rows.get(lead)
        if r is None:
            r = rows[lead] = UnitRank(unit=lead)
        r.led += 1
        lt = schedule.light(t, th, on)
        if lt == "done":
            r.done += 1
        else:
            setattr(r, lt, getattr(r, lt) + 1)
        if schedule.overdue(t, on):
            r.overdue += 1
        if last_changes:
            lc = last_changes.get(t.path)
            d = change_day(lc) if getattr(lc, "sha", None) not in created else None
            if d is not None and d <= on and (r.last_update is None or d > r.last_update):
                r.last_update = d
    for r in rows.values():
        r.rate = r.done / r.led if r.led else 0.0
    return sort_ranking(list(rows.values()), sort)


def sort_ranking(rows: list[UnitRank], key: str = "rate") -> list[UnitRank]:
    if key not in RANK_KEYS:
        raise ValueError(f"unknown ranking key {key!r}; one of {', '.join(RANK_KEYS)}")
    base = sorted(rows, key=lambda r: (*_standing(r, negate=True), -r.led, unit_sort_key(r.unit)))
    if key == "rate":
        return base
    if key == "unit":
        return sorted(base, key=lambda r: unit_sort_key(r.unit))
    if key == "last_update":  # the longest silent first: those are the ones to chase
        return sorted(base, key=lambda r: r.last_update or date.min)
    return sorted(base, key=lambda r: -getattr(r, key))


def _standing(r: UnitRank, negate: bool = False) -> tuple:
    """(completion rate, share of red, share of overdue).  Equal fractions are equal floats
    (division is correctly rounded: 1/2 == 2/4), so ties are exact."""
    led = r.led or 1
    return (-r.rate if negate else r.rate, r.red / led, r.overdue / led)


def ranks(rows: list[UnitRank], key: str = "rate") -> list[int]:
    """Competition ranks (1, 1, 3, ...) for rows already sorted by `key`: equal standing, equal rank.

    For the default order, standing is (completion rate, share of red, share of overdue)."""
    def standing(r: UnitRank):
        if key == "rate":
            return _standing(r)
        if key == "unit":
            return r.unit
        return getattr(r, key)

    out: list[int] = []
    for i, r in enumerate(rows):
        out.append(out[-1] if i and standing(r) == standing(rows[i - 1]) else i + 1)
    return out


# -- reminders (催办) --------------------------------------------------------------------------


RL = book("remind", {
    "overdue": ("逾期{n}天", "{n} days overdue"),
    "red": ("红灯：落后序时进度{n}个百分点", "red: {n} points behind schedule"),
    "unacked": ("交办{n}天未签收", "not acknowledged {n} days after assignment"),
    "milestone": ("措施{m}节点已过{n}天", "measure {m} milestone passed {n} days ago"),
    "stale": ("{n}天未报送进展", "no report for {n} days"),
    "due_soon": ("{n}天后到期", "due in {n} days"),
    "due_today": ("今天到期", "due today"),
    "review": ("申请办结，待审核", "applied for closure, awaiting review"),
    "review_head": ("待审核的办结申请（{n}）：", "Applications for closure awaiting review ({n}):"),
    "bad_ack_days": ("plan.yaml：settings.ack_days：{value} 不是整天数（默认 5）",
                     "plan.yaml: settings.ack_days: {value} is not a whole number of days (default 5)"),
})


def reason_text(r: "Reminder", lang: str | None = "zh") -> str:
    """What a reminder says, in the user's language (逾期3天 / 措施2节点已过5天 ...)."""
    if r.reason == "due_soon" and r.days == 0:
        return say("remind.due_today", lang)
    return say(f"remind.{r.reason}", lang, n=r.days, m=r.measure)


#: every reason a unit is chased for, in the order a 催办单 lists them (most serious first)
REASONS = ("overdue", "red", "unacked", "milestone", "stale", "due_soon")


@dataclass(frozen=True)
class Reminder:
    task: Task
    reason: str  # one of REASONS
    days: int  # overdue: days past due; stale: days since the last update; due_soon: days left;
    #            unacked: days since 交办; milestone: days past the measure's due; red: points behind 序时进度
    measure: int | None = None  # milestone: the measure's number

    def as_json(self) -> dict[str, Any]:
        out = {"id": self.task.id, "title": self.task.title, "lead": self.task.lead,
               "reason": self.reason, "days": self.days, "due": self.task.due.isoformat(),
               "status": self.task.status, "progress": self.task.progress}
        if self.measure is not None:
            out["measure"] = self.measure
        return out


def _finished(status: str) -> bool:
    """Nothing to chase the unit about: done (申请办结, the office's turn), closed or cancelled."""
    return status in ("done", "closed", "cancelled")


def assigned_day(task: Task, th: Thresholds) -> date:
    """交办: the day the item was assigned: its `start`, else the plan's start."""
    return schedule.task_start(task, th)


def reminders(data, on: date, last_changes: Mapping[str, Any] | None = None,
              aliases=None) -> dict[str, list[Reminder]]:
    """lead unit -> what to chase it about, units with the most reminders first.

    overdue: not done and past its due date (days past due).  red: a red light that is not (yet)
    overdue (points behind 序时进度).  unacked: still 已交办 (`not_started`, nobody 签收) more than
    settings.ack_days (default 5) after 交办 (the item's `start`, else the plan's start).
    milestone: a measure with its own due date that has passed while the measure is not done
    (one per measure).  stale: no commit has touched its file for longer than the reporting cycle
    (settings.reporting_cycle_days, default 30; days since the last update; only with
    `last_changes`).  due_soon: due within settings.due_soon_days (default 7; days left).
    Items applied for closure (申请办结), closed or cancelled are not chased: see awaiting_review.
    A task can have several reasons.  Two spellings of one lead unit are one group (unit_names)."""
    th = thresholds(data)
    ack_days = _ack_days(data)
    names = unit_names(data.tasks, plan_aliases(data, aliases))
    out: dict[str, list[Reminder]] = {}
    for t in data.tasks:
        if _finished(t.status):
            continue
        items = []
        if schedule.overdue(t, on):
            items.append(Reminder(t, "overdue", (on - t.due).days))
        else:
            behind = schedule.expected_progress(t, th, on) - t.progress
            if schedule.light(t, th, on) == "red":
                items.append(Reminder(t, "red", behind))
            elif 0 <= (t.due - on).days <= th.due_soon_days:
                items.append(Reminder(t, "due_soon", (t.due - on).days))
        given = assigned_day(t, th)
        if t.status == "not_started" and not getattr(t, "acked", None) and (on - given).days > ack_days:
            items.append(Reminder(t, "unacked", (on - given).days))
        for m in t.measures:
            if m.due is not None and m.due < on and m.status not in ("done", "closed", "cancelled"):
                items.append(Reminder(t, "milestone", (on - m.due).days, measure=m.number))
        if last_changes is not None:
            d = change_day(last_changes.get(t.path))
            if d is not None and d <= on and (on - d).days > th.reporting_cycle_days:
                items.append(Reminder(t, "stale", (on - d).days))
        if items:
            out.setdefault(names.get(t.lead, t.lead) or "?", []).extend(items)
    for unit in out:
        out[unit].sort(key=lambda r: (REASONS.index(r.reason), -r.days, r.task.number, r.measure or 0))
    return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _ack_days(data) -> int:
    """settings.ack_days: days a unit has to 签收 an item after 交办 (default 5)."""
    info = getattr(data, "info", None)
    v = (getattr(info, "settings", None) or {}).get("ack_days", 5) if info is not None else 5
    if v is None:
        return 5
    if isinstance(v, bool) or not str(v).strip().isdigit():
        raise TrackerError(f"plan.yaml: settings.ack_days: {v!r} is not a whole number of days (default 5)",
                           key="remind.bad_ack_days", value=repr(v))
    return int(str(v).strip())


def awaiting_review(data) -> list[Task]:
    """Items applied for closure (申请办结: status `done` without `closed`), waiting for the
    office's review (销号 or 退回), oldest application first (`finished`, else the due date)."""
    rows = [t for t in data.tasks if t.status == "done" and not getattr(t, "closed", None)]
    return sorted(rows, key=lambda t: (getattr(t, "finished", None) or t.due, t.number))


# -- burn-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnupPoint:
    day: date
    done: int
    by_light: dict[str, int]
    total: int

    def as_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "done": self.done, "total": self.total, "by_light": dict(self.by_light)}


_TOP = {k: re.compile(rf"^{k}:[ \t]*(.*?)[ \t]*(?:#.*)?$", re.M) for k in ("status", "progress", "due")}


def _scalar(text: str, key: str) -> str | None:
    found = _TOP[key].findall(text)
    if not found:
        return None
    v = found[-1]
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1]
    return v


@dataclass(frozen=True)
class _Mini:
    status: str
    progress: int
    due: date


def _mini(raw: bytes, path: str) -> _Mini | None:
    """status, progress and due of a task file: three top-level scalars, read without parsing
    the whole file (a burn-up over 50,000 commits reads many versions); anything unusual falls
    back on the YAML loader.  None for a version that cannot be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    s, p, d = _scalar(text, "status"), _scalar(text, "progress"), _scalar(text, "due")
    try:
        if s in TASK_STATUSES and p is not None and d is not None:
            return _Mini(s, int(p), date.fromisoformat(d))
    except ValueError:
        pass
    from .yamlio import YamlError, fast_load

    try:
        doc = fast_load(text, path)
    except YamlError:
        return None
    if not isinstance(doc, dict):
        return None
    s, p, d = doc.get("status"), doc.get("progress"), doc.get("due")
    if s not in TASK_STATUSES or isinstance(p, bool) or not isinstance(p, int) or not isinstance(d, date):
        return None
    return _Mini(s, p, d)


class _MiniTask:
    """Enough of a Task for schedule.light()."""

    __slots__ = ("status", "progress", "due")

    def __init__(self, m: _Mini):
        self.status, self.progress, self.due = m.status, m.progress, m.due


def step_days(start: date, end: date, step: int = 7) -> list[date]:
    if end < start:
        return [start]
    days = []
    d = start
    while d < end:
        days.append(d)
        d += timedelta(days=step)
    days.append(end)
    return days


def commits_on(ws, days: list[date], rev: str = "HEAD") -> dict[date, str | None]:
    """For each day, the commit tracker.asof.commit_at picks (the one as-of rule), from one
    first-parent `git log` without diffs."""
    from .asof import first_parent_line, index_at

    if ws.git.head_fast() is None:
        return {d: None for d in days}
    line = first_parent_line(ws, rev)
    result: dict[date, str | None] = {}
    for d in sorted(set(days)):
        n = index_at(ws, line, d)
        result[d] = line.shas[n - 1] if n else None
    return result


def burnup(ws, start: date, end: date, step_days: int = 7, *, th: Thresholds | None = None) -> list[BurnupPoint]:
    """Tasks done, and tasks per light, at the end of each step from `start` to `end` (both
    included).  Each point is the board as tracker.asof.load_as_of would show it that day: the
    commit is found in one first-parent `git log` (no diffs), its task files listed (replayed
    from the history index when one is there for HEAD, tracker.touchindex.states; else one `git
    ls-tree` a point), and each distinct version read once (three top-level fields, see _mini,
    kept by blob id in tracker.cache.BlobStore, so a repeated burn-up reads no file).  No walk
    of every commit's changes is started for it, so the cost grows with the number of points and
    files, not with the length of the history.  Unreadable versions are left out of that day's
    counts."""
    if th is None:
        info, _ = ws.load_info()
        th = Thresholds.from_settings(info.settings if info else {}, info.year if info else ws.year)
    days = _steps(start, end, step_days)
    at = commits_on(ws, days)
    prefix = ws.plan_rel + "/tasks/"
    trees = _burnup_trees(ws, at, prefix)
    parsed = _minis(ws, {b for blobs in trees.values() for b in blobs})
    out: list[BurnupPoint] = []
    for day in days:
        sha = at[day]
        counts = {k: 0 for k in LIGHTS}
        total = 0
        if sha is not None:
            lit: dict[int, str] = {}  # the light of each distinct (status, progress, due) this day (_minis: one object each)
            for b in trees[sha]:
                m = parsed.get(b)
                if m is None or m.status == "cancelled":  # a cancelled item leaves the counts
                    continue
                total += 1
                k = lit.get(id(m))
                if k is None:
                    k = lit[id(m)] = schedule.light(_MiniTask(m), th, day)  # type: ignore[arg-type]
                counts[k] += 1
        out.append(BurnupPoint(day=day, done=counts["done"], by_light=counts, total=total))
    return out


def _burnup_trees(ws, at: dict[date, str | None], prefix: str, *, use_index: bool = True) -> dict[str, list[str]]:
    """commit -> the blob ids of the task files (`*.yaml`, not hidden, not symbolic links) under
    `prefix` at that commit, for every commit of `at`."""
    from . import touchindex
    from .asof import first_parent_line

    shas = list(dict.fromkeys(s for s in at.values() if s is not None))
    trees: dict[str, list[str]] = {}
    if not shas:
        return trees

    def wanted(path: str) -> bool:
        return path.endswith(".yaml") and not path.rsplit("/", 1)[-1].startswith(".")

    if use_index:
        line = first_parent_line(ws)
        if all(s in line.pos for s in shas):
            states = touchindex.states(ws, [line.shas[:line.pos[s] + 1] for s in shas], prefix)
            if states is not None:
                # a symbolic link's blob is a path, which _mini reads as no task: counted as ls-tree's
                # listing (which leaves links out) would count it
                for s, state in zip(shas, states):
                    trees[s] = [b for p, b in state.items() if wanted(p)]
                return trees
    for sha in shas:
        listing = ws.git.run("ls-tree", "-r", "-z", "--full-tree", sha, "--", prefix)
        blobs_here = []
        for rec in listing.split("\0"):
            meta, _, path = rec.partition("\t")
            if wanted(path):
                parts = meta.split()
                if len(parts) == 3 and parts[1] == "blob" and parts[0] != "120000":
                    blobs_here.append(parts[2])
        trees[sha] = blobs_here
    return trees


def _minis(ws, blobs: set[str]) -> dict[str, _Mini | None]:
    """blob id -> _mini of that version: from the blob store (tracker.cache.BlobStore) when read
    before, else read from git (one `git cat-file --batch`) and kept there."""
    from . import cache

    store = cache.blob_store(ws)
    out: dict[str, _Mini | None] = {}
    for b, rec in store.get_many("mini", list(blobs)).items():
        try:
            out[b] = None if rec is None else _Mini(rec[0], rec[1], date.fromordinal(rec[2]))
        except (TypeError, ValueError, IndexError):
            pass
    need = [b for b in blobs if b not in out]
    if need:
        raw = ws.git.blobs(need)
        for b in need:
            m = out[b] = _mini(raw[b], b) if b in raw else None
            if b in raw:  # a blob missing from the repository is not remembered as unreadable
                store.put("mini", b, None if m is None else (m.status, m.progress, m.due.toordinal()))
        store.flush()
    one: dict[tuple, _Mini] = {}  # equal versions share one object (burnup memoises by identity)
    for b, m in out.items():
        if m is not None:
            out[b] = one.setdefault((m.status, m.progress, m.due), m)
    return out


_steps = step_days  # the parameter of burnup() shadows the helper's name


# -- changes between two dates ----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of one task (or target) changed by one commit."""

    item: str  # '2020-05' or '2020-T01'
    path: str
    field: str
    old: Any
    new: Any
    author: str
    date: str  # ISO 8601, author's clock
    sha: str

    @property
    def day(self) -> date:
        return date.fromisoformat(self.date[:10])

    def as_json(self) -> dict[str, Any]:
        return {"id": self.item, "path": self.path, "field": self.field, "old": self.old, "new": self.new,
                "author": self.author, "date": self.date, "commit": self.sha}


def window_range(ws, since: date | None, until: date | None) -> str | None:
    """The revision range of the window (since, until] under the one as-of rule (tracker.asof):
    `A..B` with A the board of the end of `since` (a bulletin's own commit when one was issued
    for that day) and B the board of the end of `until` (default: HEAD).  A graph range, not
    dates: a commit that arrived late, or with a wrong clock, is in the window it arrived in.
    None when the window holds nothing."""
    from .asof import commit_at

    head = ws.git.head()
    if head is None:
        return None
    b = commit_at(ws, until) if until is not None else head
    if b is None:
        return None
    a = commit_at(ws, since) if since is not None else None
    if a == b:
        return None
    return f"{a}..{b}" if a else b


def changes(ws, since: date, until: date | None = None) -> list[Change]:
    """Every field change made after the end of `since` up to the end of `until` (default: no
    limit), oldest first: one row per (commit, file, field).

    The window is the graph range `window_range(since, until)` (tracker.asof: effective days
    along the first-parent line, cut at a bulletin's commit): applied to the board as of `since`
    the changes give the board as of `until`, which is what a bulletin "since the last one"
    needs, and a change that arrived late (written offline, synced later) is in the window it
    arrived in instead of in none.  Each row keeps its author date (when it was written).  Built
    on tracker.history's entries (fields diffed from the blobs, so hand edits show up too)."""
    from . import touchindex
    from .history import entries_from_log

    rng = window_range(ws, since, until)
    if rng is None:
        return []
    log = touchindex.window_log(ws, rng, [ws.plan_rel + "/"])
    if log is None:
        log = ws.git.log_changes([ws.plan_rel + "/"], rev=rng)
    entries = entries_from_log(ws.git, log, ws.plan_rel + "/")
    out: list[Change] = []
    for e in reversed(entries):
        for ch in e.changes:
            out.append(Change(e.item, e.path, ch.field, ch.old, ch.new, e.author, e.date, e.sha))
    return out


@dataclass
class NetChange:
    """What one field of one item went from and to over a window, with who touched it last."""

    item: str
    path: str
    field: str
    old: Any
    new: Any
    author: str
    date: str
    count: int = 1
    authors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.item, "field": self.field, "old": self.old, "new": self.new, "author": self.author,
                "date": self.date, "count": self.count, "authors": self.authors}


def net_changes(rows: list[Change]) -> list[NetChange]:
    """Collapse a window's changes to first-old -> last-new per (item, field); drops round trips."""
    acc: dict[tuple[str, str], NetChange] = {}
    for c in sorted(rows, key=lambda c: c.date):
        key = (c.item, c.field)
        n = acc.get(key)
        if n is None:
            acc[key] = NetChange(c.item, c.path, c.field, c.old, c.new, c.author, c.date, 1, [c.author])
        else:
            n.new, n.author, n.date = c.new, c.author, c.date
            n.count += 1
            if c.author not in n.authors:
                n.authors.append(c.author)
    out = [n for n in acc.values() if n.old != n.new]
    return sorted(out, key=lambda n: (n.item, n.date))


def as_field_changes(rows: list[Change]) -> list[FieldChange]:
    return [FieldChange(c.field, c.old, c.new) for c in rows]


DIFF_FIELDS = tuple(k for k in CHANGE_ORDER if k != "number")


def typed_diff(old, new) -> list[FieldChange]:
    """Field changes between two checked versions of one task or target (tracker.model objects)."""
    out: list[FieldChange] = []
    if hasattr(new, "measures"):
        for k in DIFF_FIELDS:  # the field table's fields, in change order (tracker.model.CHANGE_ORDER)
            a, b = getattr(old, k), getattr(new, k)
            if a != b:
                out.append(FieldChange(k, plain(a), plain(b)))
        om = {m.number: m for m in old.measures}
        nm = {m.number: m for m in new.measures}
        for num in dict.fromkeys([*om, *nm]):
            a, b = om.get(num), nm.get(num)
            if a is None or b is None:
                out.append(FieldChange(f"measures.{num}", a and a.text, b and b.text))
                continue
            for k in ("text", "status", "due"):
                if getattr(a, k) != getattr(b, k):
                    out.append(FieldChange(f"measures.{num}.{k}", plain(getattr(a, k)), plain(getattr(b, k))))
        return out
    for k in ("text", "units"):
        if getattr(old, k) != getattr(new, k):
            out.append(FieldChange(k, plain(getattr(old, k)), plain(getattr(new, k))))
    oi = {i.name: i for i in old.indicators}
    ni = {i.name: i for i in new.indicators}
    for name in dict.fromkeys([*oi, *ni]):
        a, b = oi.get(name), ni.get(name)
        if a is None or b is None:
            out.append(FieldChange(f"indicators.{name}", a and a.name, b and b.name))
            continue
        for k in ("comparator", "value", "min", "max", "unit"):
            if getattr(a, k) != getattr(b, k):
                out.append(FieldChange(f"indicators.{name}.{k}", getattr(a, k), getattr(b, k)))
        oa = {x.period: x for x in a.actuals}
        na = {x.period: x for x in b.actuals}
        for period in dict.fromkeys([*oa, *na]):
            x, y = oa.get(period), na.get(period)
            if x != y and (x is None or y is None or x.value != y.value):
                out.append(FieldChange(f"indicators.{name}.actuals.{period}", x and x.value, y and y.value))
            if (x.note if x else "") != (y.note if y else ""):  # as tracker.changes.diff_records does
                out.append(FieldChange(f"indicators.{name}.actuals.{period}.note", x.note if x else "", y.note if y else ""))
    return out


def net_between(ws, since: date, until: date) -> tuple[list[NetChange], int]:
    """What changed between the board as of `since` and as of `until`, field by field, with who
    touched each file in between and when last; plus how many items were added.

    Cheaper than collapsing every commit: one `git diff-tree` of the two as-of trees, and only the
    files that differ are read (the `until` side usually comes from the as-of cache).  Items that
    did not exist at `since` are counted, not listed field by field; when nothing was committed
    by `since` (the first bulletin) each item is compared with the version it was added with."""
    from . import touchindex
    from .asof import (Timeline, TimelineCommit, _parse_blob, bulletin_pins, commit_at, first_parent_line, index_at,
                       local_day, timeline)
    from .history import item_id

    b = commit_at(ws, until)
    a = commit_at(ws, since)
    if b is None or a == b:
        return [], 0
    line = first_parent_line(ws)
    part = None
    if a is not None:  # the window's touches from the history index, not the whole timeline
        part = touchindex.on_line(ws, line.shas[:index_at(ws, line, until)], line.shas[:index_at(ws, line, since)])
    if part is not None:
        rows: dict[str, list] = {}
        for path, status, sha, author, adate, cts, cdate in part["window"]:
            rows.setdefault(sha, [cts, local_day(cdate), author, adate, []])[4].append(
                (path, None if status.startswith("D") else "x"))
        commits = [TimelineCommit(sha, r[0], r[1], r[2], r[3], tuple(r[4])) for sha, r in rows.items()]
        tl = Timeline(commits=commits, line=line, pins=bulletin_pins(ws))
        lo, hi = 0, len(commits)
    else:
        tl = timeline(ws)
        lo, hi = tl.index_at(since), tl.index_at(until)  # the window is a stretch of the line, not dates
    prefix = ws.plan_rel + "/"
    changed: list[tuple[str, str, str]] = []  # path, old blob, new blob
    first_seen: dict[str, str] = {}  # path -> sha of the commit that added it (no baseline case)
    if a is None:
        # no board at `since` (the first bulletin): each item is measured from the version it was
        # added with (the import), so the updates made since are listed and the additions counted
        firsts: dict[str, str] = {}
        for c in tl.commits[:hi]:
            for path, blob in c.files:
                if blob is not None and path not in firsts and item_id(path):
                    firsts[path] = blob
                    first_seen[path] = c.sha
        out = ws.git.run("ls-tree", "-r", "-z", "--full-tree", b, "--", prefix)
        for rec in out.split("\0"):
            meta, _, path = rec.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and item_id(path) and path in firsts and firsts[path] != parts[2]:
                changed.append((path, firsts[path], parts[2]))
        added_count = len(firsts)
    else:
        added_count = 0
        raw = ws.git.run("diff-tree", "-r", "--no-renames", "--no-abbrev", "-z", a, b, "--", prefix)
        fields = raw.split("\0")
        i = 0
        while i + 1 < len(fields):
            meta = fields[i].strip("\n")
            if meta.startswith(":"):
                parts = meta[1:].split()
                if item_id(fields[i + 1]):
                    changed.append((fields[i + 1], parts[2], parts[3]))
                i += 2
            else:
                i += 1
    zero = "0" * 40
    blobs = ws.git.blobs([x for _, o, n in changed for x in (o, n) if x != zero])
    info, _ = ws.load_info()
    cats = info.categories if info else ()
    from .asof import prefetch  # both sides of every changed file from the blob store, in one query

    prefetch(ws, [(p, x, "task" if p.startswith(prefix + "tasks/") else "target")
                  for p, o, n in changed for x in (o, n) if x != zero], cats)
    touched: dict[str, list] = {}
    for c in tl.commits[lo:hi]:
        for path, _ in c.files:
            if first_seen.get(path) != c.sha:
                touched.setdefault(path, []).append(c)
    added = added_count
    nets: list[NetChange] = []
    for path, ob, nb in changed:
        if ob == zero:
            added += 1
            continue
        kind = "task" if path.startswith(prefix + "tasks/") else "target"
        new_obj = _parse_blob(blobs[nb], path, kind, ws.year, cats, nb)[0] if nb != zero and nb in blobs else None
        old_obj = _parse_blob(blobs[ob], path, kind, ws.year, cats, ob)[0] if ob in blobs else None
        if nb == zero:
            diffs = [FieldChange("deleted", getattr(old_obj, "title", path), None)]
        elif old_obj is None or new_obj is None:
            from .history import _parse

            diffs = diff_records(_parse(blobs.get(ob), path)[0], _parse(blobs.get(nb), path)[0])
        else:
            diffs = typed_diff(old_obj, new_obj)
        commits = touched.get(path, [])
        authors = list(dict.fromkeys(c.author for c in commits))
        last = commits[-1] if commits else None
        for d in diffs:
            nets.append(NetChange(item_id(path) or path, path, d.field, d.old, d.new,
                                  last.author if last else "", tl.touch(last).date if last else "",
                                  len(commits), authors))
    nets.sort(key=lambda n: (n.item, n.date))
    return nets, added


def clock_notes(ws, since: date, until: date, lang: str = "zh") -> list[str]:
    """One sentence per commit of the window (since, until] whose date cannot be right (tracker.asof
    .clock_flags: in the future, or far before its parent), for the bulletin: its readers learn
    that such a change is counted from the day it arrived in the shared history, not its own."""
    from .asof import commit_at, first_parent_line

    line = first_parent_line(ws)
    if not line.flags:
        return []
    a, b = commit_at(ws, since), commit_at(ws, until)
    lo = line.pos[a] + 1 if a in line.pos else 0
    hi = line.pos[b] + 1 if b in line.pos else 0
    out = []
    for f in line.flags:
        if lo <= line.pos.get(f.sha, -1) < hi:
            key = "analytics.clock_future" if f.kind == "future" else "analytics.clock_before_parent"
            out.append(say(key, lang, sha=f.sha[:7], author=f.author, day=f.day.isoformat(), eff=f.effective.isoformat()))
    return out


# -- bulletins: "since the last bulletin" -------------------------------------------------------

BULLETIN_TAG = "bulletin/"


def bulletin_dates(ws) -> list[date]:
    """Dates of the bulletins issued so far (lightweight tags bulletin/YYYY-MM-DD), ascending."""
    if ws.git.head() is None:
        return []
    out = ws.git.run("tag", "--list", BULLETIN_TAG + "*")
    days = []
    for name in out.split():
        try:
            days.append(date.fromisoformat(name[len(BULLETIN_TAG):]))
        except ValueError:
            continue
    return sorted(set(days))


def last_bulletin_before(ws, on: date) -> date | None:
    """The newest bulletin dated before `on` (a re-issue of the same day does not count)."""
    prior = [d for d in bulletin_dates(ws) if d < on]
    return prior[-1] if prior else None


def record_bulletin(ws, on: date) -> str | None:
    """Tag the commit the bulletin of `on` was computed from as bulletin/<on>; returns the tag."""
    from .asof import commit_at

    if on > date.today():  # a preview of a day not over yet elsewhere: not the record of that day
        return None
    sha = commit_at(ws, on)
    if sha is None:
        return None
    name = f"{BULLETIN_TAG}{on.isoformat()}"
    ws.git.run("tag", "-f", name, sha)
    return name


@dataclass(frozen=True)
class PlanCreation:
    sha: str
    day: date
    items: int  # tasks and targets the creating commit added


def plan_creation(ws) -> PlanCreation | None:
    """The commit that brought the plan (the first one adding plan files): its own additions are
    the plan, not 本期新增, and the burn-up starts on its day, not before."""
    from . import touchindex
    from .asof import first_parent_line, local_day, timeline
    from .history import item_id

    if ws.git.head() is None:
        return None
    part = touchindex.on_line(ws, first_parent_line(ws).shas[-1:])
    if part is not None:  # a linear history: one query on the history index
        if part["first"] is None:
            return None
        sha, cdate, paths = part["first"]
        return PlanCreation(sha, local_day(cdate), sum(1 for p in paths if item_id(p)))
    for c in timeline(ws).commits:
        added = [path for path, blob in c.files if blob is not None]
        if added:
            return PlanCreation(c.sha, c.day, sum(1 for p in added if item_id(p)))
    return None


def default_since(ws, on: date, data=None) -> date:
    """The last bulletin before `on`, else the day before the plan's start (so that the first
    bulletin covers everything from the start)."""
    last = last_bulletin_before(ws, on)
    if last is not None:
        return last
    th = thresholds(data) if data is not None else None
    if th is None:
        info, _ = ws.load_info()
        th = Thresholds.from_settings(info.settings if info else {}, info.year if info else ws.year)
    return th.start - timedelta(days=1)


# -- counts by kind and stage (督办台账 totals) ----------------------------------------------------

#: the stages a bulletin counts, in the cycle's order (returned and overdue cut across them)
STAGES = ("assigned", "acked", "in_progress", "review", "closed", "returned", "overdue")
#: the columns that are states of the cycle (cycle.stage_label names the item's state: 已交办; a count
#: column names the stage as the issue and the bulletin do: 交办 N, 签收 N, 办结待审 N, 销号 N)
STAGE_STATE = {"assigned": "not_started", "acked": "acked", "in_progress": "in_progress", "review": "done",
               "closed": "closed"}
SL = book("stage", {
    "assigned": ("交办", "assigned"), "acked": ("签收", "acknowledged"), "in_progress": ("推进中", "in progress"),
    "review": ("办结待审", "awaiting review"), "closed": ("销号", "closed"), "returned": ("退回", "sent back"),
    "overdue": ("逾期", "overdue"), "kind": ("类型", "kind"), "total": ("合计", "total"),
    "kind.plan": ("重点工作", "plan tasks"),
})
book("report", {"by_stage": ("按类型和环节", "By kind and stage"),
                "review": ("办结待审（{n}项，待督查室审核销号）", "Awaiting the office's review ({n})")})


def item_kind(t: Task) -> str:
    """The item's kind (`kind:`, issue 13 §1); plan tasks without one are 'plan' (重点工作)."""
    return str(getattr(t, "kind", "") or "plan")


def kind_label(kind: str, lang: str | None = "zh") -> str:
    key = f"stage.kind.{kind}"
    got = say(key, lang)
    return kind if got == key else got


def _stage_of(t: Task) -> str | None:
    if t.status == "not_started":
        return "assigned"
    if t.status == "acked":
        return "acked"
    if t.status in ("in_progress", "blocked"):
        return "in_progress"
    if t.status == "done":
        return "closed" if getattr(t, "closed", None) else "review"
    if t.status == "closed":
        return "closed"
    return None  # cancelled: counted nowhere


def stage_counts(data, on: date) -> list[tuple[str, dict[str, int]]]:
    """[(kind, {stage: n})], kinds in first-seen order, then ('total', ...).  A returned item
    (退回, `returns:` not empty) counts in its stage and under 'returned'; an overdue one likewise."""
    rows: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(STAGES, 0)
    for t in data.tasks:
        row = rows.setdefault(item_kind(t), dict.fromkeys(STAGES, 0))
        hits = [s for s in (_stage_of(t),) if s]
        if getattr(t, "returns", None):
            hits.append("returned")
        if t.status not in ("closed", "cancelled") and schedule.overdue(t, on):
            hits.append("overdue")
        for s in hits:
            row[s] += 1
            total[s] += 1
    return [*rows.items(), ("total", total)]
