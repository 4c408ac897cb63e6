"""One task: every field, its measures with their own statuses, its units (lead marked); the edit keys."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from ..i18n import book, field_label, say, word
from ..model import STATUSES, TASK_TABLE, TrackerError
from ..edits import parse_typed
from ..schedule import expected_progress
from ..widgets.dialogs import InputDialog, PickerDialog, TextDialog
from .base import BaseScreen, bar, light_text, short_date, status_text
from .labels import L


book("task_detail", {"not_saved": ("未保存：{detail}", "{detail}"), "lead_mark": ("（{mark}）", " ({mark})")})

#: the screen's own rows among the field table's (tracker.model.FieldSpec.detail places)
DETAIL_LIGHT, DETAIL_LAST_CHANGE, DETAIL_FILE = 40, 110, 1000


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
        ]
        rows = [(k, v) for _, k, v in sorted(rows, key=lambda r: r[0]) if v is not None]
        for k, v in rows:
            grid.add_row(Text(k), v)
        self.query_one("#detail-fields", Static).update(grid)

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
            return status_text(v, lang)
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
        self.app.save_task(t, changes, expect=expect)

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
            self.app.save_task(t, {field: value}, expect=dlg.expect, dialog=dlg)

        dialog.on_submit = submit
        self.app.push_screen(dialog)

    def action_edit_status(self) -> None:
        t = self._editable()
        if t is None:
            return
        expect = self._opened_blob(t)
        opts = [(s, status_text(s, self.lang)) for s in STATUSES]
        self.app.push_screen(PickerDialog(L("pick_status", self.lang), opts, t.status),
                             lambda v: v and self._save(t, {"status": v}, expect))

    def action_edit_progress(self) -> None:
        t = self._editable()
        if t is not None:
            self._edit_in(InputDialog(L("enter_progress", self.lang), str(t.progress)), t, "progress",
                          convert=lambda v: parse_typed("progress", v))

    def action_edit_due(self) -> None:
        t = self._editable()
        if t is not None:
            self._edit_in(InputDialog(L("enter_due", self.lang), t.due.isoformat()), t, "due",
                          convert=lambda v: parse_typed("due", v))

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

    def check_action(self, action: str, parameters) -> bool | None:
        """`k` is offered only when the task has a recorded conflict (hidden from the footer otherwise)."""
        if action == "resolve_conflict":
            t, data = self.task, self.app.data
            return bool(t is not None and data is not None and t.path in data.conflicted)
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

