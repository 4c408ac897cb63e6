"""Helpers for the sync tests (a unique module name: `conftest` is ambiguous across folders)."""
from __future__ import annotations

from pathlib import Path

from tests_support import git


def clone(remote: str, dest: Path, name: str) -> Path:
    git(dest.parent, "clone", "-q", remote, str(dest))
    git(dest, "config", "user.name", name)
    git(dest, "config", "user.email", f"{abs(hash(name)) % 10_000}@example.gov.cn")
    return dest
