"""tracker/yamlsimple.py against PyYAML: the fast parser answers exactly PyYAML's value, or steps aside.

Texts are built from tracker's own layout with hostile pieces mixed in (quotes, colons, hashes,
numbers-that-are-not, dates that do not exist, odd indents, block scalars, Unicode line breaks),
so most examples sit right at the edge of the subset the fast parser accepts.
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.yamlio import YamlError, _fast_yaml, fast_load
from tracker.yamlsimple import FALLBACK, parse

REPO = Path(__file__).resolve().parents[1]


def same(a, b) -> bool:
    """Equal with equal types all the way down (1, 1.0 and True are not the same value)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def check(text: str) -> object:
    got = parse(text)
    try:
        want = _fast_yaml(text)
    except Exception as exc:  # noqa: BLE001 - PyYAML refuses it: the fast parser must step aside
        assert got is FALLBACK, f"accepted what PyYAML refuses ({exc!r}):\n{text}"
        return FALLBACK
    if got is not FALLBACK:
        assert same(got, want), f"{got!r} != {want!r} for:\n{text}"
    return got


PIECES = ["", "a", "任务", "'", "''", '"', "#", " #", ":", ": ", " ", "  ", "-", "- ", "|", "|-", "|+", ">",
          "0", "1", "07", "1_000", "0x1f", "1.5", ".5", "1e3", "1.0e+3", "-2", "+3", "~", "null", "Null", "true",
          "True", "yes", "no", "on", "off", "2020-12-31", "2020-02-30", "2020-1-5", "2020-10", "2020-12-31 10:00",
          "1:30", "<<", "=", "[", "]", "[]", "{}", "{", ",", "&a", "*a", "!!str", "!x", "%", "@", "`", "?", "\\",
          "\t", "\r", "\u2028", "\x85", "\ufeff", "\x1b", "·", "（环科园）", ".inf", ".nan", "-.inf", "0o7", "0b1"]
scalar_text = st.lists(st.sampled_from(PIECES), min_size=0, max_size=4).map("".join)
keys = st.sampled_from(["number", "title", "note", "status", "units", "measures", "text", "null", "true", "a b",
                        "progress", "x", "y", "on", "'q'", "due", "k1", "_k"])


