"""The one thin git module: nothing else in tracker runs git.

Every call goes through GitPython's command wrapper (`git.cmd.Git.execute`), which starts the
git CLI: each call is its own process, so this is safe from any thread, leaks nothing in a
long-lived TUI, and costs what `git` itself costs (GitPython's in-process index writer is 5x
slower at 10,000 files).  Git never prompts (GIT_TERMINAL_PROMPT=0, no editor, no pager), and
commits stage exact paths only (`git commit --only -- PATH`): whatever else the officer has
staged or modified stays as it was.  Two exceptions run git with `subprocess` directly: `start()`
(a short read overlapped with the caller's work, then waited for) and the commit-graph refresh
after a save, which runs detached and is not waited for.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .i18n import Said, book, say
from .model import TrackerError

_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_EDITOR": "true",
    "GIT_SEQUENCE_EDITOR": "true",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_MERGE_AUTOEDIT": "no",
    "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),  # + timeouts: network_args
    "LC_ALL": "C.UTF-8",
    # commits are signed when the clone is configured to (tracker office join); ssh-keygen must
    # never ask for a passphrase on the terminal: a key ssh-agent does not hold fails the commit
    "SSH_ASKPASS_REQUIRE": "force",
    "SSH_ASKPASS": shutil.which("false") or "/bin/false",
}


GIT_WORDS = book("git", {
    "failed": ("git {cmd} 失败（{status}）：{err}", "git {cmd} failed ({status}): {err_en}"),
    "no_message": ("git 未说明原因", "no message"),
    "no_commit_yet": ("仓库还没有任何提交", "the repository has no commit yet"),
    "head_moved": ("保存期间 HEAD 已移动（到 {at}）", "HEAD moved (to {at}) while saving"),
    "detached": ("HEAD 处于分离状态：提交将不属于任何分支", "HEAD is detached: a commit would be on no branch"),
    "not_installed": ("未安装 git，或 git 不在 PATH 中", "git is not installed or not on PATH"),
    "who_are_you": ("git 不知道您是谁，而每次修改都要署名。\n  请设置一次：git config --global user.name \"张三\"\n"
                    "                git config --global user.email \"zhangsan@example.gov.cn\"",
                    "git does not know who you are, and every change is signed with a name.\n"
                    "  Set it once:  git config --global user.name \"张三\"\n"
                    "                git config --global user.email \"zhangsan@example.gov.cn\""),
})


class GitError(TrackerError):
    """A git command failed; the message carries git's own words.

    str() is `git CMD failed (STATUS): <git's words>` in English, as always; `.text(lang)` frames
    git's words in `lang` (entry "git.failed").  `.stderr` is git's own text, or for the failures
    tracker itself notices (no commit yet, HEAD moved, detached) the English of a "git.<entry>"
    named by `key`; `.said` is that text as a Said (git's words: a plain Said of them)."""

    def __init__(self, args: list[str], status: int, stderr: str, *, key: str | None = None, **words):
        self.args_list, self.status, self.stderr = args, status, stderr.strip()
        self.said = Said((key, words)) if key else Said(self.stderr)
        cmd = " ".join(args[:3])
        err = self.said if self.stderr else Said(("git.no_message", {}))
        super().__init__(f"git {cmd} failed ({status}): {self.stderr or 'no message'}", key="git.failed",
                         cmd=cmd, status=status, err=err, err_en=str(err))

    def text(self, lang: str | None = "zh") -> str:
        args = dict(self.args_)
        args["err"] = args["err"].text(lang)
        return say("git.failed", lang, **args)


def _own(args: list[str], entry: str, **words) -> GitError:
    """A failure tracker notices itself, said like git's (GitError) with its words in the book."""
    return GitError(args, 1, say(f"git.{entry}", "en", **words), key=f"git.{entry}", **words)


def _git_missing() -> TrackerError:
    return TrackerError(say("git.not_installed", "en"), key="git.not_installed")


def _git_module():
    import git  # GitPython, imported lazily: it costs ~70 ms that `tracker list` need not pay

    return git


@dataclass(frozen=True)
class Ident:
    name: str
    email: str


class GitRepo:
    """A work tree.  Cheap to create; holds no open handles."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    # -- plumbing ---------------------------------------------------------------------------
    def _execute(self, args: list[str], *, input: bytes | None = None, check: bool = True,
                 extra_env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        env = dict(_ENV)
        if extra_env:
            env.update(extra_env)
        if _subcommand(args) in NETWORK_COMMANDS:  # fetch, push...: timeouts and a watchdog
            status, out, err_s = _run_network(self.root, args, env, input)
            if check and status != 0:
                raise GitError(args, status, err_s)
            return status, out, err_s
        git = _git_module()
        cmd = ["git", *args]
        istream = None
        if input is not None:
            import tempfile

            istream = tempfile.TemporaryFile()
            istream.write(input)
            istream.seek(0)
        try:
            status, out, err = git.cmd.Git(str(self.root)).execute(
                cmd, istream=istream, with_extended_output=True, with_exceptions=False,
                stdout_as_string=False, strip_newline_in_stdout=False, env=env,
            )
        except git.exc.GitCommandNotFound as exc:  # pragma: no cover - git missing
            raise _git_missing() from exc
        finally:
            if istream is not None:
                istream.close()
        err_s = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
        if check and status != 0:
            raise GitError(args, status, err_s)
        return status, out, err_s

    def run(self, *args: str, input: bytes | None = None, check: bool = True,
            env: dict[str, str] | None = None) -> str:
        return self._execute(list(args), input=input, check=check, extra_env=env)[1].decode("utf-8", "replace")

    def run_bytes(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        return self._execute(list(args), input=input, check=check)[1]

    def ok(self, *args: str) -> bool:
        return self._execute(list(args), check=False)[0] == 0

    def start(self, *args: str, input: bytes | None = None) -> "Running":
        """Start a short git command now and collect it later (`.wait()`): lets the caller
        overlap git's start-up with its own work.  Same environment as `run`.  `input` is
        written to its stdin at once (for commands that read all of it before answering)."""
        proc = subprocess.Popen(["git", *args], cwd=self.root,
                                stdin=subprocess.DEVNULL if input is None else subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, **_ENV})
        if input is not None:
            assert proc.stdin is not None
            try:
                proc.stdin.write(input)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            proc.stdin = None  # closed: communicate() must not flush it
        return Running(list(args), proc)

    # -- discovery --------------------------------------------------------------------------
    @staticmethod
    def toplevel(start: str | Path) -> Path | None:
        """The work tree containing `start`, like git itself finds it (no GitPython needed)."""
        p = Path(start).resolve()
        for cand in (p, *p.parents):
            if (cand / ".git").exists():
                return cand
        return None

    @property
    def git_dir(self) -> Path:
        dot = self.root / ".git"
        if dot.is_file():  # a worktree or submodule: "gitdir: PATH"
            text = dot.read_text().strip()
            if text.startswith("gitdir:"):
                return (self.root / text[7:].strip()).resolve()
        return dot

    # -- identity ---------------------------------------------------------------------------
    def identity(self) -> Ident:
        """The configured author; refuse git's guess from the host name."""
        st, out, _ = self._execute(["-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT"], check=False)
        if st != 0:
            raise TrackerError(say("git.who_are_you", "en"), key="git.who_are_you")
        line = out.decode("utf-8", "replace").strip()
        name, _, rest = line.partition(" <")
        return Ident(name=name, email=rest.split(">", 1)[0])

    # -- reading ----------------------------------------------------------------------------
    def head(self) -> str | None:
        st, out, _ = self._execute(["rev-parse", "--verify", "-q", "HEAD"], check=False)
        return out.decode().strip() if st == 0 else None

    def head_fast(self) -> str | None:
        """HEAD's commit id read from the ref files (no process); falls back to `rev-parse`."""
        try:
            gd = self.git_dir
            text = (gd / "HEAD").read_text("utf-8").strip()
            if text.startswith("ref: "):
                ref = text[5:]
                common = gd
                cd = gd / "commondir"
                if cd.exists():
                    common = (gd / cd.read_text("utf-8").strip()).resolve()
                for base in (gd, common):
                    f = base / ref
                    if f.is_file():
                        sha = f.read_text("utf-8").strip()
                        if len(sha) in (40, 64) and all(c in "0123456789abcdef" for c in sha):
                            return sha
            elif len(text) in (40, 64):
                return text
        except OSError:
            pass
        return self.head()

    def show(self, rev: str, path: str) -> bytes | None:
        """The bytes of `path` at `rev`, or None where it did not exist."""
        st, out, _ = self._execute(["cat-file", "blob", f"{rev}:{path}"], check=False)
        return out if st == 0 else None

    def blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Many blobs in one `git cat-file --batch` process."""
        wanted = [s for s in dict.fromkeys(shas) if s and set(s) != {"0"}]
        if not wanted:
            return {}
        data = self.run_bytes("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        out: dict[str, bytes] = {}
        pos = 0
        for sha in wanted:
            nl = data.index(b"\n", pos)
            header = data[pos:nl].decode()
            pos = nl + 1
            parts = header.split()
            if len(parts) < 3 or parts[1] == "missing":
                continue
            size = int(parts[2])
            out[sha] = data[pos:pos + size]
            pos += size + 1
        return out

    def ls_files_stage(self, *paths: str) -> dict[str, str]:
        """path -> blob id of every tracked file under `paths`, read from the index."""
        out = self.run("ls-files", "-s", "-z", "--", *paths)
        result = {}
        for rec in out.split("\0"):
            if not rec:
                continue
            meta, _, path = rec.partition("\t")
            result[path] = meta.split()[1]
        return result

    def dirty_paths(self, *paths: str) -> set[str]:
        """Tracked files under `paths` whose work-tree or staged content differs from HEAD, plus untracked ones."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
        result = set()
        recs = out.split("\0")
        i = 0
        while i < len(recs):
            rec = recs[i]
            i += 1
            if not rec:
                continue
            code, path = rec[:2], rec[3:]
            if code[0] in "RC":
                i += 1  # the rename source follows
            result.add(path)
        return result

    # -- writing ----------------------------------------------------------------------------
    def commit_paths(self, paths: list[str], message: str, *, allow_new: bool = False) -> str:
        """Commit exactly `paths` as they are in the work tree; returns the new commit id."""
        if allow_new:
            self.run("add", "--", *paths)
        self.run("-c", "user.useConfigOnly=true", "commit", "-q", "--no-verify", "--only", "-F", "-", "--", *paths,
                 input=message.encode())
        head = self.head_fast()
        assert head
        self._refresh_commit_graph(background=True)
        return head

    def hash_blob(self, data: bytes) -> str:
        """Store `data` as a blob (`git hash-object -w`, no filters) and return its id."""
        return self.run("hash-object", "-w", "--no-filters", "--stdin", input=data).strip()

    def commit_blob(self, path: str, blob: str, message: str, *, mode: str = "100644",
                    expect_head: str | None = None, also: tuple[tuple[str, str], ...] = ()) -> str:
        """Commit blob `blob` as `path` on top of HEAD, and nothing else; returns the new commit id.

        Unlike `commit_paths`, git never re-reads the work-tree file: the commit holds exactly the
        bytes the caller validated, whatever happens to the file meanwhile (a hand edit, an editor
        truncating it).  The tree is built in a private index (.git/tracker-save.index: HEAD's tree
        plus this one entry; kept between saves, so consecutive saves skip the `read-tree`), the
        branch moves only if it still points where the tree was built from (`update-ref NEW OLD`),
        and then the real index gets this one entry, so whatever else the officer has staged stays
        staged, as with `git commit --only`.  Fault step (see yamlio.fault): "ref-moved", after the
        branch moved and before the real index was updated (Workspace.recover repairs that)."""
        from .yamlio import fault

        head = self.head_fast()
        if head is None:
            raise _own(["commit"], "no_commit_yet")
        if expect_head is not None and head != expect_head:
            raise _own(["commit"], "head_moved", at=head[:7])
        ref = self._branch_ref()
        gd = self.git_dir
        index = gd / "tracker-save.index"
        mark = gd / "tracker-save.head"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            fresh = mark.read_text("utf-8").strip() == head and index.exists()
        except OSError:
            fresh = False
        mark.unlink(missing_ok=True)  # until this save succeeds, the private index matches no commit
        if not fresh:
            self.run("read-tree", head, env=env)
        self.run("update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}", env=env)
        for p, b in also:  # more (path, blob) in the same commit (a new item and the unit it adds to units.yaml)
            self.run("update-index", "--add", "--cacheinfo", f"100644,{b},{p}", env=env)
        tree = self.run("write-tree", env=env).strip()
        sign = ["-S"] if self.signs_commits() else []  # commit-tree ignores commit.gpgsign by itself
        sha = self.run("-c", "user.useConfigOnly=true", "commit-tree", *sign, tree, "-p", head, "-F", "-",
                       input=message.encode()).strip()
        subject = message.split("\n", 1)[0]
        self.run("update-ref", "-m", f"commit: {subject}", ref, sha, head)
        try:
            mark.write_text(sha + "\n", "utf-8")
        except OSError:
            pass
        fault("ref-moved")
        self.run("update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}")
        for p, b in also:
            self.run("update-index", "--add", "--cacheinfo", f"100644,{b},{p}")
        self._refresh_commit_graph(background=True, gc=True)
        return sha

    _signs: tuple | None = None

    def signs_commits(self) -> bool:
        """Whether this clone signs its commits (`commit.gpgsign`, set by `tracker office join`).

        Plumbing such as `commit-tree` does not read that setting, so every commit the tool builds
        itself asks here.  The answer is kept until a config file changes (no process per save)."""
        stamp = []
        for f in (self.git_dir / "config", Path.home() / ".gitconfig", Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "git" / "config"):
            try:
                st = f.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append(None)
        key = (tuple(stamp), os.environ.get("GIT_CONFIG_GLOBAL"), os.environ.get("GIT_CONFIG_COUNT"))
        if self._signs is None or self._signs[0] != key:
            on = self.run("config", "--bool", "--get", "commit.gpgsign", check=False).strip() == "true"
            self._signs = (key, on)
        return self._signs[1]

    def _branch_ref(self) -> str:
        try:
            text = (self.git_dir / "HEAD").read_text("utf-8").strip()
        except OSError:
            text = ""
        if text.startswith("ref: "):
            return text[5:]
        raise _own(["commit"], "detached")

    def commit_all(self, message: str) -> str:
        """The first commit of a new repository (tracker init / import)."""
        self.run("add", "-A")
        self.run("commit", "-q", "--no-verify", "-F", "-", input=message.encode())
        head = self.head()
        assert head
        return head

    def refresh_commit_graph(self, background: bool = True) -> None:
        """Public: bring the commit-graph (Bloom filters) up to date, e.g. after a sync."""
        self._refresh_commit_graph(background=background)

    def commit_graph_stale(self) -> bool:
        """Cheap (a few stats): is the branch ref newer than the commit-graph?  Then commits
        from a pull or a plain `git commit` lack Bloom filters and path-limited logs slow down."""
        try:
            gd = self.git_dir
            common = gd
            if (gd / "commondir").exists():
                common = (gd / (gd / "commondir").read_text("utf-8").strip()).resolve()
            info = common / "objects" / "info"
            graph = 0.0
            for f in (info / "commit-graph", info / "commit-graphs" / "commit-graph-chain"):
                try:
                    graph = max(graph, f.stat().st_mtime)
                except OSError:
                    pass
            head = (gd / "HEAD").read_text("utf-8").strip()
            refs = [gd / "HEAD", common / "packed-refs"]
            if head.startswith("ref: "):
                refs += [gd / head[5:], common / head[5:]]
            newest = 0.0
            for f in refs:
                try:
                    newest = max(newest, f.stat().st_mtime)
                except OSError:
                    pass
            return newest > graph
        except OSError:
            return False

    def _refresh_commit_graph(self, background: bool = False, gc: bool = False) -> None:
        """Keep path-limited `git log` fast: an incremental commit-graph with Bloom filters.

        `background`: started and not waited for (after a save, so that the save costs what
        `git commit` costs); git's own lock file keeps two writers apart, and a graph that
        misses the newest commits is still correct, only a little slower to walk."""
        if os.environ.get("TRACKER_NO_COMMIT_GRAPH"):
            return
        args = ["commit-graph", "write", "--reachable", "--changed-paths", "--split"]
        if background and not os.environ.get("TRACKER_SYNC_COMMIT_GRAPH"):
            # `gc`: a save made with plumbing (commit_blob) does not run git's own `gc --auto`
            cmd = ["sh", "-c", 'git gc --auto --quiet; exec git "$@"', "sh", *args] if gc else ["git", *args]
            try:
                subprocess.Popen(cmd, cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env={**os.environ, **_ENV}, start_new_session=True)
            except OSError:
                pass
            return
        self._execute(args, check=False)

    # -- history ----------------------------------------------------------------------------
    _LOG_FMT = "--format=\x1e%H\x1f%P\x1f%an\x1f%ae\x1f%at\x1f%aI\x1f%s"

    def log_changes(self, paths: list[str], *, since: str | None = None, until: str | None = None,
                    rev: str = "HEAD", max_count: int | None = None) -> Iterator["LogEntry"]:
        """Commits touching `paths`, newest first, each with the blob ids of every file it changed."""
        if rev == "HEAD" and self.head_fast() is None:
            return
        args = ["log", self._LOG_FMT, "--raw", "--no-renames", "--no-abbrev", "-z"]
        if since:
            args.append(f"--since={since}")
        if until:
            args.append(f"--until={until}")
        if max_count:
            args.append(f"--max-count={max_count}")
        args += [rev, "--", *paths]
        out = self.run(*args)
        for chunk in out.split("\x1e")[1:]:
            yield _log_entry(chunk)

    def stream_log_changes(self, revs: list[str], paths: list[str], *, reverse: bool = False) -> Iterator["LogEntry"]:
        """Like log_changes, read as git writes it (a whole history need not sit in memory at once)."""
        args = ["log", self._LOG_FMT, "--raw", "--no-renames", "--no-abbrev", "-z"]
        if reverse:
            args.append("--reverse")
        for chunk in self.stream_records(*args, *revs, "--", *paths):
            yield _log_entry(chunk)

    def stream_records(self, *args: str, sep: bytes = b"\x1e") -> Iterator[str]:
        """The non-empty `sep`-separated records of a git command's output, as git writes them; the
        process is waited for when they were all read and stopped when the reader gives up early."""
        job = self.start(*args)
        buf = b""
        finished = False
        try:
            for data in job.chunks():
                buf += data
                parts = buf.split(sep)
                buf = parts.pop()
                for chunk in parts:
                    if chunk:
                        yield chunk.decode("utf-8", "replace")
            if buf:
                yield buf.decode("utf-8", "replace")
            finished = True
        finally:
            if finished:
                job.wait(check=True)
            else:
                job.stop()

    def stream_records_of(self, commands: list[list[str]], sep: bytes = b"\x1e") -> Iterator[str]:
        """The records of several git commands started at the same time, in the order of the
        commands: the first one's as they come, each later one's kept in memory meanwhile (a
        thread drains its pipe so that it never waits for the reader).  For a long walk split into
        ranges (`tracker.touchindex`): the ranges are walked on every core at once.  Every
        command is checked (a failure raises GitError) and all are stopped when the reader gives
        up early."""
        if len(commands) <= 1:
            yield from self.stream_records(*(commands[0] if commands else []), sep=sep)
            return
        jobs: list[Running] = []
        try:
            for args in commands[1:]:
                jobs.append(self.start(*args))
            outs: list[list[bytes]] = [[] for _ in jobs]
            drains = [threading.Thread(target=_drain, args=(j, o), daemon=True) for j, o in zip(jobs, outs)]
            for t in drains:
                t.start()
            yield from self.stream_records(*commands[0], sep=sep)
            for job, out, drain in zip(jobs, outs, drains):
                drain.join()
                data = b"".join(out)
                out.clear()
                job.wait(check=True)
                for chunk in data.split(sep):
                    if chunk:
                        yield chunk.decode("utf-8", "replace")
            jobs = []
        finally:
            for job in jobs:
                job.stop()

    def message(self, sha: str) -> str:
        return self.run("log", "-1", "--format=%B", sha)


# -- the network: connect and stall timeouts, a watchdog, and a way to stop it all ---------------
NETWORK_COMMANDS = frozenset({"fetch", "push", "pull", "ls-remote", "clone"})
_PROGRESS_COMMANDS = frozenset({"fetch", "push", "pull", "clone"})
_NET_LOCK = threading.Lock()
_NET_RUNNING: dict[int, subprocess.Popen] = {}  # pid -> a network git process (its own process group)
_NET_STOPPED: set[int] = set()  # pids ended by stop_network()


def connect_timeout() -> float:
    """Seconds a remote may take to send its first byte (TRACKER_CONNECT_TIMEOUT, default 20)."""
    return _env_seconds("TRACKER_CONNECT_TIMEOUT", 20.0)


def stall_timeout() -> float:
    """Seconds a transfer may go without any progress (TRACKER_STALL_TIMEOUT, default 60)."""
    return _env_seconds("TRACKER_STALL_TIMEOUT", 60.0)


def _env_seconds(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, ""))
        return v if v > 0 else default
    except ValueError:
        return default


