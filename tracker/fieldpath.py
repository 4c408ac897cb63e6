"""A field of a parsed plan file, found by its path, and its value as plain Python.

A conflict entry, a commit message's change and a replayed resolve all name a field by a dotted
path: `status`, `measures.2.status`, `indicators.完成率.actuals.2020-09` (lists of mappings are
walked by their key: measures by number, indicators by name, actuals by period, KEYED_LISTS).
This module finds such a field in a round-trip (ruamel) or plain (fast_load) tree, reads it
(`current_value`, `field_value`) and sets it (`_set`); `norm` makes any YAML value plain Python for
comparisons and conflict records, and `values_of` lists a recorded conflict entry's sides.

It sits below the merge (tracker.merge), the conflicts (tracker.conflicts), the per-field blame
(tracker.blame) and the sync, which all use it and re-export the names they always had; it
imports none of them.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .i18n import book, say
from .model import TrackerError
from .yamlio import text_scalar

book("fieldpath", {
    "not_found": ("文件中没有字段 {fieldpath!r}", "field {fieldpath!r} not found in the file"),
})


def _not_found(fieldpath: str) -> TrackerError:
    return TrackerError(say("fieldpath.not_found", "en", fieldpath=fieldpath), key="fieldpath.not_found", fieldpath=fieldpath)

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()

# lists merged item by item, keyed by one field of the item
KEYED_LISTS = {"measures": "number", "indicators": "name", "actuals": "period"}


# -- plain values -----------------------------------------------------------------------------
def norm(v: Any) -> Any:
    """A ruamel or PyYAML value as plain Python, for comparisons and conflict records."""
    if v is MISSING or v is None:
        return None
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): norm(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return str(v)


def _key_str(v: Any) -> str:
    return str(norm(v))


def _to_rt(value: Any) -> Any:
    """Plain data as ruamel nodes: conflict records read as block mappings."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _to_rt(v)
        return m
    if isinstance(value, list):
        return CommentedSeq(_to_rt(v) for v in value)
    if isinstance(value, str):
        return text_scalar(value)
    return value


def values_of(entry: dict) -> list[dict]:
    """Every side of a recorded conflict: ours, theirs and any more (three offices or more)."""
    out = []
    for side in ("ours", "theirs"):
        if isinstance(entry.get(side), dict):
            out.append(entry[side])
    out += [m for m in entry.get("more") or [] if isinstance(m, dict)]
    return out


def _entry(data, field: str) -> dict | None:
    """`field`'s recorded conflict entry in a parsed file, or None."""
    if not isinstance(data, dict):
        return None
    return next((e for e in data.get("conflicts") or [] if isinstance(e, dict) and str(e.get("field")) == field), None)


# -- navigation in a round-trip tree ----------------------------------------------------------
def _locate(tree: Any, fieldpath: str) -> tuple[Any, Any, str | None]:
    """(container, key-or-item, list key name) for a conflict's field path; dots in names allowed."""
    node, rest, parent_key = tree, fieldpath, None
    while True:
        if isinstance(node, dict):
            keys = sorted((str(k) for k in node), key=len, reverse=True)
            k = next((k for k in keys if rest == k or rest.startswith(k + ".")), None)
            if k is None:
                if "." not in rest:
                    return node, rest, None  # a key that does not exist (yet)
                raise _not_found(fieldpath)
            if rest == k:
                return node, k, None
            node, rest, parent_key = node[k], rest[len(k) + 1:], k
        elif isinstance(node, list) and parent_key in KEYED_LISTS:
            keyname = KEYED_LISTS[parent_key]
            items = sorted(((_key_str(it.get(keyname)), it) for it in node if isinstance(it, dict)),
                           key=lambda x: len(x[0]), reverse=True)
            hit = next(((ks, it) for ks, it in items if rest == ks or rest.startswith(ks + ".")), None)
            if hit is None:
                if "." not in rest:
                    return node, rest, keyname  # an item that does not exist any more
                raise _not_found(fieldpath)
            ks, it = hit
            if rest == ks:
                return node, it, keyname
            node, rest, parent_key = it, rest[len(ks) + 1:], None
        else:
            raise _not_found(fieldpath)


def current_value(tree: Any, fieldpath: str) -> Any:
    container, key, keyname = _locate(tree, fieldpath)
    if keyname is not None:
        return norm(key) if not isinstance(key, str) else None
    return norm(container.get(key)) if isinstance(container, dict) else None


def _field_value(tree: Any, field: str) -> Any:
    try:
        return current_value(tree, field)
    except Exception:  # noqa: BLE001 - a field the file no longer has
        return MISSING


def _set(tree: Any, fieldpath: str, value: Any) -> None:
    container, key, keyname = _locate(tree, fieldpath)
    if keyname is not None:  # a whole list item (deleted on one side)
        idx = next((i for i, it in enumerate(container) if it is key), None) if not isinstance(key, str) else None
        if value is None:
            if idx is not None:
                del container[idx]
        elif idx is not None:
            container[idx] = _to_rt(value)
        else:
            container.append(_to_rt(value))
        return
    if value is None:
        if key in container:
            del container[key]
        return
    old = container.get(key)
    if isinstance(old, date) and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, (dict, list)):
        value = _to_rt(value)
    elif isinstance(value, str):
        value = text_scalar(value)
    container[key] = value
