"""tracker new: register an item of any kind (批示件, 会议议定, 建议提案 ...): one file, one commit."""
from __future__ import annotations

from ..i18n import book, say
from ..model import TrackerError
from ..output import emit_json, write, visible
from ._common import add_format, helps, lang_of, no_change, workspace
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


HELP = book("help.items", {
    "new": ("登记一项事项（批示件、会议议定、建议提案、专项督查、其他、重点工作）：一次提交；输出其编号",
            "register an item (批示件, 会议议定, 建议提案, 专项督查, 其他, 重点工作): one commit; prints its id"),
    "new_kind": ("重点工作|批示件|会议议定|建议提案|专项督查|其他（或 plan|instruction|meeting|proposal|inspection|other）",
                 "plan|instruction|meeting|proposal|inspection|other (or 重点工作|批示件|会议议定|建议提案|专项督查|其他)"),
    "new_title": ("事项标题", "the item's title (标题)"),
    "new_lead": ("牵头单位；有多个牵头单位时可重复", "lead unit (牵头单位); repeatable for several lead units"),
    "new_unit": ("配合单位（协办单位）；可重复", "co-unit (协办单位); repeatable"),
    "new_new_unit": ("计划中尚无事项提到 UNIT 时也接受它（新单位）；可重复",
                     "accept UNIT although no item of the plan names it yet (a new unit); repeatable"),
    "new_due": ("完成时限 YYYY-MM-DD（默认：按 plan.yaml 的 settings 中 item_days/urgency_days 推算）",
                "due date YYYY-MM-DD (default: from plan.yaml settings item_days/urgency_days)"),
    "new_start": ("交办日期 YYYY-MM-DD（默认：今天）", "start (交办) date YYYY-MM-DD (default: today)"),
    "new_leader": ("分管领导（姓名或职务）", "分管领导 (a name or a post)"),
    "new_ref": ("来源：文号、会议、批示日期和批示领导", "source reference: 文号, meeting, 批示 date and leader"),
    "new_urgency": ("一般|紧急|特急（或 normal|urgent|critical）", "normal|urgent|critical (or 一般|紧急|特急)"),
    "new_text": ("事项原文（批示内容、议定事项……）", "the item's own words (批示内容, 议定事项 ...)"),
    "new_category": ("plan.yaml 中的类别之一（可选）", "one of plan.yaml's categories (optional)"),
    "edit": ("修改事项在计划中的原文（标题、内容、单位……），附理由：一次提交",
             "change the plan's own words of an item (title, text, units ...) with a reason: one commit"),
    "item": ("事项编号：5、05 或 2020-05", "item id: 5, 05 or 2020-05"),
    "edit_reason": ("计划变动的理由（记入提交：Tracker-Reason）", "why the plan changes (kept in the commit: Tracker-Reason)"),
    "edit_title": ("标题", "标题"),
    "edit_text": ("事项内容", "事项内容"),
    "edit_leader": ("分管领导", "分管领导"),
    "edit_ref": ("来源（文号……）", "source reference (文号 ...)"),
    "edit_category": ("plan.yaml 中的类别之一", "one of plan.yaml's categories"),
    "edit_kind": ("重点工作|批示件|会议议定|建议提案|专项督查|其他（或 plan|instruction|meeting|proposal|inspection|other）",
                  "plan|instruction|meeting|proposal|inspection|other"),
    "edit_urgency": ("一般|紧急|特急（或 normal|urgent|critical）", "normal|urgent|critical (一般|紧急|特急)"),
    "edit_lead": ("替换现有牵头单位的牵头单位", "the lead unit(s) instead of the current"),
    "edit_unit": ("替换现有配合单位的配合单位（可重复；--unit '' 表示没有）",
                  "the co-units instead of the current (repeatable; --unit '' for none)"),
    "edit_new_unit": ("接受 UNIT 为新单位", "accept UNIT as a new unit"),
    "edit_due": ("新的完成时限 YYYY-MM-DD：即延期（同 tracker extend），单独一次提交",
                 "a new due date YYYY-MM-DD: an extension (延期, as tracker extend), a commit of its own"),
    "measure": ("增加或删除事项的一条措施，附理由：一次提交", "add or remove a measure (措施) of an item, with a reason: one commit"),
    "measure_add": ("在末尾增加一条措施，状态为未启动", "add a measure at the end, not started"),
    "measure_item": ("事项编号", "item id"),
    "measure_text": ("措施内容", "the measure's text"),
    "measure_due": ("措施的完成时限 YYYY-MM-DD", "its due date YYYY-MM-DD"),
    "measure_reason": ("计划变动的理由", "why the plan changes"),
    "measure_remove": ("删除第 K 条措施（其后的措施保留原序号）", "remove measure K (later ones keep their numbers)"),
    "measure_k": ("措施序号", "the measure's number"),
})


def register(sub, common) -> None:
    h = helps("items", common)
    p = sub.add_parser("new", parents=[common], help=h("new"))
    p.add_argument("--kind", required=True, type=_kind, help=h("new_kind"))
    p.add_argument("--title", required=True, help=h("new_title"))
    p.add_argument("--lead", required=True, action="append", metavar="UNIT", help=h("new_lead"))
    p.add_argument("--unit", action="append", default=[], metavar="UNIT", help=h("new_unit"))
    p.add_argument("--new-unit", action="append", default=[], metavar="UNIT", help=h("new_new_unit"))
    p.add_argument("--due", type=date_arg, help=h("new_due"))
    p.add_argument("--start", type=date_arg, help=h("new_start"))
    p.add_argument("--leader", default="", help=h("new_leader"))
    p.add_argument("--ref", default="", help=h("new_ref"))
    p.add_argument("--urgency", type=_urgency, default="normal", help=h("new_urgency"))
    p.add_argument("--text", default="", help=h("new_text"))
    p.add_argument("--category", default="", help=h("new_category"))
    add_format(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("edit", parents=[common], help=h("edit"))
    p.add_argument("task", help=h("item"))
    p.add_argument("--reason", required=True, help=h("edit_reason"))
    for name in ("title", "text", "leader", "ref", "category"):
        p.add_argument(f"--{name}", help=h(f"edit_{name}"))
    p.add_argument("--kind", type=_kind, help=h("edit_kind"))
    p.add_argument("--urgency", type=_urgency, help=h("edit_urgency"))
    p.add_argument("--lead", action="append", default=[], metavar="UNIT", help=h("edit_lead"))
    p.add_argument("--unit", action="append", default=None, metavar="UNIT", help=h("edit_unit"))
    p.add_argument("--new-unit", action="append", default=[], metavar="UNIT", help=h("edit_new_unit"))
    p.add_argument("--due", type=date_arg, help=h("edit_due"))
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("measure", parents=[common], help=h("measure"))
    msub = p.add_subparsers(dest="measure_action", metavar="add|remove", required=True)
    q = msub.add_parser("add", parents=[common], help=h("measure_add"))
    q.add_argument("task", help=h("measure_item"))
    q.add_argument("--text", required=True, help=h("measure_text"))
    q.add_argument("--due", type=date_arg, help=h("measure_due"))
    q.add_argument("--reason", required=True, help=h("measure_reason"))
    q.set_defaults(func=cmd_measure)
    q = msub.add_parser("remove", parents=[common], help=h("measure_remove"))
    q.add_argument("task", help=h("measure_item"))
    q.add_argument("k", type=int, metavar="K", help=h("measure_k"))
    q.add_argument("--reason", required=True, help=h("measure_reason"))
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
