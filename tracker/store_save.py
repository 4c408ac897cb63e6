"""The saving room of the store (tracker.store.Workspace): one file changed, one commit, never half.

Writing is careful: one file is round-tripped with ruamel (or only its lines rewritten,
tracker/lineedit.py: a status change is a one-line diff), validated again, written atomically,
and committed alone under a lock (`lock`), from the blob of the validated bytes
(gitstore.commit_blob), with a journal (`.git/tracker/pending.json`) so that a crash between the
write and the commit is finished (or reported) on the next start (`recover`).  Each step is a
TRACKER_FAULT name (yamlio.fault): the SIGKILL fault tests kill a save at every one of them.

`PlanSaving` is a mixin of Workspace: it uses the workspace's root, git, state_dir and the
loading room's _read and language.
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from .changes import FieldChange, diff_records
from .gitstore import GitError
from .i18n import Lines, Said, book, said, say
from .model import TrackerError
from .schema import Problem
from .store_load import blob_id
from .sync_recover import recover_on_open
from .yamlio import YamlError, atomic_write, decode, fast_load, rt_dump, rt_load
from .yamlio import fault as yamlio_fault


SAVE_WORDS = book("saving", {
    "busy": ("另一个 tracker 进程正在保存；请稍后再试", "another tracker process is saving; try again in a moment"),
    "symlink": ("{rel} 是符号链接；请编辑它指向的文件（{target}）", "{rel} is a symbolic link; edit the file it points to ({target})"),
    "changed_since_shown": ("{rel} 在显示之后已被改动（另一个窗口、手工修改或同步）；您的修改未保存，请重新载入后再试",
                            "{rel} changed on disk since it was shown (by another window, a hand edit or a sync); "
                            "your edit was not saved, reload and try again"),
    "changed_meanwhile": ("{rel} 在准备保存时被改动（手工修改或其他程序）；您的修改未保存，文件保持现状。请重新载入后再试。",
                          "{rel} changed on disk while this save was being prepared (a hand edit or another program); "
                          "your edit was not saved and the file was left as it is now. Reload it and try again."),
    "deleted_meanwhile": ("{rel} 在准备保存时被删除（手工操作或其他程序）；您的修改未保存，文件保持现状。请重新载入后再试。",
                          "{rel} was deleted while this save was being prepared (a hand edit or another program); "
                          "your edit was not saved and the file was left as it is now. Reload it and try again."),
    "has_problems": ("{rel} 有问题，请先修正再修改：\n  {problems}", "{rel} has problems; fix them before editing:\n  {problems}"),
    "would_also_change": ("{rel}：这次保存还会改变 {fields}（文件中的注释或排版，YAML 写入无法将其分开）。未保存任何内容。"
                          "请把注释移到字段上方，或手工编辑文件。",
                          "{rel}: this save would also change {fields} (a comment or layout in the file the YAML writer "
                          "cannot keep apart). Nothing was saved. Move the comment above the field, or edit the file by hand."),
    "would_change_file": ("{rel}：这次保存还会改变文件的其他部分（文件中的注释或排版，YAML 写入无法将其分开）。未保存任何内容。"
                          "请把注释移到字段上方，或手工编辑文件。",
                          "{rel}: this save would also change the file (a comment or layout in the file the YAML writer "
                          "cannot keep apart). Nothing was saved. Move the comment above the field, or edit the file by hand."),
    "detached": ("HEAD 处于分离状态（在 {at}，不在任何分支上）：此时保存会产生一个不属于任何分支的提交。未保存任何内容。"
                 "请用 `git switch main` 回到分支（或用 `git switch -c NAME` 把当前状态保存为分支），再保存。",
                 "HEAD is detached (at {at}, not on a branch): a save now would make a commit no branch holds. "
                 "Nothing was saved. Go back to the branch with `git switch main` (or keep this state as a branch "
                 "with `git switch -c NAME`), then save again."),
    "middle_of_merge": ('仓库正处于合并过程中（.git/{name} 存在）：此时保存可能把您的修改混入其中。未保存任何内容。请先用 `tracker sync` 完成它（或用 `git merge --abort` 放弃），再保存。',
        'the repository is in the middle of a merge (.git/{name} exists): a save now could mix your change into it. Nothing was saved. Finish it with `tracker sync` (or give it up with `git merge --abort`), then save again.'),
    "middle_of_rebase": ('仓库正处于变基过程中（.git/{name} 存在）：此时保存可能把您的修改混入其中。未保存任何内容。请先用 `tracker sync` 完成它（或用 `git rebase --abort` 放弃），再保存。',
        'the repository is in the middle of a rebase (.git/{name} exists): a save now could mix your change into it. Nothing was saved. Finish it with `tracker sync` (or give it up with `git rebase --abort`), then save again.'),
    "middle_of_cherry_pick": ('仓库正处于拣选（cherry-pick）过程中（.git/{name} 存在）：此时保存可能把您的修改混入其中。未保存任何内容。请先用 `tracker sync` 完成它（或用 `git cherry-pick --abort` 放弃），再保存。',
        'the repository is in the middle of a cherry-pick (.git/{name} exists): a save now could mix your change into it. Nothing was saved. Finish it with `tracker sync` (or give it up with `git cherry-pick --abort`), then save again.'),
    "middle_of_revert": ('仓库正处于撤销（revert）过程中（.git/{name} 存在）：此时保存可能把您的修改混入其中。未保存任何内容。请先用 `tracker sync` 完成它（或用 `git revert --abort` 放弃），再保存。',
        'the repository is in the middle of a revert (.git/{name} exists): a save now could mix your change into it. Nothing was saved. Finish it with `tracker sync` (or give it up with `git revert --abort`), then save again.'),
    "index_lock": ("{lock} 存在：另一个 git 进程正在此仓库中工作。未保存任何内容。请等它结束后再试；如果没有 git 进程在运行，"
                   "这个锁已经失效：删除它（rm {lock}）后再保存。",
                   "{lock} exists: another git process is working in this repository. Nothing was saved. Wait for it and "
                   "try again; if no git process is running, the lock is stale: remove it (rm {lock}) and save again."),
    "index_lock_old": ("{lock} 存在：另一个 git 进程正在此仓库中工作，或者 {minutes} 分钟前有进程被中止而留下了锁。未保存任何内容。"
                       "请等它结束后再试；如果没有 git 进程在运行，这个锁已经失效：删除它（rm {lock}）后再保存。",
                       "{lock} exists: another git process is working in this repository, or one was killed {minutes} "
                       "minutes ago and left its lock behind. Nothing was saved. Wait for it and try again; if no git "
                       "process is running, the lock is stale: remove it (rm {lock}) and save again."),
    "unfinished": ("{path} 的一次保存被中断，且未能完成；文件中有这次修改，尚未提交。\n{git}",
                   "an interrupted save of {path} could not be finished; the file holds the change, uncommitted.\n{git_en}"),
    "recovered_unreadable": ("已忽略一条无法读取的中断保存记录（.git/tracker/pending.json）",
                             "ignored an unreadable record of an interrupted save (.git/tracker/pending.json)"),
    "recovered_waits": ("{path} 中有一次被中断、尚未提交的保存；问题解决后，下次启动时会提交：{error}",
                        "{path} holds a change whose save was interrupted, not yet committed; it will be committed "
                        "on the next start once this is resolved: {error_en}"),
    "recovered_finished": ("已完成一次被中断的保存：{path}，提交 {sha}", "finished an interrupted save of {path} as commit {sha}"),
    "recovered_uncommitted": ("{path} 中有一次被中断的保存留下的未提交修改；请用 git diff 查看",
                              "{path} has uncommitted changes from an interrupted save; review them with git diff"),
    "invalid_result": ("拒绝写入无效的文件：\n  {problems}", "refusing to write an invalid file:\n  {problems}"),
})


def _err(entry: str, cls: type = TrackerError, **args: Any) -> TrackerError:
    """The book entry `saving.<entry>` as an error: str() the English text (as it always was), err.text(lang) the user's."""
    return cls.keyed(f"saving.{entry}", **args)


