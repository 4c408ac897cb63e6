"""Reading and writing YAML: fast for reading, faithful for writing.

Reads use PyYAML's C-backed safe loader (about 18x faster than ruamel's round-trip loader and it
never builds objects from tags).  Only the one file being changed is loaded with ruamel.yaml's
round-trip loader, so that comments, key order, quoting and layout written by hand survive and a
change touches only its own lines.  Both loaders read booleans the YAML 1.2 way (only
true/false), so a note that says "yes" stays text in either.
"""
from __future__ import annotations

import io
import os
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .i18n import book, say
from .model import TrackerError

MAX_FILE_BYTES = 1_000_000  # a task file is ~2 KB; a 50 MB file is refused, not parsed


YAML_WORDS = book("yaml", {
    "invalid": ("YAML 格式错误：{detail}", "{detail}"),   # PyYAML's / ruamel's own words as the detail
    "parser": ("YAML 格式错误：{detail}", "{detail_en}"),  # those words said by PARSER_WORDS (parser_error)
    "bad": ("YAML 格式错误", "invalid YAML"),
    "too_big": ("文件有 {size} 字节，超过计划文件上限 {limit} 字节；未读取",
                "file is {size} bytes, more than the {limit} a plan file may have; not read"),
    "nul": ("文件含有 NUL 字节：不是文本文件", "file contains NUL bytes: not a text file"),
    "not_utf8": ("不是 UTF-8 文本（偏移 {offset} 处的字节 0x{byte}）；请把文件另存为 UTF-8 编码",
                 "not UTF-8 text (byte 0x{byte} at offset {offset}); save the file as UTF-8"),
    "too_deep": ("嵌套层次过深", "nested too deeply"),
    "bad_value": ("无效的值：{detail}", "invalid value: {detail}"),
    "not_regular": ("不是普通文件；未读取", "is not a regular file; not read"),
    "link_out": ("是指向仓库之外（{target}）的符号链接；未读取", "is a symbolic link to {target}, outside the repository; not read"),
    "link_git": ("是指向 git 目录（{target}）的符号链接；未读取", "is a symbolic link into the git directory ({target}); not read"),
})


class YamlError(TrackerError):
    """A file that cannot be read as YAML: names file:line:column.

    The message after the location is a book entry (`key`, "yaml.<name>", and its arguments):
    str() is `file:line:col: message` in English as it always was, `.text(lang)` keeps the location
    and says the message in `lang`.  Without a key the message is the YAML parser's own words
    (entry "yaml.invalid": the Chinese says it is a YAML format error and quotes them)."""

    def __init__(self, path: str, line: int | None, col: int | None, message: str, *, key: str | None = None, **args):
        self.path, self.line, self.col, self.problem = path, line, col, message
        self.where = path if line is None else f"{path}:{line}:{col}"
        if key is None:
            key, args = "yaml.invalid", {"detail": message}
        super().__init__(f"{self.where}: {message}", key=key, **args)

    def text(self, lang: str | None = "zh") -> str:
        return f"{self.where}: {say(self.key, lang, **self.args_)}"


