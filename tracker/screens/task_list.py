"""The task list: every task of the plan in a table."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from ..i18n import status_label, word


class TaskListScreen(Screen):
    BINDINGS = [("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="tasks", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        lang = self.app.lang
        table = self.query_one(DataTable)
        for key in ("id", "category", "title", "lead_unit", "status", "progress", "due"):
            table.add_column(word(key, lang), key=key)
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        data = self.app.ws.load()
        self.app.call_from_thread(self._fill, data)

    def _fill(self, data) -> None:
        lang = self.app.lang
        table = self.query_one(DataTable)
        table.clear()
        for t in data.tasks:
            table.add_row(Text(t.id), Text(t.category), Text(t.title), Text(t.lead),
                          Text(status_label(t.status, lang)), Text(f"{t.progress}%"), Text(t.due.isoformat()),
                          key=t.id)
        self.sub_title = f"{len(data.tasks)}"
