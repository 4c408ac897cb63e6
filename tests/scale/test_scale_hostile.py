"""Hostile and broken files: each refused with a message naming the file; the rest of the plan works."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scale_support import cli, task_file
from tracker.model import TrackerError
from tracker.store import Workspace

TASKS = Path("plan/2020/tasks")


def _assert_refused(repo: Path, rel: str, words: list[str], loaded: int = 59):
    """`rel` is named with `words` by load and `tracker check`; every other task still lists."""
    data = Workspace(repo).load()
    mine = [p for p in data.problems if p.path == rel]
    assert mine, data.problems
    text = " ".join(str(p) for p in mine)
    for w in words:
        assert w in text, text
    assert len(data.tasks) == loaded
    chk = cli(repo, "check")
    assert chk.returncode == 1 and rel in chk.stdout
    lst = cli(repo, "list", "--format", "json")
    assert lst.returncode == 0, lst.stderr
    assert len(json.loads(lst.stdout)) == loaded
    assert rel in lst.stderr  # the list warns which file was left out


def test_malformed_yaml(repo):
    task_file(repo, 5).write_text("number: 5\ntitle: [未闭合\nstatus: done\n", "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["05.yaml:"])


def test_wrong_types(repo):
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8").replace("progress: 0", "progress: 一半").replace("status: not_started", "status: 3"), "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["progress", "一半", "status"])


def test_unknown_key(repo):
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8") + "owner: 张三\n", "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["unknown key 'owner'"])


def test_duplicate_task_numbers(repo):
    (repo / TASKS / "sub").mkdir()
    (repo / TASKS / "sub" / "05.yaml").write_text(task_file(repo, 5).read_text("utf-8"), "utf-8")
    data = Workspace(repo).load()
    assert data.task(5) is None
    assert {p.path for p in data.problems if "more than one file" in p.message or "also used" in p.message} == \
        {"plan/2020/tasks/05.yaml", "plan/2020/tasks/sub/05.yaml"}
    assert len(data.tasks) == 59


def test_file_of_50_mb_is_refused_without_reading_it(repo, monkeypatch):
    f = task_file(repo, 5)
    with open(f, "r+b") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB long, cheap to make
    real_read = os.read
    got = []
    monkeypatch.setattr(os, "read", lambda fd, n: got.append(len(d := real_read(fd, n))) or d)
    Workspace(repo).load(parsed_cache=False)
    assert got and max(got) < 1_000_000  # every other file was read; not this one
    monkeypatch.undo()
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["52,428,800 bytes"])


def test_reads_never_follow_a_swapped_in_link_or_block_on_a_fifo(repo, tmp_path):
    """The checks are made on the opened file: a file replaced by a link or a FIFO after it was
    listed is refused, not followed or waited on."""
    from tracker.store import _NotRegular, read_regular

    outside = tmp_path / "secret.yaml"
    outside.write_text("number: 5\n", "utf-8")
    link = repo / TASKS / "61.yaml"
    os.symlink(outside, link)
    with pytest.raises(OSError):
        read_regular(str(link))
    fifo = repo / TASKS / "62.yaml"
    os.mkfifo(fifo)
    with pytest.raises(_NotRegular):
        read_regular(str(fifo))
    assert read_regular(str(task_file(repo, 5))).startswith(b"number: 5")


def test_non_utf8_bytes(repo):
    task_file(repo, 5).write_bytes("number: 5\ntitle: ".encode() + "水利".encode("gb18030") + b"\n")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["not UTF-8", "05.yaml:2:"])


def test_nul_bytes(repo):
    task_file(repo, 5).write_bytes(b"number: 5\x00\n")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["NUL"])


def test_symlink_outside_the_repository(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(task_file(repo, 5).read_text("utf-8").replace("number: 5", "number: 61"), "utf-8")
    os.symlink(secret, repo / TASKS / "61.yaml")
    _assert_refused(repo, "plan/2020/tasks/61.yaml", ["symbolic link", "outside the repository"], loaded=60)


def test_symlink_into_the_git_directory(repo):
    os.symlink(repo / ".git" / "config", repo / TASKS / "61.yaml")
    _assert_refused(repo, "plan/2020/tasks/61.yaml", ["git directory"], loaded=60)


def test_fifo_does_not_hang(repo):
    os.mkfifo(repo / TASKS / "61.yaml")
    _assert_refused(repo, "plan/2020/tasks/61.yaml", ["not a regular file"], loaded=60)


@pytest.mark.parametrize("ident", ["../../x", "../05", "05/../../etc/passwd", "2020-05;rm", "0x05", "2019-05", "5\n6"])
def test_hostile_task_ids(repo, ident):
    ws = Workspace(repo)
    with pytest.raises(TrackerError):
        ws.task_number(ident)
    for args in (["show", ident], ["set", ident, "--progress", "1"], ["log", ident]):
        p = cli(repo, *args, "--lang", "en")  # the helper's TRACKER_LANG=zh would say it in Chinese
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert "not a task id" in p.stderr
    assert cli(repo, "check").returncode == 0  # nothing was written anywhere


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!!python/object/new:os.system ['touch {pwned}']",
    "!!python/name:os.system",
    "!custom 张三",
])
def test_yaml_tags_never_build_objects(repo, payload):
    pwned = repo.parent / "PWNED"
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8").replace("note: ''", "note: " + payload.format(pwned=pwned)), "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["05.yaml"])
    p = cli(repo, "set", "5", "--progress", "10")  # the save path refuses it too
    assert p.returncode == 2 and "05.yaml" in p.stderr
    assert not pwned.exists()


def test_alias_bomb_is_cheap_and_refused(repo):
    lines = ["a0: &a0 [张三, 李四]"]
    for i in range(1, 25):
        lines.append(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]")
    task_file(repo, 5).write_text("\n".join(lines) + "\nunits: *a24\n", "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["05.yaml"])


def test_deep_nesting(repo):
    task_file(repo, 5).write_text("note: " + "[" * 50000 + "]" * 50000 + "\n", "utf-8")
    _assert_refused(repo, "plan/2020/tasks/05.yaml", ["05.yaml"])
