"""Take a returned ledger back: plan (per item old → new), then apply (one commit per item).

Each row is compared with the version the ledger was exported from (its blob id, recorded in
the file), not with today's file: what the unit changed is what differs from the export.

- An item unchanged in the repository since the export: the unit's changes are saved through the
  store's one save path (`Workspace._commit_edit`, as `tracker set` saves), one commit, with
  trailers `Tracker-Reported-By`, `Tracker-Source`, `Tracker-Ledger` (a digest of the returned
  values) and `Tracker-Ledger-Export` (the export's id).
- An item changed in the repository since the export (by anything but an earlier return of the
  same export): a three-way merge as sync does (base = the exported version, ours = the
  repository, theirs = the ledger).  Fields only the unit changed are taken; a field both changed
  to different values keeps the repository's value and gets a `conflicts:` entry whose `theirs`
  side is the ledger (`市水利局（台账 FILE）`), listed by `tracker conflicts` and settled with `k`.
- Invalid cells are named (`H7: 进度 150 超出 0-100`); the file is refused as a whole unless
  --skip-invalid, which leaves out only the items with an invalid cell.  Changed locked cells
  (title, units, due…) are reported and never applied.
- The same values returned twice make no second commits: items already committed with this
  `Tracker-Ledger` digest are skipped (a re-saved copy of the file has the same digest).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..i18n import book, field_label, join, said, say, status_label, told
from ..model import STATUSES, Task, TrackerError
from ..output import visible
from .labels import lw
from .read import ReadRow, Returned, read
from .rows import LOCKED, TEXTS, columns, header, parse_progress, parse_status, parse_text, status_choices, task_rows


@dataclass
class ItemPlan:
    number: int
    id: str
    title: str
    path: str
    changes: dict[str, Any]  # validated, relative to the exported version
    current: dict[str, Any]  # today's value of each changed field
    base: dict[str, Any]  # the exported value of each changed field
    stale: bool = False  # changed in the repository since the export
    conflicts: list[str] = field(default_factory=list)  # fields both sides changed differently
    done_before: str = ""  # the commit that already applied this return
    exported_blob: str = ""
    current_blob: str = ""
    base_text: str = ""

    @property
    def effective(self) -> dict[str, Any]:
        """The changes that would alter the file: not those equal to today's value."""
        return {k: v for k, v in self.changes.items() if _same(self.current.get(k), v) is False}


@dataclass
class Plan:
    returned: Returned
    unit: str
    digest: str
    source: str
    items: list[ItemPlan]
    invalid: list[str] = field(default_factory=list)
    invalid_items: set[int] = field(default_factory=set)
    locked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def to_apply(self) -> list[ItemPlan]:
        return [i for i in self.items if not i.done_before and i.number not in self.invalid_items
                and (i.effective or i.conflicts)]


def _same(a: Any, b: Any) -> bool:
    from ..changes import plain

    return plain(a) == plain(b)


def _values(task: Task) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(task, k) for k in ("status", "progress", "note", "problems", "next_steps")}
    for m in task.measures:
        out[f"measures.{m.number}.status"] = m.status
    return out


