"""Sync between offices: fetch, integrate, push, against any git remote.

Integration is a **rebase** of this office's unpushed commits onto the remote branch (see
docs/sync.md for why): `git log` stays one straight line in which every officer's update is still
exactly one commit with its own message, author and date.  Task and target files are merged by
tracker's semantic merge driver (tracker.merge) during the rebase, so the same field changed in two
offices becomes a recorded conflict in the file, never markers and never a stopped rebase.

Safety rules, all enforced here:

* nothing is integrated while tracked files have uncommitted edits (they are listed; nothing is
  touched, nothing lost);
* any failure while integrating runs `git rebase --abort`: the branch and work tree are exactly
  as before, and the message says what happened and which file;
* a repository left mid-rebase or mid-merge (a sync killed half-way, a crashed `git pull`) is
  put back with `--abort` before the next sync, which then simply runs again: the local commits
  are still on the branch, so nothing is lost;
* a push rejected because another office pushed meanwhile is integrated again and retried, a
  bounded number of times.

Nothing here imports Textual; the TUI calls `sync()` from a thread worker.
"""
from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .gitstore import GitError
from .i18n import LANGS, Said, Words, book, join, said, say_in, told
from .model import TrackerError
from .blame import Blamer, Side, value_at  # noqa: F401 - importers use sync's names
from .fieldpath import _entry, norm, values_of
from .merge import recordable
from .sync_recover import SyncError, _apply, _marker, recover_interrupted, recover_on_open  # noqa: F401
from .sync_setup import ensure_repo_config, interrupted_state

MAX_ATTEMPTS = 5
NETWORK_ENV = {"GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=20")}
NETWORK_CFG = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30")

LABELS = book("sync", {
    "lock_removed": ("已删除共享仓库中遗留的过期锁：{locks}", "removed a stale lock left in the shared repository: {locks}"),
    "fetching": ("正在获取远程更新…", "fetching…"),
    "integrating": ("正在合并…", "integrating…"),
    "pushing": ("正在推送…", "pushing…"),
    "retry": ("远程有新提交，重新合并（第 {n} 次）…", "the remote moved; integrating again (attempt {n})…"),
    "nothing": ("已是最新，无需同步", "already up to date"),
    "task_n": ("{n} 个任务", "{n} tasks"),
    "target_n": ("{n} 项目标", "{n} targets"),
    "file_n": ("{n} 个文件", "{n} files"),
    "by": ("{what}由 {who} 更新", "{what} changed by {who}"),
    "sent": ("推送 {n} 个提交", "pushed {n} commits"),
    "got": ("收到 {n} 个提交", "received {n} commits"),
    "conflicts": ("{n} 个任务有冲突待解决", "{n} tasks have conflicts to resolve"),
    "ahead": ("待推送 {n}", "{n} to push"),
    "behind": ("待接收 {n}", "{n} to receive"),
    "no_remote": ("未设置远程仓库", "no remote set"),
    "invalid": ("{n} 个文件未通过校验（来自其他科室，tracker check 查看）：{files}", "{n} file(s) fail validation (from another office; see tracker check): {files}"),
    "missing": ("{n} 个任务的文件缺失（被删除或改名，tracker check 查看）：{items}", "{n} item(s) have no file (deleted or renamed; see tracker check): {items}"),
    "seconds": ("{n:.0f} 秒", "{n:.0f} seconds"),
    "minutes": ("{n:.0f} 分钟", "{n:.0f} minutes"),
    "hours": ("{n:.1f} 小时", "{n:.1f} hours"),
    "no_remote_help": ("此仓库没有远程仓库，无法同步。添加一个（各科室共用的仓库）：\n"
                       "  tracker remote add 地址      例如 /srv/git/dc2020.git、ssh://host/srv/git/dc2020.git、\n"
                       "                               https://git.example.gov.cn/dc2020.git、git://host/dc2020.git\n"
                       "  （等同于 git remote add origin 地址）然后运行 tracker sync",
                       "this repository has no remote to sync with. Add the shared one:\n"
                       "  tracker remote add URL      e.g. /srv/git/dc2020.git, ssh://host/srv/git/dc2020.git,\n"
                       "                              https://git.example.gov.cn/dc2020.git, git://host/dc2020.git\n"
                       "  (the same as `git remote add origin URL`), then run `tracker sync`"),
})


def label(key: str, lang: str = "zh", **kw) -> str:
    """The sync area's entry (say("sync.<key>"))."""
    return say_in("sync", key, lang, **kw)


@dataclass
class RemoteStatus:
    remote: str | None
    branch: str | None
    url: str | None
    ahead: int = 0
    behind: int = 0
    has_remote_branch: bool = False
    state: str | None = None  # an interrupted rebase/merge


@dataclass
class SyncResult:
    remote: str
    branch: str
    received: int = 0  # commits that arrived
    pushed: int = 0
    attempts: int = 1
    arrived_paths: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    conflicts: list[str] = field(default_factory=list)  # every file with recorded conflicts now
    new_conflicts: list[str] = field(default_factory=list)  # recorded by this sync
    recovered: str | None = None
    seconds: float = 0.0
    invalid: list[str] = field(default_factory=list)  # "path: problem" of files that arrived broken (not ours)
    tags: int = 0  # bulletin tags received or sent
    missing: list = field(default_factory=list)  # tracker.history.MissingItem: task files deleted/renamed with plain git
    renumbered: list = field(default_factory=list)  # (old id, new id): an unpushed new item whose number another office took


# -- status (no network) ----------------------------------------------------------------------
def current_branch(ws) -> str | None:
    out = ws.git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).strip()
    return out or None


def pick_remote(ws, branch: str | None) -> str | None:
    if branch:
        r = ws.git.run("config", "--get", f"branch.{branch}.remote", check=False).strip()
        if r and r != ".":
            return r
    remotes = [r for r in ws.git.run("remote", check=False).split() if r]
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None


def remote_branch(ws, branch: str) -> str:
    merge = ws.git.run("config", "--get", f"branch.{branch}.merge", check=False).strip()
    return merge.removeprefix("refs/heads/") if merge.startswith("refs/heads/") else branch


def status(ws) -> RemoteStatus:
    """Remote name and ahead/behind from the last fetch; cheap (no network)."""
    branch = current_branch(ws)
    remote = pick_remote(ws, branch)
    st = RemoteStatus(remote=remote, branch=branch, url=None, state=interrupted_state(ws.git.git_dir))
    if not remote or not branch:
        return st
    st.url = ws.git.run("remote", "get-url", remote, check=False).strip() or None
    ref = f"refs/remotes/{remote}/{remote_branch(ws, branch)}"
    if ws.git.ok("rev-parse", "-q", "--verify", ref) and ws.git.head():
        st.has_remote_branch = True
        out = ws.git.run("rev-list", "--left-right", "--count", f"HEAD...{ref}").split()
        st.ahead, st.behind = int(out[0]), int(out[1])
    elif ws.git.head():
        st.ahead = int(ws.git.run("rev-list", "--count", "HEAD").strip() or 0)
    return st