def _subcommand(args: list[str]) -> str | None:
    """The git subcommand of `args` (after `-c KEY=VALUE`, `-C DIR` and other global options)."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-c", "-C", "--git-dir", "--work-tree", "--namespace"):
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return a
    return None


def _ssh_command(base: str, connect: float, stall: float) -> str:
    """GIT_SSH_COMMAND with a connect timeout and keep-alives (a dead or silent server is noticed),
    added only to a plain `ssh ...` command and only where it does not set them itself."""
    words = base.split()
    if not words or os.path.basename(words[0]) != "ssh":
        return base
    low = base.lower()
    extra = []
    if "batchmode" not in low:
        extra.append("-o BatchMode=yes")
    if "connecttimeout" not in low:
        extra.append(f"-o ConnectTimeout={max(1, int(connect))}")
    if "serveraliveinterval" not in low:
        extra.append(f"-o ServerAliveInterval={max(1, int(stall // 4))} -o ServerAliveCountMax=4")
    return " ".join([base, *extra])


def network_args(args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """`args` and `env` of a network git command with the timeouts every transport gets:
    http(s): `http.lowSpeedLimit/Time` (curl gives up on a stalled transfer); ssh: ConnectTimeout
    and ServerAliveInterval; every transport (git://, path, ssh, http): `--progress`, so that the
    watchdog in `_run_network` sees a live transfer write, and a silent one stopped."""
    connect, stall = connect_timeout(), stall_timeout()
    sub = _subcommand(args)
    out = ["-c", "http.lowSpeedLimit=1000", "-c", f"http.lowSpeedTime={max(1, int(stall))}", *args]
    if sub in _PROGRESS_COMMANDS and "--progress" not in args and "-q" not in args and "--quiet" not in args:
        at = out.index(sub) + 1
        out[at:at] = ["--progress"]
    env = dict(env)
    env["GIT_SSH_COMMAND"] = _ssh_command(env.get("GIT_SSH_COMMAND") or "ssh", connect, stall)
    return out, env


_PROGRESS_LINE = re.compile(r"^(remote: )?(Enumerating|Counting|Compressing|Writing|Receiving|Resolving|Unpacking|"
                            r"Total \d|Delta compression|Checking connectivity|Updating files|Finding sources)")


def _without_progress(err: str) -> str:
    """git's stderr with the progress meters taken out (they are for the watchdog, not for people)."""
    keep = []
    for seg in re.split(r"[\r\n]", err):
        if seg.strip() and not _PROGRESS_LINE.match(seg.strip()):
            keep.append(seg)
    return "\n".join(keep)


def _run_network(cwd: Path, args: list[str], env: dict[str, str], input: bytes | None) -> tuple[int, bytes, str]:
    """Run a network git command with a watchdog: stopped (its whole process group: ssh,
    git-remote-http, index-pack) when nothing at all arrives within connect_timeout() seconds,
    or when nothing new arrives for stall_timeout() seconds once it has started; the error then
    says which, in words, and how to wait longer.  SIGTERM first, so git removes its lock files."""
    import signal
    import time

    args, env = network_args(args, env)
    connect, stall = connect_timeout(), stall_timeout()
    proc = subprocess.Popen(["git", *args], cwd=cwd, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env},
                            start_new_session=True)
    with _NET_LOCK:
        _NET_RUNNING[proc.pid] = proc
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    activity = {"last": time.monotonic(), "any": False}

    def reader(stream, sink: list[bytes]) -> None:
        while True:
            data = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not data:
                return
            sink.append(data)
            activity["last"], activity["any"] = time.monotonic(), True

    threads = [threading.Thread(target=reader, args=(proc.stdout, out_chunks), daemon=True),
               threading.Thread(target=reader, args=(proc.stderr, err_chunks), daemon=True)]
    for t in threads:
        t.start()
    if input is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(input)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    started = time.monotonic()
    reason = None
    try:
        while True:
            try:
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if not activity["any"] and now - started > connect:
                reason = (f"timed out: the remote sent nothing within {connect:g} s of being asked (it accepted the "
                          "connection and never answered, or could not be reached); git was stopped. Check the "
                          "network and that the server is running (to wait longer, set TRACKER_CONNECT_TIMEOUT "
                          "to a number of seconds)")
            elif activity["any"] and now - activity["last"] > stall:
                reason = (f"timed out: the transfer stalled, nothing arrived for {stall:g} s; git was stopped. "
                          "Check the network and try again (to wait longer, set TRACKER_STALL_TIMEOUT to a "
                          "number of seconds)")
            if reason:
                _stop_group(proc)
                break
    finally:
        for t in threads:
            t.join(timeout=5)
        with _NET_LOCK:
            _NET_RUNNING.pop(proc.pid, None)
            stopped = proc.pid in _NET_STOPPED
            _NET_STOPPED.discard(proc.pid)
    status = proc.returncode if proc.returncode is not None else -signal.SIGKILL
    err = _without_progress(b"".join(err_chunks).decode("utf-8", "replace"))
    if stopped and not reason:
        reason = "stopped: the program is closing, so the transfer was ended (nothing half-done is kept)"
    if reason:
        status = status or 124
        err = reason + (f"\n{err}" if err.strip() else "")
    return status, b"".join(out_chunks), err


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group of a network git (git removes its lock files), SIGKILL after 3 s."""
    import signal

    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def running_network() -> list[int]:
    """The process ids of the network git commands running now (fetch, push...)."""
    with _NET_LOCK:
        return [pid for pid, p in _NET_RUNNING.items() if p.poll() is None]


def stop_network() -> int:
    """End every network git command this process started (the TUI calls this when it quits);
    returns how many were running.  Each caller then gets a GitError saying it was stopped."""
    with _NET_LOCK:
        procs = [p for p in _NET_RUNNING.values() if p.poll() is None]
        _NET_STOPPED.update(p.pid for p in procs)
    for p in procs:
        _stop_group(p)
    return len(procs)


def _drain(job: "Running", out: list[bytes]) -> None:
    """Read a command's stdout to its end into `out` (stream_records_of's thread); a pipe closed
    by stop() ends it quietly."""
    try:
        out.extend(job.chunks())
    except (OSError, ValueError):
        pass


def raw_record(chunk: str, fields: int) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """One record of `git log --format=<F> --raw -z` (after its \\x1e separator), F being `fields`
    values joined by \\x1f: (the header's values, [(status, old blob, new blob, path)]).  The one
    reader of git's raw records (the log stream here, the history index's walk in touchindex)."""
    head, _, raw = chunk.partition("\0")
    # with -z the header ends at the first NUL when raw output follows, else at "\n"
    head = head.rstrip("\n")
    if "\n" in head:  # no raw part: header then newline
        head, raw = head.split("\n", 1)[0], ""
    values = head.split("\x1f", fields - 1)
    files = []
    parts_of = raw.lstrip("\n").split("\0")
    i = 0
    while i + 1 < len(parts_of):
        meta = parts_of[i].lstrip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        parts = meta[1:].split()
        files.append((parts[4], parts[2], parts[3], parts_of[i + 1]))
        i += 2
    return values, files


def _log_entry(chunk: str) -> "LogEntry":
    """One record of `git log --format=<_LOG_FMT> --raw -z`."""
    (sha, parents, an, ae, at, ai, subject), raw = raw_record(chunk, 7)
    files = [FileChange(old=old, new=new, status=status, path=path) for status, old, new, path in raw]
    return LogEntry(sha=sha, parents=parents.split(), author=an, email=ae, timestamp=int(at),
                    date=ai, subject=subject, files=files)


@dataclass(frozen=True)
class FileChange:
    old: str
    new: str
    status: str
    path: str


@dataclass(frozen=True)
class LogEntry:
    sha: str
    parents: list[str]
    author: str
    email: str
    timestamp: int
    date: str  # ISO 8601 with the author's offset
    subject: str
    files: list[FileChange]


class Running:
    """A git command started by GitRepo.start."""

    def __init__(self, args: list[str], proc: subprocess.Popen):
        self.args, self.proc = args, proc

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """stdout as it comes; stop early with `stop()`."""
        assert self.proc.stdout is not None
        while True:
            data = self.proc.stdout.read1(size) if hasattr(self.proc.stdout, "read1") else self.proc.stdout.read(size)
            if not data:
                return
            yield data

    def stop(self) -> None:
        """End the command early (its output is no longer needed)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()

    def wait(self, check: bool = True) -> tuple[int, bytes, str]:
        out, err = self.proc.communicate()
        err_s = err.decode("utf-8", "replace")
        if check and self.proc.returncode != 0:
            raise GitError(self.args, self.proc.returncode, err_s)
        return self.proc.returncode, out, err_s


def init_repo(path: Path) -> GitRepo:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True,
                   env={**os.environ, **_ENV})
    return GitRepo(path)


class PlainGitRepo(GitRepo):
    """The same interface, running git with `subprocess` directly: for short-lived processes
    (the pre-receive hook, `tracker.serve`), where importing GitPython would be a third of the
    whole run.  Same environment, same errors; not for the TUI (use GitRepo there)."""

    def _execute(self, args: list[str], *, input: bytes | None = None, check: bool = True,
                 extra_env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        env = {**os.environ, **_ENV, **(extra_env or {})}
        try:
            proc = subprocess.run(["git", *args], cwd=self.root, input=input if input is not None else b"",
                                  capture_output=True, env=env)
        except FileNotFoundError as exc:  # pragma: no cover - git missing
            raise _git_missing() from exc
        err_s = proc.stderr.decode("utf-8", "replace")
        if check and proc.returncode != 0:
            raise GitError(args, proc.returncode, err_s)
        return proc.returncode, proc.stdout, err_s
