"""A remote that accepts the connection and never answers (issue 10, point 7): every transport
gets a connect and a stall timeout, and a clear message; nothing hangs.

The server is a real TCP listener on 127.0.0.1 that accepts and then says nothing."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests_support import git
from tracker.gitstore import GitError, GitRepo, running_network, stop_network

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def silent_server():
    """127.0.0.1:PORT accepting every connection and never sending a byte; closed at teardown."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, never answered

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    srv.close()


@pytest.fixture
def short_timeouts(monkeypatch):
    monkeypatch.setenv("TRACKER_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("TRACKER_STALL_TIMEOUT", "2")


@pytest.mark.parametrize("scheme", ["git", "ssh", "http"])
def test_fetch_from_a_silent_server_times_out_with_a_clear_message(offices, silent_server, short_timeouts, scheme):
    a = offices[0]
    url = {"git": f"git://127.0.0.1:{silent_server}/remote.git",
           "ssh": f"ssh://nobody@127.0.0.1:{silent_server}/remote.git",
           "http": f"http://127.0.0.1:{silent_server}/remote.git"}[scheme]
    git(a, "remote", "set-url", "origin", url)
    t0 = time.monotonic()
    with pytest.raises(GitError) as err:
        GitRepo(a).run("fetch", "origin")
    took = time.monotonic() - t0
    assert took < 20, took  # git alone waits forever on git:// (minutes on ssh without options)
    assert "timed out" in err.value.stderr
    assert not running_network()


def test_tracker_sync_to_a_silent_git_daemon_stops_and_says_so(offices, silent_server):
    a = offices[0]
    git(a, "remote", "set-url", "origin", f"git://127.0.0.1:{silent_server}/remote.git")
    env = {**os.environ, "TRACKER_CONNECT_TIMEOUT": "2", "TRACKER_STALL_TIMEOUT": "2", "TRACKER_LANG": "en"}
    p = subprocess.run([sys.executable, "-m", "tracker", "--repo", str(a), "sync"], capture_output=True, text=True,
                       env=env, timeout=60, cwd=str(a))
    assert p.returncode != 0
    assert "timed out" in p.stderr and "127.0.0.1" in p.stderr, p.stderr
    assert "TRACKER_CONNECT_TIMEOUT" in p.stderr


def test_stop_network_ends_a_running_fetch(offices, silent_server, monkeypatch):
    monkeypatch.setenv("TRACKER_CONNECT_TIMEOUT", "300")  # only stop_network can end it
    a = offices[0]
    git(a, "remote", "set-url", "origin", f"git://127.0.0.1:{silent_server}/remote.git")
    box: dict = {}

    def fetch() -> None:
        try:
            GitRepo(a).run("fetch", "origin")
        except GitError as exc:
            box["err"] = exc

    t = threading.Thread(target=fetch)
    t.start()
    deadline = time.monotonic() + 10
    while not running_network() and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = running_network()
    assert len(pids) == 1
    assert stop_network() == 1
    t.join(10)
    assert not t.is_alive()
    assert "stopped" in box["err"].stderr
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)


def test_a_normal_fetch_and_push_still_work(offices, daemon, short_timeouts):
    a, b = offices[0], offices[1]
    for o in (a, b):
        git(o, "remote", "set-url", "origin", daemon)
    (a / "note.txt").write_text("x")
    git(a, "add", "note.txt")
    git(a, "commit", "-qm", "note")
    repo = GitRepo(a)
    repo.run("push", "origin", "HEAD:refs/heads/main")
    GitRepo(b).run("fetch", "origin")
    assert git(b, "rev-parse", "origin/main") == git(a, "rev-parse", "HEAD")


def test_tui_second_sync_key_starts_no_second_fetch_and_quit_ends_git(offices, silent_server, monkeypatch):
    """In the app: `S` while a fetch runs (the quiet fetch on start, then the sync) starts no second
    fetch; `q` ends the background git process instead of leaving it behind."""
    import asyncio

    from tracker.app import make_app
    from tracker.store import Workspace

    monkeypatch.setenv("TRACKER_CONNECT_TIMEOUT", "300")  # nothing but `q` may end it
    a = offices[0]
    git(a, "remote", "set-url", "origin", f"git://127.0.0.1:{silent_server}/remote.git")
    seen: list[int] = []

    async def run() -> None:
        app = make_app(Workspace(a), lang="zh", poll_seconds=None, index_history=False, sync_fetch_every=300)
        async with app.run_test(size=(120, 30)) as pilot:
            loop = asyncio.get_running_loop()
            end = loop.time() + 20
            while not running_network() and loop.time() < end:  # the quiet fetch on start
                await pilot.pause(0.05)
            assert len(running_network()) == 1
            await pilot.press("S")
            await pilot.pause(0.5)
            await pilot.press("S")
            await pilot.pause(0.5)
            seen.extend(running_network())
            assert len(seen) == 1, seen  # one fetch at a time, however often S is pressed
            await pilot.press("q")
            await pilot.pause(0.2)

    asyncio.run(run())
    deadline = time.monotonic() + 10
    while running_network() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running_network()
    with pytest.raises(ProcessLookupError):
        os.kill(seen[0], 0)
