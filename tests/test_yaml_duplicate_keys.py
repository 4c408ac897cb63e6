"""A key written twice in a plan file (`note:` added by hand below the one tracker wrote) is an
error at the second key, never a silently dropped value: PyYAML keeps the last of equal keys
without a word, so tracker's readers check for it (yamlio's builder and yamlloader's constructor;
ruamel, which saves the files, refuses them too).  The file is reported by `tracker check`, left
out of the list with its name said, and an edit of it is refused with the file unchanged."""
from __future__ import annotations

import pytest

from tests_support import git, run_cli

from tracker.yamlio import YamlError, fast_load, rt_load

TASK = "plan/2020/tasks/05.yaml"


@pytest.mark.parametrize("text, line", [
    ("number: 5\nnote: 甲\nprogress: 3\nnote: 乙\n", 4),                  # the builder's path
    ("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n  d: 3\n", 5),                  # a merge key: PyYAML's constructor
    ("measures:\n- number: 1\n  status: done\n  status: blocked\n", 4),  # inside a list item
    ("'note': 甲\nnote: 乙\n", 2),                                        # quoted and plain: one key
])
def test_a_duplicate_key_is_an_error_at_its_line(text, line):
    with pytest.raises(YamlError) as err:
        fast_load(text, TASK)
    assert str(err.value).startswith(f"{TASK}:{line}:") and "found duplicate key" in str(err.value)
    assert "重复出现" in err.value.text("zh")


@pytest.mark.parametrize("text", [
    "defs:\n  base: &base {a: 1}\n  mid: &mid\n    <<: *base\n    a: 2\ntop:\n  <<: *mid\n",  # a merge of a merge
    "base: &b {a: 1}\nx:\n  <<: *b\n  a: 2\n",                                  # a key of its own overrides
    "b1: &b1 {a: 1}\nb2: &b2 {a: 3}\nx:\n  <<: [*b1, *b2]\n",
    "x:\n  <<: &m {<<: {a: 1}, a: 2}\ny: *m\n",                                    # a merged mapping used again
])
def test_merge_keys_are_no_duplicates(text):
    import yaml

    assert fast_load(text, TASK) == yaml.safe_load(text)  # PyYAML's own answer, no error
    rt_load(text, TASK)  # ruamel (the saver) takes it too (a merge of a merge: it and PyYAML differ on the value)


def test_the_chinese_names_a_key_with_a_space_whole():
    with pytest.raises(YamlError) as err:
        fast_load('"my key": 1\n"my key": 2\n', TASK)
    assert '键 "my key" 重复出现' in err.value.text("zh")


def test_different_keys_that_look_alike_are_kept():
    assert fast_load('1: x\n"1": y\n', TASK) == {1: "x", "1": "y"}  # an int and a text: two keys
    assert fast_load("a: {b: 1, c: 2}\nd: [1, 2]\n", TASK) == {"a": {"b": 1, "c": 2}, "d": [1, 2]}


def test_check_list_and_set_on_a_file_with_a_key_twice(plan_repo):
    path = plan_repo / TASK
    path.write_text(path.read_text(encoding="utf-8") + "note: 手写的第二个进展\n", encoding="utf-8")
    git(plan_repo, "commit", "-qam", "a hand edit with a key twice")
    before = path.read_bytes()
    zh = run_cli(plan_repo, "check", "--lang", "zh")
    en = run_cli(plan_repo, "check", "--lang", "en")
    assert zh.returncode == en.returncode == 1
    assert f'{TASK}:' in en.stdout and 'found duplicate key "note"' in en.stdout
    assert '读取“键: 值”映射时，键 "note" 重复出现' in zh.stdout and "while " not in zh.stdout
    listed = run_cli(plan_repo, "list", "--format", "json", "--lang", "en")
    assert TASK in listed.stderr  # left out and named, not read with one of its values dropped
    edit = run_cli(plan_repo, "set", "5", "--progress", "10", "--lang", "en")
    assert edit.returncode != 0 and path.read_bytes() == before
    assert git(plan_repo, "log", "-1", "--format=%s").strip() == "a hand edit with a key twice"
