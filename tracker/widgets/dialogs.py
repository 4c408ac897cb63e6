"""Small modal dialogs: pick one of a list (digits pick directly), one line of input, a text editor, a form."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..i18n import book, say

#: The dialogs' own words (a widget takes no text from the screens above it; callers pass titles).
book("dialog", {
    "save": ("保存", "Save"),
    "cancel": ("取消", "Cancel"),
    "ctrl_s_save": ("ctrl+s 保存，esc 取消", "ctrl+s saves, esc cancels"),
    "discard_ask_line": ("已输入内容：再按 Esc 放弃，回车保存", "You typed something: Esc again discards it, Enter saves"),
    "discard_ask": ("文本已修改：再按 Esc 放弃修改，ctrl+s 保存", "The text was changed: Esc again discards it, ctrl+s saves"),
})


class FormInput(Input):
    """An Input for keys typed in a burst: Tab and Enter move the focus at once (not after the keys
    queued behind them were already routed), and a key that reaches it after the focus moved on is
    sent again, to the field that has the focus now."""

    on_enter: Callable[["FormInput"], None] | None = None

    async def _on_key(self, event) -> None:
        from textual import events

        app = self.app
        if not self.has_focus and isinstance(app.focused, Input):
            again = events.Key(event.key, event.character)
            again._tracker_hops = getattr(event, "_tracker_hops", 0) + 1
            event.stop()
            event.prevent_default()
            if again._tracker_hops < 40:
                app.post_message(again)
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            self.screen.focus_next() if event.key == "tab" else self.screen.focus_previous()
        elif event.key == "enter" and self.on_enter is not None:
            event.stop()
            event.prevent_default()
            self.on_enter(self)


class Submitting:
    """A dialog that stays open while its value is checked and saved.

    With `on_submit(value, dialog)` the caller validates and saves; it closes the dialog with
    `dialog.dismiss(result)` on success, or calls `dialog.show_error(text)` and the dialog stays
    open with what was typed, so the officer can correct it.  `expect` is the blob id of the file
    as it was when the dialog opened (the version the officer started from)."""

    TAKES_TEXT = True  # keys typed before the dialog is on screen are sent on to its input
    DISCARD_LABEL = "dialog.discard_ask_line"
    on_submit: Callable[[Any, Any], None] | None = None
    expect: str | None = None

    def error_widget(self) -> Static:
        return Static("", id="dialog-error", classes="dialog-error", markup=False)

    def submit(self, value: Any) -> None:
        if self.on_submit is None:
            self.dismiss(value)
        else:
            self.show_error("")
            self.on_submit(value, self)

    def confirm_discard(self) -> bool:
        """Esc with typed text: the first press only warns (the text stays), a second one discards."""
        if getattr(self, "_confirm_cancel", False):
            return True
        self._confirm_cancel = True
        self.show_error(say(self.DISCARD_LABEL, getattr(self, "lang", None) or getattr(self.app, "lang", "zh")))
        return False

    def show_error(self, message: str) -> None:
        try:
            box = self.query_one("#dialog-error", Static)
        except Exception:  # noqa: BLE001 - closed meanwhile
            return
        box.update(Text(message))
        box.display = bool(message)


class PickerDialog(ModalScreen[str | None]):
    """Choose one option; the digit keys pick the option with that number.  Past nine options a
    number is typed as its digits in a row ("1", "2" picks 12): a digit that can begin a longer
    number highlights its option and waits a moment for the next (Enter takes it at once).

    With `searchable=True` (long lists: units) a search line on top filters the options as you
    type, by text or pinyin (full or initials); ↑/↓ move, Enter picks."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, options: Sequence[tuple[str, Text | str]], current: str | None = None, *,
                 searchable: bool = False):
        super().__init__(classes="dialog")
        self.title_text = title
        self.options = list(options)
        self.current = current
        self.searchable = searchable
        self.TAKES_TEXT = searchable
        self.shown: list[int] = list(range(len(self.options)))
        self._digits = ""  # the number typed so far
        self._digit_timer = None

    #: how long a digit that may begin a two-digit number waits for the next one
    DIGIT_WAIT = 0.8

    def _items(self) -> list[Option]:
        items = []
        for n, i in enumerate(self.shown):
            key, label = self.options[i]
            wide = len(self.shown) > 9
            prefix = Text("   " if self.searchable else (f"{n + 1:>2}. " if wide else f"{n + 1}. "), style="dim")
            body = label if isinstance(label, Text) else Text(str(label))
            mark = Text(" ✓" if key == self.current else "")
            items.append(Option(prefix + body + mark, id=f"opt-{i}"))
        return items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            if self.searchable:
                yield Input(placeholder="拼音或文字筛选" if any("\u4e00" <= ch for ch in self.title_text)
                            else "type to search (pinyin too)", id="picker-search")
            yield OptionList(*self._items(), id="picker")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [k for k, _ in self.options]
        if self.current in keys:
            ol.highlighted = keys.index(self.current)
        elif self.options:
            ol.highlighted = 0
        if self.searchable:
            self.query_one("#picker-search", Input).focus()
        else:
            ol.focus()

    @on(Input.Changed, "#picker-search")
    def search(self, event: Input.Changed) -> None:
        from ..search import text_matches

        event.stop()
        query = event.value.strip()
        self.shown = [i for i, (k, label) in enumerate(self.options)
                      if not query or text_matches(query, label.plain if isinstance(label, Text) else str(label))]
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(self._items())
        if self.shown:
            ol.highlighted = 0

    @on(Input.Submitted, "#picker-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ol = self.query_one(OptionList)
        if self.shown and ol.highlighted is not None:
            self.dismiss(self.options[self.shown[ol.highlighted]][0])

    def on_key(self, event) -> None:
        if self.searchable:
            if event.key in ("up", "down"):
                event.stop()
                ol = self.query_one(OptionList)
                ol.action_cursor_up() if event.key == "up" else ol.action_cursor_down()
            return
        char = event.character
        if char and char in "0123456789":
            event.stop()
            self._digit(char)

    def _digit(self, char: str) -> None:
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None
        count = len(self.shown)
        typed = self._digits + char
        if not 1 <= int(typed) <= count:  # no such option: the digit starts a new number
            typed = char
            if not 1 <= int(typed) <= count:
                self._digits = ""
                return
        number = int(typed)
        if number * 10 <= count:  # a longer number may follow: show the choice, wait for it
            self._digits = typed
            self.query_one(OptionList).highlighted = number - 1
            self._digit_timer = self.set_timer(self.DIGIT_WAIT, self._digits_done)
            return
        self._digits = ""
        self.dismiss(self.options[self.shown[number - 1]][0])

    def _digits_done(self) -> None:
        self._digit_timer = None
        typed, self._digits = self._digits, ""
        if typed and self.is_attached and self.app.screen is self:
            self.dismiss(self.options[self.shown[int(typed) - 1]][0])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._digits = ""
        self.dismiss(self.options[self.shown[event.option_index]][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class InputDialog(Submitting, ModalScreen[str | None]):
    """One line of text; Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    AUTO_FOCUS = "#dialog-input"

    def __init__(self, title: str, value: str = "", placeholder: str = "", on_submit=None, expect=None):
        super().__init__(classes="dialog")
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.on_submit, self.expect = on_submit, expect

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="dialog-input")
            yield self.error_widget()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def action_cancel(self) -> None:
        if self.query_one(Input).value != self.value and not self.confirm_discard():
            return
        self.dismiss(None)


class TextDialog(Submitting, ModalScreen[str | None]):
    """A multi-line editor: ctrl+s saves, Escape cancels (asks first when the text was changed)."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#editor"
    DISCARD_LABEL = "dialog.discard_ask"

    def __init__(self, title: str, text: str, lang: str, on_submit=None, expect=None):
        super().__init__(classes="dialog")
        self.title_text, self.text, self.lang = title, text, lang
        self.on_submit, self.expect = on_submit, expect
        self._confirm_cancel = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box editor-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            yield self.error_widget()
            with Horizontal(classes="dialog-buttons"):
                yield Label(Text(say("dialog.ctrl_s_save", self.lang), style="dim"))
                yield Button(say("dialog.save", self.lang), id="save", variant="primary")
                yield Button(say("dialog.cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)  # editing existing text most often means adding to it

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.submit(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.query_one(TextArea).text != self.text and not self.confirm_discard():
            return  # a second Esc discards; the first one only warns
        self.dismiss(None)


class FormDialog(Submitting, ModalScreen[dict | None]):
    """Several labelled one-line inputs; Enter in the last one (or Save) returns them all."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    AUTO_FOCUS = "Input"

    def __init__(self, title: str, fields: Sequence[tuple[str, str, str]], lang: str, on_submit=None, expect=None):
        super().__init__(classes="dialog")
        self.title_text, self.fields, self.lang = title, list(fields), lang
        self.on_submit, self.expect = on_submit, expect

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            for name, label, value in self.fields:
                yield Label(Text(label))
                field = FormInput(value, id=f"f-{name}")
                field.on_enter = self._enter
                yield field
            yield self.error_widget()
            with Horizontal(classes="dialog-buttons"):
                yield Button(say("dialog.save", self.lang), id="save", variant="primary")
                yield Button(say("dialog.cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _values(self) -> dict:
        return {name: self.query_one(f"#f-{name}", Input).value for name, _, _ in self.fields}

    def _enter(self, field: Input) -> None:
        """Enter: the next field (focused at once, so keys typed behind go there), or save on the last."""
        inputs = list(self.query(Input))
        i = inputs.index(field)
        if i + 1 < len(inputs):
            self.set_focus(inputs[i + 1])
        else:
            self.submit(self._values())

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._enter(event.input)

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        self.submit(self._values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._values() != {name: value for name, _, value in self.fields} and not self.confirm_discard():
            return
        self.dismiss(None)
