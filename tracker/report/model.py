"""What a bulletin says, computed once; the writers (md, html, xlsx, docx) only lay it out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .. import analytics as an
from .. import schedule
from ..i18n import field_label, join, pick, say, status_label, told
from ..model import ASSESSMENTS, STATUSES, Indicator, fmt_num
from ..schedule import LIGHTS, light_label
from .labels import L


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    share: float  # 0..1

    @property
    def pct(self) -> str:
        return f"{self.share * 100:.1f}%"


@dataclass(frozen=True)
class TaskRow:
    id: str
    number: int
    title: str
    category: str
    lead: str
    status: str
    status_label: str
    progress: int
    expected: int
    light: str
    light_label: str
    due: str
    note: str
    problems: str
    overdue: bool


@dataclass(frozen=True)
class CycleRow:
    """One line of the bulletin's cycle section: an item sent back (退回 N 次), extended (延期) or
    cancelled (撤销) in the period (tracker/cycle.py)."""
    id: str
    title: str
    lead: str
    what: str    # 退回重办（第2次） / 延期 / 撤销
    detail: str  # the reason, and for an extension the old and new due date
    date: str


#: the columns of the bulletin's table by kind and stage (按类型和环节): the stages an item is in, which
#: add up to 合计 (每项只在一个环节: 推进中 includes 受阻, 办结待审 is 申请办结), then the two that cut
#: across them (其中: sent back at least once, overdue)
STAGE_PARTS = ("assigned", "acked", "in_progress", "review", "closed", "cancelled")
STAGE_ACROSS = ("returned", "overdue")


@dataclass(frozen=True)
class StageRow:
    """One kind's counts by stage (or the 合计 row: kind 'total')."""
    kind: str    # an item kind key (tracker.itemkinds.KINDS), or 'total'
    label: str   # 重点工作 / 批示件 ... / 合计
    counts: dict  # stage (STAGE_PARTS + STAGE_ACROSS) -> n
    total: int    # items of the kind: the sum of STAGE_PARTS


@dataclass(frozen=True)
class ReviewRow:
    """An item applied for closure (申请办结), waiting for the office's review (销号 or 退回)."""
    id: str
    title: str
    lead: str
    applied: str  # 'YYYY-MM-DD' (the `finished` date), '' where the file has none (a `done` of an older plan)
    report: str   # the 办结报告, on one line, cut to REPORT_EXCERPT characters
    days: int | None  # days since `applied` (None: not known)
    returned: int  # times it was sent back before (退回N次)
    due: str = ""  # YYYY-MM-DD


@dataclass(frozen=True)
class ReminderRow:
    """An item the office chases its lead unit about (催办), with every reason (tracker.analytics.reminders)."""
    unit: str
    id: str
    title: str
    reasons: str  # 逾期3天；措施2节点已过5天 (tracker.reminders.what_text: the 催办单's words)
    due: str      # YYYY-MM-DD


#: characters of the 办结报告 a bulletin's review list shows
REPORT_EXCERPT = 40


@dataclass
class CategorySection:
    name: str
    counts: dict[str, int]  # per light
    done: int
    rows: list[TaskRow]


@dataclass(frozen=True)
class TargetRow:
    target: str  # '2020-T01'
    text: str
    lead: str
    indicator: str
    target_text: str
    latest: str  # value with unit, or '' when none
    period: str
    assessment: str  # L('on_track') / L('off_track') / L('no_actual') / ''
    met: bool | None


@dataclass(frozen=True)
class ChangeRow:
    item: str
    title: str
    field: str  # label
    old: str
    new: str
    author: str
    date: str  # 'YYYY-MM-DD HH:MM'
    count: int


@dataclass(frozen=True)
class LedgerReturnRow:
    unit: str
    date: str  # 'YYYY-MM-DD' of its latest return in the period
    file: str
    commits: int  # commits its returns made in the period (0: returned unchanged)


@dataclass(frozen=True)
class LedgerSection:
    """Which units returned their ledger (台账) in the bulletin's period, and which lead units of
    unfinished tasks did not (未按要求报送): tracker.ledger.returns, as `tracker remind` says it."""
    since: date  # first day of the period
    until: date
    returned: list[LedgerReturnRow]
    missing: list[str]


