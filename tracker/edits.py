"""Edit validation: what a person asked to change, checked before anything is touched.

`validate_changes` takes the changes of `tracker set`, the TUI or a returned ledger
({'status': 'done', 'measures.2.status': 'done', ...}) and returns them clean (a progress as an
int, a due date as a date, a text with its line ends and control characters normalised), or
raises a TrackerError naming the field, the value and what is allowed.  Which fields may be
changed, and by which rule, comes from the field table (tracker.model.TASK_TABLE: `editable`,
`kind`); a new editable field of a known kind needs no code here.

Every error carries a label-book key ("edit.*", registered below) and its arguments, so the
Chinese UI shows the details in Chinese (`err.text("zh")`); `str(err)` is the English text.

`apply_task_changes` writes clean changes into a task's round-trip tree (the ruamel path of a
save, when the line edit of tracker/lineedit.py steps aside).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from .i18n import book, say
from .model import EDITABLE_FIELDS, FIELD, STATUSES, TrackerError
from .yamlio import text_scalar

EDIT_WORDS = book("edit", {
    # a change asked for (tracker set, the TUI, a ledger): {field} is the key, {field.zh} its Chinese label
    "measure_only_status": ("{field}：措施只能修改状态（measures.N.status）",
                            "{field}: only a measure's status can be set (measures.N.status)"),
    "not_settable": ("{field}：不是可修改的字段（可修改：{settable}）",
                     "{field}: not a field that can be set (settable: {settable})"),
    "not_status": ("{field.zh}：{value!r} 不是状态；可选：{allowed}（未启动、推进中、已完成、受阻）",
                   "{field}: {value!r} is not a status; allowed: {allowed} (未启动, 推进中, 已完成, 受阻)"),
    "not_whole": ("{field.zh}：{value!r} 不是整数；允许 {lo} 到 {hi}",
                  "{field}: {value!r} is not a whole number; allowed: {lo} to {hi}"),
    "out_of_range": ("{field.zh}：{value} 超出范围；允许 {lo} 到 {hi}",
                     "{field}: {value} is out of range; allowed: {lo} to {hi}"),
    "not_date": ("{field.zh}：{value!r} 不是日期；请用 YYYY-MM-DD 格式，例如 2020-12-31",
                 "{field}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2020-12-31"),
    "not_text": ("{field.zh}：必须是文字", "{field}: must be text"),
    "no_measure": ("任务 {tid} 没有措施 {num}（现有：{have}）", "task {tid} has no measure {num} (it has: {have})"),
    "no_measures": ("任务 {tid} 没有措施 {num}（它没有任何措施）", "task {tid} has no measure {num} (it has: none)"),
    "not_period": ("期间：{period!r} 不是期间（月份用 2020-09，季度用 2020-Q3，半年用 2020-H1，全年用 2020）",
                   "period: {period!r} is not a period (use 2020-09 for a month, 2020-Q3 for a quarter, "
                   "2020-H1 or 2020)"),
    # a value typed into a dialog (parse_typed): the English texts are tracker.inputs' own
    "typed_digit": ("{value!r} 含有数字 {ch!r}（{name}）；请输入 0-9 的数字",
                    "{value!r} contains the digit {ch!r} ({name}); type the digits 0-9"),
    "typed_not_whole": ("{value!r} 不是整数；允许 {lo} 到 {hi}", "{value!r} is not a whole number; allowed: {lo} to {hi}"),
    "typed_out_of_range": ("{value} 超出范围；允许 {lo} 到 {hi}", "{value} is out of range; allowed: {lo} to {hi}"),
    "typed_not_date": ("{value!r} 不是日期；请用 YYYY-MM-DD 格式，例如 2020-10-31",
                       "{value!r} is not a date; use YYYY-MM-DD, e.g. 2020-10-31"),
    "typed_no_such_day": ("{value!r} 不是日期（日历上没有这一天）；请用 YYYY-MM-DD 格式，例如 2020-10-31",
                          "{value!r} is not a date (no such day in the calendar); use YYYY-MM-DD, e.g. 2020-10-31"),
    "typed_date_range": ("{value!r} 超出范围；日期须在 {lo} 至 {hi} 之间", "{value!r} is out of range; a date from {lo} to {hi}"),
})


class FieldName(str):
    """A changed field's key ('progress', 'measures.2.status') as an error argument: `{field}` in a
    text is the key, `{field.zh}` its Chinese label (进度, 措施2 状态), so both languages of an entry
    take the same arguments."""

    @property
    def zh(self) -> str:
        from .commitmsg import field_label

        return field_label(str(self), "zh")


def _raise(entry: str, **args: Any) -> None:
    """Raise the book entry `edit.<entry>`: its English text is str(err), as it always was."""
    if isinstance(args.get("field"), str):
        args["field"] = FieldName(args["field"])
    raise TrackerError.keyed(f"edit.{entry}", **args)


# -- the rules, by field kind (tracker.model.FieldSpec.kind) ---------------------------------------
def _status(key: str, value: Any) -> Any:
    if value not in STATUSES:
        _raise("not_status", field=key, value=value, allowed=tuple(STATUSES))
    return value


def _percent(key: str, value: Any) -> Any:
    try:
        ivalue = int(str(value).strip().rstrip("%"))
    except ValueError:
        _raise("not_whole", field=key, value=value, lo=0, hi=100)
    if not 0 <= ivalue <= 100:
        _raise("out_of_range", field=key, value=ivalue, lo=0, hi=100)
    return ivalue


def _date(key: str, value: Any) -> Any:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        _raise("not_date", field=key, value=value)


def _text(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        _raise("not_text", field=key)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and not 0x7f <= ord(ch) <= 0x9f))
    return value.rstrip()


def _line(key: str, value: Any) -> Any:
    return " ".join(_text(key, value).split("\n")).strip()


#: the edit rule of each kind of editable field
RULES: dict[str, Callable[[str, Any], Any]] = {
    "status": _status, "percent": _percent, "date": _date, "text": _text, "line": _line,
}


_TYPED_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_typed(key: str, text: str) -> Any:
    """A value typed into a TUI dialog for the field `key` (a percent or a date), read as
    tracker.inputs reads it (parse_int / parse_date: full-width digits normalised, other scripts'
    digits and ISO week dates refused; the same values and English texts, a differential test holds
    them together), refused with a book key so the dialog explains in the user's language."""
    import unicodedata

    from .inputs import MAX_DATE, MIN_DATE, InputError, normalise

    def typed(entry: str, **args: Any) -> None:
        raise TrackerError(say(f"edit.typed_{entry}", "en", **args), key=f"edit.typed_{entry}", **args)

    try:
        s = normalise(text)
    except InputError:
        ch = next(c for c in str(text).translate({0xFF10 + i: 48 + i for i in range(10)})
                  if c.isdigit() and not "0" <= c <= "9")
        typed("digit", value=text, ch=ch, name=unicodedata.name(ch, f"U+{ord(ch):04X}"))
    if FIELD[key].kind == "percent":
        s = s.rstrip("%").strip()
        if not re.fullmatch(r"[+-]?\d+", s, re.ASCII):
            typed("not_whole", value=text, lo=0, hi=100)
        n = int(s)
        if not 0 <= n <= 100:
            typed("out_of_range", value=n, lo=0, hi=100)
        return n
    m = _TYPED_DATE.fullmatch(s)
    if not m:
        typed("not_date", value=text)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        typed("no_such_day", value=text)
    if not MIN_DATE <= d <= MAX_DATE:
        typed("date_range", value=text, lo=MIN_DATE.isoformat(), hi=MAX_DATE.isoformat())
    return d