def digest_of(ret: Returned) -> str:
    """A digest of what the unit returned: the export's id and every editable value by row id."""
    vals = []
    for r in sorted(ret.rows, key=lambda r: r.id):
        cells = {k: parse_text(c.value) for k, c in r.cells.items() if k in ("status", "progress") + TEXTS}
        vals.append([r.id, sorted(cells.items())])
    blob = json.dumps([ret.meta.export_id, ret.meta.commit, vals], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def _task_of(ws, rel: str, text: str, cats) -> Task | None:
    from ..schema import check_task
    from ..yamlio import YamlError, fast_load

    try:
        return check_task(fast_load(text, rel), rel, text, ws.year, cats)[0]
    except YamlError:
        return None


def _applied_before(ws, digest: str) -> dict[str, str]:
    """task id -> commit, for commits already carrying this ledger digest."""
    out = ws.git.run("log", "-F", f"--grep=Tracker-Ledger: {digest}", "--format=%H%x00%B%x1e", check=False)
    from ..commitmsg import trailers

    found: dict[str, str] = {}
    for rec in out.split("\x1e"):
        sha, _, msg = rec.strip("\n").partition("\x00")
        tr = trailers(msg)
        if tr.get("Tracker-Ledger") == digest and tr.get("Tracker-Task"):
            found.setdefault(tr["Tracker-Task"], sha)
    return found


def _changed_since(ws, commit: str, paths: list[str], export_id: str) -> set[str]:
    """Paths changed after `commit` by anything other than a return of this same export."""
    if not paths:
        return set()
    if not commit or not ws.git.ok("cat-file", "-e", f"{commit}^{{commit}}"):
        return set(paths)
    out = ws.git.run("log", "--format=%x1e%B%x1f", "--name-only", f"{commit}..HEAD", "--", *paths)
    from ..commitmsg import trailers

    hit: set[str] = set()
    for rec in out.split("\x1e"):
        if not rec.strip():
            continue
        msg, _, names = rec.partition("\x1f")
        if trailers(msg).get("Tracker-Ledger-Export") == export_id:
            continue
        hit.update(n.strip() for n in names.splitlines() if n.strip())
    return hit


#: refusals of a returned ledger (str(err) English, err.text(lang) the user's language)
book("ledger_ingest", {
    "other_year": ("{where}：这是 {year} 年计划的台账；当前为 {current} 年计划（--plan {year}）",
                   "{where}: a ledger of the {year} plan; this is the {current} plan (--plan {year})"),
    "which_unit": ("{where}：该台账是为全部单位导出的；请说明是哪个单位报回的：--unit 单位名称",
                   "{where}: exported for all units; say which unit returned it: --unit NAME"),
    "measure_status": ("措施的状态只能是 {allowed} 之一", "a measure's status is one of {allowed_en}"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `ledger_ingest.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"ledger_ingest.{entry}", **args)


def plan(ws, file: str | Path, *, unit: str | None = None, returned: Returned | None = None) -> Plan:
    from ..store import validate_changes

    ret = returned or read(file)
    meta = ret.meta
    where = Path(file).name
    if meta.year != ws.year:
        raise _err("other_year", where=where, year=meta.year, current=ws.year)
    unit = (unit or meta.unit or "").strip()
    if not unit:
        raise _err("which_unit", where=where)
    data = ws.load()
    info = data.info
    cats = info.categories if info else ()
    by_number = {t.number: t for t in data.tasks}
    digest = digest_of(ret)
    source = f"台账 {where}, exported {meta.exported}"
    pl = Plan(ret, unit, digest, source, [], notes=list(ret.notes))
    if meta.unit and unit != meta.unit:
        pl.notes.append(said("ledger.note_other_unit", exported=meta.unit, unit=unit))

    rows_by_task: dict[int, list[ReadRow]] = {}
    for r in ret.rows:
        tid = f"{ws.year}-{r.number:02d}"
        if tid not in meta.items:
            pl.notes.append(said("ledger.note_not_exported", ref=r.cells['id'].ref, id=r.id))
            continue
        rows_by_task.setdefault(r.number, []).append(r)
    rel_of = {n: by_number[n].path if n in by_number else ws.rel(ws.task_path(n)) for n in rows_by_task}
    done = _applied_before(ws, digest)
    stale_paths = [rel_of[n] for n in rows_by_task if data.digests.get(rel_of[n]) != meta.items[f"{ws.year}-{n:02d}"][1]]
    really_stale = _changed_since(ws, meta.commit, stale_paths, meta.export_id)
    # the exported versions are needed only where the file changed since (else today's file is it)
    blobs = ws.git.blobs(meta.items[f"{ws.year}-{n:02d}"][1] for n in rows_by_task if rel_of[n] in stale_paths)
    cols = {c.key: c for c in columns(True)}
    labels = status_choices(meta.lang)

    for number in sorted(rows_by_task):
        tid = f"{ws.year}-{number:02d}"
        rel = rel_of[number]
        cur = by_number.get(number)
        if cur is None:
            pl.invalid.append(f"{tid}: the task cannot be read now (tracker check); its rows were not read")
            pl.invalid_items.add(number)
            continue
        exported_blob = meta.items[tid][1]
        cur_blob = data.digests.get(rel, "")
        base_bytes = blobs.get(exported_blob) if exported_blob != cur_blob else None
        if base_bytes is None and exported_blob != cur_blob:
            pl.invalid.append(f"{tid}: the exported version {exported_blob[:7]} is not in this repository "
                              "(tracker sync, then ingest again)")
            pl.invalid_items.add(number)
            continue
        from ..yamlio import decode

        base_text = decode(base_bytes, rel) if base_bytes is not None else ""
        base = _task_of(ws, rel, base_text, cats) if base_bytes is not None else cur
        if base is None:
            base, base_text = cur, ""
        stale = cur_blob != exported_blob and rel in really_stale
        if not stale:
            base = cur  # unchanged, or changed only by an earlier return of this export: today's file is the base
            base_text = ""
        expected = {r.id: r for r in task_rows(base, meta.unit or None, meta.lang)}
        base_vals = _values(base)
        raw: dict[str, Any] = {}
        bad = False
        for row in rows_by_task[number]:
            exp = expected.get(row.id)
            if exp is None:
                pl.notes.append(said("ledger.note_no_measure", ref=row.cells['id'].ref, id=row.id))
                continue
            for key in LOCKED + ("role",):
                cell = row.cells.get(key)
                if cell is None:
                    continue
                want, got = parse_text(exp.values.get(key)), parse_text(cell.value)
                if key == "units":
                    want, got = _units_norm(want), _units_norm(got)
                if want != got:
                    pl.locked.append(lw("locked_cell", meta.lang, ref=cell.ref, header=header(cols[key], meta.lang),
                                        want=visible(want) or "（空）", got=visible(got) or "（空）"))
            for key in row_fields(row):
                cell = row.cells[key]
                fld = key if row.measure is None else f"measures.{row.measure}.status"
                if key == "status":
                    st = parse_status(cell.value)
                    if st is None:
                        pl.invalid.append(cell_problem(cell.ref, "status", parse_text(cell.value), meta.lang, labels))
                        bad = True
                        continue
                    was = exp.values.get("status") if exp is not None else None
                    if st != was and (st not in STATUSES or was not in STATUSES):  # the cycle's steps, not a cell
                        from ..cycle import check_status_edit

                        try:
                            check_status_edit(str(was), st, tid)
                            if row.measure is not None:
                                raise _err("measure_status", allowed="、".join(status_label(s, "zh") for s in STATUSES),
                                           allowed_en=", ".join(STATUSES))
                        except TrackerError as exc:
                            pl.invalid.append(f"{cell.ref}: {exc.text(meta.lang)}")
                            bad = True
                            continue
                    raw[fld] = st
                elif key == "progress":
                    p = parse_progress(cell.value)
                    if p is None or not 0 <= p <= 100:
                        pl.invalid.append(cell_problem(cell.ref, "progress", parse_text(cell.value) if p is None else p,
                                                       meta.lang, labels))
                        bad = True
                    else:
                        raw[fld] = p
                else:
                    raw[fld] = parse_text(cell.value)
        if bad:
            pl.invalid_items.add(number)
        wanted = {k: v for k, v in raw.items() if not _same(base_vals.get(k), v)}
        if wanted:
            wanted = validate_changes(wanted, tid)
            wanted = {k: v for k, v in wanted.items() if not _same(base_vals.get(k), v)}
        cur_vals = _values(cur)
        item = ItemPlan(number, tid, cur.title, rel, wanted, {k: cur_vals.get(k) for k in wanted},
                        {k: base_vals.get(k) for k in wanted}, stale=stale, exported_blob=exported_blob,
                        current_blob=cur_blob, base_text=base_text)
        if stale:
            item.conflicts = [k for k, v in wanted.items()
                              if not _same(cur_vals.get(k), base_vals.get(k)) and not _same(cur_vals.get(k), v)]
        if tid in done:
            item.done_before = done[tid]
        if wanted or tid in done:
            pl.items.append(item)
    return pl


def cell_problem(ref: str, key: str, value: Any, lang: str, labels: list[str]) -> str:
    """`H7: 进度 150 超出 0-100`, in the ledger's language (its headers are in it)."""
    if key == "status":
        allowed = join(labels, lang)
        if value == "":
            return lw("status_empty", lang, ref=ref, allowed=allowed)
        return lw("status_bad", lang, ref=ref, value=value, allowed=allowed)
    if isinstance(value, int):
        return lw("progress_range", lang, ref=ref, value=value)
    if value == "":
        return lw("progress_empty", lang, ref=ref)
    return lw("progress_whole", lang, ref=ref, value=value)


def row_fields(row: ReadRow) -> list[str]:
    return [k for k in row_editable(row) if k in row.cells]


def row_editable(row: ReadRow) -> tuple[str, ...]:
    return ("status",) if row.measure is not None else ("status", "progress") + TEXTS


def _units_norm(text: str) -> str:
    import re

    return "、".join(u for u in re.split(r"[、,，;；\s]+", text) if u)


# -- showing the plan ----------------------------------------------------------------------------
def _shown(fld: str, v: Any, lang: str) -> str:
    if v is None or v == "":
        return say("sep.empty", lang)
    if fld.endswith("status") and v in STATUSES:
        return status_label(v, lang)
    return visible(v)


def lines(pl: Plan, lang: str = "zh") -> list[tuple[str, str]]:
    """The preview as (style, text) lines: the CLI prints them, the TUI shows them."""
    out: list[tuple[str, str]] = []
    m = pl.returned.meta
    name, unit = visible(Path(pl.returned.path).name), visible(pl.unit)
    out.append(("bold", lw("preview_head", lang, name=name, unit=unit, exported=m.exported, version=m.commit[:7])))
    for it in pl.items:
        head = f"{it.id} {visible(it.title)}"
        if it.done_before:
            out.append(("dim", head + lw("done_before", lang, sha=it.done_before[:7])))
            continue
        if it.number in pl.invalid_items:
            out.append(("red", head + lw("invalid_item", lang)))
            continue
        eff = it.effective
        if not eff and not it.conflicts:
            continue
        tag = ""
        if it.stale:
            tag = lw("stale", lang)
        out.append(("bold", head + tag))
        for k, v in it.changes.items():
            if k in it.conflicts:
                out.append(("yellow", f"  ⚡ {field_label(k, lang)}: " + lw(
                    "conflict", lang, current=_shown(k, it.current.get(k), lang), ledger=_shown(k, v, lang),
                    base=_shown(k, it.base.get(k), lang))))
            elif k in eff:
                out.append(("", f"  {field_label(k, lang)}: {_shown(k, it.current.get(k), lang)} → {_shown(k, v, lang)}"))
    n = len(pl.to_apply)
    if pl.invalid:
        out.append(("red", lw("invalid_cells", lang)))
        out += [("red", "  " + x) for x in pl.invalid]
    if pl.locked:
        out.append(("yellow", lw("locked_cells", lang)))
        out += [("yellow", "  " + x) for x in pl.locked]
    if pl.notes:
        out += [("dim", "  " + told(x, lang)) for x in pl.notes]
    k = sum(1 for i in pl.to_apply if i.conflicts)
    out.append(("bold", lw("to_change", lang, n=n) + (lw("with_conflicts", lang, k=k) if k else "")))
    return out


def render(pl: Plan, lang: str = "zh") -> str:
    return "".join(text + "\n" for _, text in lines(pl, lang))


# -- applying ------------------------------------------------------------------------------------
def _trailers(pl: Plan) -> dict[str, str]:
    return {"Tracker-Reported-By": pl.unit, "Tracker-Source": pl.source, "Tracker-Ledger": pl.digest,
            "Tracker-Ledger-Export": pl.returned.meta.export_id}


def apply(ws, pl: Plan, *, lang: str | None = None, progress=None) -> list:
    """Commit every item of the plan (one commit each); returns the CommitResults."""
    from ..schema import check_task
    from ..store import apply_task_changes

    info, _ = ws.load_info()
    cats = info.categories if info else ()
    lang = lang or (info.language if info else "zh")
    results = []
    todo = pl.to_apply
    for n, it in enumerate(todo):
        path = ws.task_path(it.number)
        tid = it.id
        check = (lambda data, rel, text: check_task(data, rel, text, ws.year, cats)[1])
        subject = (lambda d, tid=tid: (tid, str(d.get("title", ""))))
        if it.conflicts:
            from ..conflicts import merge_external

            res = merge_external(ws, it.path, it.base_text, it.changes, theirs_author=ledger_side(pl),
                                 trailers=_trailers(pl), lang=lang, expect=it.current_blob)
        else:
            # a stale item without conflicts: only the fields the unit changed whose value in the
            # repository is still the exported one (the others already hold the unit's value)
            clean = {k: v for k, v in it.changes.items() if not it.stale or _same(it.current.get(k), it.base.get(k))}
            res = ws._commit_edit(path, lambda tree, clean=clean, tid=tid: apply_task_changes(tree, clean, tid),
                                  expect=it.current_blob, subject=subject, check=check, trailers=_trailers(pl),
                                  lang=lang, line_changes=clean)
        if res is not None:
            results.append(res)
        if progress is not None:
            progress(n + 1, len(todo))
    from .returns import record_receipt

    m = pl.returned.meta
    record_receipt(ws, pl.unit, pl.returned.path, pl.digest, m.export_id, m.exported, len(results))
    return results


def ledger_side(pl: Plan) -> str:
    return lw("side", pl.returned.meta.lang, unit=pl.unit, file=Path(pl.returned.path).name)


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