#: The YAML parsers' commonest phrases (PyYAML's C and Python scanners, ruamel's), said in Chinese:
#: (pattern, entry).  A message is its context ("while parsing a flow sequence") and its problem,
#: each looked up here; a phrase not in the table is shown as the parser wrote it.
PARSER_WORDS = book("yaml_parser", {
    "while": ("读取{what}时", "while reading {what}"),
    "mapping_values": ("此处不能写“键: 值”（冒号加空格的文字须加引号，或缩进有误）",
                       "mapping values are not allowed here"),
    "no_colon": ("找不到应有的冒号“:”（键后缺少冒号，或续行文字须缩进/加引号）", "could not find expected ':'"),
    "bad_char": ("出现不能开始任何记号的字符{char}（缩进只能用空格，不能用 Tab）",
                 "found character{char} that cannot start any token"),
    "tab": ("此处应为缩进空格，却是 Tab（缩进只能用空格）", "found a tab character where an indentation space is expected"),
    "alias": ("出现未定义的别名{name}（以 * 开头的文字须加引号）", "found undefined alias{name}"),
    "expected": ("此处应为{want}，却是{got}（检查缩进和括号）", "expected {want}, but found {got}"),
    "not_found": ("找不到应有的{want}（检查缩进和括号）", "did not find expected {want}"),
    "end": ("文件意外结束（引号或括号未闭合？）", "found unexpected end of stream"),
    "escape": ("出现未知的转义字符{char}（双引号内的反斜杠须写成 \\\\，或改用单引号）",
               "found unknown escape character{char}"),
    "duplicate": ("键 {name} 重复出现", "found duplicate key {name}"),
    "not_date": ("{value} 不是日期（{why}）", "{value} is not a date ({why})"),
    "day": ("该月没有这一天", "day is out of range for month"),
    "month": ("月份须在 1 到 12 之间", "month must be in 1..12"),
})
_PARSER_THINGS = book("yaml_thing", {
    "a block mapping": ("“键: 值”块", "a block mapping"),
    "a mapping": ("“键: 值”映射", "a mapping"),
    "a block collection": ("块", "a block collection"),
    "a block node": ("块", "a block node"),
    "a flow sequence": ("方括号列表", "a flow sequence"),
    "a flow mapping": ("花括号映射", "a flow mapping"),
    "a flow node": ("括号内的值", "a flow node"),
    "a quoted scalar": ("带引号的文字", "a quoted scalar"),
    "a double-quoted scalar": ("双引号文字", "a double-quoted scalar"),
    "a single-quoted scalar": ("单引号文字", "a single-quoted scalar"),
    "a plain scalar": ("文字", "a plain scalar"),
    "a block scalar": ("多行文字块", "a block scalar"),
    "a simple key": ("键", "a simple key"),
    "an alias": ("别名", "an alias"),
    "an anchor": ("锚点", "an anchor"),
    "a tag": ("标签", "a tag"),
    "a directive": ("指令", "a directive"),
    "for the next token": ("下一个记号", "for the next token"),
    "<block end>": ("块结束", "<block end>"),
    "<stream end>": ("文件结尾", "<stream end>"),
    "<block mapping start>": ("新的“键: 值”块", "<block mapping start>"),
    "<block sequence start>": ("新的列表块", "<block sequence start>"),
    "<scalar>": ("文字", "<scalar>"),
    "<document start>": ("文档开始", "<document start>"),
    "key": ("键", "key"),
    "node content": ("值", "node content"),
    "'-' indicator": ("“-”", "'-' indicator"),
    "or": (" 或 ", " or "),
    "char": ("“{c}”", "'{c}'"),
})
_PHRASES = [(re.compile(rx, re.S), entry) for rx, entry in (
    (r"while (?:parsing|scanning|constructing) (?P<what>.+)", "while"),
    (r"mapping values are not allowed (?:here|in this context)", "mapping_values"),
    (r"could not find expected ':'", "no_colon"),
    (r"found character(?P<char> '.+')? that cannot start any token", "bad_char"),
    (r"found (?:a tab character where an indentation space is expected|a tab character that violates? indentation)", "tab"),
    (r"found undefined alias(?P<name> .+)?", "alias"),
    (r"expected (?P<want>.+?), but (?:found|got) (?P<got>.+)", "expected"),
    (r"did not find expected (?P<want>.+)", "not_found"),
    (r"found unexpected end of stream", "end"),
    (r"found unknown escape character(?P<char> .+)?", "escape"),
    (r'found duplicate key (?P<name>"[^"]*"|\S+).*', "duplicate"),
    (r"(?P<value>'.+') is not a date \((?P<why>.+)\)", "not_date"),
    (r"day is out of range for month", "day"),
    (r"month must be in 1\.\.12", "month"),
)]


def parser_words(phrase: str, lang: str | None = "zh") -> str:
    """One phrase of a YAML parser's message in `lang` (PARSER_WORDS); an unknown one as written."""
    for rx, entry in _PHRASES:
        m = rx.fullmatch(phrase.strip())
        if m:
            args = {k: _thing(v or "", lang) if k in ("what", "want", "got", "why") else (v or "")
                    for k, v in m.groupdict().items()}
            return say(f"yaml_parser.{entry}", lang, **args)
    return phrase