def validate_changes(changes: dict[str, Any], tid: str) -> dict[str, Any]:
    """Check every requested value before anything is touched; messages name field and allowed values."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key.startswith("measures."):
            parts = key.split(".")
            if len(parts) != 3 or not parts[1].isdigit() or parts[2] != "status":
                _raise("measure_only_status", field=key)
            out[key] = _status(key, value)
            continue
        if key not in EDITABLE_FIELDS:
            _raise("not_settable", field=key, settable=tuple(EDITABLE_FIELDS))
        out[key] = RULES[FIELD[key].kind](key, value)
    return out


def apply_task_changes(tree: Any, clean: dict[str, Any], tid: str) -> None:
    """Validated changes applied to a task's round-trip tree (ruamel): what a save writes when the
    line edit (tracker/lineedit.py) steps aside."""
    for key, value in clean.items():
        if key.startswith("measures."):
            _, num, fld = key.split(".")
            for m in tree.get("measures") or []:
                if m.get("number") == int(num):
                    if m.get(fld) != value:
                        m[fld] = value
                    break
            else:
                have = [str(m.get("number")) for m in tree.get("measures") or []]
                _raise("no_measure" if have else "no_measures", tid=tid, num=num, have=have)
        elif tree.get(key) != value:
            plain = key in FIELD and FIELD[key].kind == "status"  # a status is a bare word, never a block
            tree[key] = text_scalar(value) if isinstance(value, str) and not plain else value


def validate_period(period: str) -> str:
    period = str(period).strip()
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?", period):
        _raise("not_period", period=period)
    return period
