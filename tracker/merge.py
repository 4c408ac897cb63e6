"""Semantic three-way merge of plan files, and the git merge driver that runs it.

Git merges text line by line; two offices that change a task's status and its note in
neighbouring lines get conflict markers.  This module merges the *parsed* files instead:
scalars field by field, measures by number, indicators by name, actuals by period.  A change made
on one side only is taken; the same field changed to different values on both sides is a
conflict, and a conflict is never a marker in the file: the field keeps the value of the first
side (git's "ours", %A, which during a rebase is what the shared remote already has) and the file
gets a `conflicts:` entry holding both values with who and when.  The task stays valid and
usable; `tracker conflicts` lists it and `tracker resolve` (or the TUI's picker) settles it with
a normal commit.

Comments and layout: the result is the ours file's round-trip tree, changed only where the
other side changed something, so hand-written comments and quoting survive.  When git's own line
merge succeeds and means exactly the same data, its text is used instead (it keeps the comments
of both sides).

    python -m tracker.merge %O %A %B %P      the driver (registered by tracker.sync_setup)

The driver writes the result to %A and exits 0 whenever the result is a valid file, including
when conflicts were recorded, so git never writes markers and a rebase never stops on a task.
It exits 1 only when it cannot understand a side (not YAML) or a conflict lands in a file that
cannot record one (plan.yaml): the sync then aborts cleanly and says which file.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .blame import Blamer, Side
from .fieldpath import (KEYED_LISTS, MISSING, _field_value, _key_str, _set, _to_rt,  # noqa: F401 - importers use merge's names
                        norm, values_of)

#: lists of records that only grow (the cycle's 退回 and 延期 entries): two offices each appending
#: one keep both, as a union in order; an entry is identified by all its values (date, by, reason ...)
RECORD_LISTS = ("returns", "extensions")


@dataclass
class MergeResult:
    text: str
    conflicts: list[dict]  # the entries recorded by this merge (also written into the file)
    clean: bool  # no conflict recorded by this merge
    stale: list[dict] = dataclasses.field(default_factory=list)  # resolves that did not take (entry gained a side)

    @property
    def fields(self) -> list[str]:
        return [c["field"] for c in self.conflicts]


class MergeError(Exception):
    """A side could not be merged (not YAML, not a mapping, or a conflict with nowhere to go)."""


# -- plain values -----------------------------------------------------------------------------
def _eq(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return norm(a) == norm(b)


def _index(items: Any, key: str) -> dict[str, Any] | None:
    """A keyed list as {key: item}; None when it is not a list of mappings with unique keys."""
    if not isinstance(items, list):
        return None
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or key not in item:
            return None
        k = _key_str(item[key])
        if k in out:
            return None
        out[k] = item
    return out


# -- the merge --------------------------------------------------------------------------------
SideOf = Callable[[str, Any], Side]  # (field, value) -> who set that value


def _side(side: "Side | SideOf", field: str, value: Any) -> Side:
    return side(field, value) if callable(side) else side


class _Merger:
    def __init__(self, ours_side: "Side | SideOf", theirs_side: "Side | SideOf"):
        self.ours_side, self.theirs_side = ours_side, theirs_side
        self.conflicts: list[dict] = []
        self.stale: list[dict] = []  # an entry resolved on one side while the other side gave it a new value

    def conflict(self, path: list[str], b: Any, o: Any, t: Any) -> None:
        f = ".".join(path)
        ours, theirs = _side(self.ours_side, f, norm(o)), _side(self.theirs_side, f, norm(t))
        self.conflicts.append({
            "field": f,
            "base": norm(b),
            "ours": {"value": norm(o), "author": ours.author, "date": ours.date},
            "theirs": {"value": norm(t), "author": theirs.author, "date": theirs.date},
        })

    def merge_map(self, b: Any, o: Any, t: Any, path: list[str]) -> None:
        """Merge the changes base→theirs into the mapping `o` (mutated in place)."""
        b = b if isinstance(b, dict) else {}
        keys = list(dict.fromkeys([*o.keys(), *t.keys(), *b.keys()]))
        for k in keys:
            if not path and k == "conflicts":
                continue
            self.merge_value(o, k, b.get(k, MISSING), o.get(k, MISSING), t.get(k, MISSING), [*path, str(k)], t)

    def merge_value(self, container: Any, key: Any, b: Any, o: Any, t: Any, path: list[str], t_container: Any) -> None:
        if _eq(o, t) or _eq(t, b):
            return
        if _eq(o, b):  # only theirs changed: take it
            _put(container, key, t, t_container)
            return
        if isinstance(o, dict) and isinstance(t, dict) and (b is MISSING or isinstance(b, dict)):
            self.merge_map(b, o, t, path)
            return
        name = str(key)
        if name in RECORD_LISTS and len(path) == 1 and isinstance(o, list) and isinstance(t, list) \
                and (b is MISSING or b is None or isinstance(b, list)):
            merge_records(b if isinstance(b, list) else [], o, t)
            return
        if name in KEYED_LISTS and isinstance(o, list) and isinstance(t, list):
            kb = _index(b if b is not MISSING else [], KEYED_LISTS[name])
            ko, kt = _index(o, KEYED_LISTS[name]), _index(t, KEYED_LISTS[name])
            if kb is not None and ko is not None and kt is not None:
                self.merge_list(kb, o, ko, t, kt, KEYED_LISTS[name], path)
                return
        self.conflict(path, b, o, t)  # the field keeps ours

    def merge_list(self, kb: dict, o: list, ko: dict, t: list, kt: dict, keyname: str, path: list[str]) -> None:
        for k in list(dict.fromkeys([*ko, *kt, *kb])):
            bi, oi, ti = kb.get(k, MISSING), ko.get(k, MISSING), kt.get(k, MISSING)
            if _eq(oi, ti) or _eq(ti, bi):
                continue
            if _eq(oi, bi):
                if ti is MISSING:  # theirs deleted an item ours left alone
                    del o[next(i for i, x in enumerate(o) if x is oi)]
                else:  # theirs added or changed it
                    new = copy.deepcopy(ti)
                    if oi is MISSING:
                        o.insert(_list_pos(o, t, ti, keyname), new)
                    else:
                        o[next(i for i, x in enumerate(o) if x is oi)] = new
                continue
            if oi is not MISSING and ti is not MISSING:  # both changed (or both added) the item
                self.merge_map(bi, oi, ti, [*path, k])
                continue
            # deleted on one side, changed on the other: keep the item, record the dispute
            if oi is MISSING:
                o.insert(_list_pos(o, t, ti, keyname), copy.deepcopy(ti))
            self.conflict([*path, k], bi, oi, ti)

    def merge_conflict_lists(self, b: Any, o: Any, t: Any) -> list[dict]:
        """Recorded conflicts: an entry resolved (removed) on either side stays resolved."""
        kb = _index(norm(b) or [], "field") or {}
        ko = _index(norm(o) or [], "field") or {}
        kt = _index(norm(t) or [], "field") or {}
        out: dict[str, dict] = {}
        for f in dict.fromkeys([*ko, *kt]):
            if f in kb and (f not in ko or f not in kt):
                held = ko.get(f) or kt.get(f)
                seen = [v.get("value") for v in values_of(kb[f])]
                gained = [v for v in values_of(held) if v.get("value") not in seen]
                if not gained:
                    continue  # resolved on one side, on a view that had every side
                # resolved on a view that lacked a side the other office has since added: stays open
                self.stale.append({"field": f, "entry": held, "gained": gained,
                                   "resolved_by": "theirs" if f in ko else "ours"})
                out[f] = held
                continue
            entry = ko.get(f) or kt.get(f)
            if f in ko and f in kt and ko[f] != kt[f]:
                entry = combine(ko[f], kt[f])
            out[f] = entry
        for new in self.conflicts:
            f = new["field"]
            out[f] = combine(out[f], new) if f in out else new
        return list(out.values())


def merge_records(b: list, o: list, t: list) -> None:
    """Merge base→theirs into the record list `o` (mutated in place): a union of the records
    (a record is identified by all its values), in order.  A record both sides added is kept once;
    a record one side removed (an undo) goes; theirs' new records follow the records ours has
    that precede them in theirs and ours' own new records (the shared history's come first)."""
    kb, kt = [_key_str(x) for x in b], [_key_str(x) for x in t]
    for i in reversed(range(len(o))):  # removed by theirs (as often as theirs removed it)
        k = _key_str(o[i])
        if kb.count(k) > kt.count(k) and [_key_str(x) for x in o].count(k) > kt.count(k):
            del o[i]
    ko = [_key_str(x) for x in o]
    new_o = {k for k in ko if k not in kb}  # ours' own additions
    for j, item in enumerate(t):
        k = kt[j]
        if ko.count(k) >= kt[:j + 1].count(k) or kb.count(k) >= kt[:j + 1].count(k):
            continue  # ours has it already, or it is a base record ours removed
        pos = 0
        for prev in reversed(kt[:j]):
            if prev in ko:
                pos = len(ko) - ko[::-1].index(prev)
                break
        while pos < len(ko) and ko[pos] in new_o:
            pos += 1
        o.insert(pos, copy.deepcopy(item))
        ko.insert(pos, k)


def _list_pos(o: list, t: list, item: Any, keyname: str) -> int:
    """Where an item from theirs goes in ours: after the item that precedes it in theirs."""
    idx = next(i for i, x in enumerate(t) if x is item)
    keys = [_key_str(x.get(keyname)) for x in o]
    for prev in reversed(t[:idx]):
        pk = _key_str(prev.get(keyname))
        if pk in keys:
            return keys.index(pk) + 1
    return 0


def _put(container: Any, key: Any, value: Any, t_container: Any) -> None:
    if value is MISSING:
        if key in container:
            del container[key]
        return
    value = copy.deepcopy(value)
    if key in container:
        container[key] = value
        _copy_comment(container, key, t_container)
        return
    # a new key: place it after the key that precedes it on theirs' side
    tkeys = list(t_container.keys())
    pos = len(container)
    okeys = list(container.keys())
    for prev in reversed(tkeys[:tkeys.index(key)]):
        if prev in okeys:
            pos = okeys.index(prev) + 1
            break
    else:
        pos = 0 if tkeys.index(key) == 0 else len(container)
    if hasattr(container, "insert"):
        container.insert(pos, key, value)
    else:
        container[key] = value
    _copy_comment(container, key, t_container)


def _copy_comment(container: Any, key: Any, source: Any) -> None:
    """The end-of-line comment theirs wrote beside a value comes with the value."""
    src = getattr(source, "ca", None)
    dst = getattr(container, "ca", None)
    if src is None or dst is None:
        return
    if key in src.items:
        dst.items[key] = copy.deepcopy(src.items[key])


def combine(a: dict, b: dict) -> dict:
    """One entry for one field from two: every distinct value kept, with its author."""
    vals: list[dict] = []
    for v in values_of(a) + values_of(b):
        if not any(v.get("value") == w.get("value") for w in vals):
            vals.append(v)
    out = {"field": a["field"], "base": a.get("base"), "ours": vals[0], "theirs": vals[1] if len(vals) > 1 else vals[0]}
    if len(vals) > 2:
        out["more"] = vals[2:]
    return out


def merge_trees(base: Any, ours: Any, theirs: Any, ours_side: "Side | SideOf", theirs_side: "Side | SideOf",
                *, record: bool = True, stale_out: list | None = None) -> tuple[Any, list[dict]]:
    """Merge base→theirs into a deep copy of `ours` (a round-trip tree).  Returns (tree, new conflicts).

    With `record`, the conflicts are also written into the tree's top-level `conflicts:` list."""
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        raise MergeError("a side is not a mapping of fields")
    result = copy.deepcopy(ours)
    m = _Merger(ours_side, theirs_side)
    m.merge_map(base if isinstance(base, dict) else {}, result, theirs, [])
    if record:
        b = base.get("conflicts") if isinstance(base, dict) else None
        for f in _resolved_twice(m, b, ours, theirs):
            _restore(result, ours, f)  # the field holds the first side's value, as for any conflict
        entries = m.merge_conflict_lists(b, ours.get("conflicts"), theirs.get("conflicts"))
        for st in m.stale:  # the resolve did not take: the field keeps the value the open entry describes
            _restore(result, ours if st["resolved_by"] == "theirs" else theirs, st["field"])
        if entries:
            result["conflicts"] = _to_rt(entries)
        elif "conflicts" in result:
            del result["conflicts"]
    if stale_out is not None:
        stale_out.extend(m.stale)
    return result, m.conflicts


