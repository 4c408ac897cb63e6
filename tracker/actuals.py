"""Recording and removing an indicator's actual value, one commit each.

A quantitative indicator's actual is a number (Workspace.record_actual); a qualitative one's
(定性: 基本同步, 完成上级下达任务) is text with an assessment (评价: 达标 / 未达标 / 无法判断,
stored as met / not_met / unclear).  A mis-entered actual is removed with `delete_actual`.
Both go through the store's one write path (validate, write atomically, commit)."""
from __future__ import annotations

from typing import Any

from .i18n import Words, book
from .model import ASSESSMENTS, TrackerError

#: refusals of an actual (str(err) English, err.text(lang) the user's language)
book("actuals", {
    "no_target": ("没有综合目标 {number}（计划共有 {count} 项）", "no overall target {number} (the plan has {count})"),
    "no_indicator": ("综合目标 {number} 没有指标 {indicator!r}（现有：{names}）",
                     "target {number} has no indicator {indicator!r} (it has: {names})"),
    "quantitative": ("{indicator}：定量指标，其实际值是数字（--value 6.8）",
                     "{indicator}: a quantitative indicator; its actual is a number (--value 6.8)"),
    "empty_text": ("实际值：定性指标的实际值是文字，例如 基本同步；现为空",
                   "value: a qualitative actual is text, e.g. 基本同步; it is empty"),
    "bad_assessment": ("评价：{assessment!r} 不是 达标、未达标、无法判断 之一（met、not_met、unclear）",
                       "assessment: {assessment!r} is not one of 达标, 未达标, 无法判断 (met, not_met, unclear)"),
    "other_year": ("期间：{period!r} 不在 {year} 年计划内", "period: {period!r} is outside the {year} plan"),
    "no_actual": ("{indicator} 没有 {period} 的实际值（现有：{have}）；未删除任何内容",
                  "{indicator} has no actual for {period} (it has: {have}); nothing removed"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `actuals.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"actuals.{entry}", **args)


def _indicator(ws, number: int, indicator: str):
    data = ws.load()
    target = data.target(number)
    if target is None:
        raise _err("no_target", number=number, count=len(data.targets))
    for ind in target.indicators:
        if ind.name == indicator:
            return target, ind
    names = [i.name for i in target.indicators]
    raise _err("no_indicator", number=number, indicator=indicator, names=names)


def record_qualitative(ws, number: int, indicator: str, period: str, text: str, assessment: str,
                       note: str = "", *, expect: str | None = None):
    """A qualitative indicator's actual: text and an assessment (met / not_met / unclear)."""
    from .store import validate_period
    from .yamlio import text_scalar

    _, ind = _indicator(ws, number, indicator)
    if ind.comparator != "qualitative":
        raise _err("quantitative", indicator=indicator)
    text = " ".join(str(text).split())
    if not text:
        raise _err("empty_text")
    if assessment not in ASSESSMENTS:
        raise _err("bad_assessment", assessment=assessment)
    period = validate_period(period)
    if not period.startswith(str(ws.year)):
        raise _err("other_year", period=period, year=ws.year)

    def mutate(tree: Any) -> None:
        from ruamel.yaml.comments import CommentedMap

        for node in tree.get("indicators") or []:
            if node.get("name") == indicator:
                acts = node.setdefault("actuals", [])
                entry = CommentedMap([("period", period), ("value", text_scalar(text)),
                                      ("assessment", assessment), ("note", text_scalar(note))])
                for i, a in enumerate(acts):
                    if str(a.get("period")) == period:
                        if (a.get("value"), a.get("assessment"), a.get("note") or "") != (text, assessment, note):
                            acts[i] = entry
                        return
                acts.append(entry)
                return

    return _commit(ws, number, mutate, expect)


def delete_actual(ws, number: int, indicator: str, period: str, *, expect: str | None = None):
    """Remove the actual of `period` (a mis-entered one): one commit; an error when there is none."""
    from .store import validate_period

    _, ind = _indicator(ws, number, indicator)
    period = validate_period(period)
    if not any(a.period == period for a in ind.actuals):
        have = [a.period for a in ind.actuals]
        raise _err("no_actual", indicator=indicator, period=period, have=Words(have))

    def mutate(tree: Any) -> None:
        for node in tree.get("indicators") or []:
            if node.get("name") == indicator:
                acts = node.get("actuals") or []
                for i in reversed(range(len(acts))):
                    if str(acts[i].get("period")) == period:
                        del acts[i]

    return _commit(ws, number, mutate, expect)


def _commit(ws, number: int, mutate, expect):
    from .schema import check_target

    return ws._commit_edit(  # the store's one write path (lock, journal, validate, atomic write, commit)
        ws.target_path(number), mutate, expect=expect,
        subject=lambda d: (f"{ws.year}-T{number:02d}", str(d.get("text", ""))),
        check=lambda data, rel, text: check_target(data, rel, text, ws.year)[1],
        trailers={"Tracker-Target": f"{ws.year}-T{number:02d}"},
    )
