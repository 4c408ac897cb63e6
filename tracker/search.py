"""Search keys for the live filter: id, title, unit names, note text, and pinyin (full or initials).

A key is computed once per task (pypinyin is slow: ~0.1 ms a title), so that a keystroke is a
substring scan over prepared strings: `nyxdh` finds 农业现代化, `nongye` too.  No Textual here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from .model import Task


@lru_cache(maxsize=65536)
def pinyin_keys(text: str) -> tuple[str, str]:
    """('nongyexiandaihua', 'nyxdh') for '农业现代化'; non-Chinese text passes through lowercased."""
    if not text or text.isascii():
        low = text.lower()
        return low, ""
    from pypinyin import lazy_pinyin

    syl = [s.lower() for s in lazy_pinyin(text, errors="default") if s.strip()]
    full = "".join(syl)
    initials = "".join(s[0] for s in syl if s and s[0].isalnum())
    return full, initials


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(ch, errors="default")[0].lower() if ch.strip() else ""


def pinyin_keys_fast(text: str) -> tuple[str, str]:
    """Like pinyin_keys, character by character (50x faster, a heteronym takes its common reading)."""
    if not text or text.isascii():
        return text.lower(), ""
    syl = [_char_pinyin(ch) for ch in text]
    syl = [x for x in syl if x]
    return "".join(syl), "".join(x[0] for x in syl if x[0].isalnum())


def task_key(task: Task, *, with_pinyin: bool = True, fast: bool = False) -> str:
    parts = [task.id, str(task.number), task.title, task.category, *task.units, task.note]
    if with_pinyin:
        keys = pinyin_keys_fast if fast else pinyin_keys
        for text in (task.title, *task.units):
            full, initials = keys(text)
            parts += [full, initials]
    return "\x1f".join(parts).lower()


def normalize_query(query: str) -> list[str]:
    return [w for w in query.lower().split() if w]


class SearchIndex:
    """Keys per task id, in the plan's order; `match(query)` returns the ids whose key holds every word."""

    #: above this many tasks pinyin is read character by character (10,000 titles: 0.1 s, not 2 s)
    FAST_ABOVE = 2000

    def __init__(self, tasks: Iterable[Task], *, with_pinyin: bool = True):
        tasks = list(tasks)
        fast = len(tasks) > self.FAST_ABOVE
        self.keys: dict[str, str] = {t.id: task_key(t, with_pinyin=with_pinyin, fast=fast) for t in tasks}
        self.with_pinyin = with_pinyin
        self._last: tuple[list[str], list[str]] | None = None  # the last whole-plan match: (words, ids)

    def match(self, query: str, ids: Sequence[str] | None = None) -> list[str]:
        """The ids (in `ids`' order, else the plan's) whose key holds every word of `query`.

        Typing narrows: when every word of the previous whole-plan query is inside a word of this
        one (`nyx` -> `nyxd`), only the previous hits can match, so only they are scanned - a
        keystroke at 10,000 tasks scans the whole plan once, then the few that still match."""
        words = normalize_query(query)
        pool: Iterable[str] = self.keys if ids is None else ids
        last = self._last
        if ids is None and last is not None and all(any(o in w for w in words) for o in last[0]):
            pool = last[1]
        keys = self.keys
        if not words:
            out = list(pool)
        elif len(words) == 1:
            w = words[0]
            out = [i for i in pool if w in keys.get(i, "")]
        else:
            out = [i for i in pool if all(w in keys.get(i, "") for w in words)]
        if ids is None:
            self._last = (words, out)
        return out

    def matches(self, task_id: str, query: str) -> bool:
        key = self.keys.get(task_id, "")
        return all(w in key for w in normalize_query(query))


def text_matches(query: str, *texts: str) -> bool:
    """For small lists (units, palette): every word in one of the texts or their pinyin."""
    words = normalize_query(query)
    if not words:
        return True
    hay = "\x1f".join(t.lower() + "\x1f" + "\x1f".join(pinyin_keys(t)) for t in texts)
    return all(w in hay for w in words)
