"""tracker list / show / set / log: the tasks."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..i18n import Lines, book, field_label, join, say, status_label, word
from ..model import EDITABLE_FIELDS, FIELD, TASK_TABLE, TrackerError, task_id
from ..output import STATUS_STYLE, console, emit_json, emit_table, is_tty, visible, write
from ._common import add_format, helps, lang_of, no_change, status_arg, warn_problems, workspace
from ..inputs import arg_int
from .analytics import add_as_of, board, date_arg, light_arg, light_text, type_error

if TYPE_CHECKING:
    from rich.text import Text


#: `tracker set` options: one per editable field of the field table, typed by the field's kind
SET_FIELDS = tuple(FIELD[name] for name in EDITABLE_FIELDS)
_SET_TYPE = {"status": status_arg, "percent": arg_int(0, 100), "date": date_arg}


HELP = book("help.tasks", {
    "list": ("列出任务（筛选：--status --unit --category）", "list tasks (filters: --status --unit --category)"),
    "list_status": ("只列此状态的任务（状态键名或名称）", "only tasks with this status (key or label)"),
    "list_unit": ("只列此单位牵头或配合的任务（单位全称或其中一部分）",
                  "only tasks this unit leads or co-owns (exact name, or part of it)"),
    "list_category": ("只列此类别的任务（类别全称或其中一部分）", "only tasks of this category (exact name, or part of it)"),
    "list_kind": ("只列此类型的事项：重点工作|批示件|会议议定|建议提案|专项督查|其他"
                  "（或 plan|instruction|meeting|proposal|inspection|other）；可重复",
                  "only items of this kind: plan|instruction|meeting|proposal|inspection|other "
                  "(or 重点工作|批示件|会议议定|建议提案|专项督查|其他); repeatable"),
    "list_light": ("只列此灯色的任务：红灯|黄灯|蓝灯|绿灯|已完成（或 red|yellow|blue|green|done）；可重复",
                   "only tasks with this light: red|yellow|blue|green|done (or 红灯|黄灯|蓝灯|绿灯|已完成); repeatable"),
    "show": ("显示一项任务及其措施", "show one task with its measures"),
    "show_task": ("任务编号：5、05 或 2020-05；或目标编号：T4、2020-T04",
                  "task id: 5, 05 or 2020-05; or a target: T4, 2020-T04"),
    "set": ("修改任务的字段：一次提交", "change a task's fields: one commit"),
    "task": ("任务编号：5、05 或 2020-05", "task id: 5, 05 or 2020-05"),
    "set_measure": ("措施序号（与 --measure-status 同用）", "measure number (with --measure-status)"),
    "set_measure_status": ("该措施的新状态", "that measure's new status"),
    "set_force": ("进度不足 100 或仍有措施未完成时，也标记为已完成", "mark done although progress is below 100 or measures are open"),
    "set_reason": ("与 --due 同用：完成时限变动的理由（改完成时限即延期，同 tracker extend：单独一次提交）",
                   "with --due: why the due date moves (a due change is an extension, 延期, "
                   "as tracker extend: a commit of its own)"),
    "log": ("来自 git 的逐字段变更记录，最新的在前", "field-level history from git, newest first"),
    "log_task": ("只看此任务（默认：整个计划）", "only this task (default: the whole plan)"),
    "log_since": ("只看此日期当天及以后的变更（YYYY-MM-DD）", "only changes on or after this date (YYYY-MM-DD)"),
    "log_until": ("只看此日期及以前的变更", "only changes up to this date"),
    "log_max_count": ("最多显示这么多次提交", "at most this many commits"),
})


def register(sub, common) -> None:
    h = helps("tasks", common)
    p = sub.add_parser("list", parents=[common], help=h("list"))
    p.add_argument("--status", type=status_arg, help=h("list_status"))
    p.add_argument("--unit", help=h("list_unit"))
    p.add_argument("--category", help=h("list_category"))
    p.add_argument("--kind", type=_kind_arg, action="append", default=[], help=h("list_kind"))
    p.add_argument("--light", type=light_arg, action="append", default=[], help=h("list_light"))
    add_as_of(p)
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", parents=[common], help=h("show"))
    p.add_argument("task", help=h("show_task"))
    add_as_of(p)
    add_format(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("set", parents=[common], help=h("set"))
    p.add_argument("task", help=h("task"))
    for f in SET_FIELDS:  # the field table's editable fields (tracker.model.TASK_TABLE), help "help.field.<name>"
        p.add_argument(f.option, dest=f.name, type=_SET_TYPE.get(f.kind), help=helps("field", common)(f.name))
    p.add_argument("--measure", type=arg_int(1, 9999), action="append", default=[], metavar="K", help=h("set_measure"))
    p.add_argument("--measure-status", type=status_arg, action="append", default=[], metavar="S",
                   help=h("set_measure_status"))
    p.add_argument("--force", action="store_true", help=h("set_force"))
    p.add_argument("--reason", help=h("set_reason"))
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("log", parents=[common], help=h("log"))
    p.add_argument("task", nargs="?", help=h("log_task"))
    p.add_argument("--since", help=h("log_since"))
    p.add_argument("--until", help=h("log_until"))
    p.add_argument("-n", "--max-count", type=arg_int(1, 10**9), help=h("log_max_count"))
    add_format(p)
    p.set_defaults(func=cmd_log)


def _kind_arg(value: str) -> str:
    from ..itemkinds import kind_key

    try:
        return kind_key(value)
    except TrackerError as exc:
        raise type_error(exc) from None


def _matches(task, args) -> bool:
    if getattr(args, "kind", None) and task.kind not in args.kind:
        return False
    if args.status and task.status != args.status:
        return False
    if args.unit:
        names = getattr(args, "_unit_names", None) or (args.unit,)
        if not any(q == u or q in u for q in names for u in task.units):
            return False
    if args.category and not (args.category == task.category or args.category in task.category):
        return False
    return True


def cmd_list(args) -> int:
    from ..analytics import thresholds
    from ..schedule import expected_progress, light

    ws = workspace(args)
    if args.unit:  # 市发改委 also finds 市发展改革委: the alias table (units.yaml over the built-in one)
        from ..units import load_aliases

        args._unit_names = tuple(dict.fromkeys((args.unit, load_aliases(ws.root).canonical(args.unit))))
    whole = (args.format == "json" and not is_tty() and getattr(args, "as_of", None) is None
             and not (args.status or args.unit or args.category or args.light or args.kind))
    if whole:  # nothing changed since the last run: the stored answer (tracker/listcache.py)
        from .. import listcache
        from ..schedule import Thresholds

        snap = listcache.snapshot(ws)
        info, _ = ws.load_info()
        if info is not None:
            text = listcache.answer(ws, date.today(), Thresholds.from_settings(info.settings, info.year), snap)
            if text is not None:
                write(text + "\n")
                return 0
    data, on = board(args, ws)
    lang = lang_of(args, ws)
    th = thresholds(data)
    lights = {t.number: light(t, th, on) for t in data.tasks}
    tasks = [t for t in data.tasks if _matches(t, args) and (not args.light or lights[t.number] in args.light)]
    if whole:
        text, rows = listcache.render(tasks, lights, {t.number: expected_progress(t, th, on) for t in tasks})
        write(text + "\n")
        if not data.problems:
            listcache.store(ws, snap, rows, text, listcache.day_key(on, th))  # and the whole answer for today
    elif args.format == "json":
        emit_json([{**t.as_json(), "light": lights[t.number], "expected": expected_progress(t, th, on)} for t in tasks])
    else:
        headers = [word(k, lang) for k in ("id", "category", "title", "lead_unit", "status", "progress", "due")]
        headers.append(say("task_show.light", lang))
        from rich.text import Text  # rich, history: imported where used (`tracker list` piped needs neither)

        from ..cycle import returned_mark, stage_label  # 已交办…, 退回 N 次 after it (the supervision cycle)
        from ..itemkinds import kind_label

        kinds = any(t.kind != "plan" for t in tasks)  # a plan of its own tasks only: no kind column
        if kinds:
            headers[1] = say("field.kind", lang) + "/" + headers[1]
        rows = [[t.id, (kind_label(t.kind, lang) + ("/" + t.category if t.category else "")
                        if kinds and t.kind != "plan" else t.category), t.title, t.lead,
                 Text(stage_label(t.status, lang) + returned_mark(t, lang), style=STATUS_STYLE[t.status])
                 if args.format == "table" else stage_label(t.status, lang) + returned_mark(t, lang),
                 f"{t.progress}%", t.due.isoformat(),
                 light_text(lights[t.number], lang, args.format)]
                for t in tasks]
        if args.format == "csv":  # for Excel: labels in zh, the stable keys in en (tracker/ledger/csvlist.py)
            from ..ledger.csvlist import list_csv

            headers, rows = list_csv(tasks, lights, {t.number: expected_progress(t, th, on) for t in tasks}, lang)
        footer = f"{len(tasks)} / {len(data.tasks)}" if args.format == "table" else None
        if footer and getattr(args, "as_of", None):
            footer += f"  ({say('task_show.as_of', lang)} {on.isoformat()})"
        emit_table(headers, rows, fmt=args.format, footer=footer)
    warn_problems(data, lang)
    return 0


def _task(ws, ident: str, args=None):
    number = ws.task_number(ident)
    data = board(args, ws)[0] if args is not None else ws.load()
    task = data.task(number)
    if task is None:
        bad = [p for p in data.problems if p.path.endswith(f"/{number:02d}.yaml")]
        if bad:
            raise _err("unreadable", id=task_id(ws.year, number), problems=Lines(bad))
        raise _err("no_task", id=task_id(ws.year, number), where=ws.plan_rel, count=len(data.tasks))
    return task, data


def _show_target(ws, number: int, args) -> int:
    from ..model import ASSESSMENTS, TrackerError, fmt_num

    data, _ = board(args, ws)
    target = data.target(number)
    if target is None:
        raise _err("no_target", number=number, count=len(data.targets))
    lang = lang_of(args, ws)
    if args.format == "json":
        emit_json(target.as_json())
        return 0
    out = [f"{target.id}  {visible(target.text)}",
           f"{field_label('units', lang)}: {visible('、'.join(target.units))}"]
    for ind in target.indicators:
        goal = ind.target_text() if ind.comparator != "qualitative" else word("qualitative", lang)
        out.append(f"  {visible(ind.name)}  ({goal})")
        for a in sorted(ind.actuals, key=lambda a: a.period):
            verdict = f"  [{say('assessment.' + a.assessment, lang)}]" if a.assessment in ASSESSMENTS else ""
            note = f"  {visible(a.note)}" if a.note else ""
            out.append(f"    {a.period}: {visible(fmt_num(a.value))}{verdict}{note}")
        if not ind.actuals:
            out.append("    —")
    out.append(f"path  {target.path}")
    write("\n".join(out) + "\n")
    return 0


def cmd_show(args) -> int:
    from ..analytics import thresholds
    from ..schedule import expected_progress, light

    ws = workspace(args)
    import re

    m = re.fullmatch(r"(?:(\d{4})-)?[Tt]0*(\d{1,3})", args.task.strip())
    if m and (m.group(1) is None or int(m.group(1)) == ws.year):  # T4 / 2020-T04: a target, as resolve takes it
        return _show_target(ws, int(m.group(2)), args)
    task, data = _task(ws, args.task, args)
    on = args.as_of or date.today()
    th = thresholds(data)
    lang = lang_of(args, ws)
    if args.format == "json":
        emit_json({**task.as_json(), "light": light(task, th, on), "expected": expected_progress(task, th, on)})
        return 0
    c = console()
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row(Text(word("id", lang)), Text(task.id))
    rows = [(f.show, say(f.label_key, lang), _show_value(task, f, lang)) for f in TASK_TABLE if f.show is not None]
    lt = light(task, th, on)
    shown = light_text(lt, lang)
    rows.append((SHOW_LIGHT, say("task_show.light", lang),
                 Text.assemble(shown if isinstance(shown, Text) else Text(shown),
                               Text(f"  ({say('task_show.expected', lang)} {expected_progress(task, th, on)}%"
                                    f"{', ' + on.isoformat() if args.as_of else ''})", style="dim"))))
    for _, label, value in sorted(rows, key=lambda r: r[0]):
        if value is not None:
            grid.add_row(Text(label), value)
    from ..cycle import cycle_rows  # the supervision cycle's record: 签收, 办结报告, 退回, 延期, 撤销

    for label, value in cycle_rows(task, lang):
        grid.add_row(Text(label), Text(visible(value, keep_newlines=True)))
    grid.add_row(Text("path"), Text(task.path, style="dim"))
    c.print(grid)
    emit_table([word("measure", lang), field_label("status", lang), field_label("due", lang), field_label("text", lang)],
               [[m.number, Text(status_label(m.status, lang), style=STATUS_STYLE[m.status]),
                 m.due.isoformat() if m.due else "", m.text] for m in task.measures])
    return 0


SHOW_LIGHT = 65  # the light's row in `tracker show`: after the due date (rows: FieldSpec.show)
#: refusals of show / set (str(err) English, err.text(lang) the user's language)
book("task_cmd", {
    "unreadable": ("任务 {id} 无法读取：\n  {problems}", "task {id} cannot be read:\n  {problems}"),
    "no_task": ("{where} 中没有任务 {id}（共有 {count} 项任务；tracker list 列出全部任务）",
                "no task {id} in {where} (it has {count} tasks; tracker list shows them)"),
    "no_target": ("没有综合目标 T{number}（计划共有 {count} 项：T1-T{count}）",
                  "no overall target T{number} (the plan has {count}: T1-T{count})"),
    "measure_pairs": ("--measure K 与 --measure-status S 须成对给出（每个措施编号对应一个状态）",
                      "--measure K and --measure-status S go in pairs (one status for each measure number)"),
    "nothing_to_set": ("没有要修改的内容：请至少给出 {options} 之一",
                       "nothing to set: give at least one of {options}"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `task_cmd.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"task_cmd.{entry}", **args)


book("task_show", {"light": ("亮灯", "light"), "expected": ("序时进度", "expected"), "sep": ("、", ", "),
                   "as_of": ("截至", "as of")})


def _show_value(task, f, lang: str) -> Text | None:
    """A field's value as a `tracker show` row; None: no row (an optional field the file does not set)."""
    from rich.text import Text

    v = getattr(task, f.name)
    if f.name in ("kind", "urgency"):  # items of any kind (tracker.items): the label, nothing for a plan task's default
        from ..itemkinds import kind_label, urgency_label

        return None if v in ("plan", "normal") else Text((kind_label if f.name == "kind" else urgency_label)(v, lang))
    if f.name == "text" and not v:
        return None
    if f.name == "units":
        units = Text()
        for i, u in enumerate(v):
            if i:
                units.append(say("task_show.sep", lang))
            units.append(visible(u), style="bold" if i == 0 else "")
            if i == 0:
                units.append(f"({word('lead', lang)})", style="dim")
        return units
    if f.kind == "status":
        return Text(status_label(v, lang), style=STATUS_STYLE[v])
    if f.kind == "percent":
        return Text(f"{v}%")
    if f.kind == "text":
        return Text(visible(v, keep_newlines=True) or "—")
    if not f.required and not v:
        return None
    if f.kind == "date":
        return Text(v.isoformat())
    if f.kind == "names":
        return Text(say("task_show.sep", lang).join(visible(x) for x in v))
    if f.kind == "flag":
        return Text("✓")
    return Text(visible(str(v)))


