"""The side-by-side conflict picker for one task (or target).

    ConflictScreen(ws, path, lang)    ModalScreen; dismisses with a CommitResult, or None

Each conflicting field is one row: the values side by side, each with who and when.  ↑/↓ move
between fields, ←/→ (or 1, 2, 3…) pick a side, Enter/ctrl+s saves: one normal commit through
`tracker.conflicts.resolve`.  Esc closes without changing anything.  Every value is shown as
Text, never markup.
"""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..conflicts import find, resolve, shown
from ..i18n import book, field_label, say, say_in
from ..merge import values_of

WORDS = book("conflict_screen", {
    "title": ("解决冲突", "Resolve conflicts"),
    "help": ("↑↓ 选字段  ←→ 或 1/2/3 选一方  Enter 保存（一次提交）  Esc 取消", "↑↓ field  ←→ or 1/2/3 side  Enter save (one commit)  Esc cancel"),
    "none": ("此文件没有待解决的冲突", "no conflicts recorded in this file"),
    "pick": ("请先为至少一个字段选定一方", "pick a side for at least one field first"),
    "saved": ("已保存 {sha}", "saved {sha}"),
    "base": ("原值", "was"),
    "chosen": ("✓ 选定", "✓ chosen"),
})
#: the footer's words (Binding descriptions), in the app's language
FOOTER = book("conflict_footer", {
    "Save": ("保存（一次提交）", "Save"), "Cancel": ("取消", "Cancel"), "↑": ("上一字段", "↑"), "↓": ("下一字段", "↓"),
    "←": ("左侧", "←"), "→": ("右侧", "→"),
})


def _w(key: str, lang: str, **kw) -> str:
    return say(f"conflict_screen.{key}", lang, **kw)


class ConflictScreen(ModalScreen):
    """Pick one value per conflicting field; save = one commit."""

    DEFAULT_CSS = """
    ConflictScreen {
        align: center middle;
    }
    ConflictScreen #conflict-box {
        width: 90%;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ConflictScreen .conflict-field {
        margin-top: 1;
        text-style: bold;
    }
    ConflictScreen .conflict-field.-current {
        color: $accent;
    }
    ConflictScreen .conflict-row {
        height: auto;
    }
    ConflictScreen .conflict-side {
        width: 1fr;
        height: auto;
        border: round $panel;
        padding: 0 1;
    }
    ConflictScreen .conflict-side.-chosen {
        border: round $success;
    }
    ConflictScreen #conflict-help {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "↑", show=False),
        Binding("down", "move(1)", "↓", show=False),
        Binding("left", "step(-1)", "←", show=False),
        Binding("right", "step(1)", "→", show=False),
        Binding("enter,ctrl+s", "save", "Save", key_display="Enter"),
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
    ]

    def __init__(self, ws, path: str, lang: str = "zh") -> None:
        super().__init__()
        self.ws, self.path, self.lang = ws, path, lang
        from textual.binding import BindingsMap  # the footer in the app's language

        self._bindings = BindingsMap(
            [Binding(b.key, b.action, say_in("conflict_footer", b.description, lang), show=b.show,
                     key_display=b.key_display)
             for items in self._bindings.key_to_bindings.values() for b in items])
        self.entries: list[dict] = []
        self.choice: dict[int, int] = {}  # field row -> chosen side index
        self.current = 0
        self.fc = None

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Static(Text(_w("title", self.lang), style="bold"), id="conflict-title")
            yield VerticalScroll(id="conflict-rows")
            yield Static(Text(_w("help", self.lang)), id="conflict-help")
        from ..widgets.footer import FittedFooter

        yield FittedFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="conflict-load", exit_on_error=False)
    def _load(self) -> None:
        from ..merge import norm

        fc = find(self.ws, self.path)
        if fc is not None:
            fc.entries = [norm(e) for e in fc.entries]
        self.app.call_from_thread(self._build, fc)

    def _build(self, fc) -> None:
        self.fc = fc
        rows = self.query_one("#conflict-rows", VerticalScroll)
        if fc is None:
            rows.mount(Static(Text(_w("none", self.lang))))
            return
        self.query_one("#conflict-title", Static).update(
            Text(f"{_w('title', self.lang)} · {fc.id} {fc.title}", style="bold"))
        self.entries = fc.entries
        for i, e in enumerate(self.entries):
            field = str(e.get("field"))
            head = Text(field_label(field, self.lang))
            head.append(f"   {_w('base', self.lang)}: {shown(field, e.get('base'), self.lang)}", style="dim")
            sides = [Static(self._side_text(field, j, s), classes="conflict-side", id=f"side-{i}-{j}")
                     for j, s in enumerate(values_of(e))]
            rows.mount(Static(head, classes="conflict-field", id=f"field-{i}"))
            rows.mount(Horizontal(*sides, classes="conflict-row", id=f"row-{i}"))
        self._paint()

    def _side_text(self, field: str, j: int, side: dict, chosen: bool = False) -> Text:
        t = Text(f"{j + 1}. ", style="dim")
        t.append(shown(field, side.get("value"), self.lang), style="bold")
        t.append(f"\n{side.get('author') or '?'}  {str(side.get('date') or '')[:16].replace('T', ' ')}", style="dim")
        if chosen:
            t.append(f"\n{_w('chosen', self.lang)}", style="green")
        return t

    def _paint(self) -> None:
        for i, e in enumerate(self.entries):
            field = str(e.get("field"))
            self.query_one(f"#field-{i}").set_class(i == self.current, "-current")
            for j, s in enumerate(values_of(e)):
                w = self.query_one(f"#side-{i}-{j}", Static)
                chosen = self.choice.get(i) == j
                w.set_class(chosen, "-chosen")
                w.update(self._side_text(field, j, s, chosen))

    # -- keys -----------------------------------------------------------------------------------
    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and self.entries:
            j = int(event.character) - 1
            if 0 <= j < len(values_of(self.entries[self.current])):
                event.stop()
                self.choice[self.current] = j
                self._paint()

    def action_move(self, delta: int) -> None:
        if self.entries:
            self.current = (self.current + delta) % len(self.entries)
            self._paint()
            self.query_one(f"#field-{self.current}").scroll_visible()

    def action_step(self, delta: int) -> None:
        if self.entries:
            n = len(values_of(self.entries[self.current]))
            if self.current not in self.choice:  # first press: ← the left value, → the right one
                self.choice[self.current] = 0 if delta < 0 else min(1, n - 1)
            else:
                self.choice[self.current] = max(0, min(n - 1, self.choice[self.current] + delta))
            self._paint()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if not self.choice:
            self.notify(_w("pick", self.lang), severity="warning")
            return
        picks = {}
        for i, j in self.choice.items():
            e = self.entries[i]
            take = ("ours", "theirs")[j] if j < 2 else f"other:{j - 1}"
            picks[str(e.get("field"))] = take
        self._save(picks)

    @work(thread=True, exclusive=True, group="conflict-save", exit_on_error=False)
    def _save(self, picks: dict[str, str]) -> None:
        from ..model import TrackerError

        try:
            res = resolve(self.ws, self.fc.path, picks)
        except TrackerError as exc:
            self.app.call_from_thread(self.notify, exc.text(self.app.lang), severity="error", markup=False)
            return
        self.app.call_from_thread(self.dismiss, res)
