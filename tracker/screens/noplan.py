"""A repository without any plan: how to start, instead of an empty board."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..i18n import norm_lang
from ..widgets.footer import FittedFooter
from .labels import L


def start_text(root: Path, lang: str) -> Text:
    t = Text()
    t.append(L("no_plan", lang) + "\n\n", style="bold")
    t.append(L("start_preview_cmd", lang), style="cyan")
    t.append(L("start_preview", lang), style="dim")
    t.append(L("start_import_cmd", lang), style="cyan")
    t.append(L("start_import", lang), style="dim")
    t.append(L("start_formats", lang), style="dim")
    t.append(L("start_aliases", lang), style="dim")
    t.append(Text(str(root), style="dim"))
    return t


class NoPlanApp(App):
    """Shown by `tracker` in a repository whose plan/ holds no year yet."""

    BINDINGS = [Binding("q", "quit", "退出"), Binding("escape", "quit", "退出", show=False)]
    CSS = "#start { padding: 1 2; }"

    def __init__(self, root: Path, lang: str = "zh"):
        super().__init__()
        self.root, self.lang = root, norm_lang(lang)
        self.title = L("app_title", self.lang)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(start_text(self.root, self.lang), id="start", markup=False)
        yield FittedFooter()
