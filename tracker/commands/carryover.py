"""tracker carry-over FROM_YEAR TO_YEAR: 结转, the year-end copy of unfinished items.

Every item of FROM_YEAR's plan that is not finished, that is every item the office has not
closed (已销号 `closed`) or cancelled (已撤销 `cancelled`), is copied into TO_YEAR's plan as a new task file with the next free
number, and linked to its origin (`origin: 2020-05`).  Its text, units, measures, progress and
notes come along; its period starts on TO_YEAR's January 1st (`start`) and runs to `--due`
(default: TO_YEAR's December 31st); its old due date is kept in the commit message.  When
TO_YEAR has no plan yet, its plan.yaml is FROM_YEAR's with the year changed.  One commit for
all of it.  Refused, with nothing written, when FROM_YEAR has no plan, when TO_YEAR is not
later, or when TO_YEAR already has items carried over from any of these (run it once).
An item that applied for closure (申请办结 `done`) is not finished until the office closes it
(销号): it is carried too, still 申请办结, with its 办结报告, and the office closes it (or sends it
back) in the new year.  Its status and cycle record come along unchanged.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..cycle import stage_label
from ..i18n import Words, book, say, told
from ..model import TrackerError
from ._common import helps

#: what is not carried: closed by the office, or cancelled (申请办结 `done` still awaits the office's review)
FINISHED = ("closed", "cancelled")

C = book("carry", {
    "no_from": ("没有 {year} 年的计划（plan/{year}/ 不存在）；现有：{found}",
                "no plan for {year} (plan/{year}/ does not exist); found: {found}"),
    "not_later": ("结转目标年份 {to} 须晚于 {frm}", "carry-over goes forward: {to} is not after {frm}"),
    "again": ("{to} 年已有结转自 {frm} 年的事项（{pairs}）：结转只做一次，未写入任何内容",
              "{to} already has items carried over from {frm} ({pairs}): carry-over runs once; nothing written"),
    "nothing": ("{frm} 年没有未完成的事项，无需结转", "{frm} has no unfinished items; nothing to carry over"),
    "bad_due": ("--due {due} 不在 {to} 年内", "--due {due} is not in {to}"),
    "done": ("已结转 {n} 项：{frm} → {to}（提交 {sha}）", "carried over {n} items: {frm} → {to} (commit {sha})"),
    "not_in_repo": ("不在 git 仓库中：{path}", "not inside a git repository: {path}"),
    "bad_due_date": ("--due：{due!r} 不是日期；请用 YYYY-MM-DD 格式，例如 {to}-12-31",
                     "--due: {due!r} is not a date; use YYYY-MM-DD, e.g. {to}-12-31"),
    "from_problems": ("{frm} 年的计划有问题，请先修正：{problem}", "{frm} plan has problems; fix them first: {problem_en}"),
    "lacks_categories": ("plan/{to}/plan.yaml：类别中缺少 {missing}（待结转事项的类别）；请先加入其 categories；未写入任何内容",
                         "plan/{to}/plan.yaml: categories lack {missing} (of the items to carry over); "
                         "add them to its categories first; nothing written"),
    "exists": ("{path} 已存在；未写入任何内容", "{path} exists already; nothing written"),
    "would_not_load": ("结转后的 plan/{to} 无法加载：{problem}；未写入任何内容",
                       "the carried-over plan/{to} would not load: {problem_en}; nothing written"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `carry.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"carry.{entry}", **args)


HELP = book("help.carryover", {
    "carry_over": ("结转：把一个年度计划中未办结的事项复制到下一年度，各自链接到原事项；一次提交",
                   "结转: copy the unfinished items of one year's plan into the next, each linked to its origin; one commit"),
    "from_year": ("结转出的计划年度", "the plan year the items come from"),
    "to_year": ("结转入的计划年度", "the plan year they are carried into"),
    "due": ("结转事项的新完成时限（默认：TO_YEAR-12-31）", "the carried items' new due date (default: TO_YEAR-12-31)"),
})


def register(sub, common) -> None:
    h = helps("carryover", common)
    p = sub.add_parser("carry-over", parents=[common], help=h("carry_over"))
    p.add_argument("from_year", type=int, metavar="FROM_YEAR", help=h("from_year"))
    p.add_argument("to_year", type=int, metavar="TO_YEAR", help=h("to_year"))
    p.add_argument("--due", metavar="DATE", help=h("due"))
    p.set_defaults(func=cmd_carry_over)


def _years(root: Path) -> list[int]:
    return sorted(int(p.name) for p in (root / "plan").glob("[0-9][0-9][0-9][0-9]") if p.is_dir())


def cmd_carry_over(args) -> int:
    from ..gitstore import GitRepo
    from ..output import write
    from ..store import Workspace
    from ..yamlio import atomic_write, rt_dump, rt_load
    from ._common import lang_of

    start = getattr(args, "repo", None) or "."
    top = GitRepo.toplevel(start)
    if top is None:
        raise _err("not_in_repo", path=Path(start).resolve())
    root = Path(top)
    frm, to = args.from_year, args.to_year
    lang = lang_of(args)
    years = _years(root)
    if frm not in years:
        raise TrackerError.keyed("carry.no_from", year=frm, found=Words(map(str, years)))
    if to <= frm:
        raise TrackerError.keyed("carry.not_later", to=to, frm=frm)
    due = date(to, 12, 31)
    if args.due:
        try:
            due = date.fromisoformat(args.due.strip())
        except ValueError:
            raise _err("bad_due_date", due=args.due, to=to) from None
        if due.year != to:
            raise TrackerError(f"--due {due} is not in {to}", key="carry.bad_due", due=due, to=to)
    src = Workspace(root, frm)
    data = src.load()
    if data.problems:
        p = data.problems[0]
        raise _err("from_problems", frm=frm, problem=told(p, "zh"), problem_en=str(p))
    items = [t for t in sorted(data.tasks, key=lambda t: t.number) if t.status not in FINISHED]
    dest_dir = root / "plan" / str(to)
    plan_new = not (dest_dir / "plan.yaml").exists()
    taken: list[int] = []
    if not plan_new:
        dest = Workspace(root, to).load()
        origins = {t.origin: t.id for t in dest.tasks if getattr(t, "origin", "")}
        again = [(o, origins[o]) for o in (t.id for t in items) if o in origins]
        if again:
            pairs = ", ".join(f"{o} → {n}" for o, n in again[:5]) + (" …" if len(again) > 5 else "")
            raise TrackerError(f"{to} already has items carried over from {frm} ({pairs}): carry-over runs once; "
                               "nothing written", key="carry.again", to=to, frm=frm, pairs=pairs)
        taken = [t.number for t in dest.tasks]
    if not items:
        write(say("carry.nothing", lang, frm=frm) + "\n")
        return 0
    writes: list[tuple[Path, str]] = []
    if plan_new:
        text = src.plan_dir.joinpath("plan.yaml").read_text("utf-8")
        text = re.sub(rf"^year:\s*{frm}\s*$", f"year: {to}", text, count=1, flags=re.M)
        text = re.sub(r"^title:(.*)$", lambda m: "title:" + m.group(1).replace(str(frm), str(to)), text, count=1, flags=re.M)
        text = re.sub(r"^(\s+)start:\s*\S+\s*$", rf"\g<1>start: {to}-01-01", text, count=1, flags=re.M)
        writes.append((dest_dir / "plan.yaml", text))
    else:
        cats = set(dest.info.categories) if dest.info else set()
        missing = sorted({t.category for t in items} - cats)
        if missing:
            raise _err("lacks_categories", to=to, missing="、".join(missing))
    number = max(taken, default=0)
    width = 2 if len(items) + number < 100 else len(str(len(items) + number))
    lines = []
    for t in items:
        number += 1
        old = src.root / t.path
        doc = rt_load(old.read_text("utf-8"), t.path)
        doc["number"] = number
        keys = list(doc.keys())
        for k in ("origin", "start"):
            if k in doc:
                del doc[k]
        keys = list(doc.keys())
        at = keys.index("status") if "status" in keys else len(keys)
        doc.insert(at, "origin", t.id)
        doc.insert(at + 1, "start", date(to, 1, 1))
        doc["due"] = due
        rel = f"plan/{to}/tasks/{number:0{width}d}.yaml"
        writes.append((root / rel, rt_dump(doc)))
        lines.append(f"- {to}-{number:02d} ← {t.id} {t.title}（{stage_label(t.status, 'zh')} {t.progress}%，"
                     f"原时限 {t.due.isoformat()} → {due.isoformat()}）")
    subject = f"结转 {frm} → {to}：{len(items)}项未完成事项"
    msg = (subject + "\n\n" + "\n".join(lines) + f"\n\nTracker-Carry-Over: {frm} -> {to}\n")
    made: list[Path] = []
    ws_to = src  # the lock lives in the repository's .git: any workspace of it
    with ws_to.lock():
        try:
            for path, text in writes:
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.exists():
                    raise _err("exists", path=path.relative_to(root).as_posix())
                atomic_write(path, text)
                made.append(path)
            check = Workspace(root, to).load()
            if check.problems:
                raise _err("would_not_load", to=to, problem=told(check.problems[0], "zh"), problem_en=str(check.problems[0]))
            sha = src.git.commit_paths([p.relative_to(root).as_posix() for p in made], msg, allow_new=True)
        except BaseException:
            for p in made:
                p.unlink(missing_ok=True)
            src.git.run("reset", "-q", "--", *[p.relative_to(root).as_posix() for p in made], check=False)
            raise
    write(say("carry.done", lang, n=len(items), frm=frm, to=to, sha=sha[:7]) + "\n")
    for line in lines:
        write(line + "\n")
    return 0