def _resolved_twice(m: _Merger, base_conflicts: Any, ours: Any, theirs: Any) -> list[str]:
    """An entry both sides resolved, to different values: a new disagreement, recorded."""
    fields = []
    kb = _index(norm(base_conflicts) or [], "field") or {}
    ko = _index(norm(ours.get("conflicts")) or [], "field") or {}
    kt = _index(norm(theirs.get("conflicts")) or [], "field") or {}
    for f, entry in kb.items():
        if f in ko or f in kt:
            continue
        ov, tv = _field_value(ours, f), _field_value(theirs, f)
        if ov is MISSING or tv is MISSING or _eq(ov, tv):
            continue
        if any(c["field"] == f for c in m.conflicts):
            continue
        m.conflict([f], entry.get("base"), ov, tv)
        fields.append(f)
    return fields


def _restore(result: Any, source: Any, field: str) -> None:
    value = _field_value(source, field)
    try:
        _set(result, field, None if value is MISSING else copy.deepcopy(value))
    except Exception:  # noqa: BLE001 - keep what the merge produced rather than fail the sync
        pass


def _sig(entry: Any) -> str:
    """A comment attachment as comparable text."""
    if entry is None:
        return ""
    if isinstance(entry, list):
        return "\x00".join(_sig(x) for x in entry)
    return str(getattr(entry, "value", entry))


