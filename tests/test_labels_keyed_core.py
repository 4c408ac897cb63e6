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


# -- (b) Chinese details, on real repositories ----------------------------------------------------
from tests_support import git, make_plan_repo, run_cli  # noqa: E402

T5 = "plan/2020/tasks/05.yaml"


def both(repo: Path, *args: str):
    return run_cli(repo, *args, "--lang", "zh"), run_cli(repo, *args, "--lang", "en")


def english_lines(text: str) -> list[str]:
    """Lines a Chinese reader would find in English: words of the tool's own and no Chinese at all
    (usage lines, option names and values quoted from the line are not words)."""
    out = []
    for line in text.splitlines():
        if HAN.search(line) or not re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{2,}", line):
            continue
        if line.lstrip().startswith(("[", "tracker ")) or "--" in line and "[" in line:
            continue
        out.append(line)
    return out


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


def test_typed_values_are_refused_in_the_users_language(repo):
    """The issue's own example: `--progress 150` (an option argparse checks with tracker's types)."""
    zh, en = both(repo, "set", "5", "--progress", "150")
    assert zh.returncode == 2 and "tracker set：错误：参数 --progress：150 超出范围；允许 0 到 100" in zh.stderr, zh.stderr
    assert zh.stderr.startswith("用法：") and not english_lines(zh.stderr), zh.stderr
    assert en.returncode == 2 and "tracker set: error: argument --progress: 150 is out of range; allowed: 0 to 100" \
        in en.stderr and not HAN.search(en.stderr), en.stderr
    zh, en = both(repo, "set", "5", "--due", "2020-02-30")
    assert "参数 --due：'2020-02-30' 不是日期（日历上没有这一天）" in zh.stderr and not english_lines(zh.stderr), zh.stderr
    assert "argument --due: '2020-02-30' is not a date (no such day in the calendar)" in en.stderr, en.stderr
    zh, en = both(repo, "list", "--status", "finished")
    assert "参数 --status：'finished' 不是状态；可选：" in zh.stderr, zh.stderr
    assert "argument --status: 'finished' is not a status; allowed: not_started (未启动)" in en.stderr, en.stderr
    zh, en = both(repo, "list", "--plan", "１９９９")
    assert "参数 --plan：1999 超出范围；允许 2000 到 2099" in zh.stderr, zh.stderr
    assert "argument --plan: 1999 is out of range; allowed: 2000 to 2099" in en.stderr, en.stderr


def test_argparse_frame_speaks_chinese(repo):
    zh, en = both(repo, "set")
    assert zh.returncode == 2 and "tracker set：错误：缺少必需的参数：task" in zh.stderr, zh.stderr
    assert "the following arguments are required: task" in en.stderr and en.stderr.startswith("usage: "), en.stderr
    zh, en = both(repo, "lsit")
    assert zh.returncode == 2 and "参数 COMMAND：无效的选项：'lsit'（可选：" in zh.stderr, zh.stderr
    assert "argument COMMAND: invalid choice: 'lsit' (choose from" in en.stderr, en.stderr
    zh, en = both(repo, "list", "--bogus")
    assert "无法识别的参数：--bogus" in zh.stderr and "unrecognized arguments: --bogus" in en.stderr
    zh = run_cli(repo, "set", "--help", "--lang", "zh")
    assert zh.returncode == 0 and zh.stdout.startswith("用法：tracker set") and "显示本帮助并退出" in zh.stdout
    # the language from the environment too (TRACKER_LANG), not only --lang
    env = run_cli(repo, "set", "5", "--progress", "abc", env={"TRACKER_LANG": "en"})
    assert "argument --progress: 'abc' is not a whole number; allowed: 0 to 100" in env.stderr, env.stderr
    env = run_cli(repo, "set", "5", "--progress", "abc", env={"TRACKER_LANG": "zh"})
    assert "参数 --progress：'abc' 不是整数；允许 0 到 100" in env.stderr, env.stderr


