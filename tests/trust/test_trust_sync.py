"""A sync that replays local commits onto the remote keeps them signed and verifiable."""
from __future__ import annotations

import pytest

from tests_support import git, run_cli
from trust_support import ok


def test_sync_replay_keeps_local_commits_signed(world):
    # the supervisor pushes first, so the unit office's commit must be replayed onto it
    ok(run_cli(world.seed, "set", "7", "--progress", "10"))
    ok(run_cli(world.seed, "sync"))
    ok(run_cli(world.water, "set", "5", "--progress", "30"))
    r = run_cli(world.water, "sync")
    assert r.returncode == 0, r.stderr
    assert git(world.water, "log", "-1", "--format=%G?").strip() == "G"
    assert git(world.bare, "rev-parse", "main") == git(world.water, "rev-parse", "HEAD")
    r = run_cli(world.water, "verify")
    assert r.returncode == 0, r.stdout