def merge_comments(b: Any, o: Any, t: Any) -> None:
    """Comments theirs added or changed (and ours did not) move into the result `o`, recursively."""
    if isinstance(o, dict) and isinstance(t, dict):
        oc, tc = getattr(o, "ca", None), getattr(t, "ca", None)
        if oc is None or tc is None:
            return
        bc = getattr(b, "ca", None) if isinstance(b, dict) else None
        b_top = _sig(bc.comment) if bc is not None else ""
        if _sig(tc.comment) != b_top and _sig(oc.comment) == b_top:
            oc.comment = copy.deepcopy(tc.comment)
        for k in list(o.keys()):
            if k not in t:
                continue
            b_item = _sig(bc.items.get(k)) if bc is not None else ""
            if _sig(tc.items.get(k)) != b_item and _sig(oc.items.get(k)) == b_item:
                if k in tc.items:
                    oc.items[k] = copy.deepcopy(tc.items[k])
                else:
                    oc.items.pop(k, None)
            bv = b.get(k) if isinstance(b, dict) else None
            ov, tv = o[k], t[k]
            if isinstance(ov, dict):
                merge_comments(bv, ov, tv)
            elif isinstance(ov, list) and str(k) in KEYED_LISTS:
                name = KEYED_LISTS[str(k)]
                ko, kt = _index(ov, name), _index(tv, name)
                kb = _index(bv, name) if isinstance(bv, list) else {}
                if ko is not None and kt is not None:
                    for key, item in ko.items():
                        if key in kt:
                            merge_comments((kb or {}).get(key), item, kt[key])


