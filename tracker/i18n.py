"""Labels in Chinese and English: the label book.

Data is always shown as written; only the tool's own words are translated.  Every word the tool
says is a book entry "area.key" -> (zh, en), the two languages side by side so that a missing
translation is visible in review (tests/test_labels_book.py checks that both are there and
that their {fields} agree).  Each area keeps its entries where they read best (this module: status,
field, comparator, word, sep; screens/labels.py the TUI's; report/labels.py the bulletin's; sync.py
sync's; ...) and registers them with `book()`; `say()` is the one lookup.  Outside the book
modules no code chooses text by comparing the language: it says a key.  Layout that differs by
language ("、" vs ", ", full-width brackets) is a book entry too (area "sep", see `join()`); a
text that comes as its own (zh, en) pair, or a layout value such as a column width, goes through
`pick()`.  This module imports nothing of ours.
"""
from __future__ import annotations

import locale
import os
import re
from typing import TypeVar

T = TypeVar("T")
LANGS = ("zh", "en")

#: The label book: every key the tool says anything by, with its (zh, en) text.  Each area keeps
#: its own entries in its own module and adds them with `book()`; `say()` is the one lookup.
#: Keys are "area.name" (e.g. "error.out_of_range"); texts use str.format fields ({field}).
BOOK: dict[str, tuple[str, str]] = {}


