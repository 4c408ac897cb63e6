"""What the command palette (ctrl+p) lists: tasks and units to go to, Textual's own commands and every
key of tracker.bindings for the screen it was opened on.

The providers read the app through the attributes every screen reads (data, index, tasks_by_id,
lang, open_task, open_unit, unit_names); nothing here imports tracker.app.
"""
from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .. import bindings as keymap
from ..search import text_matches
from .labels import L

PREFIX_WORDS = {w.lower() for w in ("go", "to", "task", "unit", "转到任务", "转到单位", "转到", "任务", "单位")}


def strip_prefix(query: str) -> str:
    """'go to task nyxdh' -> 'nyxdh': the palette user may type the hit's label."""
    return " ".join(w for w in query.split() if w.lower() not in PREFIX_WORDS)


class TaskProvider(Provider):
    """ctrl+p: go to a task by id, title or pinyin."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if app.data is None:
            return
        query = strip_prefix(query)
        if not query:
            return
        ids = app.index.match(query) if app.index else [t.id for t in app.data.tasks if query in t.title or query in t.id]
        prefix = L("go_task", app.lang)
        for tid in ids[:40]:
            t = app.tasks_by_id.get(tid)
            if t is None:
                continue
            label = Text(f"{prefix}: {t.id} ") + Text(t.title)
            yield Hit(0.9 if query.strip() in t.id else 0.7, label, lambda tid=tid: app.open_task(tid),
                      text=f"{t.id} {t.title}")

    async def discover(self) -> Hits:
        app = self.app
        if app.data is None:
            return
        prefix = L("go_task", app.lang)
        for t in app.data.tasks[:20]:
            yield DiscoveryHit(Text(f"{prefix}: {t.id} ") + Text(t.title), lambda tid=t.id: app.open_task(tid),
                               text=f"{t.id} {t.title}")


class UnitProvider(Provider):
    """ctrl+p: go to a unit (its task list)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        prefix = L("go_unit", app.lang)
        query = strip_prefix(query)
        if not query:
            return
        n = 0
        for unit in app.unit_names():
            if text_matches(query, unit):
                yield Hit(0.8, Text(f"{prefix}: ") + Text(unit), lambda u=unit: app.open_unit(u), text=unit)
                n += 1
                if n >= 30:
                    return


def system_commands(app, screen) -> Iterable[SystemCommand]:
    """Textual's own commands (theme, keys, screenshot, quit) in the app's language, then every key of
    tracker.bindings for this screen, each once."""
    lang = app.lang
    yield SystemCommand(L("cmd_theme", lang), L("cmd_theme_help", lang), app.action_change_theme)
    if screen.query("HelpPanel"):
        yield SystemCommand(L("cmd_keys", lang), L("cmd_keys_hide", lang), app.action_hide_help_panel)
    else:
        yield SystemCommand(L("cmd_keys", lang), L("cmd_keys_show", lang), app.action_show_help_panel)
    yield SystemCommand(L("cmd_screenshot", lang), L("cmd_screenshot_help", lang),
                        lambda: app.set_timer(0.1, app.deliver_screenshot))
    scope = getattr(screen, "SCOPE", None)
    seen: set[str] = set()
    for k in keymap.KEYS:
        if k.scope not in ("app", scope) or k.action in ("app.command_palette",) or k.key == "1-9":
            continue
        if k.action in seen:
            continue
        seen.add(k.action)
        action = k.action
        target = app if action.startswith("app.") else screen
        name = action[4:] if action.startswith("app.") else action
        yield SystemCommand(f"{k.label(lang)} ({keymap.human_key(k.shown_key)})", f"{L('action', lang)}: {k.label(lang)}",
                            lambda t=target, n=name: t.run_action(n))