def _records_text(tree: Any, ours: str, path: str) -> str:
    """A top-level list written as ours writes it: items at the line's start (`- no: 1`, as
    tracker.reminders appends them), not indented as ruamel would."""
    import re

    from .yamlio import YamlError, fast_load, rt_dump

    text = rt_dump(tree)
    if not re.search(r"(?m)^- ", ours):
        return text
    lines = text.splitlines(keepends=True)
    flat = "".join(ln[2:] if ln.startswith("  ") else ln for ln in lines)
    try:
        if norm(fast_load(flat, path)) == norm(fast_load(text, path)):
            return flat
    except YamlError:
        pass
    return text


def merge_texts(base: str | None, ours: str, theirs: str, ours_side: "Side | SideOf", theirs_side: "Side | SideOf", *,
                path: str = "file", can_record: bool = True,
                line_merge: Callable[[str, str, str], str | None] | None = None) -> MergeResult:
    """Merge three versions of a plan file's text.  Raises MergeError when it cannot."""
    from .yamlio import YamlError, fast_load, rt_dump, rt_load

    try:
        o_tree, t_tree = rt_load(ours, path), rt_load(theirs, path)
        b_tree = rt_load(base, path) if base else None
    except YamlError as exc:
        raise MergeError(f"{exc}") from None
    if isinstance(o_tree, list) and isinstance(t_tree, list) and (b_tree is None or isinstance(b_tree, list)):
        # a log of records (plan/<year>/reminders.yaml: one entry per 催办单 sent): the union
        merge_records(b_tree or [], o_tree, t_tree)
        return MergeResult(text=_records_text(o_tree, ours, path), conflicts=[], clean=True)
    if o_tree is None:
        o_tree = {}
    if t_tree is None:
        t_tree = {}
    stale: list[dict] = []
    tree, new = merge_trees(b_tree, o_tree, t_tree, ours_side, theirs_side, record=can_record, stale_out=stale)
    merge_comments(b_tree, tree, t_tree)
    if new and not can_record:
        raise MergeError(f"{path}: changed on both sides ({', '.join(c['field'] for c in new)}) "
                         "and this file cannot record a conflict")
    text = rt_dump(tree)
    if not new and line_merge is not None and base is not None:
        lined = line_merge(base, ours, theirs)
        if lined is not None and lined != text:
            try:
                if norm(fast_load(lined, path)) == norm(fast_load(text, path)):
                    text = lined  # same data, and the comments of both sides
            except YamlError:
                pass
    return MergeResult(text=text, conflicts=new, clean=not new, stale=stale)