def fetch_status(ws) -> RemoteStatus:
    """Fetch quietly, then `status()`: the counts the TUI shows.  Raises SyncError when offline."""
    st = status(ws)
    if st.remote and st.branch and not st.state:
        _fetch(ws, st.remote, st.url)
        st = status(ws)
    return st


def no_remote_message(lang: str = "en") -> str:
    return label("no_remote_help", lang)


# -- failures explained -----------------------------------------------------------------------
_AUTH = ("authentication failed", "permission denied", "could not read username", "could not read password",
         "terminal prompts disabled", "host key verification failed", "403", "401 ", "access denied",
         "invalid username or password")
_OFFLINE = ("could not resolve host", "connection refused", "network is unreachable", "connection timed out",
            "timed out", "unable to connect", "unable to access", "no route to host", "could not read from remote",
            "connection reset", "temporary failure in name resolution", "unable to look up", "the remote end hung up")
_MISSING = ("does not appear to be a git repository", "repository not found", "no such file or directory",
            "not found")


SYNC_ERRORS = book("sync_error", {
    "fetch": ("获取", "fetching from"),
    "push": ("推送", "pushing to"),
    "safe": ("\n本地未作任何改动；您的提交安全，下次 `tracker sync` 时会发送。",
             "\nNothing was changed here; your commits are safe and will be sent by the next `tracker sync`."),
    "auth": ("{doing}（远程 {where}）失败：远程仓库拒绝了我们的凭据。\n  git: {err}\n"
             "请检查 ssh 密钥（ssh-add）或已保存的 https 凭据；tracker 从不询问密码。{tail}",
             "{doing_en} {where} failed: the remote refused our credentials.\n  git: {err}\n"
             "Check your ssh key (ssh-add) or saved https credentials; tracker never asks for a password.{tail_en}"),
    "not_found": ("{doing}（远程 {where}）失败：该地址没有仓库。\n  git: {err}\n"
                  "请用 `git remote -v` 检查地址（修改：git remote set-url {remote} 地址）。{tail}",
                  "{doing_en} {where} failed: no repository there.\n  git: {err}\n"
                  "Check the address with `git remote -v` (change it: git remote set-url {remote} URL).{tail_en}"),
    "offline": ("{doing}（远程 {where}）失败：无法连接远程仓库（离线？）。\n  git: {err}{tail}",
                "{doing_en} {where} failed: the remote is unreachable (offline?).\n  git: {err}{tail_en}"),
    "failed": ("{doing}（远程 {where}）失败。\n  git: {err}{tail}", "{doing_en} {where} failed.\n  git: {err}{tail_en}"),
    "detached": ("HEAD 不在任何分支上（detached）；请先切换到您的分支，例如 git switch main",
                 "HEAD is not on a branch (detached); check out your branch first, e.g. git switch main"),
    "dirty": ("下列文件有未提交的修改，因此没有合并任何内容（这些文件未被改动）：\n  {shown}\n"
              "请提交它们（git commit -m '…' -- 文件）或还原（git restore 文件），然后再运行 tracker sync。",
              "these files have edits that are not committed, so nothing was merged (they are untouched):\n  {shown}\n"
              "Commit them (git commit -m '…' -- FILE) or put them back (git restore FILE), then run tracker sync again."),
    "sign_failed": ("无法为重放的提交签名（已开启 commit.gpgsign）：\n  git: {err}\n未改动任何内容；您的提交完好无损。",
                    "could not sign the replayed commits (commit.gpgsign is on):\n  git: {err}\n"
                    "Nothing was changed; your commits are intact."),
    "update_from": ("无法用 {upstream} 更新文件：\n  git: {err}\n未改动任何内容（请移走或删除 git 列出的文件，再同步）。",
                    "could not update the files from {upstream}:\n  git: {err}\n"
                    "Nothing was changed (move or delete the files git names, then sync again)."),
    "update_merged": ("无法把文件更新为合并结果：\n  git: {err}\n未改动任何内容；您的提交完好无损。",
                      "could not update the files to the merged result:\n  git: {err}\n"
                      "Nothing was changed; your commits are intact."),
    "merge": ("远程的修改无法与您的修改合并，涉及：{files}\n  git: {err}\n一切已恢复到同步前的状态（您的提交完好无损，未推送任何内容）。"
              "一方不是有效 YAML 的文件，或双方都修改了 plan.yaml，须先手工修正（tracker check 会列出）。",
              "the changes from the remote could not be combined with yours in: {files}\n  git: {err}\n"
              "Everything is back as before the sync (your commits are intact, nothing was pushed). "
              "A file that is not valid YAML on one side, or a change to plan.yaml on both sides, "
              "must be fixed by hand first (tracker check shows it)."),
    "git_named_none": ("git 未列出文件", "(git named none)"),
    "locked_path": ("共享仓库被锁定：{lock} 存在{how_old}。\n如果现在没有科室在推送，它是一次被中止的推送留下的。请用 "
                    "`tracker sync --break-lock` 删除它（它会检查锁已存在超过 {minutes} 分钟，且本机没有向该仓库的推送在运行）。\n"
                    "您的提交已在本地合并，安全无损。",
                    "the shared repository is locked: {lock} exists{how_old_en}.\nIf no office is pushing now, it was left by "
                    "a push that was killed. Remove it with `tracker sync --break-lock` (it checks that the lock is older "
                    "than {minutes} minutes and that no push to this repository runs on this machine).\n"
                    "Your commits are integrated locally and safe."),
    "locked_server": ("共享仓库被锁定：{lock} 存在{how_old}。\n请联系共享仓库服务器的管理人员，确认没有推送在运行后删除该文件。\n"
                      "您的提交已在本地合并，安全无损。",
                      "the shared repository is locked: {lock} exists{how_old_en}.\nAsk whoever runs the shared repository's "
                      "server to check that no push runs and remove that file.\nYour commits are integrated locally and safe."),
    "how_old": ("，已存在 {age}", ", {age} old"),
    "break_not_folder": ("--break-lock 只适用于以文件夹方式访问的远程仓库；{url} 不是。请联系其服务器的管理人员删除失效的锁文件。",
                         "--break-lock works only for a remote reached as a folder; {url} is not. Ask whoever runs its "
                         "server to remove the stale lock file."),
    "break_too_young": ("{lock} 只存在了 {age}：可能正有推送在进行。未删除任何内容；请稍候再同步"
                        "（--break-lock 只删除存在超过 {minutes} 分钟的锁）。",
                        "{lock} is only {age_en} old: a push may be running right now. Nothing was removed; wait and sync "
                        "again (--break-lock removes locks older than {minutes} minutes)."),
    "break_running": ("本机正有向 {repo} 的推送在运行（进程 {pid}）；未删除任何内容。",
                      "a push to {repo} is running on this machine (process {pid}); nothing was removed."),
    "invalid": ("未推送：下列文件未通过校验，推送后各科室都会收到它们：\n  {shown}\n请修正它们（tracker check 列出每个问题），"
                "提交后再同步。您的提交已在本地合并，安全无损。",
                "not pushed: these files fail validation, and every office would get them:\n  {shown_en}\nFix them "
                "(tracker check shows every problem), commit, and sync again. Your commits are integrated locally and safe."),
    "rejected": ("推送时远程仓库不断变化（已尝试 {n} 次）：其他科室正在同步。您的提交已在本地合并，安全无损；请再次运行 tracker sync。",
                 "the remote kept changing while we pushed ({n} attempts): other offices are syncing right now. "
                 "Your commits are integrated locally and safe; run tracker sync again."),
})


