"""The real console script in a real terminal (tmux): start, filter by pinyin, edit, quit."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


TMUX_ENV = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}, "TERM": "xterm-256color"}


def tmux(sock: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", sock, *args], check=True, capture_output=True, text=True,
                          env=TMUX_ENV).stdout


def start_tui(sock: str, repo) -> str:
    """`python -m tracker --lang en` in a 140x40 tmux session named "tui" on socket `sock`."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("GIT_", "HOME", "PATH", "TRACKER"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", TRACKER_NO_COMMIT_GRAPH="1")
    envs = " ".join(f"{k}='{v}'" for k, v in env.items())
    cmd = f"cd '{repo}' && env {envs} '{sys.executable}' -m tracker --lang en"
    tmux(sock, "new-session", "-d", "-s", "tui", "-x", "140", "-y", "40", cmd)
    return sock


def wait_for(sock: str, text: str, timeout: float = 30.0) -> str:
    """The pane once `text` shows.  After 10 s without it, the pane is resized by one column and back:
    on a loaded machine a frame Textual wrote can be missing from the pane (the app idle, its
    screen state right), and the resize makes the app paint the whole screen again.  A key that
    was lost stays lost: the repaint shows what the app holds."""
    start = time.monotonic()
    deadline, nudged = start + timeout, False
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux(sock, "capture-pane", "-p", "-t", "tui")
        if text in screen:
            return screen
        if not nudged and time.monotonic() - start > 10:
            nudged = True
            tmux(sock, "resize-window", "-t", "tui", "-x", "141", "-y", "40")
            time.sleep(0.3)
            tmux(sock, "resize-window", "-t", "tui", "-x", "140", "-y", "40")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear; screen:\n{screen}")


def test_console_script_in_tmux(tui_repo):
    sock = start_tui(f"tracker-test-{os.getpid()}", tui_repo)
    try:
        wait_for(sock, "Dashboard")
        wait_for(sock, "Overall targets")
        tmux(sock, "send-keys", "-t", "tui", "l")
        wait_for(sock, "shown 60 / 60")
        tmux(sock, "send-keys", "-t", "tui", "/")
        wait_for(sock, "▊  filter: id")
        time.sleep(0.3)
        tmux(sock, "send-keys", "-t", "tui", "-l", "nyxdh")
        screen = wait_for(sock, "shown 1 / 60")
        assert "加快推进农业现代化" in screen  # the title column may be cut (…) once the last-change column shows
        tmux(sock, "send-keys", "-t", "tui", "Enter")
        time.sleep(0.3)
        tmux(sock, "send-keys", "-t", "tui", "Enter")
        wait_for(sock, "expected")
        tmux(sock, "send-keys", "-t", "tui", "s")
        wait_for(sock, "Choose a status")
        tmux(sock, "send-keys", "-t", "tui", "2")  # in progress (done would first ask about the open measures)
        wait_for(sock, "Saved as commit")
        log = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=tui_repo, capture_output=True, text=True).stdout
        assert log.startswith("2020-01 加快推进农业现代化建设") and "推进中" in log
        tmux(sock, "send-keys", "-t", "tui", "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["tmux", "-L", sock, "has-session", "-t", "tui"], capture_output=True).returncode != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("q did not quit")
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)


def test_bursts_typed_in_a_real_terminal_are_not_lost(tui_repo):
    """A fast typist (or a paste): `/nyxdh` and `p 77 Enter` sent in one write each."""
    sock = start_tui(f"tracker-burst-{os.getpid()}", tui_repo)
    try:
        wait_for(sock, "Overall targets")
        tmux(sock, "send-keys", "-t", "tui", "l")
        wait_for(sock, "shown 60 / 60")
        tmux(sock, "send-keys", "-t", "tui", "-l", "/nyxdh")
        screen = wait_for(sock, "shown 1 / 60")
        assert "加快推进农业现代化" in screen  # the title column may be cut (…) once the last-change column shows
        tmux(sock, "send-keys", "-t", "tui", "Enter", "Enter")
        wait_for(sock, "expected")
        tmux(sock, "send-keys", "-t", "tui", "p", "7", "7", "Enter")
        wait_for(sock, "Saved as commit")
        log = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=tui_repo, capture_output=True, text=True).stdout
        assert "0 → 77" in log, log
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
