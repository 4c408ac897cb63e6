"""The bulletin (督查通报): one model built from the plan and its history, several writers.

`build(ws, as_of=..., since=..., lang=...)` returns a `Bulletin`; `write(bulletin, fmt, path)`
renders it as md, html, xlsx or docx.  Imports are lazy: `tracker list` need not pay for them.
"""
from __future__ import annotations

FORMATS = ("md", "html", "xlsx", "docx")


def build(*args, **kw):
    from .model import build as _build

    return _build(*args, **kw)


def write(bulletin, fmt: str, path) -> None:
    if fmt == "md":
        from .md import write_md as w
    elif fmt == "html":
        from .html import write_html as w
    elif fmt == "xlsx":
        from .xlsx import write_xlsx as w
    elif fmt == "docx":
        from .docx import write_docx as w
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    w(bulletin, path)


__all__ = ["build", "write", "FORMATS"]
