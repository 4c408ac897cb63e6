#!/usr/bin/env python3
"""Make a large tracking repository for benchmarks and tests: N tasks, M commits of history.

Usage:

    python bench/gen_plan.py DEST --tasks N [--commits M] [--year Y] [--seed S] [--force]

DEST          a new folder (refused if it exists and is not empty, unless --force)
--tasks N     number of task files, plan/<year>/tasks/NN.yaml (default 10000)
--commits M   number of update commits after the initial one (default 0); each touches exactly
              one task file with a tracker-style change (status, progress, note, a measure's
              status...), with the message tracker itself writes (subject, body, Tracker-Task and
              Tracker-Fields trailers), by one of a dozen officers, dated in the plan's year
--year Y      plan year (default 2020)
--seed S      random seed (default 1): the same arguments give the same repository, byte for byte

The plan.yaml and the 10 overall targets are the bundled 2020 plan's (year rewritten); the tasks
are the bundled 60 tasks' shapes (measures, due dates, milestones) with varied numbers, titles,
units, statuses, progress and notes, in Chinese, in the same layout the tool writes (so a saved
change is a one-line diff).  The history is written with one `git fast-import` (1,000 tasks and
50,000 commits: ~30 s; 10,000 tasks and 2,000 commits: ~15 s; 10,000 tasks and 50,000 commits:
~4 min, git rewriting the 10,000-entry tasks/ tree each commit), then the work tree is checked out and a commit-graph with changed-path Bloom
filters is written, as the tool keeps it.  The branch is `main`.

Prints one line: DEST, tasks, commits, seconds.  Other scripts import `generate(dest, tasks,
commits, year=2020, seed=1)` from here.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tracker.model import FIELD  # noqa: E402
from tracker.planfiles import FILE_ORDER  # noqa: E402

BUNDLED = ROOT / "plan" / "2020"

OFFICERS = [
    ("王建国", "wangjg"), ("李秀英", "lixy"), ("张伟", "zhangw"), ("刘洋", "liuy"), ("陈静", "chenj"),
    ("杨帆", "yangf"), ("赵敏", "zhaom"), ("黄磊", "huangl"), ("周婷", "zhout"), ("吴强", "wuq"),
    ("徐丽", "xul"), ("孙浩", "sunh"),
]
NOTES = [
    "已完成前期调研，形成工作方案。", "项目主体工程已开工建设。", "完成年度目标任务的{p}%。",
    "召开专题推进会，明确责任分工。", "资金已下达，正在组织招标。", "已报市政府审定。",
    "按序时进度推进，部分指标超额完成。", "受疫情影响，进度有所滞后。", "第三季度完成投资{p}亿元。",
    "已通过竣工验收，正在整理台账资料。",
]
PROBLEMS = ["", "", "", "用地指标紧张。", "资金缺口较大。", "部门协调难度大，审批周期长。"]
NEXT = ["", "", "加快推进施工进度，确保年内完工。", "加强督查考核，压实工作责任。", "积极争取上级资金支持。"]
PREFIX = ["", "", "", "全力", "持续", "扎实", "深入", "加快"]
PLACES = ["宜城街道", "丁蜀镇", "和桥镇", "周铁镇", "官林镇", "张渚镇", "新街街道", "环科园", "经开区", "徐舍镇"]

_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` ")
_SPECIAL = re.compile(r"^(?:true|false|null|yes|no|on|off|y|n|~)$", re.I)


def _resolves(s: str) -> bool:
    """Would a YAML loader read this plain scalar as something other than a string?"""
    if _SPECIAL.match(s):
        return True
    if s[0] in "+-.0123456789":
        return yaml.resolver.Resolver().resolve(yaml.ScalarNode, s, (True, False)) != "tag:yaml.org,2002:str"
    return False


def q(s: str) -> str:
    """A scalar as ruamel would write a string: plain when safe, else single-quoted."""
    if s == "":
        return "''"
    if (s[0] in _PLAIN_BAD_START or s[-1] in " :" or ": " in s or " #" in s or "\n" in s or "\t" in s
            or _resolves(s)):
        return "'" + s.replace("'", "''") + "'"
    return s


def block(key: str, text: str, indent: str = "") -> str:
    if "\n" in text:
        body = "\n".join((indent + "  " + ln) if ln else "" for ln in text.split("\n"))
        return f"{indent}{key}: |-\n{body}\n"
    return f"{indent}{key}: {q(text)}\n"


def emit_task(t: dict) -> str:
    """The layout of the bundled files (ruamel round trip, indent mapping 2, sequence 4 offset 2), the
    keys in the field table's file order (tracker.planfiles.FILE_ORDER), as tracker.planfiles.task_map
    writes them: required fields and texts always, an optional field only when it is set."""
    out = []
    for name in FILE_ORDER:
        if name not in t:
            continue
        f, v = FIELD[name], t[name]
        if not (f.required or f.kind == "text" or v):
            continue
        if f.kind == "names":
            out.append(f"{name}:\n")
            out += [f"  - {q(u)}\n" for u in v]
        elif f.kind == "text":
            out.append(block(name, v))
        elif f.kind == "line":
            out.append(f"{name}: {q(v)}\n")
        elif f.kind == "date":
            out.append(f"{name}: {v.isoformat()}\n")
        elif f.kind == "flag":
            out.append(f"{name}: {'true' if v else 'false'}\n")
        elif f.kind == "measures":
            out.append(f"{name}:\n")
            out += [_emit_measure(m) for m in v]
        elif f.kind == "optional_text":
            out.append(block(name, v))
        elif f.kind == "entries":  # the cycle's returns / extensions
            out.append(f"{name}:\n")
            out += [_emit_entry(e, "  - ", "    ") for e in v]
        elif f.kind == "entry":  # the cycle's cancelled
            out.append(f"{name}:\n" + _emit_entry(v, "  ", "  "))
        else:  # number, status, percent
            out.append(f"{name}: {v}\n")
    return "".join(out)


def _emit_entry(e: dict, first: str, rest: str) -> str:
    """A cycle entry ({date, reason, by} ...): ISO dates plain, text as ruamel writes it."""
    out = []
    for i, (k, v) in enumerate(e.items()):
        lead = first if i == 0 else rest
        out.append(f"{lead}{k}: {v}\n" if k in ("date", "from", "to") and v else f"{lead}{k}: {q(v)}\n")
    return "".join(out)


def _emit_measure(m: dict) -> str:
    out = [f"  - number: {m['number']}\n    text: {q(m['text'])}\n    status: {m['status']}\n"]
    if m.get("due"):
        out.append(f"    due: {m['due'].isoformat()}\n")
    if m.get("milestones"):
        out.append("    milestones:\n")
        for ms in m["milestones"]:
            out.append(f"      - due: {ms['due'].isoformat()}\n        text: {q(ms['text'])}\n")
    return "".join(out)


def _templates() -> tuple[list[dict], list[str], list[str]]:
    tasks = []
    units: dict[str, None] = {}
    for p in sorted((BUNDLED / "tasks").glob("*.yaml")):
        d = yaml.safe_load(p.read_text("utf-8"))
        tasks.append(d)
        units.update(dict.fromkeys(d["units"]))
    plan = yaml.safe_load((BUNDLED / "plan.yaml").read_text("utf-8"))
    return tasks, list(units), list(plan["categories"])


def _shift(d, year: int):
    return d.replace(year=year) if isinstance(d, date) else d


def make_task(rng: random.Random, number: int, tmpl: dict, units: list[str], year: int) -> dict:
    title = tmpl["title"]
    if number > 60:
        title = rng.choice(PREFIX) + title + ("（" + rng.choice(PLACES) + "）" if rng.random() < 0.5 else "") + f"·{number}"
    us = list(tmpl["units"])
    if number > 60 and rng.random() < 0.6:
        extra = rng.sample(units, rng.randint(0, 2))
        us = [us[0]] + [u for u in dict.fromkeys(us[1:] + extra) if u != us[0]]
    measures = []
    for m in tmpl["measures"]:
        mm = {"number": m["number"], "text": m["text"], "status": "not_started"}
        if m.get("due"):
            mm["due"] = _shift(m["due"], year)
        if m.get("milestones"):
            mm["milestones"] = [{"due": _shift(x["due"], year), "text": x["text"]} for x in m["milestones"]]
        measures.append(mm)
    return {"number": number, "title": title, "category": tmpl["category"], "units": us,
            "status": "not_started", "progress": 0, "due": _shift(tmpl["due"], year),
            "note": "", "problems": "", "next_steps": "", "measures": measures}


def mutate(rng: random.Random, t: dict) -> None:
    """One officer's update: move the task along like real reporting does."""
    r = rng.random()
    if t["status"] == "done":
        t["note"] = rng.choice(NOTES).format(p=100)
        return
    if r < 0.45:
        step = rng.choice((5, 10, 10, 15, 20))
        t["progress"] = min(100, t["progress"] + step)
        t["status"] = "done" if t["progress"] == 100 else "in_progress"
        if rng.random() < 0.5:
            t["note"] = rng.choice(NOTES).format(p=t["progress"])
    elif r < 0.7:
        open_ms = [m for m in t["measures"] if m["status"] != "done"]
        if open_ms:
            m = rng.choice(open_ms)
            m["status"] = "done" if m["status"] == "in_progress" else "in_progress"
        if t["status"] == "not_started":
            t["status"] = "in_progress"
    elif r < 0.85:
        lines = [rng.choice(NOTES).format(p=t["progress"]) for _ in range(rng.randint(1, 3))]
        t["note"] = "\n".join(lines)
    elif r < 0.95:
        t["problems"] = rng.choice(PROBLEMS)
        t["next_steps"] = rng.choice(NEXT)
    else:
        t["status"] = "blocked" if t["status"] != "blocked" else "in_progress"