def _fail(kind: str, entry: str, **args) -> SyncError:
    """The book entry `sync_error.<entry>` as a SyncError of `kind`: str() English, err.text(lang) the user's."""
    return SyncError(kind, say_in("sync_error", entry, "en", **args), key=f"sync_error.{entry}", **args)


def explain_network(exc: GitError, remote: str, url: str | None, doing: str) -> SyncError:
    """git's failure to reach `remote`, explained; `doing` is "fetch" or "push" (a sync_error entry)."""
    err = exc.stderr
    low = err.lower()
    args = {"doing": say_in("sync_error", doing, "zh"), "doing_en": say_in("sync_error", doing, "en"),
            "where": f"{remote} ({url})" if url else remote, "err": err, "remote": remote,
            "tail": say_in("sync_error", "safe", "zh"), "tail_en": say_in("sync_error", "safe", "en")}
    if any(s in low for s in _AUTH):
        return _fail("auth", "auth", **args)
    if any(s in low for s in _MISSING) and "could not resolve" not in low:
        return _fail("not_found", "not_found", **args)
    if any(s in low for s in _OFFLINE):
        return _fail("offline", "offline", **args)
    return _fail("failed", "failed", **args)


# -- the sync ---------------------------------------------------------------------------------
def uncommitted(ws) -> list[str]:
    """Tracked files with edits not committed (a rebase would refuse them; we never touch them)."""
    out = ws.git.run("status", "--porcelain=v1", "-z", "--untracked-files=no")
    paths, recs, i = [], out.split("\0"), 0
    while i < len(recs):
        rec = recs[i]
        i += 1
        if not rec:
            continue
        if rec[0] in "RC":
            i += 1
        paths.append(rec[3:])
    return paths


def _fetch(ws, remote: str, url: str | None) -> None:
    try:
        ws.git.run(*NETWORK_CFG, "fetch", "--no-tags", "--prune", remote, *_fetch_refspecs(ws, remote), env=NETWORK_ENV)
    except GitError as exc:
        raise explain_network(exc, remote, url, "fetch") from exc


def _fetch_refspecs(ws, remote: str) -> list[str]:
    """The remote's configured branches, plus its bulletin tags into refs/tracker/<remote>-bulletin/
    (a namespace of their own, so pruning there never touches a bulletin tag made here)."""
    specs = [x for x in ws.git.run("config", "--get-all", f"remote.{remote}.fetch", check=False).split() if x]
    return (specs or [f"+refs/heads/*:refs/remotes/{remote}/*"]) + [f"+refs/tags/bulletin/*:refs/tracker/{remote}-bulletin/*"]


def _arrivals(ws, upstream: str) -> tuple[int, list[str], list[str]]:
    """Commits HEAD lacks from `upstream`: count, plan files they changed, their authors."""
    out = ws.git.run("log", "--format=%x1e%an", "--name-only", "--no-renames", f"HEAD..{upstream}")
    paths: list[str] = []
    authors: list[str] = []
    n = 0
    for chunk in out.split("\x1e")[1:]:
        n += 1
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if lines:
            authors.append(lines[0])
            paths += [p for p in lines[1:] if p.startswith("plan/")]
    return n, list(dict.fromkeys(paths)), list(dict.fromkeys(authors))


def summarize(paths: list[str], authors: list[str], lang: str) -> str:
    tasks = [p for p in paths if "/tasks/" in p]
    targets = [p for p in paths if "/targets/" in p]
    other = [p for p in paths if p not in tasks and p not in targets]
    parts = []
    if tasks:
        parts.append(label("task_n", lang, n=len(tasks)))
    if targets:
        parts.append(label("target_n", lang, n=len(targets)))
    if other:
        parts.append(label("file_n", lang, n=len(other)))
    if not parts:
        return ""
    what = join(parts, lang)
    who = join(authors[:3], lang) + ("…" if len(authors) > 3 else "")
    return label("by", lang, what=what, who=who or "?")


_ZERO = "0" * 40


class _Fallback(Exception):
    """The in-process replay met something it leaves to git rebase (a merge commit, a rename...)."""


def _changed(git, a: str, b: str) -> set[str]:
    return {p for p in git.run("diff", "--name-only", "--no-renames", "-z", a, b).split("\0") if p}


def _parse_commit(raw: bytes) -> tuple[list[str], str, str, str, str]:
    """(parents, author name, author email, author date 'ts tz', message) of a raw commit object."""
    text = raw.decode("utf-8", "replace")
    head, _, message = text.partition("\n\n")
    parents, author = [], ""
    for line in head.splitlines():
        if line.startswith("parent "):
            parents.append(line[7:].strip())
        elif line.startswith("author "):
            author = line[7:]
    name_email, _, when = author.rpartition("> ")
    name, _, email = name_email.partition(" <")
    return parents, name, email, when.strip(), message


def _iso(when: str) -> str:
    from datetime import datetime, timedelta, timezone

    try:
        ts, tz = when.split()
        sign = -1 if tz.startswith("-") else 1
        off = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
        return datetime.fromtimestamp(int(ts), timezone(off)).isoformat()
    except (ValueError, IndexError):
        return when


