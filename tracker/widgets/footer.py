"""The footer, fitted: a key whose label would not fit is left out whole, never cut.

Textual's Footer lays its keys in one row and lets the last ones run under the command-palette key
at the right (at 80 columns "t 目" of "t 目标").  Here the keys that do not fit are hidden, from
the end of the row, except the help key (`?`), which lists them all; widening shows them again.
"""
from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FittedFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        if not self.is_attached:
            return
        keys = list(self.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        # the palette key is docked right: its laid-out size (border and padding included) once known
        room = self.size.width - sum(k.outer_size.width or _width(k) + 2 for k in palette)
        rest = [k for k in keys if k not in palette]
        need = {k: _width(k) + k.styles.margin.left + k.styles.margin.right for k in rest}
        keep = [k for k in rest if k.action == "app.help"]
        room -= sum(need[k] for k in keep)
        for k in rest:
            if k in keep:
                continue
            if need[k] <= room:
                room -= need[k]
            else:  # this and every key after it (the row keeps its order)
                room = -1
                continue
            keep.append(k)
        for k in rest:
            shown = k in keep
            if k.display != shown:
                k.display = shown


def _width(key: FooterKey) -> int:
    """The key's cells as drawn: its text with the key's and label's padding, and its own padding."""
    try:
        text = cell_len(key.render().plain)
    except Exception:  # noqa: BLE001 - not styled yet
        text = cell_len(f" {key.key_display} {key.description} ")
    pad = key.styles.padding
    return text + pad.left + pad.right
