"""The bulletin as one self-contained HTML page with an inline SVG burn-up chart.

Every value from a file goes through html.escape; the page carries no script."""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..output import visible
from .model import Bulletin
from ..analytics import ranks

#: line colours of the chart (done first, then the lights)
COLOURS = {"done": "#2e7d32", "red": "#c62828", "yellow": "#f9a825", "blue": "#1565c0", "green": "#66bb6a",
           "total": "#757575"}
LIGHT_CSS = {"red": "#c62828", "yellow": "#b58900", "blue": "#1565c0", "green": "#2e7d32", "done": "#616161"}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",SimSun,sans-serif;
margin:2em auto;max-width:70em;color:#222;line-height:1.5}
h1{text-align:center;font-size:1.6em}h2{border-bottom:2px solid #b71c1c;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;width:100%}th,td{border:1px solid #999;padding:.25em .5em;
vertical-align:top}th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{text-align:center;color:#555}.light{font-weight:bold}.summary{font-size:1.1em}
"""


def e(value) -> str:
    return escape(visible("" if value is None else value, keep_newlines=True)).replace("\n", "<br>")


def _table(headers, rows, numeric=()) -> str:
    out = ["<table><thead><tr>", *[f"<th>{e(h)}</th>" for h in headers], "</tr></thead><tbody>"]
    for r in rows:
        out.append("<tr>")
        for i, c in enumerate(r):
            if isinstance(c, tuple):  # (text, light key): a coloured cell
                text, key = c
                out.append(f'<td class="light" style="color:{LIGHT_CSS.get(key, "#222")}">{e(text)}</td>')
            else:
                out.append(f'<td class="n">{e(c)}</td>' if i in numeric else f"<td>{e(c)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def svg_burnup(b: Bulletin, width: int = 760, height: int = 300) -> str:
    """Lines of tasks done and tasks per light at each step; axes with dates and counts."""
    pts = b.burnup
    if not pts:
        return ""
    left, right, top, bottom = 48, 120, 16, 36
    w, h = width - left - right, height - top - bottom
    ymax = max(1, max(p.total for p in pts))
    n = len(pts)

    def x(i: int) -> float:
        return left + (w * i / (n - 1) if n > 1 else w / 2)

    def y(v: int) -> float:
        return top + h - h * v / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(b.L("chart_title"))}" '
           'font-family="sans-serif" font-size="11">',
           f"<title>{e(b.L('chart_title'))}</title>",
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="#fafafa" stroke="#ccc"/>']
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = round(ymax * frac)
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e0e0e0"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for i in sorted({0, n // 2, n - 1}):
        out.append(f'<text x="{x(i):.1f}" y="{top + h + 16}" text-anchor="middle">{e(pts[i].day.isoformat())}</text>')
    series = [("total", b.L("total"), [p.total for p in pts])]
    series += [(k, b.light_name(k), [p.by_light[k] for p in pts]) for k in ("red", "yellow", "blue", "green")]
    series.append(("done", b.light_name("done"), [p.done for p in pts]))
    for j, (key, label, vals) in enumerate(series):
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vals))
        dash = ' stroke-dasharray="4 3"' if key == "total" else ""
        width_ = 3 if key == "done" else 1.6
        out.append(f'<polyline class="series-{key}" fill="none" stroke="{COLOURS[key]}" stroke-width="{width_}"{dash} '
                   f'points="{coords}"/>')
        ly = top + 14 + j * 18
        out.append(f'<line x1="{left + w + 12}" x2="{left + w + 32}" y1="{ly - 4}" y2="{ly - 4}" '
                   f'stroke="{COLOURS[key]}" stroke-width="{width_}"{dash}/>')
        out.append(f'<text x="{left + w + 36}" y="{ly}">{e(label)} {vals[-1]}</text>')
    out.append("</svg>")
    return "".join(out)


def render_html(b: Bulletin) -> str:
    L = b.L
    parts = ["<!DOCTYPE html>", f'<html lang="{L("html_lang")}"><head><meta charset="utf-8">',
             f"<title>{e(b.heading)}</title><style>{CSS}</style></head><body>",
             f"<h1>{e(b.heading)}</h1>"]
    meta = [v for v in (b.document, b.issuer) if v]
    parts.append(f'<p class="meta">{e("  ".join(meta))}</p>')
    parts.append(f'<p class="meta">{e(L("as_of"))} {e(b.as_of.isoformat())} · {e(L("period"))} {e(b.period_text)}</p>')
    parts.append(f"<h2>{e(L('totals'))}</h2><p class=\"summary\">{e(b.summary)}</p>")
    if b.verified is not None:
        parts.append(f'<p class="verify">{e(b.verify_line)}</p>')
    parts.append(f"<h3>{e(L('by_status'))}</h3>")
    parts.append(_table([L("status"), L("count"), L("share")], [[c.label, c.count, c.pct] for c in b.by_status], (1, 2)))
    parts.append(f"<h3>{e(L('by_light'))}</h3>")
    parts.append(_table([L("light"), L("count"), L("share")], [[(c.label, c.key), c.count, c.pct] for c in b.by_light], (1, 2)))
    if b.stages:  # by kind and stage (交办 … 撤销, 合计, 其中退回, 其中逾期)
        heads, rows = b.stage_table()
        parts.append(f"<h3>{e(b.stage_heading)}</h3>")
        parts.append(_table(heads, rows, tuple(range(1, len(heads)))))
        parts.append(f'<p class="note">{e(b.stage_note)}</p>')
    if b.burnup:
        parts.append(f"<h2>{e(L('burnup'))}</h2><figure>{svg_burnup(b)}<figcaption>{e(L('chart_note'))}</figcaption></figure>")
    parts.append(f"<h2>{e(L('categories'))}</h2>")
    for sec in b.categories:
        parts.append(f"<h3>{e(sec.name)}</h3><p>{e(b.category_line(sec))}</p>")
        parts.append(_table([L("id"), L("title"), L("lead"), L("status"), L("progress"), L("expected"), L("light"), L("due")],
                            [[r.id, r.title, r.lead, r.status_label, f"{r.progress}%", f"{r.expected}%",
                              (r.light_label, r.light), r.due] for r in sec.rows], (4, 5)))
    parts.append(f"<h2>{e(L('lagging'))}</h2>")
    if b.lagging:
        parts.append(_table([L("id"), L("title"), L("lead"), L("light"), L("progress"), L("expected"), L("note"), L("problems")],
                            [[r.id, r.title, r.lead, (r.light_label, r.light), f"{r.progress}%", f"{r.expected}%",
                              r.note or "—", r.problems or "—"] for r in b.lagging], (4, 5)))
    else:
        parts.append(f"<p>{e(L('no_lagging'))}</p>")
    if b.review:  # applied for closure, waiting for the office's review (销号 or 退回)
        parts.append(f"<h2>{e(b.review_heading)}</h2>")
        parts.append(_table(*b.review_table(), (5,)))
    if b.reminders:  # 催办: what each lead unit is chased about, and why
        parts.append(f"<h2>{e(b.reminder_heading)}</h2>")
        parts.append(_table(*b.reminder_table(), ()))
    if b.cycle:  # the supervision cycle's 退回 / 延期 / 撤销 of the period
        parts.append(f"<h2>{e(L('cycle'))}</h2>")
        parts.append(_table(*b.cycle_table(), ()))
    parts.append(f"<h2>{e(L('ranking'))}</h2>")
    parts.append(_table([L("rank"), L("unit"), L("led"), L("done"), L("green"), L("yellow"), L("red"), L("blue"),
                         L("overdue"), L("rate"), L("last_update")],
                        [[i, r.unit, r.led, r.done, r.green, r.yellow, r.red, r.blue, r.overdue, f"{r.rate:.0%}",
                          r.last_update.isoformat() if r.last_update else "—"] for i, r in zip(ranks(b.ranking), b.ranking)],
                        (0, 2, 3, 4, 5, 6, 7, 8, 9)))
    parts.append(f"<p class=\"note\">{e(b.rank_rule)}</p>")
    if b.ledgers is not None:
        heads, rows = b.ledger_table()
        got, missing = b.ledger_lines()
        parts.append(f"<h2>{e(b.ledger_heading)}</h2><p>{e(got)}</p>")
        if rows:
            parts.append(_table(heads, rows, (3,)))
        parts.append(f'<p class="missing">{e(missing)}</p>')
    parts.append(f"<h2>{e(L('targets'))}</h2>")
    parts.append(_table([L("id"), L("indicator"), L("target"), L("latest"), L("actual_period"), L("assessment"), L("lead")],
                        [[t.target, t.indicator, t.target_text, t.latest or "—", t.period or "—", t.assessment or "—", t.lead]
                         for t in b.targets]))
    parts.append(f"<h2>{e(L('changes'))} ({e(b.period_text)})</h2>")
    if b.changes:
        parts.append(_table([L("item"), L("title"), L("field"), L("old"), L("new"), L("author"), L("date")],
                            [[c.item, c.title, c.field, c.old, c.new, c.author, c.date] for c in b.changes]))
    elif not b.added:
        parts.append(f"<p>{e(L('no_changes'))}</p>")
    if b.added:
        parts.append(f"<p>{e(L('added_line', n=b.added))}</p>")
    if b.problems:
        parts.append("<hr><ul>" + "".join(f"<li>{e(p)}</li>" for p in b.problems) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_html(b: Bulletin, path) -> None:
    Path(path).write_text(render_html(b), encoding="utf-8")