def _replay(ws, upstream: str) -> tuple[str, list[str]]:
    """Rebase HEAD's own commits onto `upstream` in process: returns (new head, paths with new conflicts).

    The same result as `git rebase` with the merge driver, without starting Python once per file
    and with a fixed number of git processes whatever the number of commits: the commits and blobs
    are read in one `cat-file --batch`, each changed task file is merged here with tracker.merge,
    and the rewritten commits (own author, date and message; committer = this officer, as rebase
    does) are written by one `git fast-import`.  Nothing in the work tree, index or branch changes
    until the final `git reset --keep`, so a kill at any point leaves the repository as it was.
    Raises _Fallback for anything unusual (a merge commit, a rename, a file deleted on one side)."""
    from .merge import MergeError, merge_texts
    from .store import blob_id

    git = ws.git
    if git.run("rev-parse", "--show-object-format", check=False).strip() not in ("", "sha1"):
        raise _Fallback("object format")
    shas = [x for x in git.run("rev-list", "--reverse", "--topo-order", f"{upstream}..HEAD").split() if x]
    objs = git.blobs(shas)
    commits = []
    for sha in shas:
        parents, name, email, when, message = _parse_commit(objs[sha])
        if len(parents) != 1:
            raise _Fallback("merge commit")
        commits.append((sha, name, email, when, message))
    commits_message = {c[0]: c[4] for c in commits}
    out = git.run("diff-tree", "--stdin", "-r", "--no-renames", "--no-abbrev", "-z", input=("\n".join(shas) + "\n").encode())
    changes: dict[str, list[tuple[str, str, str, str]]] = {}
    recs, i, cur = out.split("\0"), 0, None
    while i < len(recs):
        rec = recs[i].strip("\n")
        i += 1
        if not rec:
            continue
        if not rec.startswith(":"):
            cur = rec
            changes.setdefault(cur, [])
            continue
        _omode, nmode, oblob, nblob, _status = rec[1:].split()
        changes[cur].append((nmode, oblob, nblob, recs[i]))
        i += 1
    remote_side: dict[str, Side] = {}  # who last changed each file on the remote side (a fallback only)
    log = git.run("log", "--format=%x1e%an%x1f%aI", "--name-only", "--no-renames", f"HEAD..{upstream}")
    for chunk in log.split("\x1e")[1:]:
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if lines and "\x1f" in lines[0]:
            an, ai = lines[0].split("\x1f", 1)
            for p in lines[1:]:
                remote_side.setdefault(p, Side(an, ai))
    tip = git.run("rev-parse", upstream).strip()
    blamer = Blamer(git, tip)
    touched = {c[3] for cs in changes.values() for c in cs}
    tree: dict[str, tuple[str, str]] = {}  # path -> (mode, blob id) for the touched paths, as the replay goes
    if touched:
        listing = git.run("ls-tree", "-z", "--full-tree", tip, "--", *sorted(touched))
        for rec in listing.split("\0"):
            if rec:
                meta, _, path = rec.partition("\t")
                mode, _kind, blob = meta.split()
                tree[path] = (mode, blob)
    wanted = {b for cs in changes.values() for _m, o, n, p in cs if recordable(p) for b in (o, n)}
    wanted |= {tree[p][1] for p in touched if p in tree and recordable(p)}
    content: dict[str, bytes] = git.blobs(b for b in wanted if b != _ZERO)  # blob id -> bytes (merged ones added)
    committer = git.run("var", "GIT_COMMITTER_IDENT").strip()
    lang = ws.language()
    stream: list[bytes] = []
    conflicted: list[str] = []
    parent_ref = tip
    mark = 0
    for sha, name, email, when, message in commits:
        ops: list[bytes] = []
        notes: list[dict] = []  # per recordable path: what the replay did to this commit's change
        for nmode, oblob, nblob, path in changes.get(sha, []):
            have = tree.get(path)
            cur_blob = have[1] if have else _ZERO
            if cur_blob == nblob:  # the shared history already holds exactly this change
                if recordable(path) and oblob != nblob:
                    notes.append({"path": path, "old": oblob, "new": nblob, "cur": cur_blob, "result": cur_blob})
                continue
            if cur_blob == oblob:  # the remote left it alone: this commit's version
                if nblob == _ZERO:
                    tree.pop(path, None)
                    ops.append(b"D " + path.encode() + b"\n")
                else:
                    tree[path] = (nmode, nblob)
                    ops.append(f"M {nmode} {nblob} ".encode() + path.encode() + b"\n")
                continue
            if not (recordable(path) and nblob != _ZERO and have is not None and oblob in content | {_ZERO: b""}):
                raise _Fallback(f"{path}: changed on both sides and not mergeable here")
            try:
                base = content[oblob].decode("utf-8") if oblob != _ZERO else None
                res = merge_texts(base, content[cur_blob].decode("utf-8"), content[nblob].decode("utf-8"),
                                  blamer.side_of(path, remote_side.get(path, Side("?", ""))), Side(name, _iso(when)),
                                  path=path)
            except (MergeError, UnicodeDecodeError, KeyError) as exc:
                raise _Fallback(f"{path}: {exc}") from None
            data = res.text.encode("utf-8")
            blob = blob_id(data)
            if res.conflicts and path not in conflicted:
                conflicted.append(path)
            content[blob] = data
            notes.append({"path": path, "old": oblob, "new": nblob, "cur": cur_blob, "result": blob,
                          "recorded": res.conflicts, "stale": res.stale})
            if blob == cur_blob:
                continue
            tree[path] = (have[0], blob)
            ops.append(f"M {have[0]} inline ".encode() + path.encode() + b"\n" + f"data {len(data)}\n".encode() + data + b"\n")
        message = _replayed_message(message, notes, content, blamer, lang, name)
        if not ops and message is None and sha in changes:
            continue  # became empty and nothing to tell: dropped, as git rebase drops it
        # (a commit that was empty from the start, e.g. an earlier "same as" commit, is kept as git rebase keeps it)
        if message is None:
            message = commits_message[sha]
        mark += 1
        msg = message.encode("utf-8")
        stream.append(b"commit refs/tracker/replay\n" + f"mark :{mark}\n".encode()
                      + f"author {name} <{email}> {when}\n".encode() + f"committer {committer}\n".encode()
                      + f"data {len(msg)}\n".encode() + msg + b"\n"
                      + f"from {parent_ref}\n".encode() + b"".join(ops) + b"\n")
        parent_ref = f":{mark}"
    if not stream:
        return tip, conflicted
    stream.append(b"done\n")
    git.run("fast-import", "--quiet", "--done", "--force", input=b"".join(stream))
    new_head = git.run("rev-parse", "refs/tracker/replay").strip()
    git.run("update-ref", "-d", "refs/tracker/replay")
    if signing(git):
        new_head = _sign_chain(git, tip, new_head)
    return new_head, conflicted


def signing(git) -> bool:
    """The clone signs its commits (commit.gpgsign): replayed commits are signed too."""
    return git.run("config", "--bool", "--get", "commit.gpgsign", check=False).strip() == "true"


def _sign_chain(git, base: str, head: str) -> str:
    """Rewrite base..head as signed commits (`git commit-tree -S`), same trees, authors and messages.

    fast-import cannot sign; one commit-tree per replayed commit, only when signing is configured."""
    shas = [x for x in git.run("rev-list", "--reverse", f"{base}..{head}").split() if x]
    objs = git.blobs(shas)
    parent = base
    for sha in shas:
        _parents, name, email, when, message = _parse_commit(objs[sha])
        tree = git.run("rev-parse", f"{sha}^{{tree}}").strip()
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when}
        try:
            parent = git.run("commit-tree", "-S", tree, "-p", parent, input=message.encode("utf-8"), env=env).strip()
        except GitError as exc:
            raise _fail("failed", "sign_failed", err=exc.stderr) from exc
    return parent


def _load_blob(content: dict[str, bytes], blob: str, path: str):
    from .yamlio import YamlError, decode, fast_load

    if blob == _ZERO or blob not in content:
        return None
    try:
        return fast_load(decode(content[blob], path), path)
    except YamlError:
        return None