def _copy(t: dict) -> dict:
    return {**t, "units": list(t["units"]), "measures": [dict(m) for m in t["measures"]]}


def _data(b: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(b), b)


def generate(dest: Path, tasks: int, commits: int = 0, *, year: int = 2020, seed: int = 1,
             force: bool = False, quiet: bool = True) -> Path:
    from tracker import commitmsg
    from tracker.changes import diff_records

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()) and not force:
        raise SystemExit(f"gen_plan: {dest} exists and is not empty (use --force)")
    dest.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C.UTF-8"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True, env=env)
    rng = random.Random(seed)
    tmpls, units, _cats = _templates()
    rel = f"plan/{year}"

    state = [make_task(rng, n, tmpls[(n - 1) % len(tmpls)], units, year) for n in range(1, tasks + 1)]
    for t in state[60:]:  # beyond the bundled 60, start from a spread of states (filters see variety)
        for _ in range(rng.randrange(6)):
            mutate(rng, t)
    plan_text = (BUNDLED / "plan.yaml").read_text("utf-8")
    plan_text = re.sub(r"(?m)^year: \d+$", f"year: {year}", plan_text)
    plan_text = re.sub(r"(?m)^(\s*start:) \d{4}", rf"\1 {year}", plan_text)
    plan_text = re.sub(r"(?m)^issued: \d{4}", f"issued: {year}", plan_text)

    t0 = int(datetime(year, 9, 15, 9, 0, tzinfo=timezone(timedelta(hours=8))).timestamp())
    span = int(datetime(year, 12, 31, 18, 0, tzinfo=timezone(timedelta(hours=8))).timestamp()) - t0
    lang = "zh"

    # Each commit rewrites the tasks/ tree (10,000 entries, ~400 KB): uncompressed deltas keep
    # fast-import at ~0.6 ms a commit at 1,000 tasks and ~5 ms at 10,000 (git's own cost).
    proc = subprocess.Popen(["git", "-c", "pack.compression=0", "-c", "core.compression=0", "fast-import",
                             "--quiet", "--done", "--depth=50"], cwd=dest, stdin=subprocess.PIPE, env=env)
    w = proc.stdin.write
    w(b"commit refs/heads/main\n")
    w(b"committer %s <%s@example.gov.cn> %d +0800\n" % ("督查室".encode(), b"duchashi", t0 - 86400))
    w(_data(f"导入 {year} 年重点工作分解落实方案: {tasks} 项任务\n".encode()))
    w(b"M 644 inline %s/plan.yaml\n" % rel.encode())
    w(_data(plan_text.encode()))
    for p in sorted((BUNDLED / "targets").glob("*.yaml")):
        w(b"M 644 inline %s/targets/%s\n" % (rel.encode(), p.name.encode()))
        w(_data(p.read_bytes()))
    for t in state:
        w(b"M 644 inline %s/tasks/%02d.yaml\n" % (rel.encode(), t["number"]))
        w(_data(emit_task(t).encode()))
    for i in range(commits):
        t = state[rng.randrange(tasks)]
        before = _copy(t)
        for _ in range(10):
            mutate(rng, t)
            if t != before:
                break
        text = emit_task(t)
        changes = diff_records(before, t)
        sid = f"{year}-{t['number']:02d}"
        msg = commitmsg.task_message(sid, t["title"], changes, lang) if changes else \
            commitmsg.compose(sid, t["title"], [], lang, {"Tracker-Task": sid}, subject_text="")
        name, login = OFFICERS[rng.randrange(len(OFFICERS))]
        ts = t0 + (span * i) // max(commits, 1) + rng.randrange(60)
        who = b"%s <%s@example.gov.cn> %d +0800" % (name.encode(), login.encode(), ts)
        w(b"commit refs/heads/main\nauthor %s\ncommitter %s\n" % (who, who))
        w(_data(msg.encode()))
        w(b"M 644 inline %s/tasks/%02d.yaml\n" % (rel.encode(), t["number"]))
        w(_data(text.encode()))
    w(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("gen_plan: git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=dest, check=True, env=env)
    subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=dest, check=True,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=0)
    ap.add_argument("--year", type=int, default=2020)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="write into a non-empty DEST")
    a = ap.parse_args(argv)
    if a.tasks < 1:
        ap.error("--tasks must be at least 1")
    t = time.perf_counter()
    generate(a.dest, a.tasks, a.commits, year=a.year, seed=a.seed, force=a.force)
    print(f"{a.dest}\ttasks={a.tasks}\tcommits={a.commits + 1}\t{time.perf_counter() - t:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
