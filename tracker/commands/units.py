"""tracker units: every responsible unit with the tasks it leads and co-owns."""
from __future__ import annotations

from ..i18n import word
from ..output import emit_json, emit_table
from ._common import add_format, lang_of, warn_problems, workspace


def unit_index(tasks) -> dict[str, dict[str, list]]:
    """unit -> {'leads': [task...], 'co_owns': [task...]}, units in order of first appearance."""
    out: dict[str, dict[str, list]] = {}
    for t in tasks:
        for i, u in enumerate(t.units):
            out.setdefault(u, {"leads": [], "co_owns": []})["leads" if i == 0 else "co_owns"].append(t)
    return out


def register(sub, common) -> None:
    p = sub.add_parser("units", parents=[common], help="every unit with the tasks it leads and co-owns")
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_units)


def cmd_units(args) -> int:
    ws = workspace(args)
    data = ws.load()
    lang = lang_of(args, ws)
    idx = unit_index(data.tasks)
    order = sorted(idx, key=lambda u: (-len(idx[u]["leads"]), -len(idx[u]["co_owns"]), u))
    if args.format == "json":
        emit_json([{"unit": u, "leads": [t.id for t in idx[u]["leads"]], "co_owns": [t.id for t in idx[u]["co_owns"]]}
                   for u in order])
        return 0
    rows = [[u, len(idx[u]["leads"]), " ".join(str(t.number) for t in idx[u]["leads"]),
             len(idx[u]["co_owns"]), " ".join(str(t.number) for t in idx[u]["co_owns"])] for u in order]
    emit_table([word("unit", lang), "#", word("led", lang), "#", word("co_owned", lang)], rows, fmt=args.format)
    warn_problems(data)
    return 0