def _replayed_message(message: str, notes: list[dict], content: dict[str, bytes], blamer: Blamer, lang: str,
                      me: str) -> str | None:
    """The message a replayed commit needs: None when its change is exactly what it was (keep it).

    When the replay changed what the commit does (a conflict recorded instead of a value set, a
    change the shared history already held, a resolve that no longer applies), the message is
    rewritten from the commit's new diff (commitmsg.replay_message).  A tracker commit whose whole
    change was already there is kept, empty, saying whose commit it matched (docs/sync.md)."""
    from . import commitmsg
    from .changes import diff_records

    tr = commitmsg.trailers(message)
    sid = tr.get("Tracker-Task") or tr.get("Tracker-Target")
    if not notes:
        return None
    rewrite = False
    orig_all, new_all, recorded, same, stale = [], [], [], [], []
    same_resolve: list[dict] = []
    same_side: list[dict] = []
    resolved_before = [f.split("=")[0].strip() for f in tr.get("Tracker-Resolve", "").split(",") if f.strip()]
    conflict_before = [f.strip() for f in tr.get("Tracker-Conflict", "").split(",") if f.strip()]
    title = ""
    for n in notes:
        path = n["path"]
        o, nw = _load_blob(content, n["old"], path), _load_blob(content, n["new"], path)
        cur, res = _load_blob(content, n["cur"], path), _load_blob(content, n["result"], path)
        if nw is None or res is None:
            continue
        orig, new = diff_records(o, nw), diff_records(cur, res)
        title = str(res.get("title") or res.get("text") or title) if isinstance(res, dict) else title
        if orig == new:
            continue
        rewrite = True
        orig_all += orig
        new_all += new
        for r in n.get("recorded") or []:  # a side the shared history already held is not recorded by this commit
            mine = (r.get("theirs") or {}).get("value")
            held = next((sd for sd in values_of(_entry(cur, r["field"]) or {}) if norm(sd.get("value")) == norm(mine)), None)
            if held is None:
                recorded.append(r)
            else:
                hit = blamer.side_added(path, r["field"], mine)
                same_side.append({"field": r["field"], "value": mine, "author": held.get("author") or "?",
                                  "date": str(held.get("date") or ""), "sha": hit[0] if hit else ""})
        own_stale = [st for st in n.get("stale") or [] if st.get("resolved_by") == "theirs"]  # this commit's resolves
        stale += own_stale
        new_fields = {c.field for c in new}
        rec_fields = {r["field"] for r in n.get("recorded") or []} | {st["field"] for st in own_stale}
        for ch in orig:
            if ch.field in new_fields or ch.field == "conflicts" or ch.field in rec_fields:
                continue
            if norm(value_at(res, ch.field)) != norm(ch.new):
                continue
            hit = blamer.who_set(path, ch.field, ch.new)
            if hit:
                same.append({"change": ch, "sha": hit[0], "author": hit[1], "date": hit[2]})
        # a resolve the shared history already made, to the same value: kept as "the same as" the
        # commit that resolved it there, as an identical edit is (issue 10, point 4)
        for f in resolved_before:
            if f in rec_fields or not (_has_entry(o, f) and not _has_entry(nw, f)
                                        and not _has_entry(cur, f) and not _has_entry(res, f)):
                continue
            chosen = value_at(nw, f)
            if norm(value_at(res, f)) != norm(chosen):
                continue
            hit = blamer.resolved_by(path, f)
            if hit and norm(value_at(hit[3], f)) == norm(chosen):
                same = [sm for sm in same if sm["change"].field not in (f, f.removesuffix(".value"))]
                same_resolve.append({"field": f, "value": chosen, "sha": hit[0], "author": hit[1], "date": hit[2]})
        # a value of this commit that the replay did not set: a side of the field's recorded conflict.
        # The commit's own change (0 → 60), or its side from an earlier rewrite (Tracker-Conflict),
        # either added by this commit (it records the conflict), or already held by the shared
        # history (someone's side with the same value: "the same as" the commit that added it)
        wanted = [(ch.field, ch.new) for ch in orig if ch.field not in new_fields and ch.field != "conflicts"
                  and ch.field not in rec_fields and norm(value_at(res, ch.field)) != norm(ch.new)
                  and not any(sm["change"] is ch for sm in same)]
        for f in conflict_before:
            mine = next((sd for sd in values_of(_entry(nw, f) or {}) if sd.get("author") == me), None)
            if mine is not None and f not in rec_fields:
                wanted.append((f, mine.get("value")))
        done_fields: set[str] = set()
        for f, value in wanted:
            ef = f if _entry(res, f) is not None else f + ".value"
            entry = _entry(res, ef)
            if entry is None or ef in done_fields or not any(norm(sd.get("value")) == norm(value) for sd in values_of(entry)):
                continue
            done_fields.add(ef)
            held = next((sd for sd in values_of(_entry(cur, ef) or {}) if norm(sd.get("value")) == norm(value)), None)
            if held is None:
                mine = next((sd for sd in values_of(entry) if norm(sd.get("value")) == norm(value)), None)
                if isinstance(entry.get("ours"), dict) and mine is not None and mine is not entry.get("ours"):
                    recorded.append({"field": ef, "ours": entry["ours"], "theirs": mine})
                continue
            hit = blamer.side_added(path, ef, value)
            same_side.append({"field": ef, "value": value, "author": held.get("author") or "?",
                              "date": str(held.get("date") or ""), "sha": hit[0] if hit else ""})
    if not rewrite or not sid:
        return None  # unchanged, or not a tracker commit (a hand commit keeps its own words)
    return commitmsg.replay_message(message, sid, title, orig_all, new_all, lang, me=me, recorded=recorded,
                                    same=same, stale=stale, same_resolve=same_resolve, same_side=same_side)


def _has_entry(data, field: str) -> bool:
    return _entry(data, field) is not None


def _integrate(ws, remote: str, upstream: str) -> tuple[list[str], str | None]:
    """Bring HEAD up to `upstream`.  Returns (paths given new conflicts, None) or raises SyncError.

    On any failure the branch and work tree are put back exactly as they were."""
    git = ws.git
    counts = git.run("rev-list", "--left-right", "--count", f"HEAD...{upstream}").split()
    ahead, behind = int(counts[0]), int(counts[1])
    if behind == 0:
        return [], None
    conflict_log = ws.state_dir / "merge-conflicts.jsonl"
    conflict_log.unlink(missing_ok=True)
    before = git.head()
    from .yamlio import atomic_write

    atomic_write(_marker(ws), json.dumps({"pid": os.getpid(), "before": before, "upstream": upstream,
                                          "started": time.time()}))
    try:
        if ahead == 0:
            try:
                _apply(ws, before, git.run("rev-parse", upstream).strip())
            except GitError as exc:
                raise _fail("failed", "update_from", upstream=upstream, err=exc.stderr) from exc
        else:
            mb = git.run("merge-base", "HEAD", upstream).strip()
            both = _changed(git, mb, "HEAD") & _changed(git, mb, upstream)
            if all(recordable(p) for p in both):
                try:  # in process: a fixed number of git processes, no Python start per merged file
                    new_head, replayed_conflicts = _replay(ws, upstream)
                except _Fallback:
                    new_head = None
                if new_head:
                    git.run("update-ref", "ORIG_HEAD", before)
                    try:
                        _apply(ws, before, new_head)
                    except GitError as exc:
                        raise _fail("failed", "update_merged", err=exc.stderr) from exc
                    for p in replayed_conflicts:
                        _log_conflict(conflict_log, p)
                    return _read_conflicts(conflict_log), None
            try:
                git.run("-c", "rebase.autoStash=false", "-c", "rebase.updateRefs=false", "-c", "rebase.autoSquash=false",
                        "rebase", "-q", "--no-autosquash", "--reapply-cherry-picks", "--empty=keep", upstream,
                        env={"TRACKER_SYNC": "1"})  # a change the remote already holds keeps its commit (point 4)
                _rewrite_after_rebase(ws, before, upstream)
            except GitError as exc:
                unmerged = git.run("diff", "--name-only", "--diff-filter=U", check=False).split()
                git.run("rebase", "--abort", check=False)
                if interrupted_state(git.git_dir):
                    recover_interrupted(ws)
                raise _fail("merge", "merge", files=Words(unmerged, none="sync_error.git_named_none"),
                            err=exc.stderr.splitlines()[-1] if exc.stderr else "") from exc
    finally:
        _marker(ws).unlink(missing_ok=True)
    return _read_conflicts(conflict_log), None