# -- the git driver ---------------------------------------------------------------------------
def recordable(path: str) -> bool:
    """Task and target files may hold a `conflicts:` list; plan.yaml may not."""
    parts = Path(path).parts
    return len(parts) >= 4 and parts[0] == "plan" and parts[2] in ("tasks", "targets")


def _side_info(repo, rev: str | None, other: str | None, path: str, fallback: Side) -> Side:
    if not rev:
        return fallback
    spec = f"{other}..{rev}" if other else rev
    out = repo.run("log", "-1", "--format=%an%x1f%aI", spec, "--", path, check=False).strip()
    if "\x1f" not in out:
        out = repo.run("log", "-1", "--format=%an%x1f%aI", rev, "--", path, check=False).strip()
    if "\x1f" in out:
        name, when = out.split("\x1f", 1)
        return Side(name, when)
    return fallback


def _sides(repo, path: str) -> tuple["Side | SideOf", "Side | SideOf"]:
    """Who changed each side.  tracker sync passes the revisions; a plain git merge/rebase is detected."""
    now = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    try:
        me = repo.identity().name
    except Exception:  # noqa: BLE001 - the driver must not fail for want of a name
        me = "?"
    ours_rev = os.environ.get("TRACKER_MERGE_OURS")
    theirs_rev = os.environ.get("TRACKER_MERGE_THEIRS")
    gd = repo.git_dir
    if not theirs_rev:
        for d in ("rebase-merge", "rebase-apply"):
            if (gd / d / "orig-head").exists():
                theirs_rev = (gd / d / "orig-head").read_text().strip()
                done = gd / d / "done"  # its last line is the commit being replayed
                if done.exists():
                    lines = [ln.split() for ln in done.read_text().splitlines() if ln.strip()]
                    if lines and len(lines[-1]) > 1 and lines[-1][0] in ("pick", "p"):
                        theirs_rev = lines[-1][1]
                onto = gd / d / "onto"
                ours_rev = onto.read_text().strip() if onto.exists() else "HEAD"
                break
        else:
            heads = [k[8:] for k in os.environ if k.startswith("GITHEAD_")]  # set by git merge for the merged head
            if len(heads) == 1:
                theirs_rev, ours_rev = heads[0], "HEAD"
            elif (gd / "MERGE_HEAD").exists():
                theirs_rev = (gd / "MERGE_HEAD").read_text().split()[0]
                ours_rev = "HEAD"
    ours = _side_info(repo, ours_rev or "HEAD", theirs_rev, path, Side(me, now))
    theirs = _side_info(repo, theirs_rev, ours_rev, path, Side("?", now))
    try:  # per field: the commit that set each recorded value, the file's last toucher only as a fallback
        ours = Blamer(repo, "HEAD").side_of(path, ours)
        if theirs_rev:
            theirs = Blamer(repo, theirs_rev).side_of(path, theirs)
    except Exception:  # noqa: BLE001 - the driver must not fail for want of a name
        pass
    return ours, theirs