@dataclass(frozen=True)
class Verification:
    """The period's commits checked by tracker.verify (signatures, offices' rights, valid files),
    when offices.yaml governs the repository at the bulletin's commit."""
    commits: int
    ok: int
    unsigned: int
    failed: int
    unenforced: int  # before offices.yaml was added (in the period that adds it)
    findings: int
    since_rev: str  # for `tracker verify --since REV`: the previous bulletin's tag, else its commit; '' = all

    @property
    def clean(self) -> bool:
        return not self.findings


@dataclass
class Bulletin:
    lang: str
    title: str  # the plan's title
    document: str
    issuer: str
    as_of: date
    since: date
    total: int
    by_status: list[Count]
    by_light: list[Count]
    summary: str
    categories: list[CategorySection]
    lagging: list[TaskRow]
    ranking: list[an.UnitRank]
    targets: list[TargetRow]
    changes: list[ChangeRow]
    burnup: list[an.BurnupPoint]
    problems: list[str] = field(default_factory=list)
    added: int = 0  # items that did not exist at `since` (not listed field by field)
    ledgers: LedgerSection | None = None  # None until the repository has taken a ledger back
    verified: Verification | None = None  # None where no offices.yaml governs the repository
    stages: list[StageRow] = field(default_factory=list)  # by kind and stage: stage_rows
    review: list[ReviewRow] = field(default_factory=list)  # applied for closure (申请办结), oldest first
    cycle: list[CycleRow] = field(default_factory=list)  # 退回, 延期, 撤销 in the period
    reminders: list[ReminderRow] = field(default_factory=list)  # 催办: by lead unit, most reminded first

    @property
    def stage_heading(self) -> str:
        """按类型和环节 (one kind: 按环节, the plan's own tasks only)."""
        return say("report.by_stage" if len(self.stages) > 1 else "report.by_stage_one", self.lang)

    def stage_table(self) -> tuple[list[str], list[list]]:
        """The table by kind and stage: 类型 | 交办 签收 推进中 办结待审 销号 撤销 | 合计 | 其中退回 其中逾期;
        one row per kind that occurs (in the kinds' order), then 合计 where there are several."""
        heads = [say("stage.kind", self.lang), *[say(f"report.stage_head.{s}", self.lang) for s in STAGE_PARTS],
                 say("report.stage_head.total", self.lang), *[say(f"report.stage_head.{s}", self.lang) for s in STAGE_ACROSS]]
        rows = [[r.label, *[r.counts[s] for s in STAGE_PARTS], r.total, *[r.counts[s] for s in STAGE_ACROSS]]
                for r in self.stages]
        return heads, rows

    @property
    def stage_note(self) -> str:
        return say("report.stage_note", self.lang)

    @property
    def review_heading(self) -> str:
        return say("report.review", self.lang, n=len(self.review))

    def review_table(self) -> tuple[list[str], list[list]]:
        """The items waiting for the office's review: id, title (退回N次), lead, applied on, the
        report's first words, days waiting.  Where no item has an application date or a report
        (the `done` tasks of an older plan), the due date instead of three empty columns."""
        from .. import cycle as cy

        def title(r: ReviewRow) -> str:
            return r.title + (cy.say("cycle.returned_mark", self.lang, n=r.returned) if r.returned else "")

        if not any(r.applied or r.report for r in self.review):
            return ([self.L("id"), self.L("title"), self.L("lead"), self.L("due")],
                    [[r.id, title(r), r.lead, r.due] for r in self.review])
        heads = [self.L("id"), self.L("title"), self.L("lead"), field_label("finished", self.lang),
                 field_label("report", self.lang), self.L("waiting_days")]
        rows = [[r.id, title(r), r.lead, r.applied or "—", r.report or "—", "—" if r.days is None else r.days]
                for r in self.review]
        return heads, rows

    @property
    def reminder_heading(self) -> str:
        return say("report.reminder_head", self.lang, n=len(self.reminders),
                   units=len({r.unit for r in self.reminders}))

    def reminder_table(self) -> tuple[list[str], list[list]]:
        """催办事项: lead unit, id, title, the reasons (逾期N天, 红灯, 交办N天未签收, 措施节点已过, N天未报送进展,
        N天后到期), due date."""
        return ([self.L("lead"), self.L("id"), self.L("title"), self.L("reason"), self.L("due")],
                [[r.unit, r.id, r.title, r.reasons, r.due] for r in self.reminders])

    def cycle_table(self) -> tuple[list[str], list[list]]:
        """The cycle section's table: headers and rows (退回 N 次, 延期 old → new, 撤销, with reasons)."""
        return ([self.L("id"), self.L("title"), self.L("lead"), self.L("cycle_what"), self.L("cycle_detail"),
                 self.L("date")], [[r.id, r.title, r.lead, r.what, r.detail, r.date] for r in self.cycle])

    @property
    def verify_line(self) -> str:
        """'本期 N 个提交均经签名核验（tracker verify）。', or the findings with the command to see them."""
        v = self.verified
        if v is None:
            return ""
        if not v.commits:
            return self.L("verify_none")
        if v.clean and not v.unenforced:
            return self.L("verify_clean", n=v.commits)
        if v.clean:
            return self.L("verify_clean_part", n=v.commits, ok=v.ok, free=v.unenforced)
        cmd = "tracker verify" + (f" --since {v.since_rev}" if v.since_rev else "")
        what = [self.L(key, n=n) for key, n in (("verify_unsigned", v.unsigned), ("verify_failed", v.failed)) if n]
        return self.L("verify_found", n=v.commits, what=join(what, self.lang),
                      k=v.findings, cmd=cmd)

    @property
    def ledger_heading(self) -> str:
        lg = self.ledgers
        assert lg is not None
        return f"{self.L('ledgers')} ({lg.since.isoformat()} — {lg.until.isoformat()})"

    def ledger_table(self) -> tuple[list[str], list[list]]:
        lg = self.ledgers
        assert lg is not None
        return ([self.L("unit"), self.L("returned_on"), self.L("file"), self.L("commits")],
                [[r.unit, r.date, r.file, r.commits] for r in lg.returned])

    def ledger_lines(self) -> tuple[str, str]:
        """(the returned line, the 未按要求报送 line) under the ledger table."""
        lg = self.ledgers
        assert lg is not None
        got = self.L("ledger_returned", n=len(lg.returned))
        missing = (self.L("ledger_missing", n=len(lg.missing), units=join(lg.missing, self.lang)) if lg.missing
                   else self.L("ledger_none_missing"))
        return got, missing

    def L(self, key: str, **kw) -> str:  # noqa: N802 - reads like the label function
        return L(key, self.lang, **kw)

    @property
    def rank_rule(self) -> str:
        """The ranking rule, said under the ranking table (the book's analytics.rank_rule)."""
        return say("analytics.rank_rule", self.lang)

    @property
    def heading(self) -> str:
        return f"{self.title} {self.L('bulletin')}"

    @property
    def period_text(self) -> str:
        # the window is (since, as_of]: it starts the day after the baseline
        start = self.since + timedelta(days=1)
        return f"{start.isoformat()} — {self.as_of.isoformat()}"

    def light_name(self, key: str) -> str:
        return light_label(key, self.lang)

    def category_line(self, sec: "CategorySection") -> str:
        counts = join((f"{self.light_name(k)} {sec.counts[k]}" for k in LIGHTS if sec.counts[k]), self.lang, "ascii_comma")
        return self.L("cat_line", n=len(sec.rows), counts=counts)


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def assess(ind: Indicator, value: float | None) -> bool | None:
    """Whether an actual meets the indicator's target (None when it cannot be said)."""
    if value is None or ind.comparator == "qualitative":
        return None
    if ind.comparator == "at_least":
        return ind.value is not None and value >= ind.value
    if ind.comparator == "at_most":
        return ind.value is not None and value <= ind.value
    if ind.comparator == "range":
        return ind.min is not None and ind.max is not None and ind.min <= value <= ind.max
    return None


