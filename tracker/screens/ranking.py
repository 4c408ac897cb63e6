"""Unit ranking (from tracker.analytics): each lead unit's completion and lights; sortable."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable

from ..i18n import word
from ..schedule import LIGHT_STYLE, light_label
from ..widgets.dialogs import PickerDialog
from .base import BaseScreen
from .labels import L

COLUMNS = ("rank", "unit", "led", "done", "red", "yellow", "blue", "green", "overdue", "rate", "last_update")
SORTABLE = {"unit", "led", "done", "red", "yellow", "overdue", "rate", "last_update"}


def column_label(key: str, lang: str) -> str:
    if key in ("green", "yellow", "red", "blue", "done"):
        return light_label(key, lang)
    return {"rank": L("rank", lang), "unit": word("unit", lang), "led": word("led", lang),
            "overdue": L("overdue", lang), "rate": L("rate", lang), "last_update": L("last_update", lang)}[key]


class RankingScreen(BaseScreen):
    SCOPE = "ranking"
    AUTO_FOCUS = "#ranking"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.sort = "rate"
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield DataTable(id="ranking", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(column_label(key, self.lang), key=key,
                             width=24 if key == "unit" else (4 if key == "rank" else 10))
        super().on_mount()
        self.sub_title = L("ranking", self.lang)

    def refresh_data(self, kind: str = "data") -> None:
        if kind == "index" or self.app.data is None:
            return
        self.compute(self.app.data, self.app.today, dict(self.app.last))

    @work(thread=True, exclusive=True, group="ranking", exit_on_error=False)
    def compute(self, data, today, last) -> None:
        from ..analytics import creation_commits, unit_ranking

        rows = unit_ranking(data, today, last, sort=self.sort, created=creation_commits(self.app.ws))
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows) -> None:
        from ..analytics import sort_ranking

        self.rows = sort_ranking(rows, self.sort)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        try:
            from ..analytics import ranks

            places = ranks(self.rows, self.sort)  # tied units share a rank (1, 1, 3…)
        except Exception:  # noqa: BLE001 - an older analytics: plain positions
            places = list(range(1, len(self.rows) + 1))
        for place, r in zip(places, self.rows):
            cells = [Text(str(place), justify="right"), Text(r.unit)]
            for key in COLUMNS[2:]:
                v = getattr(r, key)
                if key == "rate":
                    cells.append(Text(f"{v * 100:.0f}%", justify="right"))
                elif key == "last_update":
                    cells.append(Text(v.isoformat() if v else "—"))
                else:
                    style = LIGHT_STYLE.get(key, "") if v else "bright_black"
                    if key == "overdue" and v:
                        style = "bold red"
                    cells.append(Text(str(v) if v else "·", style=style, justify="right"))
            table.add_row(*cells, key=r.unit)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORTABLE:
            self.sort = key
            self._fill(self.rows)

    def action_sort(self) -> None:
        opts = [(k, Text(column_label(k, self.lang))) for k in COLUMNS if k in SORTABLE]

        def chosen(k):
            if k:
                self.sort = k
                self._fill(self.rows)

        self.app.push_screen(PickerDialog(L("pick_sort", self.lang), opts, self.sort), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_unit(event.row_key.value)

    def action_unit_tasks(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.app.open_unit(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
