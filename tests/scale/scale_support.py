"""Helpers for the scale and fault tests: real repositories, the real CLI in subprocesses."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(repo: Path, *args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m tracker --repo REPO ARGS...` in a fresh process (the environment of the test)."""
    full = {**os.environ, "COLUMNS": "200", "TRACKER_LANG": "zh", **(env or {})}
    full.pop("TRACKER_FAULT", None) if not env or "TRACKER_FAULT" not in env else None
    return subprocess.run([sys.executable, "-m", "tracker", "--repo", str(repo), *args], capture_output=True,
                          text=True, env=full, timeout=timeout, cwd=str(repo))


def git(cwd: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True).stdout


def task_file(repo: Path, number: int) -> Path:
    return repo / "plan" / "2020" / "tasks" / f"{number:02d}.yaml"
