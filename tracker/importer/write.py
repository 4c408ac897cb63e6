"""An imported plan as files: plan.yaml and tasks/NN.yaml, in the format of the bundled plan.

New task keys are written only when they say something (`leads` always, as the record of who
leads; `leader`, `ref`, `start`, `open_units`, `incomplete` when set), so a plan written by hand
or by an older version stays valid.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..planfiles import DEFAULT_SETTINGS, _cm, render_target, task_filename
from ..yamlio import atomic_write, rt_dump
from .plan import ImportedPlan, ImportedTask


def plan_start(plan: ImportedPlan) -> date:
    """序时进度 starts on the day the plan was issued (never before the plan year)."""
    first = date(plan.year, 1, 1)
    if plan.issued and first <= plan.issued <= date(plan.year, 12, 31):
        return plan.issued
    return first


def render_plan(plan: ImportedPlan, language: str = "zh") -> str:
    settings = _cm(**{k: (plan_start(plan) if k == "start" else v) for k, v in DEFAULT_SETTINGS.items()})
    data = _cm(title=plan.title, document=plan.document, issuer=plan.issuer,
               issued=plan.issued or date(plan.year, 1, 1), year=plan.year, language=language,
               categories=list(plan.categories), settings=settings)
    return rt_dump(data)


def render_task(t: ImportedTask) -> str:
    from ..planfiles import measure_maps, task_map

    return rt_dump(task_map(dict(
        number=t.number, title=t.title, category=t.category, ref=t.ref if t.ref != str(t.number) else "",
        units=t.units, leads=t.leads, leader=t.leader, open_units=t.open_units, incomplete=t.incomplete,
        status="not_started", progress=0, start=t.start, due=t.due, note="", problems="", next_steps="",
        measures=measure_maps(t.measures)), always=("leads",)))


def plan_files(plan: ImportedPlan, out: Path, language: str = "zh") -> list[tuple[Path, str]]:
    files = [(out / "plan.yaml", render_plan(plan, language))]
    files += [(out / "targets" / task_filename(t.number), render_target(t, plan.year)) for t in plan.targets]
    files += [(out / "tasks" / task_filename(t.number), render_task(t)) for t in plan.tasks]
    return files


def write_files(files: list[tuple[Path, str]], out: Path) -> list[Path]:
    """Everything rendered first, then written; a failure removes what this call wrote."""
    written: list[Path] = []
    try:
        (out / "tasks").mkdir(parents=True, exist_ok=True)
        (out / "targets").mkdir(parents=True, exist_ok=True)
        for path, text in files:
            atomic_write(path, text)
            written.append(path)
    except OSError:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return written
