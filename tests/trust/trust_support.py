"""Helpers for the trust tests: real ed25519 keys, a supervisor's repository with offices.yaml,
a bare remote guarded by the installed pre-receive hook, and a unit office's clone."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests_support import git, make_plan_repo, run_cli


def keygen(folder: Path, name: str, comment: str) -> Path:
    """A real key pair made by ssh-keygen; returns the private key's path (the .pub beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(key)], check=True)
    return key


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return proc


def push(repo: Path, *args: str, lang: str | None = "en") -> subprocess.CompletedProcess:
    """git push; the hook (run by a local receive-pack) sees this environment: TRACKER_LANG picks its
    language (None: the plan's own, zh for the bundled plan)."""
    env = os.environ.copy()
    if lang:
        env["TRACKER_LANG"] = lang
    return subprocess.run(["git", "push", *args], cwd=repo, capture_output=True, text=True, env=env)


def write_task_field(repo: Path, number: int, old: str, new: str) -> str:
    """Replace a line of a task file by hand (as plain git users do); returns its path."""
    rel = f"plan/2020/tasks/{number:02d}.yaml"
    p = repo / rel
    text = p.read_text("utf-8")
    assert old in text, (old, text[:400])
    p.write_text(text.replace(old, new, 1), "utf-8")
    return rel


def commit(repo: Path, message: str, *paths: str, extra: tuple[str, ...] = ()) -> str:
    git(repo, "add", "--", *paths)
    git(repo, *extra, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@dataclass
class World:
    keys: dict[str, Path]
    seed: Path        # the supervisor's repository (督查室, 张三)
    bare: Path        # the shared remote, hook installed
    water: Path       # 水利局办公室 (李四): acts for 市水利局 (lead of task 5, co-unit of task 4)
    stranger: Path    # a key nobody listed


def build_world(tmp: Path, *, hook: bool = True) -> World:
    keys = {n: keygen(tmp / "keys", n, c) for n, c in (("sup", "张三"), ("water", "李四"), ("agri", "王五"), ("stranger", "赵六"))}
    seed = make_plan_repo(tmp / "seed")
    ok(run_cli(seed, "office", "add", "督查室", "--role", "supervisor", "--key", f"{keys['sup']}.pub", "--join"))
    ok(run_cli(seed, "office", "add", "水利局办公室", "--role", "unit", "--unit", "市水利局", "--key", f"{keys['water']}.pub"))
    ok(run_cli(seed, "office", "add", "农业农村局办公室", "--role", "unit", "--unit", "市农业农村局", "--key", f"{keys['agri']}.pub"))
    bare = tmp / "shared.git"
    git(tmp, "clone", "-q", "--bare", str(seed), str(bare))
    if hook:
        ok(run_cli(tmp, "serve", "install", str(bare)))
    git(seed, "remote", "add", "origin", str(bare))
    git(seed, "fetch", "-q", "origin")
    git(seed, "branch", "-q", "--set-upstream-to=origin/main", "main")
    water = tmp / "water"
    git(tmp, "clone", "-q", str(bare), str(water))
    ok(run_cli(water, "office", "join", "水利局办公室", "--key", str(keys["water"])))
    return World(keys=keys, seed=seed, bare=bare, water=water, stranger=keys["stranger"])
