"""tracker import / init / check: making a plan and checking its files."""
from __future__ import annotations

import argparse
import subprocess
from importlib import resources
from pathlib import Path

from ..gitstore import GitRepo, init_repo
from ..i18n import book, detect_lang, os_words, say, table, told
from ..inputs import arg_int
from ..model import TrackerError
from ..notice import parse_notice
from ..output import visible, write
from ..planfiles import write_plan
from ._common import helps, workspace

BUNDLED_YEAR = 2020

#: refusals of tracker import / init (str(err) English, err.text(lang) the user's language)
_ERRORS = book("plan_setup", {
    "out_has_plan": ("{out} 已有计划，不予覆盖（请另选 --out）",
                     "{out} already holds a plan; refusing to overwrite it (choose another --out)"),
    "notice_unreadable": ("通知无法解析：{why}", "{why}"),
    "no_tasks": ("通知中未找到带编号的任务", "no numbered tasks found in the notice"),
    "not_in_repo": ("不在 git 仓库中：{path}（请用 tracker init 路径 --from {src} --year {year}，或 --out 目录）",
                    "not inside a git repository: {path} (use tracker init PATH --from {src} --year {year}, or --out DIR)"),
    "year_has_plan": ("{what} 已有计划，不予覆盖（请另选 --year，或用 --out 目录）",
                      "{what} already holds a plan; refusing to overwrite it (choose another --year, or --out DIR)"),
    "uncommitted": ("{rel} 中有未提交的文件，请先移走", "{rel} has uncommitted files; move them away first"),
    "not_folder": ("{path} 已存在且不是文件夹，请另选一个新文件夹", "{path} exists and is not a folder; choose a new folder"),
    "not_empty": ("{path} 已存在且不为空，请另选一个新文件夹", "{path} exists and is not empty; choose a new folder"),
    "cannot_list": ("{path}：无法读取该文件夹：{why}", "{path}: cannot read the folder: {why}"),
    "needs_year": ("tracker init --from 来源 需要 --year 年份（计划年度）",
                   "tracker init --from SOURCE needs --year YEAR (the plan year)"),
    "cannot_init": ("{path}：无法在此创建仓库：{why}", "{path}: cannot create the repository there: {why_en}"),
})


#: what import / init report once done
book("plan_said", {
    "imported": ("已导入 {tasks} 项任务（{categories} 个类别），存为 plan/{year}/（提交 {sha}）；打开：tracker --plan {year}",
                 "imported {tasks} tasks in {categories} categories as plan/{year}/ (commit {sha}); open it with: tracker --plan {year}"),
    "wrote": ("已向 {out} 写出 {files} 个文件：plan.yaml、{targets} 项目标、{tasks} 项任务（{measures} 条措施，{categories} 个类别）",
              "wrote {files} files to {out}: plan.yaml, {targets} targets, {tasks} tasks with {measures} measures in {categories} categories"),
    "unplaced": ("{n} 行无法归入任何任务：", "{n} line(s) could not be placed:"),
    "warnings": ("{n} 条提示（tracker import {src} --year {year} --dry-run 可列出）",
                 "{n} warning(s) (tracker import {src} --year {year} --dry-run lists them)"),
    "created": ("已建立 {path}，含 {year} 年计划（提交 {sha}）\n下一步：cd {where} && tracker",
                "created {path} with the {year} plan (commit {sha})\nnext: cd {where} && tracker"),
})


def _said(args, entry: str, **words) -> str:
    """A `plan_said` entry in the command line's language (--lang, else TRACKER_LANG, the locale)."""
    return say(f"plan_said.{entry}", detect_lang(getattr(args, "lang", None)), **words)


