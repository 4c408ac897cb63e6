"""`tracker ledger export`: choose the tasks, build the rows and the version record, write the file."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..i18n import book
from ..model import TrackerError
from .labels import lw
from .rows import Meta, Row, resolve_unit, select, task_rows


#: refusals of the export (str(err) English, err.text(lang) the user's language)
book("ledger_export", {
    "suffix": ("-o {path}：台账写为 .xlsx（Excel、WPS）或 .docx（Word）；请把文件命名为 文件名.xlsx 或 文件名.docx",
               "-o {path}: the ledger is written as .xlsx (Excel, WPS) or .docx (Word); name the file FILE.xlsx or FILE.docx"),
    "nothing_then": ("--as-of {day}：当时本计划尚无任何提交{first}",
                     "--as-of {day}: nothing of this plan was committed by then{first_en}"),
    "broken_then": ("--as-of {day}：当天有 {count} 个文件有问题（{bad}）：该日的台账会缺少这些任务，请改导出其他日期",
                    "--as-of {day}: {count} file(s) had problems on that day ({bad}): "
                    "a ledger of that day would miss their tasks; export another day"),
    "broken": ("{count} 个文件有问题（{bad}），请先修正（tracker check）：缺少它们导出的台账会漏掉这些任务",
               "{count} file(s) have problems ({bad}); fix them first "
               "(tracker check): a ledger exported without them would miss their tasks"),
    "no_tasks": ("没有可导出的任务{scope}", "no tasks to export{scope_en}"),
})


_KIND_ZH = {"lead": "牵头", "co": "配合"}


def _err(entry: str, **args) -> TrackerError:
    """The book entry `ledger_export.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"ledger_export.{entry}", **args)


def suffix_of(path: str | Path) -> str:
    suf = Path(path).suffix.lower()
    if suf not in (".xlsx", ".docx"):
        raise _err("suffix", path=path)
    return suf


def build(ws, *, unit: str | None = None, kind: str = "all", category: str | None = None,
          as_of: date | None = None, lang: str = "zh") -> tuple[list[Row], Meta, str, str]:
    """(rows, version record, title, plan title) for the export.  Without `as_of`: the work tree
    and HEAD.  With `as_of`: the plan as committed at the end of that day (tracker/asof.py, as
    `tracker list --as-of` reads it), and that commit and its blob ids in the version record, so
    that ingest compares the returned values with what the unit was sent and treats every change
    made in the repository since as the other side of a merge."""
    if as_of is not None:
        from ..asof import commit_at, load_as_of

        head = commit_at(ws, as_of) or ""
        if not head:
            first = sorted(ws.git.run("log", "--max-parents=0", "--format=%cs", check=False).split())
            raise _err("nothing_then", day=as_of.isoformat(), first=f"（最早的提交在 {first[0]}）" if first else "",
                       first_en=f" (the first commit is of {first[0]})" if first else "")
        data = load_as_of(ws, as_of)
    else:
        data = ws.load()
        head = ws.git.head_fast() or ""
    if data.problems and as_of is not None:
        bad = list(data.broken_paths[:5])
        raise _err("broken_then", day=as_of.isoformat(), count=len(data.broken_paths), bad=bad)
    if data.problems:
        bad = list(data.broken_paths[:5])
        raise _err("broken", count=len(data.broken_paths), bad=bad)
    if unit:
        unit = resolve_unit(data.tasks, unit)
    tasks = select(data.tasks, unit, kind, category)
    if not tasks:
        scope = [f"单位：{unit}" if unit else "", f"范围：{_KIND_ZH.get(kind, kind)}" if kind != "all" else ""]
        raise _err("no_tasks", scope=f"（{'，'.join(filter(None, scope))}）" if any(scope) else "",
                   scope_en=(f" for {unit}" if unit else "") + (f" ({kind})" if kind != "all" else ""))
    rows: list[Row] = []
    items: dict[str, tuple[str, str]] = {}
    for t in tasks:
        rows += task_rows(t, unit, lang)
        items[t.id] = (t.path, data.digests.get(t.path, ""))
    on = as_of or date.today()
    meta = Meta(year=ws.year, commit=head, exported=on.isoformat(), unit=unit or "", kind=kind, lang=lang,
                items=items)
    meta.make_id()
    plan_title = data.info.title if data.info else f"{ws.year}"
    title = lw("title_unit", lang, plan=plan_title, unit=unit) if unit else lw("title", lang, plan=plan_title)
    return rows, meta, title, plan_title


def instruction(meta: Meta, lang: str) -> str:
    short = meta.commit[:7] or "—"
    return lw("instruction", lang, exported=meta.exported, short=short)


def export(ws, out: str | Path, *, unit: str | None = None, kind: str = "all", category: str | None = None,
           as_of: date | None = None, lang: str = "zh") -> tuple[Path, list[Row], Meta]:
    """Write the ledger to `out` (.xlsx or .docx) atomically; returns (path, rows, meta)."""
    suf = suffix_of(out)
    rows, meta, title, _ = build(ws, unit=unit, kind=kind, category=category, as_of=as_of, lang=lang)
    note = instruction(meta, lang)
    if suf == ".xlsx":
        from .xlsx import write_xlsx as writer
    else:
        from .docx import write_docx as writer
    data = writer(rows, meta, title=title, instruction=note, lang=lang, with_role=bool(meta.unit))
    path = Path(out)
    _write_bytes(path, data)
    return path, rows, meta


def _write_bytes(path: Path, data: bytes) -> None:
    import os
    import tempfile

    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
