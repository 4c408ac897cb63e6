"""One task: every field, its measures with their own statuses, its units (lead marked); the edit keys."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from .. import cycle
from ..i18n import book, field_label, say, word
from ..model import STATUSES, TASK_TABLE, TrackerError
from ..edits import parse_typed
from ..schedule import expected_progress
from ..bindings import keys_for
from ..widgets.dialogs import FormDialog, InputDialog, PickerDialog, TextDialog
from .base import BaseScreen, bar, light_text, short_date, stage_text, status_text
from .labels import L


book("task_detail", {
    "not_saved": ("未保存：{detail}", "{detail}"), "lead_mark": ("（{mark}）", " ({mark})"),
    # the plan's own changes (issue 13: tracker.items.edit_item / add_measure / remove_measure), a reason each
    "edit_item": ("{id} 修改立项", "{id} edit item"),
    "item_text": ("事项内容", "item text"),
    "plan_reason": ("修改理由（必填，记入提交）", "reason (required, kept in the commit)"),
    "add_measure": ("{id} 增加措施", "{id} add a measure"),
    "measure_text": ("措施内容", "measure text"),
    "pick_remove": ("{id} 删除哪项措施？", "{id}: remove which measure?"),
    "remove_measure": ("{id} 删除措施 {k}：{text}", "{id} remove measure {k}: {text}"),
    "no_measures": ("{id} 没有措施可删除", "{id} has no measure to remove"),
})

#: the screen's own rows among the field table's (tracker.model.FieldSpec.detail places)
DETAIL_LIGHT, DETAIL_LAST_CHANGE, DETAIL_FILE = 40, 110, 1000
DETAIL_CYCLE = 200  # the cycle's record (cycle.cycle_rows) and the steps allowed, after the texts


class TaskDetailScreen(BaseScreen):
    SCOPE = "detail"

    def __init__(self, task_id: str, **kw):
        super().__init__(**kw)
        self.task_id = task_id

    @property
    def task(self):
        return self.app.tasks_by_id.get(self.task_id)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-title", markup=False)
            yield Static("", id="detail-fields", markup=False)
            yield Label(L("measures", self.lang), classes="section-title")
            yield Static("", id="measures", markup=False)
            yield Label(L("units_of_task", self.lang), classes="section-title")
            yield Static("", id="detail-units", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.task_id

    def refresh_data(self, kind: str = "data") -> None:
        if kind == "index":
            return
        t = self.task
        lang = self.lang
        app = self.app
        title = self.query_one("#detail-title", Static)
        if t is None:
            title.update(Text(f"{self.task_id}: —", style="bold red"))
            return
        conflicted = app.data is not None and t.path in app.data.conflicted
        head = Text(f"{t.id}  ", style="bold") + Text(t.title, style="bold")
        if conflicted:
            head += Text(f"   {L('conflict_badge', lang)} (k)", style="bold magenta")
        title.update(head)
        self.refresh_bindings()

        # expand + fold: a long 进展情况/存在问题/下步打算 wraps over as many lines as it needs (the
        # detail is the one place the whole text is read, not only the edit dialog)
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        lc = app.last.get(t.path)
        exp = expected_progress(t, app.th, app.today) if app.th else None
        rows = [(f.detail, say(f.label_key, lang), self._value(t, f, exp)) for f in TASK_TABLE if f.detail is not None]
        rows += [
            (DETAIL_LIGHT, L("light", lang), light_text(app.lights.get(t.id), lang)),
            (DETAIL_LAST_CHANGE, L("last_change", lang),
             Text(f"{short_date(lc.date)} {lc.author} {lc.sha[:7]}") if lc else Text("—")),
            (DETAIL_FILE, L("file", lang), Text(t.path, style="dim")),
            *[(DETAIL_CYCLE + i, label, Text(value)) for i, (label, value) in enumerate(cycle.cycle_rows(t, lang))],
            *([(DETAIL_CYCLE + 99, say("cycle.tui.steps", lang), steps)] if (steps := self._steps_text(t)) else []),
        ]
        rows = [(k, v) for _, k, v in sorted(rows, key=lambda r: r[0]) if v is not None]
        for k, v in rows:
            grid.add_row(Text(k), v)
        self.query_one("#detail-fields", Static).update(grid)
        if getattr(self, "_offer_finish", False):
            self._offer_finish = False
            if cycle.offers_finish(t):
                self.notify(say("cycle.tui.offer_finish", lang, id=t.id), timeout=12, markup=False)

        mt = Table(box=None, padding=(0, 1), expand=True, show_header=True, header_style="bold")
        mt.add_column("#", justify="right", no_wrap=True)
        mt.add_column(word("status", lang), no_wrap=True)
        mt.add_column(word("due", lang), no_wrap=True)
        mt.add_column(L("measures", lang), ratio=1, overflow="fold")
        for m in t.measures:
            mt.add_row(Text(str(m.number)), status_text(m.status, lang), Text(m.due.isoformat() if m.due else ""),
                       Text(m.text))
        self.query_one("#measures", Static).update(mt)
        units = Text()
        leads = set(t.lead_units)
        for i, u in enumerate(t.units):
            if i:
                units.append("  ")
            is_lead = u in leads
            units.append_text(Text(u, style="bold" if is_lead else ""))
            units.append(say("task_detail.lead_mark", lang, mark=L("lead_mark", lang)) if is_lead else "", style="green")
        self.query_one("#detail-units", Static).update(units)

    def _value(self, t, f, exp: int | None) -> Text | None:
        """A field's value as a detail row; None: no row (an optional field the file does not set)."""
        lang = self.lang
        v = getattr(t, f.name)
        if f.name == "progress":
            progress = Text(f"{v}%  ") + bar(v / 100, 20, "cyan")
            if exp is not None:
                progress += Text(f"  {L('expected', lang)} {exp}%", style="dim")
            return progress
        if f.name in ("kind", "urgency", "text"):  # items of any kind (tracker.itemkinds): nothing for a plan task's defaults
            from ..itemkinds import kind_label, urgency_label

            if v in ("plan", "normal", ""):
                return None
            return Text(v if f.name == "text" else (kind_label if f.name == "kind" else urgency_label)(v, lang))
        if f.name == "leads":  # every lead unit (the first unit when the file names none), 等 when open
            return Text("、".join(t.lead_units) + (f"  {L('open_units', lang)}" if t.open_units else ""))
        if f.kind == "status":
            return stage_text(v, lang)
        if f.kind == "text":  # 进展情况/存在问题/下步打算: always a row; 存在问题 stands out
            return Text(v or "—", style="yellow" if f.name == "problems" and v else "")
        if not f.required and not v:
            return None
        if f.kind == "flag":
            return Text("⚠", style="yellow")
        if f.kind == "date":
            return Text(v.isoformat())
        if f.kind == "names":
            return Text("、".join(v))
        return Text(str(v))

    # -- edits ------------------------------------------------------------------------------
    def _editable(self):
        """The task, when it may be edited now: the as-of view is refused before any dialog opens."""
        if self.app.read_only:
            self.notify(L("asof_refuse", self.lang), severity="warning", timeout=8)
            return None
        return self.task

    def _opened_blob(self, t) -> str | None:
        """The version the officer sees as the dialog opens: a save is checked against it."""
        data = self.app.data
        return data.digests.get(t.path) if data else None

    def _save(self, t, changes: dict, expect: str | None) -> None:
        self.app.save_task(t, changes, self._after_save, expect=expect)

    def _after_save(self, result) -> None:
        """A save that leaves the item at 100 % with every measure done offers 申请办结 (on the next load)."""
        if result is not None:
            self._offer_finish = True

    def _edit_in(self, dialog, t, field: str, convert=None) -> None:
        """Open a Submitting dialog; it stays open (text kept) on a refused save."""
        dialog.expect = self._opened_blob(t)

        def submit(value, dlg) -> None:
            if convert is not None:
                try:
                    value = convert(value)
                except TrackerError as exc:  # the details in the user's language (tracker.edits.input_error)
                    dlg.show_error(say("task_detail.not_saved", self.lang, detail=exc.text(self.lang)))
                    return
            self.app.save_task(t, {field: value}, self._after_save, expect=dlg.expect, dialog=dlg)

        dialog.on_submit = submit
        self.app.push_screen(dialog)

    def action_edit_status(self) -> None:
        t = self._editable()
        if t is None:
            return
        if t.status in ("closed", "cancelled"):  # reached and left by the cycle's steps only
            try:
                cycle.check_status_edit(t.status, "in_progress", t.id)
            except TrackerError as exc:
                self.notify(exc.text(self.lang), severity="warning", timeout=10, markup=False)
            return
        expect = self._opened_blob(t)
        opts = [(s, stage_text(s, self.lang)) for s in STATUSES]

        def chosen(v: str | None) -> None:
            if not v:
                return
            if v == "done" and t.status != "done":  # done while work is open: ask, naming it
                self._confirm_open_work(t, lambda: self._save(t, {"status": v}, expect))
                return
            self._save(t, {"status": v}, expect)

        self.app.push_screen(PickerDialog(L("pick_status", self.lang), opts, t.status), chosen)

    def _confirm_open_work(self, t, go) -> None:
        """Run `go` at once when nothing is open; else ask first, naming the open progress and measures."""
        what = cycle.open_work(t, self.lang)
        if not what:
            go()
            return
        sep = say("cycle.list_sep", self.lang)
        self.app.push_screen(
            PickerDialog(say("cycle.tui.open_work", self.lang, id=t.id, what=sep.join(what)),
                         [("go", Text(say("cycle.tui.anyway", self.lang))), ("", Text(L("cancel", self.lang)))], None),
            lambda answer: answer == "go" and go())

    # -- the supervision cycle (tracker/cycle.py); the commit is made in the app's save worker --
    def _steps_text(self, t) -> Text:
        """The steps allowed from the item's state, with their keys: 签收 A  申请办结 f  …"""
        if self.app.read_only:
            return Text("")
        keys = {k.action: k for k in keys_for("detail")}
        out = Text()
        for step in cycle.allowed_steps(t.status):
            k = keys.get(f"step('{step}')")
            if k is not None:
                out.append(f"{cycle.step_label(step, self.lang)} ")
                out.append(k.shown_key, style="bold")
                out.append("   ")
        return out

    def _run_step(self, t, step: str, dialog=None, **kw) -> None:
        from ..lifecycle import take_step

        ws = self.app.ws
        expect = self._opened_blob(t)
        self.app._save(lambda: take_step(ws, t.number, step, expect=expect, **kw), None, dialog, t.path, "")

    def action_step(self, step: str) -> None:
        t = self._editable()
        if t is None:
            return
        lang = self.lang
        try:
            cycle.check_step(step, t.status, t.id)
        except TrackerError as exc:
            self.notify(exc.text(lang), severity="warning", timeout=10, markup=False)
            return
        title = f"{t.id} {cycle.step_label(step, lang)}"
        if step in ("ack", "close"):  # no text to give: a confirmation
            self.app.push_screen(
                PickerDialog(say("cycle.tui.confirm", lang, step=cycle.step_label(step, lang), id=t.id, title=t.title),
                             [("go", Text(cycle.step_label(step, lang))), ("", Text(L("cancel", lang)))], None),
                lambda answer: answer == "go" and self._run_step(t, step))
        elif step == "finish":
            def report() -> None:
                dlg = TextDialog(say("cycle.tui.report", lang, id=t.id), t.report, lang)
                dlg.on_submit = lambda value, d: self._run_step(t, "finish", d, report=value, force=True)
                self.app.push_screen(dlg)

            self._confirm_open_work(t, report)
        elif step in ("return", "cancel"):
            dlg = InputDialog(say("cycle.tui.reason", lang, what=title))
            dlg.on_submit = lambda value, d: self._run_step(t, step, d, reason=value)
            self.app.push_screen(dlg)
        elif step == "extend":
            dlg = FormDialog(title, [("due", field_label("due", lang), t.due.isoformat()),
                                     ("reason", say("cycle.tui.reason_label", lang), "")], lang)

            def submit(values: dict, d) -> None:
                try:
                    due = parse_typed("due", values["due"])
                except TrackerError as exc:
                    d.show_error(exc.text(self.lang))
                    return
                self._run_step(t, "extend", d, due=due, reason=values["reason"])

            dlg.on_submit = submit
            self.app.push_screen(dlg)

    def action_undo(self) -> None:
        t = self._editable()
        if t is None:
            return
        lang = self.lang
        lc = self.app.last.get(t.path)
        last = f"{short_date(lc.date)} {lc.author} {lc.sha[:7]}" if lc else "—"

        def go() -> None:
            from ..lifecycle import undo

            ws, expect = self.app.ws, self._opened_blob(t)
            self.app._save(lambda: undo(ws, t.number, expect=expect), None, None, t.path, "")

        self.app.push_screen(
            PickerDialog(say("cycle.tui.confirm_undo", lang, id=t.id, last=last),
                         [("go", Text(cycle.step_label("undo", lang))), ("", Text(L("cancel", lang)))], None),
            lambda answer: answer == "go" and go())

    def action_edit_progress(self) -> None:
        t = self._editable()
        if t is not None:
            self._edit_in(InputDialog(L("enter_progress", self.lang), str(t.progress)), t, "progress",
                          convert=lambda v: parse_typed("progress", v))

    def action_edit_due(self) -> None:
        """A due change is an extension (延期), as on the command line (tracker.items.extend_due): the new
        date, then the reason; one commit through the cycle's step, kept in the file's `extensions:`."""
        t = self._editable()
        if t is None:
            return
        lang = self.lang

        def submit(value, dlg) -> None:
            try:
                due = parse_typed("due", value)
            except TrackerError as exc:  # the details in the user's language (tracker.edits.input_error)
                dlg.show_error(say("task_detail.not_saved", lang, detail=exc.text(lang)))
                return
            dlg.dismiss(None)
            if due == t.due:
                return
            ask = InputDialog(say("cycle.tui.reason", lang, what=f"{t.id} {cycle.step_label('extend', lang)} "
                                                                f"{t.due.isoformat()} → {due.isoformat()}"))
            ask.on_submit = lambda reason, d: self._run_step(t, "extend", d, due=due, reason=reason)
            self.app.push_screen(ask)

        self.app.push_screen(InputDialog(L("enter_due", lang), t.due.isoformat(), on_submit=submit))

    def _edit_text(self, field: str) -> None:
        t = self._editable()
        if t is not None:
            label = L("edit_of", self.lang, field=field_label(field, self.lang))
            self._edit_in(TextDialog(f"{t.id} {label}", getattr(t, field), self.lang), t, field)

    def action_edit_note(self) -> None:
        self._edit_text("note")

    def action_edit_problems(self) -> None:
        self._edit_text("problems")

    def action_edit_next_steps(self) -> None:
        self._edit_text("next_steps")

    def action_edit_measure(self) -> None:
        t = self._editable()
        if t is None or not t.measures:
            return
        expect = self._opened_blob(t)
        opts = [(str(m.number), status_text(m.status, self.lang) + Text("  ") + Text(m.text)) for m in t.measures]

        def measure_chosen(num: str | None) -> None:
            if not num:
                return
            m = next(m for m in t.measures if str(m.number) == num)
            sopts = [(s, status_text(s, self.lang)) for s in STATUSES]
            self.app.push_screen(PickerDialog(f"{word('measure', self.lang)} {num}: {L('pick_status', self.lang)}",
                                              sopts, m.status),
                                 lambda s: s and self._save(t, {f"measures.{num}.status": s}, expect))

        self.app.push_screen(PickerDialog(L("pick_measure", self.lang), opts, None), measure_chosen)

    # -- the plan's own changes (tracker.items): one commit each, the reason in its trailers --------
    def _plan_change(self, fn, dialog) -> None:
        """Run a tracker.items plan change in the app's save worker; a refusal stays in the dialog."""
        t = self.task
        self.app._save(fn, None, dialog, t.path if t else "", "")

    def action_edit_item(self) -> None:
        """`E` 修改立项: title, leader, ref and the item's text prefilled, plus the reason (required);
        only the changed fields are passed to items.edit_item (units: `tracker edit --lead/--unit`)."""
        t = self._editable()
        if t is None:
            return
        lang = self.lang
        fields = [("title", field_label("title", lang), t.title), ("leader", field_label("leader", lang), t.leader),
                  ("ref", field_label("ref", lang), t.ref), ("text", say("task_detail.item_text", lang), t.text),
                  ("reason", say("task_detail.plan_reason", lang), "")]
        before = {name: value for name, _, value in fields}
        dlg = FormDialog(say("task_detail.edit_item", lang, id=t.id), fields, lang)

        def submit(values: dict, d) -> None:
            from ..items import edit_item

            changed = {k: v for k, v in values.items() if k != "reason" and v.strip() != (before[k] or "").strip()}
            if not changed:
                d.dismiss(None)
                self.notify(L("no_change", lang))
                return
            ws, number, reason = self.app.ws, t.number, values["reason"]
            self._plan_change(lambda: edit_item(ws, number, changed, reason, lang=lang), d)

        dlg.on_submit = submit
        self.app.push_screen(dlg)

    def action_add_measure(self) -> None:
        """`+` 增加措施: its text and the reason, one commit (items.add_measure)."""
        t = self._editable()
        if t is None:
            return
        lang = self.lang
        dlg = FormDialog(say("task_detail.add_measure", lang, id=t.id),
                         [("text", say("task_detail.measure_text", lang), ""),
                          ("reason", say("task_detail.plan_reason", lang), "")], lang)

        def submit(values: dict, d) -> None:
            from ..items import add_measure

            ws, number = self.app.ws, t.number
            self._plan_change(lambda: add_measure(ws, number, values["text"], values["reason"], lang=lang), d)

        dlg.on_submit = submit
        self.app.push_screen(dlg)

    def action_remove_measure(self) -> None:
        """`-` 删除措施: pick the measure, then the reason, one commit (items.remove_measure)."""
        t = self._editable()
        if t is None:
            return
        lang = self.lang
        if not t.measures:
            self.notify(say("task_detail.no_measures", lang, id=t.id), severity="warning", markup=False)
            return
        opts = [(str(m.number), status_text(m.status, lang) + Text("  ") + Text(m.text)) for m in t.measures]

        def chosen(num: str | None) -> None:
            if not num:
                return
            from ..items import remove_measure

            m = next(m for m in t.measures if str(m.number) == num)
            ask = InputDialog(say("cycle.tui.reason", lang,
                                  what=say("task_detail.remove_measure", lang, id=t.id, k=num, text=m.text)))
            ws, number = self.app.ws, t.number
            ask.on_submit = lambda reason, d: self._plan_change(
                lambda: remove_measure(ws, number, int(num), reason, lang=lang), d)
            self.app.push_screen(ask)

        self.app.push_screen(PickerDialog(say("task_detail.pick_remove", lang, id=t.id), opts, None), chosen)

    def check_action(self, action: str, parameters) -> bool | None:
        """`k` is offered only when the task has a recorded conflict (hidden from the footer otherwise)."""
        if action == "resolve_conflict":
            t, data = self.task, self.app.data
            return bool(t is not None and data is not None and t.path in data.conflicted)
        if action == "step":  # a step of the cycle: offered only from the states it is allowed from
            t = self.task
            return bool(t is not None and parameters and parameters[0] in cycle.allowed_steps(t.status))
        return True

    def action_history(self) -> None:
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.task_id))

    def action_resolve_conflict(self) -> None:
        t = self._editable()
        if t is None or self.app.data is None or t.path not in self.app.data.conflicted:
            if t is not None:
                self.notify(L("no_conflict", self.lang))
            return
        try:
            from .conflict_screen import ConflictScreen
        except ImportError:
            self.notify(L("not_available", self.lang), severity="warning")
            return

        def done(result) -> None:
            if result is not None:
                self.notify(L("saved", self.lang, sha=result.short), markup=False)
            self.app.reload()

        self.app.push_screen(ConflictScreen(self.app.ws, t.path, self.lang), done)

    def action_back(self) -> None:
        self.app.pop_screen()