def _thing(word: str, lang: str | None) -> str:
    """A thing a parser phrase names ("a flow sequence", "',' or ']'", "<block end>") in `lang`."""
    if " or " in word:
        return say("yaml_thing.or", lang).join(_thing(w, lang) for w in word.split(" or "))
    w = word.strip("'")
    for k in (word, w):
        if f"yaml_thing.{k}" in _PARSER_THINGS_KEYS:
            return say(f"yaml_thing.{k}", lang)
    if word.startswith(("day ", "month ")):
        return parser_words(word, lang)
    if len(w) == 1 and word == f"'{w}'":
        return say("yaml_thing.char", lang, c=w)
    return word


_PARSER_THINGS_KEYS = {f"yaml_thing.{k}" for k in _PARSER_THINGS}


def parser_error(path: str, line: int | None, col: int | None, phrases: list) -> "YamlError":
    """The parser's message (its context and problem phrases) at path:line:col: str() its own English
    words as always, .text("zh") the phrases said in Chinese by PARSER_WORDS (unknown ones as written)."""
    parts = [str(p) for p in phrases if p]
    msg = " ".join(parts)
    if not msg:
        return yaml_error(path, line, col, "bad")
    zh = say("sep.comma", "zh").join(parser_words(p, "zh") for p in parts)
    return YamlError(path, line, col, msg, key="yaml.parser", detail=zh, detail_en=msg)


def yaml_error(path: str, line: int | None, col: int | None, entry: str, **args) -> YamlError:
    """The book entry `yaml.<entry>` as a YamlError at path:line:col (English message as before)."""
    return YamlError(path, line, col, say(f"yaml.{entry}", "en", **args), key=f"yaml.{entry}", **args)


from .yamlloader import _MAP, _MERGE, _SEQ, _STR, FastLoader  # noqa: E402 - apart, so yamlsimple needs no yamlio
from .yamlsimple import FALLBACK, parse  # noqa: E402


class _Fallback(Exception):
    """Something the fast builder leaves to PyYAML's own constructor (merge keys, tags, cycles)."""


_BUSY = object()


def _build(loader: Any, root: Any) -> Any:
    """Python objects from PyYAML's node tree: text, dicts and lists directly; every other scalar
    (numbers, dates, null, booleans) through PyYAML's SafeConstructor; anything unusual (merge
    keys, explicit tags on collections, recursive aliases, unhashable keys) raises _Fallback.
    Aliases share one object, as PyYAML's constructor does (an alias bomb stays linear)."""
    memo: dict[int, Any] = {}
    construct = loader.construct_object
    Scalar, Mapping, Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def build(n: Any) -> Any:
        cls = n.__class__
        if cls is Scalar:
            return n.value if n.tag == _STR else construct(n, deep=True)
        key = id(n)
        hit = memo.get(key)
        if hit is not None:
            if hit is _BUSY:
                raise _Fallback
            return hit
        if cls is Mapping:
            if n.tag != _MAP:
                raise _Fallback
            memo[key] = _BUSY
            d: dict = {}
            for k, v in n.value:
                if k.tag == _MERGE:
                    raise _Fallback
                kk = build(k)
                try:
                    if kk in d:  # PyYAML would keep the last silently: see yamlloader._construct_mapping
                        raise yaml.constructor.ConstructorError("while constructing a mapping", n.start_mark,
                                                                f'found duplicate key "{kk}"', k.start_mark)
                    d[kk] = build(v)
                except TypeError:  # an unhashable key: PyYAML's own message
                    raise _Fallback from None
            memo[key] = d
            return d
        if cls is Sequence:
            if n.tag != _SEQ:
                raise _Fallback
            memo[key] = _BUSY
            out = [build(x) for x in n.value]
            memo[key] = out
            return out
        raise _Fallback

    return build(root)


def _fast_yaml(text: str) -> Any:
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(loader, node)
        except _Fallback:
            return loader.construct_document(node)
    finally:
        loader.dispose()


