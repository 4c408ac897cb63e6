"""Import accuracy over the genre fragments in ../shared/genre/docs (skipped when absent).

For each task-plan fragment, the hand-read expectations of ../shared/genre/INDEX.md (transcribed
below: title start, lead unit(s), full unit set when the fragment shows it) are compared with
what `tracker.importer` finds.  Unit names on both sides go through the same alias table, so
区发改局 and 区发展和改革局 are one unit.  Prints per document and in total:

    tasks found / lead right / unit set right

Usage: python bench/import_accuracy.py [GENRE_DIR]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.importer import import_source  # noqa: E402
from tracker.model import TrackerError  # noqa: E402
from tracker.units import Aliases  # noqa: E402

# file prefix -> year, [(title start, leads or None when cut, unit set or None when not shown)]
EXPECTED: dict[str, tuple[int, list[tuple[str, list[str] | None, list[str] | None]]]] = {
    "03_": (2023, [("地区生产总值比上年增长4.5%以上", ["区发展改革委"], None)]),
    "04_": (2023, [("地区生产总值增长7%以上", ["区发展和改革局"], ["区发展和改革局"]),
                   ("规上工业增加值增长12%以上", ["区科技和经信局"], ["区科技和经信局"]),
                   ("固定资产投资增长10%以上", ["区发展和改革局"], ["区发展和改革局"])]),
    "05_": (2023, [("地区生产总值增长15%", ["区发改局"], None)]),
    "06_": (2025, [("坚持服务跟着项目走", ["招商工作部"], ["招商工作部", "安商工作部"]),
                   ("全力推进开发区“空间再造”", ["改革办"], ["改革办"]),
                   ("持续提升园区承载能力", ["规划建设局"], ["规划建设局"])]),
    "08_": (2022, [("全面实施行政许可事项清单管理", ["市政府办公室", "市行政审批制度改革工作领导小组办公室"],
                    ["市政府办公室", "市行政审批制度改革工作领导小组办公室", "市级各有关部门", "各县市区政府"]),
                   ("持续深化相对集中行政许可权改革", None, None)]),
    "09_": (2021, [("地区生产总值(GDP)总量力争突破3000亿元", ["市发改委"], ["市发改委", "市政府有关部门", "各县市区"])]),
    "10_": (2020, [("切实提高政治站位", ["区卫健局"], ["区卫健局", "区疫情防控指挥部成员单位", "各街办(新区)"]),
                   ("以爱国卫生运动和文明城市创建为抓手", ["区卫健局", "区创文办"],
                    ["区卫健局", "区创文办", "区疫情防控指挥部成员单位", "区创文工作领导小组成员单位", "各街办(新区)"]),
                   ("积极争取政策", None, None)]),
    "11_": (2022, [("地区生产总值增长7.5%", ["市发改委"], None)]),
    "12_": (2023, [("地区生产总值增长6%左右", ["市发展改革委"], ["市发展改革委"]), ("研发投入强度达到3", None, None)]),
    "13_": (2021, [("增加教育资源供给", ["教育局"], ["教育局", "经开区", "高新园(邹区镇)", "各街道", "市国有公司"]),
                   ("促进就业稳定增长", ["人社局"], ["人社局", "高新园(邹区镇)", "各街道"]),
                   ("老城厢复兴发展", ["文体旅局"], ["文体旅局", "晋陵公司", "轨道公司"]),
                   ("老城厢复兴发展", ["住建局"], ["住建局", "五星街道", "南大街街道", "荷花池街道"])]),
    "14_": (2010, [("地区生产总值增长13.5%", ["市发展和改革委员会", "市统计局"], ["市发展和改革委员会", "市统计局"]),
                   ("财政一般预算收入增长18%", ["市财政局"], ["市财政局"]),
                   ("全社会固定资产投资增长26%", None, None)]),
    "15_": (2023, [("菏泽市深化新旧动能转换建设绿色低碳高质量发展先行区", None, None)]),
}

# the mirror of 08 is in Traditional script: its expectations are compared in that script
_TRAD_08 = {"全面实施行政许可事项清单管理": "全面實施行政許可事項清單管理",
            "持续深化相对集中行政许可权改革": "持續深化相對集中行政許可權改革",
            "市行政审批制度改革工作领导小组办公室": "市行政審批制度改革工作领导小组办公室",
            "市级各有关部门": "市級各有關部門"}


def genre_dir(arg: str | None = None) -> Path | None:
    d = Path(arg) if arg else ROOT.parent / "shared" / "genre"
    return d if (d / "docs").is_dir() else None


def measure(genre: Path) -> list[dict]:
    aliases = Aliases()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for prefix, (year, expected) in EXPECTED.items():
            files = sorted((genre / "docs").glob(prefix + "*.txt"))
            if not files:
                continue
            f = files[0]
            text = f.read_text("utf-8").split("\n", 1)[1]  # line 1 is the `# source:` note
            src = Path(tmp) / f.name
            src.write_text(text, "utf-8")
            try:
                tasks = import_source(src, year).tasks
            except TrackerError:
                tasks = []
            row = {"doc": f.name.split("_")[0] + "_" + f.name.split("_")[1], "tasks": len(expected), "found": 0,
                   "leads": 0, "lead_right": 0, "sets": 0, "set_right": 0}
            for title, leads, units in expected:
                if prefix == "08_":
                    title = _TRAD_08.get(title, title)
                    leads = [_TRAD_08.get(u, u) for u in leads] if leads else leads
                    units = [_TRAD_08.get(u, u) for u in units] if units else units
                got = next((t for t in tasks if t.title.startswith(title) or title.startswith(t.title[:12] or "\0")), None)
                if got is not None:
                    tasks = [t for t in tasks if t is not got]
                    row["found"] += 1
                canon = lambda xs: [aliases.canonical(x) for x in xs]  # noqa: E731
                if leads is not None:
                    row["leads"] += 1
                    row["lead_right"] += got is not None and canon(got.leads) == canon(leads)
                if units is not None:
                    row["sets"] += 1
                    row["set_right"] += got is not None and set(canon(got.units)) == set(canon(units))
            out.append(row)
    return out


def main(argv: list[str]) -> int:
    genre = genre_dir(argv[1] if len(argv) > 1 else None)
    if genre is None:
        print("genre fragments not found (../shared/genre/docs): skipped")
        return 0
    rows = measure(genre)
    print(f"{'document':<16}{'tasks found':>12}{'lead right':>12}{'unit set right':>16}")
    tot = {k: 0 for k in ("tasks", "found", "leads", "lead_right", "sets", "set_right")}
    for r in rows:
        print(f"{r['doc']:<16}{r['found']:>7}/{r['tasks']:<4}{r['lead_right']:>7}/{r['leads']:<4}"
              f"{r['set_right']:>11}/{r['sets']:<4}")
        for k in tot:
            tot[k] += r[k]
    print(f"{'total':<16}{tot['found']:>7}/{tot['tasks']:<4}{tot['lead_right']:>7}/{tot['leads']:<4}"
          f"{tot['set_right']:>11}/{tot['sets']:<4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