def _rewrite_after_rebase(ws, before: str, upstream: str) -> None:
    """The `git rebase` path keeps every message as it was; give the commits whose change the
    rebase altered a message that describes their new diff (as the in-process replay does).

    Rebased commits are paired with the originals by author, author date and message; the trees
    do not change (the work tree is untouched), only the messages of the chain from the first
    rewritten commit (signed again when commit.gpgsign is on)."""
    git = ws.git
    head = git.head()
    originals = [x for x in git.run("rev-list", "--reverse", f"{upstream}..{before}").split() if x]
    rebased = [x for x in git.run("rev-list", "--reverse", f"{upstream}..HEAD").split() if x]
    if not originals or not rebased:
        return
    objs = git.blobs(originals + rebased)
    key = {}
    for sha in originals:
        parents, name, email, when, message = _parse_commit(objs[sha])
        key[(name, email, when, message)] = (sha, parents[0] if parents else None)
    pairs = []
    for sha in rebased:
        parents, name, email, when, message = _parse_commit(objs[sha])
        orig = key.get((name, email, when, message))
        pairs.append((sha, parents[0] if parents else None, orig, name, email, when, message))
    wanted: list[str] = []
    per: dict[str, list[str]] = {}
    for sha, parent, orig, *_ in pairs:
        if not orig or not parent or not orig[1]:
            continue
        paths = [p for p in git.run("diff-tree", "-r", "--no-commit-id", "--name-only", "--no-renames", orig[0]).split("\n")
                 if p and recordable(p)]
        per[sha] = paths
        for p in paths:
            wanted += [f"{orig[1]}:{p}", f"{orig[0]}:{p}", f"{parent}:{p}", f"{sha}:{p}"]
    if not wanted:
        return
    content = git.blobs(wanted)
    blamer = Blamer(git, upstream)
    lang = ws.language()
    new_messages = {}
    for sha, parent, orig, name, _email, _when, message in pairs:
        if sha not in per:
            continue
        notes = []
        for p in per[sha]:
            n = {"path": p, "old": f"{orig[1]}:{p}", "new": f"{orig[0]}:{p}", "cur": f"{parent}:{p}", "result": f"{sha}:{p}"}
            cur, res = _load_blob(content, n["cur"], p), _load_blob(content, n["result"], p)
            cur_c = [e for e in ((cur or {}).get("conflicts") or []) if isinstance(e, dict)]
            n["recorded"] = [e for e in ((res or {}).get("conflicts") or [])
                             if isinstance(e, dict) and e not in cur_c and isinstance(e.get("ours"), dict)]
            notes.append(n)
        msg = _replayed_message(message, notes, content, blamer, lang, name)
        if msg is not None:
            new_messages[sha] = msg
    if not new_messages:
        return
    chain = [x for x in git.run("rev-list", "--reverse", f"{upstream}..HEAD").split() if x]
    first = next(i for i, x in enumerate(chain) if x in new_messages)
    parent = git.run("rev-parse", f"{chain[first]}^").strip()
    sign = ["-S"] if signing(git) else []
    for sha in chain[first:]:
        _parents, name, email, when, message = _parse_commit(objs.get(sha) or git.run_bytes("cat-file", "commit", sha))
        tree = git.run("rev-parse", f"{sha}^{{tree}}").strip()
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when}
        parent = git.run("commit-tree", *sign, tree, "-p", parent, input=new_messages.get(sha, message).encode("utf-8"),
                         env=env).strip()
    git.run("update-ref", "-m", "tracker sync: messages of replayed commits", "HEAD", parent, head)


def _log_conflict(conflict_log: Path, path: str) -> None:
    with open(conflict_log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"path": path}, ensure_ascii=False) + "\n")


def _read_conflicts(conflict_log: Path) -> list[str]:
    new = []
    try:
        for line in conflict_log.read_text("utf-8").splitlines():
            new.append(json.loads(line)["path"])
    except (OSError, ValueError):
        pass
    conflict_log.unlink(missing_ok=True)
    return list(dict.fromkeys(new))


def _push(ws, remote: str, rbranch: str, set_upstream: bool) -> str | None:
    """Push HEAD; returns None on success, 'rejected' when the remote moved.  Raises on other errors."""
    args = [*NETWORK_CFG, "push", "--porcelain"]
    if set_upstream:
        args.append("-u")
    args += [remote, f"HEAD:refs/heads/{rbranch}"]
    st, out, err = ws.git._execute(args, check=False, extra_env=NETWORK_ENV)
    text = out.decode("utf-8", "replace") + "\n" + err
    if st == 0:
        return None
    if _lock_in(text):
        return "locked:" + _lock_in(text)
    if "[rejected]" in text or "non-fast-forward" in text or "fetch first" in text or "stale info" in text \
            or "[remote rejected]" in text and "cannot lock ref" in text:
        return "rejected"
    raise explain_network(GitError(args, st, err or text), remote, ws.git.run("remote", "get-url", remote, check=False).strip(),
                          "push")


STALE_LOCK_MINUTES = 5  # `--break-lock` removes only locks older than this
_LOCK_RE = __import__("re").compile(r"Unable to create '([^']+\.lock)': File exists")


def _lock_in(text: str) -> str | None:
    m = _LOCK_RE.search(text)
    return m.group(1) if m else None


def remote_path(ws, url: str | None) -> Path | None:
    """The folder of a remote reached as a path (/srv/git/x.git, file://…), or None (ssh, https, git://)."""
    if not url:
        return None
    if url.startswith("file://"):
        p = Path(url[7:])
    elif "://" in url or (":" in url.split("/")[0] and not url.startswith("/")):
        return None
    else:
        p = Path(url) if Path(url).is_absolute() else (ws.root / url)
    return p.resolve() if p.is_dir() else None


def _age(path: str) -> float | None:
    try:
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return None


def _ago(seconds: float, lang: str = "en") -> str:
    if seconds < 120:
        return label("seconds", lang, n=seconds)
    if seconds < 7200:
        return label("minutes", lang, n=seconds / 60)
    return label("hours", lang, n=seconds / 3600)


