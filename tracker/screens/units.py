"""Every unit with the tasks it leads and co-owns and their status mix; Enter lists its tasks."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from ..i18n import word
from ..model import STATUSES
from .base import STATUS_STYLE, BaseScreen, stage_text
from .labels import L
from .ledger import LedgerActions


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

    def action_unit_tasks(self) -> None:
        key = self.current_unit()
        if key is not None:
            self.app.open_unit(key)
