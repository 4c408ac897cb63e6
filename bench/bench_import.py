"""Dry-run import of a 500-task .docx and .xlsx (the issue's budget: <= 2 s each).

Builds the files in a temp dir with python-docx / openpyxl, then times `import_source` (read,
parse, canonical units, dates: everything a `tracker import --dry-run` does before printing) and
the whole CLI (`python -m tracker import … --dry-run --format json`, interpreter start included).
Baseline in the same run: python-docx / openpyxl just opening the file.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N = int(os.environ.get("BENCH_TASKS", "500"))
UNITS = ["市发改委", "市财政局", "市工信局", "市住建局", "市教育局", "市民政局", "各县(市、区)政府", "市商务局"]


def rows():
    for i in range(1, N + 1):
        if i % 50 == 1:
            yield None, f"{'一二三四五六七八九十'[(i // 50) % 10]}、第{i // 50 + 1}类重点工作"
        yield (str(i), f"推进第{i}项重点工作,确保6月底前完成阶段目标,年底前全面完成。",
               UNITS[i % 8], "、".join(UNITS[(i + 1) % 8:(i + 1) % 8 + 2]), f"{i % 12 + 1}月底前", "王某")


HEAD = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "责任领导"]


def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(f"2024年重点工作责任分解表({N}项)")
    data = list(rows())
    t = d.add_table(rows=len(data) + 1, cols=6)
    for c, h in enumerate(HEAD):
        t.cell(0, c).text = h
    for r, row in enumerate(data, 1):
        if row[0] is None:
            t.cell(r, 0).text = row[1]
        else:
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    d.save(str(path))


def make_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows():
        ws.append([row[1]] if row[0] is None else list(row))
    wb.save(str(path))


def best(fn, n=3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    from tracker.importer import import_source

    with tempfile.TemporaryDirectory() as tmp:
        for ext, make in (("docx", make_docx), ("xlsx", make_xlsx)):
            p = Path(tmp) / f"plan.{ext}"
            make(p)
            plan = import_source(p, 2024)
            assert len(plan.tasks) == N, len(plan.tasks)
            if ext == "docx":
                import docx
                base = best(lambda: docx.Document(str(p)))
            else:
                import openpyxl
                base = best(lambda: openpyxl.load_workbook(str(p)))
            lib = best(lambda: import_source(p, 2024))
            cli = best(lambda: subprocess.run([sys.executable, "-m", "tracker", "import", str(p), "--year", "2024",
                                               "--dry-run", "--format", "json"], check=True, capture_output=True,
                                              cwd=tmp), 2)
            print(f"{N}-task .{ext}: import_source {lib:.2f} s (library open alone {base:.2f} s); "
                  f"CLI dry run {cli:.2f} s  [budget 2 s]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
