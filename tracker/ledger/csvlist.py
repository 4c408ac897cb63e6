"""`tracker list --format csv`: a table for Excel.

In Chinese the headers and values are the labels people read (编号, 状态 推进中, 亮灯 红灯); in
English the stable keys scripts read (id, status in_progress, light red).  Both carry every field
a ledger carries: the units, the texts (进展情况, 存在问题, 下步打算) and the measures' statuses.
The byte-order mark that Excel needs is added by tracker.output for every CSV.
"""
from __future__ import annotations

from ..i18n import pick, status_label
from ..model import Task
from ..schedule import light_label

HEADERS = {
    "zh": ["编号", "类别", "工作任务", "牵头单位", "责任单位", "状态", "进度(%)", "完成时限", "亮灯", "序时进度(%)",
           "进展情况", "存在问题", "下步打算", "措施"],
    "en": ["id", "category", "title", "lead", "status", "progress", "due", "light", "expected",
           "note", "problems", "next_steps", "units", "measures"],
}


def list_csv(tasks: list[Task], lights: dict[int, str], expected: dict[int, int], lang: str):
    """Two layouts, one per language: the Chinese one is the ledger people file (labels, 、-joined
    units); the English one keeps the keys (status, light) for scripts."""
    return pick((_csv_zh, _csv_en), lang)(tasks, lights, expected)


def _csv_en(tasks: list[Task], lights: dict[int, str], expected: dict[int, int]):
    rows = [[t.id, t.category, t.title, t.lead, t.status, t.progress, t.due.isoformat(), lights[t.number],
             expected[t.number], t.note, t.problems, t.next_steps, "; ".join(t.units),
             "; ".join(f"{m.number}:{m.status}" for m in t.measures)] for t in tasks]
    return HEADERS["en"], rows


def _csv_zh(tasks: list[Task], lights: dict[int, str], expected: dict[int, int]):
    rows = [[t.id, t.category, t.title, t.lead, "、".join(t.units[1:]), status_label(t.status, "zh"), t.progress,
             t.due.isoformat(), light_label(lights[t.number], "zh"), expected[t.number], t.note,
             t.problems, t.next_steps, "；".join(f"{m.number}.{status_label(m.status, 'zh')}" for m in t.measures)]
            for t in tasks]
    return HEADERS["zh"], rows
