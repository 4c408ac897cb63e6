"""tracker changes / remind / burnup: what changed, whom to chase, how the plan progressed.

Also the helpers other commands use for `--as-of DATE` and lights.
"""
from __future__ import annotations

import argparse
from datetime import date

from .. import analytics as an
from ..i18n import book, field_label, status_label, word
from ..inputs import KeyedTypeError
from ..model import TrackerError
from ..output import emit_json, emit_table, is_tty
from ..report.labels import L
from ..schedule import LIGHT_GLYPH, LIGHT_LABELS, LIGHT_STYLE, LIGHTS, light_label
from ._common import add_format, helps, lang_of, warn_problems, workspace


# -- helpers shared with tasks / units / targets -------------------------------------------------

from ..inputs import arg_date as date_arg  # noqa: E402  (re-exported: other commands import it here)
from ..inputs import arg_int as int_arg  # noqa: E402

#: refusals of changes / burnup and of the lights option (str(err) English, err.text(lang) the user's language)
_ERRORS = book("analytics_cmd", {
    "not_light": ("{value!r} 不是灯色；可选：{allowed}", "{value!r} is not a light; allowed: {allowed}"),
    "until_before_since": ("--until {until} 早于 --since {since}", "--until {until} is before --since {since}"),
    "step": ("--step {step}：至少为 1 天", "--step {step}: must be at least 1 day"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `analytics_cmd.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"analytics_cmd.{entry}", **args)


def type_error(err: TrackerError) -> argparse.ArgumentTypeError:
    """A `type=` function's refusal for argparse, which prints str() (English): tracker's parser
    (cli.Parser) prints the error's `.text(lang)` in the command line's language instead."""
    return KeyedTypeError(err)


def light_arg(value: str) -> str:
    """A light as its key (red) or label (红灯, 红, due soon)."""
    v = value.strip().lower()
    if v in LIGHTS:
        return v
    for labels in LIGHT_LABELS.values():
        for key, label in labels.items():
            if v == label.lower() or (len(v) == 1 and label.startswith(v)):
                return key
    allowed = [f"{k} ({LIGHT_LABELS['zh'][k]})" for k in LIGHTS]
    raise type_error(_err("not_light", value=value, allowed=allowed))


HELP = book("help.analytics", {
    "as_of": ("显示 DATE（YYYY-MM-DD）当日结束时已提交的计划，取自 git 历史",
              "show the plan as committed at the end of DATE (YYYY-MM-DD), from git history"),
    "changes": ("两个日期之间逐字段的变更，含修改人和时间", "field-by-field changes between two dates, with who and when"),
    "changes_since": ("基准：DATE 当日结束之后的变更（默认：上一期通报，否则计划开始）",
                      "baseline: changes made after the end of DATE (default: the last bulletin, else the plan start)"),
    "changes_until": ("截至 DATE 当日结束（默认：现在）", "up to the end of DATE (default: now)"),
    "changes_net": ("每项任务每个字段一行：最初的旧值 -> 最后的新值",
                    "one row per task and field: first old value -> last new value"),
    "remind": ("催办：逾期、红灯、临近完成时限、未签收、已过节点、本周期未报送；按牵头单位",
               "催办: overdue, red, due soon, not acknowledged, milestones passed, no report in the cycle; by lead unit"),
    "remind_unit": ("只看此牵头单位（单位全称或其中一部分）", "only this lead unit (exact name, or part of it)"),
    "remind_output": ("与 --format docx 同用：把 --unit 的催办单写到此处并记录（一次提交）",
                      "with --format docx: write the 催办单 for --unit here and record it (one commit)"),
    "burnup": ("随时间变化的已完成任务数及各灯色任务数，取自 git 历史",
               "tasks done and tasks per light over time, from git history"),
    "burnup_from": ("起始日（默认：计划开始）", "first day (default: the plan start)"),
    "burnup_step": ("相邻两点间隔天数，1-366（默认 7）", "days between points, 1-366 (default 7)"),
})


def add_as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", dest="as_of", type=date_arg, metavar="DATE", help=helps("analytics", p)("as_of"))


def board(args, ws):
    """(PlanData, the day it is computed for): the committed plan as of --as-of, else the work tree today."""
    when = getattr(args, "as_of", None)
    if when is not None:
        from ..asof import load_as_of

        return load_as_of(ws, when), when
    return ws.load(), date.today()


def board_last_changes(ws, args, on: date):
    if getattr(args, "as_of", None) is not None:
        from ..asof import last_changes_as_of

        return last_changes_as_of(ws, on)
    from ..lastchange import last_changes

    return last_changes(ws)


def light_text(name: str, lang: str, fmt: str = "table"):
    label = light_label(name, lang)
    if fmt == "table" and is_tty():
        from rich.text import Text  # rich where it is used: `tracker list` piped never loads it

        return Text(f"{LIGHT_GLYPH[name]} {label}", style=LIGHT_STYLE[name])
    return label


# -- commands -----------------------------------------------------------------------------------

def register(sub, common) -> None:
    h = helps("analytics", common)
    p = sub.add_parser("changes", parents=[common], help=h("changes"))
    p.add_argument("--since", type=date_arg, metavar="DATE", help=h("changes_since"))
    p.add_argument("--until", type=date_arg, metavar="DATE", help=h("changes_until"))
    p.add_argument("--net", action="store_true", help=h("changes_net"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("remind", parents=[common], help=h("remind"))
    add_as_of(p)
    p.add_argument("--unit", help=h("remind_unit"))
    add_format(p, "table", "json", "csv", "docx")
    p.add_argument("-o", "--output", metavar="FILE", help=h("remind_output"))
    p.set_defaults(func=cmd_remind)

    p = sub.add_parser("burnup", parents=[common], help=h("burnup"))
    p.add_argument("--from", dest="start", type=date_arg, metavar="DATE", help=h("burnup_from"))
    add_as_of(p)
    p.add_argument("--step", type=int_arg(1, 366), default=7, help=h("burnup_step"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_burnup)


def _value(fieldname: str, v, lang: str) -> str:
    if v is None:
        return "—"
    if fieldname.endswith("status") and isinstance(v, str):
        return status_label(v, lang)
    if fieldname.endswith("progress") and isinstance(v, int):
        return f"{v}%"
    if isinstance(v, list):
        return "、".join(map(str, v))
    return str(v) if str(v) != "" else "—"


def cmd_changes(args) -> int:
    ws = workspace(args)
    lang = lang_of(args, ws)
    until = args.until
    since = args.since if args.since is not None else an.default_since(ws, until or date.today())
    if until is not None and until < since:
        raise _err("until_before_since", until=until, since=since)
    rows = an.changes(ws, since, until)
    if args.net:
        nets = an.net_changes(rows)
        if args.format == "json":
            emit_json({"since": since.isoformat(), "until": until.isoformat() if until else None,
                       "changes": [n.as_json() for n in nets]})
            return 0
        emit_table([L("item", lang), L("field", lang), L("old", lang), L("new", lang), L("author", lang),
                    L("date", lang), L("times", lang)],
                   [[n.item, field_label(n.field, lang), _value(n.field, n.old, lang), _value(n.field, n.new, lang),
                     "、".join(n.authors), n.date[:16].replace("T", " "), n.count] for n in nets], fmt=args.format)
        return 0
    if args.format == "json":
        emit_json({"since": since.isoformat(), "until": until.isoformat() if until else None,
                   "changes": [c.as_json() for c in rows]})
        return 0
    if args.format == "csv":
        emit_table(["date", "author", "id", "field", "old", "new", "commit"],
                   [[c.date, c.author, c.item, c.field, "" if c.old is None else c.old,
                     "" if c.new is None else c.new, c.sha] for c in rows], fmt="csv")
        return 0
    title = f"{L('changes', lang)}: {since.isoformat()} → {until.isoformat() if until else '…'}"
    emit_table([L("date", lang), L("author", lang), L("item", lang), L("field", lang), L("old", lang),
                L("new", lang), word("commit", lang)],
               [[c.date[:16].replace("T", " "), c.author, c.item, field_label(c.field, lang),
                 _value(c.field, c.old, lang), _value(c.field, c.new, lang), c.sha[:7]] for c in rows],
               title=title if is_tty() else None, fmt=args.format,
               footer=f"{len(rows)}" if is_tty() else None)
    return 0


def cmd_remind(args) -> int:
    ws = workspace(args)
    lang = lang_of(args, ws)
    data, on = board(args, ws)
    from ..units import load_aliases

    aliases = load_aliases(ws.root)
    groups = an.reminders(data, on, board_last_changes(ws, args, on), aliases=aliases)
    if args.unit:  # 市发改委 also finds 市发展改革委: the alias table (units.yaml over the built-in one)
        key = aliases.canonical(args.unit)
        groups = {u: v for u, v in groups.items()
                  if args.unit == u or args.unit in u or key == aliases.canonical(u)
                  or any(key == aliases.canonical(r.task.lead) for r in v)}
    if args.format == "docx":
        return _send_note(ws, data, args, groups, on, lang)
    from ..ledger import returns as ledger_returns  # 台账 returned / 未按要求报送 (tracker/ledger/returns.py)
    from ..output import visible, write

    ledgers = None
    if ledger_returns.any_return(ws):
        since, until = ledger_returns.period_of(on)
        ledgers = (*ledger_returns.status(ws, data, since, until), since, until)
    review = [] if args.unit else an.awaiting_review(data)
    if args.format == "json":
        out = {"as_of": on.isoformat(),
               "units": [{"unit": u, "reminders": [r.as_json() for r in rs]} for u, rs in groups.items()],
               "awaiting_review": [{"id": t.id, "title": t.title, "lead": t.lead} for t in review]}
        if ledgers is not None:
            out["ledgers"] = {"since": ledgers[2].isoformat(), "until": ledgers[3].isoformat(),
                              "returned": [r[-1].as_json() for r in ledgers[0].values()], "missing": ledgers[1]}
        emit_json(out)
        return 0
    from rich.text import Text

    rows = []
    for unit, rs in groups.items():
        for i, r in enumerate(rs):
            if r.reason == "overdue":
                reason = L("days_over", lang, n=r.days)
            elif r.reason == "stale":
                reason = L("days_since", lang, n=r.days)
            else:
                reason = an.reason_text(r, lang)
            if args.format == "csv":
                rows.append([unit, r.task.id, r.task.title, r.reason, r.days, r.task.due.isoformat(), r.task.progress])
            else:
                style = {"overdue": "bold red", "red": "red", "due_soon": "bold blue"}.get(r.reason, "yellow")
                rows.append([unit if i == 0 or not is_tty() else "", r.task.id, r.task.title,
                             Text(reason, style=style) if is_tty() else reason,
                             r.task.due.isoformat(), f"{r.task.progress}%"])
    if args.format == "csv":
        emit_table(["unit", "id", "title", "reason", "days", "due", "progress"], rows, fmt="csv")
    else:
        emit_table([L("lead", lang), L("id", lang), L("title", lang), L("reason", lang), L("due", lang),
                    L("progress", lang)], rows,
                   title=f"{L('reminders', lang)} ({L('as_of', lang)} {on.isoformat()})" if is_tty() else None,
                   footer=f"{sum(len(v) for v in groups.values())} / {len(groups)}" if is_tty() else None)
    if review and args.format != "csv":  # the office's own turn: 申请办结, waiting for 销号 or 退回
        write("\n" + an.say("remind.review_head", lang, n=len(review)) + "\n")
        for t in review:
            write(f"  {t.id}  {t.lead}  {t.title}\n")
    if ledgers is not None and args.format != "csv":
        write("\n" + "\n".join(visible(x) for x in ledger_returns.lines(*ledgers, lang)) + "\n")
    warn_problems(data, lang)
    return 0


def _send_note(ws, data, args, groups, on, lang) -> int:
    """tracker remind --unit U --format docx -o F: the 催办单 for one unit, recorded (tracker.reminders)."""
    from pathlib import Path

    from .. import reminders as notes
    from ..i18n import say
    from ..output import write

    if not args.unit:
        raise TrackerError("a reminder note is for one unit: add --unit NAME", key="note.no_unit")
    if not args.output:
        raise TrackerError("name the file with -o FILE.docx", key="note.no_output")
    if len(groups) > 1:
        names = "、".join(groups)
        raise TrackerError(f"--unit {args.unit!r} matches {len(groups)} lead units: {names}; name one of them",
                           key="note.many_units", unit=args.unit, n=len(groups), names=names)
    if not groups:
        write(say("note.nothing", lang, unit=args.unit, on=on.isoformat()) + "\n")
        return 0
    unit, rs = next(iter(groups.items()))
    got = notes.send(ws, data, unit, rs, Path(args.output), on, lang)
    write(say("note.sent", lang, file=got["file"], number=got["number"], nth=say("note.nth", lang, n=got["nth"]),
              n=len(got["items"]), sha=got["commit"][:7]) + "\n")
    return 0


def cmd_burnup(args) -> int:
    ws = workspace(args)
    lang = lang_of(args, ws)
    if args.step < 1:
        raise _err("step", step=args.step)
    end = args.as_of or date.today()
    if args.start is None:
        info, _ = ws.load_info()
        th = an.Thresholds.from_settings(info.settings if info else {}, info.year if info else ws.year)
        start = th.start
    else:
        start = args.start
    points = an.burnup(ws, start, end, args.step)
    if args.format == "json":
        emit_json([p.as_json() for p in points])
        return 0
    headers = [L("date", lang), L("total", lang), *[light_label(k, lang) for k in LIGHTS]]
    if args.format == "csv":
        headers = ["day", "total", *LIGHTS]
    emit_table(headers, [[p.day.isoformat(), p.total, *[p.by_light[k] for k in LIGHTS]] for p in points], fmt=args.format)
    return 0
