"""tracker ledger export / ingest: the Excel and Word ledger (台账) round trip."""
from __future__ import annotations


from ..ledger.labels import lw
from ..output import err_console, visible, write
from ._common import lang_of, workspace
from .analytics import date_arg


def register(sub, common) -> None:
    p = sub.add_parser("ledger", parents=[common], help="the ledger (台账): export for a unit, ingest the returned file")
    lsub = p.add_subparsers(dest="ledger_command", metavar="export|ingest")
    p.set_defaults(func=lambda args: p.error("say export or ingest (tracker ledger export -o FILE.xlsx)"))

    e = lsub.add_parser("export", parents=[common], help="write the ledger as FILE.xlsx or FILE.docx")
    e.add_argument("--unit", help="only this unit's tasks (exact name, or part of exactly one)")
    e.add_argument("--kind", default="all", choices=("all", "lead", "co"),
                   help="with --unit: all (牵头和配合, default), lead (牵头) or co (配合)")
    e.add_argument("--category", help="only tasks of this category (exact name, or part of it)")
    e.add_argument("--as-of", dest="as_of", type=date_arg, metavar="DATE",
                   help="the values as committed at the end of DATE (as `tracker list --as-of`), that version recorded for ingest, "
                        "and DATE as its 导出日期 (default: today's work tree)")
    e.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx (Excel, WPS) or FILE.docx (Word)")
    e.set_defaults(func=cmd_export)

    i = lsub.add_parser("ingest", parents=[common], help="take a returned ledger back: one commit per changed item")
    i.add_argument("file", help="the returned FILE.xlsx or FILE.docx")
    i.add_argument("--unit", help="the unit that returned it (default: the unit it was exported for)")
    i.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    i.add_argument("--skip-invalid", action="store_true",
                   help="apply the valid items even when some cells are invalid (those items are left out)")
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