def cmd_set(args) -> int:
    ws = workspace(args)
    number = ws.task_number(args.task)
    changes: dict[str, object] = {}
    for f in SET_FIELDS:
        value = getattr(args, f.name)
        if value is not None:
            changes[f.name] = value
    if len(args.measure) != len(args.measure_status):
        raise _err("measure_pairs")
    for k, s in zip(args.measure, args.measure_status):
        changes[f"measures.{k}.status"] = s
    if not changes:
        raise _err("nothing_to_set", options=" ".join(f.option for f in SET_FIELDS) + " --measure/--measure-status")
    if "due" in changes or getattr(args, "reason", None):  # a due change is an extension (延期): one path
        return _set_due(ws, number, changes, args)
    from ..lifecycle import check_edit, finish_hint  # the supervision cycle (tracker/cycle.py)

    check_edit(ws, number, changes, force=getattr(args, "force", False))
    result = ws.update_task(number, changes)
    if result is None:
        write(no_change(ws, number, args))
        return 0
    write(f"[{result.short}] {visible(result.message.splitlines()[0])}\n")
    hint = finish_hint(ws, number, lang_of(args, ws))
    if hint:
        write(f"{visible(hint)}\n")
    return 0


def _set_due(ws, number: int, changes: dict, args) -> int:
    """`tracker set ID --due DATE --reason TEXT`: the extension (tracker.items.extend_due), alone;
    without a reason, or with other fields, refused naming the field (exit 2, nothing written)."""
    from ..items import extend_due

    if "due" not in changes:
        raise TrackerError(say("items.reason_no_due", "en"), key="items.reason_no_due")
    due = changes["due"].isoformat()
    if len(changes) > 1:
        raise TrackerError(say("items.due_alone", "en", due=due), key="items.due_alone", due=due)
    result = extend_due(ws, number, changes["due"], args.reason, cmd="set")
    write(f"[{result.short}] {visible(result.message.splitlines()[0])}\n")
    return 0