def _err(entry: str, **args) -> TrackerError:
    """The book entry `plan_setup.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"plan_setup.{entry}", **args)


def bundled_notice() -> str:
    return resources.files("tracker").joinpath("data/notice-2020.txt").read_text("utf-8")


def _date_arg(value: str):
    from ..inputs import arg_date

    return arg_date(value)


def _year_arg(value: str) -> int:
    from ..inputs import arg_int

    return arg_int(2000, 2099)(value)


HELP = book("help.plan", {
    "dry_run": ("不写入任何内容：显示识别出的任务和每条提示", "write nothing: show the tasks found and every warning"),
    "format": ("预览的格式（与 --dry-run 同用）", "the preview's format (with --dry-run)"),
    "title": ("计划标题（默认：取自文件）", "the plan's title (default: taken from the document)"),
    "doc_no": ("文号（默认：取自文件）", "the document number 文号 (default: taken from the document)"),
    "issuer": ("发文单位（默认：取自文件）", "the issuing office (default: taken from the document)"),
    "issued": ("发文日期 YYYY-MM-DD（默认：取自文件）", "the date issued, YYYY-MM-DD (default: taken from the document)"),
    "language": ("提交说明的语言", "language of commit messages"),
    "import": ("导入通知（.txt .md .html .docx .xlsx .pdf；.doc .wps .xls 经 LibreOffice 转换）为 plan/<YEAR>/，"
               "一次提交（该年度已存在时拒绝）",
               "import a notice (.txt .md .html .docx .xlsx .pdf; .doc .wps .xls via LibreOffice) "
               "as plan/<YEAR>/ with one commit (refuses an existing year)"),
    "notice": ("通知或任务分解表", "the notice or task table"),
    "year": ("计划年度", "the plan year"),
    "out": ("改为把计划文件写到此文件夹（不提交），如 /tmp/plan-2021",
            "write the plan files to this folder instead (no commit), e.g. /tmp/plan-2021"),
    "init": ("新建跟踪仓库：本单位自己的计划（--from SOURCE --year YEAR）或自带的 2020 年计划",
             "a new tracking repository: the office's own plan (--from SOURCE --year YEAR) "
             "or the bundled 2020 plan"),
    "init_path": ("新仓库的文件夹（须不存在或为空）", "folder for the new repository (must not exist or be empty)"),
    "init_from": ("要导入的通知或任务分解表", "the notice or task table to import"),
    "init_year": ("计划年度（与 --from 同用时必填）", "the plan year (required with --from)"),
    "check": ("校验每个文件，并找出用普通 git 删除或改名的任务；有问题时逐条列出并以 1 退出",
              "validate every file, and find tasks deleted or renamed with plain git; exit 1 listing every problem"),
    "check_history": ("同时列出日期不可能正确的提交（在未来，或远早于其父提交）",
                      "also list commits whose date cannot be right (in the future, or far before their parent)"),
    "index": ("建立或刷新历史索引（.git/tracker/touches-YEAR.sqlite；终端界面会自行建立）",
              "build or refresh the history index (.git/tracker/touches-YEAR.sqlite; the TUI does it itself)"),
})


def _source_options(p) -> None:
    h = helps("plan", p)
    p.add_argument("--dry-run", action="store_true", help=h("dry_run"))
    p.add_argument("--format", choices=("table", "json"), default="table", help=h("format"))
    p.add_argument("--title", help=h("title"))
    p.add_argument("--doc-no", help=h("doc_no"))
    p.add_argument("--issuer", help=h("issuer"))
    p.add_argument("--issued", type=_date_arg, help=h("issued"))
    p.add_argument("--language", choices=("zh", "en"), default="zh", help=h("language"))


def register(sub, common) -> None:
    h = helps("plan", common)
    p = sub.add_parser("import", parents=[common], help=h("import"))
    p.add_argument("notice", metavar="SOURCE", help=h("notice"))
    p.add_argument("--year", type=_year_arg, required=True, help=h("year"))
    p.add_argument("--out", help=h("out"))
    _source_options(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("init", parents=[common], help=h("init"))
    p.add_argument("path", help=h("init_path"))
    p.add_argument("--from", dest="source", metavar="SOURCE", help=h("init_from"))
    p.add_argument("--year", type=_year_arg, help=h("init_year"))
    _source_options(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", parents=[common], help=h("check"))
    p.add_argument("--history", action="store_true", help=h("check_history"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("index", parents=[common], help=h("index"))
    p.set_defaults(func=cmd_index)


def import_notice(text: str, year: int, out: Path, language: str = "zh"):
    if (out / "plan.yaml").exists() or any((out / d).exists() and any((out / d).iterdir()) for d in ("tasks", "targets")):
        raise _err("out_has_plan", out=out)
    try:
        parsed = parse_notice(text, year)
    except ValueError as exc:
        raise _err("notice_unreadable", why=str(exc)) from None
    if not parsed.tasks:
        raise _err("no_tasks")
    written = write_plan(parsed, out, language)
    return parsed, written


BUNDLED_MARKERS = ("综合目标分解", "具体任务分解")


def _bundled_layout(path: Path) -> str | None:
    """The text when `path` is a notice in the bundled 宜兴 layout (read by tracker/notice.py)."""
    if path.suffix.lower() not in (".txt", ".md", "") or not path.is_file() or path.stat().st_size > 5_000_000:
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text if all(m in text for m in BUNDLED_MARKERS) else None


def _from_notice(parsed, src: Path):
    """A ParsedNotice (bundled layout) as an ImportedPlan, for the preview."""
    from ..importer.plan import ImportedPlan, ImportedTask, Measure, at_line
    from ..notice import task_due

    plan = ImportedPlan(year=parsed.year, title=parsed.title, document=parsed.document, issuer=parsed.issuer,
                        issued=parsed.issued, categories=list(parsed.categories), source=str(src))
    for t in parsed.tasks:
        it = ImportedTask(title=t.title, category=t.category, number=t.number, units=list(t.units),
                          leads=list(t.units[:1]), line=t.line, due=task_due(t, parsed.year))
        it.measures = [Measure(m.text, m.due, m.milestones) for m in t.measures]
        plan.tasks.append(it)
    for line, txt in parsed.unplaced:
        plan.warn(at_line(line), "unplaced", text=txt[:40])
    plan.targets = list(parsed.targets)
    return plan


def load_source(args, src: Path, year: int, root: Path | None):
    """(ImportedPlan, bundled ParsedNotice or None) for SOURCE; nothing is written."""
    from ..importer import import_source
    from ..units import load_aliases

    text = _bundled_layout(src)
    if text is not None and not (args.title or args.doc_no or args.issuer or args.issued):
        try:
            parsed = parse_notice(text, year)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tasks:
            return _from_notice(parsed, src), parsed
    aliases = load_aliases(root) if root is not None else None
    plan = import_source(src, year, aliases=aliases, title=args.title, doc_no=args.doc_no, issuer=args.issuer,
                         issued=args.issued)
    return plan, None


def preview_tasks(plan):
    """The tasks as model.Task, for the JSON contract of `tracker list --format json`."""
    from ..model import Measure, Task
    from ..planfiles import task_filename

    out = []
    for t in plan.tasks:
        out.append(Task(year=plan.year, number=t.number, category=t.category, title=t.title, units=tuple(t.units),
                        measures=tuple(Measure(i, m.text, "not_started", m.due) for i, m in enumerate(t.measures, 1)),
                        status="not_started", progress=0, due=t.due, note="", problems="", next_steps="",
                        path=f"plan/{plan.year}/tasks/{task_filename(t.number)}", leads=tuple(t.leads),
                        leader=t.leader, ref=t.ref if t.ref != str(t.number) else "", start=t.start,
                        open_units=t.open_units, incomplete=t.incomplete))
    return out


#: the import preview's words (tracker import --dry-run)
PREVIEW_WORDS = book("preview", {
    "id": ("编号", "id"),
    "ref": ("原编号", "ref"),
    "lead": ("牵头单位", "lead"),
    "other_units": ("其他单位", "other units"),
    "leader": ("牵头领导", "leader"),
    "counts": ("({tasks} 项任务, {categories} 个类别, {targets} 项综合目标)",
               "({tasks} tasks, {categories} categories, {targets} overall targets)"),
})


def show_preview(plan, fmt: str, lang: str = "zh") -> None:
    from rich.cells import cell_len

    from ..i18n import say, word
    from ..output import emit_json, emit_table

    tasks = preview_tasks(plan)
    if fmt == "json":
        emit_json({"year": plan.year, "title": plan.title, "document": plan.document, "issuer": plan.issuer,
                   "issued": plan.issued.isoformat() if plan.issued else None, "categories": plan.categories,
                   "source": plan.source, "tasks": [t.as_json() for t in tasks],
                   "targets": [{"number": g.number, "text": g.text, "units": list(g.units),
                                "indicators": [{"name": i.name, "comparator": i.comparator, "value": i.value,
                                                "min": i.min, "max": i.max, "unit": i.unit} for i in g.indicators]}
                               for g in plan.targets],
                   "warnings": [{"where": w.where, "message": w.message} for w in plan.warnings]})
        return

    def cut(text: str, width: int = 30) -> str:
        if cell_len(text) <= width:
            return text
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        return out + "…"

    headers = [say("preview.id", lang), say("preview.ref", lang), word("title", lang), say("preview.lead", lang),
               say("preview.other_units", lang), say("preview.leader", lang), word("due", lang),
               word("category", lang)]
    rows = [[t.id, t.ref or str(t.number), cut(t.title, 26), "、".join(t.lead_units) + ("…" if t.incomplete else ""),
             "、".join(u for u in t.units if u not in t.lead_units) + (" 等" if t.open_units else ""), t.leader,
             t.due.isoformat(), cut(t.category, 16)] for t in tasks]
    head = (f"{plan.title}  {plan.document}  {plan.issuer}  {plan.issued.isoformat() if plan.issued else '?'}  "
            + say("preview.counts", lang, tasks=len(tasks), categories=len(plan.categories), targets=len(plan.targets)))
    write(visible(head) + "\n")
    emit_table(headers, rows)
    if plan.warnings:
        write(say("import_warn.heading", lang, n=len(plan.warnings)) + "\n")
        for w in plan.warnings:
            write(f"  {visible(plan.source)}: {visible(w.text(lang))}\n")


def _commit_message(plan, src: Path, verb: str) -> str:
    doc = f"（{plan.document}）" if plan.document else ""
    return (f"{verb} {plan.year} 年计划：{plan.title}{doc}\n\n"
            f"来源：{src.name}\n"
            f"{len(plan.tasks)} 项任务，{len(plan.categories)} 个类别"
            + (f"，{len(plan.warnings)} 条提示（tracker import --dry-run 可再看）" if plan.warnings else "") + "。\n\n"
            f"Tracker-Plan: {plan.year}\nTracker-Source: {src.name}\n")


def _write_plan(plan, parsed, out: Path, language: str) -> list[Path]:
    """Write the plan's files under `out` (which must not exist yet, or be empty); all or nothing."""
    import shutil

    from ..importer.write import plan_files, write_files

    created = not out.exists()
    try:
        if parsed is not None:
            written = write_plan(parsed, out, language)
        else:
            written = write_files(plan_files(plan, out, language), out)
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    return written


