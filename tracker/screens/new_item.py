"""立项交办: the form that registers and assigns a new item (issue 13 §1), the TUI's `tracker new`.

`N` on the dashboard or the task list opens it.  Kind and urgency are pickers with their labels
(tracker.itemkinds); the lead unit and the co-units use the units picker of the task list (search
by text or pinyin); the due date is filled in from items.default_due for the kind, the urgency
and the 交办 date, and filled in again when one of those changes, until the officer types a date
of their own.  Ctrl+S (or 保存) checks the typed dates here, then items.create runs in the app's
save worker (never on the UI thread): one commit, the list shows and selects the new id.  A refused
item (empty title, no lead, a due date before the start, an unknown unit) keeps the form open with
everything typed and the reason in the user's language; nothing is written.
"""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from ..i18n import book, say
from ..itemkinds import KINDS, URGENCIES, kind_label, urgency_label
from ..model import FIELD, TrackerError
from ..widgets.dialogs import FormInput, PickerDialog, Submitting
from ..widgets.keys import install_bindings

book("new_item", {
    "title": ("立项交办：登记新事项", "Register and assign a new item"),
    "kind": ("类型", "Kind"),
    "urgency": ("紧急程度", "Urgency"),
    "item_title": ("标题", "Title"),
    "lead": ("牵头单位", "Lead unit"),
    "units": ("协办单位", "Co-units"),
    "start": ("交办日期", "Assigned on"),
    "due": ("完成时限", "Due"),
    "leader": ("分管领导", "Leader"),
    "ref": ("文号/批示", "Ref. / instruction"),
    "text": ("内容", "Text"),
    "choose": ("选择…", "choose…"),
    "none": ("（无）", "(none)"),
    "add_unit": ("增减", "Add/remove"),
    "pick_kind": ("选择类型", "Choose the kind"),
    "pick_urgency": ("选择紧急程度", "Choose the urgency"),
    "pick_lead": ("选择牵头单位", "Choose the lead unit"),
    "pick_unit": ("选择协办单位（再选一次即移除）", "Choose a co-unit (choose it again to remove it)"),
    "due_auto": ("按类型和紧急程度自动填写：{start} 起 {days} 天", "filled in for the kind and urgency: {days} days from {start}"),
    "due_clamped": ("按默认天数应为 {computed}，已超出 {year} 年末，定为年末", "by the default days {computed}, past the end of {year}: set to the year's end"),
    "due_own": ("已手动填写", "typed by hand"),
    "discard_ask": ("已填写内容：再按 Esc 放弃，ctrl+s 保存", "You filled something in: Esc again discards it, ctrl+s saves"),
    "hint": ("ctrl+s 保存（一次提交），esc 取消", "ctrl+s saves (one commit), esc cancels"),
    "bad_date": ("{field}：{detail}", "{field}: {detail}"),
    "created": ("已立项：{id}", "registered: {id}"),
    "plan_year": ("交办日期须在计划年度 {year} 内", "the assignment date must be in the plan's year {year}"),
})


