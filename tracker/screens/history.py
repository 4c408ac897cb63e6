"""A task's timeline from git (date, author, each field old -> new) and one commit in full."""
from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ..history import history
from ..i18n import field_label, status_label, word
from .base import BaseScreen, one_line
from .labels import L


def show_value(field: str, value, lang: str) -> str:
    if value is None or value == "":
        return "∅"
    if field == "status" or field.endswith(".status"):
        return status_label(str(value), lang)
    if isinstance(value, list):
        return "、".join(map(str, value))
    text = one_line(str(value))
    return text if len(text) <= 60 else text[:59] + "…"


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
        table.add_column(word("change", lang), key="change", width=76)
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
        entries = history(self.app.ws, [path])
        self.app.call_from_thread(self._fill, entries)

    def _fill(self, entries: list) -> None:
        lang = self.lang
        self.entries = entries
        table = self.query_one(DataTable)
        table.clear()
        if not entries:
            table.add_row(Text(L("no_history", lang), style="dim"), Text(""), Text(""), Text(""))
            return
        for e in entries:
            lines = Text()
            for i, c in enumerate(e.changes):
                if i:
                    lines.append("\n")
                lines.append(field_label(c.field, lang), style="bold")
                lines.append(": ")
                if c.field == "created":
                    lines.append(show_value(c.field, c.new, lang), style="green")
                    continue
                lines.append(show_value(c.field, c.old, lang), style="red")
                lines.append(" → ")
                lines.append(show_value(c.field, c.new, lang), style="green")
            if e.unreadable:
                lines.append("  ⚠", style="bold red")
            table.add_row(Text(e.date[:16].replace("T", " ")), Text(e.author), lines, Text(e.sha[:7], style="dim"),
                          key=e.sha + e.path, height=max(1, len(e.changes)))

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
