"""Signing never prompts, even on a terminal: a key with a passphrase that ssh-agent does not hold
fails the save with a clear message, and nothing is committed."""
from __future__ import annotations

import fcntl
import os
import pty
import subprocess
import sys
import termios

from tests_support import git, run_cli
from trust_support import keygen


def run_on_terminal(cwd, *args, timeout=60):
    """The CLI with a real controlling terminal (where ssh-keygen would ask for a passphrase)."""
    master, slave = pty.openpty()

    def become_terminal_owner():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([sys.executable, "-m", "tracker", *args], cwd=cwd, stdin=slave, stdout=slave,
                            stderr=slave, preexec_fn=become_terminal_owner, env={**os.environ, "SSH_AUTH_SOCK": ""})
    os.close(slave)
    out = b""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the save waited on the terminal (a passphrase prompt?)")
    finally:
        os.set_blocking(master, False)
        try:
            while chunk := os.read(master, 65536):
                out += chunk
        except OSError:
            pass
        os.close(master)
    return proc.returncode, out.decode("utf-8", "replace")


def test_passphrase_key_without_agent_fails_the_save_without_asking(world, tmp_path):
    key = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-C", "李四", "-f", str(key)], check=True)
    git(world.water, "config", "user.signingkey", str(key))
    before = git(world.water, "rev-parse", "HEAD")
    code, out = run_on_terminal(world.water, "set", "5", "--progress", "33", "--lang", "en")  # zh: Chinese only
    assert code == 2, out
    flat = " ".join(out.split())
    assert "ssh-add" in flat and "Nothing was saved" in flat
    assert "passphrase for" not in out.lower()
    assert git(world.water, "rev-parse", "HEAD") == before
    assert "progress: 0" in (world.water / "plan/2020/tasks/05.yaml").read_text("utf-8")


def test_join_with_a_passphrase_key_signs_through_the_agent(world, tmp_path):
    key = keygen(tmp_path / "k", "plain", "李四")
    locked = tmp_path / "k" / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "pw", "-C", "李四", "-f", str(locked)], check=True)
    from tracker.signing import read_key

    assert read_key(str(locked)).needs_agent and read_key(str(locked)).signing_key.endswith("locked.pub")
    assert not read_key(str(key)).needs_agent and read_key(str(key)).signing_key == str(key)
    r = run_cli(world.water, "office", "join", "水利局办公室", "--key", str(key), "--lang", "en")
    assert r.returncode == 2 and "not a member's key of 水利局办公室" in r.stderr
