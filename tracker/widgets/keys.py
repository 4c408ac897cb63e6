"""How keys reach the TUI: tracker.bindings installed as Textual bindings, and keys typed in a burst
handled one at a time.

Screens and the app both import this module; it imports nothing of the TUI above it (no screen,
no app), so a screen never has to reach up into tracker.app for its keys.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import replace

from textual import events
from textual.app import App
from textual.binding import Binding, BindingsMap

from .. import bindings as keymap


def tui_bindings(scope: str, lang: str) -> list[Binding]:
    """Textual bindings for one scope of tracker.bindings, labelled in `lang`."""
    out = []
    for k in keymap.keys_for(scope):
        if k.action == "app.command_palette" or k.key == "1-9":
            continue
        out.append(Binding(k.key, k.action, k.label(lang), show=k.show, priority=k.priority,
                           key_display=k.display or None))
    return out


def install_bindings(node, scope: str, lang: str) -> None:
    """Add a scope's bindings to a node instance (descriptions depend on the language, known at run time)."""
    keys = {key: list(b) for key, b in node._bindings.key_to_bindings.items()}
    for b in tui_bindings(scope, lang):
        for key in b.key.split(","):
            keys.setdefault(key.strip(), []).insert(0, Binding(key.strip(), b.action, b.description, show=b.show,
                                                               priority=b.priority, key_display=b.key_display))
    node._bindings = BindingsMap.from_keys(keys)


def relabel(node, actions: tuple[str, ...], description: str) -> None:
    """Describe the node's bindings of `actions` as `description` (e.g. Textual's own "palette" key,
    in the app's language)."""
    keys = node._bindings.key_to_bindings
    for key, items in keys.items():
        keys[key] = [replace(b, description=description, tooltip=description) if b.action in actions else b
                     for b in items]


class KeyQueueApp(App):
    """An App that handles keys typed in a burst one at a time.

    Textual routes a key to the focused widget as soon as it is read, before the keys ahead of it
    were handled: a burst like "/nyxdh" or "v Tab 6.8 Enter" would reach the widgets focused before
    `/`, `v` or Tab took effect.  So keys go one at a time: a key that arrives while the one before
    it is still on its way waits in a FIFO queue; one pump releases the head of the queue once the
    key in flight is done.  A key is done when a widget stopped it, a priority binding took it, or
    it came back to the app (the bindings); the 1.5 s cap only guards a key that vanished.

    A key that went to a widget which lost the focus meanwhile, while a text input has it (or a
    screen with TAKES_TEXT is still opening), is sent again to the input, ahead of later keys."""

    _key_in_flight: tuple | None = None
    _key_queue: deque | None = None
    _key_pump = None

    def _key_busy(self) -> bool:
        flight = self._key_in_flight
        if flight is None:
            return False
        event, since = flight
        if event._stop_propagation or getattr(event, "_tracker_done", False):
            return False
        target = getattr(event, "_tracker_target", None)
        if target is not None and not target.is_attached:  # its widget went away with the key
            return False
        return time.monotonic() - since < 1.5

    def _release_next_key(self) -> None:
        self._key_pump = None
        queue = self._key_queue
        if not queue:
            return
        if self._key_busy():
            self._key_pump = self.set_timer(0.002, self._release_next_key)
            return
        self._send_key(queue.popleft())
        if queue:
            self._key_pump = self.set_timer(0.002, self._release_next_key)

    def _send_key(self, old, hops: int | None = None) -> None:
        """Post a copy of a key that goes ahead of everything still queued (Textual reuses no event)."""
        again = events.Key(old.key, old.character)
        again._tracker_hops = getattr(old, "_tracker_hops", 0) if hops is None else hops
        again._tracker_released = True
        self._key_in_flight = (again, time.monotonic())  # busy until it has been handled
        self.post_message(again)

    async def on_event(self, event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not getattr(event, "_tracker_released", False) and (self._key_queue or self._key_busy()):
                if self._key_queue is None:
                    self._key_queue = deque()
                self._key_queue.append(event)
                if self._key_pump is None:
                    self._key_pump = self.set_timer(0.002, self._release_next_key)
                return
            event._tracker_target = self.focused or self.screen
            self._key_in_flight = (event, time.monotonic())
            await super().on_event(event)
            if not event.is_forwarded:  # a priority binding took it
                event._tracker_done = True
            return
        await super().on_event(event)

    async def _on_key(self, event) -> None:
        # the key has come all the way back to the app: the next one may go.  Textual then runs
        # App._on_key (the bindings) itself, unless the key was sent on
        event._tracker_done = True
        self._reroute_key(event)

    def _reroute_key(self, event) -> bool:
        """A key that went to a widget which has lost the focus since, while a text input has it (or a
        dialog is still opening): send it again, to the input, ahead of the keys typed after it."""
        from textual.widgets import Input, TextArea

        target = getattr(event, "_tracker_target", None)
        hops = getattr(event, "_tracker_hops", 0)
        if target is None or hops > 40:
            return False
        focused = self.focused
        if isinstance(focused, (Input, TextArea)):
            if focused is target:
                return False
        elif not (focused is None and getattr(self.screen, "TAKES_TEXT", False)):
            return False
        event.stop()
        event.prevent_default()
        self._send_key(event, hops + 1)
        return True