def plan_start(today: date, year: int) -> date:
    """The 交办 date a new item starts with: today, within the plan's year (as items.prepare)."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


class NewItemScreen(Submitting, ModalScreen[object]):
    """The form; dismissed with the CommitResult of the new item (or None when cancelled)."""

    SCOPE = "new_item"
    AUTO_FOCUS = "#ni-title"
    DISCARD_LABEL = "new_item.discard_ask"

    def __init__(self, units: list[str], settings: dict, year: int, today: date, lang: str):
        super().__init__(classes="dialog")
        self.units = units
        self.settings = settings or {}
        self.year = year
        self.lang = lang
        self.kind = "instruction"
        self.urgency = "normal"
        self.lead = ""
        self.co: list[str] = []
        self.start_text = plan_start(today, year).isoformat()
        self._auto_due = self._default_due(self.start_text) or ""
        self._confirm_cancel = False
        install_bindings(self, self.SCOPE, lang)

    # -- the form -------------------------------------------------------------------------------
    def _t(self, key: str, **args) -> str:
        return say(f"new_item.{key}", self.lang, **args)

    def compose(self) -> ComposeResult:
        t = self._t
        with Vertical(classes="dialog-box", id="new-item"):
            yield Label(Text(t("title")), classes="dialog-title")
            with VerticalScroll(id="ni-form"):
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("kind")), classes="ni-label")
                    yield Button(self._kind_label(), id="ni-kind", classes="ni-pick")
                    yield Label(Text(t("urgency")), classes="ni-label ni-label2")
                    yield Button(self._urgency_label(), id="ni-urgency", classes="ni-pick")
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("item_title")), classes="ni-label")
                    yield self._input("title", "")
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("lead")), classes="ni-label")
                    yield Button(Text(t("choose")), id="ni-lead", classes="ni-pick ni-wide")
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("units")), classes="ni-label")
                    yield Static(Text(t("none"), style="dim"), id="ni-units-shown", classes="ni-value", markup=False)
                    yield Button(Text(t("add_unit")), id="ni-units", classes="ni-pick")
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("start")), classes="ni-label")
                    yield self._input("start", self.start_text, classes="ni-date")
                    yield Label(Text(t("due")), classes="ni-label ni-label2")
                    yield self._input("due", self._auto_due, classes="ni-date")
                with Horizontal(classes="ni-row ni-hint-row"):
                    yield Label(Text(""), classes="ni-label")
                    yield Static("", id="ni-due-hint", classes="ni-hint", markup=False)
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("leader")), classes="ni-label")
                    yield self._input("leader", "")
                with Horizontal(classes="ni-row"):
                    yield Label(Text(t("ref")), classes="ni-label")
                    yield self._input("ref", "")
                with Horizontal(classes="ni-row ni-text-row"):
                    yield Label(Text(t("text")), classes="ni-label")
                    yield TextArea("", id="ni-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield self.error_widget()
            with Horizontal(classes="dialog-buttons"):
                yield Label(Text(t("hint"), style="dim"))
                yield Button(say("dialog.save", self.lang), id="save", variant="primary")
                yield Button(say("dialog.cancel", self.lang), id="cancel")

    def _input(self, name: str, value: str, classes: str = "") -> FormInput:
        field = FormInput(value, id=f"ni-{name}", classes=classes)
        field.on_enter = self._enter
        return field

    def on_mount(self) -> None:
        self._show_due_hint()
        self.query_one("#ni-title", Input).focus()

    def _kind_label(self) -> Text:
        return Text(kind_label(self.kind, self.lang))

    def _urgency_label(self) -> Text:
        return Text(urgency_label(self.urgency, self.lang), style="bold red" if self.urgency != "normal" else "")

    # -- the due date ---------------------------------------------------------------------------
    def _default_due(self, start_text: str) -> str | None:
        from ..edits import parse_typed
        from ..items import default_due

        try:
            start = parse_typed("due", start_text)
            due = default_due(self.settings, self.year, self.kind, self.urgency, start)
        except TrackerError:
            return None
        from datetime import date

        self._computed_due = due  # a default past the plan year's end stays in the year, as `tracker new` does
        return min(due, date(self.year, 12, 31)).isoformat()

    def _value(self, name: str) -> str:
        return self.query_one(f"#ni-{name}", Input).value

    def _due_is_own(self) -> bool:
        return self._value("due").strip() != self._auto_due

    def _refill_due(self) -> None:
        """The default for the kind, urgency and 交办 date, unless the officer typed a due date."""
        own = self._due_is_own()
        new = self._default_due(self._value("start"))
        if new is None:
            return
        if not own:
            self.query_one("#ni-due", Input).value = new
        self._auto_due = new if not own else self._auto_due
        self._show_due_hint()

    def _show_due_hint(self) -> None:
        hint = self.query_one("#ni-due-hint", Static)
        if self._due_is_own():
            hint.update(Text(self._t("due_own"), style="yellow"))
            return
        from ..edits import parse_typed

        try:
            start = parse_typed("due", self._value("start"))
            due = parse_typed("due", self._auto_due)
            days = (due - start).days
        except TrackerError:
            hint.update(Text(""))
            return
        computed = getattr(self, "_computed_due", None)
        if computed is not None and computed > due:
            hint.update(Text(self._t("due_clamped", computed=computed.isoformat(), year=self.year), style="yellow"))
            return
        hint.update(Text(self._t("due_auto", start=start.isoformat(), days=days), style="dim"))

    @on(Input.Changed, "#ni-start")
    def _start_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refill_due()

    @on(Input.Changed, "#ni-due")
    def _due_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_due_hint()

    # -- pickers --------------------------------------------------------------------------------
    @on(Button.Pressed, "#ni-kind")
    def pick_kind(self) -> None:
        opts = [(k, Text(kind_label(k, self.lang))) for k in KINDS]

        def chosen(k: str | None) -> None:
            if k:
                self.kind = k
                self.query_one("#ni-kind", Button).label = self._kind_label()
                self._refill_due()
        self.app.push_screen(PickerDialog(self._t("pick_kind"), opts, self.kind), chosen)

    @on(Button.Pressed, "#ni-urgency")
    def pick_urgency(self) -> None:
        opts = [(k, Text(urgency_label(k, self.lang))) for k in URGENCIES]

        def chosen(k: str | None) -> None:
            if k:
                self.urgency = k
                self.query_one("#ni-urgency", Button).label = self._urgency_label()
                self._refill_due()
        self.app.push_screen(PickerDialog(self._t("pick_urgency"), opts, self.urgency), chosen)

    def _unit_options(self) -> list[tuple[str, Text]]:
        from ..search import pinyin_keys

        units = sorted(self.units, key=lambda u: (pinyin_keys(u)[0], u))  # by pinyin, as the list's unit filter
        return [(u, Text(u)) for u in units]

    @on(Button.Pressed, "#ni-lead")
    def pick_lead(self) -> None:
        def chosen(u: str | None) -> None:
            if u:
                self.lead = u
                if u in self.co:
                    self.co.remove(u)
                    self._show_co()
                self.query_one("#ni-lead", Button).label = Text(u)
        self.app.push_screen(PickerDialog(self._t("pick_lead"), self._unit_options(), self.lead, searchable=True),
                             chosen)

    @on(Button.Pressed, "#ni-units")
    def pick_unit(self) -> None:
        def chosen(u: str | None) -> None:
            if not u:
                return
            if u in self.co:
                self.co.remove(u)
            elif u != self.lead:
                self.co.append(u)
            self._show_co()
        opts = [(u, label + Text(" ✓", style="green") if u in self.co else label) for u, label in self._unit_options()
                if u != self.lead]
        self.app.push_screen(PickerDialog(self._t("pick_unit"), opts, None, searchable=True), chosen)

    def _show_co(self) -> None:
        shown = Text(say("sep.list", self.lang).join(self.co)) if self.co else Text(self._t("none"), style="dim")
        self.query_one("#ni-units-shown", Static).update(shown)

    # -- submitting -----------------------------------------------------------------------------
    def _enter(self, field: Input) -> None:
        """Enter moves to the next field (Ctrl+S saves: the text below is several lines)."""
        self.focus_next()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:  # (FormInput takes Enter itself; a plain Input's)
        event.stop()
        self.focus_next()

    def _dirty(self) -> bool:
        typed = any(self._value(n).strip() for n in ("title", "leader", "ref"))
        return (typed or bool(self.query_one("#ni-text", TextArea).text.strip()) or bool(self.lead) or bool(self.co)
                or self._due_is_own())

    def _date(self, name: str) -> date:
        """A typed date, or a TrackerError naming the field in the user's language."""
        from ..edits import parse_typed

        try:
            return parse_typed("due", self._value(name))
        except TrackerError as exc:
            field = self._t(name)
            raise TrackerError(f"{name}: {exc}", key="new_item.bad_date", field=field, detail=exc.text(self.lang)) \
                from None

    def item(self):
        """The NewItem the form describes; a TrackerError for a date that is not one (checked here)."""
        from ..items import NewItem

        start = self._date("start")
        if start.year != self.year:
            raise TrackerError(f"start: the assignment date must be in the plan's year {self.year}",
                               key="new_item.plan_year", year=self.year)
        due = self._date("due")
        return NewItem(kind=self.kind, title=self._value("title"), leads=(self.lead,) if self.lead else (),
                       units=tuple(self.co), due=due, start=start, leader=self._value("leader"),
                       ref=self._value("ref"), urgency=self.urgency, text=self.query_one("#ni-text", TextArea).text)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.show_error("")
        try:
            item = self.item()
        except TrackerError as exc:
            self.show_error(self.app.error_text(exc))
            return
        self.submit(item)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._dirty() and not self.confirm_discard():
            return
        self.dismiss(None)
