"""tracker/lineedit.py against the ruamel round trip it stands in for: the same values, only the
changed fields' lines touched (byte for byte the round trip's output on files tracker wrote), and
None (the round trip) whenever it cannot be sure."""
from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.lineedit import edit
from tracker.model import STATUSES
from tracker.store import apply_task_changes, validate_changes
from tracker.yamlio import _fast_yaml, rt_dump, rt_load

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(plan_repo):
    """The bundled 2020 plan, committed once (tests/conftest.py's plan_repo)."""
    return plan_repo
TASKS = sorted((REPO / "plan" / "2020" / "tasks").glob("*.yaml"))
HAND = """# 手工加的注释：保留
number: 5
title: 持续推进重点水利工程建设
category: 农业农村类
units:
- 市水利局   # 牵头
status: not_started
progress: 0
due: 2020-12-31
note: |-
  第一行
  第二行

problems: ''
next_steps: ''   # 稍后补充
measures:
  - number: 1
    text: 加速竺山圩退圩还湖。
    status: not_started
  -   number: 2
      text: 'a: b'
      status: in_progress
"""


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def by_ruamel(text: str, changes: dict) -> str:
    """What Workspace.update_task's round trip writes."""
    tree = rt_load(text, "t.yaml")
    apply_task_changes(tree, changes, "2020-05")
    return rt_dump(tree)


def changed_lines(a: str, b: str) -> set[int]:
    out = set()
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, a.split("\n"), b.split("\n")).get_opcodes():
        if op != "equal":
            out.update(range(i1, max(i2, i1 + 1)))
    return out


def check(text: str, changes: dict) -> str | None:
    clean = validate_changes(changes, "2020-05")
    fast = edit(text, clean)
    slow = by_ruamel(text, clean)
    if fast is None:
        return None
    assert same(_fast_yaml(fast), _fast_yaml(slow)), (fast, slow)
    # only lines of the changed fields moved: every other line is byte for byte where it was
    keys = {k.split(".")[0] for k in clean}
    old = text.split("\n")
    for i in changed_lines(text, fast):
        if i < len(old):
            owner = next((ln.split(":")[0] for ln in reversed(old[: i + 1]) if ln and ln[0] not in " -#"), None)
            assert owner in keys, f"line {i + 1} ({old[i]!r}) changed, outside {keys}"
    return fast


TEXTS = st.one_of(
    st.sampled_from(["", "完成", "已完成招标，正在施工。", "第一行\n第二行", "a: b", "#1 标段", "'引号'", "yes", "1.5",
                     "2020-12-31", "~", "null", " 前导空格", "行尾\n", "多\n\n空行", "- 列表样", "[括号]", "C#", "a\tb",
                     "x" * 300, "true", "@人", "%", "年底前完成；确保通水。"]),
    st.text(alphabet=st.sampled_from(list("中文ab :#'\"-\n|>[]{}1.~")), max_size=20),
)
CHANGES = st.fixed_dictionaries({}, optional={
    "status": st.sampled_from(STATUSES), "progress": st.integers(0, 100),
    "due": st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 12, 31)),
    "note": TEXTS, "problems": TEXTS, "next_steps": TEXTS,
    "measures.1.status": st.sampled_from(STATUSES), "measures.2.status": st.sampled_from(STATUSES),
})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TASKS + [None]), CHANGES)
def test_line_edit_equals_the_round_trip_and_touches_only_its_lines(path, changes):
    text = HAND if path is None else path.read_text("utf-8")
    if any(k.startswith("measures.") for k in changes):
        have = {m["number"] for m in _fast_yaml(text).get("measures") or []}
        changes = {k: v for k, v in changes.items() if not k.startswith("measures.") or int(k.split(".")[1]) in have}
    fast = check(text, changes)
    if fast is not None and path is not None:  # a file tracker wrote: byte for byte what the round trip writes
        assert fast == by_ruamel(text, validate_changes(changes, "2020-05"))