def change_text(changes, lang: str) -> str:
    from ..commitmsg import _value

    parts = []
    for ch in changes:
        old, new = visible(_value(ch.field, ch.old, lang)), visible(_value(ch.field, ch.new, lang))
        if ch.field in ("created", "deleted"):
            parts.append(f"{field_label(ch.field, lang)}: {new if ch.field == 'created' else old}")
            continue
        parts.append(f"{field_label(ch.field, lang)}: {old} → {new}")
    return join(parts, lang, "clause")  # ；in zh, "; " in en


def cmd_log(args) -> int:
    from .. import history as hist

    ws = workspace(args)
    lang = lang_of(args, ws)
    paths = None
    if args.task:
        number = ws.task_number(args.task)
        paths = [ws.rel(ws.task_path(number))]
    entries = hist.history(ws, paths, since=args.since, until=args.until, max_count=args.max_count)
    entries = hist.with_same_as(ws, entries, paths, since=args.since, until=args.until, max_count=args.max_count)
    from ..verify import log_marks  # ✔ office / ⚠ unsigned / ✖ failed, where offices.yaml is in force

    marks = log_marks(ws.git, [e.sha for e in entries])
    if args.format == "json":
        emit_json([{**e.as_json(), **({"trust": marks[e.sha]} if e.sha in marks else {})} for e in entries])
        return 0
    rows = [[e.date[:16].replace("T", " "), e.author, e.item, change_text(e.changes, lang) or e.same_as or "—", e.sha[:7],
             *([marks[e.sha]["text"] if e.sha in marks else ""] if marks else [])]
            for e in entries]
    emit_table([word("date", lang), word("author", lang), word("id", lang), word("change", lang), word("commit", lang),
                *(["✔⚠✖"] if marks else [])], rows)
    return 0