def book(area: str, entries: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Add an area's entries under "area.<key>"; returns them unchanged (so a module can keep
    a local name for its own table).  A key defined twice with different text is an error."""
    for key, pair in entries.items():
        full = f"{area}.{key}"
        old = BOOK.get(full)
        if old is not None and old != pair:
            raise ValueError(f"label {full!r} defined twice with different text")
        BOOK[full] = pair
    return entries


def say(key: str, lang: str | None = "zh", **args) -> str:
    """The one lookup: BOOK[key] in `lang`, formatted with `args`; an unknown key shows as itself.
    A list or tuple argument is an enumeration: joined with "、" in zh and ", " in en (sep.list;
    a `Words` says its own word when empty; `Lines` go one under another), each item said in `lang`
    when it can be (told), so that a caller passes the items, never a text joined in one language.
    A Said argument (a label, a reason) is said in `lang` too."""
    pair = BOOK.get(key)
    if pair is None:
        return key
    text = pick(pair, lang)
    if not args:
        return text
    return text.format(**{k: _arg(v, lang) for k, v in args.items()})


def _arg(v, lang: str | None):
    """An argument in `lang`: a list joined (_listed), a Said said in `lang`, anything else as it is."""
    if isinstance(v, (list, tuple)):
        return _listed(v, lang)
    if isinstance(v, Said):
        return v.text(lang)
    return v


class Words(tuple):
    """An enumeration argument that says a book entry when it is empty (default "word.none":
    无/none): `say(key, lang, have=Words(names))`.  A plain list or tuple says "" when empty."""

    none: str = "word.none"

    def __new__(cls, items=(), none: str = "word.none"):
        self = super().__new__(cls, items)
        self.none = none
        return self


class Lines(tuple):
    """An argument of lines said one under another ("\n  " between them), each in the language
    when it knows its languages (a schema.Problem, a Said, a keyed error): `problems=Lines(probs)`."""


def _listed(items, lang: str | None) -> str:
    """A list argument in `lang`: each item told (a Problem or a Said in `lang`, else str()), joined."""
    if not items and isinstance(items, Words):
        return say(items.none, lang)
    texts = [told(i, lang) for i in items]
    return "\n  ".join(texts) if isinstance(items, Lines) else join(texts, lang)


def pick(pair: tuple[T, T], lang: str | None = "zh") -> T:
    """The `lang` one of a (zh, en) pair that comes in both languages already: a book entry, a
    column/key/finding that carries its own two texts, or a layout choice (a column width, a
    language's own table layout).  Code outside the book never compares the language itself."""
    return pair[1] if norm_lang(lang) == "en" else pair[0]


class Said(str):
    """Sentences the tool says, kept as book entries: str() is the English text (logs, tests, as it
    always was), `.text(lang)` the user's language.  Made of parts, each (key, args) of the book or a
    plain str (git's own words); the parts are joined as clauses ("；" / "; ").  `Said(a, b)` of two
    Saids (or None) is their parts together."""

    parts: tuple = ()

    def __new__(cls, *parts):
        flat: list = []
        for p in parts:
            if isinstance(p, Said):
                flat.extend(p.parts)
            elif isinstance(p, tuple):
                flat.append(p)
            elif p:
                flat.append(str(p))
        self = super().__new__(cls, _render(flat, "en"))
        self.parts = tuple(flat)
        return self

    def text(self, lang: str | None = "zh") -> str:
        return _render(self.parts, lang)


def _render(parts, lang: str | None) -> str:
    return say("sep.clause", lang).join(say(p[0], lang, **p[1]) if isinstance(p, tuple) else p for p in parts)


#: The operating system's commonest reasons (OSError.strerror), by errno name: the English is the
#: C library's own text, so an error's English stays what it was (see os_words).
_OS = book("oserror", {
    "ENOENT": ("文件或文件夹不存在", "No such file or directory"),
    "EACCES": ("没有权限", "Permission denied"),
    "EPERM": ("不允许该操作", "Operation not permitted"),
    "EISDIR": ("是文件夹", "Is a directory"),
    "ENOTDIR": ("不是文件夹", "Not a directory"),
    "EEXIST": ("已存在", "File exists"),
    "ENOSPC": ("磁盘空间不足", "No space left on device"),
    "EROFS": ("只读文件系统", "Read-only file system"),
    "ENAMETOOLONG": ("文件名过长", "File name too long"),
    "ELOOP": ("符号链接层数过多", "Too many levels of symbolic links"),
    "EIO": ("输入/输出错误", "Input/output error"),
})


def os_words(exc: BaseException) -> str:
    """An OSError's reason as a Said in any language (str() its strerror exactly, as before); a reason
    the book lacks, or whose English differs on this system, as the system wrote it."""
    import errno

    why = getattr(exc, "strerror", None)
    if not why:
        return str(exc)
    name = errno.errorcode.get(getattr(exc, "errno", None) or 0, "")
    pair = BOOK.get(f"oserror.{name}")
    return said(f"oserror.{name}") if pair and pair[1] == why else why


def said(key: str, **args) -> Said:
    """The book entry `key` as a Said: say() in English for str(), in any language with .text(lang)."""
    return Said((key, args))


def told(words, lang: str | None = "zh") -> str:
    """Words in `lang` when they know their languages (a Said, a TrackerError with a key), else as they are."""
    text = getattr(words, "text", None)
    return text(lang) if callable(text) else str(words)


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "zh"


def say_in(area: str, key: str, lang: str | None = "zh", **args) -> str:
    """say("area.key"), but a key the area does not have shows as the bare key (data is shown as written)."""
    full = f"{area}.{key}"
    return say(full, lang, **args) if full in BOOK else key


def table(area: str, lang: str | None = "zh") -> dict[str, str]:
    """An area's entries in one language, {key: text} (for reverse lookups and old readers)."""
    i = LANGS.index(norm_lang(lang))
    head = area + "."
    return {k[len(head):]: pair[i] for k, pair in BOOK.items() if k.startswith(head)}


def join(items, lang: str | None = "zh", sep: str = "list") -> str:
    """Join words with the language's separator: "list" 、/", ", "comma" ，/", ", "clause" ；/"; "."""
    return say(f"sep.{sep}", lang).join(items)


_STATUS = book("status", {
    "not_started": ("未启动", "not started"),
    "in_progress": ("推进中", "in progress"),
    "done": ("已完成", "done"),
    "blocked": ("受阻", "blocked"),
    "acked": ("已签收", "acknowledged"),   # the last three: the supervision cycle (tracker/cycle.py)
    "closed": ("已销号", "closed"),
    "cancelled": ("已撤销", "cancelled"),
})

_FIELDS = book("field", {
    "status": ("状态", "status"),
    "progress": ("进度", "progress"),
    "due": ("完成时限", "due"),
    "note": ("进展情况", "note"),
    "problems": ("存在问题", "problems"),
    "next_steps": ("下步打算", "next steps"),
    "title": ("标题", "title"),
    "category": ("类别", "category"),
    "units": ("责任单位", "units"),
    "measures": ("措施", "measures"),
    "number": ("编号", "number"),
    "text": ("内容", "text"),
    "indicators": ("指标", "indicators"),
    "actuals": ("实际值", "actuals"),
    "conflicts": ("冲突", "conflicts"),
    "created": ("新建", "created"),
    "deleted": ("删除", "deleted"),
    "actual_note": ("说明", "note"),
    "comparator": ("比较方式", "comparator"),
    "value": ("目标值", "target value"),
    "min": ("下限", "minimum"),
    "max": ("上限", "maximum"),
    "unit": ("单位", "unit"),
    "name": ("名称", "name"),
    "path": ("文件", "file"),
})

_COMPARATORS = book("comparator", {
    "at_least": ("不低于", "at least"),
    "at_most": ("不高于", "at most"),
    "range": ("区间", "range"),
    "qualitative": ("定性", "qualitative"),
})

_WORDS = book("word", {
    "dash": ("—", "—"),
    "measure": ("措施", "measure"),
    "and_more": ("等{n}项", "and {n} more"),
    "updated": ("更新", "updated"),
    "lead": ("牵头", "lead"),
    "co": ("配合", "co-owner"),
    "id": ("编号", "id"),
    "category": ("类别", "category"),
    "title": ("任务", "task"),
    "lead_unit": ("牵头单位", "lead unit"),
    "status": ("状态", "status"),
    "progress": ("进度", "progress"),
    "due": ("完成时限", "due"),
    "unit": ("单位", "unit"),
    "led": ("牵头任务", "leads"),
    "co_owned": ("配合任务", "co-owns"),
    "target": ("目标", "target"),
    "indicator": ("指标", "indicator"),
    "latest": ("最新实际", "latest actual"),
    "date": ("日期", "date"),
    "author": ("修改人", "author"),
    "change": ("变更", "change"),
    "commit": ("提交", "commit"),
    "total": ("合计", "total"),
    "qualitative": ("定性", "qualitative"),
    "none": ("无", "none"),
    "target_text": ("目标内容", "target"),
    "actual": ("实际值", "actual"),
    "period": ("期间", "period"),
})

#: Layout that differs by language: separators and brackets (see join()).
_SEP = book("sep", {
    "list": ("、", ", "),                # enumerations: 任务A、任务B
    "comma": ("，", ", "),               # clauses of one sentence
    "clause": ("；", "; "),              # independent parts of a summary
    "ascii_comma": (",", ", "),          # the bulletin's compact lists
    "paren": ("（{x}）", " ({x})"),       # an aside after a word
    "empty": ("（空）", "(empty)"),       # an empty value
})

#: Composite field names (see field_label).
_FIELD_PARTS = book("fieldname", {
    "measure_n": ("措施{n}", "measure {n}"),
    "actual_note": ("实际值说明", "actual note"),
    "actual_assessment": ("实际值评价", "actual assessment"),
})

#: Old readers' views ({lang: {key: text}}), derived from the book: write new entries above.
STATUS_LABELS = {lang: table("status", lang) for lang in LANGS}
FIELD_LABELS = {lang: table("field", lang) for lang in LANGS}
COMPARATOR_LABELS = {lang: table("comparator", lang) for lang in LANGS}
WORDS = {lang: table("word", lang) for lang in LANGS}


def status_label(status: str, lang: str = "zh") -> str:
    return say_in("status", status, lang)


def field_label(name: str, lang: str = "zh") -> str:
    """'measures.2.status' -> '措施2 状态'; plain names through the "field" area."""
    parts = name.split(".")
    if len(parts) == 2 and parts[0] == "measures":
        return say("fieldname.measure_n", lang, n=parts[1])
    if len(parts) == 3 and parts[0] == "measures":
        return f"{say('fieldname.measure_n', lang, n=parts[1])} {say_in('field', parts[2], lang)}"
    if name.startswith("indicators."):
        m = _ACTUAL.match(name)
        if m:
            ind, period, sub = m.groups()  # sub: None or 'value' (the actual itself), 'note'
            what = {"note": say("fieldname.actual_note", lang),
                    "assessment": say("fieldname.actual_assessment", lang)}.get(sub, say("word.actual", lang))
            return f"{ind} {period} {what}"
        ind, _, key = name[len("indicators."):].rpartition(".")
        return f"{ind} {say_in('field', key, lang)}" if ind else say("field.indicators", lang)
    return say_in("field", name, lang)


#: an actual's field: indicators.<name>.actuals.<period>[.value|.note|.assessment] (conflicts add .value)
_ACTUAL = re.compile(r"^indicators\.(.+)\.actuals\.(\d{4}(?:-[0-9A-Z]+)?)(?:\.(value|note|assessment))?$")


def word(key: str, lang: str = "zh") -> str:
    return say_in("word", key, lang)


def detect_lang(explicit: str | None = None, setting: str | None = None) -> str:
    """--lang beats TRACKER_LANG, which beats a setting, which beats the locale."""
    for choice in (explicit, os.environ.get("TRACKER_LANG"), setting):
        if choice in LANGS:
            return choice
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if not loc:
        try:
            loc = locale.getlocale()[0] or ""
        except ValueError:
            loc = ""
    return "en" if loc.lower().startswith("en") else "zh"
