"""What a person may type where the program expects a date, a number or a file: checked strictly.

Python's own parsers are generous in ways an office does not want: `date.fromisoformat` takes ISO
week dates (`2020-W01` is 2019-12-30) and `20200101`; `int()`/`float()` take the digits of every
script (Arabic-Indic `٥٠`) and `nan`, `inf`, `1e309`.  Here:

* full-width digits and signs (`５０`, `２０２０－１０－３１`, which Chinese input methods type) are
  accepted on purpose and normalised to ASCII; digits of other scripts are refused;
* a date is `YYYY-MM-DD` (a calendar date) between 2000-01-01 and 2099-12-31;
* a number is finite;
* a file read as input is read up to a size limit (`read_capped`), so `/dev/zero` cannot fill memory.

Used by the CLI, the TUI dialogs and the file validation (tracker/schema.py), so all three agree.
"""
from __future__ import annotations

import argparse
import math
import re
import unicodedata
from datetime import date
from pathlib import Path

from .i18n import book, os_words, say

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)
#: the largest input file read whole (a notice is ~100 KB; a task file a few KB)
MAX_INPUT_BYTES = 16 * 1024 * 1024

_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({0xFF0D: ord("-"), 0xFF0E: ord("."), 0xFF0B: ord("+"), 0xFF05: ord("%"),
                   0x3000: ord(" "), 0x2212: ord("-")})
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


INPUT_WORDS = book("input", {
    "digit": ("{value!r} 含有数字 {ch!r}（{name}）；请输入 0-9 的数字", "{value!r} contains the digit {ch!r} ({name}); type the digits 0-9"),
    "date_range": ("{shown!r} 超出范围；日期须在 {lo} 至 {hi} 之间", "{shown!r} is out of range; a date from {lo} to {hi}"),
    "not_date": ("{value!r} 不是日期；请用 YYYY-MM-DD 格式，例如 2020-10-31", "{value!r} is not a date; use YYYY-MM-DD, e.g. 2020-10-31"),
    "no_such_day": ("{value!r} 不是日期（日历上没有这一天）；请用 YYYY-MM-DD 格式，例如 2020-10-31",
                    "{value!r} is not a date (no such day in the calendar); use YYYY-MM-DD, e.g. 2020-10-31"),
    "not_whole": ("{value!r} 不是整数；允许 {lo} 到 {hi}", "{value!r} is not a whole number; allowed: {lo} to {hi}"),
    "out_of_range": ("{n} 超出范围；允许 {lo} 到 {hi}", "{n} is out of range; allowed: {lo} to {hi}"),
    "not_number": ("{value!r} 不是数字", "{value!r} is not a number"),
    "too_large": ("{value!r} 超出范围；数字须小于 10^15", "{value!r} is out of range; a number below 10^15"),
    "cannot_read": ("无法读取 {p}：{error}", "cannot read {p}: {error}"),
    "folder": ("{p} 是文件夹，不是文件", "{p} is a folder, not a file"),
    "not_regular": ("{p} 不是普通文件（设备或管道）；请给出文本文件", "{p} is not a regular file (a device or pipe); give a text file"),
    "too_big": ("{p} 有 {size} 字节；超过 {mb} MB 的文件不予读取", "{p} is {size} bytes; files larger than {mb} MB are refused"),
    "grew_too_big": ("{p} 超过 {mb} MB；不予读取", "{p} is larger than {mb} MB; refused"),
    "not_status": ("{value!r} 不是状态；可选：{allowed}", "{value!r} is not a status; allowed: {allowed}"),
})


class InputError(ValueError):
    """A value a person typed that is not what the field takes; the text says what is allowed.

    Like TrackerError: str() is the English text (argparse, logs, tests), `.text(lang)` the user's
    language when raised with a book `key` and its arguments (`bad()` makes one of an "input" entry)."""

    def __init__(self, message: str = "", *, key: str | None = None, **args) -> None:
        super().__init__(message)
        self.key = key
        self.args_ = args

    def text(self, lang: str | None = "zh") -> str:
        return str(self) if self.key is None else say(self.key, lang, **self.args_)