def cmd_import(args) -> int:
    from ..gitstore import GitRepo
    from ..output import err_console

    src = Path(args.notice)
    root = None
    if args.out is None:
        start = getattr(args, "repo", None) or None
        top = GitRepo.toplevel(start or Path.cwd())
        if top is None and not args.dry_run:
            raise _err("not_in_repo", path=Path(start or Path.cwd()).resolve(), src=src, year=args.year)
        root = top
    out = Path(args.out) if args.out else (root / "plan" / str(args.year) if root else None)
    if out is not None and not args.dry_run:
        if (out / "plan.yaml").exists() or any((out / d).exists() and any((out / d).iterdir()) for d in ("tasks", "targets")):
            if args.out is None:
                raise _err("year_has_plan", what=f"plan/{args.year}")
            raise _err("out_has_plan", out=out)
    plan, parsed = load_source(args, src, args.year, root)
    if args.dry_run:
        show_preview(plan, args.format, getattr(args, "lang", None) or "zh")
        return 0
    if root is not None and args.out is None:
        repo = GitRepo(root)
        repo.identity()  # fail before writing anything if git has no identity
        rel = f"plan/{args.year}"
        if repo.dirty_paths(rel):
            raise _err("uncommitted", rel=rel)
    written = _write_plan(plan, parsed, out, args.language)
    if root is not None and args.out is None:
        import shutil

        try:
            sha = repo.commit_paths([f"plan/{args.year}"], _commit_message(plan, src, "导入"), allow_new=True)
        except Exception:
            repo.run("reset", "-q", "--", f"plan/{args.year}", check=False)
            shutil.rmtree(out, ignore_errors=True)
            raise
        write(_said(args, "imported", tasks=len(plan.tasks), categories=len(plan.categories), year=args.year,
                    sha=sha[:7]) + "\n")
    else:
        n_targets = len(plan.targets)
        n_measures = sum(len(t.measures) for t in plan.tasks)
        write(_said(args, "wrote", files=len(written), out=out, targets=n_targets, tasks=len(plan.tasks),
                    measures=n_measures, categories=len(plan.categories)) + "\n")
    if plan.warnings:
        if parsed is not None:
            write(_said(args, "unplaced", n=len(plan.warnings)) + "\n")
            for line, txt in parsed.unplaced:
                write(f"  {src}:{line}: {visible(txt)}\n")
        else:
            err_console().print(_said(args, "warnings", n=len(plan.warnings), src=src, year=args.year),
                                markup=False, highlight=False)
    return 0


