"""tracker units: every responsible unit with the tasks it leads and co-owns."""
from __future__ import annotations

from ..i18n import book, say, word
from ..output import emit_json, emit_table
from ._common import add_format, helps, lang_of, warn_problems, workspace
from .analytics import add_as_of, board, board_last_changes


#: the headers of tracker units --aliases
ALIAS_WORDS = book("aliases", {
    "canonical": ("规范名称", "canonical"),
    "aliases": ("其他写法", "aliases"),
    "source": ("来源", "source"),
})


def unit_index(tasks, aliases=None) -> dict[str, dict[str, list]]:
    """unit -> {'leads': [task...], 'co_owns': [task...]}, units in order of first appearance.

    Two spellings of one unit (the alias table, see tracker.analytics.unit_names) are one unit,
    under the plan's own name for it; a task naming it twice counts once, as lead if either is."""
    from ..analytics import unit_names

    names = unit_names(tasks, aliases)
    out: dict[str, dict[str, list]] = {}
    for t in tasks:
        seen: set[str] = set()
        for i, u in enumerate(t.units):
            u = names.get(u, u)
            if u in seen:
                continue
            seen.add(u)
            out.setdefault(u, {"leads": [], "co_owns": []})["leads" if i == 0 else "co_owns"].append(t)
    return out


HELP = book("help.units", {
    "units": ("每个单位及其牵头和配合的任务（--ranking：牵头单位排名）",
              "every unit with the tasks it leads and co-owns (--ranking: lead units ranked)"),
    "ranking": ("牵头单位排名：牵头任务数、已完成、绿灯/黄灯/红灯/蓝灯、逾期、完成率、最近更新",
                "rank lead units: tasks led, done, green/yellow/red/blue, overdue, completion rate, last update"),
    "sort": ("排名依据（默认：rate 完成率，最好的在前）", "ranking order (default: rate, best first)"),
    "aliases": ("单位别名表：每个规范单位名称及文件中的其他写法（units.yaml 优先于内置表）",
                "the alias table: each canonical unit name and the other ways documents write it "
                "(units.yaml over the built-in table)"),
})


def register(sub, common) -> None:
    h = helps("units", common)
    p = sub.add_parser("units", parents=[common], help=h("units"))
    p.add_argument("--ranking", action="store_true", help=h("ranking"))
    p.add_argument("--sort", default="rate", choices=("rate", "led", "done", "red", "yellow", "overdue", "last_update", "unit"),
                   help=h("sort"))
    p.add_argument("--aliases", action="store_true", help=h("aliases"))
    add_as_of(p)
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_units)


def cmd_aliases(args) -> int:
    """units.yaml of the repository (or the current folder) over the starter table."""
    import os
    from pathlib import Path

    from ..gitstore import GitRepo
    from ..units import Aliases, load_aliases

    start = getattr(args, "repo", None) or os.environ.get("TRACKER_REPO") or os.getcwd()
    top = GitRepo.toplevel(start) if Path(start).exists() else None
    table = load_aliases(top) if top else Aliases()
    own = set(table.full.values())
    rows = [[canon, "、".join(names), "units.yaml" if canon in own else "built-in"]
            for canon, names in table.table.items()]
    if args.format == "json":
        emit_json([{"unit": r[0], "aliases": table.table[r[0]], "from": r[2]} for r in rows])
        return 0
    lang = getattr(args, "lang", None)  # the --lang given, else Chinese (a table of Chinese names)
    emit_table([say("aliases.canonical", lang), say("aliases.aliases", lang), say("aliases.source", lang)],
               rows, fmt=args.format)
    return 0


def cmd_units(args) -> int:
    if getattr(args, "aliases", False):
        return cmd_aliases(args)
    ws = workspace(args)
    if args.ranking:
        return cmd_ranking(args, ws)
    data, _ = board(args, ws)
    lang = lang_of(args, ws)
    from ..units import load_aliases

    idx = unit_index(data.tasks, load_aliases(ws.root))
    order = sorted(idx, key=lambda u: (-len(idx[u]["leads"]), -len(idx[u]["co_owns"]), u))
    if args.format == "json":
        emit_json([{"unit": u, "leads": [t.id for t in idx[u]["leads"]], "co_owns": [t.id for t in idx[u]["co_owns"]]}
                   for u in order])
        return 0
    rows = [[u, len(idx[u]["leads"]), " ".join(str(t.number) for t in idx[u]["leads"]),
             len(idx[u]["co_owns"]), " ".join(str(t.number) for t in idx[u]["co_owns"])] for u in order]
    emit_table([word("unit", lang), "#", word("led", lang), "#", word("co_owned", lang)], rows, fmt=args.format)
    warn_problems(data, lang)
    return 0


def cmd_ranking(args, ws) -> int:
    from ..analytics import creation_commits, ranks, unit_ranking
    from ..report.labels import L
    from ..units import load_aliases

    lang = lang_of(args, ws)
    data, on = board(args, ws)
    rows = unit_ranking(data, on, board_last_changes(ws, args, on), sort=args.sort, created=creation_commits(ws),
                        aliases=load_aliases(ws.root))
    if args.format == "json":
        emit_json({"as_of": on.isoformat(), "units": [r.as_json() for r in rows]})
        return 0
    keys = ("unit", "led", "done", "green", "yellow", "red", "blue", "overdue", "rate", "last_update")
    if args.format == "csv":
        emit_table(["rank", *keys], [[i, *[r.as_json()[k] for k in keys]] for i, r in zip(ranks(rows, args.sort), rows)], fmt="csv")
        return 0
    emit_table([L("rank", lang), *[L(k, lang) for k in keys]],
               [[i, r.unit, r.led, r.done, r.green, r.yellow, r.red, r.blue, r.overdue, f"{r.rate:.0%}",
                 r.last_update.isoformat() if r.last_update else "—"] for i, r in zip(ranks(rows, args.sort), rows)],
               fmt=args.format, footer=f"{L('as_of', lang)} {on.isoformat()}")
    warn_problems(data, lang)
    return 0
