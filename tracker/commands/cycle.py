"""tracker ack / finish / close / return / cancel / extend / undo: the supervision cycle, one commit each.

The rules (which step from which state, who takes it, what it needs) are in tracker/cycle.py;
the writing in tracker/lifecycle.py.  A step not allowed from the item's state is refused (exit 2)
naming the state and the steps that are allowed; nothing is written.
"""
from __future__ import annotations

from ..i18n import book
from ..output import visible, write
from ._common import helps, no_change, workspace
from .analytics import date_arg

_HELP = book("help.cycle", {
    "ack": ("签收事项：已交办 → 已签收", "acknowledge an item (签收): 已交办 → 已签收"),
    "finish": ("申请办结，附办结报告", "apply for closure (申请办结) with the closure report (办结报告)"),
    "close": ("对单位已申请办结的事项销号：督查室操作", "close an item the unit applied to close (销号): supervisor"),
    "return": ("退回重办，附理由：回到推进中；督查室操作",
               "send an item back (退回重办) with the reason: back to 推进中; supervisor"),
    "cancel": ("撤销事项，附理由：不再参与排名和亮灯；督查室操作",
               "cancel an item (撤销) with the reason: it leaves the ranking and lights; supervisor"),
    "extend": ("延期：变更事项的完成时限，附理由；督查室操作", "move an item's due date (延期) with the reason: supervisor"),
    "task": ("任务编号：5、05 或 2020-05", "task id: 5, 05 or 2020-05"),
    "reason": ("理由（记入任务文件和提交）", "the reason (kept in the file and the commit)"),
    "report": ("办结报告", "the closure report (办结报告)"),
    "force": ("进度不足 100 或仍有措施未完成时也申请（会列出它们）",
              "apply even though progress is below 100 or measures are open (they are named)"),
    "due": ("新的完成时限 YYYY-MM-DD", "the new due date YYYY-MM-DD"),
    "undo": ("撤回事项的上一次修改：新建一次提交，恢复原来的值",
             "undo an item's last change: a new commit restoring the previous values"),
})


def register(sub, common) -> None:
    # each add_parser names its command literally: tracker.cli finds a command's module by this text
    h = helps("cycle", common)
    parsers = {"ack": sub.add_parser("ack", parents=[common], help=h("ack")),
               "finish": sub.add_parser("finish", parents=[common], help=h("finish")),
               "close": sub.add_parser("close", parents=[common], help=h("close")),
               "return": sub.add_parser("return", parents=[common], help=h("return")),
               "cancel": sub.add_parser("cancel", parents=[common], help=h("cancel")),
               "extend": sub.add_parser("extend", parents=[common], help=h("extend"))}
    for step, p in parsers.items():
        p.add_argument("task", help=h("task"))
        if step in ("return", "cancel", "extend"):
            p.add_argument("--reason", required=True, help=h("reason"))
        if step == "finish":
            p.add_argument("--report", required=True, help=h("report"))
            p.add_argument("--force", action="store_true", help=h("force"))
        if step == "extend":
            p.add_argument("--due", required=True, type=date_arg, help=h("due"))
        p.set_defaults(func=cmd_step, step=step)
    p = sub.add_parser("undo", parents=[common], help=h("undo"))
    p.add_argument("task", help=h("task"))
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
