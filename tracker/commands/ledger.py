"""tracker ledger export / ingest: the Excel and Word ledger (台账) round trip."""
from __future__ import annotations


from ..ledger.labels import lw
from ..output import err_console, visible, write
from ..i18n import book
from ._common import helps, lang_of, workspace
from .analytics import date_arg

HELP = book("help.ledger", {
    "ledger": ("台账：为单位导出，导入其交回的文件", "the ledger (台账): export for a unit, ingest the returned file"),
    "export": ("把台账写为 FILE.xlsx 或 FILE.docx", "write the ledger as FILE.xlsx or FILE.docx"),
    "export_unit": ("只导出此单位的任务（单位全称，或只对应一个单位的部分名称）",
                    "only this unit's tasks (exact name, or part of exactly one)"),
    "export_kind": ("与 --unit 同用：all（牵头和配合，默认）、lead（牵头）或 co（配合）",
                    "with --unit: all (牵头和配合, default), lead (牵头) or co (配合)"),
    "export_category": ("只导出此类别的任务（类别全称或其中一部分）", "only tasks of this category (exact name, or part of it)"),
    "export_as_of": ("取 DATE 当日结束时已提交的值（同 `tracker list --as-of`），记下该版本供导入时比对，"
                     "并以 DATE 为导出日期（默认：今天的工作区）",
                     "the values as committed at the end of DATE (as `tracker list --as-of`), that version recorded for ingest, "
                     "and DATE as its 导出日期 (default: today's work tree)"),
    "export_output": ("FILE.xlsx（Excel、WPS）或 FILE.docx（Word）", "FILE.xlsx (Excel, WPS) or FILE.docx (Word)"),
    "ingest": ("导入交回的台账：每个有变化的事项一次提交", "take a returned ledger back: one commit per changed item"),
    "ingest_file": ("交回的 FILE.xlsx 或 FILE.docx", "the returned FILE.xlsx or FILE.docx"),
    "ingest_unit": ("交回台账的单位（默认：导出时所针对的单位）", "the unit that returned it (default: the unit it was exported for)"),
    "ingest_dry_run": ("只显示将有哪些变化；不写入任何内容", "show what would change; write nothing"),
    "ingest_skip_invalid": ("部分单元格无效时，仍导入有效的事项（无效的事项不导入）",
                            "apply the valid items even when some cells are invalid (those items are left out)"),
})


def register(sub, common) -> None:
    h = helps("ledger", common)
    p = sub.add_parser("ledger", parents=[common], help=h("ledger"))
    lsub = p.add_subparsers(dest="ledger_command", metavar="export|ingest")
    p.set_defaults(func=lambda args: p.error("say export or ingest (tracker ledger export -o FILE.xlsx)"))

    e = lsub.add_parser("export", parents=[common], help=h("export"))
    e.add_argument("--unit", help=h("export_unit"))
    e.add_argument("--kind", default="all", choices=("all", "lead", "co"), help=h("export_kind"))
    e.add_argument("--category", help=h("export_category"))
    e.add_argument("--as-of", dest="as_of", type=date_arg, metavar="DATE", help=h("export_as_of"))
    e.add_argument("-o", "--output", required=True, metavar="FILE", help=h("export_output"))
    e.set_defaults(func=cmd_export)

    i = lsub.add_parser("ingest", parents=[common], help=h("ingest"))
    i.add_argument("file", help=h("ingest_file"))
    i.add_argument("--unit", help=h("ingest_unit"))
    i.add_argument("--dry-run", action="store_true", help=h("ingest_dry_run"))
    i.add_argument("--skip-invalid", action="store_true", help=h("ingest_skip_invalid"))
    i.set_defaults(func=cmd_ingest)


def cmd_export(args) -> int:
    from ..ledger.export import export

    ws = workspace(args)
    lang = lang_of(args, ws)
    path, rows, meta = export(ws, args.output, unit=args.unit, kind=args.kind, category=args.category,
                              as_of=args.as_of, lang=lang)
    tasks = len(meta.items)
    measures = len(rows) - tasks
    write(lw("exported", lang, path=path, tasks=tasks, measures=measures, version=meta.commit[:7],
             exported=meta.exported) + "\n")
    return 0


def cmd_ingest(args) -> int:
    from ..ledger.ingest import apply, plan, render

    ws = workspace(args)
    lang = lang_of(args, ws)
    pl = plan(ws, args.file, unit=args.unit)
    write(render(pl, lang))
    if pl.invalid and not args.skip_invalid:
        err_console().print(lw("not_written", lang), markup=False)
        return 2
    if args.dry_run:
        return 0
    results = apply(ws, pl, lang=lang)
    for r in results:
        write(f"[{r.short}] {visible(r.message.splitlines()[0])}\n")
    write(lw("commits", lang, n=len(results)) + "\n")
    return 0
