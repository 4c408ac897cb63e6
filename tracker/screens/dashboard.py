"""The home screen: counts by status and light, progress per category, the overall targets,
recently changed tasks (from git) and tasks with open problems."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Label, Static

from ..history import history
from ..i18n import field_label, status_label, word
from ..model import STATUSES
from ..schedule import LIGHTS
from .base import STATUS_STYLE, BaseScreen, bar, light_text, one_line, status_text
from .labels import L
from .targets import actual_text, target_text


def summarize_change(changes, lang: str) -> str:
    parts = []
    for c in changes[:3]:
        if c.field in ("status",) or c.field.endswith(".status"):
            parts.append(f"{field_label(c.field, lang)} {status_label(str(c.old), lang)}→{status_label(str(c.new), lang)}")
        elif c.field in ("progress", "due"):
            parts.append(f"{field_label(c.field, lang)} {c.old}→{c.new}")
        else:
            parts.append(field_label(c.field, lang))
    if len(changes) > 3:
        parts.append("…")
    return one_line("，".join(parts) if lang == "zh" else ", ".join(parts))


class DashboardScreen(BaseScreen):
    SCOPE = "dashboard"

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield from self.compose_header()
        with Grid(id="dash"):
            with Vertical(classes="panel", id="panel-counts"):
                yield Label(L("by_status", lang), classes="panel-title")
                yield Static(Text(L("loading", lang)), id="counts", markup=False)
            with Vertical(classes="panel", id="panel-categories"):
                yield Label(L("by_category", lang), classes="panel-title")
                yield Static("", id="categories", markup=False)
            with Vertical(classes="panel wide", id="panel-targets"):
                yield Label(L("targets", lang), classes="panel-title")
                yield DataTable(id="dash-targets", cursor_type="row", show_cursor=False)
            with Vertical(classes="panel", id="panel-recent"):
                yield Label(L("recent", lang), classes="panel-title")
                yield DataTable(id="recent", cursor_type="row")
            with Vertical(classes="panel", id="panel-problems"):
                yield Label(L("open_problems", lang), classes="panel-title")
                yield DataTable(id="problems", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        lang = self.lang
        t = self.query_one("#dash-targets", DataTable)
        t.add_column("#", key="n", width=3)
        t.add_column(word("target_text", lang), key="text", width=60)
        t.add_column(word("target", lang), key="target", width=12)
        t.add_column(word("latest", lang), key="latest", width=14)
        r = self.query_one("#recent", DataTable)
        for key, label, width in (("date", word("date", lang), 10), ("author", word("author", lang), 12),
                                  ("id", word("id", lang), 8), ("what", word("change", lang), 40)):
            r.add_column(label, key=key, width=width)
        p = self.query_one("#problems", DataTable)
        for key, label, width in (("id", word("id", lang), 8), ("title", word("title", lang), 22),
                                  ("problems", field_label("problems", lang), 40)):
            p.add_column(label, key=key, width=width)
        super().on_mount()
        self.sub_title = L("dashboard", lang)

    def refresh_data(self, kind: str = "data") -> None:
        if kind != "data":
            return
        app, lang = self.app, self.lang
        data = app.data
        if data is None:
            return
        tasks = data.tasks
        # counts by status and by light
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_column(justify="right")
        grid.add_column()
        grid.add_column(justify="right")
        counts = {s: 0 for s in STATUSES}
        for t in tasks:
            counts[t.status] = counts.get(t.status, 0) + 1
        lcounts = {x: 0 for x in LIGHTS}
        for x in app.lights.values():
            lcounts[x] = lcounts.get(x, 0) + 1
        rows = max(len(STATUSES), len(LIGHTS))
        for i in range(rows):
            s = STATUSES[i] if i < len(STATUSES) else None
            x = LIGHTS[i] if i < len(LIGHTS) else None
            grid.add_row(status_text(s, lang) if s else Text(""), Text(str(counts[s]), style=STATUS_STYLE[s]) if s else Text(""),
                         Text("   ") + light_text(x, lang) if x else Text(""), Text(str(lcounts[x])) if x else Text(""))
        grid.add_row(Text(word("total", lang), style="bold"), Text(str(len(tasks)), style="bold"), Text(""), Text(""))
        if data.problems:
            grid.add_row(Text("⚠ " + L("problems_count", lang), style="bold red"),
                         Text(str(len(data.broken_paths)), style="bold red"), Text(""), Text(""))
        self.query_one("#counts", Static).update(grid)

        # progress per category
        cats = list(data.info.categories) if data.info else []
        for t in tasks:
            if t.category not in cats:
                cats.append(t.category)
        cg = Table.grid(padding=(0, 1))
        cg.add_column(no_wrap=True)
        cg.add_column(no_wrap=True)
        cg.add_column(justify="right", no_wrap=True)
        cg.add_column(justify="right", no_wrap=True)
        for c in cats:
            ct = [t for t in tasks if t.category == c]
            if not ct:
                continue
            avg = sum(t.progress for t in ct) / len(ct)
            done = sum(1 for t in ct if t.status == "done")
            cg.add_row(Text(c), bar(avg / 100, 16, "cyan"), Text(f"{avg:.0f}%"), Text(f"{done}/{len(ct)}", style="dim"))
        self.query_one("#categories", Static).update(cg)

        # targets
        tt = self.query_one("#dash-targets", DataTable)
        tt.clear()
        for tg in data.targets:
            ind = tg.indicators[0] if tg.indicators else None
            tt.add_row(Text(str(tg.number)), Text(one_line(tg.text)),
                       Text(target_text(ind, lang) if ind else ""),
                       Text(actual_text(ind.latest(), ind.unit) if ind else ""), key=str(tg.number))

        # open problems
        pt = self.query_one("#problems", DataTable)
        pt.clear()
        for t in [t for t in tasks if t.problems.strip()][:200]:
            pt.add_row(Text(t.id), Text(one_line(t.title)), Text(one_line(t.problems), style="yellow"), key=t.id)
        if app.as_of_day is None:
            self.load_recent()

    @work(thread=True, exclusive=True, group="dash-recent", exit_on_error=False)
    def load_recent(self) -> None:
        entries = history(self.app.ws, max_count=12)
        self.app.call_from_thread(self._fill_recent, entries)

    def _fill_recent(self, entries) -> None:
        lang = self.lang
        rt = self.query_one("#recent", DataTable)
        rt.clear()
        seen = set()
        for e in entries:
            if e.item in seen or "-T" in e.item:
                continue
            seen.add(e.item)
            rt.add_row(Text(e.date[:10]), Text(e.author), Text(e.item), Text(summarize_change(e.changes, lang)), key=e.item)
            if len(seen) >= 10:
                break

    @on(DataTable.RowSelected, "#recent, #problems")
    def open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key in self.app.tasks_by_id:
            self.app.open_task(key)

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id in ("recent", "problems") and focused.row_count:
            key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            if key in self.app.tasks_by_id:
                self.app.open_task(key)
