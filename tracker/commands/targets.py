"""tracker targets / actual: the overall targets (综合目标) and their indicators."""
from __future__ import annotations

from ..i18n import book, say, told, word
from ..inputs import arg_int
from ..model import TrackerError, fmt_num
from ..output import emit_json, emit_table, visible, write
from ._common import add_format, helps, lang_of, warn_problems, workspace
from .analytics import add_as_of, board


#: refusals of tracker actual (str(err) English, err.text(lang) the user's language)
_ERRORS = book("actual_cmd", {
    "no_change": ("没有变化，未提交", "no change; nothing committed"),
    "no_target": ("没有综合目标 {number}（计划共有 {count} 项）", "no overall target {number} (the plan has {count})"),
    "which_indicator": ("综合目标 {number} 有 {count} 项指标，请用 --indicator 指定其一（{names}）",
                        "target {number} has {count} indicators; name one with --indicator ({names})"),
    "no_indicator": ("--indicator：综合目标 {number} 没有指标 {name!r}（现有：{names}）",
                     "--indicator: target {number} has no indicator {name!r} (it has: {names})"),
    "delete_alone": ("--delete 删除 --period 的实际值，不能同时给出 --value 或 --assessment",
                     "--delete removes the actual of --period; give no --value or --assessment with it"),
    "needs_value": ("需要 --value（或用 --delete 删除 --period 的实际值）",
                    "--value is required (or --delete to remove the actual of --period)"),
    "needs_assessment": ("--assessment：{name} 为定性指标，请说明 {value!r} 是否达到："
                         "--assessment 达标|未达标|无法判断（met|not_met|unclear）",
                         "--assessment: {name} is qualitative; say whether {value!r} meets it: "
                         "--assessment 达标|未达标|无法判断 (met|not_met|unclear)"),
    "no_assessment": ("--assessment：{name} 为定量指标，是否达到由数值决定",
                      "--assessment: {name} is quantitative; whether it is met follows from the number"),
    "bad_value": ("--value：{why}", "--value: {why_en}"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `actual_cmd.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"actual_cmd.{entry}", **args)


HELP = book("help.targets", {
    "targets": ("总体目标及其指标和最新实际值", "the overall targets with their indicators and latest actuals"),
    "actual": ("记录某指标某期间的实际值：一次提交", "record an indicator's actual value for a period: one commit"),
    "target": ("目标序号（1-10）", "target number (1-10)"),
    "indicator": ("指标名称（默认：该目标唯一的指标）", "indicator name (default: the target's only indicator)"),
    "period": ("2020-09、2020-Q3、2020-H1 或 2020", "2020-09, 2020-Q3, 2020-H1 or 2020"),
    "value": ("实际值：数字；定性指标为文字（基本同步）",
              "the actual value: a number; text for a qualitative indicator (基本同步)"),
    "assessment": ("定性实际值的评价：达标|未达标|无法判断（met|not_met|unclear）",
                   "a qualitative actual's assessment: 达标|未达标|无法判断 (met|not_met|unclear)"),
    "note": ("对该值的说明", "a note on the value"),
    "delete": ("删除 --period 的实际值（录错的）：一次提交", "remove the actual of --period (a mis-entered one): one commit"),
})


def register(sub, common) -> None:
    h = helps("targets", common)
    p = sub.add_parser("targets", parents=[common], help=h("targets"))
    add_as_of(p)
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("actual", parents=[common], help=h("actual"))
    p.add_argument("target", type=arg_int(1, 999), help=h("target"))
    p.add_argument("--indicator", help=h("indicator"))
    p.add_argument("--period", required=True, help=h("period"))
    p.add_argument("--value", help=h("value"))
    p.add_argument("--assessment", help=h("assessment"))
    p.add_argument("--note", default="", help=h("note"))
    p.add_argument("--delete", action="store_true", help=h("delete"))
    p.set_defaults(func=cmd_actual)


def cmd_targets(args) -> int:
    ws = workspace(args)
    data, _ = board(args, ws)
    lang = lang_of(args, ws)
    if args.format == "json":
        emit_json([t.as_json() for t in data.targets])
        return 0
    rows = []
    for t in data.targets:
        for i, ind in enumerate(t.indicators):
            latest = ind.latest()
            target = ind.target_text() if ind.comparator != "qualitative" else word("qualitative", lang)
            rows.append([t.number if i == 0 else "", ind.name, target,
                         f"{fmt_num(latest.value)} ({latest.period})" if latest else "—",
                         t.lead if i == 0 else ""])
    emit_table([word("id", lang), word("indicator", lang), word("target", lang), word("latest", lang), word("lead_unit", lang)],
               rows, fmt=args.format)
    warn_problems(data, lang)
    return 0


def cmd_actual(args) -> int:
    ws = workspace(args)
    data = ws.load()
    target = data.target(args.target)
    if target is None:
        raise _err("no_target", number=args.target, count=len(data.targets))
    name = args.indicator
    if name is None:
        quantitative = [i for i in target.indicators]
        if len(quantitative) != 1:
            names = [i.name for i in target.indicators]
            raise _err("which_indicator", number=target.number, count=len(quantitative), names=names)
        name = quantitative[0].name
    from .. import actuals
    from ..inputs import InputError, parse_number
    from ..model import assessment_key

    ind = next((i for i in target.indicators if i.name == name), None)
    if ind is None:
        names = [i.name for i in target.indicators]
        raise _err("no_indicator", number=target.number, name=name, names=names)
    if args.delete:
        if args.value is not None or args.assessment is not None:
            raise _err("delete_alone")
        result = actuals.delete_actual(ws, target.number, name, args.period)
    elif args.value is None:
        raise _err("needs_value")
    elif ind.comparator == "qualitative":
        verdict = assessment_key(args.assessment) if args.assessment is not None else None
        if verdict is None:
            raise _err("needs_assessment", name=name, value=args.value)
        result = actuals.record_qualitative(ws, target.number, name, args.period, args.value, verdict, args.note)
    else:
        if args.assessment is not None:
            raise _err("no_assessment", name=name)
        try:
            value = parse_number(args.value)
        except InputError as exc:
            raise _err("bad_value", why=told(exc, "zh"), why_en=str(exc)) from None
        result = ws.record_actual(target.number, name, args.period, value, args.note)
    if result is None:
        write(say("actual_cmd.no_change", lang_of(args, ws)) + "\n")
    else:
        write(f"[{result.short}] {visible(result.message.splitlines()[0])}\n")
    return 0
