"""A bulletin computed once is kept: a repeated `tracker report` with identical inputs reads it.

`tracker report` at 10,000 tasks / 50,000 commits spends seconds on work whose result is a
function of its inputs (the bulletin window's diffs, the burn-up, the ranking, laying out md or
docx).  This module keeps the *rendered output* (the bytes the command writes, per format and
destination) in `.git/tracker/reports/`, one file per key, and gives it back only when every
input the report reads is the same.  The key is a SHA-256 over (`report_key`):

* the history: HEAD's commit (read from the ref files) and every ref with its object
  (`git for-each-ref`: the bulletin/* tags choose the default --since and pin an issued
  bulletin's board; `refs/replace` and the rest are taken too, so nothing is missed), and the
  files that change what git shows of history (`.git/shallow`, `.git/info/grafts`);
* today's date and the local time zone (the as-of rule drops commits dated ahead of today;
  `git log --since` of the ledger returns reads local days), and the options: --as-of (or
  none: "today"), --since, the format, the language the report is written in, and whether
  it goes to a file or to stdout;
* the working-tree and state files the report reads beside the committed history, by content:
  `units.yaml` (the unit aliases of the ranking), `offices.yaml`, `.mailmap`, the plan's
  `plan.yaml` (its title and settings when the as-of commit has none) and `reminders.yaml`,
  the ledger receipts `.git/tracker/ledger-returns.jsonl`, and the repository's git config;
* the environment that steers git or tracker (`GIT_*`, `TRACKER_*`, `TZ`, the locale, `PATH`: which
  git and ssh-keygen run);
* a code stamp: the tracker version, the content of every source file of the package, the
  Python version and the installed distributions with their versions.

The plan's task files in the working tree are not an input: a report reads the board as
committed at the end of its day (tracker.asof), never uncommitted edits.

Threat model: the cache is data, never code: a JSON header line and the body, no pickle, so a
planted file can at worst hand back a wrong bulletin for its key, the same trust as every other
file in `.git`.  The header names the full key and the body's SHA-256; a file whose header,
length or digest does not match is ignored (and overwritten by the next report).  A cache that
cannot be read or written (a read-only `.git`, a full disk) only makes the report slower: every
failure here is swallowed.  Files are written to a temporary name and renamed (never a half
file), and the folder keeps at most KEEP entries (the oldest are removed).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

VERSION = 1
FOLDER = "reports"
KEEP = 24  # entries kept: a few formats, languages and dates of one office's routine

#: working-tree files (relative to the repository root; {plan} is the plan folder) read by content
TREE_FILES = ("units.yaml", "offices.yaml", ".mailmap", "{plan}/plan.yaml", "{plan}/reminders.yaml")
#: files in the git directory read by content
GIT_FILES = ("config", "shallow", "info/grafts", "tracker/ledger-returns.jsonl")

_STAMP: list[str] = []


def code_stamp() -> str:
    """The tracker version, every file of the package by content, Python, and the installed
    distributions with their versions (the `*.dist-info` names on sys.path: python-docx, openpyxl,
    pypinyin ... lay out the documents): edited code never meets an old bulletin.  Computed once
    per process (about 4 ms; importlib.metadata would take 30)."""
    if _STAMP:
        return _STAMP[0]
    from . import __version__

    h = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*")):
        if "__pycache__" in p.parts or not p.is_file():
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        try:
            h.update(hashlib.sha256(p.read_bytes()).digest())
        except OSError:
            h.update(b"?")
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update(f"{entry}\0{chr(0).join(names)}\0".encode())
    _STAMP.append(h.hexdigest())
    return _STAMP[0]


def _content(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "-"
    except OSError as exc:
        raise _Uncacheable(f"{path}: {exc}") from None


class _Uncacheable(Exception):
    """An input that cannot be read cheaply: this report is not cached."""


def _refs(ws) -> list[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        out = subprocess.run(["git", "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)"],
                             cwd=ws.root, capture_output=True, env=env, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise _Uncacheable(str(exc)) from None
    if out.returncode != 0:
        raise _Uncacheable(out.stderr.decode("utf-8", "replace"))
    return out.stdout.decode("utf-8", "surrogateescape").splitlines()


def _common_dir(git_dir: Path) -> Path:
    """The repository's own git directory when `git_dir` is a linked worktree's (its config,
    shallow and grafts live there)."""
    f = git_dir / "commondir"
    try:
        return (git_dir / f.read_text("utf-8").strip()).resolve()
    except FileNotFoundError:
        return git_dir
    except OSError as exc:
        raise _Uncacheable(f"{f}: {exc}") from None


def report_key(ws, *, as_of: date | None, since: date | None, fmt: str, lang: str, to_file: bool,
               today: date | None = None) -> str | None:
    """The key of this report (see the module docstring), or None where it is not to be cached
    (no commit yet, an input that cannot be read)."""
    try:
        head = ws.git.head_fast()
        if not head:
            return None
        git_dir = Path(ws.git.git_dir)
        plan = ws.plan_rel
        parts = {
            "v": VERSION,
            "code": code_stamp(),
            "root": str(ws.root), "git_dir": str(git_dir), "plan": plan,
            "head": head, "refs": _refs(ws),
            "today": (today or date.today()).isoformat(),
            "tz": [time.strftime("%z"), list(time.tzname), time.timezone, time.altzone, time.daylight],
            "as_of": as_of.isoformat() if as_of else None,
            "since": since.isoformat() if since else None,
            "fmt": fmt, "lang": lang, "to_file": bool(to_file),
            "tree": {f: _content(ws.root / f.format(plan=plan)) for f in TREE_FILES},
            "git": {f: _content(git_dir / f) for f in GIT_FILES},
            "common": {f: _content(_common_dir(git_dir) / f) for f in GIT_FILES},  # a linked worktree's
            "env": sorted((k, v) for k, v in os.environ.items()
                          if k.startswith(("GIT_", "TRACKER_", "LC_")) or k in ("TZ", "LANG", "LANGUAGE", "HOME", "PATH",
                                                                               "XDG_CONFIG_HOME")),
            "global": [_content(Path(p).expanduser()) for p in ("~/.gitconfig", "~/.config/git/config",
                                                                 "/etc/gitconfig")],
        }
    except _Uncacheable:
        return None
    except Exception:  # noqa: BLE001 - the cache is an optimisation: never a reason to fail a report
        return None
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    body: bytes
    total: int
    since: date
    problems: int


def _folder(ws) -> Path:
    return Path(ws.git.git_dir) / "tracker" / FOLDER


def get(ws, key: str | None) -> Entry | None:
    """The kept output for `key`, or None (no entry, or one that does not check out)."""
    if not key:
        return None
    try:
        raw = (_folder(ws) / key).read_bytes()
        head, sep, body = raw.partition(b"\n")
        meta = json.loads(head.decode("utf-8")) if sep else None
        if (not isinstance(meta, dict) or meta.get("v") != VERSION or meta.get("key") != key
                or meta.get("size") != len(body) or meta.get("sha256") != hashlib.sha256(body).hexdigest()):
            return None
        total, problems = meta["total"], meta["problems"]
        if not (isinstance(total, int) and isinstance(problems, int)):
            return None
        return Entry(body, total, date.fromisoformat(meta["since"]), problems)
    except Exception:  # noqa: BLE001 - missing, unreadable, damaged: computed afresh
        return None


def put(ws, key: str | None, entry: Entry) -> None:
    """Keep `entry` under `key` (written to a temporary file and renamed); failures are ignored."""
    if not key:
        return
    folder = _folder(ws)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"v": VERSION, "key": key, "size": len(entry.body), "sha256": hashlib.sha256(entry.body).hexdigest(),
                "total": entry.total, "since": entry.since.isoformat(), "problems": entry.problems}
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(meta).encode("utf-8") + b"\n" + entry.body)
        os.replace(tmp, folder / key)
        tmp = None
        _prune(folder)
    except Exception:  # noqa: BLE001 - an unwritable .git: the report works without the cache
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    files = []
    for p in folder.iterdir():
        try:
            files.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue
    files.sort(reverse=True)
    for _, p in files[KEEP:]:
        try:
            p.unlink()
        except OSError:
            pass
