"""tracker report: the bulletin (督查通报) as md, html, xlsx or docx."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..i18n import book, os_words, say
from ..model import TrackerError
from ..output import err_console, visible, write
from ._common import helps, lang_of, workspace
from .analytics import add_as_of, date_arg


#: refusals of tracker report and of writing its -o file (str(err) English, err.text(lang) the user's language)
_ERRORS = book("report_out", {
    "no_folder": ("-o {out}：文件夹 {folder} 不存在", "-o {out}: folder {folder} does not exist"),
    "os": ("-o {out}：{why}", "-o {out}: {why}"),
    "is_folder": ("-o {out}：这是一个文件夹，请给出文件名，例如 -o {example}",
                  "-o {out}: is a folder; give a file name, e.g. -o {example}"),
    "not_regular": ("-o {out}：不是普通文件（设备或管道），请给出文件名",
                    "-o {out}: is not a regular file (a device or pipe); give a file name"),
    "cannot_write_in": ("-o {out}：无法在 {folder} 中写入：{why}", "-o {out}: cannot write in {folder}: {why}"),
    "cannot_write": ("-o {out}：无法写入：{why}", "-o {out}: cannot write: {why}"),
    "needs_output": ("--format {fmt} 输出为文件：请用 -o 文件 指定（例如 -o bulletin.{fmt}）",
                     "--format {fmt} writes a file: give -o FILE (e.g. -o bulletin.{fmt})"),
    "since_not_before": ("--since {since} 不早于通报日期 {on}", "--since {since} is not before the bulletin's date {on}"),
})
#: what `tracker report` says on stderr once the bulletin is written
book("report_said", {
    "wrote": ("已写出 {out}（{fmt}，{total} 项任务，截至 {on}，变化自 {since} 起）{recorded}",
              "wrote {out} ({fmt}, {total} tasks, as of {on}, changes since {since}){recorded}"),
    "recorded": ("；已记录为 {tag}", "; recorded as {tag}"),
    "problems": ("截至 {on}，计划文件中有 {n} 个问题，列于通报末尾",
                 "{n} problem(s) in the plan files as of {on}; listed at the end of the bulletin"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `report_out.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"report_out.{entry}", **args)


HELP = book("help.report", {
    "report": ("生成督查通报：md、html、xlsx 或 docx", "write the bulletin (督查通报): md, html, xlsx or docx"),
    "since": ("DATE 当日结束之后的变更（默认：--as-of 之前的上一期通报，否则计划开始）",
              "changes after the end of DATE (default: the last bulletin before --as-of, else the plan start)"),
    "format": ("默认：按 -o 文件的扩展名，否则 md", "default: from the -o file's extension, else md"),
    "output": ("写到此处（不给 -o 时 md 和 html 输出到标准输出）", "write here (md and html print to stdout without -o)"),
    "no_record": ("不记录这期通报（不打 bulletin/DATE 标签；下一期的 --since 不变）",
                  "do not record this bulletin (no bulletin/DATE tag; the next one's --since stays as it was)"),
})


def register(sub, common) -> None:
    h = helps("report", common)
    p = sub.add_parser("report", parents=[common], help=h("report"))
    add_as_of(p)
    p.add_argument("--since", type=date_arg, metavar="DATE", help=h("since"))
    p.add_argument("--format", choices=("md", "html", "xlsx", "docx"), help=h("format"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    p.add_argument("--no-record", dest="record", action="store_false", help=h("no_record"))
    p.set_defaults(func=cmd_report)


def write_output(out: Path, render) -> None:
    """Write a file through `render(tmp_path)` into a temporary file beside `out`, then rename it:
    never a half-written bulletin; a folder, a device or an unwritable place is a clear error."""
    import os
    import stat
    import tempfile

    if out.parent and not out.parent.is_dir():
        raise _err("no_folder", out=out, folder=out.parent)
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _err("os", out=out, why=os_words(exc)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _err("is_folder", out=out, example=out / "bulletin.docx")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise _err("not_regular", out=out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tracker-", suffix=out.suffix, dir=out.parent or ".")
        os.close(fd)
    except OSError as exc:
        raise _err("cannot_write_in", out=out, folder=out.parent or ".", why=os_words(exc)) from None
    try:
        render(Path(tmp))
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, out)
    except OSError as exc:
        raise _err("cannot_write", out=out, why=os_words(exc)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def cmd_report(args) -> int:
    from ..report import build
    from ..report import write as write_report

    ws = workspace(args)
    fmt = args.format
    if fmt is None:
        ext = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
        fmt = ext if ext in ("md", "html", "xlsx", "docx") else "md"
    if fmt in ("xlsx", "docx") and not args.output:
        raise _err("needs_output", fmt=fmt)
    on = args.as_of or date.today()
    since = args.since
    if since is not None and since >= on:
        raise _err("since_not_before", since=since, on=on)
    lang = lang_of(args, ws)  # --lang, else TRACKER_LANG, else the plan language
    from .. import reportcache

    # a repeated report with identical inputs is read back, not recomputed (tracker/reportcache.py)
    key = reportcache.report_key(ws, as_of=args.as_of, since=since, fmt=fmt, lang=lang, to_file=bool(args.output))
    kept = reportcache.get(ws, key)
    if args.output:
        out = Path(args.output)
        if kept is not None:
            write_output(out, lambda tmp: tmp.write_bytes(kept.body))
        else:
            b = build(ws, as_of=on, since=since, lang=lang)
            made: list[bytes] = []

            def render(tmp: Path) -> None:
                write_report(b, fmt, tmp)
                made.append(tmp.read_bytes())

            write_output(out, render)
            kept = reportcache.Entry(made[0], b.total, b.since, len(b.problems))
            reportcache.put(ws, key, kept)
        if args.record:
            from ..analytics import record_bulletin

            tag = record_bulletin(ws, on)
        else:
            tag = None
        recorded = say("report_said.recorded", lang, tag=tag) if tag else ""
        err_console().print("tracker: " + say("report_said.wrote", lang, out=visible(out), fmt=fmt, total=kept.total,
                                              on=on.isoformat(), since=kept.since.isoformat(), recorded=recorded),
                            markup=False, highlight=False)
    else:
        if kept is not None:
            text = kept.body.decode("utf-8")
        else:
            if fmt == "md":
                from ..report.md import render_md as render_text
            else:
                from ..report.html import render_html as render_text
            b = build(ws, as_of=on, since=since, lang=lang)
            text = render_text(b)
            kept = reportcache.Entry(text.encode("utf-8"), b.total, b.since, len(b.problems))
            reportcache.put(ws, key, kept)
        write(text)
        if args.record:
            from ..analytics import record_bulletin

            record_bulletin(ws, on)
    if kept.problems:
        err_console().print("tracker: " + say("report_said.problems", lang, n=kept.problems, on=on), markup=False)
    return 0
