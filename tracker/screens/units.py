"""Every unit with the tasks it leads and co-owns and their status mix; Enter lists its tasks."""
from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable

from ..i18n import book, say, word
from ..model import STATUSES, TrackerError
from .base import STATUS_STYLE, BaseScreen, stage_text
from .labels import L
from .ledger import LedgerActions


book("units_screen", {
    "note_title": ("{unit} 催办单：文件路径（.docx）", "Reminder note for {unit}: file path (.docx)"),
    "note_docx": ("催办单须写成 .docx 文件：{path}", "a reminder note is a .docx file: {path}"),
})


def note_path(unit: str, on) -> str:
    """The file the 催办单 is offered to: 催办单-<unit>-<day>.docx in the working directory."""
    safe = "".join(ch for ch in unit if ch not in '/\\:*?"<>|').strip() or "unit"
    return str(Path(os.getcwd()) / f"催办单-{safe}-{on.isoformat()}.docx")


def unit_rows(tasks) -> list[tuple[str, int, int, dict[str, int]]]:
    led: dict[str, int] = {}
    co: dict[str, int] = {}
    mix: dict[str, dict[str, int]] = {}
    for t in tasks:
        for i, u in enumerate(t.units):
            (led if i == 0 else co)[u] = (led if i == 0 else co).get(u, 0) + 1
            m = mix.setdefault(u, {})
            m[t.status] = m.get(t.status, 0) + 1
    units = sorted(mix, key=lambda u: (-led.get(u, 0), -co.get(u, 0), u))
    return [(u, led.get(u, 0), co.get(u, 0), mix[u]) for u in units]


class UnitsScreen(LedgerActions, BaseScreen):
    SCOPE = "units"
    AUTO_FOCUS = "#units"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield DataTable(id="units", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one(DataTable)
        table.add_column(word("unit", lang), key="unit", width=26)
        table.add_column(word("led", lang), key="led", width=8)
        table.add_column(word("co_owned", lang), key="co", width=8)
        for s in STATUSES:
            table.add_column(stage_text(s, lang), key=s, width=11)
        super().on_mount()
        self.sub_title = L("units", lang)

    def refresh_data(self, kind: str = "data") -> None:
        if kind != "data":
            return
        data = self.app.data
        if data is None:
            return
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for unit, led, co, mix in unit_rows(data.tasks):
            cells = [Text(unit), Text(str(led), justify="right"), Text(str(co), justify="right")]
            for s in STATUSES:
                n = mix.get(s, 0)
                cells.append(Text(str(n) if n else "·", style=STATUS_STYLE[s] if n else "bright_black",
                                  justify="right"))
            table.add_row(*cells, key=unit)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_unit_tasks()

    def current_unit(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -- 催办单 (tracker remind --unit U --format docx -o F): written and recorded in a thread worker --
    def action_reminder_note(self) -> None:
        """`c`: the highlighted unit's 催办单 (tracker.reminders.send): the file path asked, prefilled."""
        from ..widgets.dialogs import InputDialog

        lang, app = self.lang, self.app
        if app.read_only:  # the note is recorded (reminders.yaml, one commit): not from the past
            self.notify(L("asof_refuse", lang), severity="warning", timeout=8)
            return
        unit = self.current_unit()
        if unit is None or app.data is None:
            return
        app.push_screen(InputDialog(say("units_screen.note_title", lang, unit=unit), note_path(unit, app.today),
                                    on_submit=lambda value, dialog: self._send_note(unit, value, dialog)))

    @work(thread=True, group="save", exit_on_error=False)
    def _send_note(self, unit: str, value: str, dialog) -> None:
        from .. import reminders as notes
        from ..analytics import reminders
        from ..units import load_aliases

        app = self.app
        lang, ws, data, on = app.lang, app.ws, app.data, app.today
        path = Path(os.path.expanduser(value.strip()))
        try:
            if path.suffix.lower() != ".docx":
                raise TrackerError(f"a reminder note is a .docx file: {path}", key="units_screen.note_docx",
                                   path=str(path))
            aliases = load_aliases(ws.root)
            key = aliases.canonical(unit)
            groups = reminders(data, on, app.last or None, aliases=aliases)
            rs = next((v for u, v in groups.items() if u == unit or aliases.canonical(u) == key), None)
            if not rs:
                app.call_from_thread(dialog.dismiss, None)
                app.call_from_thread(app.notify, say("note.nothing", lang, unit=unit, on=on.isoformat()),
                                     markup=False, timeout=10)
                return
            got = notes.send(ws, data, unit, rs, path, on, lang)
        except TrackerError as exc:
            app.call_from_thread(dialog.show_error, app.error_text(exc))
            return
        except OSError as exc:
            app.call_from_thread(dialog.show_error, str(exc))
            return
        app.call_from_thread(dialog.dismiss, got["file"])
        app.call_from_thread(app.notify, say("note.sent", lang, file=got["file"], number=got["number"],
                                             nth=say("note.nth", lang, n=got["nth"]), n=len(got["items"]),
                                             sha=got["commit"][:7]), markup=False, timeout=15)
        app.call_from_thread(app.reload)

    def action_unit_tasks(self) -> None:
        key = self.current_unit()
        if key is not None:
            self.app.open_unit(key)
