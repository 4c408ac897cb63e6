"""tracker new: register an item of any kind (批示件, 会议议定, 建议提案 ...): one file, one commit."""
from __future__ import annotations

import argparse

from ..model import TrackerError
from ..output import emit_json, write, visible
from ._common import add_format, lang_of, workspace
from .analytics import date_arg


def _kind(value: str) -> str:
    from ..items import kind_key

    try:
        return kind_key(value)
    except TrackerError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _urgency(value: str) -> str:
    from ..items import urgency_key

    try:
        return urgency_key(value)
    except TrackerError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub, common) -> None:
    p = sub.add_parser("new", parents=[common],
                       help="register an item (批示件, 会议议定, 建议提案, 专项督查, 其他, 重点工作): one commit; prints its id")
    p.add_argument("--kind", required=True, type=_kind,
                   help="plan|instruction|meeting|proposal|inspection|other (or 重点工作|批示件|会议议定|建议提案|专项督查|其他)")
    p.add_argument("--title", required=True, help="the item's title (标题)")
    p.add_argument("--lead", required=True, action="append", metavar="UNIT",
                   help="lead unit (牵头单位); repeatable for several lead units")
    p.add_argument("--unit", action="append", default=[], metavar="UNIT", help="co-unit (协办单位); repeatable")
    p.add_argument("--new-unit", action="append", default=[], metavar="UNIT",
                   help="accept UNIT although no item of the plan names it yet (a new unit); repeatable")
    p.add_argument("--due", type=date_arg, help="due date YYYY-MM-DD (default: from plan.yaml settings item_days/urgency_days)")
    p.add_argument("--start", type=date_arg, help="start (交办) date YYYY-MM-DD (default: today)")
    p.add_argument("--leader", default="", help="分管领导 (a name or a post)")
    p.add_argument("--ref", default="", help="source reference: 文号, meeting, 批示 date and leader")
    p.add_argument("--urgency", type=_urgency, default="normal", help="normal|urgent|critical (or 一般|紧急|特急)")
    p.add_argument("--text", default="", help="the item's own words (批示内容, 议定事项 ...)")
    p.add_argument("--category", default="", help="one of plan.yaml's categories (optional)")
    add_format(p)
    p.set_defaults(func=cmd_new)


def cmd_new(args) -> int:
    from ..items import NewItem, create

    ws = workspace(args)
    item = NewItem(kind=args.kind, title=args.title, leads=tuple(args.lead), units=tuple(args.unit), due=args.due,
                   start=args.start, leader=args.leader, ref=args.ref, urgency=args.urgency, text=args.text,
                   category=args.category, new_units=tuple(args.new_unit))
    result = create(ws, item, lang=lang_of(args, ws))
    tid = result.message.split(" ", 1)[0]
    if args.format == "json":
        emit_json({"id": tid, "path": result.path, "commit": result.sha})
        return 0
    write(f"{tid}\n")
    from ..output import err_console

    err_console().print(f"[{result.short}] {visible(result.message.splitlines()[0])}", markup=False, highlight=False)
    return 0
