#!/usr/bin/env python3
"""What the field table costs: the parse cache's task records and the JSON contract, derived from
tracker.model.TASK_TABLE, against the hand-written positional code they replaced (kept here as the
baseline, field for field as it was).

    python bench/bench_fields.py [--tasks N] [--rounds R]

Prints, for N tasks (default 10,000): encode, decode (a warm start decodes every record) and
Task.as_json (`tracker list --format json` on a changed plan), table-derived vs. baseline, the best
of R rounds (default 5), and checks that both give the same results.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker import cache  # noqa: E402
from tracker.cache import _d, _measure, _new, _o, _set  # noqa: E402
from tracker.model import Measure, Task  # noqa: E402


def old_encode(obj: Task) -> tuple:
    return ("T", obj.year, obj.number, obj.category, obj.title, tuple(obj.units),
            tuple((m.number, m.text, m.status, _o(m.due)) for m in obj.measures),
            obj.status, obj.progress, _o(obj.due), obj.note, obj.problems, obj.next_steps, obj.path,
            tuple(obj.leads), obj.leader, obj.ref, _o(obj.start), obj.open_units, obj.incomplete)


def old_decode(rec: tuple) -> Task:
    o = _new(Task)
    _set(o, "__dict__", {"year": rec[1], "number": rec[2], "category": rec[3], "title": rec[4],
                         "units": rec[5], "measures": tuple(map(_measure, rec[6])), "status": rec[7],
                         "progress": rec[8], "due": _d(rec[9]), "note": rec[10], "problems": rec[11],
                         "next_steps": rec[12], "path": rec[13], "leads": rec[14], "leader": rec[15],
                         "ref": rec[16], "start": _d(rec[17]), "open_units": rec[18], "incomplete": rec[19]})
    return o


def old_as_json(self: Task) -> dict:
    return {
        "id": self.id, "number": self.number, "category": self.category, "title": self.title,
        "units": list(self.units), "lead": self.lead, "leads": list(self.leads or self.units[:1]),
        "leader": self.leader, "ref": self.ref, "start": self.start.isoformat() if self.start is not None else None,
        "open_units": self.open_units, "incomplete": self.incomplete, "status": self.status,
        "progress": self.progress, "due": self.due.isoformat(), "note": self.note, "problems": self.problems,
        "next_steps": self.next_steps,
        "measures": [{"number": m.number, "text": m.text, "status": m.status, "due": m.due.isoformat()}
                     if m.due is not None else {"number": m.number, "text": m.text, "status": m.status}
                     for m in self.measures],
        "path": self.path,
    }


def tasks(n: int) -> list[Task]:
    base = Task(year=2020, number=1, category="农业农村类", title="持续推进重点水利工程建设", units=("市水利局", "市财政局"),
                measures=(Measure(1, "加速环太湖大堤剩余工程建设。", "done", date(2020, 6, 30)),
                          Measure(2, "确保新孟河延伸拓浚工程完成通水任务。", "in_progress")),
                status="in_progress", progress=35, due=date(2020, 12, 31), note="竺山圩主体完工。", problems="",
                next_steps="", path="plan/2020/tasks/01.yaml")
    out = []
    for i in range(1, n + 1):
        extra = {"leader": "王某某", "start": date(2020, 3, 1), "leads": ("市水利局",)} if i % 3 == 0 else {}
        out.append(replace(base, number=i, path=f"plan/2020/tasks/{i:05d}.yaml", **extra))
    return out


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    ts = tasks(a.tasks)
    new_recs = [cache.encode(t) for t in ts]
    old_recs = [old_encode(t) for t in ts]
    assert [cache.decode(r) for r in new_recs] == [old_decode(r) for r in old_recs] == ts
    assert [t.as_json() for t in ts] == [old_as_json(t) for t in ts]
    rows = [
        ("cache encode", best(lambda: [cache.encode(t) for t in ts], a.rounds),
         best(lambda: [old_encode(t) for t in ts], a.rounds)),
        ("cache decode", best(lambda: [cache.decode(r) for r in new_recs], a.rounds),
         best(lambda: [old_decode(r) for r in old_recs], a.rounds)),
        ("Task.as_json", best(lambda: [t.as_json() for t in ts], a.rounds),
         best(lambda: [old_as_json(t) for t in ts], a.rounds)),
    ]
    print(f"{a.tasks} tasks, best of {a.rounds}")
    print(f"{'':14} {'table':>9} {'baseline':>9} {'ratio':>6}")
    for name, new, old in rows:
        print(f"{name:14} {new * 1000:8.1f}ms {old * 1000:8.1f}ms {new / old:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
