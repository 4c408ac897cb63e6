"""Small modal dialogs: pick one of a list (digits pick directly), one line of input, a text editor, a form."""
from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from ..screens.labels import L


class PickerDialog(ModalScreen[str | None]):
    """Choose one option; the digit keys 1-9 pick the option with that number."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, options: Sequence[tuple[str, Text | str]], current: str | None = None):
        super().__init__(classes="dialog")
        self.title_text = title
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            items = []
            for i, (key, label) in enumerate(self.options):
                prefix = Text(f"{i + 1}. " if i < 9 else "   ", style="dim")
                body = label if isinstance(label, Text) else Text(str(label))
                mark = Text(" ✓" if key == self.current else "")
                items.append(Option(prefix + body + mark, id=f"opt-{i}"))
            yield OptionList(*items, id="picker")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [k for k, _ in self.options]
        if self.current in keys:
            ol.highlighted = keys.index(self.current)
        elif self.options:
            ol.highlighted = 0
        ol.focus()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            i = int(event.character) - 1
            if i < len(self.options):
                event.stop()
                self.dismiss(self.options[i][0])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class InputDialog(ModalScreen[str | None]):
    """One line of text; Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__(classes="dialog")
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="dialog-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen[str | None]):
    """A multi-line editor: ctrl+s saves, Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, text: str, lang: str):
        super().__init__(classes="dialog")
        self.title_text, self.text, self.lang = title, text, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box editor-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="dialog-buttons"):
                yield Label(Text(L("ctrl_s_save", self.lang), style="dim"))
                yield Button(L("save", self.lang), id="save", variant="primary")
                yield Button(L("cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class FormDialog(ModalScreen[dict | None]):
    """Several labelled one-line inputs; Enter in the last one (or Save) returns them all."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, fields: Sequence[tuple[str, str, str]], lang: str):
        super().__init__(classes="dialog")
        self.title_text, self.fields, self.lang = title, list(fields), lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            for name, label, value in self.fields:
                yield Label(Text(label))
                yield Input(value, id=f"f-{name}")
            with Horizontal(classes="dialog-buttons"):
                yield Button(L("save", self.lang), id="save", variant="primary")
                yield Button(L("cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _values(self) -> dict:
        return {name: self.query_one(f"#f-{name}", Input).value for name, _, _ in self.fields}

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        i = inputs.index(event.input)
        if i + 1 < len(inputs):
            inputs[i + 1].focus()
        else:
            self.dismiss(self._values())

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        self.dismiss(self._values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