def decode(raw: bytes, path: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise yaml_error(path, None, None, "too_big", size=f"{len(raw):,}", limit=f"{MAX_FILE_BYTES:,}")
    if b"\0" in raw:
        raise yaml_error(path, None, None, "nul")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise yaml_error(path, line, col, "not_utf8", byte=f"{raw[exc.start]:02x}", offset=exc.start) from None


def fast_load(text: str, path: str) -> Any:
    """Tracker's own subset first (yamlsimple, about 2.5x the C parser), else the C parser with a
    lean constructor (about 2x PyYAML's own); same values, same errors."""

    value = parse(text)
    if value is not FALLBACK:
        return value
    try:
        return _fast_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (None, None) if mark is None else (mark.line + 1, mark.column + 1)
        raise parser_error(path, line, col, [exc.context, exc.problem]) from None
    except yaml.YAMLError as exc:
        raise YamlError(path, None, None, str(exc), key="yaml.invalid", detail=str(exc)) from None
    except RecursionError:
        raise yaml_error(path, None, None, "too_deep") from None
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2020-02-30 that the calendar lacks
        raise yaml_error(path, None, None, "bad_value", detail=str(exc)) from None


def locate(text: str, keys: list[str | int]) -> tuple[int, int] | None:
    """1-based (line, column) of the node at `keys` ('measures', 2, 'status'), via PyYAML's composer."""
    try:
        node = yaml.compose(text, Loader=FastLoader)
    except yaml.YAMLError:
        return None
    best = node
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            for k, v in node.value:
                if k.value == key:
                    best, node = k, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = best = node.value[key]
        else:
            break
    if best is None:
        return None
    return best.start_mark.line + 1, best.start_mark.column + 1


# -- round trip -----------------------------------------------------------------------------
_local = threading.local()


def _rt():
    """One configured ruamel instance per thread (ruamel's YAML objects are not thread-safe)."""
    inst = getattr(_local, "rt", None)
    if inst is None:
        from ruamel.yaml import YAML

        inst = YAML(typ="rt")
        inst.indent(mapping=2, sequence=4, offset=2)
        inst.width = 4096
        inst.preserve_quotes = True
        inst.allow_unicode = True
        inst.representer.ignore_aliases = lambda *args: True  # never write &id001 anchors
        _local.rt = inst
    return inst


def rt_load(text: str, path: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return _rt().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise parser_error(path, line, col, [str(exc.problem or exc)]) from None
    except YAMLError as exc:
        raise YamlError(path, None, None, str(exc), key="yaml.invalid", detail=str(exc)) from None


def rt_dump(data: Any) -> str:
    buf = io.StringIO()
    _rt().dump(data, buf)
    return buf.getvalue()


_RISKY = re.compile("[\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _plain_reads_as_text(value: str) -> bool:
    """Would the fast loader (YAML 1.1 rules, 1.2 booleans) read this plain scalar as a string?
    ruamel writes YAML 1.2 and may leave `1_000` or `1:20` plain, which PyYAML reads as numbers."""
    if not value:
        return True
    resolvers = FastLoader.yaml_implicit_resolvers.get(value[0], []) + FastLoader.yaml_implicit_resolvers.get(None, [])
    return not any(rx.match(value) for tag, rx in resolvers if tag != "tag:yaml.org,2002:str")


def text_scalar(value: str) -> Any:
    """Text as a scalar both loaders read back exactly: multi-line text as a block literal
    (readable in the file and in diffs); text with tabs, carriage returns, Unicode line
    separators or other control characters double-quoted with escapes; text that a YAML 1.1
    loader would take for a number or date single-quoted; else as ruamel chooses."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

    if _RISKY.search(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        lines = value.split("\n")
        if value.endswith("\n") or value.startswith((" ", "\n")) or any(ln != ln.rstrip(" ") for ln in lines):
            return DoubleQuotedScalarString(value)  # block scalars lose or confuse edge whitespace
        return LiteralScalarString(value)
    if not _plain_reads_as_text(value):
        return SingleQuotedScalarString(value)
    return value


# -- files ----------------------------------------------------------------------------------
def fault(step: str) -> None:
    """Crash tests: `TRACKER_FAULT=<step>` kills this process (SIGKILL) when it reaches `step`.

    Does nothing unless that variable names the step; the steps of a save are listed in
    Workspace._commit_edit."""
    want = os.environ.get("TRACKER_FAULT")
    if want and want == step:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def atomic_write(path: Path, text: str, *, durable: bool = True, fault_step: str | None = None,
                 sync_dir: bool = True) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file.

    `durable` also fsyncs the file and (`sync_dir`) its folder (survives a power cut, ~1.5 ms);
    without it the write still survives the process being killed at any point.  Without
    `sync_dir` a power cut may undo the rename (the old version stays, never a torn file): what a
    save needs, since git does not fsync its commit either by default."""
    import tempfile

    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        except OSError:
            pass
        if fault_step:
            fault(fault_step)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if not durable or not sync_dir:
        return
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
