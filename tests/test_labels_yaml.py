"""The YAML parsers' own words in Chinese (issue 11 point 3): `tracker check` on real broken files
says the commonest PyYAML/ruamel phrases in Chinese after "YAML 格式错误：", keeping file:line:col;
English stays the parser's words exactly; a phrase the table lacks is shown as written."""
from __future__ import annotations

import pytest

from tests_support import run_cli

from tracker.yamlio import YamlError, fast_load, parser_words, rt_load

#: (file, how to break it, the English line's message, words the Chinese line must have)
BROKEN = [
    ("01", ("due: 2020-12-31", "due: 2020-02-30"), "10:6: '2020-02-30' is not a date (day is out of range for month)",
     "YAML 格式错误：'2020-02-30' 不是日期（该月没有这一天）"),
    ("02", ("progress: 0\n", "progress: 0 note: x\n"), "mapping values are not allowed in this context",
     "YAML 格式错误：此处不能写“键: 值”"),
    ("03", ("note: ''", "note: 'unclosed"), "while scanning a quoted scalar found unexpected end of stream",
     "YAML 格式错误：读取带引号的文字时，文件意外结束"),
    ("04", ("note: ''", "note: *nothing"), "found undefined alias", "YAML 格式错误：出现未定义的别名"),
    ("08", ("note: ''", "note: [a, b"), "while parsing a flow sequence did not find expected ',' or ']'",
     "YAML 格式错误：读取方括号列表时，找不到应有的“,” 或 “]”"),
    ("12", ("note: ''", "note: ''\n\t- x"), "while scanning for the next token found character that cannot start any token",
     "YAML 格式错误：读取下一个记号时，出现不能开始任何记号的字符（缩进只能用空格，不能用 Tab）"),
]


@pytest.fixture
def broken(plan_repo):
    for num, (old, new), _, _ in BROKEN:
        path = plan_repo / "plan" / "2020" / "tasks" / f"{num}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan_repo


def test_check_says_the_parsers_words_in_chinese(broken):
    zh = run_cli(broken, "check", "--lang", "zh")
    en = run_cli(broken, "check", "--lang", "en")
    assert zh.returncode == en.returncode == 1, zh.stderr + en.stderr
    zh_lines, en_lines = zh.stdout.splitlines(), en.stdout.splitlines()
    for num, _, english, chinese in BROKEN:
        en_line = next(x for x in en_lines if x.startswith(f"plan/2020/tasks/{num}.yaml:"))
        zh_line = next(x for x in zh_lines if x.startswith(f"plan/2020/tasks/{num}.yaml:"))
        assert en_line.endswith(english), en_line
        where = en_line.split(": ", 1)[0]
        assert zh_line.startswith(f"{where}: {chinese}"), zh_line  # file:line:col kept
        assert "while " not in zh_line and " found " not in zh_line, zh_line


def test_the_round_trip_loaders_words_too():
    with pytest.raises(YamlError) as err:
        rt_load("a: b: c\n", "plan/2020/tasks/05.yaml")
    assert str(err.value) == "plan/2020/tasks/05.yaml:1:5: mapping values are not allowed here"
    assert err.value.text("en") == str(err.value)
    assert err.value.text("zh").startswith("plan/2020/tasks/05.yaml:1:5: YAML 格式错误：此处不能写“键: 值”")
    with pytest.raises(YamlError) as err:
        fast_load("a:\n  b: 1\n c: 2\n", "x.yaml")
    assert str(err.value) == "x.yaml:3:2: while parsing a block mapping did not find expected key"
    assert err.value.text("zh") == "x.yaml:3:2: YAML 格式错误：读取“键: 值”块时，找不到应有的键（检查缩进和括号）"
    assert parser_words("expected <block end>, but found '<block mapping start>'", "zh") == (
        "此处应为块结束，却是新的“键: 值”块（检查缩进和括号）")  # PyYAML's Python scanner's words


def test_a_phrase_not_in_the_table_is_shown_as_written():
    assert parser_words("while frobbing a widget", "zh") == "while frobbing a widget"
    assert parser_words("found something odd", "zh") == "found something odd"
    assert parser_words("could not find expected ':'", "en") == "could not find expected ':'"
    assert parser_words("found undefined alias 'x'", "zh") == "出现未定义的别名 'x'（以 * 开头的文字须加引号）"
