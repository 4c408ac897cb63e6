"""tracker ack / finish / close / return / cancel / extend / undo: the supervision cycle, one commit each.

The rules (which step from which state, who takes it, what it needs) are in tracker/cycle.py;
the writing in tracker/lifecycle.py.  A step not allowed from the item's state is refused (exit 2)
naming the state and the steps that are allowed; nothing is written.
"""
from __future__ import annotations

from ..output import visible, write
from ._common import no_change, workspace
from .analytics import date_arg

_HELP = {
    "ack": "acknowledge an item (签收): 已交办 → 已签收",
    "finish": "apply for closure (申请办结) with the closure report (办结报告)",
    "close": "close an item the unit applied to close (销号): supervisor",
    "return": "send an item back (退回重办) with the reason: back to 推进中; supervisor",
    "cancel": "cancel an item (撤销) with the reason: it leaves the ranking and lights; supervisor",
    "extend": "move an item's due date (延期) with the reason: supervisor",
}


def register(sub, common) -> None:
    # each add_parser names its command literally: tracker.cli finds a command's module by this text
    parsers = {"ack": sub.add_parser("ack", parents=[common], help=_HELP["ack"]),
               "finish": sub.add_parser("finish", parents=[common], help=_HELP["finish"]),
               "close": sub.add_parser("close", parents=[common], help=_HELP["close"]),
               "return": sub.add_parser("return", parents=[common], help=_HELP["return"]),
               "cancel": sub.add_parser("cancel", parents=[common], help=_HELP["cancel"]),
               "extend": sub.add_parser("extend", parents=[common], help=_HELP["extend"])}
    for step, p in parsers.items():
        p.add_argument("task", help="task id: 5, 05 or 2020-05")
        if step in ("return", "cancel", "extend"):
            p.add_argument("--reason", required=True, help="the reason (kept in the file and the commit)")
        if step == "finish":
            p.add_argument("--report", required=True, help="the closure report (办结报告)")
            p.add_argument("--force", action="store_true",
                           help="apply even though progress is below 100 or measures are open (they are named)")
        if step == "extend":
            p.add_argument("--due", required=True, type=date_arg, help="the new due date YYYY-MM-DD")
        p.set_defaults(func=cmd_step, step=step)
    p = sub.add_parser("undo", parents=[common], help="undo an item's last change: a new commit restoring the previous values")
    p.add_argument("task", help="task id: 5, 05 or 2020-05")
    p.set_defaults(func=cmd_undo)


def cmd_step(args) -> int:
    from ..lifecycle import take_step

    ws = workspace(args)
    number = ws.task_number(args.task)
    result = take_step(ws, number, args.step, reason=getattr(args, "reason", "") or "",
                       report=getattr(args, "report", "") or "", due=getattr(args, "due", None),
                       force=getattr(args, "force", False))
    return _done(ws, number, result, args)


def cmd_undo(args) -> int:
    from ..lifecycle import undo

    ws = workspace(args)
    number = ws.task_number(args.task)
    return _done(ws, number, undo(ws, number), args)


def _done(ws, number: int, result, args) -> int:
    if result is None:
        write(no_change(ws, number, args))
        return 0
    write(f"[{result.short}] {visible(result.message.splitlines()[0])}\n")
    return 0


__all__ = ["register"]
