"""The quick start must not push into the code repository: `tracker sync` and the TUI's `S` refuse
a repository that holds the tool's own source (its origin is the code repository)."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests_support import ROOT, git, make_plan_repo, run_cli

pytestmark = pytest.mark.slow


def _code_clone(tmp_path: Path) -> tuple[Path, Path]:
    """A 'code repository' (bare) holding the tool's source and the bundled plan, and a clone of it."""
    src = make_plan_repo(tmp_path / "code-src")
    (src / "tracker").mkdir()
    (src / "tracker" / "cli.py").write_text((ROOT / "tracker" / "cli.py").read_text("utf-8"), "utf-8")
    (src / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text("utf-8"), "utf-8")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "the tool's code")
    bare = tmp_path / "code.git"
    git(tmp_path, "clone", "-q", "--bare", str(src), str(bare))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    return bare, clone


def test_sync_refuses_to_push_into_the_code_repository(tmp_path):
    bare, clone = _code_clone(tmp_path)
    before = git(bare, "rev-parse", "main")
    r = run_cli(tmp_path, "--repo", str(clone), "set", "5", "--progress", "40")
    assert r.returncode == 0, r.stderr
    r = run_cli(tmp_path, "--repo", str(clone), "sync", "--lang", "en")  # (the clone's tracker/ must not shadow the package)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "source" in r.stderr and "tracker init" in r.stderr and "Traceback" not in r.stderr
    assert git(bare, "rev-parse", "main") == before  # nothing pushed


def test_sync_refuses_when_only_the_remote_holds_the_source(tmp_path):
    """A plan-only clone whose remote-tracking branch holds the code (e.g. an office pointed at it)."""
    bare, _ = _code_clone(tmp_path)
    office = make_plan_repo(tmp_path / "office")
    git(office, "remote", "add", "origin", str(bare))
    git(office, "fetch", "-q", "origin")
    before = git(bare, "rev-parse", "main")
    r = run_cli(office, "sync", "--lang", "en")
    assert r.returncode == 2 and "origin/main" in r.stderr and "source code" in r.stderr, r.stderr
    assert git(bare, "rev-parse", "main") == before


def test_sync_of_a_plan_repository_still_works(tmp_path):
    office = make_plan_repo(tmp_path / "office")
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(office, "remote", "add", "origin", str(bare))
    r = run_cli(office, "sync")
    assert r.returncode == 0, r.stderr
    assert git(bare, "rev-parse", "main") == git(office, "rev-parse", "HEAD")


def test_tui_sync_key_refuses_in_the_code_clone(tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "tui"))
    from tui_helpers import settle

    from tracker.app import make_app
    from tracker.store import Workspace

    bare, clone = _code_clone(tmp_path)
    git(clone, "commit", "-q", "--allow-empty", "-m", "a local commit that must not reach the code repository")
    before = git(bare, "rev-parse", "main")
    app = make_app(Workspace(clone), lang="en", poll_seconds=None, sync_fetch_every=None, index_history=False)
    notes: list[str] = []

    async def go():
        async with app.run_test(size=(130, 40)) as pilot:
            original = app.notify

            def notify(message, *a, **kw):
                notes.append(str(message))
                return original(message, *a, **kw)

            app.notify = notify
            await settle(app, pilot)
            await pilot.press("S")
            await settle(app, pilot, 6)
            await asyncio.sleep(0.5)
            await settle(app, pilot, 3)

    asyncio.run(go())
    assert any("Sync refused" in n for n in notes), notes
    assert git(bare, "rev-parse", "main") == before


def test_readme_quick_start_opens_a_standalone_board():
    """The README's first command makes (or opens) a tracking repository of its own, never the code clone."""
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("## Quick start")
    first = text[text.index("```sh", start) + 5:text.index("```", text.index("```sh", start) + 5)].strip()
    assert "tracker init" in first and "--repo" in first, first
    assert not first.rstrip().endswith(".venv/bin/tracker"), first