def bad(entry: str, **args) -> InputError:
    """The book entry `input.<entry>` as an InputError: str() English, .text(lang) the user's."""
    return InputError(say(f"input.{entry}", "en", **args), key=f"input.{entry}", **args)


class KeyedTypeError(argparse.ArgumentTypeError):
    """argparse's type error that still knows its words in both languages: argparse prints str()
    (English); tracker's parser (tracker/cli.py) prints `.text(lang)` instead."""

    def __init__(self, error) -> None:
        super().__init__(str(error))
        self.error = error

    def text(self, lang: str | None = "zh") -> str:
        return self.error.text(lang)


def normalise(value: str) -> str:
    """Full-width digits, signs and spaces to ASCII; refuses other scripts' digits."""
    s = str(value).translate(_FULLWIDTH).strip()
    for ch in s:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            raise bad("digit", value=value, ch=ch, name=name)
    return s


def date_range_text() -> str:
    return f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def check_date_range(d: date, value: object = None) -> date:
    if not MIN_DATE <= d <= MAX_DATE:
        shown = value if value is not None else d.isoformat()
        raise bad("date_range", shown=shown, lo=MIN_DATE.isoformat(), hi=MAX_DATE.isoformat())
    return d


def parse_date(value: str) -> date:
    """A calendar date YYYY-MM-DD in the sane range (full-width digits accepted)."""
    s = normalise(value)
    m = _DATE_RE.fullmatch(s)
    if not m:
        raise bad("not_date", value=value)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise bad("no_such_day", value=value) from None
    return check_date_range(d, value)


def parse_int(value: str, lo: int, hi: int) -> int:
    """A whole number from lo to hi (full-width digits accepted; a trailing % ignored)."""
    s = normalise(value).rstrip("%").strip()
    if not re.fullmatch(r"[+-]?\d+", s, re.ASCII):
        raise bad("not_whole", value=value, lo=lo, hi=hi)
    n = int(s)
    if not lo <= n <= hi:
        raise bad("out_of_range", n=n, lo=lo, hi=hi)
    return n


def parse_number(value: str) -> int | float:
    """A finite number (an int when whole); refuses nan, inf and overflowing exponents."""
    s = normalise(value).replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s, re.ASCII):
        raise bad("not_number", value=value)
    x = float(s)
    if not math.isfinite(x) or abs(x) > 1e15:
        raise bad("too_large", value=value)
    return int(x) if x.is_integer() else x


def is_finite_number(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) or (isinstance(v, float) and math.isfinite(v))


def read_capped(path: Path | str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them; refuses devices, folders and larger files."""
    import os
    import stat

    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise bad("cannot_read", p=p, error=os_words(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise bad("folder", p=p)
    if not stat.S_ISREG(st.st_mode):
        raise bad("not_regular", p=p)
    if st.st_size > limit:
        raise bad("too_big", p=p, size=st.st_size, mb=limit // (1024 * 1024))
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise bad("cannot_read", p=p, error=os_words(exc)) from None
    if len(data) > limit:
        raise bad("grew_too_big", p=p, mb=limit // (1024 * 1024))
    return data


# -- argparse types: argparse names the option in its error ("argument --due: ...") and exits 2 --

def arg_date(value: str) -> date:
    try:
        return parse_date(value)
    except InputError as exc:
        raise KeyedTypeError(exc) from None


def arg_int(lo: int, hi: int):
    """An argparse type: a whole number from lo to hi."""
    def parse(value: str) -> int:
        try:
            return parse_int(value, lo, hi)
        except InputError as exc:
            raise KeyedTypeError(exc) from None
    parse.__name__ = "whole number"
    return parse


def arg_number(value: str) -> int | float:
    try:
        return parse_number(value)
    except InputError as exc:
        raise KeyedTypeError(exc) from None