def init_workspace(path: Path, source: Path | None = None, year: int | None = None, args=None) -> GitRepo:
    """A standalone tracking repository with one initial commit: the bundled plan, or SOURCE's."""
    import shutil

    from ..units import STARTER_UNITS_YAML

    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise _err("not_folder", path=path)
        try:
            if any(path.iterdir()):
                raise _err("not_empty", path=path)
        except OSError as exc:
            raise _err("cannot_list", path=path, why=os_words(exc)) from None
    plan = parsed = None
    if source is not None:
        if year is None:
            raise _err("needs_year")
        plan, parsed = load_source(args, source, year, None)  # parse before creating anything
    created = not path.exists()
    try:
        try:
            repo = init_repo(path)
        except (OSError, subprocess.CalledProcessError) as exc:
            why = getattr(exc, "strerror", None)
            raise _err("cannot_init", path=path, why=why or "git init 失败", why_en=why or "git init failed") from None
        repo.identity()  # fail before writing anything if git has no identity
        if source is None:
            parsed, _ = import_notice(bundled_notice(), BUNDLED_YEAR, path / "plan" / str(BUNDLED_YEAR))
        else:
            _write_plan(plan, parsed, path / "plan" / str(year), getattr(args, "language", "zh"))
            (path / "units.yaml").write_text(STARTER_UNITS_YAML.format(""), encoding="utf-8")
        try:
            from ..sync_setup import write_repo_files  # added by the sync capability
        except ImportError:
            write_repo_files = None
        if write_repo_files:
            write_repo_files(path)
        if source is None:
            repo.commit_all(f"初始化 {parsed.title}（{parsed.document}）\n\n"
                            f"{len(parsed.targets)} 项综合目标，{len(parsed.tasks)} 项任务。\n\n"
                            f"Tracker-Plan: {BUNDLED_YEAR}\n")
        else:
            repo.commit_all(_commit_message(plan, source, "初始化"))
    except BaseException:
        if created:
            shutil.rmtree(path, ignore_errors=True)
        else:
            for child in path.iterdir():
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        raise
    return repo


