"""A parser for the plain block YAML that tracker itself writes, about 3x faster than PyYAML's C loader.

A cold load of 10,000 task files spends most of its time in PyYAML (0.15-0.25 ms a file here).
Tracker writes a small subset of YAML: block mappings and sequences, one-line plain or quoted
scalars, `[]`/`{}`, and `key: |-` / `key: |` literal blocks for notes of several lines; people
editing by hand add comments.  `parse()` reads exactly that and answers `FALLBACK` for anything
else (folded or indicated block scalars, flow collections, anchors, tags, multi-line or escaped
scalars, tabs, duplicate keys, odd indents, any number or date it would have to guess at), so the
caller hands those files to PyYAML unchanged: same values, same errors, same line numbers.

Plain scalars are typed with FastLoader's own implicit resolvers (YAML 1.2 booleans, PyYAML's
int/float/null/date patterns); only values whose construction is unambiguous are built here
(decimal ints, plain decimals, ISO dates that exist, null, true/false).  A differential test
(tests/test_yamlsimple.py) checks `parse(text) in (FALLBACK, PyYAML's answer)`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from .yamlloader import FastLoader

FALLBACK: Any = object()

# characters PyYAML's reader rejects or treats as line breaks (NEL, LS, PS), tabs, CR and a BOM
_BAD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_RESOLVERS = FastLoader.yaml_implicit_resolvers
_WILD = None in _RESOLVERS
_INDICATORS = frozenset("[]{}#&*!|>%@`,?:'\"")
_STR_TAG = "tag:yaml.org,2002:str"


class _Fallback(Exception):
    pass


def _plain(s: str) -> Any:
    """A one-line plain scalar, typed as FastLoader would type it, or _Fallback."""
    if ": " in s or s[-1] == ":" or " #" in s:
        raise _Fallback
    first = s[0]
    if _WILD:
        raise _Fallback
    rules = _RESOLVERS.get(first)
    if not rules:
        return s
    for tag, rx in rules:
        if rx.match(s):
            break
    else:
        return s
    kind = tag.rsplit(":", 1)[-1]
    if kind == "int" and _INT.fullmatch(s):
        return int(s)
    if kind == "float" and _FLOAT.fullmatch(s):
        return float(s)
    if kind == "null":
        return None
    if kind == "bool":
        return s.lower() == "true"
    if kind == "timestamp":
        m = _DATE.fullmatch(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:  # 2020-02-30: PyYAML words the error
                raise _Fallback from None
    if tag == _STR_TAG:
        return s
    raise _Fallback


_COMMENT = re.compile(r" +#")


def split_comment(s: str) -> tuple[str, str]:
    """(the scalar's own text, its trailing comment with the spaces before it, or "")."""
    first = s[0]
    if first in "'\"":
        j = 1
        while True:
            j = s.find(first, j)
            if j < 0:
                raise _Fallback  # unclosed (or spread over lines)
            if first == "'" and s[j + 1:j + 2] == "'":
                j += 2
                continue
            break
        rest = s[j + 1:]
        if rest and not _COMMENT.match(rest):
            raise _Fallback
        return s[:j + 1], rest
    cut = s.find(" #")
    if cut < 0:
        return s, ""
    value = s[:cut].rstrip(" ")
    if not value:
        raise _Fallback
    return value, s[len(value):]


def _scalar(s: str) -> Any:
    if " #" in s:
        s = split_comment(s)[0]
    first = s[0]
    if first == "'":
        inner = s[1:-1]
        if len(s) < 2 or s[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Fallback
        return inner.replace("''", "'")
    if first == '"':
        inner = s[1:-1]
        if len(s) < 2 or s[-1] != '"' or '"' in inner or "\\" in inner:
            raise _Fallback
        return inner
    if s == "[]":
        return []
    if s == "{}":
        return {}
    if first in _INDICATORS or (first == "-" and (len(s) == 1 or s[1] == " ")):
        raise _Fallback
    return _plain(s)


_SEEN: dict[str, Any] = {}  # one-line scalar -> value (immutable values only); bounded
_KEYS_OK: set[str] = set()


def scalar(s: str) -> Any:
    hit = _SEEN.get(s, _SEEN)
    if hit is not _SEEN:
        return hit
    value = _scalar(s)
    if value.__class__ not in (list, dict):
        if len(_SEEN) > 20000:
            _SEEN.clear()
        _SEEN[s] = value
    return value


def _is_item(c: str) -> bool:
    return c[0] == "-" and (len(c) == 1 or c[1] == " ")


class _Parser:
    def __init__(self, lines: list[tuple[int, str, Any]]):
        self.lines = lines
        self.n = len(lines)
        self.depth = 0

    def block(self, i: int, ind: int) -> tuple[Any, int]:
        self.depth += 1
        if self.depth > 60:  # deeper than any plan file: PyYAML's (recursion-free) reader decides
            raise _Fallback
        try:
            if _is_item(self.lines[i][1]):
                return self.seq(i, ind)
            return self.mapping(i, ind)
        finally:
            self.depth -= 1

    def nested(self, i: int, ind: int, key_line: bool) -> tuple[Any, int]:
        """The value below `key:` or `-` at indent `ind`, starting at line i (null if there is none)."""
        if i < self.n:
            sub, c, _ = self.lines[i]
            if sub > ind:
                return self.block(i, sub)
            if key_line and sub == ind and _is_item(c):  # an indentless sequence under a key
                return self.seq(i, ind)
        return None, i

    def mapping(self, i: int, ind: int) -> tuple[dict, int]:
        lines, n, d = self.lines, self.n, {}
        keys_ok, match, seen, miss = _KEYS_OK, _KEY.match, _SEEN.get, _SEEN
        while i < n:
            here, c, block = lines[i]
            if here != ind:
                break
            key, colon, rest = c.partition(":")
            if colon and key in keys_ok and (not rest or rest[0] == " "):  # a key seen before: no regex
                if rest:
                    rest = rest.lstrip(" ")
            else:
                m = match(c)
                if m is None:
                    raise _Fallback
                key = m[1]
                if len(key) > 1000:
                    raise _Fallback  # libyaml allows simple keys of at most 1024 characters
                if _RESOLVERS.get(key[0]) and _plain(key) is not key:  # null, true, false...
                    raise _Fallback
                keys_ok.add(key)
                rest = c[m.end():]
            if key in d:
                raise _Fallback
            if block is not _NO_BLOCK:
                d[key] = block
            elif rest and rest[0] != "#":
                v = seen(rest, miss)  # scalar(), its cache looked up here (one call less a line)
                d[key] = scalar(rest) if v is miss else v
            else:  # "key:" or "key: # a comment": the value is below, or null
                d[key], i = self.nested(i + 1, ind, True)
                continue
            i += 1  # the next line may not be indented deeper (a continuation line)
            if i < n and lines[i][0] > ind:
                raise _Fallback
        return d, i

    def seq(self, i: int, ind: int) -> tuple[list, int]:
        lines, n, out = self.lines, self.n, []
        seen, miss = _SEEN.get, _SEEN
        while i < n:
            here, c, block = lines[i]
            if here != ind or c[0] != "-" or len(c) > 1 and c[1] != " ":  # not an item (_is_item)
                break
            body = c[1:].lstrip(" ")
            if not body:
                val, i = self.nested(i + 1, ind, False)
            elif body[0] == "-" and (len(body) == 1 or body[1] == " "):
                raise _Fallback  # "- - x"
            elif _KEY.match(body):
                col = ind + len(c) - len(body)
                if block is not _NO_BLOCK:
                    raise _Fallback  # "- key: |-"
                lines[i] = (col, body, _NO_BLOCK)  # the item's first line starts a mapping at that column
                val, i = self.mapping(i, col)
            else:
                val = seen(body, miss)
                if val is miss:
                    val = scalar(body)
                i += 1  # the line after a one-line scalar may not be indented deeper (a continuation line)
                if i < n and lines[i][0] > ind:
                    raise _Fallback
            out.append(val)
        return out, i


_NO_BLOCK: Any = object()


def _literal(raws: list[str], j: int, ind: int, keep_newline: bool) -> tuple[str, int]:
    """The body of a literal block scalar starting at raw line j, below a key line at indent `ind`:
    (text, index of the first raw line after it)."""
    body: list[str] = []
    bind = None
    n = len(raws)
    last = j
    while j < n:
        raw = raws[j]
        stripped = raw.lstrip(" ")
        if not stripped:  # an empty line inside or after the block
            if bind is not None and len(raw) > bind or bind is None and raw:
                raise _Fallback  # spaces that might be content
            body.append("")
            j += 1
            continue
        here = len(raw) - len(stripped)
        if here <= ind:
            break
        if bind is None:
            bind = here
        elif here < bind:
            raise _Fallback  # less indented than the block: an error PyYAML words
        body.append(raw[bind:])
        last = j
        j += 1
    while body and body[-1] == "":
        body.pop()
    if bind is None:
        return "", j
    text = "\n".join(body)
    # clip keeps the last line's break, if it has one (the file may end without it)
    return (text + "\n") if keep_newline and last < n - 1 else text, j


def parse(text: str) -> Any:
    """The document's value, or FALLBACK when it is not (certainly) in tracker's subset."""
    if _BAD.search(text):
        return FALLBACK
    raws = text.split("\n")
    lines: list[tuple[int, str, Any]] = []
    add = lines.append
    j, n = 0, len(raws)
    try:
        while j < n:
            raw = raws[j]
            j += 1
            c = raw.lstrip(" ")
            if not c or c[0] == "#":  # a blank line or a comment
                continue
            ind = len(raw) - len(c)
            if c[-1] == " ":
                c = c.rstrip(" ")
            if not ind and c[0] in "-.%" and c.startswith(("---", "...", "%")):
                return FALLBACK
            last = c[-1]
            if last == "|" or last == "-" and c.endswith(" |-"):
                m = _KEY.match(c)
                if m is None or c[m.end():] not in ("|", "|-"):
                    return FALLBACK
                value, j = _literal(raws, j, ind, last == "|")
                add((ind, m[1] + ":", value))
                continue
            add((ind, c, _NO_BLOCK))
    except _Fallback:
        return FALLBACK
    if not lines or lines[0][0] != 0:
        return FALLBACK
    p = _Parser(lines)
    try:
        value, i = p.block(0, 0)
    except (_Fallback, IndexError, ValueError, OverflowError, RecursionError):
        return FALLBACK  # ValueError: an int of more digits than Python converts; deep nesting: PyYAML's

    return value if i == p.n else FALLBACK
