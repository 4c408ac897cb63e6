"""Shared fixtures: real git repositories in temporary folders, never this repository's own plan.

Git runs with a private global config (an identity, no hooks or signing from the machine), so
the tests behave the same on a developer's machine and on a fresh CI machine.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests_support import BUNDLED_PLAN, ROOT, commit_count, git, make_plan_repo  # noqa: F401 (re-exported)


@pytest.fixture(autouse=True)
def git_env(tmp_path_factory, monkeypatch):
    """A clean git identity and config for every test."""
    home = tmp_path_factory.mktemp("home")
    cfg = home / ".gitconfig"
    cfg.write_text("[user]\n\tname = 督查室 测试员\n\temail = tester@example.gov.cn\n"
                   "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("TRACKER_REPO", raising=False)
    monkeypatch.setenv("TRACKER_INDEX_AFTER", "1000")  # no background index builds unless a test asks
    monkeypatch.delenv("TRACKER_LANG", raising=False)
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    return cfg


@pytest.fixture
def plan_repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


@pytest.fixture
def ws(plan_repo):
    from tracker.store import Workspace

    return Workspace(plan_repo)