def _value_text(fieldname: str, v: Any, lang: str) -> str:
    if v is None or v == "":
        return "—"
    if fieldname == "status" or fieldname.endswith(".status"):
        return status_label(str(v), lang)
    if fieldname == "progress":
        return f"{v}%"
    if isinstance(v, list):
        return "、".join(map(str, v))
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def change_field_label(name: str, lang: str) -> str:
    """'indicators.地区生产总值增长.actuals.2020-Q3' -> '地区生产总值增长 2020-Q3 实际值', its .note ->
    '地区生产总值增长 2020-Q3 实际值说明' (the one labelling of tracker/i18n.py, also in commits)."""
    return field_label(name, lang)


def burnup_step(start: date, end: date) -> int:
    """7 days, widened so that a chart never has more than about 60 points."""
    span = max((end - start).days, 1)
    return max(7, -(-span // 60))


def ledger_section(ws, data, since: date, on: date) -> LedgerSection | None:
    """The ledger returns of the bulletin's period (the day after `since` to `on`), or None
    while the repository has never taken a ledger back by `on` (as `tracker remind`)."""
    from ..ledger import returns as lr

    if not lr.any_return(ws):
        return None
    start = min(since + timedelta(days=1), on)
    if not lr.returns(ws, date(1970, 1, 1), on):
        return None  # ledgers came back only after this bulletin's day
    got, missing = lr.status(ws, data, start, on)
    rows = [LedgerReturnRow(u, r[-1].when[:10], r[-1].file, sum(x.commits for x in r)) for u, r in got.items()]
    rows.sort(key=lambda r: (r.date, r.unit))
    return LedgerSection(start, on, rows, missing)


def verification(ws, since: date, on: date) -> Verification | None:
    """The commits of the bulletin's period (from the commit of `since` to that of `on`, as the
    changes are counted) checked by tracker.verify, its rules unchanged; None when offices.yaml
    does not govern the repository at the bulletin's commit."""
    from .. import verify as v
    from ..analytics import BULLETIN_TAG
    from ..asof import commit_at
    from ..offices import OFFICES_FILE

    b = commit_at(ws, on)
    if b is None or not ws.git.ok("cat-file", "-e", f"{b}:{OFFICES_FILE}"):
        return None
    a = commit_at(ws, since) if since < on else b
    checks = v.check_commits(ws.git, [f"{a}..{b}"] if a else [b])
    rev = ""
    if a:
        tag = f"{BULLETIN_TAG}{since.isoformat()}"
        pinned = ws.git.run("rev-parse", "--verify", "-q", f"refs/tags/{tag}^{{commit}}", check=False).strip()
        rev = tag if pinned == a else a[:10]
    states = [c.state for c in checks]
    return Verification(len(checks), states.count("ok"), states.count("unsigned"), states.count("failed"),
                        states.count("unenforced"), sum(len(c.findings) for c in checks), rev)


def _stage(t) -> str:
    """The stage an item is in (tracker.analytics.stage_counts's rule, and 撤销)."""
    s = t.status
    if s == "done":
        return "closed" if getattr(t, "closed", None) else "review"
    return {"not_started": "assigned", "acked": "acked", "in_progress": "in_progress", "blocked": "in_progress",
            "closed": "closed", "cancelled": "cancelled"}.get(s, "in_progress")


def stage_rows(tasks, on: date, lang: str) -> list[StageRow]:
    """By kind and stage on `on`: one row per kind that occurs (重点工作, 批示件, 会议议定, 建议提案,
    专项督查, 其他: the order of tracker.itemkinds.KINDS), then 合计 where there are several kinds.
    A returned item (退回, `returns:` not empty) counts in its stage and under 'returned'; an
    item past its due date and not finished (tracker.schedule.overdue) in its stage and under
    'overdue'.  Cancelled items (已撤销) count under 'cancelled' only."""
    from ..itemkinds import KINDS, kind_label

    keys = (*STAGE_PARTS, *STAGE_ACROSS)
    acc: dict[str, dict[str, int]] = {}
    for t in tasks:
        row = acc.setdefault(str(getattr(t, "kind", "") or "plan"), dict.fromkeys(keys, 0))
        stage = _stage(t)
        row[stage] += 1
        if stage != "cancelled":
            if getattr(t, "returns", None):
                row["returned"] += 1
            if schedule.overdue(t, on):
                row["overdue"] += 1
    order = [k for k in KINDS if k in acc] + [k for k in acc if k not in KINDS]
    out = [StageRow(k, kind_label(k, lang), acc[k], sum(acc[k][s] for s in STAGE_PARTS)) for k in order]
    if len(out) > 1:
        total = {s: sum(r.counts[s] for r in out) for s in keys}
        out.append(StageRow("total", say("stage.total", lang), total, sum(r.total for r in out)))
    return out


def excerpt(text: str, n: int = REPORT_EXCERPT) -> str:
    """The first `n` characters of a text, on one line, '…' where it was cut."""
    one = " ".join(str(text or "").split())
    return one if len(one) <= n else one[: n - 1] + "…"


def review_rows(data, on: date) -> list[ReviewRow]:
    """The items applied for closure and not yet reviewed (tracker.analytics.awaiting_review),
    oldest application first, with the days each has waited by `on`."""
    from .. import cycle as cy

    out = []
    for t in an.awaiting_review(data):
        applied = t.finished if isinstance(getattr(t, "finished", None), date) else None
        out.append(ReviewRow(t.id, t.title, t.lead, applied.isoformat() if applied else "", excerpt(t.report),
                             max(0, (on - applied).days) if applied else None, cy.times_returned(t),
                             t.due.isoformat()))
    return out


def reminder_rows(data, on: date, last_changes, lang: str) -> list[ReminderRow]:
    """What `tracker remind` chases on `on`, one row per item with its reasons joined, by lead unit
    (the units with the most reminders first).  Items applied for closure are the office's own
    turn: the review list, not here."""
    from ..reminders import what_text

    out = []
    for unit, rs in an.reminders(data, on, last_changes).items():
        by_item: dict[str, list] = {}
        for r in rs:
            by_item.setdefault(r.task.id, []).append(r)
        out += [ReminderRow(unit, tid, items[0].task.title, what_text(items, lang), items[0].task.due.isoformat())
                for tid, items in by_item.items()]
    return out


def cycle_rows(tasks, since: date, on: date, lang: str) -> list[CycleRow]:
    """The items sent back, extended or cancelled in the period (since, on], oldest first."""
    from .. import cycle as cy

    start, end = (since + timedelta(days=1)).isoformat(), on.isoformat()
    out: list[CycleRow] = []

    def within(d: str) -> bool:
        return start <= d <= end

    def one(v) -> str:
        return " ".join(str(v or "").split())

    for t in tasks:
        for i, r in enumerate(t.returns, start=1):
            if within(r.get("date", "")):
                out.append(CycleRow(t.id, t.title, t.lead, cy.say("cycle.body.return_what", lang, n=i),
                                    one(r.get("reason")), r.get("date", "")))
        for x in t.extensions:
            if within(x.get("date", "")):
                out.append(CycleRow(t.id, t.title, t.lead, cy.step_label("extend", lang),
                                    f"{x.get('from') or '?'} → {x.get('to')}: {one(x.get('reason'))}", x.get("date", "")))
        c = t.cancelled
        if c and within(c.get("date", "")):
            out.append(CycleRow(t.id, t.title, t.lead, cy.step_label("cancel", lang), one(c.get("reason")), c.get("date", "")))
    out.sort(key=lambda r: (r.date, r.id))
    return out


def build(ws, *, as_of: date | None = None, since: date | None = None, lang: str | None = None,
          data=None, last_changes=None, with_burnup: bool = True) -> Bulletin:
    """The bulletin of the board as committed at the end of `as_of` (default today), with the
    changes after `since` (default: the last bulletin before `as_of`, else the plan start)."""
    from ..asof import last_changes_as_of, load_as_of

    on = as_of or date.today()
    if data is None:
        data = load_as_of(ws, on)
    info = data.info
    lang = lang or (info.language if info else "zh")
    th = an.thresholds(data)
    if since is None:
        since = an.default_since(ws, on, data)
    if last_changes is None:
        last_changes = last_changes_as_of(ws, on)

    from .. import cycle as cy

    tasks = [t for t in data.tasks if cy.counts(t.status)]  # a cancelled item (已撤销) leaves the counts
    total = len(tasks)
    lights = {t.number: schedule.light(t, th, on) for t in tasks}
    rows = {t.number: TaskRow(
        id=t.id, number=t.number, title=t.title, category=t.category, lead=t.lead, status=t.status,
        status_label=status_label(t.status, lang) + cy.returned_mark(t, lang), progress=t.progress,
        expected=schedule.expected_progress(t, th, on), light=lights[t.number],
        light_label=light_label(lights[t.number], lang), due=t.due.isoformat(), note=t.note,
        problems=t.problems, overdue=schedule.overdue(t, on)) for t in tasks}

    by_status = [Count(s, status_label(s, lang), n, _share(n, total))
                 for s in (*STATUSES, "acked", "closed") for n in [sum(1 for t in tasks if t.status == s)]
                 if s in STATUSES or n]  # the cycle's 已签收 and 已销号 where there are any
    by_light = [Count(k, light_label(k, lang), n, _share(n, total))
                for k in LIGHTS for n in [sum(1 for v in lights.values() if v == k)]]
    done = sum(1 for t in tasks if cy.is_done(t.status))  # 已销号 counts as done
    overdue = sum(1 for r in rows.values() if r.overdue)
    summary = L("summary_line", lang, total=total, done=done, pct=f"{_share(done, total) * 100:.1f}%",
                red=sum(1 for v in lights.values() if v == "red"),
                yellow=sum(1 for v in lights.values() if v == "yellow"), overdue=overdue)

    order = list(info.categories) if info else []
    for t in tasks:
        if t.category not in order:
            order.append(t.category)
    categories = []
    for cat in order:
        crow = [rows[t.number] for t in tasks if t.category == cat]
        if not crow:
            continue
        counts = {k: sum(1 for r in crow if r.light == k) for k in LIGHTS}
        categories.append(CategorySection(cat, counts, sum(1 for r in crow if cy.is_done(r.status)), crow))

    rank = {"red": 0, "yellow": 1}
    lagging = sorted((r for r in rows.values() if r.light in rank),
                     key=lambda r: (rank[r.light], r.progress - r.expected, r.number))

    ranking = an.unit_ranking(data, on, last_changes, created=an.creation_commits(ws))

    targets = []
    for tg in data.targets:
        for ind in tg.indicators:
            latest = ind.latest()
            met = assess(ind, latest.value) if latest else None
            if ind.comparator == "qualitative":
                ttext = L("qualitative", lang)
                a = latest.assessment if latest else ""
                verdict = (pick(ASSESSMENTS[a], lang) if a in ASSESSMENTS else
                           L("no_actual", lang) if latest is None else "")
                met = True if a == "met" else False if a == "not_met" else None
            else:
                ttext = ind.target_text()
                verdict = L("no_actual", lang) if latest is None else (
                    L("on_track", lang) if met else L("off_track", lang) if met is False else "")
            targets.append(TargetRow(
                target=tg.id, text=tg.text, lead=tg.lead, indicator=ind.name, target_text=ttext,
                latest=(f"{fmt_num(latest.value)} {ind.unit if not isinstance(latest.value, str) else ''}".strip()
                        if latest and latest.value is not None else ""),
                period=latest.period if latest else "", assessment=verdict, met=met))

    titles = {t.id: t.title for t in tasks}
    titles.update({tg.id: tg.text for tg in data.targets})
    nets, added = an.net_between(ws, since, on) if since < on else ([], 0)
    created = an.plan_creation(ws)
    if added and created is not None and since < created.day:
        # the first bulletin: the plan's own creation is not a new task (本期新增 counts later additions)
        added = max(0, added - created.items)
    changes = [ChangeRow(item=n.item, title=titles.get(n.item, ""), field=change_field_label(n.field, lang),
                         old=_value_text(n.field, n.old, lang), new=_value_text(n.field, n.new, lang),
                         author="、".join(n.authors), date=n.date[:16].replace("T", " "), count=n.count)
               for n in nets]

    points: list[an.BurnupPoint] = []
    if with_burnup:
        start = min(th.start, on)
        if created is not None and start < created.day <= on:
            start = created.day  # the curve starts when the plan existed, not a week before
        points = an.burnup(ws, start, on, burnup_step(start, on), th=th)
        first = next((i for i, p in enumerate(points) if p.total), len(points))
        points = points[first:]

    return Bulletin(cycle=cycle_rows(data.tasks, since, on, lang), ledgers=ledger_section(ws, data, since, on), verified=verification(ws, since, on), lang=lang, title=info.title if info else ws.plan_rel, document=info.document if info else "",
                    issuer=info.issuer if info else "", as_of=on, since=since, total=total,
                    by_status=by_status, by_light=by_light, summary=summary, categories=categories,
                    lagging=lagging, ranking=ranking, targets=targets, changes=changes, burnup=points,
                    problems=[told(p, lang) for p in data.problems] + (an.clock_notes(ws, since, on, lang) if since < on else []),
                    added=added, stages=stage_rows(data.tasks, on, lang), review=review_rows(data, on),
                    reminders=reminder_rows(data, on, last_changes, lang))
