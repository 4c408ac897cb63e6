"""tracker new: register an item of any kind (批示件, 会议议定, 建议提案 ...): one file, one commit."""
from __future__ import annotations

from ..i18n import say
from ..model import TrackerError
from ..output import emit_json, write, visible
from ._common import add_format, lang_of, no_change, workspace
from .analytics import date_arg, type_error


def _kind(value: str) -> str:
    from ..items import kind_key

    try:
        return kind_key(value)
    except TrackerError as exc:
        raise type_error(exc) from None


def _urgency(value: str) -> str:
    from ..items import urgency_key

    try:
        return urgency_key(value)
    except TrackerError as exc:
        raise type_error(exc) from None


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

    p = sub.add_parser("edit", parents=[common],
                       help="change the plan's own words of an item (title, text, units ...) with a reason: one commit")
    p.add_argument("task", help="item id: 5, 05 or 2020-05")
    p.add_argument("--reason", required=True, help="why the plan changes (kept in the commit: Tracker-Reason)")
    for name, text in (("title", "标题"), ("text", "事项内容"), ("leader", "分管领导"), ("ref", "source reference (文号 ...)"),
                       ("category", "one of plan.yaml's categories")):
        p.add_argument(f"--{name}", help=text)
    p.add_argument("--kind", type=_kind, help="plan|instruction|meeting|proposal|inspection|other")
    p.add_argument("--urgency", type=_urgency, help="normal|urgent|critical (一般|紧急|特急)")
    p.add_argument("--lead", action="append", default=[], metavar="UNIT", help="the lead unit(s) instead of the current")
    p.add_argument("--unit", action="append", default=None, metavar="UNIT",
                   help="the co-units instead of the current (repeatable; --unit '' for none)")
    p.add_argument("--new-unit", action="append", default=[], metavar="UNIT", help="accept UNIT as a new unit")
    p.add_argument("--due", type=date_arg, help="a new due date YYYY-MM-DD: an extension (延期, as tracker extend), "
                                                "a commit of its own")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("measure", parents=[common], help="add or remove a measure (措施) of an item, with a reason: one commit")
    msub = p.add_subparsers(dest="measure_action", metavar="add|remove", required=True)
    q = msub.add_parser("add", parents=[common], help="add a measure at the end, not started")
    q.add_argument("task", help="item id")
    q.add_argument("--text", required=True, help="the measure's text")
    q.add_argument("--due", type=date_arg, help="its due date YYYY-MM-DD")
    q.add_argument("--reason", required=True, help="why the plan changes")
    q.set_defaults(func=cmd_measure)
    q = msub.add_parser("remove", parents=[common], help="remove measure K (later ones keep their numbers)")
    q.add_argument("task", help="item id")
    q.add_argument("k", type=int, metavar="K", help="the measure's number")
    q.add_argument("--reason", required=True, help="why the plan changes")
    q.set_defaults(func=cmd_measure)


def cmd_new(args) -> int:
    from ..items import NewItem, create

    ws = workspace(args)
    item = NewItem(kind=args.kind, title=args.title, leads=tuple(args.lead), units=tuple(args.unit), due=args.due,
                   start=args.start, leader=args.leader, ref=args.ref, urgency=args.urgency, text=args.text,
                   category=args.category, new_units=tuple(args.new_unit))
    notes: list = []
    result = create(ws, item, lang=lang_of(args, ws), notes=notes)
    tid = result.message.split(" ", 1)[0]
    from ..output import err_console

    for key, kw in notes:  # the due date past the plan year's end (tracker.items.prepare)
        err_console().print(say(key, lang_of(args, ws), **kw), markup=False, highlight=False)
    if args.format == "json":
        emit_json({"id": tid, "path": result.path, "commit": result.sha})
        return 0
    write(f"{tid}\n")
    err_console().print(f"[{result.short}] {visible(result.message.splitlines()[0])}", markup=False, highlight=False)
    return 0


def _done(ws, number: int, result, args) -> int:
    if result is None:
        write(no_change(ws, number, args))
        return 0
    write(f"[{result.short}] {visible(result.message.splitlines()[0])}\n")
    return 0


def cmd_edit(args) -> int:
    from ..items import edit_item

    ws = workspace(args)
    number = ws.task_number(args.task)
    values = {k: getattr(args, k) for k in ("title", "text", "leader", "ref", "category", "kind", "urgency")}
    units = tuple(args.unit) if args.unit is not None else None
    if args.due is not None:  # a due change is an extension (延期): one path, tracker.items.extend_due
        from ..items import extend_due

        if any(v is not None for v in values.values()) or args.lead or units is not None or args.new_unit:
            due = args.due.isoformat()
            raise TrackerError(say("items.due_alone", "en", due=due), key="items.due_alone", due=due)
        return _done(ws, number, extend_due(ws, number, args.due, args.reason, cmd="edit"), args)
    result = edit_item(ws, number, values, args.reason, leads=tuple(args.lead), units=units,
                       new_units=tuple(args.new_unit), lang=lang_of(args, ws))
    return _done(ws, number, result, args)


def cmd_measure(args) -> int:
    from ..items import add_measure, remove_measure

    ws = workspace(args)
    number = ws.task_number(args.task)
    lang = lang_of(args, ws)
    if args.measure_action == "add":
        result = add_measure(ws, number, args.text, args.reason, due=args.due, lang=lang)
    else:
        result = remove_measure(ws, number, args.k, args.reason, lang=lang)
    return _done(ws, number, result, args)
