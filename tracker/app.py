"""The Textual app: a thin shell around screens that call the domain layer."""
from __future__ import annotations

from textual.app import App

from .store import Workspace


class TrackerApp(App):
    CSS_PATH = "tracker.tcss"
    TITLE = "tracker"

    def __init__(self, ws: Workspace, lang: str = "zh"):
        super().__init__()
        self.ws, self.lang = ws, lang

    def on_mount(self) -> None:
        from .screens.task_list import TaskListScreen

        self.push_screen(TaskListScreen())


def make_app(ws: Workspace, lang: str = "zh") -> TrackerApp:
    """The one factory the console script and the tests share."""
    return TrackerApp(ws, lang=lang)
