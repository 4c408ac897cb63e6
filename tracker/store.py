"""The plan in a git work tree: load every file, change one, commit it.

`Workspace` is a repository root and the plan year in it.  Its work is done in three rooms:

    tracker/store_load.py   loading: plan and task files read and checked, the parse cache (PlanLoading)
    tracker/store_save.py   saving: the lock, the journal and its recovery, the one write path (PlanSaving)
    tracker/edits.py        edit validation: what may be changed and how it is checked (the field table)

This module keeps the workspace itself (discovery, paths) and the two edits every front end
makes (`update_task`, `record_actual`), and re-exports the rooms' names that other modules and
tests import from `tracker.store`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .edits import apply_task_changes, validate_changes, validate_period  # noqa: F401 - importers use store's names
from .gitstore import GitRepo
from .i18n import Words, book
from .model import TrackerError
from .schema import check_target, check_task
from .store_load import (PARALLEL_MIN, PlanData, PlanLoading, _NotRegular, _Prefetch, _worker_main,  # noqa: F401
                         blob_id, parse_file, read_regular)
from .store_save import CommitResult, PlanSaving, StaleError, explain_git_error, route_faults  # noqa: F401
from .yamlio import fault, text_scalar  # noqa: F401 - fault: the save's step hook (store_save.fault)

# the save's steps go through this module's name `fault`, looked up at each step: patching
# tracker.store.fault sees them all (tests/scale/test_scale_save_race.py)
route_faults(lambda step: fault(step))

book("recording", {
    "period_outside": ("期间：{period!r} 不在 {year} 年计划之内；请用 {year} 年的期间，例如 {year}-09 或 {year}-Q3",
                       "period: {period!r} is outside the {year} plan; use a period of {year}, e.g. {year}-09 or {year}-Q3"),
    "not_a_number": ("数值：{value!r} 不是数字", "value: {value!r} is not a number"),
    "no_indicator": ("目标 {number} 没有指标 {indicator!r}（现有：{names}）",
                     "target {number} has no indicator {indicator!r} (it has: {names})"),
})


def _err(entry: str, **args: Any) -> TrackerError:
    return TrackerError.keyed(f"recording.{entry}", **args)


book("workspace", {
    "no_plan": ("未找到计划：{root}/plan/<年份>/ 不存在（请先运行 tracker init 或 tracker import）",
                "no plan found: {root}/plan/<year>/ does not exist (tracker init, or tracker import)"),
    "no_such_year": ("{root}/plan/ 中没有 {year} 年的计划（现有：{found}）", "no plan for {year} in {root}/plan/ (found: {found})"),
    "none": ("无", "none"),
    "no_path": ("仓库路径不存在：{path}", "repository path does not exist: {path}"),
    "not_git": ("不在 git 仓库中：{path}（请用 --repo 路径、TRACKER_REPO 环境变量，或 tracker init 路径）",
                "not inside a git repository: {path} (use --repo PATH, TRACKER_REPO, or tracker init PATH)"),
})


def _ws_err(entry: str, **args: Any) -> TrackerError:
    """The book entry `workspace.<entry>` as an error (str() English, err.text(lang) the user's)."""
    return TrackerError.keyed(f"workspace.{entry}", **args)


__all__ = ["Workspace", "PlanData", "CommitResult", "StaleError", "blob_id", "read_regular", "parse_file",
           "explain_git_error", "validate_changes", "apply_task_changes", "validate_period", "PARALLEL_MIN"]


class Workspace(PlanLoading, PlanSaving):
    """A repository root and the plan year in it (loading and saving: the rooms above)."""

    def __init__(self, root: str | Path, year: int | None = None):
        self.root = Path(root).resolve()
        self.git = GitRepo(self.root)
        years = sorted(int(p.name) for p in (self.root / "plan").glob("[0-9][0-9][0-9][0-9]") if p.is_dir())
        if year is None:
            if not years:
                raise _ws_err("no_plan", root=str(self.root))
            year = years[-1]
        elif year not in years:
            raise _ws_err("no_such_year", root=str(self.root), year=year, found=Words(years, none="workspace.none"))
        self.year = year
        self.plan_rel = f"plan/{year}"

    # -- discovery ----------------------------------------------------------------------------
    @classmethod
    def discover(cls, repo: str | None = None, plan: int | None = None, cwd: str | None = None) -> "Workspace":
        start = repo or os.environ.get("TRACKER_REPO") or cwd or os.getcwd()
        if not Path(start).exists():
            raise _ws_err("no_path", path=str(start))
        top = GitRepo.toplevel(start)
        if top is None:
            raise _ws_err("not_git", path=str(Path(start).resolve()))
        return cls(top, plan)

    @property
    def plan_dir(self) -> Path:
        return self.root / self.plan_rel

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def state_dir(self) -> Path:
        d = self.git.git_dir / "tracker"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def update_task(self, number: int, changes: dict[str, Any], *, expect: str | None = None) -> CommitResult | None:
        """Apply validated `changes` ({'status': 'done', 'measures.2.status': 'done', ...}); one commit."""
        path = self.task_path(number)
        tid = f"{self.year}-{number:02d}"
        clean = validate_changes(changes, tid)
        info, _ = self.load_info()
        cats = info.categories if info else ()
        lang = info.language if info else "zh"

        return self._commit_edit(
            path, lambda tree: apply_task_changes(tree, clean, tid), expect=expect,
            subject=lambda d: (tid, str(d.get("title", ""))),
            check=lambda data, rel, text: check_task(data, rel, text, self.year, cats)[1], lang=lang,
            line_changes=clean,
        )

    def record_actual(self, number: int, indicator: str, period: str, value: float | None, note: str = "",
                      *, expect: str | None = None) -> CommitResult | None:
        """Record (or replace) an indicator's actual value for a period: one commit."""
        path = self.target_path(number)
        period = validate_period(period)
        if not period.startswith(str(self.year)):
            raise _err("period_outside", period=period, year=self.year)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise _err("not_a_number", value=value)

        def mutate(tree: Any) -> None:
            from ruamel.yaml.comments import CommentedMap

            for ind in tree.get("indicators") or []:
                if ind.get("name") == indicator:
                    acts = ind.setdefault("actuals", [])
                    entry = CommentedMap([("period", period), ("value", value), ("note", text_scalar(note))])
                    for i, a in enumerate(acts):
                        if str(a.get("period")) == period:
                            if a.get("value") != value or (a.get("note") or "") != note:
                                acts[i] = entry
                            return
                    acts.append(entry)
                    return
            names = [str(i.get("name")) for i in tree.get("indicators") or []]
            raise _err("no_indicator", number=number, indicator=indicator, names=names)

        return self._commit_edit(
            path, mutate, expect=expect,
            subject=lambda d: (f"{self.year}-T{number:02d}", str(d.get("text", ""))),
            check=lambda data, rel, text: check_target(data, rel, text, self.year)[1],
            trailers={"Tracker-Target": f"{self.year}-T{number:02d}"},
        )