def cmd_init(args) -> int:
    path = Path(args.path)
    source = Path(args.source) if getattr(args, "source", None) else None
    if source is not None and args.dry_run:
        if args.year is None:
            raise _err("needs_year")
        plan, _ = load_source(args, source, args.year, None)
        show_preview(plan, args.format, getattr(args, "lang", None) or "zh")
        return 0
    repo = init_workspace(path, source, getattr(args, "year", None), args)
    year = args.year if source is not None else BUNDLED_YEAR
    write(_said(args, "created", path=path.resolve(), year=year, sha=repo.head()[:7], where=path) + "\n")
    return 0


CLOCK_WORDS = book("clock", {
    "future": ("提交时间在未来（{day}，该提交按 {eff} 计）", "dated in the future ({day}; counted from {eff})"),
    "before_parent": ("提交时间 {day} 早于上一提交（{parent}），按 {eff} 计", "dated {day}, before its parent ({parent}); counted from {eff}"),
    "n": ("{n} 个提交的时间不可信（时钟有误）", "{n} commit(s) with a date that cannot be right (a wrong clock)"),
    "ok": ("提交时间：正常（{n} 个提交）", "commit dates: ok ({n} commits)"),
})

CHECK_WORDS = book("check", {
    "ok": ("{plan}：正常（{tasks} 个任务，{targets} 项目标）", "{plan}: ok ({tasks} tasks, {targets} targets)"),
    "problems": ("{n} 个问题，涉及 {files} 个文件", "{n} problem(s) in {files} file(s)"),
    "index": ("历史索引已到 HEAD：{commits} 个提交，{touches} 处文件修改，{s:.2f} 秒（{path}）",
              "history index at HEAD: {commits} commits, {touches} file changes, {s:.2f} s ({path})"),
    "no_index": ("无法建立历史索引 {path}（尚无提交，或索引被锁定）",
                 "could not build the history index {path} (no commit yet, or it is locked)"),
})


