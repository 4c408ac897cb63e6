"""The PyYAML loader tracker reads with: CSafeLoader with YAML 1.2 booleans and a faster resolver.

It lives in its own module so that both yamlio (the readers) and yamlsimple (tracker's own subset
parser, which types plain scalars with this loader's resolvers) import it without importing each
other.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastLoader(_Base):  # type: ignore[misc, valid-type]
    """CSafeLoader with YAML 1.2 booleans (yes/no/on/off stay strings, as ruamel reads them)."""


FastLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in _Base.yaml_implicit_resolvers.items()
}
FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _timestamp(loader: "FastLoader", node: Any) -> Any:
    """A date the calendar lacks (2020-02-30) is a marked error pointing at the value, not a crash."""
    try:
        return _Base.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a date ({exc})",
                                                node.start_mark) from None


FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _flatten_mapping(self, node: Any) -> None:
    """PyYAML keeps the last of two equal keys and drops the first without a word; a task file
    with `note:` twice would lose a hand-written value silently.  An error at the second key
    instead (ruamel, which saves the files, refuses them too): the file is reported, not half read.
    Checked here, once a node and before PyYAML's flattening writes merged keys (`<<: *base`) into
    it, which a key of its own may override (that is no duplicate)."""
    checked = self.__dict__.setdefault("_keys_checked", set())
    if id(node) not in checked:
        checked.add(id(node))
        seen: set = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node)
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f'found duplicate key "{key}"',
                        key_node.start_mark)
                seen.add(key)
            except TypeError:  # an unhashable key: the base constructor says so
                break
    _base_flatten(self, node)


_base_flatten = FastLoader.flatten_mapping
FastLoader.flatten_mapping = _flatten_mapping


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# first characters for which some implicit resolver (int, float, date, null, bool, merge...) exists
_FIRST = frozenset(k for k in FastLoader.yaml_implicit_resolvers if k is not None)
_WILD = None in FastLoader.yaml_implicit_resolvers
_base_resolve = FastLoader.resolve


def _resolve(self, kind, value, implicit):
    """PyYAML's resolver, answering the common cases without its Python loops: a plain scalar
    whose first character starts no implicit type is text; mappings and sequences are plain."""
    if kind is yaml.ScalarNode:
        if implicit[0] and value and value[0] not in _FIRST and not _WILD and not self.yaml_path_resolvers:
            return _STR
    elif not self.yaml_path_resolvers:
        if kind is yaml.MappingNode:
            return _MAP
        if kind is yaml.SequenceNode:
            return _SEQ
    return _base_resolve(self, kind, value, implicit)


FastLoader.resolve = _resolve