def quoted(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


value_line = st.one_of(scalar_text, scalar_text.map(quoted), st.just("[]"), st.just("{}"))


@st.composite
def documents(draw) -> str:
    """A task-like document: top-level keys, a list of scalars, a list of mappings, a literal block."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(keys)
        shape = draw(st.sampled_from(["scalar", "scalar", "list", "maps", "block", "empty"]))
        if shape == "scalar":
            out.append(f"{key}: {draw(value_line)}")
        elif shape == "empty":
            out.append(f"{key}:")
        elif shape == "list":
            out.append(f"{key}:")
            ind = draw(st.sampled_from(["  ", "  ", "", "    ", " "]))
            for _ in range(draw(st.integers(0, 3))):
                out.append(f"{ind}- {draw(value_line)}")
        elif shape == "maps":
            out.append(f"{key}:")
            ind = draw(st.sampled_from(["  ", "  ", ""]))
            for _ in range(draw(st.integers(0, 3))):
                sub = [f"{draw(keys)}: {draw(value_line)}" for _ in range(draw(st.integers(1, 3)))]
                cont = draw(st.sampled_from(["  ", "  ", "   ", " "]))
                out.append(f"{ind}- {sub[0]}")
                out.extend(f"{ind}{cont}{s}" for s in sub[1:])
        else:
            out.append(f"{key}: {draw(st.sampled_from(['|-', '|', '|+', '>-', '|2-']))}")
            ind = draw(st.sampled_from(["  ", "  ", "    "]))
            for _ in range(draw(st.integers(0, 3))):
                line = draw(scalar_text)
                extra = draw(st.sampled_from(["", "", " ", "  "]))
                out.append(f"{ind}{extra}{line}" if line or draw(st.booleans()) else draw(st.sampled_from(["", " ", "    "])))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(out)))
        out.insert(at, draw(st.sampled_from(["# comment", "  # 注释", "", "   ", "---", "..."])))
    return "\n".join(out) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_parser_agrees_with_pyyaml_or_steps_aside(text):
    check(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-' \n#|\"[]{}0.1\t")), max_size=40))
def test_fast_parser_on_shapeless_text(text):
    check(text)


def test_every_bundled_plan_file_takes_the_fast_path_with_pyyamls_values():
    files = sorted((REPO / "plan").rglob("*.yaml"))
    assert len(files) >= 70
    for f in files:
        assert check(f.read_text("utf-8")) is not FALLBACK, f


@pytest.mark.parametrize("text, value", [
    ("note: |-\n  第一行\n\n  第三行：完成\n  # 不是注释\nstatus: done\n",
     {"note": "第一行\n\n第三行：完成\n# 不是注释", "status": "done"}),
    ("note: |\n  a\n\n", {"note": "a\n"}),
    ("units:\n- 市水利局\n- 'a: b'\nprogress: 0\n", {"units": ["市水利局", "a: b"], "progress": 0}),
    ("due: 2020-12-31\nx: -1.5\ny: ''\nz: 'it''s'\nw:\n", {"due": date(2020, 12, 31), "x": -1.5, "y": "", "z": "it's", "w": None}),
    ("measures:\n  - number: 1\n    text: C#语言\n    status: ~\n", {"measures": [{"number": 1, "text": "C#语言", "status": None}]}),
    ("# 手工注释\nunits: # 牵头在前\n- 市水利局   # 牵头\nnote: 'a # b'  # 说明\nx: \"q\" #c\n",
     {"units": ["市水利局"], "note": "a # b", "x": "q"}),
])
def test_values_tracker_writes(text, value):
    assert same(parse(text), value)
    assert same(_fast_yaml(text), value)


@pytest.mark.parametrize("text", [
    "due: 2020-02-30\n",            # a date the calendar lacks: PyYAML's message
    "note: a\n  b\n",               # a continuation line
    "title: x: y\n",                # a colon inside a plain scalar
    "note: |-\n    a\n  b\n",       # a block less indented than its first line
    "a: 1\na: 2\n",                 # a duplicate key
    "note: 'open\n",                # an unclosed quote
    "title: \x1b[31mred\n",         # a control character
    "units:\n  - a\n   - b\n",      # an odd indent
    "progress: 07\n",               # YAML 1.1 octal
    "null: 1\n",                    # a key that is not text
    "note: 'a' b\n",                # text after a closing quote
    "note: 'a'# b\n",               # a comment needs a space before it
    "k" * 1025 + ": 1\n",            # a key longer than libyaml allows
    "progress: " + "9" * 5000 + "\n",  # more digits than Python converts: PyYAML's error, not a crash
    "".join(" " * i + "k:\n" for i in range(340)) + " " * 340 + "k: 1\n",  # nesting deeper than a plan
])
def test_the_edge_goes_to_pyyaml(text):
    assert parse(text) is FALLBACK
    try:
        want = fast_load(text, "t.yaml")
    except YamlError:
        return
    assert _fast_yaml(text) == want  # (plain ==: `same` recurses in Python, too deep for the nesting case)


def test_errors_still_name_line_and_column():
    with pytest.raises(YamlError) as err:
        fast_load("number: 1\ntitle: a: b\n", "plan/2020/tasks/01.yaml")
    assert err.value.path == "plan/2020/tasks/01.yaml" and err.value.line == 2


def test_every_file_the_benchmark_generator_writes_takes_the_fast_path():
    """bench/gen_plan.py writes the files the speed figures are measured on (tracker's own layout,
    every template's shape, several updates each): all of them in the subset, with PyYAML's values."""
    import random
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        import gen_plan
    finally:
        sys.path.remove(str(REPO / "bench"))
    tmpls, units, _ = gen_plan._templates()
    rng = random.Random(11)
    n = 0
    for number in range(1, 400):
        t = gen_plan.make_task(rng, number, tmpls[number % len(tmpls)], units, 2020)
        for _ in range(rng.randint(0, 6)):
            gen_plan.mutate(rng, t)
        assert check(gen_plan.emit_task(t)) is not FALLBACK, number
        n += 1
    assert n == 399


@pytest.mark.parametrize("text, value", [
    ("title:   三个空格\nnote:  'a'\n", {"title": "三个空格", "note": "a"}),
    ("title: # 说明在下\n  - a\nnote: x\n", {"title": ["a"], "note": "x"}),
    ("title: #\nnote: x\n", {"title": None, "note": "x"}),
    ("title: a:b\nnote: x #y\n", {"title": "a:b", "note": "x"}),
    ("title:\nnote: |-\n  a\n", {"title": None, "note": "a"}),
])
def test_keys_seen_before_take_the_quick_split(text, value):
    """A key the parser has met before is split at its colon without the key regex: the same values."""
    parse("title: a\nnote: b\n")  # both keys are known from here on
    assert same(parse(text), value)
    assert same(_fast_yaml(text), value)


@pytest.mark.parametrize("text", [
    "title:x\n",               # no space after the colon: one plain scalar, not a mapping
    "title:\tx\n",             # a tab
    "title: a\ntitle:b\n",
    "title : a\n",             # a space before the colon
    "title\n",                 # no colon at all: one plain scalar (found by the shapeless-text test, "\na")
    "\ntitle\n",
    "note: x\ntitle\n",
])
def test_keys_seen_before_still_step_aside_at_the_edge(text):
    parse("title: a\nnote: b\n")
    check(text)
    assert parse(text) is FALLBACK
