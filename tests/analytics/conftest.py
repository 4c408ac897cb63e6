"""Fixtures for the analytics tests: the bundled plan with a scripted, dated 2020 history."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analytics_history import play, seed_dated  # noqa: E402


@pytest.fixture
def hist_repo(tmp_path) -> Path:
    from tracker.store import Workspace

    repo = seed_dated(tmp_path / "office")
    play(Workspace(repo))
    return repo


@pytest.fixture
def hws(hist_repo):
    from tracker.store import Workspace

    return Workspace(hist_repo)
