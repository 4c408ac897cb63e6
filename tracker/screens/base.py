"""What every screen shares: bindings from tracker.bindings, the data signal, a banner, cell helpers.

Screens import nothing from tracker.app: they read the app through its attributes (data, lang,
data_signal, ...), take their keys from widgets.keys and optional parts through has_module.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static

from ..cycle import stage_label
from ..i18n import status_label
from ..schedule import LIGHT_GLYPH, LIGHT_STYLE, light_label
from ..widgets.keys import install_bindings
from .labels import L


def has_module(name: str) -> bool:
    """Optional parts (analytics, asof, sync) are used when installed."""
    import importlib.util

    try:
        return importlib.util.find_spec(f"tracker.{name}") is not None
    except ImportError:
        return False


STATUS_STYLE = {"not_started": "bright_black", "in_progress": "cyan", "done": "green", "blocked": "bold red",
                "acked": "blue", "closed": "bold green", "cancelled": "bright_black strike"}


def status_text(status: str, lang: str) -> Text:
    """A measure's status (未启动 / 推进中 / 已完成 / 受阻): measures are not items of the cycle."""
    return Text(status_label(status, lang), style=STATUS_STYLE.get(status, ""))


def stage_text(status: str, lang: str) -> Text:
    """An item's status as the cycle names it (cycle.stage_label: 已交办, 申请办结, 已销号 ...): one
    state has one name on every screen, as in `tracker show` and the cycle's commits."""
    return Text(stage_label(status, lang), style=STATUS_STYLE.get(status, ""))


def item_status_label(field: str, value: str, lang: str) -> str:
    """A status value of a changed field: the item's own `status` by its stage name, a measure's
    (`measures.N.status`) by the work status."""
    return stage_label(value, lang) if field == "status" else status_label(value, lang)


def light_text(name: str | None, lang: str) -> Text:
    if not name:
        return Text("")
    return Text(f"{LIGHT_GLYPH.get(name, '●')} {light_label(name, lang)}", style=LIGHT_STYLE.get(name, ""))


def bar(fraction: float, width: int = 20, style: str = "green") -> Text:
    fraction = max(0.0, min(1.0, fraction))
    full = int(round(fraction * width))
    return Text("█" * full, style=style) + Text("░" * (width - full), style="bright_black")


def short_date(iso: str) -> str:
    return iso[:10] if iso else ""


def cut(text: Text, width: int) -> Text:
    """`text` at most `width` cells, ending with … when cut (DataTable cuts without a mark)."""
    from rich.cells import cell_len

    if cell_len(text.plain) > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text


def one_line(text: str) -> str:
    return " ".join(text.split())


def show_enter(widget, label: str) -> None:
    """Show a focused table's own Enter binding in the footer, with our label (its binding hides the screen's)."""
    from dataclasses import replace

    from textual.binding import BindingsMap

    keys = {k: [replace(b, description=label, show=True) if k == "enter" else b for b in items]
            for k, items in widget._bindings.key_to_bindings.items()}
    widget._bindings = BindingsMap.from_keys(keys)


class BaseScreen(Screen):
    """Installs its scope's bindings in the app's language and redraws on every data load."""

    SCOPE = ""

    def __init__(self, **kw):
        super().__init__(**kw)
        if self.SCOPE:
            install_bindings(self, self.SCOPE, self.app.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose_header(self) -> ComposeResult:
        yield Header(icon="")  # no ornament at the left edge (the title says what this is)
        yield Static("", id="banner", classes="banner", markup=False)

    def compose_footer(self) -> ComposeResult:
        from ..widgets.footer import FittedFooter

        yield FittedFooter()

    def on_mount(self) -> None:
        self.app.data_signal.subscribe(self, self._on_data)
        if self.app.data is not None:
            self._on_data("data")

    def _on_data(self, kind: str) -> None:
        self._update_banner()
        self.refresh_data(kind)

    def _update_banner(self) -> None:
        try:
            banner = self.query_one("#banner", Static)
        except Exception:  # noqa: BLE001
            return
        app = self.app
        if app.as_of_day is not None:
            banner.update(Text(L("asof_banner", self.lang, day=app.as_of_day.isoformat())))
            banner.display = True
        else:
            banner.display = False

    def refresh_data(self, kind: str = "data") -> None:  # overridden; kind: data | last | index
        pass

    def action_back(self) -> None:
        self.app.action_back()
