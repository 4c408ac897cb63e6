"""The shared remote's guard: a `pre-receive` hook that runs tracker's checks on every push.

`tracker serve install BARE_REPO` writes `BARE_REPO/hooks/pre-receive`, a two-line shell script
that starts *this* Python (its absolute path: the hook works whatever PATH the server gives it)
on `python -m tracker.serve`.  git runs it before any ref moves, with every pushed object in a
quarantine the checks can read; a non-zero exit refuses the whole push and git shows the
pushing office what we print (each line prefixed `remote:`).

Refused: deleting the shared branch; a non-fast-forward update of any branch or moving a tag (a
rewritten history); any pushed commit that `tracker.verify.check_commits` faults: unsigned,
badly signed, signed by a key not in offices.yaml as it stood before it, author or committer not
the signer, a change the signer's office may not make; a plan, task, target or offices file that
fails validation (with or without offices.yaml: one office's malformed file must not reach every
other office's next sync).
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from .model import TrackerError

NULL = "0" * 40
MARKER = "# installed by tracker serve install"


def hook_script(python: str, branch: str) -> str:
    q = python.replace("'", "'\\''")
    b = branch.replace("'", "'\\''")
    return (f"#!/bin/sh\n{MARKER}: tracker's checks on every push (README: Offices and trust)\n"
            f"TRACKER_SERVE_BRANCH='{b}' exec '{q}' -m tracker.serve\n")


def hook_path(root: Path) -> Path:
    """Where the hook goes: Gitea keeps its own `hooks/pre-receive`, which runs every script in
    `hooks/pre-receive.d/` (ours: `tracker`); GitLab runs `custom_hooks/pre-receive` of the
    repository; anywhere else git runs `hooks/pre-receive` itself."""
    if (root / "hooks" / "pre-receive.d").is_dir():
        return root / "hooks" / "pre-receive.d" / "tracker"
    if (root / "custom_hooks").is_dir():
        return root / "custom_hooks" / "pre-receive"
    return root / "hooks" / "pre-receive"


def install(bare: str | os.PathLike, *, branch: str = "main", python: str | None = None) -> Path:
    import subprocess

    root = Path(bare).expanduser().resolve()
    if not root.is_dir():
        raise TrackerError(f"{root}: no such directory (make the shared repository with: git init --bare -b main {root})")
    r = subprocess.run(["git", "rev-parse", "--is-bare-repository"], cwd=root, capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() != "true":
        raise TrackerError(f"{root}: not a bare git repository (the hook belongs in the repository offices push to, "
                           f"made with git init --bare or git clone --bare)")
    hooks = root / "hooks"
    hooks.mkdir(exist_ok=True)
    path = hook_path(root)
    if path.exists() and MARKER not in path.read_text("utf-8", "replace"):
        raise TrackerError(f"{path} exists and was not written by tracker; merge the two by hand "
                           f"(call `{python or sys.executable} -m tracker.serve` from it, passing stdin on)")
    tmp = path.with_name(".tracker-hook.tmp")
    tmp.write_text(hook_script(python or sys.executable, branch), "utf-8")
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    tmp.replace(path)
    subprocess.run(["git", "config", "receive.denyNonFastForwards", "true"], cwd=root, check=True)
    return path


def check_push(git, updates: list[tuple[str, str, str]], branch: str = "main") -> list[str]:
    """Reasons to refuse the push (empty: accept).  `updates`: (old, new, ref) as git gives them."""
    from .verify import check_commits

    reasons: list[str] = []
    news = []
    for old, new, ref in updates:
        if new == NULL:
            if ref == f"refs/heads/{branch}":
                reasons.append(f"{ref}: deleting the shared branch is refused")
            continue
        if old != NULL:
            if ref.startswith("refs/tags/"):
                reasons.append(f"{ref}: a tag is never moved (it marks what a bulletin reported)")
                continue
            if not git.ok("merge-base", "--is-ancestor", old, new):
                reasons.append(f"{ref}: not a fast-forward ({old[:7]} → {new[:7]}): the push would rewrite the shared "
                               f"history; run tracker sync, which integrates the remote's commits first")
                continue
        news.append(new)
    if news:
        for cc in check_commits(git, [*news, "--not", "--all"], always_validate=True):
            for f in cc.findings:
                who = f"{cc.author}" + (f" ({cc.office})" if cc.office else "")
                reasons.append(f"{cc.sha[:7]} {who} “{cc.subject[:60]}”: {f.message}")
    return reasons


def main() -> int:
    from .gitstore import PlainGitRepo

    branch = os.environ.get("TRACKER_SERVE_BRANCH", "main")
    updates = []
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    try:
        reasons = check_push(PlainGitRepo(os.getcwd()), updates, branch)
    except Exception as exc:  # a broken check refuses: an unchecked push is what the hook exists to stop
        print(f"tracker: push refused: the check itself failed: {exc}", file=sys.stderr)
        return 1
    if not reasons:
        return 0
    print("tracker: push refused — nothing was changed on the shared repository:", file=sys.stderr)
    for r in reasons:
        print(f"  {r}", file=sys.stderr)
    print("Fix the commits (sign them: tracker office join; keep to your office's rights: README "
          "\"Offices and trust\"; tracker verify lists the same problems) and push again.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
