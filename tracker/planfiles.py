"""Where the plan's files live and how a parsed notice becomes those files.

Layout (ASCII names from the numbers; Chinese text stays inside the files):

    plan/<year>/plan.yaml           the plan: title, document number, categories, settings
    plan/<year>/targets/NN.yaml     one overall target (综合目标) with its indicators
    plan/<year>/tasks/NN.yaml       one task with its units and measures

Task files may also sit one folder deeper (tasks/<group>/NNNNN.yaml) for very large plans:
git rewrites a whole folder's tree object on every commit.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .model import FIELD, TASK_TABLE
from .notice import ParsedNotice, task_due
from .yamlio import atomic_write, rt_dump

DEFAULT_SETTINGS = {
    "start": None,               # schedule start (序时进度); None = January 1st of the year
    "yellow_behind": 10,         # points behind schedule for a yellow light
    "red_behind": 30,            # points behind schedule for a red light
    "due_soon_days": 7,          # a blue light this many days before the due date
    "reporting_cycle_days": 30,  # reminders (催办) for tasks not updated for longer
}


def plan_dir(root: Path, year: int) -> Path:
    return root / "plan" / str(year)


def task_filename(number: int, width: int = 2) -> str:
    return f"{number:0{width}d}.yaml"


def _cm(**items):
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    for k, v in items.items():
        m[k] = v
    return m


def render_plan(n: ParsedNotice, language: str = "zh") -> str:
    settings = _cm(**{k: (date(n.year, 1, 1) if k == "start" else v) for k, v in DEFAULT_SETTINGS.items()})
    data = _cm(title=n.title, document=n.document, issuer=n.issuer, issued=n.issued, year=n.year,
               language=language, categories=list(n.categories), settings=settings)
    return rt_dump(data)


def render_target(t, year: int) -> str:
    inds = []
    for ind in t.indicators:
        m = _cm(name=ind.name, comparator=ind.comparator)
        if ind.comparator == "range":
            m["min"], m["max"] = ind.min, ind.max
        elif ind.comparator != "qualitative":
            m["value"] = ind.value
        m["unit"] = ind.unit
        m["actuals"] = []
        inds.append(m)
    return rt_dump(_cm(number=t.number, text=t.text, units=list(t.units), indicators=inds))


def measure_maps(measures) -> list:
    """A new task's measures as written (numbered, not started; a due date and milestones when known)."""
    out = []
    for i, m in enumerate(measures, 1):
        mm = _cm(number=i, text=m.text, status="not_started")
        if m.due:
            mm["due"] = m.due
        if len(m.milestones) > 1:
            mm["milestones"] = [_cm(due=d, text=txt) for d, txt in m.milestones]
        out.append(mm)
    return out


#: a new task file's keys in their layout (the field table's `file` places)
FILE_ORDER = tuple(f.name for f in sorted(TASK_TABLE, key=lambda f: f.file))


def task_map(values: dict, always: tuple[str, ...] = ()):
    """A new task file's mapping: the given fields in the table's file layout.  A required field
    and a text (进展情况, 存在问题, 下步打算: written empty, to be filled in) are always written; an
    optional field only when it says something, so older plans and hand-written files stay as
    they are; `always` names optional fields written even when empty."""
    m = _cm()
    for name in FILE_ORDER:
        if name not in values:
            continue
        f = FIELD[name]
        v = values[name]
        if f.required or f.kind == "text" or v or name in always:
            m[name] = list(v) if f.kind == "names" else _entries(v) if f.kind in ("entries", "entry") else v
    return m


def _entries(v):
    """The cycle's entries (returns, extensions: a list; cancelled: one) as the file holds them:
    mappings whose ISO dates are dates again."""
    from datetime import date

    def one(e: dict):
        m = _cm()
        for k, x in e.items():
            if k in ("date", "from", "to") and isinstance(x, str) and x:
                x = date.fromisoformat(x)
            m[k] = x
        return m

    return one(v) if isinstance(v, dict) else [one(e) for e in v]


def render_task(t, year: int) -> str:
    return rt_dump(task_map(dict(number=t.number, title=t.title, category=t.category, units=t.units,
                                 status="not_started", progress=0, due=task_due(t, year), note="", problems="",
                                 next_steps="", measures=measure_maps(t.measures))))


def write_plan(n: ParsedNotice, out: Path, language: str = "zh") -> list[Path]:
    """Write every file of a parsed notice under `out` (which must not hold a plan yet)."""
    written = []
    (out / "targets").mkdir(parents=True, exist_ok=True)
    (out / "tasks").mkdir(parents=True, exist_ok=True)
    files = [(out / "plan.yaml", render_plan(n, language))]
    files += [(out / "targets" / task_filename(t.number), render_target(t, n.year)) for t in n.targets]
    files += [(out / "tasks" / task_filename(t.number), render_task(t, n.year)) for t in n.tasks]
    for path, text in files:
        atomic_write(path, text)
        written.append(path)
    return written
