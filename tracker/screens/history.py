"""A task's timeline from git (date, author, each field old -> new) and one commit in full."""
from __future__ import annotations

from rich.cells import cell_len
from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ..history import history
from ..i18n import book, field_label, say, word
from .base import BaseScreen, one_line
from .labels import L


CHANGE_CELLS = 76  # the width of the history's change column

CLOCK = book("history_clock", {  # a commit whose date cannot be right (tracker.asof.clock_flags)
    "future": ("⚠ 时钟有误：提交时间 {day} 在未来，按 {eff} 计", "⚠ wrong clock: dated {day}, in the future; counted from {eff}"),
    "before_parent": ("⚠ 时钟有误：提交时间 {day} 早于上一提交，按 {eff} 计",
                      "⚠ wrong clock: dated {day}, before its parent; counted from {eff}"),
})


def clip(text: str, cells: int) -> str:
    """At most `cells` terminal cells (a Chinese character takes two), "…" marking a cut."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def fit(old: str, new: str, cells: int) -> tuple[str, str]:
    """Old and new side by side in `cells`: a short one keeps its length, the long one is cut."""
    a, b = cell_len(old), cell_len(new)
    if a + b <= cells:
        return old, new
    half = cells // 2
    if a <= half:
        return old, clip(new, cells - a)
    if b <= half:
        return clip(old, cells - b), new
    return clip(old, half), clip(new, cells - half)


def show_value(field: str, value, lang: str, cells: int = 60) -> str:
    if value is None or value == "":
        return "∅"
    if field == "status" or field.endswith(".status"):
        from .base import item_status_label

        return item_status_label(field, str(value), lang)
    if isinstance(value, (list, dict)):  # units; the cycle's entries (returns, extensions, cancelled)
        from ..commitmsg import _value

        return clip(one_line(_value(field, value, lang)), cells)
    return clip(one_line(str(value)), cells)


class HistoryScreen(BaseScreen):
    SCOPE = "history"
    AUTO_FOCUS = "#history"

    def __init__(self, task_id: str, **kw):
        super().__init__(**kw)
        self.task_id = task_id
        self.entries: list = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("", id="history-title", markup=False)
        yield DataTable(id="history", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one(DataTable)
        table.add_column(word("date", lang), key="date", width=16)
        table.add_column(word("author", lang), key="author", width=16)
        table.add_column(word("change", lang), key="change", width=CHANGE_CELLS)
        table.add_column(word("commit", lang), key="commit", width=8)
        super().on_mount()
        self.sub_title = f"{L('history', lang)} {self.task_id}"

    def refresh_data(self, kind: str = "data") -> None:
        if kind != "data":
            return
        t = self.app.tasks_by_id.get(self.task_id)
        if t is None:
            return
        self.query_one("#history-title", Static).update(Text(f"{t.id}  ", style="bold") + Text(t.title, style="bold"))
        self.load(t.path)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self, path: str) -> None:
        from ..asof import clock_flags
        from ..verify import log_marks

        entries = history(self.app.ws, [path])
        try:
            flags = {f.sha: f for f in clock_flags(self.app.ws)}
        except Exception:  # noqa: BLE001 - the flags are a warning; the history shows without them
            flags = {}
        self.marks = log_marks(self.app.ws.git, [e.sha for e in entries])  # ✔ office / ⚠ / ✖ (offices.yaml)
        self.app.call_from_thread(self._fill, entries, flags)

    marks: dict = {}

    def _fill(self, entries: list, flags: dict | None = None) -> None:
        lang = self.lang
        flags = flags or {}
        self.entries = entries
        table = self.query_one(DataTable)
        table.clear()
        if self.marks and "trust" not in table.columns:
            table.add_column("✔⚠✖", key="trust", width=16)
        trust = (lambda sha: [Text(self.marks.get(sha, {}).get("text", ""))]) if "trust" in table.columns else (lambda sha: [])
        if not entries:
            table.add_row(Text(L("no_history", lang), style="dim"), Text(""), Text(""), Text(""), *trust(""))
            return
        for e in entries:
            lines = Text()
            for i, c in enumerate(e.changes):
                if i:
                    lines.append("\n")
                label = field_label(c.field, lang)
                lines.append(label, style="bold")
                lines.append(": ")
                room = CHANGE_CELLS - 1 - cell_len(label + ": ")  # both values show, each cut to fit
                if c.field == "created":
                    lines.append(show_value(c.field, c.new, lang, room), style="green")
                    continue
                old, new = fit(show_value(c.field, c.old, lang, room), show_value(c.field, c.new, lang, room), room - 3)
                lines.append(old, style="red")
                lines.append(" → ")
                lines.append(new, style="green")
            if e.unreadable:
                lines.append("  ⚠", style="bold red")
            height = max(1, len(e.changes))
            when = Text(e.date[:16].replace("T", " "))
            flag = flags.get(e.sha)
            if flag is not None:  # a wrong clock: say so, and which day the commit counts from
                lines.append("\n")
                lines.append(clip(say(f"history_clock.{flag.kind}", lang, day=flag.day.isoformat(),
                                      eff=flag.effective.isoformat()),
                                  CHANGE_CELLS - 1), style="bold yellow")
                when.stylize("bold yellow")
                height += 1
            table.add_row(when, Text(e.author), lines, Text(e.sha[:7], style="dim"), *trust(e.sha),
                          key=e.sha + e.path, height=height)

    def action_show_commit(self) -> None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row >= len(self.entries):
            return
        self.app.push_screen(CommitScreen(self.entries[table.cursor_row].sha))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_commit()

    def action_back(self) -> None:
        self.app.pop_screen()


class CommitScreen(BaseScreen):
    """The whole commit: message and diff, highlighted."""

    SCOPE = "commit"

    def __init__(self, sha: str, **kw):
        super().__init__(**kw)
        self.sha = sha

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="commit-view"):
            yield Static(Text(L("loading", self.lang)), id="commit-body")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.sha[:7]
        self.query_one("#commit-view").focus()
        self.load()

    @work(thread=True, exclusive=True, group="commit", exit_on_error=False)
    def load(self) -> None:
        text = self.app.ws.git.run("show", "--no-color", "--format=commit %H%nAuthor: %an <%ae>%nDate:   %aI%n%n%B",
                                   self.sha)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.query_one("#commit-body", Static).update(
            Syntax(text, "diff", theme="ansi_dark", word_wrap=True, background_color="default"))

    def action_back(self) -> None:
        self.app.pop_screen()
