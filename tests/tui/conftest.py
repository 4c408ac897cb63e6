"""Fixtures for the TUI tests: the bundled plan in a temp repo, committed at a fixed date."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tests_support import make_plan_repo  # noqa: E402  (the bundled plan, committed once; dates from the env)

FIXED = "2020-10-10T09:30:00+08:00"
TODAY = date(2020, 10, 15)


@pytest.fixture
def fixed_dates(monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", FIXED)
    monkeypatch.setenv("GIT_COMMITTER_DATE", FIXED)
    monkeypatch.setenv("TRACKER_NO_COMMIT_GRAPH", "1")


@pytest.fixture
def tui_repo(tmp_path, fixed_dates) -> Path:
    return make_plan_repo(tmp_path / "office")


@pytest.fixture
def tui_ws(tui_repo):
    from tracker.store import Workspace

    return Workspace(tui_repo)


@pytest.fixture
def make_tui():
    """make_tui(ws, lang) -> the app, deterministic: fixed today, no disk polling, no cursor blink."""
    from tracker.app import make_app

    def build(ws, lang="zh", **kw):
        kw.setdefault("today", TODAY)
        kw.setdefault("poll_seconds", None)
        kw.setdefault("sync_fetch_every", None)
        kw.setdefault("index_history", False)  # a subprocess per start; tested on its own
        app = make_app(ws, lang=lang, **kw)
        return app

    return build
