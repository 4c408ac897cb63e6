"""English details left in the Chinese UI (issue 11 point 3): the repository's discovery errors, git's
failures explained, the sync's refusals, `tracker check`'s verdict, `remote`/`resolve` hints and the
words every command says as it opens a repository are label-book entries: `--lang zh` shows Chinese,
`--lang en` the English text as it always was (str(err) stays English)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests_support import git, make_plan_repo, run_cli
from tracker.gitstore import GitError
from tracker.store import Workspace
from tracker.store_load import blob_id
from tracker.sync import SyncError, explain_network

HAN = re.compile(r"[\u4e00-\u9fff]")


def both(repo: Path, *args: str):
    return run_cli(repo, *args, "--lang", "zh"), run_cli(repo, *args, "--lang", "en")


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


def test_discovery_errors_in_both_languages(tmp_path):
    gone = tmp_path / "gone"
    zh, en = both(tmp_path, "list", "--repo", str(gone))
    assert zh.returncode == 2 and f"仓库路径不存在：{gone}" in zh.stderr, zh.stderr
    assert en.returncode == 2 and f"repository path does not exist: {gone}" in en.stderr, en.stderr
    bare = tmp_path / "plain"
    bare.mkdir()
    import subprocess

    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=bare, capture_output=True).returncode == 0:
        pytest.skip("a git repository encloses the temporary folder")
    zh, en = both(bare, "list", "--repo", str(bare))
    assert zh.returncode == 2 and "不在 git 仓库中" in zh.stderr and "--repo 路径" in zh.stderr, zh.stderr
    assert "not inside a git repository" in en.stderr and not HAN.search(en.stderr), en.stderr
    git(bare, "init", "-q", "-b", "main")
    zh, en = both(bare, "list")
    assert zh.returncode == 2 and "未找到计划" in zh.stderr and "plan/<年份>/" in zh.stderr, zh.stderr
    assert "no plan found" in en.stderr and "plan/<year>/" in en.stderr, en.stderr


def test_a_plan_year_that_is_not_there(repo):
    zh, en = both(repo, "list", "--plan", "2019")
    assert zh.returncode == 2 and "没有 2019 年的计划（现有：2020）" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "no plan for 2019 in" in en.stderr and "(found: 2020)" in en.stderr, en.stderr
    with pytest.raises(Exception) as err:  # str() stays English; text(lang) the user's
        Workspace(repo, 2019)
    assert str(err.value).startswith("no plan for 2019") and err.value.text("zh").endswith("（现有：2020）")


def test_git_failures_explained_in_both_languages():
    from tracker.store_save import explain_git_error, git_failure

    cases = {"fatal: Unable to create '/r/.git/index.lock': File exists.": ("另一个 git 进程", "Another git process"),
             "error: gpg failed to sign the data": ("提交签名失败", "Signing the commit failed"),
             "*** Please tell me who you are.": ("git 不知道您是谁", "git does not know who you are"),
             "error: you have unmerged files": ("仓库正处于合并过程中", "in the middle of a merge")}
    for stderr, (zh, en) in cases.items():
        err = git_failure(GitError(["commit"], 128, stderr))
        assert str(err) == explain_git_error(GitError(["commit"], 128, stderr))  # the English as before
        assert str(err).startswith(stderr) and en in str(err) and str(err).endswith("Nothing was saved."), str(err)
        assert zh in err.text("zh") and err.text("zh").endswith("未保存任何内容。"), err.text("zh")
        assert en in err.text("en") and err.text("en") == str(err)
    other = git_failure(GitError(["commit"], 1, "boom"))
    assert str(other) == "boom\nNothing was saved." and other.text("zh") == "boom\n未保存任何内容。"
    assert str(git_failure(GitError(["commit"], 1, "boom"), saved=False)) == "boom"


def test_an_interrupted_save_that_cannot_be_finished_says_so_in_chinese(repo, git_env, monkeypatch):
    """The journal names a written, uncommitted change; committing it fails (no identity): the
    refusal and git's explanation come in the user's language."""
    ws = Workspace(repo)
    rel = "plan/2020/tasks/05.yaml"
    path = repo / rel
    new = path.read_text("utf-8").replace("progress: 0", "progress: 40")
    path.write_text(new, encoding="utf-8")
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    (ws.state_dir / "pending.json").write_text(json.dumps({"path": rel, "message": "更新 5", "old": None,
                                                           "new": blob_id(new.encode("utf-8"))}), "utf-8")
    git_env.write_text("[init]\n\tdefaultBranch = main\n[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    with pytest.raises(Exception) as err:
        ws.recover()
    assert str(err.value).startswith(f"an interrupted save of {rel} could not be finished"), str(err.value)
    assert "who you are" in str(err.value) or "ident" in str(err.value)
    zh = err.value.text("zh")
    assert zh.startswith(f"{rel} 的一次保存被中断，且未能完成") and "git 不知道您是谁" in zh, zh
    assert path.read_text("utf-8") == new  # nothing lost: the change is still in the file


def test_sync_refusals_in_both_languages(repo, tmp_path):
    git(repo, "remote", "add", "origin", str(tmp_path / "gone.git"))
    zh, en = both(repo, "sync")
    assert zh.returncode == 2 and "同步失败" in zh.stderr and "获取（远程 origin" in zh.stderr, zh.stderr
    assert "本地未作任何改动" in zh.stderr and "Nothing was changed here" not in zh.stderr, zh.stderr
    assert en.returncode == 2 and "fetching from origin" in en.stderr and not HAN.search(en.stderr), en.stderr
    git(repo, "checkout", "-q", "--detach")
    zh, en = both(repo, "sync")
    assert zh.returncode == 2 and "HEAD 不在任何分支上" in zh.stderr and "HEAD is not" not in zh.stderr, zh.stderr
    assert "HEAD is not on a branch (detached)" in en.stderr, en.stderr


def test_network_failures_keep_their_english_and_kind():
    for stderr, kind, zh in (("fatal: Authentication failed for 'https://x/'", "auth", "拒绝了我们的凭据"),
                             ("fatal: repository 'x' not found", "not_found", "该地址没有仓库"),
                             ("ssh: Could not resolve host: x", "offline", "无法连接远程仓库"),
                             ("fatal: something else", "failed", "失败")):
        err = explain_network(GitError(["push"], 128, stderr), "origin", "ssh://x/r.git", "push")
        assert isinstance(err, SyncError) and err.kind == kind
        assert str(err).startswith("pushing to origin (ssh://x/r.git) failed") and stderr in str(err), str(err)
        assert str(err).endswith("Nothing was changed here; your commits are safe and will be sent by the next "
                                 "`tracker sync`.")
        text = err.text("zh")
        assert text.startswith("推送（远程 origin (ssh://x/r.git)）失败") and zh in text and stderr in text, text
        assert err.text("en") == str(err)


def test_check_says_its_verdict_in_both_languages(repo):
    zh, en = both(repo, "check")
    assert zh.returncode == 0 and "plan/2020：正常（60 个任务，10 项目标）" in zh.stdout, zh.stdout
    assert en.returncode == 0 and "plan/2020: ok (60 tasks, 10 targets)" in en.stdout, en.stdout
    p = repo / "plan/2020/tasks/12.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: high"), encoding="utf-8")
    zh, en = both(repo, "check")
    assert zh.returncode == 1 and "1 个问题，涉及 1 个文件" in zh.stdout, zh.stdout
    assert en.returncode == 1 and "1 problem(s) in 1 file(s)" in en.stdout, en.stdout
    zh, en = both(repo, "list")  # the other commands point at check
    assert "1 个文件有问题，未显示；运行 `tracker check` 查看详情" in zh.stderr, zh.stderr
    assert "1 file(s) have problems and are not shown" in en.stderr, en.stderr


def test_remote_and_resolve_hints_in_both_languages(repo, tmp_path):
    zh, en = both(repo, "remote", "add")
    assert zh.returncode == 2 and "remote add：请给出地址" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "remote add: give the address" in en.stderr, en.stderr
    r = run_cli(repo, "remote", "add", str(tmp_path / "shared.git"), "--lang", "zh")
    assert r.returncode == 0 and "；现在运行 tracker sync" in r.stdout, r.stdout
    zh, en = both(repo, "remote", "add", str(tmp_path / "other.git"))
    assert zh.returncode == 2 and "远程仓库 origin 已存在" in zh.stderr and "set-url 地址" in zh.stderr, zh.stderr
    assert "remote origin exists" in en.stderr and "set-url URL" in en.stderr, en.stderr
    zh, en = both(repo, "resolve", "5")
    assert zh.returncode == 2 and "请用 --take" in zh.stderr, zh.stderr
    assert "say which value to keep with --take" in en.stderr, en.stderr


def test_opening_a_repository_mid_rebase_says_so_in_both_languages(repo):
    (repo / ".git" / "rebase-merge").mkdir()
    zh, en = both(repo, "list")
    assert "仓库正处于未完成的 rebase 中" in zh.stderr, zh.stderr
    assert "the repository is in the middle of a rebase" in en.stderr, en.stderr


def test_the_next_start_reports_an_interrupted_save_in_both_languages(repo):
    """A save SIGKILLed after its write: the next command finishes it and says so in the user's language."""
    import signal

    for lang, words in (("zh", "已完成一次被中断的保存：plan/2020/tasks/05.yaml，提交 "),
                        ("en", "finished an interrupted save of plan/2020/tasks/05.yaml as commit ")):
        value = "41" if lang == "zh" else "42"
        p = run_cli(repo, "set", "5", "--progress", value, env={"TRACKER_FAULT": "written"})
        assert p.returncode == -signal.SIGKILL
        nxt = run_cli(repo, "list", "--format", "json", "--lang", lang)
        assert nxt.returncode == 0 and words in nxt.stderr, nxt.stderr
        assert f"progress: {value}" in git(repo, "show", "HEAD:plan/2020/tasks/05.yaml")


