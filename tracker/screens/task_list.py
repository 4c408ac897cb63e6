"""The task list: every task (and every broken file, marked) in a virtual table with a live filter."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from ..history import item_id
from ..cycle import returned_mark
from ..cycle import STATES, stage_label
from ..i18n import pick, word
from ..model import TASK_STATUSES
from ..schedule import LIGHTS, light_label
from ..widgets.dialogs import PickerDialog
from ..widgets.task_table import Column, TaskTable
from .base import BaseScreen, light_text, one_line, short_date, show_enter, stage_text
from .labels import L

SORTS = ("id", "category", "title", "lead_unit", "status", "progress", "light", "due", "last_change")


def columns(lang: str) -> list[Column]:
    """Starting widths; refresh_data sizes each column to its content (see fit_widths)."""
    return [
        Column("id", word("id", lang), 8),
        Column("badge", "", 2),
        Column("category", word("category", lang), pick((10, 12), lang), drop=4),
        Column("title", word("title", lang), 20, flex=True),
        Column("lead_unit", word("lead_unit", lang), 14, drop=2),
        Column("status", word("status", lang), pick((6, 11), lang)),
        Column("progress", word("progress", lang), pick((6, 8), lang), justify="right"),
        Column("light", L("light", lang), pick((6, 8), lang)),  # never hidden: the column officers look at
        Column("due", word("due", lang), 10, drop=1),
        Column("last_change", L("last_change", lang), 22, drop=5),
    ]


#: the widest a column gets (longer text is cut with …); the title takes the rest of the line
CAPS = {"category": 20, "lead_unit": 22, "last_change": 24, "status": 18, "light": 12, "id": 12}  # status: 推进中（退回2次）


def fit_widths(table: TaskTable, rows: list[list[Text]]) -> dict[str, int]:
    """Each fixed column as wide as its widest cell (by cell width), its header plus a sort arrow, capped."""
    from rich.cells import cell_len

    out = {}
    for i, col in enumerate(table.columns):
        if col.flex or col.key == "badge":
            continue
        widest = max((cell_len(r[i].plain) for r in rows if i < len(r)), default=0)
        out[col.key] = min(CAPS.get(col.key, 12), max(widest, cell_len(col.label) + 2))
    return out


class TaskListScreen(BaseScreen):
    SCOPE = "tasks"
    AUTO_FOCUS = "#tasks"

    def __init__(self, unit: str | None = None, **kw):
        super().__init__(**kw)
        self.query_text = ""
        self.status_f: str | None = None
        self.category_f: str | None = None
        self.unit_f: str | None = unit
        self.light_f: str | None = None
        self.sort_key = "id"
        self.reverse = False
        self._order: dict[tuple[str, bool], list[str]] = {}
        self._broken: list[str] = []
        self._problem_text: dict[str, str] = {}
        self._pending_focus: str | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Input(placeholder=L("filter_placeholder", self.lang), id="filter")
        yield TaskTable(columns(self.lang), self.cells, id="tasks")
        yield Static("", id="list-status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        show_enter(self.query_one(TaskTable), L("open", self.lang))
        super().on_mount()
        self.sub_title = L("tasks", self.lang) + (f" · {self.unit_f}" if self.unit_f else "")

    # -- data -------------------------------------------------------------------------------
    def refresh_data(self, kind: str = "data") -> None:
        if kind == "index":
            if self.query_text.strip():
                self.apply_filter()
            return
        app = self.app
        data = app.data
        if data is None:
            return
        self._order.clear()
        self._problem_text = {}
        for p in data.problems:
            self._problem_text.setdefault(p.path, p.short(self.lang))
        self._broken = ["!" + path for path in data.broken_paths]
        table = self.query_one(TaskTable)
        table.marked = {t for t in app.arrived}
        table.invalidate()
        sample = data.tasks if len(data.tasks) <= 3000 else data.tasks[:: max(len(data.tasks) // 3000, 1)]
        table.set_widths(fit_widths(table, [self.cells(t.id) for t in sample]))
        self.apply_filter()
        if self._pending_focus:
            if table.move_to(self._pending_focus):
                self._pending_focus = None

    def cells(self, key: str) -> list[Text]:
        app, lang = self.app, self.lang
        if key.startswith("!"):
            path = key[1:]
            msg = self._problem_text.get(path, "")
            return [Text(item_id(path) or path, style="red"),
                    Text(f"⚠ {L('invalid', lang)}: {path}:{one_line(msg)}", style="bold red")]
        t = app.tasks_by_id.get(key)
        if t is None:
            return [Text(key)]
        lc = app.last.get(t.path)
        last = Text(f"{short_date(lc.date)} {lc.author}") if lc else Text("")
        badge = Text("")
        if app.data and t.path in app.data.conflicted:
            badge = Text("⚡", style="bold magenta")
        elif t.id in app.arrived:
            badge = Text("↓", style="bold green")
        status = stage_text(t.status, lang)
        if t.returns:  # 退回 N 次 (the supervision cycle)
            status.append(returned_mark(t, lang), style="bold magenta")
        return [Text(t.id), badge, Text(t.category), Text(one_line(t.title)), Text(t.lead), status,
                Text(f"{t.progress}%"), light_text(app.lights.get(t.id), lang), Text(t.due.isoformat()), last]

    def _sort_value(self, key: str):
        app = self.app
        t = app.tasks_by_id[key]
        k = self.sort_key
        if k == "id":
            return t.number
        if k == "category":
            cats = app.data.info.categories if app.data and app.data.info else ()
            return (cats.index(t.category) if t.category in cats else 99, t.number)
        if k == "title":
            return t.title
        if k == "lead_unit":
            return (t.lead, t.number)
        if k == "status":
            return (TASK_STATUSES.index(t.status) if t.status in TASK_STATUSES else 99, t.number)
        if k == "progress":
            return (t.progress, t.number)
        if k == "light":
            lt = app.lights.get(t.id, "green")
            return (LIGHTS.index(lt) if lt in LIGHTS else len(LIGHTS), t.number)  # cancelled: last
        if k == "due":
            return (t.due, t.number)
        if k == "last_change":
            lc = app.last.get(t.path)
            return (lc.timestamp if lc else 0, t.number)
        return t.number

    def _sorted(self) -> list[str]:
        key = (self.sort_key, self.reverse)
        order = self._order.get(key)
        if order is None:
            ids = [t.id for t in self.app.data.tasks]
            order = sorted(ids, key=self._sort_value, reverse=self.reverse)
            self._order[key] = order
        return order

    def apply_filter(self) -> None:
        app = self.app
        if app.data is None:
            return
        tasks = app.tasks_by_id
        rows = self._sorted()
        if self.query_text.strip():
            if app.index is not None:
                hit = set(app.index.match(self.query_text))
            else:
                q = self.query_text.lower()
                hit = {i for i, t in tasks.items() if q in t.title.lower() or q in i or any(q in u for u in t.units)}
            rows = [i for i in rows if i in hit]
        if self.status_f:
            rows = [i for i in rows if tasks[i].status == self.status_f]
        if self.category_f:
            rows = [i for i in rows if tasks[i].category == self.category_f]
        if self.unit_f:
            rows = [i for i in rows if self.unit_f in tasks[i].units]
        if self.light_f:
            rows = [i for i in rows if app.lights.get(i) == self.light_f]
        broken = self._broken
        if self.query_text.strip():
            q = self.query_text.strip().lower()
            broken = [b for b in broken if q in b.lower() or q in self._problem_text.get(b[1:], "").lower()]
        table = self.query_one(TaskTable)
        table.sort_key, table.sort_reverse = self.sort_key, self.reverse
        table.set_rows(broken + rows)
        # a broken file is a task too: it counts in the totals (and is listed, marked)
        self._update_status(len(rows) + len(broken), len(tasks) + len(self._broken), len(self._broken))

    def _update_status(self, shown: int, total: int, broken: int) -> None:
        lang = self.lang
        parts = [f"{L('shown', lang)} {shown} / {total}"]
        if broken:
            parts.append(f"⚠ {L('broken_files', lang, n=broken)}")
        if self.status_f:
            parts.append(f"{word('status', lang)}: {stage_label(self.status_f, lang)}")
        if self.category_f:
            parts.append(f"{word('category', lang)}: {self.category_f}")
        if self.unit_f:
            parts.append(f"{word('unit', lang)}: {self.unit_f}")
        if self.light_f:
            parts.append(f"{L('light', lang)}: {light_label(self.light_f, lang)}")
        if self.query_text.strip():
            parts.append(f"/{self.query_text}")
        self.query_one("#list-status", Static).update(Text("  ·  ".join(parts)))

    # -- events -----------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one(TaskTable))

    def on_key(self, event) -> None:
        if event.key == "escape" and self.focused is self.query_one("#filter", Input):
            event.stop()
            self.query_one("#filter", Input).value = ""
            self.query_one(TaskTable).focus()

    @on(TaskTable.Selected)
    def selected(self, event: TaskTable.Selected) -> None:
        self._open(event.key)

    @on(TaskTable.SortClicked)
    def sort_clicked(self, event: TaskTable.SortClicked) -> None:
        if event.column in SORTS:
            self._set_sort(event.column)

    def _open(self, key: str | None) -> None:
        from .task_detail import TaskDetailScreen

        if key is None:
            return
        if key.startswith("!"):
            self.notify(f"{key[1:]}:{self._problem_text.get(key[1:], '')}", severity="error", markup=False, timeout=10)
            return
        self.app.push_screen(TaskDetailScreen(key))

    def focus_task(self, task_id: str) -> None:
        tables = self.query(TaskTable)
        if not tables:  # not composed yet (the list was never opened): focus once it fills
            self._pending_focus = task_id
            return
        if not tables.first().move_to(task_id):
            self._pending_focus = task_id

    def set_unit_filter(self, unit: str) -> None:
        self.status_f = self.category_f = self.light_f = None
        self.query_text = ""
        self.query_one("#filter", Input).value = ""
        self.unit_f = unit
        self.apply_filter()
        self.query_one(TaskTable).focus()

    def _set_sort(self, key: str) -> None:
        if key == self.sort_key:
            self.reverse = not self.reverse
        else:
            self.sort_key, self.reverse = key, False
        self.apply_filter()
        # a new order is read from its top (the task the cursor was on is somewhere else now)
        table = self.query_one(TaskTable)
        table.cursor = 0
        table.scroll_to(y=0, animate=False, immediate=True)

    # -- actions ----------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))  # at once: the next keys typed go to the filter

    def action_open(self) -> None:
        self._open(self.query_one(TaskTable).current_key)

    def action_history(self) -> None:
        from .history import HistoryScreen

        key = self.query_one(TaskTable).current_key
        if key and not key.startswith("!"):
            self.app.push_screen(HistoryScreen(key))

    def action_sort(self) -> None:
        cols = {c.key: c.label for c in columns(self.lang)}
        opts = [(k, Text(cols[k])) for k in SORTS]
        self.app.push_screen(PickerDialog(L("pick_sort", self.lang), opts, self.sort_key),
                             lambda k: k and self._set_sort(k))

    def _pick(self, title: str, options, current, setter, searchable: bool = False) -> None:
        opts = [("", Text(L("all", self.lang)))] + list(options)

        def done(value):
            if value is None:
                return
            setter(value or None)
            self.apply_filter()

        self.app.push_screen(PickerDialog(title, opts, current or "", searchable=searchable), done)

    def action_filter_status(self) -> None:
        self._pick(L("pick_status", self.lang), [(s, stage_text(s, self.lang)) for s in STATES],
                   self.status_f, lambda v: setattr(self, "status_f", v))

    def action_filter_light(self) -> None:
        self._pick(L("pick_light", self.lang), [(x, light_text(x, self.lang)) for x in LIGHTS],
                   self.light_f, lambda v: setattr(self, "light_f", v))

    def action_filter_category(self) -> None:
        data = self.app.data
        cats = list(data.info.categories) if data and data.info else sorted({t.category for t in data.tasks})
        self._pick(L("pick_category", self.lang), [(c, Text(c)) for c in cats],
                   self.category_f, lambda v: setattr(self, "category_f", v))

    def action_filter_unit(self) -> None:
        from ..search import pinyin_keys

        units = sorted(self.app.unit_names(), key=lambda u: (pinyin_keys(u)[0], u))  # by pinyin, as people look them up
        self._pick(L("pick_unit", self.lang), [(u, Text(u)) for u in units],
                   self.unit_f, lambda v: setattr(self, "unit_f", v), searchable=True)

    def action_clear_filters(self) -> None:
        self.status_f = self.category_f = self.unit_f = self.light_f = None
        self.query_text = ""
        self.query_one("#filter", Input).value = ""
        self.apply_filter()
