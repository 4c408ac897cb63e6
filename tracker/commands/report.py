"""tracker report: the bulletin (督查通报) as md, html, xlsx or docx."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..model import TrackerError
from ..output import err_console, visible, write
from ._common import lang_of, workspace
from .analytics import add_as_of, date_arg


def register(sub, common) -> None:
    p = sub.add_parser("report", parents=[common], help="write the bulletin (督查通报): md, html, xlsx or docx")
    add_as_of(p)
    p.add_argument("--since", type=date_arg, metavar="DATE",
                   help="changes after the end of DATE (default: the last bulletin before --as-of, else the plan start)")
    p.add_argument("--format", choices=("md", "html", "xlsx", "docx"), help="default: from the -o file's extension, else md")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (md and html print to stdout without -o)")
    p.add_argument("--no-record", dest="record", action="store_false",
                   help="do not record this bulletin (no bulletin/DATE tag; the next one's --since stays as it was)")
    p.set_defaults(func=cmd_report)


def write_output(out: Path, render) -> None:
    """Write a file through `render(tmp_path)` into a temporary file beside `out`, then rename it:
    never a half-written bulletin; a folder, a device or an unwritable place is a clear error."""
    import os
    import stat
    import tempfile

    if out.parent and not out.parent.is_dir():
        raise TrackerError(f"-o {out}: folder {out.parent} does not exist")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise TrackerError(f"-o {out}: {exc.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise TrackerError(f"-o {out}: is a folder; give a file name, e.g. -o {out / 'bulletin.docx'}")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise TrackerError(f"-o {out}: is not a regular file (a device or pipe); give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tracker-", suffix=out.suffix, dir=out.parent or ".")
        os.close(fd)
    except OSError as exc:
        raise TrackerError(f"-o {out}: cannot write in {out.parent or '.'}: {exc.strerror}") from None
    try:
        render(Path(tmp))
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, out)
    except OSError as exc:
        raise TrackerError(f"-o {out}: cannot write: {exc.strerror}") from None
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
        raise TrackerError(f"--format {fmt} writes a file: give -o FILE (e.g. -o bulletin.{fmt})")
    on = args.as_of or date.today()
    since = args.since
    if since is not None and since >= on:
        raise TrackerError(f"--since {since} is not before the bulletin's date {on}")
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
        err_console().print(f"tracker: wrote {visible(out)} ({fmt}, {kept.total} tasks, as of {on.isoformat()}, "
                            f"changes since {kept.since.isoformat()}){'; recorded as ' + tag if tag else ''}",
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
        err_console().print(f"tracker: {kept.problems} problem(s) in the plan files as of {on}; listed at the end of the bulletin",
                            markup=False)
    return 0
