"""Two app instances and a CLI editing the same task at once: no lost update."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from scale_support import cli, git, task_file
from tracker.store import StaleError, Workspace


def test_later_writer_with_an_old_view_is_refused(repo):
    a, b = Workspace(repo), Workspace(repo)  # two TUI windows
    seen_a, seen_b = a.load(), b.load()
    rel = "plan/2020/tasks/05.yaml"
    assert a.update_task(5, {"progress": 30}, expect=seen_a.digests[rel]) is not None
    with pytest.raises(StaleError) as exc:
        b.update_task(5, {"status": "blocked"}, expect=seen_b.digests[rel])
    assert "05.yaml" in str(exc.value) and "not saved" in str(exc.value)
    text = task_file(repo, 5).read_text("utf-8")
    assert "progress: 30" in text and "status: not_started" in text  # a's update kept, b's not written
    # b reloads and tries again: accepted, and a's change is still there
    assert b.update_task(5, {"status": "blocked"}, expect=b.load().digests[rel]) is not None
    text = task_file(repo, 5).read_text("utf-8")
    assert "progress: 30" in text and "status: blocked" in text


def test_hand_edit_between_view_and_save_is_not_overwritten(repo):
    ws = Workspace(repo)
    digest = ws.load().digests["plan/2020/tasks/05.yaml"]
    f = task_file(repo, 5)
    f.write_text(f.read_text("utf-8").replace("note: ''", "note: 手工填写"), "utf-8")
    with pytest.raises(StaleError):
        ws.update_task(5, {"progress": 50}, expect=digest)
    assert "note: 手工填写" in f.read_text("utf-8") and "progress: 0" in f.read_text("utf-8")


RACER = textwrap.dedent("""
    import sys
    from tracker.store import StaleError, Workspace
    ws = Workspace(sys.argv[1])
    expect, value = sys.argv[2], int(sys.argv[3])
    sys.stdin.readline()  # start together
    try:
        ws.update_task(5, {"progress": value}, expect=expect)
        print("saved")
    except StaleError:
        print("stale")
""")


def test_two_processes_with_the_same_view_exactly_one_wins(repo):
    digest = Workspace(repo).load().digests["plan/2020/tasks/05.yaml"]
    n0 = int(git(repo, "rev-list", "--count", "HEAD"))
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(repo), digest, str(v)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for v in (60, 70)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=60) for p in procs]
    results = sorted(o.strip() for o, _ in outs)
    assert results == ["saved", "stale"], outs
    assert int(git(repo, "rev-list", "--count", "HEAD")) == n0 + 1
    winner = 60 if outs[0][0].strip() == "saved" else 70
    assert f"progress: {winner}" in task_file(repo, 5).read_text("utf-8")


def test_concurrent_cli_saves_of_different_fields_both_land(repo):
    """The CLI applies its change to the file as it is under the lock: both edits survive."""
    import os

    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "tracker", "--repo", str(repo), "set", "5"]
    p1 = subprocess.Popen(cmd + ["--progress", "55"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p2 = subprocess.Popen(cmd + ["--note", "两个窗口同时保存"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p1.wait(60) == 0 and p2.wait(60) == 0, (p1.stderr.read(), p2.stderr.read())
    text = task_file(repo, 5).read_text("utf-8")
    assert "progress: 55" in text and "两个窗口同时保存" in text
    assert git(repo, "status", "--porcelain") == ""
    subjects = git(repo, "log", "-2", "--format=%s")
    assert subjects.count("2020-05") == 2


def test_lock_timeout_names_the_cause(repo):
    ws = Workspace(repo)
    with ws.lock():
        other = Workspace(repo)
        with pytest.raises(Exception) as exc:
            with other.lock(timeout=0.2):
                pass
        assert "another tracker process is saving" in str(exc.value)