def test_a_file_that_is_not_yaml_keeps_its_location_and_says_why_in_chinese(repo):
    p = repo / T5
    p.write_text("number: 5\ntitle: [unclosed\n", encoding="utf-8")
    zh, en = both(repo, "set", "5", "--progress", "5")
    assert zh.returncode == 2 and f"tracker: {T5}:3:1: YAML 格式错误：" in zh.stderr, zh.stderr
    assert en.returncode == 2 and f"tracker: {T5}:3:1: while parsing a flow sequence" in en.stderr, en.stderr
    p.write_bytes(b"number: 5\ntitle: \xff\n")
    zh, en = both(repo, "set", "5", "--progress", "5")
    assert f"{T5}:2:8: 不是 UTF-8 文本（偏移 17 处的字节 0xff）；请把文件另存为 UTF-8 编码" in zh.stderr, zh.stderr
    assert f"{T5}:2:8: not UTF-8 text (byte 0xff at offset 17); save the file as UTF-8" in en.stderr, en.stderr
    p.write_bytes(b"number: 5\x00\n")
    zh, en = both(repo, "set", "5", "--progress", "5")
    assert f"{T5}: 文件含有 NUL 字节：不是文本文件" in zh.stderr and not english_lines(zh.stderr), zh.stderr
    assert f"{T5}: file contains NUL bytes: not a text file" in en.stderr, en.stderr
    assert git(repo, "status", "--porcelain").strip() == f"M {T5}"  # nothing written by the refusals


def test_a_link_out_of_the_repository_is_refused_in_chinese(repo, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((repo / T5).read_text("utf-8"), "utf-8")
    (repo / T5).unlink()
    (repo / T5).symlink_to(outside)
    zh, en = both(repo, "set", "5", "--progress", "5")
    assert f"{T5}: 是指向仓库之外（{outside}）的符号链接；未读取" in zh.stderr, zh.stderr
    assert f"{T5}: is a symbolic link to {outside}, outside the repository; not read" in en.stderr, en.stderr


def _conflict(repo: Path) -> None:
    p = repo / T5
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 65", 1)
                 + "conflicts:\n  - field: progress\n    base: 0\n"
                   "    ours: {value: 65, author: 张三, date: '2020-10-01T10:00:00+08:00'}\n"
                   "    theirs: {value: 70, author: 李四, date: '2020-10-02T09:30:00+08:00'}\n", "utf-8")
    git(repo, "commit", "-qam", "a recorded conflict")


def test_resolve_refusals_in_both_languages(repo):
    _conflict(repo)
    zh, en = both(repo, "resolve", "5", "--field", "progress", "--take", "other:2")
    assert zh.returncode == 2 and "--take other:2：该冲突只有 0 个其他值" in zh.stderr and not english_lines(zh.stderr)
    assert en.returncode == 2 and "--take other:2: this conflict has 0 other value(s)" in en.stderr, en.stderr
    zh, en = both(repo, "resolve", "5", "--field", "progress", "--take", "150")
    assert zh.returncode == 2 and "所选的值会使文件无效；未写入任何内容：" in zh.stderr, zh.stderr
    assert "progress" in zh.stderr  # the problem names the field (schema's own words)
    assert "the chosen value would make the file invalid; nothing was written:" in en.stderr, en.stderr
    assert "conflicts:" in (repo / T5).read_text("utf-8") and git(repo, "status", "--porcelain") == ""


def test_fieldpath_not_found_in_both_languages():
    from tracker.fieldpath import _locate
    from tracker.model import TrackerError

    with pytest.raises(TrackerError) as err:
        _locate({"measures": [{"number": 1, "status": "done"}]}, "measures.9.status")
    assert str(err.value) == "field 'measures.9.status' not found in the file"
    assert err.value.text("zh") == "文件中没有字段 'measures.9.status'"


def test_an_invalid_file_is_not_pushed_and_the_details_are_chinese(repo, tmp_path):
    shared = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(shared))
    git(repo, "remote", "add", "origin", str(shared))
    git(repo, "push", "-q", "-u", "origin", "main")
    p = repo / T5
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: 150"), "utf-8")
    git(repo, "commit", "-qam", "by hand: progress 150")
    zh, en = both(repo, "sync")
    assert zh.returncode == 2 and "未推送：下列文件未通过校验" in zh.stderr, zh.stderr
    assert "请修正它们（tracker check 列出每个问题），提交后再同步。" in zh.stderr, zh.stderr
    assert "Fix them" not in zh.stderr and "not pushed: these files fail validation" in en.stderr, en.stderr
    assert git(shared, "rev-list", "--count", "main").strip() == "1"


