"""A save that rewrites only the lines of the fields it changes, without a round-trip parse.

ruamel's round trip (load, edit, dump) is what keeps hand edits and comments intact, but it costs
5-15 ms a file, which is most of what a save adds to `git commit` itself.  The fields a save sets
are scalars (status, progress, due, note, problems, next_steps, a measure's status), so when the
file is in tracker's own subset of YAML (tracker/yamlsimple.py) their lines can be found and
replaced directly, everything else staying byte for byte.  The result is then parsed again and
must equal the old document with exactly those changes applied; if not, or whenever anything is
unusual (a key that is missing, a value written in a style this module does not write, a measure
that is not there), `edit()` answers None and the caller does the ruamel round trip instead.
Values are written the way `yamlio.text_scalar` asks ruamel to write them.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from .yamlio import _RISKY, _plain_reads_as_text
from .yamlsimple import FALLBACK, _Fallback, _scalar, parse, split_comment

_INDICATOR_START = tuple("-?:,[]{}#&*!|>'\"%@`")


def same(a: Any, b: Any) -> bool:
    """Equal with equal types all the way down (1, 1.0 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def _text_style(value: str) -> str | None:
    """The style `yamlio.text_scalar` fixes for this text, or None for a plain str (ruamel then keeps
    the style the old value had)."""
    if _RISKY.search(value):
        return "double"
    if "\n" in value:
        lines = value.split("\n")
        if value.endswith("\n") or value.startswith((" ", "\n")) or any(ln != ln.rstrip(" ") for ln in lines):
            return "double"
        return "literal"
    if not _plain_reads_as_text(value):
        return "single"
    return None


_RUAMEL_RESOLVER: Any = None


def _plain_is_text_in_yaml12(value: str) -> bool:
    """Would ruamel (YAML 1.2) read this plain scalar as text?  It quotes `1e3`, `0o17` and the
    like, which YAML 1.1 (PyYAML) reads as text: a line edit must quote exactly as it does."""
    global _RUAMEL_RESOLVER
    if value[0] not in "0123456789+-.~<=nNtTfFyYoO":
        return True  # no YAML 1.2 type starts with anything else
    if _RUAMEL_RESOLVER is None:
        from ruamel.yaml.resolver import VersionedResolver

        _RUAMEL_RESOLVER = VersionedResolver()
    from ruamel.yaml.nodes import ScalarNode

    return _RUAMEL_RESOLVER.resolve(ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def _old_style(rest: str) -> str:
    return {"'": "single", '"': "double", "|": "literal"}.get(rest[:1], "plain")


def render(value: Any, indent: int, old: str, text: bool) -> list[str] | None:
    """The value as ruamel's round trip writes it after `key: ` (first line), plus its block lines;
    None: leave it to ruamel.  `old` is the style of the value it replaces; `text` says the value
    went through `text_scalar` (status words do not)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, date):
        return [value.isoformat()]
    if not isinstance(value, str):
        return None
    style = (_text_style(value) if text else ("double" if _RISKY.search(value) or "\n" in value else None)) or old
    if style == "double" or (style == "literal" and not value):
        return None  # escapes, or an empty block: ruamel writes those
    if style == "literal":
        pad = " " * (indent + 2)
        return ["|-"] + [pad + ln if ln else "" for ln in value.split("\n")]
    if style == "plain" and value and value == value.strip(" ") and not value.startswith(_INDICATOR_START) \
            and _plain_reads_as_text(value) and _plain_is_text_in_yaml12(value):
        try:
            if _scalar(value) == value:
                return [value]
        except _Fallback:
            pass
    return ["'" + value.replace("'", "''") + "'"]


def _comment(line: str, col: int, key: str) -> str | None:
    """The trailing comment of a one-line `key: value` at column `col` ("" for none); None if unsure."""
    rest = line[col + len(key) + 1:].lstrip(" ")
    if not rest or rest.startswith("#"):
        return None  # a value below the key, or a block: not a one-line scalar
    try:
        return split_comment(rest)[1]
    except _Fallback:
        return None


def _extent(lines: list[str], i: int, ind: int) -> int:
    """The index after the value that starts on line i (a key at indent `ind`): one line, or a
    literal block's body (its trailing blank lines stay outside).  Deeper lines after a one-line
    value are comments (the subset parser refuses anything else there): they stay."""
    end = i + 1
    if not lines[i].rstrip(" ").endswith(("|-", "|")):  # the subset parser allows "|" only as a block header
        return end
    j = i + 1
    while j < len(lines):
        raw = lines[j]
        stripped = raw.lstrip(" ")
        if stripped and len(raw) - len(stripped) <= ind:
            break
        j += 1
        if stripped:
            end = j
    return end


def _top_line(lines: list[str], key: str) -> int | None:
    head = key + ":"
    hits = [i for i, ln in enumerate(lines) if ln.startswith(head) and ln[len(head):len(head) + 1] in ("", " ")]
    return hits[0] if len(hits) == 1 else None


def _measure_status_line(lines: list[str], number: int) -> tuple[int, int] | None:
    """(line index, key column) of measure `number`'s `status:` line."""
    start = _top_line(lines, "measures")
    if start is None:
        return None
    stop = next((j for j in range(start + 1, len(lines)) if lines[j] and lines[j][0] not in " -#"), len(lines))
    items: list[tuple[int, int]] = []  # (line, key column)
    item_ind = None
    for j in range(start + 1, stop):
        raw = lines[j]
        stripped = raw.lstrip(" ")
        ind = len(raw) - len(stripped)
        if stripped.startswith("- ") and (item_ind is None or ind == item_ind):
            item_ind = ind
            body = stripped[1:].lstrip(" ")
            items.append((j, len(raw) - len(body)))
    for n, (j, col) in enumerate(items):
        end = items[n + 1][0] if n + 1 < len(items) else stop
        number_ok = False
        status_at = None
        for k in range(j, end):
            if k != j and (len(lines[k]) - len(lines[k].lstrip(" ")) != col):
                continue
            text = lines[k][col:]
            if re.fullmatch(r"number: *" + str(number), text.rstrip(" ")):
                number_ok = True
            if text.startswith("status:"):
                status_at = k if status_at is None else -1
        if number_ok:
            return (status_at, col) if status_at not in (None, -1) else None
    return None


def edit(text: str, changes: dict[str, Any]) -> str | None:
    """`text` with validated `changes` ({'status': 'done', 'measures.2.status': 'done', 'note': ...})
    applied line by line; None when only the round trip may do it."""
    doc = parse(text)
    if doc is FALLBACK or not isinstance(doc, dict):
        return None
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    for key, value in changes.items():
        if key.startswith("measures."):
            _, num, fld = key.split(".")
            measures = doc.get("measures")
            if fld != "status" or not isinstance(measures, list):
                return None
            hit = [m for m in measures if isinstance(m, dict) and m.get("number") == int(num)]
            if len(hit) != 1 or "status" not in hit[0]:
                return None
            if same(hit[0]["status"], value):
                continue
            where = _measure_status_line(lines, int(num))
            if where is None:
                return None
            i, col = where
            out = render(value, col, _old_style(lines[i][col + len("status:"):].lstrip(" ")), False)
            if out is None or len(out) != 1:
                return None
            note = _comment(lines[i], col, "status")
            if note is None:
                return None
            edits.append((i, _extent(lines, i, col), [lines[i][:col] + "status: " + out[0] + note]))
        else:
            if key not in doc:
                return None
            if same(doc[key], value):
                continue
            i = _top_line(lines, key)
            if i is None:
                return None
            out = render(value, 0, _old_style(lines[i][len(key) + 1:].lstrip(" ")), key != "status")
            if out is None:
                return None
            note = _comment(lines[i], 0, key) if lines[i].rstrip(" ") not in (f"{key}: |-", f"{key}: |") else ""
            if note is None or (note and len(out) > 1):
                return None  # a comment on a value that becomes a block: the round trip places it
            end = _extent(lines, i, 0)
            edits.append((i, end, [f"{key}: {out[0]}{note}", *out[1:]]))
            if len(out) > 1:  # comment lines indented below the old value would join the new block:
                j = end       # they move to the key's column, staying comments
                while j < len(lines) and (not lines[j].strip(" ") or lines[j].lstrip(" ").startswith("#")) \
                        and (not lines[j].strip(" ") or lines[j][0] == " "):
                    if lines[j].strip(" "):
                        edits.append((j, j + 1, [lines[j].lstrip(" ")]))
                    j += 1
    if not edits:
        return text
    edits.sort()
    for (a, b, _), (c, _, _) in zip(edits, edits[1:]):
        if c < b:
            return None  # overlapping: not a shape this module knows
    for a, b, new in reversed(edits):
        lines[a:b] = new
    new_text = "\n".join(lines)
    got = parse(new_text)
    if got is FALLBACK or not same(got, expected(doc, changes)):
        return None
    return new_text


def expected(before: Any, changes: dict[str, Any]) -> Any:
    """The document a save of `changes` must produce from `before` (what either writer must write)."""
    if not isinstance(before, dict):
        return None
    out = dict(before)
    for key, value in changes.items():
        if key.startswith("measures."):
            _, num, fld = key.split(".")
            out["measures"] = [dict(m, **{fld: value}) if isinstance(m, dict) and m.get("number") == int(num) else m
                               for m in out.get("measures") or []]
        else:
            out[key] = value
    return out
