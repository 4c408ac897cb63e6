"""tracker import / init / check: making a plan and checking its files."""
from __future__ import annotations

import argparse
import subprocess
from importlib import resources
from pathlib import Path

from ..gitstore import GitRepo, init_repo
from ..inputs import arg_int
from ..model import TrackerError
from ..notice import parse_notice
from ..output import visible, write
from ..planfiles import write_plan
from ._common import workspace

BUNDLED_YEAR = 2020


def bundled_notice() -> str:
    return resources.files("tracker").joinpath("data/notice-2020.txt").read_text("utf-8")


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="parse a notice into plan files (refuses to overwrite)")
    p.add_argument("notice", help="the notice as UTF-8 text")
    p.add_argument("--year", type=arg_int(2000, 2099), required=True, help="the plan year (2000-2099)")
    p.add_argument("--out", required=True, help="the folder to create, e.g. plan/2021")
    p.add_argument("--language", choices=("zh", "en"), default="zh", help="language of commit messages")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("init", parents=[common], help="a new tracking repository seeded with the bundled 2020 plan")
    p.add_argument("path", help="folder for the new repository (must not exist or be empty)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", parents=[common], help="validate every file; exit 1 listing every problem")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("index", parents=[common],
                       help="build or refresh the history index (.git/tracker/touches-YEAR.sqlite; the TUI does it itself)")
    p.set_defaults(func=cmd_index)


def import_notice(text: str, year: int, out: Path, language: str = "zh"):
    if (out / "plan.yaml").exists() or any((out / d).exists() and any((out / d).iterdir()) for d in ("tasks", "targets")):
        raise TrackerError(f"{out} already holds a plan; refusing to overwrite it (choose another --out)")
    try:
        parsed = parse_notice(text, year)
    except ValueError as exc:
        raise TrackerError(str(exc)) from None
    if not parsed.tasks:
        raise TrackerError("no numbered tasks found in the notice")
    written = write_plan(parsed, out, language)
    return parsed, written


def cmd_import(args) -> int:
    from ..inputs import InputError, read_capped

    src = Path(args.notice)
    try:
        raw = read_capped(src)
    except InputError as exc:
        raise TrackerError(f"notice: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{src}: not UTF-8 text (byte offset {exc.start}); convert it first, e.g. iconv -f GB18030 -t UTF-8") from None
    parsed, written = import_notice(text, args.year, Path(args.out), args.language)
    write(f"wrote {len(written)} files to {args.out}: plan.yaml, {len(parsed.targets)} targets, "
          f"{len(parsed.tasks)} tasks with {sum(len(t.measures) for t in parsed.tasks)} measures in "
          f"{len(parsed.categories)} categories\n")
    if parsed.unplaced:
        write(f"{len(parsed.unplaced)} line(s) could not be placed:\n")
        for line, txt in parsed.unplaced:
            write(f"  {src}:{line}: {visible(txt)}\n")
    return 0


def init_workspace(path: Path) -> GitRepo:
    """A standalone tracking repository with the bundled plan and one initial commit."""
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise TrackerError(f"{path} exists and is not a folder; choose a new folder")
        try:
            if any(path.iterdir()):
                raise TrackerError(f"{path} exists and is not empty; choose a new folder")
        except OSError as exc:
            raise TrackerError(f"{path}: cannot read the folder: {exc.strerror}") from None
    try:
        repo = init_repo(path)
    except (OSError, subprocess.CalledProcessError) as exc:
        why = getattr(exc, "strerror", None) or "git init failed"
        raise TrackerError(f"{path}: cannot create the repository there: {why}") from None
    repo.identity()  # fail before writing anything if git has no identity
    parsed, _ = import_notice(bundled_notice(), BUNDLED_YEAR, path / "plan" / str(BUNDLED_YEAR))
    try:
        from ..sync_setup import write_repo_files  # added by the sync capability
    except ImportError:
        write_repo_files = None
    if write_repo_files:
        write_repo_files(path)
    repo.commit_all(f"初始化 {parsed.title}（{parsed.document}）\n\n"
                    f"{len(parsed.targets)} 项综合目标，{len(parsed.tasks)} 项任务。\n\n"
                    f"Tracker-Plan: {BUNDLED_YEAR}\n")
    return repo


def cmd_init(args) -> int:
    path = Path(args.path)
    repo = init_workspace(path)
    write(f"created {path.resolve()} with the {BUNDLED_YEAR} plan (commit {repo.head()[:7]})\n"
          f"next: cd {path} && tracker\n")
    return 0


def cmd_check(args) -> int:
    ws = workspace(args)
    data = ws.load()
    if not data.problems and data.info is not None:
        write(f"{ws.plan_rel}: ok ({len(data.tasks)} tasks, {len(data.targets)} targets)\n")
        return 0
    for p in sorted(data.problems, key=lambda p: (p.path, p.line or 0, p.col or 0)):  # file by file, top to bottom
        write(visible(str(p)) + "\n")
    write(f"{len(data.problems)} problem(s) in {len(data.broken_paths)} file(s)\n")
    return 1


def cmd_index(args) -> int:
    """Build the touch index once (a walk of the whole history), or bring it to HEAD."""
    import time

    from ..touchindex import index_path, refresh, stats

    ws = workspace(args)
    t = time.perf_counter()
    if not refresh(ws, build=True):
        raise TrackerError(f"could not build the history index {index_path(ws)} (no commit yet, or it is locked)")
    commits, touches = stats(ws)
    write(f"history index at HEAD: {commits} commits, {touches} file changes, {time.perf_counter() - t:.2f} s "
          f"({index_path(ws)})\n")
    return 0
