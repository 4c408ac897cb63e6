"""The supervision cycle (督办流程) of one item: its states, the steps between them, who takes each.

Pure: no git, no disk, no Textual.  `tracker.lifecycle` writes a step (one commit); the CLI
(`tracker ack|finish|close|return|cancel|extend|undo`) and the TUI's detail screen call it.

States are the task file's `status:` values (README "Lifecycle")::

    not_started 已交办 ─ack→ acked 已签收 ─→ in_progress 推进中 / blocked 受阻
         └──────────────────────finish (办结报告)──────────────→ done 申请办结
    done ─close→ closed 已销号        done / closed ─return (理由)→ in_progress 推进中 (退回 N 次)
    any open state ─cancel (理由)→ cancelled 已撤销        any open state ─extend (新时限, 理由)→ same state

Older repositories keep working unchanged: `not_started` is what 已交办 always was (assigned,
nobody acknowledged it yet) and `done` reads as 申请办结 (the unit says it is finished; nobody in
the office has reviewed it): the office closes such items with `tracker close`.  No file needs
rewriting, so there is no migration commit.

The API other modules use:

- `STATES`, `OPEN_STATES`, `DONE_STATES` (done and closed count as done everywhere),
  `is_done(status)`, `counts(status)` (False for cancelled: it leaves the ranking and lights);
- `STEPS` (name -> Step: from which states, to which, who: "unit" or "supervisor", what it needs);
- `allowed_steps(status)`, `check_step(step, status)` (raises TrackerError naming the state and
  the allowed steps, key "cycle.not_allowed");
- `plan_step(step, item, on=..., by=..., reason=..., report=..., due=...)` -> `StepPlan`: the
  field values to set and the entries to append (plain values), the commit's subject and trailers;
- `open_work(item)`: what keeps an item from being finished (progress < 100, open measures);
- `stage_label(status, lang)`: 已交办 / 已签收 / 推进中 / 受阻 / 申请办结 / 已销号 / 已撤销;
- `times_returned(item)`.

`item` is the parsed task file (a dict, as the fast loader returns it) or a `model.Task`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .i18n import book, say
from .model import TrackerError

STATES = ("not_started", "acked", "in_progress", "blocked", "done", "closed", "cancelled")
#: states an item is still being worked in (steps like extend and cancel apply)
OPEN_STATES = ("not_started", "acked", "in_progress", "blocked", "done")
#: states that count as done (completion rates, lights, counts)
DONE_STATES = ("done", "closed")
#: states a unit office may set, and change from (= permissions.UNIT_STATUSES; a test checks)
UNIT_STATES = ("not_started", "acked", "in_progress", "blocked", "done")

#: the task-file fields the cycle writes (README "Task files"): name -> what it holds
FIELDS = {
    "acked": "date the lead unit acknowledged the item (签收)",
    "report": "the 办结报告 (text), written by finish",
    "finished": "date the unit applied for closure (申请办结)",
    "closed": "date the office closed the item (销号)",
    "returns": "list of {date, by, reason}: each time the office sent it back (退回重办)",
    "extensions": "list of {date, by, from, to, reason}: each change of the due date (延期)",
    "cancelled": "{date, by, reason}: the office withdrew the item (撤销)",
}

L = book("cycle", {
    # stage names (the status as the cycle calls it)
    "stage.not_started": ("已交办", "assigned"),
    "stage.acked": ("已签收", "acknowledged"),
    "stage.in_progress": ("推进中", "in progress"),
    "stage.blocked": ("受阻", "blocked"),
    "stage.done": ("申请办结", "applied for closure"),
    "stage.closed": ("已销号", "closed"),
    "stage.cancelled": ("已撤销", "cancelled"),
    # step names
    "step.ack": ("签收", "acknowledge"),
    "step.finish": ("申请办结", "apply for closure"),
    "step.close": ("销号", "close"),
    "step.return": ("退回重办", "send back"),
    "step.cancel": ("撤销", "cancel"),
    "step.extend": ("延期", "extend"),
    "step.undo": ("撤销上次修改", "undo the last change"),
    # subjects of the step commits ({id} {title} {n} {text} {old} {new})
    "subject.ack": ("{id} 已签收：{title}", "{id} acknowledged: {title}"),
    "subject.finish": ("{id} 申请办结：{text}", "{id} applied for closure: {text}"),
    "subject.close": ("{id} 已销号：{title}", "{id} closed: {title}"),
    "subject.return": ("{id} 退回重办（第{n}次）：{text}", "{id} sent back (time {n}): {text}"),
    "subject.cancel": ("{id} 已撤销：{text}", "{id} cancelled: {text}"),
    "subject.extend": ("{id} 延期 {old} → {new}：{text}", "{id} extended {old} → {new}: {text}"),
    "subject.undo": ("{id} 撤销上次修改：{text}", "{id} undo of the last change: {text}"),
    # body lines
    "body.return": ("退回重办（第{n}次）：{date} {by}：{reason}", "sent back (time {n}): {date} {by}: {reason}"),
    "body.extend": ("延期：{old} → {new}（{date} {by}）：{reason}", "extended: {old} → {new} ({date} {by}): {reason}"),
    "body.cancel": ("撤销：{date} {by}：{reason}", "cancelled: {date} {by}: {reason}"),
    "row.entry": ("{date} {by}：{reason}", "{date} {by}: {reason}"),
    "row.extend": ("{old} → {new}（{date} {by}）：{reason}", "{old} → {new} ({date} {by}): {reason}"),
    "body.return_what": ("退回重办（第{n}次）", "sent back (time {n})"),
    "body.undo": ("撤销提交 {sha}：{subject}", "undoes commit {sha}: {subject}"),
    "list_sep": ("、", ", "),
    "stage": ("流程阶段", "stage"),
    "returned_n": ("退回{n}次", "returned {n}×"),
    "returned_mark": ("（退回{n}次）", " (returned {n}×)"),
    # errors
    "not_allowed": ("{id} 当前状态为「{state}」，不能{step}；此状态可进行：{allowed}",
                    "{id} is {state_en}: it cannot be {step_en}; allowed from this state: {allowed_en}"),
    "none_allowed": ("无", "none"),
    "needs_reason": ("{step}需要理由（--reason）", "{step_en} needs a reason (--reason TEXT)"),
    "needs_report": ("申请办结需要办结报告（--report）", "applying for closure needs the report (--report TEXT)"),
    "needs_due": ("延期需要新的完成时限（--due YYYY-MM-DD）", "an extension needs the new due date (--due YYYY-MM-DD)"),
    "same_due": ("{id} 的完成时限已是 {due}，无需延期", "{id} is already due {due}; nothing to extend"),
    "due_before_start": ("新的完成时限 {due} 早于开始日期 {start}", "the new due date {due} is before the start {start}"),
    "open_work": ("{id} 尚有未完成事项：{what}；确认后仍要办结请加 --force",
                  "{id} still has open work: {what_en}; add --force to apply for closure anyway"),
    "open_progress": ("进度 {p}%", "progress {p}%"),
    "open_measures": ("措施 {nums} 未完成", "measures {nums} not done"),
    "offer_finish": ("{id} 进度已达 100%，措施全部完成：可申请办结（tracker finish {id} --report …）",
                     "{id} is at 100% with every measure done: apply for closure (tracker finish {id} --report …)"),
    "set_step": ("「{state}」是流程步骤，请用 tracker {cmd}", "{state_en} is a step of the cycle: use tracker {cmd}"),
    "set_from_final": ("{id} 已{state}，状态不能再直接修改（可用 tracker return 退回重办或 tracker undo 撤销上次修改）",
                       "{id} is {state_en}: its status is no longer set directly (tracker return sends it back, "
                       "tracker undo undoes the last change)"),
})

book("cycle", {  # the TUI's words for the steps (tracker/screens/task_detail.py)
    "tui.steps": ("可办理", "steps"),
    "tui.confirm": ("{step} {id} {title}？（一次提交）", "{step} {id} {title}? (one commit)"),
    "tui.confirm_undo": ("撤销 {id} 的上次修改（{last}）？（新提交恢复原值，历史保留）",
                         "Undo the last change of {id} ({last})? (a new commit restores the old values; history is kept)"),
    "tui.report": ("{id} 申请办结：办结报告", "{id} apply for closure: the closure report"),
    "tui.reason": ("{what}：理由", "{what}: the reason"),
    "tui.reason_label": ("理由", "reason"),
    "tui.open_work": ("{id} 尚有未完成事项：{what}。仍要标记为完成（申请办结）？",
                      "{id} still has open work: {what}. Mark it done (apply for closure) anyway?"),
    "tui.anyway": ("仍要办结", "Yes, anyway"),
    "tui.offer_finish": ("{id} 进度已达 100%，措施全部完成：可申请办结（按 f）",
                         "{id} is at 100% with every measure done: apply for closure (press f)"),
})


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[str, ...]   # states the step may be taken from
    target: str | None         # the state it leads to (None: unchanged, e.g. extend)
    who: str                   # "unit" (the item's own units, and the supervisor) or "supervisor"
    needs: tuple[str, ...] = ()   # "reason", "report", "due"


STEPS: dict[str, Step] = {s.name: s for s in (
    Step("ack", ("not_started",), "acked", "unit"),
    Step("finish", ("not_started", "acked", "in_progress", "blocked"), "done", "unit", ("report",)),
    Step("close", ("done",), "closed", "supervisor"),
    Step("return", ("done", "closed"), "in_progress", "supervisor", ("reason",)),
    Step("cancel", OPEN_STATES, "cancelled", "supervisor", ("reason",)),
    Step("extend", OPEN_STATES, None, "supervisor", ("due", "reason")),
)}


def is_done(status: str) -> bool:
    return status in DONE_STATES


def counts(status: str) -> bool:
    """False for a cancelled item: it leaves the ranking, the lights and the completion rates."""
    return status != "cancelled"


def stage_label(status: str, lang: str | None = "zh") -> str:
    return say(f"cycle.stage.{status}", lang) if f"stage.{status}" in L else status


def step_label(step: str, lang: str | None = "zh") -> str:
    return say(f"cycle.step.{step}", lang)


def allowed_steps(status: str) -> list[str]:
    return [s.name for s in STEPS.values() if status in s.sources]


def _get(item: Any, key: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        v = item.get(key, default)
        return default if v is None else v
    return getattr(item, key, default)


def item_id(item: Any, year: int | None = None) -> str:
    num = _get(item, "number", 0)
    year = year if year is not None else _get(item, "year", None)
    return f"{year}-{int(num):02d}" if year else f"{int(num):02d}"


book("cycle", {"unknown_step": ("未知步骤 {step!r}（可用步骤：{steps}）", "unknown step {step!r} (steps: {steps_en})")})


def check_step(step: str, status: str, ident: str = "") -> Step:
    """The step, or a TrackerError naming the state and the steps allowed from it."""
    st = STEPS.get(step)
    if st is None:
        args = dict(step=step, steps="、".join(f"{step_label(s, 'zh')}（{s}）" for s in STEPS), steps_en=", ".join(STEPS))
        raise TrackerError(say("cycle.unknown_step", "en", **args), key="cycle.unknown_step", **args)
    if status not in st.sources:
        allowed = allowed_steps(status)
        args = dict(id=ident, state=stage_label(status, "zh"), state_en=stage_label(status, "en"),
                    step=step_label(step, "zh"), step_en=_past(step),
                    allowed="、".join(f"{step_label(a, 'zh')}（tracker {a}）" for a in allowed) or say("cycle.none_allowed", "zh"),
                    allowed_en=", ".join(f"{step_label(a, 'en')} (tracker {a})" for a in allowed) or "none")
        raise TrackerError(say("cycle.not_allowed", "en", **args), key="cycle.not_allowed", **args)
    return st


def _past(step: str) -> str:
    return {"ack": "acknowledged", "finish": "applied for closure", "close": "closed", "return": "sent back",
            "cancel": "cancelled", "extend": "extended"}.get(step, step)


def times_returned(item: Any) -> int:
    r = _get(item, "returns", ())
    return len(r) if isinstance(r, (list, tuple)) else 0


def returned_mark(item: Any, lang: str | None = "zh") -> str:
    """'（退回2次）' after the status of an item sent back; '' for one never sent back."""
    n = times_returned(item)
    return say("cycle.returned_mark", lang, n=n) if n else ""


def open_work(item: Any, lang: str | None = "zh") -> list[str]:
    """What keeps the item from being finished: progress below 100, measures not done (empty: none)."""
    out = []
    p = _get(item, "progress", 0)
    if isinstance(p, int) and p < 100:
        out.append(say("cycle.open_progress", lang, p=p))
    nums = []
    for m in _get(item, "measures", ()) or ():
        mstatus = m.get("status") if isinstance(m, dict) else m.status
        if mstatus != "done":
            nums.append(str(m.get("number") if isinstance(m, dict) else m.number))
    if nums:
        out.append(say("cycle.open_measures", lang, nums=say("cycle.list_sep", lang).join(nums)))
    return out


def open_work_error(item: Any, ident: str) -> TrackerError | None:
    """The refusal of a finish / status done while work is open (None: nothing open)."""
    zh, en = open_work(item, "zh"), open_work(item, "en")
    if not zh:
        return None
    args = dict(id=ident, what="；".join(zh), what_en="; ".join(en))
    return TrackerError(say("cycle.open_work", "en", **args), key="cycle.open_work", **args)


def offers_finish(item: Any) -> bool:
    """Progress 100 and every measure done, still open: the moment to apply for closure."""
    return _get(item, "status", "") in STEPS["finish"].sources and not open_work(item)


def check_status_edit(old: str, new: str, ident: str = "") -> None:
    """A plain status edit (tracker set --status, the TUI's status picker): the cycle's own states
    and the states after closing or cancelling are reached only by their steps."""
    if old == new:
        return
    cmd = {"acked": "ack", "closed": "close", "cancelled": "cancel"}.get(new)
    if cmd:
        args = dict(state=stage_label(new, "zh"), state_en=stage_label(new, "en"), cmd=f"{cmd} {ident}".strip())
        raise TrackerError(say("cycle.set_step", "en", **args), key="cycle.set_step", **args)
    if old in ("closed", "cancelled"):
        args = dict(id=ident, state=stage_label(old, "zh"), state_en=stage_label(old, "en"))
        raise TrackerError(say("cycle.set_from_final", "en", **args), key="cycle.set_from_final", **args)


@dataclass
class StepPlan:
    """What one step writes: top-level fields to set, entries to append to a list field, and the
    commit's subject and trailers.  Values are plain (str, int, date, dict, list)."""
    step: str
    sets: dict[str, Any] = field(default_factory=dict)
    appends: dict[str, dict] = field(default_factory=dict)
    subject: dict[str, str] = field(default_factory=dict)   # lang -> subject line
    trailers: dict[str, str] = field(default_factory=dict)


def _clip(text: str, n: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def plan_step(step: str, item: Any, *, on: date, by: str = "", reason: str = "", report: str = "",
              due: date | None = None, year: int | None = None, force: bool = False) -> StepPlan:
    """Check the step against the item and say what it writes.  Raises TrackerError (nothing
    written): not allowed from the state, a missing reason/report/due, open work on finish
    without `force`, an extension to the same date or before the start."""
    status = str(_get(item, "status", ""))
    ident = item_id(item, year)
    st = check_step(step, status, ident)
    reason, report = " ".join(str(reason or "").split()), str(report or "").strip()
    if "reason" in st.needs and not reason:
        args = dict(step=step_label(step, "zh"), step_en=step_label(step, "en").capitalize())
        raise TrackerError(say("cycle.needs_reason", "en", **args), key="cycle.needs_reason", **args)
    if "report" in st.needs and not report:
        raise TrackerError(say("cycle.needs_report", "en"), key="cycle.needs_report")
    title = _clip(_get(item, "title", ""))
    plan = StepPlan(step, trailers={"Tracker-Task": ident, "Tracker-Step": step})
    words = dict(id=ident, title=title, text=title)
    if step == "ack":
        plan.sets = {"status": "acked", "acked": on}
    elif step == "finish":
        if not force:
            err = open_work_error(item, ident)
            if err is not None:
                raise err
        plan.sets = {"status": "done", "report": report, "finished": on}
        words["text"] = _clip(report)
    elif step == "close":
        plan.sets = {"status": "closed", "closed": on}
    elif step == "return":
        n = times_returned(item) + 1
        plan.sets = {"status": "in_progress"}
        if _get(item, "closed", None) is not None:
            plan.sets["closed"] = None   # None: remove the field
        plan.appends = {"returns": {"date": on, "by": by, "reason": reason}}
        words.update(n=str(n), text=_clip(reason))
        plan.trailers["Tracker-Returns"] = str(n)
    elif step == "cancel":
        plan.sets = {"status": "cancelled", "cancelled": {"date": on, "by": by, "reason": reason}}
        words["text"] = _clip(reason)
    elif step == "extend":
        if due is None:
            raise TrackerError(say("cycle.needs_due", "en"), key="cycle.needs_due")
        old = _get(item, "due", None)
        old_iso = old.isoformat() if isinstance(old, date) else str(old or "")
        if old_iso == due.isoformat():
            raise TrackerError(say("cycle.same_due", "en", id=ident, due=old_iso), key="cycle.same_due", id=ident, due=old_iso)
        start = _get(item, "start", None)
        if isinstance(start, date) and due < start:
            args = dict(due=due.isoformat(), start=start.isoformat())
            raise TrackerError(say("cycle.due_before_start", "en", **args), key="cycle.due_before_start", **args)
        plan.sets = {"due": due}
        plan.appends = {"extensions": {"date": on, "by": by, "from": old if isinstance(old, date) else old_iso,
                                       "to": due, "reason": reason}}
        words.update(old=old_iso, new=due.isoformat(), text=_clip(reason))
    plan.subject = {lang: say(f"cycle.subject.{step}", lang, **words) for lang in ("zh", "en")}
    return plan


def entry_line(fld: str, entry: dict, n: int, lang: str | None) -> str:
    """One body line for an appended or set entry (returns / extensions / cancelled)."""
    def s(v: Any) -> str:
        return v.isoformat() if isinstance(v, date) else " ".join(str(v if v is not None else "").split())
    if fld == "returns":
        return say("cycle.body.return", lang, n=n, date=s(entry.get("date")), by=s(entry.get("by")), reason=s(entry.get("reason")))
    if fld == "extensions":
        return say("cycle.body.extend", lang, old=s(entry.get("from")), new=s(entry.get("to")), date=s(entry.get("date")),
                   by=s(entry.get("by")), reason=s(entry.get("reason")))
    return say("cycle.body.cancel", lang, date=s(entry.get("date")), by=s(entry.get("by")), reason=s(entry.get("reason")))


def cycle_rows(task: Any, lang: str | None = "zh") -> list[tuple[str, str]]:
    """(label, text) rows of the item's cycle record for a detail view (`tracker show`, the TUI):
    the stage, 签收, 申请办结 with the report, 销号, each 退回 and 延期, 撤销.  Empty for an item
    that has none of them (an older file reads as before)."""
    from .i18n import field_label

    def d(v: Any) -> str:
        return v.isoformat() if isinstance(v, date) else str(v or "")

    rows: list[tuple[str, str]] = []
    status = _get(task, "status", "")
    if _get(task, "acked", None) or _get(task, "finished", None) or _get(task, "returns", ()) or \
            _get(task, "extensions", ()) or _get(task, "cancelled", None) or status in ("acked", "closed"):
        rows.append((say("cycle.stage", lang), stage_label(status, lang) + returned_mark(task, lang)))
    for key in ("acked", "finished", "closed"):
        if _get(task, key, None):
            rows.append((field_label(key, lang), d(_get(task, key))))
    if _get(task, "report", ""):
        rows.append((field_label("report", lang), _get(task, "report")))
    def s(v: Any) -> str:
        return d(v) if isinstance(v, date) else " ".join(str(v or "").split())

    for i, r in enumerate(_get(task, "returns", ()) or (), start=1):
        rows.append((say("cycle.body.return_what", lang, n=i),
                     say("cycle.row.entry", lang, date=s(r.get("date")), by=s(r.get("by")), reason=s(r.get("reason")))))
    for e in _get(task, "extensions", ()) or ():
        rows.append((field_label("extensions", lang),
                     say("cycle.row.extend", lang, old=s(e.get("from")) or "?", new=s(e.get("to")), date=s(e.get("date")),
                         by=s(e.get("by")), reason=s(e.get("reason")))))
    c = _get(task, "cancelled", None)
    if c:
        rows.append((field_label("cancelled", lang),
                     say("cycle.row.entry", lang, date=s(c.get("date")), by=s(c.get("by")), reason=s(c.get("reason")))))
    return rows
