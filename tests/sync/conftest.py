"""Fixtures for sync tests: a bare remote seeded with the 2020 plan, clones, a git daemon."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync_support import clone  # noqa: E402
from tests_support import git, make_plan_repo  # noqa: E402


@pytest.fixture
def remote(tmp_path) -> Path:
    """A bare repository holding the seeded plan (main branch)."""
    seed = make_plan_repo(tmp_path / "seed")
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


@pytest.fixture
def offices(tmp_path, remote):
    """Three clones of the remote: 张三, 李四, 王五."""
    return [clone(str(remote), tmp_path / n, name) for n, name in (("a", "张三"), ("b", "李四"), ("c", "王五"))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def daemon(tmp_path, remote):
    """`git daemon` on 127.0.0.1 serving the remote; yields its git:// URL; killed at teardown."""
    port = _free_port()
    base = remote.parent
    proc = subprocess.Popen(["git", "daemon", "--export-all", "--enable=receive-pack", f"--base-path={base}",
                             "--listen=127.0.0.1", f"--port={port}", "--reuseaddr", "--informative-errors", str(base)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def stop() -> None:  # `git daemon` is a wrapper: its git-daemon child must go too
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop()
                pytest.fail("git daemon did not start")
            time.sleep(0.05)
    try:
        yield f"git://127.0.0.1:{port}/{remote.name}"
    finally:
        stop()