def test_said_keeps_english_for_str_and_each_language_for_text():
    from tracker.i18n import Said, said, told
    import tracker.sync_recover  # noqa: F401 - registers its words

    note = Said(said("sync_recover.put_back", state="rebase"), None, "git: plain words")
    assert str(note) == "put back an unfinished rebase (an interrupted sync?); your commits are intact; git: plain words"
    assert note.text("zh") == "已撤回一个未完成的 rebase（同步被中断？）；您的提交完好无损；git: plain words"
    assert told(note, "en") == str(note) and told("plain", "zh") == "plain"
    assert Said(note, said("sync_recover.lock")).text("zh").endswith("；已删除一次被中断的同步留下的锁")


def test_the_key_labels_are_in_the_book():
    from tracker.bindings import KEYS
    from tracker.i18n import BOOK, say

    for k in KEYS:
        assert k.book_key in BOOK, k
        assert (say(k.book_key, "zh"), say(k.book_key, "en")) == (k.zh, k.en) == (k.label("zh"), k.label("en"))


def test_unknown_items_conflicts_and_the_index_in_both_languages(repo):
    zh, en = both(repo, "set", "99", "--progress", "5")
    assert zh.returncode == 2 and "plan/2020/tasks/ 中没有任务 2020-99" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "no task 2020-99 in plan/2020/tasks/" in en.stderr, en.stderr
    zh, en = both(repo, "resolve", "5", "--take", "ours")
    assert zh.returncode == 2 and "5：这里没有记录的冲突" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "5: no recorded conflicts there" in en.stderr, en.stderr
    zh, en = both(repo, "index")
    assert zh.returncode == 0 and "历史索引已到 HEAD：1 个提交" in zh.stdout, zh.stdout
    assert en.returncode == 0 and "history index at HEAD: 1 commits" in en.stdout, en.stdout