def test_the_common_saves_take_the_fast_path_and_keep_hand_edits():
    text = HAND
    out = check(text, {"status": "in_progress", "progress": 40, "note": "已开工\n完成投资3亿元",
                       "measures.2.status": "done", "next_steps": "下月验收"})
    assert out is not None
    assert out.startswith("# 手工加的注释：保留\n") and "- 市水利局   # 牵头" in out and "  -   number: 2" in out
    assert "note: |-\n  已开工\n  完成投资3亿元\n\nproblems: ''" in out
    assert "next_steps: '下月验收'   # 稍后补充\n" in out  # its comment stays; quoted as the old value was (as ruamel does)
    for path in TASKS[:10]:
        assert check(path.read_text("utf-8"), {"status": "done", "progress": 100, "note": "按期完成"}) is not None


@pytest.mark.parametrize("changes", [
    {"note": "a\tb"},                 # an escape: double quotes, ruamel writes those
    {"note": " 前导空格\n第二行"},    # a block would lose the leading space
    {"measures.9.status": "done"},    # no such measure: the round trip raises the error
])
def test_unusual_values_go_to_the_round_trip(changes):
    text = TASKS[0].read_text("utf-8")
    assert edit(text, validate_changes(changes, "2020-01") if "9" not in str(changes) else changes) is None


def test_files_outside_the_subset_go_to_the_round_trip():
    text = "number: 5\ntitle: {flow: map}\nstatus: done\n"
    assert edit(text, {"status": "blocked"}) is None
    assert edit("number: 5\nstatus: done\nstatus: blocked\n", {"status": "done"}) is None
    assert edit("number: 5\nnote: >-\n  folded\nstatus: done\n", {"note": "x"}) is None


def test_comment_lines_below_a_value_stay_and_yaml12_numbers_are_quoted():
    """Found in review: indented comment lines after a one-line value were taken for part of it;
    `1e3` is text to PyYAML (YAML 1.1) but a number to ruamel (YAML 1.2), which quotes it."""
    text = "number: 5\nstatus: done\n  # 为何完成\nnote: a\n\n  # 见下\nprogress: 1\n"
    out = edit(text, {"status": "blocked", "note": "b"})
    assert out == "number: 5\nstatus: blocked\n  # 为何完成\nnote: b\n\n  # 见下\nprogress: 1\n"
    for value in ("1e3", "0o17", "1E5"):
        out = edit("number: 5\nnote: a\n", {"note": value})
        assert out == f"number: 5\nnote: '{value}'\n" == by_ruamel("number: 5\nnote: a\n", {"note": value})
    block = "number: 5\nnote: |\n  a\n  # 正文\n\nstatus: done\n"
    assert edit(block, {"note": "c"}) == "number: 5\nnote: |-\n  c\n\nstatus: done\n"


def test_a_comment_under_a_value_that_becomes_a_block_stays_a_comment():
    """Found in QA: a comment indented under `problems:` was swallowed into the new multi-line value."""
    text = "number: 1\nstatus: done\nproblems: '- 列表'\n  # 缩进注释在值下面\nnext_steps: ''\n"
    out = edit(text, {"problems": "资金缺口: 3000万元\n第二行"})
    assert out == ("number: 1\nstatus: done\nproblems: |-\n  资金缺口: 3000万元\n  第二行\n"
                   "# 缩进注释在值下面\nnext_steps: ''\n")
    assert _fast_yaml(out)["problems"] == "资金缺口: 3000万元\n第二行"


def test_a_save_that_would_change_more_than_asked_is_refused(repo):
    """The round trip (ruamel) swallows such a comment into a block; outside the subset the line
    edit steps aside, so the store checks what either writer wrote and refuses, writing nothing."""
    import subprocess

    from tracker.model import TrackerError
    from tracker.store import Workspace

    f = repo / "plan" / "2020" / "tasks" / "01.yaml"
    text = f.read_text("utf-8").replace("problems: ''", "problems: '- 列表'\n  # 缩进注释", 1)
    text = text.replace("due: 2020-12-31", "due: !!timestamp 2020-12-31", 1)  # a tag: outside the subset
    f.write_text(text, "utf-8")
    subprocess.run(["git", "commit", "-qam", "hand edit"], cwd=repo, check=True)
    ws = Workspace(repo)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    with pytest.raises(TrackerError, match="problems"):
        ws.update_task(1, {"problems": "第一行\n第二行"})
    assert f.read_text("utf-8") == text
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout == head
