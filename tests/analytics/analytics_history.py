"""A scripted, dated 2020 history on the bundled plan (shared by the analytics tests, the sample
bulletin and the benchmark).  Run as a script to regenerate docs/sample-bulletin.md:

    python tests/analytics/analytics_history.py --sample docs/sample-bulletin.md
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_PLAN = ROOT / "plan" / "2020"


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout



@contextmanager
def dated(when: str):
    """Commits made inside get this author and committer date ('2020-10-15T10:00:00+08:00')."""
    old = {k: os.environ.get(k) for k in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = when
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def as_author(name: str):
    old = {k: os.environ.get(k) for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")}
    os.environ["GIT_AUTHOR_NAME"] = os.environ["GIT_COMMITTER_NAME"] = name
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def seed_dated(dest: Path, when: str = "2020-09-15T09:00:00+08:00") -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BUNDLED_PLAN, dest / "plan" / "2020")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(dest, "commit", "-q", "-m", "seed: the 2020 plan", env=env)
    return dest


#: the scripted history: (date, author, task number, changes)
SCRIPT = [
    ("2020-09-20T10:00:00+08:00", "农业农村局 王芳", 1, {"status": "in_progress", "progress": 60, "note": "高标准农田完成1.8万亩"}),
    ("2020-09-25T15:30:00+08:00", "工信局 李强", 2, {"status": "in_progress", "progress": 40}),
    ("2020-10-10T09:00:00+08:00", "农业农村局 王芳", 1, {"progress": 75, "note": "高标准农田完成2.2万亩"}),
    ("2020-10-20T16:00:00+08:00", "督查室 张敏", 3, {"status": "done", "progress": 100, "note": "已完成"}),
    ("2020-10-31T23:30:00+08:00", "工信局 李强", 2, {"progress": 50, "problems": "资金缺口<较大>&待协调"}),
    ("2020-11-05T11:00:00+08:00", "督查室 张敏", 4, {"status": "blocked", "progress": 10, "problems": "用地指标未落实"}),
    ("2020-11-12T10:00:00+08:00", "农业农村局 王芳", 1, {"status": "done", "progress": 100, "note": "全部完成"}),
    ("2020-11-20T14:00:00+08:00", "工信局 李强", 2, {"progress": 70}),
]


#: actuals recorded on the overall targets: (date, author, target, indicator, period, value, note)
ACTUALS = [
    ("2020-10-16T10:00:00+08:00", "统计局 陈静", 1, "地区生产总值增长", "2020-Q3", 2.9, "受疫情影响,前三季度增速回升"),
    ("2020-10-18T10:00:00+08:00", "财政局 周洁", 1, "一般公共预算收入增长", "2020-09", 5.6, ""),
]


AUTHORS = ["督查室 张敏", "发改委 赵磊", "住建局 孙红", "教育局 吴芳", "卫健委 郑伟"]
NOTES = ["项目已开工建设", "完成年度投资的一半", "正在办理前期手续", "主体工程基本完成", "已通过阶段验收"]
PROBLEMS = ["", "", "资金到位较慢", "用地手续尚未办结", ""]


def bulk_script(seed: int = 2020, first: int = 5, last: int = 60) -> list:
    """Deterministic monthly updates for tasks first..last (September to November), for a fuller sample."""
    import random

    rnd = random.Random(seed)
    out = []
    for n in range(first, last + 1):
        progress = 0
        for month, day in ((9, 28), (10, 26), (11, 24)):
            if rnd.random() < 0.25:
                continue  # this unit did not report this month
            progress = min(100, progress + rnd.choice((15, 20, 25, 30, 35)) + (month - 9) * 10)
            ch = {"progress": progress, "note": rnd.choice(NOTES)}
            ch["status"] = "done" if progress >= 100 else "in_progress"
            prob = rnd.choice(PROBLEMS)
            if prob:
                ch["problems"] = prob
            when = f"2020-{month:02d}-{day - rnd.randrange(0, 5):02d}T{rnd.randrange(9, 18):02d}:00:00+08:00"
            out.append((when, rnd.choice(AUTHORS), n, ch))
    return out


def play(ws, script=SCRIPT, actuals=ACTUALS):
    """Apply the scripted updates in date order, each as one dated commit by its author."""
    steps = [(w, who, "task", (n, ch)) for w, who, n, ch in script]
    steps += [(w, who, "actual", rest) for w, who, *rest in actuals]
    for when, who, kind, payload in sorted(steps, key=lambda s: s[0]):
        with dated(when), as_author(who):
            if kind == "task":
                ws.update_task(*payload)
            else:
                number, indicator, period, value, note = payload
                ws.record_actual(number, indicator, period, value, note)


def main(argv: list[str]) -> int:
    """--sample FILE: build the scripted history in a temporary repository and write its md bulletin."""
    import argparse
    import tempfile
    from datetime import date

    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", required=True)
    ap.add_argument("--as-of", default="2020-11-30")
    ap.add_argument("--since", default="2020-10-31")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tracker.report import build, write
    from tracker.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        repo = seed_dated(Path(tmp) / "office")
        ws = Workspace(repo)
        play(ws, SCRIPT + bulk_script())
        b = build(ws, as_of=date.fromisoformat(a.as_of), since=date.fromisoformat(a.since), lang="zh")
        write(b, "md", Path(a.sample))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