def _locked_error(ws, lock: str, url: str | None) -> SyncError:
    age = _age(lock)
    how = {lang: say_in("sync_error", "how_old", lang, age=_ago(age, lang)) if age is not None else "" for lang in LANGS}
    entry = "locked_path" if remote_path(ws, url) is not None else "locked_server"
    return _fail("locked", entry, lock=lock, how_old=how["zh"], how_old_en=how["en"], minutes=STALE_LOCK_MINUTES)


def break_lock(ws, url: str | None, branch: str) -> str:
    """Remove a stale ref lock in a path remote, after the safety checks; returns what it did."""
    rp = remote_path(ws, url)
    if rp is None:
        raise _fail("locked", "break_not_folder", url=url)
    locks = [p for p in [rp / "refs" / "heads" / f"{branch}.lock", rp / "packed-refs.lock", rp / "HEAD.lock",
                         rp / "config.lock"] if p.exists()]
    locks += [p for p in (rp / "refs" / "tags" / "bulletin").glob("*.lock")] if (rp / "refs" / "tags" / "bulletin").is_dir() else []
    if not locks:
        return ""
    for p in locks:
        age = _age(str(p)) or 0.0
        if age < STALE_LOCK_MINUTES * 60:
            raise _fail("locked", "break_too_young", lock=str(p), age=_ago(age, "zh"), age_en=_ago(age, "en"),
                        minutes=STALE_LOCK_MINUTES)
    for proc in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            cmd = proc.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "receive-pack" in cmd and str(rp) in cmd:
            raise _fail("locked", "break_running", repo=str(rp), pid=proc.parent.name)
    for p in locks:
        p.unlink(missing_ok=True)
    return said("sync.lock_removed", locks=[str(p) for p in locks])


#: What a failed sync says first: in Chinese a headline, then the details in git's own words (the
#: English details already say it all).
HEADLINES = book("sync_headline", {
    "locked": ("未推送：共享仓库被锁定（锁文件见下文）。本地提交已合并且安全。\n{detail}", "{detail}"),
    "invalid": ("未推送：下列文件未通过校验，推送后各科室都会受影响。本地提交已合并且安全。\n{detail}", "{detail}"),
    "auth": ("同步失败：远程仓库拒绝了身份验证（请检查 ssh 密钥或已保存的 https 凭据）。本地提交安全，未丢失任何内容。\n{detail}", "{detail}"),
    "offline": ("同步失败：无法连接远程仓库（可能离线）。本地提交安全，下次同步时会推送。\n{detail}", "{detail}"),
    "not_found": ("同步失败：该地址没有仓库（用 git remote -v 检查地址）。本地提交安全。\n{detail}", "{detail}"),
    "dirty": ("未同步：下列文件有未提交的修改（未改动它们）。请先提交或还原，再同步。\n{detail}", "{detail}"),
    "merge": ("未同步：远程的修改无法与本地自动合并，已恢复到同步前的状态（本地提交安全，未推送）。\n{detail}", "{detail}"),
    "rejected": ("其他科室正在同步，远程仓库不断变化；本地已合并且安全，请稍后再次同步。\n{detail}", "{detail}"),
    "detached": ("未同步：当前不在分支上（detached HEAD），请先切换到分支。\n{detail}", "{detail}"),
    "stuck": ("未同步：仓库停在未完成的操作中且无法自动恢复；请手工处理，未丢失任何内容。\n{detail}", "{detail}"),
    "failed": ("同步失败，未丢失任何内容。\n{detail}", "{detail}"),
})


class _Headlined(SyncError):
    """A failed sync as the user reads it: str() in the language the sync ran in (the headline, then
    the details), `.text(lang)` in any language (the same headline and details, said again)."""

    def __init__(self, inner: SyncError, text: str) -> None:
        super().__init__(inner.kind, text, key=inner.key, **inner.args_)
        self.inner = inner

    def text(self, lang: str | None = "zh") -> str:
        return say_in("sync_headline", self.kind, lang, detail=self.inner.text(lang))


def sync(ws, *, lang: str = "zh", progress: Callable[[str], None] | None = None,
         max_attempts: int = MAX_ATTEMPTS, break_stale_lock: bool = False) -> SyncResult:
    """Fetch, integrate (rebase), push; retry when another office pushed meanwhile.

    Raises SyncError (with .kind) when it cannot finish; in Chinese a headline comes first, then
    the details with git's own words."""
    try:
        return _sync(ws, lang=lang, progress=progress, max_attempts=max_attempts, break_stale_lock=break_stale_lock)
    except SyncError as exc:
        if exc.kind not in HEADLINES:
            raise
        text = say_in("sync_headline", exc.kind, lang, detail=exc.text(lang))
        if text == str(exc):  # English: the details say it all
            raise
        raise _Headlined(exc, text) from exc


def _sync(ws, *, lang: str, progress: Callable[[str], None] | None, max_attempts: int,
          break_stale_lock: bool = False) -> SyncResult:
    t0 = time.perf_counter()
    say = progress or (lambda _msg: None)
    ensure_repo_config(ws)
    with ws.lock(timeout=30):
        recovered = recover_interrupted(ws)  # first: a rebase left half-way also detaches HEAD
    branch = current_branch(ws)
    if branch is None:
        raise _fail("detached", "detached")
    remote = pick_remote(ws, branch)
    if remote is None:
        raise SyncError("no_remote", no_remote_message(lang), key="sync.no_remote_help")
    url = ws.git.run("remote", "get-url", remote, check=False).strip() or None
    rbranch = remote_branch(ws, branch)
    upstream = f"refs/remotes/{remote}/{rbranch}"
    res = SyncResult(remote=remote, branch=branch, recovered=recovered)
    note = ws.recover()
    if note:
        res.recovered = Said(res.recovered, note)
    all_paths: list[str] = []
    all_authors: list[str] = []
    for attempt in range(1, max_attempts + 1):
        res.attempts = attempt
        say(label("fetching", lang) if attempt == 1 else label("retry", lang, n=attempt))
        _fetch(ws, remote, url)
        has_upstream = ws.git.ok("rev-parse", "-q", "--verify", upstream)
        with ws.lock(timeout=30):
            dirty = uncommitted(ws)
            if dirty and has_upstream and ws.git.run("rev-list", "--count", f"HEAD..{upstream}").strip() != "0":
                shown = "\n  ".join(dirty[:20]) + ("\n  …" if len(dirty) > 20 else "")
                raise _fail("dirty", "dirty", shown=shown)
            if has_upstream:
                say(label("integrating", lang))
                if not dirty:  # two offices took the same new number: ours, unpushed, moves on (tracker.renumber)
                    from .renumber import renumber_clashes

                    res.renumbered += renumber_clashes(ws, upstream)
                n, paths, authors = _arrivals(ws, upstream)
                new_conflicts, _ = _integrate(ws, remote, upstream)
                res.received += n
                all_paths += paths
                all_authors += authors
                res.new_conflicts += [p for p in new_conflicts if p not in res.new_conflicts]
            ahead = int(ws.git.run("rev-list", "--count", f"{upstream}..HEAD" if has_upstream else "HEAD").strip() or 0)
            if ahead:
                res.invalid = _check_outgoing(ws, upstream if has_upstream else None)
            else:
                res.invalid = [f"{p}: {e}" for p, e in invalid_files(ws, "HEAD", all_paths).items()]
        if ahead == 0:
            _push_tags(ws, remote, res)
            break
        say(label("pushing", lang))
        set_up = not ws.git.run("config", "--get", f"branch.{branch}.remote", check=False).strip()
        if break_stale_lock:
            done = break_lock(ws, url, rbranch)
            if done:
                res.recovered = Said(res.recovered, done)
            break_stale_lock = False
        pushed = _push(ws, remote, rbranch, set_up)
        if pushed and pushed.startswith("locked:"):
            lock = pushed[7:]
            age = _age(lock)
            if (age is not None and age >= 120) or attempt == max_attempts:  # a live push holds a lock a moment only
                raise _locked_error(ws, lock, url)
        if pushed is None:
            res.pushed = ahead  # git moved the tracking ref with the push
            _push_tags(ws, remote, res)
            break
        if attempt == max_attempts:
            raise _fail("rejected", "rejected", n=max_attempts)
        time.sleep(random.uniform(0.05, 0.3) * attempt)
    res.arrived_paths = list(dict.fromkeys(all_paths))
    res.authors = list(dict.fromkeys(all_authors))
    res.summary = (summarize(res.arrived_paths, res.authors, lang) if res.received else
                   label("sent", lang, n=res.pushed) if res.pushed else label("nothing", lang))
    if res.invalid:  # the TUI shows the summary: a broken file from elsewhere is named there too
        res.summary += say_in("sep", "clause", lang) + label("invalid", lang, n=len(res.invalid),
                                                            files=[x.split(":")[0] for x in res.invalid[:3]])
    res.missing = missing_after_sync(ws)
    if res.missing:  # a task deleted or renamed with plain git (here or by another office) is named too
        res.summary += say_in("sep", "clause", lang) + label("missing", lang, n=len(res.missing),
                                                            items=join([m.item for m in res.missing[:5]], lang)
                                                            + ("…" if len(res.missing) > 5 else ""))
    res.conflicts = conflicted_paths(ws)
    res.seconds = time.perf_counter() - t0
    return res