#: Where a save's steps go: yamlio.fault (TRACKER_FAULT) unless tracker.store, the module above this
#: one, routes them through its own name `tracker.store.fault` (`route_faults`), so that a test
#: patching that name (tests/scale/test_scale_save_race.py) sees every step.  A callback set from
#: above rather than an import of the store: this room imports nothing above it.
_fault_hook: Callable[[str], None] = yamlio_fault


def route_faults(hook: Callable[[str], None]) -> None:
    global _fault_hook
    _fault_hook = hook


def fault(step: str) -> None:
    """The save's step hook (yamlio.fault unless routed, see `route_faults`)."""
    _fault_hook(step)


class StaleError(TrackerError):
    """The file changed on disk since the caller read it: the edit is refused, nothing written."""


@dataclass(frozen=True)
class CommitResult:
    sha: str
    message: str
    path: str
    changes: list[FieldChange]

    @property
    def short(self) -> str:
        return self.sha[:7]


class PlanSaving:
    """Workspace's writing half: the lock, the journal and its recovery, the one write path."""

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float = 10.0) -> Iterator[None]:
        """One writer at a time across processes (TUI instances, CLI): an OS lock in .git/tracker/."""
        fd = os.open(self.state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise _err("busy") from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(fd)

    def _journal(self) -> Path:
        return self.state_dir / "pending.json"

    def pending(self) -> dict | None:
        try:
            return json.loads(self._journal().read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def recover(self) -> str | None:
        """Finish a save that was interrupted between writing the file and committing it.

        Returns a sentence for the user, or None when there was nothing to do.  A sync of this
        clone killed half-way is finished (or put back) first (tracker.sync_recover.recover_on_open)."""
        synced = recover_on_open(self)  # one stat when no sync was interrupted
        note = self._recover_save()
        return Said(synced, note) if synced or note else None

    def _recover_save(self) -> str | None:
        job = self.pending()
        if not job:
            if self._journal().exists():  # unreadable journal (cannot happen with atomic writes; be safe)
                self._journal().unlink(missing_ok=True)
            return None
        with self.lock():
            job = self.pending()
            if not job:
                return None
            if not isinstance(job, dict) or not all(isinstance(job.get(k), str) for k in ("path", "message", "new")) \
                    or not job["path"].startswith("plan/") or ".." in job["path"].split("/"):
                self._journal().unlink(missing_ok=True)
                return said("saving.recovered_unreadable")
            path = self.root / job["path"]
            for stray in path.parent.glob(f".{path.name}.*.tmp"):  # a write killed before its rename
                stray.unlink(missing_ok=True)
            try:
                current = blob_id(path.read_bytes())
            except FileNotFoundError:
                current = None
            head_bytes = self.git.show("HEAD", job["path"])
            head = blob_id(head_bytes) if head_bytes is not None else None
            if current == job["new"] and head != job["new"]:
                try:
                    self.check_repo_state()
                except TrackerError as exc:
                    return said("saving.recovered_waits", path=job["path"], error=exc.text("zh"), error_en=exc.text("en"))
                try:
                    if self.git.ok("cat-file", "-e", job["new"]):  # the validated bytes, as hashed before the write
                        mode = "100755" if os.stat(path).st_mode & 0o100 else "100644"
                        sha = self.git.commit_blob(job["path"], job["new"], job["message"], mode=mode)
                    else:
                        sha = self.git.commit_paths([job["path"]], job["message"])
                except GitError as exc:
                    raise _err("unfinished", path=job["path"], git=explain_git_error(exc, saved=False, lang="zh"),
                               git_en=explain_git_error(exc, saved=False, lang="en")) from exc
                self._journal().unlink(missing_ok=True)
                return said("saving.recovered_finished", path=job["path"], sha=sha[:7])
            if head == job["new"] and self.git.ls_files_stage(job["path"]).get(job["path"]) != head:
                # killed after the branch moved and before the index followed (commit_blob's "ref-moved")
                mode = "100755" if path.exists() and os.stat(path).st_mode & 0o100 else "100644"
                self.git.run("update-index", "--add", "--cacheinfo", f"{mode},{head},{job['path']}")
            self._journal().unlink(missing_ok=True)
            if current == head or current == job.get("old"):
                return None  # the commit happened, or the write never did
            return said("saving.recovered_uncommitted", path=job["path"])

    def _read_or_none(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _refuse_if_changed(self, path: Path, rel: str, raw: bytes) -> None:
        """Just before the write: the file must still hold the bytes the save read and validated.
        A hand edit (or another program) in between is refused, naming the file, never overwritten."""
        now = self._read_or_none(path)
        if now != raw:
            self._journal().unlink(missing_ok=True)
            raise _err("deleted_meanwhile" if now is None else "changed_meanwhile", StaleError, rel=rel)

    def check_repo_state(self) -> None:
        """Refuse to save, with the way forward, where a commit would be lost or refused.

        Reads only files in .git (no process): a detached HEAD (the commit would be on no branch),
        a merge, rebase or cherry-pick in progress, a stale index.lock."""
        gd = self.git.git_dir
        try:
            head = (gd / "HEAD").read_text("utf-8").strip()
        except OSError:
            head = "ref: "
        if not head.startswith("ref: "):
            raise _err("detached", at=head[:7])
        for name, what in (("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
                           ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
            if (gd / name).exists():
                raise _err("middle_of_" + what.replace("-", "_"), name=name)
        lock = gd / "index.lock"
        deadline = time.monotonic() + 2.0  # a `git status` elsewhere holds it for a moment
        while lock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if lock.exists():
            try:
                age = time.time() - lock.stat().st_mtime
            except OSError:
                age = 0.0
            if age > 60:
                raise _err("index_lock_old", lock=str(lock), minutes=f"{age / 60:.0f}")
            raise _err("index_lock", lock=str(lock))

    def _commit_edit(self, path: Path, mutate: Callable[[Any], None], *, expect: str | None,
                     subject: Callable[[dict], tuple[str, str]], check: Callable[[Any, str, str], list[Problem]],
                     trailers: dict[str, str] | None = None, lang: str | None = None,
                     line_changes: dict[str, Any] | None = None,
                     message: Callable[[list[FieldChange], str], str] | None = None,
                     compose: Callable[[Any, Any], str] | None = None) -> CommitResult | None:
        """The one write path: read, mutate the round-trip tree, validate, write atomically, commit.

        Steps (each a TRACKER_FAULT name, see `fault`): lock, journal, tmp, written, ref-moved (in
        GitRepo.commit_blob), committed.  The commit is made from the blob of the validated bytes
        (never a re-read of the file), and the file must still hold what was read just before the
        write, else the save is refused (StaleError) and the file left as it is.
        The identity check and HEAD's copy of the file are read by git processes started as the
        lock is taken, so they overlap the round-trip parse instead of adding to it."""
        rel = self.rel(path)
        lang = lang or self.language()
        self.check_repo_state()
        with self.lock():
            fault("locked")
            # once per GitRepo: a later loss of the identity still fails the commit (useConfigOnly), explained
            ident_job = None if getattr(self.git, "_ident_ok", False) else \
                self.git.start("-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT")
            head_job = self.git.start("cat-file", "blob", f"HEAD:{rel}")
            try:
                if path.is_symlink():
                    raise _err("symlink", rel=rel, target=str(path.resolve()))
                raw = self._read(path)
                if expect is not None and blob_id(raw) != expect:
                    raise _err("changed_since_shown", StaleError, rel=rel)
                text = decode(raw, rel)
                before = fast_load(text, rel)
                probs = check(before, rel, text)
                if probs:
                    raise _err("has_problems", rel=rel, problems=Lines(probs))
                new_text = None
                if line_changes is not None:  # scalar fields: only their lines (tracker/lineedit.py)
                    from .lineedit import edit

                    new_text = edit(text, line_changes)
                if new_text is None:
                    tree = rt_load(text, rel)
                    mutate(tree)
                    new_text = rt_dump(tree)
                if new_text == text:
                    return None
                after = fast_load(new_text, rel)
                if line_changes is not None:
                    from .lineedit import expected, same

                    want = expected(before, line_changes)
                    if not same(after, want):
                        # e.g. a comment indented under a value that becomes a block would join it
                        moved = sorted(k for k in (after or {}) if not same((after or {}).get(k), (want or {}).get(k)))
                        raise _err("would_also_change" if moved else "would_change_file", rel=rel,
                                   fields=moved)
                probs = check(after, rel, new_text)
                if probs:  # a bug here, never the user's: refuse rather than write a bad file
                    raise _err("invalid_result", problems=Lines(probs))
                if ident_job is not None:
                    if ident_job.wait(check=False)[0] != 0:
                        self.git.identity()  # raises the explanation; nothing was touched
                    self.git._ident_ok = True
                st, head_bytes, _ = head_job.wait(check=False)
            finally:
                if ident_job is not None:
                    ident_job.wait(check=False)
                head_job.wait(check=False)
            try:
                base = fast_load(decode(head_bytes, rel), rel) if st == 0 else None
            except YamlError:  # the committed version is broken (fixed by hand since): describe from the work tree
                base = before
            changes = diff_records(base, after)
            sid, title = subject(after)
            from . import commitmsg  # (rich.cells: only a save needs it)

            if compose is not None:  # a resolve writes its own from the trees (tracker.conflicts.resolve)
                message = compose(before, after)
            elif message is not None:  # a step of the cycle writes its own (tracker/lifecycle.py)
                message = message(changes, lang)
            else:
                message = commitmsg.task_message(sid, title, changes, lang, **(trailers or {})) if changes else \
                    commitmsg.compose(sid, title, [], lang, {"Tracker-Task": sid}, subject_text="")
            new_bytes = new_text.encode("utf-8")
            blob_job = self.git.start("hash-object", "-w", "--no-filters", "--stdin", input=new_bytes)
            atomic_write(self._journal(), json.dumps({"path": rel, "message": message, "old": blob_id(raw),
                                                      "new": blob_id(new_bytes)}, ensure_ascii=False), durable=False)
            try:
                blob = blob_job.wait()[1].decode().strip()
            except GitError as exc:
                self._journal().unlink(missing_ok=True)
                raise git_failure(exc, saved=False) from exc
            fault("journal")
            mode = "100755" if os.stat(path).st_mode & 0o100 else "100644"
            self._refuse_if_changed(path, rel, raw)
            atomic_write(path, new_text, fault_step="tmp", sync_dir=False)
            fault("written")
            try:
                # the commit holds the validated bytes (the blob), never a re-read of the file
                sha = self.git.commit_blob(rel, blob, message, mode=mode)
            except GitError as exc:
                if self._read_or_none(path) == new_bytes:
                    atomic_write(path, text)  # put the file back as it was: nothing half-done
                self._journal().unlink(missing_ok=True)
                raise git_failure(exc) from exc
            fault("committed")
            self._journal().unlink(missing_ok=True)
            return CommitResult(sha=sha, message=message, path=rel, changes=changes)


GIT_WORDS = book("git_error", {
    "index_lock": ("{err}\n可能有另一个 git 进程正在运行；若没有，就是残留的锁：删除 .git/index.lock 后重试。{tail}",
                   "{err_en}\nAnother git process may be running. If none is, the lock is stale: "
                   "remove .git/index.lock and try again.{tail_en}"),
    "merging": ("{err}\n仓库正处于合并过程中：运行 `tracker sync` 完成它（或用 `git merge --abort` 放弃）。{tail}",
                "{err_en}\nThe repository is in the middle of a merge: run `tracker sync` to finish it "
                "(or `git merge --abort` to give it up).{tail_en}"),
    "signing": ("{err}\n提交签名失败（此克隆的每个提交都要签名：tracker office join）。带口令的密钥须先用 ssh-add 加载到 "
                "ssh-agent：tracker 从不询问口令；密钥换了位置：重新运行 tracker office join 科室 --key 密钥。{tail}",
                "{err_en}\nSigning the commit failed (this clone signs every commit: tracker office join). A key "
                "with a passphrase must be loaded into ssh-agent (ssh-add KEY): tracker never asks for it; a "
                "moved key: tracker office join OFFICE --key KEY again. 签名失败：请先 ssh-add 加载密钥。{tail_en}"),
    "identity": ("{err}\ngit 不知道您是谁：git config --global user.name \"张三\" 以及 "
                 "git config --global user.email \"zhangsan@example.gov.cn\"。{tail}",
                 "{err_en}\ngit does not know who you are: git config --global user.name \"张三\" and "
                 "git config --global user.email \"zhangsan@example.gov.cn\".{tail_en}"),
    "other": ("{err}\n{tail}", "{err_en}\n{tail_en}"),
    "nothing_saved": ("未保存任何内容。", "Nothing was saved."),
    "own": ("git：{err}", "{err_en}"),
})


def _git_case(exc: GitError, saved: bool) -> tuple[str | None, dict[str, Any]]:
    """(book entry of git_error, its arguments) for a failed git command; entry None: git's own words only."""
    err = exc.stderr
    # git's words as git wrote them; a failure tracker noticed itself (GitError.said) in each language
    args: dict[str, Any] = {"err": exc.said.text("zh") if hasattr(exc, "said") else err, "err_en": err,
                            "tail": "", "tail_en": ""}
    if saved:
        args.update(tail=say("git_error.nothing_saved", "zh"), tail_en=" " + say("git_error.nothing_saved", "en"))
    if "index.lock" in err:
        return "index_lock", args
    if "not possible because you have unmerged files" in err or "unmerged" in err or "merging" in err.lower():
        return "merging", args
    if (("failed to write commit object" in err and ("key" in err.lower() or "sign" in err.lower()))
            or "Load key" in err or "passphrase" in err or "failed to sign" in err):  # commit / commit-tree -S
        return "signing", args
    if "empty ident" in err or "tell me who you are" in err.lower() or "user.useConfigOnly" in err:
        return "identity", args
    if saved:
        return "other", {**args, "tail": args["tail"].strip(), "tail_en": args["tail_en"].strip()}
    return None, args


def explain_git_error(exc: GitError, saved: bool = True, lang: str | None = "en") -> str:
    """git's words plus what the officer can do about them (git's own words stay as git wrote them)."""
    entry, args = _git_case(exc, saved)
    return say(f"git_error.{entry}", lang, **args) if entry else exc.stderr


def git_failure(exc: GitError, saved: bool = True) -> TrackerError:
    """A failed git command as the user's error: str() the English explanation, err.text(lang) the user's."""
    entry, args = _git_case(exc, saved)
    if entry is None:  # git's own words, as git wrote them (the same in every language)
        return TrackerError(exc.stderr, key="git_error.own", err=args["err"], err_en=exc.stderr)
    return TrackerError.keyed(f"git_error.{entry}", **args)
