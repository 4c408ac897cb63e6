"""`?`: every key, from tracker.bindings (the same table the footer and docs/tui.md use)."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..bindings import KEYS, SCOPES
from ..i18n import pick
from .labels import L


def help_table(lang: str, first_scope: str | None = None) -> Table:
    table = Table(show_header=True, header_style="bold", expand=False, box=None, padding=(0, 2))
    table.add_column(L("where", lang), no_wrap=True)
    table.add_column(L("key", lang), no_wrap=True, style="bold cyan")
    table.add_column(L("does", lang))
    scopes = list(SCOPES)
    if first_scope in scopes:
        scopes.remove(first_scope)
        scopes.insert(0, first_scope)
    for scope in scopes:
        first = True
        for k in KEYS:
            if k.scope != scope:
                continue
            table.add_row(Text(pick(SCOPES[scope], lang), style="bold") if first else Text(""),
                          Text(k.shown_key), Text(k.label(lang)))
            first = False
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        scope = getattr(self.app.screen_stack[-1] if self.app.screen_stack else None, "SCOPE", None)
        with VerticalScroll(classes="dialog-box help-box"):
            yield Label(Text(f"{L('help', lang)} · {L('help_title', lang)}"), classes="dialog-title")
            yield Static(help_table(lang, scope))

    def action_close(self) -> None:
        self.dismiss(None)
