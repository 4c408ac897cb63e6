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

from .i18n import LANGS, book, table
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


#: refusals of installing the hook (str(err) English, err.text(lang) the user's language)
book("serve_install", {
    "no_dir": ("{root}：没有这个目录（请先建共享仓库：git init --bare -b main {root}）",
               "{root}: no such directory (make the shared repository with: git init --bare -b main {root})"),
    "not_bare": ("{root}：不是裸 git 仓库（钩子应装在各科室推送到的仓库中，即用 git init --bare 或 git clone --bare 建立的仓库）",
                 "{root}: not a bare git repository (the hook belongs in the repository offices push to, "
                 "made with git init --bare or git clone --bare)"),
    "foreign_hook": ("{path} 已存在且不是 tracker 写的；请手工合并二者（在其中调用 `{python} -m tracker.serve`，并传入标准输入）",
                     "{path} exists and was not written by tracker; merge the two by hand "
                     "(call `{python} -m tracker.serve` from it, passing stdin on)"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `serve_install.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"serve_install.{entry}", **args)


def install(bare: str | os.PathLike, *, branch: str = "main", python: str | None = None) -> Path:
    import subprocess

    root = Path(bare).expanduser().resolve()
    if not root.is_dir():
        raise _err("no_dir", root=root)
    r = subprocess.run(["git", "rev-parse", "--is-bare-repository"], cwd=root, capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() != "true":
        raise _err("not_bare", root=root)
    hooks = root / "hooks"
    hooks.mkdir(exist_ok=True)
    path = hook_path(root)
    if path.exists() and MARKER not in path.read_text("utf-8", "replace"):
        raise _err("foreign_hook", path=path, python=python or sys.executable)
    tmp = path.with_name(".tracker-hook.tmp")
    tmp.write_text(hook_script(python or sys.executable, branch), "utf-8")
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    tmp.replace(path)
    subprocess.run(["git", "config", "receive.denyNonFastForwards", "true"], cwd=root, check=True)
    return path


_WORDS = book("serve", {
    "delete": ("{ref}：不允许删除共享分支", "{ref}: deleting the shared branch is refused"),
    "tag": ("{ref}：标签不可移动（它标记通报所依据的历史）", "{ref}: a tag is never moved (it marks what a bulletin reported)"),
    "nonff": ("{ref}：不是快进更新（{old} → {new}），推送会改写共享历史；请运行 tracker sync，先合并远程的提交", "{ref}: not a fast-forward ({old} → {new}): the push would rewrite the shared history; run tracker sync, which integrates the remote's commits first"),
    "refused": ("tracker：推送被拒绝，共享仓库未作任何改动：", "tracker: push refused — nothing was changed on the shared repository:"),
    "fix": ("请修正这些提交（签名：tracker office join；只修改本科室有权修改的内容：见 README “Offices and trust”；tracker verify 会列出同样的问题）后再推送。", 'Fix the commits (sign them: tracker office join; keep to your office\'s rights: README "Offices and trust"; tracker verify lists the same problems) and push again.'),
    "failed": ("tracker：推送被拒绝：检查本身出错：{exc}", "tracker: push refused: the check itself failed: {exc}"),
})


def push_lang(git, updates: list[tuple[str, str, str]]) -> str:
    """$TRACKER_LANG, else `language:` of the newest plan in the pushed head, else zh."""
    import re

    env = os.environ.get("TRACKER_LANG", "")
    if env in LANGS:
        return env
    for _, new, _ in updates:
        if new == NULL:
            continue
        st, out, _ = git._execute(["ls-tree", "--name-only", new, "plan/"], check=False)
        years = sorted(n for n in out.decode("utf-8", "replace").split() if re.fullmatch(r"plan/\d{4}", n))
        if st == 0 and years:
            text = (git.show(new, f"{years[-1]}/plan.yaml") or b"").decode("utf-8", "replace")
            m = re.search(r"(?m)^language:\s*['\"]?(zh|en)", text)
            if m:
                return m.group(1)
    return "zh"


def check_push(git, updates: list[tuple[str, str, str]], branch: str = "main", lang: str = "en") -> list[str]:
    """Reasons to refuse the push (empty: accept).  `updates`: (old, new, ref) as git gives them."""
    from .verify import check_commits

    w = table("serve", lang)
    reasons: list[str] = []
    news = []
    for old, new, ref in updates:
        if new == NULL:
            if ref == f"refs/heads/{branch}":
                reasons.append(w["delete"].format(ref=ref))
            continue
        if old != NULL:
            if ref.startswith("refs/tags/"):
                reasons.append(w["tag"].format(ref=ref))
                continue
            if not git.ok("merge-base", "--is-ancestor", old, new):
                reasons.append(w["nonff"].format(ref=ref, old=old[:7], new=new[:7]))
                continue
        news.append(new)
    if news:
        st, tip, _ = git._execute(["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], check=False)
        shared = tip.decode().strip() if st == 0 else None
        for cc in check_commits(git, [*news, "--not", "--all"], always_validate=True, fallback=shared):
            for f in cc.findings:
                who = f"{cc.author}" + (f" ({cc.office})" if cc.office else "")
                reasons.append(f"{cc.sha[:7]} {who} “{cc.subject[:60]}”: {f.text(lang)}")
    return reasons


def main() -> int:
    from .gitstore import PlainGitRepo

    branch = os.environ.get("TRACKER_SERVE_BRANCH", "main")
    updates = []
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    git = PlainGitRepo(os.getcwd())
    lang = "zh"
    try:
        lang = push_lang(git, updates)
        reasons = check_push(git, updates, branch, lang)
    except Exception as exc:  # a broken check refuses: an unchecked push is what the hook exists to stop
        print(table("serve", lang)["failed"].format(exc=exc), file=sys.stderr)
        return 1
    if not reasons:
        return 0
    w = table("serve", lang)
    print(w["refused"], file=sys.stderr)
    for r in reasons:
        print(f"  {r}", file=sys.stderr)
    print(w["fix"], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
