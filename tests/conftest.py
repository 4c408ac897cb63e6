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

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_PLAN = ROOT / "plan" / "2020"


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
    monkeypatch.delenv("TRACKER_LANG", raising=False)
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    return cfg


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    """Run real git in `cwd` (tests' own helper; the code under test has its own git module)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=full_env).stdout


def make_plan_repo(dest: Path) -> Path:
    """A new repository holding a copy of the bundled 2020 plan, committed once."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BUNDLED_PLAN, dest / "plan" / "2020")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "seed: the 2020 plan")
    return dest


@pytest.fixture
def plan_repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


@pytest.fixture
def ws(plan_repo):
    from tracker.store import Workspace

    return Workspace(plan_repo)


def commit_count(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD").strip())
