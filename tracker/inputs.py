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

import math
import re
import unicodedata
from datetime import date
from pathlib import Path

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)
#: the largest input file read whole (a notice is ~100 KB; a task file a few KB)
MAX_INPUT_BYTES = 16 * 1024 * 1024

_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({0xFF0D: ord("-"), 0xFF0E: ord("."), 0xFF0B: ord("+"), 0xFF05: ord("%"),
                   0x3000: ord(" "), 0x2212: ord("-")})
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


class InputError(ValueError):
    """A value a person typed that is not what the field takes; the text says what is allowed."""


def normalise(value: str) -> str:
    """Full-width digits, signs and spaces to ASCII; refuses other scripts' digits."""
    s = str(value).translate(_FULLWIDTH).strip()
    for ch in s:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            raise InputError(f"{value!r} contains the digit {ch!r} ({name}); type the digits 0-9")
    return s


def date_range_text() -> str:
    return f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def check_date_range(d: date, value: object = None) -> date:
    if not MIN_DATE <= d <= MAX_DATE:
        shown = value if value is not None else d.isoformat()
        raise InputError(f"{shown!r} is out of range; a date from {date_range_text()}")
    return d


def parse_date(value: str) -> date:
    """A calendar date YYYY-MM-DD in the sane range (full-width digits accepted)."""
    s = normalise(value)
    m = _DATE_RE.fullmatch(s)
    if not m:
        raise InputError(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2020-10-31")
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(f"{value!r} is not a date (no such day in the calendar); use YYYY-MM-DD, e.g. 2020-10-31") from None
    return check_date_range(d, value)


def parse_int(value: str, lo: int, hi: int) -> int:
    """A whole number from lo to hi (full-width digits accepted; a trailing % ignored)."""
    s = normalise(value).rstrip("%").strip()
    if not re.fullmatch(r"[+-]?\d+", s, re.ASCII):
        raise InputError(f"{value!r} is not a whole number; allowed: {lo} to {hi}")
    n = int(s)
    if not lo <= n <= hi:
        raise InputError(f"{n} is out of range; allowed: {lo} to {hi}")
    return n


def parse_number(value: str) -> int | float:
    """A finite number (an int when whole); refuses nan, inf and overflowing exponents."""
    s = normalise(value).replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s, re.ASCII):
        raise InputError(f"{value!r} is not a number")
    x = float(s)
    if not math.isfinite(x) or abs(x) > 1e15:
        raise InputError(f"{value!r} is out of range; a number below 10^15")
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
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p} is not a regular file (a device or pipe); give a text file")
    if st.st_size > limit:
        raise InputError(f"{p} is {st.st_size} bytes; files larger than {limit // (1024 * 1024)} MB are refused")
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    if len(data) > limit:
        raise InputError(f"{p} is larger than {limit // (1024 * 1024)} MB; refused")
    return data


# -- argparse types: argparse names the option in its error ("argument --due: ...") and exits 2 --

def arg_date(value: str) -> date:
    import argparse

    try:
        return parse_date(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def arg_int(lo: int, hi: int):
    """An argparse type: a whole number from lo to hi."""
    def parse(value: str) -> int:
        import argparse

        try:
            return parse_int(value, lo, hi)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = "whole number"
    return parse


def arg_number(value: str) -> int | float:
    import argparse

    try:
        return parse_number(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
