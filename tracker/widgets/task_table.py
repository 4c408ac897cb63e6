"""A virtual table for thousands of rows: only the visible lines are rendered.

DataTable rebuilds its row structures on every `clear()`/`add_rows()` (1.4 s for 10,000 rows), too
slow for a filter that runs on every keystroke.  Here the rows are a list of keys; a filter or a
sort replaces that list and repaints the visible lines.  Cells are Rich `Text` (never markup),
cut and padded by cell width so Chinese lines up.  Line 0 is a fixed header; clicking a header
sorts by that column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass
class Column:
    key: str
    label: str
    width: int  # cells; the flexible column takes what is left
    flex: bool = False
    justify: str = "left"
    drop: int = 0  # when the screen is narrow, columns with the highest `drop` are hidden first (0: never)


def fit(text: Text, width: int, justify: str = "left") -> Text:
    """`text` cut (with …) or padded to exactly `width` cells."""
    t = text.copy()
    t.no_wrap = True
    if cell_len(t.plain) > width:
        t.truncate(width, overflow="ellipsis")
    pad = width - cell_len(t.plain)
    if pad > 0:
        if justify == "right":
            t = Text(" " * pad) + t
        else:
            t.append(" " * pad)
    return t


class TaskTable(ScrollView, can_focus=True):
    """Rows are keys; `cells(key)` gives their cells.  Posts Highlighted / Selected / SortClicked."""

    DEFAULT_CSS = """
    TaskTable { height: 1fr; }
    TaskTable > .task-table--header { text-style: bold; background: $panel; }
    TaskTable > .task-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    TaskTable > .task-table--cursor-blur { background: $block-cursor-blurred-background; }
    TaskTable > .task-table--mark { background: $success 25%; }
    """
    COMPONENT_CLASSES = {"task-table--header", "task-table--cursor", "task-table--cursor-blur", "task-table--mark"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False), Binding("down", "cursor(1)", show=False),
        Binding("k", "cursor(-1)", show=False), Binding("j", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False), Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, table: "TaskTable", key: str | None):
            super().__init__()
            self.table, self.key = table, key

    class Selected(Message):
        def __init__(self, table: "TaskTable", key: str):
            super().__init__()
            self.table, self.key = table, key

    class SortClicked(Message):
        def __init__(self, table: "TaskTable", column: str):
            super().__init__()
            self.table, self.column = table, column

    def __init__(self, columns: Sequence[Column], cells: Callable[[str], Sequence[Text]], **kw):
        super().__init__(**kw)
        self.columns = list(columns)
        self._cells = cells
        self.rows: list[str] = []
        self.sort_key: str | None = None
        self.sort_reverse = False
        self.marked: set[str] = set()
        self._cache: dict[str, list[Text]] = {}
        self._widths: list[int] = [c.width for c in self.columns]

    # -- data -------------------------------------------------------------------------------
    def set_rows(self, rows: list[str], *, keep: str | None = None) -> None:
        current = keep if keep is not None else self.current_key
        self.rows = rows
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
        if current is not None:
            try:
                self.cursor = rows.index(current)
            except ValueError:
                self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        else:
            self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        self.refresh()

    def set_width(self, key: str, width: int) -> None:
        for c in self.columns:
            if c.key == key and c.width != width:
                c.width = width
                self._widths = self._layout(self.scrollable_content_region.width)
                self.refresh()

    def invalidate(self, keys: Sequence[str] | None = None) -> None:
        if keys is None:
            self._cache.clear()
        else:
            for k in keys:
                self._cache.pop(k, None)
        self.refresh()

    @property
    def current_key(self) -> str | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, key: str) -> bool:
        try:
            self.cursor = self.rows.index(key)
            return True
        except ValueError:
            return False

    # -- layout -----------------------------------------------------------------------------
    #: the flexible (title) column shrinks first, down to this many cells (ten Chinese characters);
    #: narrower, and less important columns go (a column with drop=0, like the light, never does)
    MIN_FLEX = 20

    def _layout(self, width: int) -> list[int]:
        """Fixed columns at their width, the flexible one takes the rest; a width 0 is a hidden column."""
        hidden: set[str] = set()

        def fixed() -> int:
            shown = [c for c in self.columns if c.key not in hidden]
            return sum(c.width for c in shown if not c.flex) + len(shown) - 1

        droppable = sorted((c for c in self.columns if c.drop), key=lambda c: -c.drop)
        for c in droppable:
            if width - fixed() >= self.MIN_FLEX:
                break
            hidden.add(c.key)
        for c in reversed(droppable):  # a column hidden on the way that fits after all comes back
            if c.key in hidden:
                hidden.discard(c.key)
                if width - fixed() < self.MIN_FLEX:
                    hidden.add(c.key)
        rest = max(width - fixed(), 8)
        return [0 if c.key in hidden else (rest if c.flex else c.width) for c in self.columns]

    def set_widths(self, widths: dict[str, int]) -> None:
        changed = False
        for c in self.columns:
            if c.key in widths and c.width != widths[c.key]:
                c.width, changed = widths[c.key], True
        if changed:
            self._widths = self._layout(self.scrollable_content_region.width)
            self.invalidate()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        self._widths = self._layout(width)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.refresh()

    def _row_text(self, cells: Sequence[Text]) -> Text:
        out = Text(no_wrap=True, end="")
        if len(cells) == 2 and len(self.columns) > 2:  # a spanning row: first column, then one wide cell
            shown = [w for w in self._widths[1:] if w]
            rest = sum(shown) + len(shown) - 1
            out.append_text(fit(cells[0], self._widths[0]))
            out.append(" ")
            out.append_text(fit(cells[1], rest))
            return out
        first = True
        for i, (col, width) in enumerate(zip(self.columns, self._widths)):
            if not width:
                continue
            if not first:
                out.append(" ")
            first = False
            cell = cells[i] if i < len(cells) else Text("")
            out.append_text(fit(cell, width, col.justify))
        return out

    def _header_text(self) -> Text:
        cells = []
        for c in self.columns:
            label = Text(c.label)
            if c.key == self.sort_key:
                # the arrow always shows: the label gives way to it (widths leave room for both)
                arrow = " ▼" if self.sort_reverse else " ▲"
                width = self._widths[self.columns.index(c)]
                if cell_len(c.label) + 2 > width:
                    label = fit(label, max(width - 2, 0))
                label = Text(label.plain.rstrip() + arrow)
            cells.append(label)
        return self._row_text(cells)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_component_rich_style("task-table--header")
            text = self._header_text()
            text.stylize(style)
            return Strip(text.render(self.app.console), cell_length=None).adjust_cell_length(width, style)
        index = self.scroll_offset.y + y - 1
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        key = self.rows[index]
        cells = self._cache.get(key)
        if cells is None:
            cells = self._cache[key] = list(self._cells(key))
        text = self._row_text(cells)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style(
                "task-table--cursor" if self.has_focus else "task-table--cursor-blur")
            text.stylize(Style(color=style.color, bgcolor=style.bgcolor, bold=style.bold))
        elif key in self.marked:
            style = base + self.get_component_rich_style("task-table--mark")
            text.stylize(Style(bgcolor=style.bgcolor))
        segments = list(text.render(self.app.console))
        segments = [Segment(s.text, base + s.style if s.style else base) for s in segments]
        return Strip(segments).adjust_cell_length(width, style)

    # -- cursor -----------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if not self.rows:
            return
        new = max(0, min(new, len(self.rows) - 1))
        if new != self.cursor:
            self.cursor = new
            return
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.cursor = max(0, min(self.cursor + delta, len(self.rows) - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.size.height - 2, 1))

    def action_edge(self, end: int) -> None:
        self.cursor = len(self.rows) - 1 if end else 0

    def action_select(self) -> None:
        if self.current_key is not None:
            self.post_message(self.Selected(self, self.current_key))

    def on_click(self, event) -> None:
        if event.y == 0:
            x = event.x
            for col, width in zip(self.columns, self._widths):
                if not width:
                    continue
                if x < width + 1:
                    self.post_message(self.SortClicked(self, col.key))
                    return
                x -= width + 1
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index
