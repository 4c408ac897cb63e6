"""Helpers for every test folder (a uniquely named module: `conftest` is ambiguous once
subfolders have their own): real git, a copy of the bundled plan, the real console entry point."""
from __future__ import annotations

import os
import subprocess
import sys
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_PLAN = ROOT / "plan" / "2020"


def run_cli(cwd: Path, *args: str, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=cwd, capture_output=True, text=True,
                          env=full, input=input, timeout=120)


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


def commit_count(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD").strip())