def cmd_check(args) -> int:
    from .. import history as hist
    from ..offices import OfficesError, load as load_offices
    from ._common import lang_of

    ws = workspace(args)
    data = ws.load()
    lang = lang_of(args, ws)
    office_warnings: list[str] = []
    try:
        offices = load_offices(ws.root)
        office_problems = []
        if offices is not None:  # a unit of offices.yaml that the plan does not name: a typo gives no rights
            from ..offices import plan_units, unknown_unit_message, unknown_units
            from ..units import load_aliases

            office_warnings = [unknown_unit_message(*x, lang=lang)
                               for x in unknown_units(offices, plan_units(data), load_aliases(ws.root))]
    except OfficesError as exc:  # offices.yaml is checked like the plan's files
        office_problems = exc.problems
    # a task deleted or renamed with plain git is a problem too: what the history says should exist
    present = {t.id for t in data.tasks} | {t.id for t in data.targets}
    present |= {hist.item_id(p.path) for p in data.problems if hist.item_id(p.path)}  # there, but broken
    missing = hist.missing_items(ws, present)
    status = 0
    if not data.problems and data.info is not None and not missing and not office_problems:
        write(say("check.ok", lang, plan=ws.plan_rel, tasks=len(data.tasks), targets=len(data.targets)) + "\n")
    else:
        problems = [*data.problems, *office_problems]
        for p in sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0)):  # file by file, top to bottom
            write(visible(told(p, lang)) + "\n")
        for m in missing:
            write(visible(m.message(lang)) + "\n")
        files = set(data.broken_paths) | {m.path for m in missing} | ({"offices.yaml"} if office_problems else set())
        write(say("check.problems", lang, n=len(problems) + len(missing), files=len(files)) + "\n")
        status = 1
    for x in office_warnings:  # a warning: the exit status stays that of the problems
        write(visible(x) + "\n")
    if getattr(args, "history", False):
        from ..asof import clock_flags, first_parent_line

        w = table("clock", lang)
        flags = clock_flags(ws)
        for f in flags:
            what = w[f.kind].format(day=f.day.isoformat(), parent=f.parent_day.isoformat() if f.parent_day else "",
                                    eff=f.effective.isoformat())
            write(visible(f"{f.sha[:7]} {f.author}: {what} — {f.subject}") + "\n")
        if flags:
            write(w["n"].format(n=len(flags)) + "\n")
            status = 1
        else:
            write(w["ok"].format(n=len(first_parent_line(ws).shas)) + "\n")
    return status


def cmd_index(args) -> int:
    """Build the touch index once (a walk of the whole history), or bring it to HEAD."""
    import time

    from ..touchindex import index_path, refresh, stats

    ws = workspace(args)
    t = time.perf_counter()
    if not refresh(ws, build=True):
        raise TrackerError(say("check.no_index", "en", path=str(index_path(ws))), key="check.no_index",
                           path=str(index_path(ws)))
    commits, touches = stats(ws)
    from ._common import lang_of

    write(say("check.index", lang_of(args, ws), commits=commits, touches=touches, s=time.perf_counter() - t,
              path=str(index_path(ws))) + "\n")
    return 0