def missing_after_sync(ws) -> list:
    """What `tracker check` reports as missing (tracker.history.missing_items): task and target
    files that the history says should exist and the work tree lacks, e.g. one another office
    deleted or renamed with plain git and pushed.  A failure to look is not a failed sync."""
    from . import history as hist

    present: set[str] = set()
    base = ws.root / ws.plan_rel
    for kind in ("tasks", "targets"):
        folder = base / kind
        if folder.is_dir():
            for f in folder.iterdir():
                item = hist.item_id(f"{ws.plan_rel}/{kind}/{f.name}")
                if item:
                    present.add(item)
    try:
        return hist.missing_items(ws, present)
    except (GitError, TrackerError, OSError, ValueError):
        return []


def invalid_files(ws, rev: str, paths: list[str]) -> dict[str, Any]:
    """{path: first problem} for the task and target files among `paths` that fail validation at `rev`
    (a schema.Problem: str() English, .text(lang) the user's language)."""
    from .schema import check_target, check_task, error_problem
    from .yamlio import YamlError, decode, fast_load

    paths = [p for p in dict.fromkeys(paths) if recordable(p) and p.endswith(".yaml")]
    if not paths:
        return {}
    blobs = ws.git.blobs(f"{rev}:{p}" for p in paths)
    try:
        info, _ = ws.load_info()
        cats = info.categories if info else ()
    except TrackerError:
        cats = ()
    out = {}
    for p in paths:
        raw = blobs.get(f"{rev}:{p}")
        if raw is None:
            continue  # deleted: not this check's business
        parts = p.split("/")
        year = int(parts[1]) if parts[1].isdigit() else ws.year
        try:
            text = decode(raw, p)
            data = fast_load(text, p)
        except YamlError as exc:
            out[p] = error_problem(exc)
            continue
        if parts[2] == "tasks":
            _, probs = check_task(data, p, text, year, cats if year == ws.year else ())
            probs = [x for x in probs if "category" not in str(x) or year == ws.year]
        else:
            _, probs = check_target(data, p, text, year)
        if probs:
            out[p] = probs[0]
    return out


def _check_outgoing(ws, upstream: str | None) -> list[str]:
    """Refuse to push a task or target file that fails validation (issue 10, point 6).

    A file already broken on the remote (it arrived from elsewhere) never blocks this office: it
    is reported, and this office's own commits go through.  Returns the reports of those."""
    git = ws.git
    rng = f"{upstream}..HEAD" if upstream else "HEAD"
    own = [p for p in git.run("log", "--format=", "--name-only", "--no-renames", rng).splitlines() if p.strip()]
    bad = invalid_files(ws, "HEAD", own)
    if not bad:
        return []
    before = invalid_files(ws, upstream, list(bad)) if upstream else {}
    blocking = {p: e for p, e in bad.items() if p not in before}
    if blocking:
        shown = "\n  ".join(f"{p}: {told(e, 'zh')}" for p, e in blocking.items())
        shown_en = "\n  ".join(f"{p}: {e}" for p, e in blocking.items())
        raise _fail("invalid", "invalid", shown=shown, shown_en=shown_en)
    return [f"{p}: {e}" for p, e in bad.items()]


BULLETIN_REFSPEC = "refs/tags/bulletin/*:refs/tags/bulletin/*"


def _push_tags(ws, remote: str, res: SyncResult) -> None:
    """Bulletin tags (bulletin/<date>) travel with sync, so every office's "since the last bulletin"
    is the same.  The fetch brought the remote's into refs/tracker/<remote>-bulletin/: those this
    clone lacks become local tags (the remote's wins where both have one), and local ones the
    remote lacks are pushed (never forced)."""
    git = ws.git
    def refs(prefix: str) -> dict[str, str]:
        out = git.run("for-each-ref", "--format=%(objectname) %(refname)", prefix, check=False)
        return {ln.split()[1][len(prefix):]: ln.split()[0] for ln in out.splitlines() if len(ln.split()) == 2}

    there = refs(f"refs/tracker/{remote}-bulletin/")
    here = refs("refs/tags/bulletin/")
    for name, sha in there.items():
        if here.get(name) != sha:
            git.run("update-ref", f"refs/tags/bulletin/{name}", sha, check=False)
            res.tags += 1
    missing = [n for n in here if n not in there]
    if missing:
        st, _o, _e = git._execute([*NETWORK_CFG, "push", "--porcelain", remote,
                                   *[f"refs/tags/bulletin/{n}:refs/tags/bulletin/{n}" for n in missing]],
                                  check=False, extra_env=NETWORK_ENV)
        if st == 0:
            for n in missing:
                git.run("update-ref", f"refs/tracker/{remote}-bulletin/{n}", here[n], check=False)
            res.tags += len(missing)


def conflicted_paths(ws) -> list[str]:
    from .conflicts import scan

    return [c.path for c in scan(ws)]
