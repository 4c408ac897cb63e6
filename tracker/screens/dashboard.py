"""The home screen: counts by status (the cycle's stage names) and light, progress per category,
counts by kind and stage (交办 签收 推进中 办结待审 销号 退回 逾期), the applications for closure
awaiting the office's review, what to chase (催办, with each reason), the overall targets, recently
changed tasks (from git) and tasks with open problems."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Sparkline, Static

from ..history import history
from ..cycle import STATES
from ..i18n import field_label, join, say, word
from ..model import STATUSES
from ..schedule import LIGHTS
from .base import (STATUS_STYLE, BaseScreen, bar, cut, has_module, item_status_label, light_text, one_line, show_enter,
                   stage_text)
from .labels import L


def summarize_change(changes, lang: str) -> str:
    parts = []
    for c in changes[:3]:
        if c.field in ("status",) or c.field.endswith(".status"):
            old, new = (item_status_label(c.field, str(v), lang) for v in (c.old, c.new))
            parts.append(f"{field_label(c.field, lang)} {old}→{new}")
        elif c.field in ("progress", "due"):
            parts.append(f"{field_label(c.field, lang)} {c.old}→{c.new}")
        else:
            parts.append(field_label(c.field, lang))
    if len(changes) > 3:
        parts.append("…")
    return one_line(join(parts, lang, "comma"))


def broken_task_categories(root, data) -> dict[str, str]:
    """Task files that fail validation, with the category they name (read from the text: they do not parse
    into a Task), so that totals count every task file."""
    import re

    out = {}
    for path in data.broken_paths:
        if "/tasks/" not in path:
            continue
        try:
            text = (root / path).read_text("utf-8", errors="replace")[:20000]
        except OSError:
            text = ""
        m = re.search(r"^category:\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", text, re.M)
        out[path] = m.group(1) if m else ""
    return out


class DashboardScreen(BaseScreen):
    SCOPE = "dashboard"
    AUTO_FOCUS = "#problems"  # Enter opens a task at once; Tab moves to the other panels

    def compose(self) -> ComposeResult:
        lang = self.lang
        self.analytics = has_module("analytics")
        yield from self.compose_header()
        with Horizontal(id="dash-bar"):
            yield Static("", id="dash-today", markup=False)
        with VerticalScroll(id="dash-scroll"), Grid(id="dash"):
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
            if self.analytics:
                with Vertical(classes="panel wide", id="panel-stages"):
                    yield Label(L("by_kind_stage", lang), classes="panel-title")
                    yield Static("", id="stages", markup=False)
                with Vertical(classes="panel", id="panel-review"):
                    yield Label(L("review_title", lang, n=0), classes="panel-title", id="review-title")
                    yield DataTable(id="review", cursor_type="row")
                    yield Static(Text(L("review_none", lang), style="dim"), id="review-none", markup=False)
                with Vertical(classes="panel", id="panel-reminders"):
                    yield Label(L("reminders", lang), classes="panel-title")
                    yield DataTable(id="reminders", cursor_type="row")
                with Vertical(classes="panel wide", id="panel-burnup"):
                    yield Label(L("burnup", lang), classes="panel-title")
                    yield Sparkline([], id="burnup")
                    yield Static("", id="burnup-text", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        lang = self.lang
        t = self.query_one("#dash-targets", DataTable)
        t.can_focus = False  # read-only summary: Tab goes straight to the task panels
        for table_id in ("#recent", "#problems", "#review", "#reminders"):
            for table in self.query(table_id):
                show_enter(table, L("open_task", lang))
        t.add_column("#", key="n", width=3)
        t.add_column(word("target_text", lang), key="text", width=60)
        t.add_column(word("target", lang), key="target", width=12)
        t.add_column(word("latest", lang), key="latest", width=14)
        r = self.query_one("#recent", DataTable)
        for key, label, width in (("date", word("date", lang), 10), ("author", word("author", lang), 12),
                                  ("id", word("id", lang), 10), ("what", word("change", lang), 36)):
            r.add_column(label, key=key, width=width)
        p = self.query_one("#problems", DataTable)
        for key, label, width in (("id", word("id", lang), 10), ("title", word("title", lang), 22),
                                  ("problems", field_label("problems", lang), 34)):
            p.add_column(label, key=key, width=width)
        if self.analytics:
            m = self.query_one("#reminders", DataTable)
            for key, label, width in (("unit", word("lead_unit", lang), 12), ("id", word("id", lang), 8),
                                      ("why", L("why", lang), 24), ("title", word("title", lang), 9)):
                m.add_column(label, key=key, width=width)
            v = self.query_one("#review", DataTable)
            for key, label, width in (("id", word("id", lang), 8), ("kind", L("kind", lang), 8),
                                      ("title", word("title", lang), 13), ("unit", word("lead_unit", lang), 10),
                                      ("on", L("applied_on", lang), 10)):
                v.add_column(label, key=key, width=width)
        super().on_mount()
        self.sub_title = L("dashboard", lang)

    def on_resize(self, event) -> None:
        """Two panel columns from 110 cells, one below (each panel then keeps its bars, % and counts)."""
        width = event.size.width
        grid = self.query_one("#dash")
        grid.styles.grid_size_columns = 2 if width >= 110 else 1
        grid.styles.grid_columns = "1fr 1fr" if width >= 110 else "1fr"
        if self.analytics:  # each row as high as its panels (tracker.tcss: #dash)
            grid.styles.grid_rows = "auto auto 14 auto 12 12" if width >= 110 else "auto auto auto 14 14 auto 12 12 12"
        targets = self.query_one("#dash-targets", DataTable)
        col = targets.columns.get("text")
        if col is not None:
            col.width = max(20, min(80, width - 3 - 12 - 14 - 4 * 2 - 8))
            targets.refresh(layout=True)

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
        # in the cycle's order and by its names (已交办 … 申请办结); 已签收, 已销号, 已撤销 where any item is in them
        shown = [s for s in STATES if s in STATUSES or counts.get(s)]
        rows = max(len(shown), len(LIGHTS))
        for i in range(rows):
            s = shown[i] if i < len(shown) else None
            x = LIGHTS[i] if i < len(LIGHTS) else None
            grid.add_row(stage_text(s, lang) if s else Text(""), Text(str(counts[s]), style=STATUS_STYLE[s]) if s else Text(""),
                         Text("   ") + light_text(x, lang) if x else Text(""), Text(str(lcounts[x])) if x else Text(""))
        broken = broken_task_categories(app.ws.root, data)
        grid.add_row(Text(word("total", lang), style="bold"), Text(str(len(tasks) + len(broken)), style="bold"),
                     Text(""), Text(""))
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
            bad = sum(1 for bc in broken.values() if bc == c)
            if not ct and not bad:
                continue
            avg = sum(t.progress for t in ct) / len(ct) if ct else 0
            done = sum(1 for t in ct if t.status in ("done", "closed"))  # 已销号 counts as done
            count = Text(f"{done}/{len(ct) + bad}", style="dim")
            if bad:
                count.append(f" ⚠{bad}", style="bold red")  # files that fail validation still count
            cg.add_row(Text(c), bar(avg / 100, 16, "cyan"), Text(f"{avg:.0f}%"), count)
        self.query_one("#categories", Static).update(cg)

        # targets
        from .targets import actual_text, target_text

        tt = self.query_one("#dash-targets", DataTable)
        tt.clear()
        for tg in data.targets:
            for i, ind in enumerate(tg.indicators or [None]):  # every indicator of a target, one row each
                name = f"{ind.name}: " if ind is not None and len(tg.indicators) > 1 else ""
                tt.add_row(Text(str(tg.number) if i == 0 else ""),
                           Text(one_line(tg.text) if i == 0 else "") if not name else Text(("" if i else one_line(tg.text) + " · ") + name),
                           Text(target_text(ind, lang) if ind else ""),
                           Text(actual_text(ind.latest(), ind.unit) if ind else ""), key=f"{tg.number}.{i}")

        # open problems
        pt = self.query_one("#problems", DataTable)
        pt.clear()
        for t in [t for t in tasks if t.problems.strip()][:200]:
            pt.add_row(Text(t.id), cut(Text(one_line(t.title)), 22),
                       cut(Text(one_line(t.problems), style="yellow"), 34), key=t.id)
        self._mount_sync_status()
        today = Text(f"{L('today', lang)} {app.today.isoformat()}")
        self.query_one("#dash-today", Static).update(today)
        if app.as_of_day is None:
            self.load_recent()
        if self.analytics:
            self._fill_stages()
            self._fill_review()
            self._fill_reminders()
            if self._burnup_due():
                self.load_burnup(app.today)

    @work(thread=True, exclusive=True, group="dash-recent", exit_on_error=False)
    def load_recent(self) -> None:
        # a plan's seed commit creates every task at once: that is not news; show real updates
        entries = [e for e in history(self.app.ws, max_count=40)
                   if not all(c.field == "created" for c in e.changes)]
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
            rt.add_row(Text(e.date[:10]), cut(Text(e.author), 12), Text(e.item),
                       cut(Text(summarize_change(e.changes, lang)), 36), key=e.item)
            if len(seen) >= 10:
                break
        if not seen:
            rt.add_row(Text(""), Text(""), Text(""), Text(L("no_updates", lang), style="dim"), key="-")

    _sync_mounted = False
    _burnup_at: float | None = None
    _burnup_day = None

    def _mount_sync_status(self) -> None:
        """The sync indicator starts git work on mount: add it once the plan is shown, not before the first frame."""
        if self._sync_mounted or not has_module("sync"):
            return
        self._sync_mounted = True
        from ..widgets.sync_status import SyncStatus

        self.query_one("#dash-bar").mount(SyncStatus(self.app.ws, self.lang, fetch_every=self.app.sync_fetch_every,
                                                     id="sync-status"))

    def _burnup_due(self) -> bool:
        """The burn-up walks the history: at most once a minute (and when the day shown changes)."""
        import time

        now = time.monotonic()
        if self._burnup_at is not None and now - self._burnup_at < 60 and self._burnup_day == self.app.today:
            return False
        self._burnup_at, self._burnup_day = now, self.app.today
        return True

    def _fill_stages(self) -> None:
        """Counts by kind and stage (analytics.stage_counts): one row per kind, then the total."""
        from ..analytics import STAGES, stage_counts
        from ..itemkinds import kind_label

        app, lang = self.app, self.lang
        try:
            rows = stage_counts(app.data, app.today)
        except Exception:  # noqa: BLE001 - an analytics failure must not take the board down
            return
        styles = {"review": "bold green", "returned": "bold magenta", "overdue": "bold red", "closed": "green"}
        table = Table(box=None, padding=(0, 1), show_header=True, header_style="bold", expand=False)
        table.add_column(say("stage.kind", lang), no_wrap=True)
        for s in STAGES:
            table.add_column(say(f"stage.{s}", lang), justify="right", no_wrap=True)
        for kind, counts in rows:
            total = kind == "total"
            name = Text(say("stage.total", lang) if total else kind_label(kind, lang), style="bold" if total else "")
            cells = [Text(str(counts[s]), style=(styles.get(s, "") + (" bold" if total else "")).strip())
                     if counts[s] else Text("·", style="bright_black") for s in STAGES]
            table.add_row(name, *cells)
        self.query_one("#stages", Static).update(table)

    def _fill_review(self) -> None:
        """申请办结 items waiting for the office's review (销号 or 退回), oldest application first; Enter opens one."""
        from ..analytics import awaiting_review
        from ..itemkinds import kind_label

        app, lang = self.app, self.lang
        table = self.query_one("#review", DataTable)
        table.clear()
        try:
            rows = awaiting_review(app.data)
        except Exception:  # noqa: BLE001 - an analytics failure must not take the board down
            return
        self.query_one("#review-title", Label).update(Text(L("review_title", lang, n=len(rows))))
        for t in rows[:200]:
            on = getattr(t, "finished", None)
            table.add_row(Text(t.id), cut(Text(kind_label(getattr(t, "kind", "") or "plan", lang)), 8),
                          cut(Text(one_line(t.title)), 13), cut(Text(t.lead), 10),
                          Text(on.isoformat() if on else "", style="green"), key=t.id)
        table.display = bool(rows)  # none: say so, in a line of its own (the table's columns are narrow)
        self.query_one("#review-none", Static).display = not rows

    def _fill_reminders(self) -> None:
        """What to chase, by lead unit, each with its reason in words (analytics.reason_text: 逾期N天,
        交办N天未签收, N天未报送进展, 措施N节点已过, 红灯, N天后到期), after the applications waiting
        for the office's own review (申请办结，待审核)."""
        from ..analytics import awaiting_review, reason_text, reminders

        app, lang = self.app, self.lang
        table = self.query_one("#reminders", DataTable)
        table.clear()
        try:
            chase = reminders(app.data, app.today, app.last or None)
            review = awaiting_review(app.data)
        except Exception:  # noqa: BLE001 - an analytics failure must not take the board down
            return
        styles = {"overdue": "red", "red": "red", "unacked": "magenta", "milestone": "yellow", "stale": "yellow",
                  "due_soon": "cyan"}
        # the office's own turn first (few, and waiting on nobody else), then the units to chase
        rows = [(t.lead, t, say("remind.review", lang), "green", "review") for t in review]
        rows += [(unit, r.task, reason_text(r, lang), styles.get(r.reason, "yellow"), f"{r.reason}{r.measure or ''}")
                 for unit, items in chase.items() for r in items]
        for unit, t, why, style, reason in rows[:100]:
            table.add_row(cut(Text(unit), 12), Text(t.id), cut(Text(why, style=style), 24),
                          cut(Text(one_line(t.title)), 9), key=f"{t.id}#{reason}")

    @work(thread=True, exclusive=True, group="dash-burnup", exit_on_error=False)
    def load_burnup(self, today) -> None:
        from datetime import date

        from ..analytics import burnup

        app = self.app
        th = app.th
        start = th.start if th else date(today.year, 1, 1)
        if today <= start:
            return
        points = burnup(app.ws, start, today, step_days=7)
        self.app.call_from_thread(self._fill_burnup, points)

    def _fill_burnup(self, points) -> None:
        if not points:
            return
        self.query_one("#burnup", Sparkline).data = [p.done for p in points]
        last = points[-1]
        lang = self.lang
        text = Text(f"{points[0].day.isoformat()} → {last.day.isoformat()}  ")
        text.append(L("done_of", lang, done=last.done, total=last.total), style="bold green")
        self.query_one("#burnup-text", Static).update(text)

    @on(DataTable.RowSelected, "#reminders")
    def open_reminder(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = str(event.row_key.value).split("#")[0]
        if key in self.app.tasks_by_id:
            self.app.open_task(key)

    @on(DataTable.RowSelected, "#recent, #problems, #review")
    def open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key in self.app.tasks_by_id:
            self.app.open_task(key)

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id in ("recent", "problems", "review", "reminders") \
                and focused.row_count:
            key = str(focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value).split("#")[0]
            if key in self.app.tasks_by_id:
                self.app.open_task(key)

    async def action_filter(self) -> None:
        """`/` as on the task list: the list, its filter focused, so "/nyxdh" typed here searches
        (the letters would otherwise reach the dashboard's keys: `y` the plan year, `a` the as-of view)."""
        app = self.app
        await app.action_go("tasks")
        screen = app.screen
        if hasattr(screen, "action_filter"):
            screen.action_filter()
