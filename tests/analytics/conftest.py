"""Fixtures for the analytics tests: the bundled plan with a scripted, dated 2020 history."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_PLAN, git


@contextmanager
def dated(when: str):
    """Commits made inside get this author and committer date ('2020-10-15T10:00:00+08:00')."""
    old = {k: os.environ.get(k) for k in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = when
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def as_author(name: str):
    old = {k: os.environ.get(k) for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")}
    os.environ["GIT_AUTHOR_NAME"] = os.environ["GIT_COMMITTER_NAME"] = name
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def seed_dated(dest: Path, when: str = "2020-09-15T09:00:00+08:00") -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BUNDLED_PLAN, dest / "plan" / "2020")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(dest, "commit", "-q", "-m", "seed: the 2020 plan", env=env)
    return dest


#: the scripted history: (date, author, task number, changes)
SCRIPT = [
    ("2020-09-20T10:00:00+08:00", "农业农村局 王芳", 1, {"status": "in_progress", "progress": 60, "note": "高标准农田完成1.8万亩"}),
    ("2020-09-25T15:30:00+08:00", "工信局 李强", 2, {"status": "in_progress", "progress": 40}),
    ("2020-10-10T09:00:00+08:00", "农业农村局 王芳", 1, {"progress": 75, "note": "高标准农田完成2.2万亩"}),
    ("2020-10-20T16:00:00+08:00", "督查室 张敏", 3, {"status": "done", "progress": 100, "note": "已完成"}),
    ("2020-10-31T23:30:00+08:00", "工信局 李强", 2, {"progress": 50, "problems": "资金缺口<较大>&待协调"}),
    ("2020-11-05T11:00:00+08:00", "督查室 张敏", 4, {"status": "blocked", "progress": 10, "problems": "用地指标未落实"}),
    ("2020-11-12T10:00:00+08:00", "农业农村局 王芳", 1, {"status": "done", "progress": 100, "note": "全部完成"}),
    ("2020-11-20T14:00:00+08:00", "工信局 李强", 2, {"progress": 70}),
]


def play(ws, script=SCRIPT):
    for when, who, number, ch in script:
        with dated(when), as_author(who):
            ws.update_task(number, ch)


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
