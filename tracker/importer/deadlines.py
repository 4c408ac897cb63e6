"""Deadlines as offices write them: 完成时限 values and dates inside the text.

Relative forms resolve against the plan year: 年底前/年内/全年 -> Dec 31, N月底前 -> the month's
last day, 上半年 -> Jun 30, 一季度 -> Mar 31.  `明年X月` is relative to the document's date, so a
notice dated in December about next year means the plan year.  长期/持续推进 state no deadline.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from ..notice import stated_dues

_QUARTER = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
_OPEN_ENDED = re.compile(r"长期|持续|常态|每月|每季|每年|定期")
_YMD = re.compile(r"(20\d\d)[年./-](\d{1,2})(?:[月./-](\d{1,2})日?)?")


def _end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def resolve(text: str, year: int, issued: date | None = None) -> date | None:
    """The deadline a 完成时限 value or a clause states, or None."""
    t = (text or "").strip()
    if not t:
        return None
    found: list[date] = []
    for m in _YMD.finditer(t):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            try:
                found.append(date(y, mo, int(m.group(3))) if m.group(3) else _end(y, mo))
            except ValueError:
                pass
    rest = _YMD.sub("", t)
    if m := re.search(r"明年(\d{1,2})月", rest):
        base = (issued.year + 1) if issued else year
        if 1 <= int(m.group(1)) <= 12:
            found.append(_end(base, int(m.group(1))))
        rest = rest.replace(m.group(0), "")
    if m := re.search(r"(?:第)?([一二三四1234])季度", rest):
        found.append(_end(year, _QUARTER[m.group(1)]))
    if "下半年" in rest:
        found.append(date(year, 12, 31))
    found += stated_dues(rest, year)
    if found:
        return max(found)
    if _OPEN_ENDED.search(t):
        return None
    return None