def test_the_locks_and_break_lock_in_both_languages(repo, tmp_path):
    from tracker.store import Workspace
    from tracker.sync import SyncError, _locked_error, break_lock

    ws = Workspace(repo)
    shared = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(shared))
    with pytest.raises(SyncError) as err:
        break_lock(ws, "ssh://example.invalid/x.git", "main")
    assert str(err.value).startswith("--break-lock works only for a remote reached as a folder; ssh://example")
    assert err.value.text("zh").startswith("--break-lock 只适用于以文件夹方式访问的远程仓库；ssh://example")
    lock = shared / "refs" / "heads" / "main.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("x")
    with pytest.raises(SyncError) as err:
        break_lock(ws, str(shared), "main")
    assert "old: a push may be running right now. Nothing was removed" in str(err.value), str(err.value)
    assert "秒：可能正有推送在进行。未删除任何内容" in err.value.text("zh") and lock.exists(), err.value.text("zh")
    e = _locked_error(ws, str(lock), str(shared))
    assert str(e).startswith(f"the shared repository is locked: {lock} exists, ") and "--break-lock" in str(e)
    assert e.text("zh").startswith(f"共享仓库被锁定：{lock} 存在，已存在 ") and "秒" in e.text("zh"), e.text("zh")
    e = _locked_error(ws, str(lock), "ssh://example.invalid/x.git")
    assert "Ask whoever runs the shared repository's server" in str(e) and "请联系共享仓库服务器的管理人员" in e.text("zh")


def test_git_and_identity_errors_in_chinese(repo, git_env, monkeypatch):
    from tracker.gitstore import GitRepo
    from tracker.model import TrackerError

    git_env.write_text("[init]\n\tdefaultBranch = main\n[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    with pytest.raises(TrackerError) as err:
        GitRepo(repo).identity()
    assert str(err.value).startswith("git does not know who you are, and every change is signed with a name.")
    assert err.value.text("zh").startswith("git 不知道您是谁，而每次修改都要署名。")
    zh, en = both(repo, "edit", "5", "--title", "新标题", "--reason", "文件更正")
    assert zh.returncode == 2 and "git 不知道您是谁" in zh.stderr and "who you are" not in zh.stderr, zh.stderr
    assert en.returncode == 2 and "git does not know who you are" in en.stderr, en.stderr


def test_input_files_refused_in_both_languages(tmp_path):
    from tracker.inputs import InputError, read_capped

    for path, zh, en in ((tmp_path, f"{tmp_path} 是文件夹，不是文件", f"{tmp_path} is a folder, not a file"),
                         (tmp_path / "none", f"无法读取 {tmp_path / 'none'}：", f"cannot read {tmp_path / 'none'}: ")):
        with pytest.raises(InputError) as err:
            read_capped(path)
        assert err.value.text("zh").startswith(zh) and str(err.value).startswith(en), (err.value.text("zh"), str(err.value))
        assert err.value.text("en") == str(err.value) and isinstance(err.value, ValueError)


def test_a_failure_tracker_notices_in_git_is_explained_in_chinese():
    """HEAD moved while saving (gitstore's own words, a GitError): the save's refusal says it in Chinese."""
    from tracker.gitstore import _own
    from tracker.store_save import explain_git_error, git_failure

    exc = _own(["commit"], "head_moved", at="abc1234")
    err = git_failure(exc)
    assert str(err) == explain_git_error(exc) == "HEAD moved (to abc1234) while saving\nNothing was saved."
    assert err.text("zh") == "保存期间 HEAD 已移动（到 abc1234）\n未保存任何内容。", err.text("zh")
    plain = git_failure(exc, saved=False)
    assert str(plain) == "HEAD moved (to abc1234) while saving" and plain.text("zh") == "git：保存期间 HEAD 已移动（到 abc1234）"


def test_a_new_item_on_an_unreadable_plan_is_refused_in_both_languages(repo):
    (repo / "plan/2020/plan.yaml").write_text("title: [unclosed\n", "utf-8")
    zh, en = both(repo, "new", "--kind", "instruction", "--title", "测试事项", "--lead", "市水利局")
    assert zh.returncode == 2 and "tracker: plan/2020/plan.yaml 无法读取；请先修正（tracker check）" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "plan/2020/plan.yaml cannot be read; fix it first (tracker check)" in en.stderr
    assert not (repo / "plan/2020/tasks/61.yaml").exists()
