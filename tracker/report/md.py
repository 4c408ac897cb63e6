"""The bulletin as Markdown (GitHub-flavoured tables).  Every value from a file is escaped."""
from __future__ import annotations

import re
from pathlib import Path

from ..output import visible
from ..schedule import LIGHTS
from .model import Bulletin
from ..analytics import ranks

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")


def esc(value) -> str:
    """Plain text safe inside a Markdown table cell: punctuation escaped, lines joined with <br>."""
    s = visible("" if value is None else value, keep_newlines=True)
    s = _SPECIAL.sub(r"\\\1", s)
    return "<br>".join(line.strip() for line in s.splitlines()) if "\n" in s else s


def table(headers: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return out


def thin_points(points, most: int = 16):
    """At most `most` points, always keeping the last one."""
    if len(points) <= most:
        return list(points)
    step = -(-len(points) // most)
    kept = list(points[::step])
    if kept[-1] is not points[-1]:
        kept.append(points[-1])
    return kept


def render_md(b: Bulletin) -> str:
    L = b.L
    lines = [f"# {esc(b.heading)}", ""]
    meta = [(L("plan"), b.title), (L("document"), b.document), (L("issuer"), b.issuer),
            (L("as_of"), b.as_of.isoformat()), (L("period"), b.period_text)]
    lines += [f"- **{esc(k)}**: {esc(v)}" for k, v in meta if v]
    lines += ["", f"## {L('totals')}", "", esc(b.summary), ""]
    if b.verified is not None:  # offices.yaml governs the repository: the period's commits, checked
        lines += [esc(b.verify_line), ""]
    lines += [f"### {L('by_status')}", ""]
    lines += table([L("status"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_status])
    lines += ["", f"### {L('by_light')}", ""]
    lines += table([L("light"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_light])
    lines += stage_lines(b)

    lines += ["", f"## {L('categories')}", ""]
    for sec in b.categories:
        lines += [f"### {esc(sec.name)}", "", esc(b.category_line(sec)), ""]
        lines += table([L("id"), L("title"), L("lead"), L("status"), L("progress"), L("expected"), L("light"), L("due")],
                       [[r.id, r.title, r.lead, r.status_label, f"{r.progress}%", f"{r.expected}%", r.light_label, r.due]
                        for r in sec.rows])
        lines.append("")

    lines += [f"## {L('lagging')}", ""]
    if b.lagging:
        lines += table([L("id"), L("title"), L("lead"), L("light"), L("progress"), L("expected"), L("note"), L("problems")],
                       [[r.id, r.title, r.lead, r.light_label, f"{r.progress}%", f"{r.expected}%", r.note or "—",
                         r.problems or "—"] for r in b.lagging])
    else:
        lines.append(L("no_lagging"))
    lines += review_lines(b)
    lines += reminder_lines(b)

    if b.cycle:  # the supervision cycle's 退回 / 延期 / 撤销 of the period
        lines += ["", f"## {L('cycle')}", ""]
        lines += table(*b.cycle_table())

    lines += ["", f"## {L('ranking')}", ""]
    lines += table([L("rank"), L("unit"), L("led"), L("done"), L("green"), L("yellow"), L("red"), L("blue"),
                    L("overdue"), L("rate"), L("last_update")],
                   [[i, r.unit, r.led, r.done, r.green, r.yellow, r.red, r.blue, r.overdue, f"{r.rate:.0%}",
                     r.last_update.isoformat() if r.last_update else "—"] for i, r in zip(ranks(b.ranking), b.ranking)])
    lines += ["", b.rank_rule]

    if b.ledgers is not None:
        lines += ["", f"## {esc(b.ledger_heading)}", ""]
        heads, rows = b.ledger_table()
        got, missing = b.ledger_lines()
        lines += [esc(got), ""]
        if rows:
            lines += table(heads, rows) + [""]
        lines.append(esc(missing))

    lines += ["", f"## {L('targets')}", ""]
    lines += table([L("id"), L("indicator"), L("target"), L("latest"), L("actual_period"), L("assessment"), L("lead")],
                   [[t.target, t.indicator, t.target_text, t.latest or "—", t.period or "—", t.assessment or "—", t.lead]
                    for t in b.targets])

    lines += ["", f"## {L('changes')} ({esc(b.period_text)})", ""]
    if b.changes:
        lines += table([L("item"), L("title"), L("field"), L("old"), L("new"), L("author"), L("date")],
                       [[c.item, c.title, c.field, c.old, c.new, c.author, c.date] for c in b.changes])
    elif not b.added:
        lines.append(L("no_changes"))
    if b.added:
        lines += ["", esc(L("added_line", n=b.added))]

    if b.burnup:
        lines += ["", f"## {L('burnup')}", "", esc(L("chart_note")), ""]
        lines += table([L("date"), L("total"), *[b.light_name(k) for k in LIGHTS]],
                       [[p.day.isoformat(), p.total, *[p.by_light[k] for k in LIGHTS]] for p in thin_points(b.burnup)])
    if b.problems:
        lines += ["", "---", ""] + [f"- {esc(p)}" for p in b.problems]
    return "\n".join(lines) + "\n"


def write_md(b: Bulletin, path) -> None:
    Path(path).write_text(render_md(b), encoding="utf-8")


def stage_lines(b: Bulletin) -> list[str]:
    """By kind and stage (交办 … 撤销, 合计, 其中退回, 其中逾期), with the note on how they add up."""
    if not b.stages:
        return []
    return ["", f"### {esc(b.stage_heading)}", "", *table(*b.stage_table()), "", esc(b.stage_note)]


def review_lines(b: Bulletin) -> list[str]:
    """The items waiting for the office's review (申请办结); nothing where none waits."""
    if not b.review:
        return []
    return ["", f"## {esc(b.review_heading)}", "", *table(*b.review_table())]


def reminder_lines(b: Bulletin) -> list[str]:
    """催办事项: what each lead unit is chased about, with the reasons; nothing where none is."""
    if not b.reminders:
        return []
    return ["", f"## {esc(b.reminder_heading)}", "", *table(*b.reminder_table())]