def _line_merge(repo) -> Callable[[str, str, str], str | None]:
    import tempfile

    def run(base: str, ours: str, theirs: str) -> str | None:
        with tempfile.TemporaryDirectory(prefix="tracker-merge-") as d:
            files = []
            for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
                p = Path(d) / name
                p.write_text(text, encoding="utf-8")
                files.append(str(p))
            st, out, _ = repo._execute(["merge-file", "-p", "-q", *files], check=False)
            return out.decode("utf-8") if st == 0 else None

    return run


def driver(base_file: str, ours_file: str, theirs_file: str, path: str) -> int:
    """`%O %A %B %P`: merge into %A.  0 = merged (conflicts recorded in the file), 1 = cannot."""
    from .gitstore import GitRepo
    from .yamlio import YamlError, atomic_write, decode

    repo = GitRepo(os.getcwd())
    try:
        base = decode(Path(base_file).read_bytes(), path) if base_file and Path(base_file).exists() else None
        ours = decode(Path(ours_file).read_bytes(), path)
        theirs = decode(Path(theirs_file).read_bytes(), path)
    except (OSError, YamlError) as exc:
        print(f"tracker merge: {path}: {exc}", file=sys.stderr)
        return 1
    if not base:
        base = None
    unknown = Side("?", "")
    try:
        res = merge_texts(base, ours, theirs, unknown, unknown, path=path,
                          can_record=recordable(path), line_merge=_line_merge(repo))
        if res.conflicts:  # only now ask git who made each side (three processes saved per clean file)
            ours_side, theirs_side = _sides(repo, path)
            res = merge_texts(base, ours, theirs, ours_side, theirs_side, path=path, can_record=True)
    except MergeError as exc:
        print(f"tracker merge: {exc}", file=sys.stderr)
        return 1
    atomic_write(Path(ours_file), res.text)
    if res.conflicts:
        _note_conflicts(repo, path, res.conflicts)
    return 0


def _note_conflicts(repo, path: str, conflicts: list[dict]) -> None:
    """Tell a running `tracker sync` which files got conflicts (it reports them)."""
    import json

    try:
        d = repo.git_dir / "tracker"
        d.mkdir(parents=True, exist_ok=True)
        with open(d / "merge-conflicts.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"path": path, "fields": [c["field"] for c in conflicts]}, ensure_ascii=False) + "\n")
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 4:
        print("usage: python -m tracker.merge BASE OURS THEIRS PATH  (git's %O %A %B %P)", file=sys.stderr)
        return 2
    return driver(*argv)


if __name__ == "__main__":
    sys.exit(main())
