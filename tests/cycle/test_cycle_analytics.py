"""Closed counts as done, cancelled leaves the ranking and lights, returns and extensions are shown."""
from __future__ import annotations

from datetime import date

from tests_support import run_cli

ON = date(2020, 11, 30)


def _steps(ws):
    from tracker.lifecycle import take_step

    ws.update_task(5, {"progress": 100, "measures.1.status": "done", "measures.2.status": "done"})
    take_step(ws, 5, "finish", report="完成", on=date(2020, 11, 1))
    take_step(ws, 5, "close", on=date(2020, 11, 2))
    take_step(ws, 6, "finish", report="完成", force=True, on=date(2020, 11, 3))
    take_step(ws, 6, "return", reason="佐证材料不全", on=date(2020, 11, 4))
    take_step(ws, 7, "cancel", reason="市政府调整工作安排", on=date(2020, 11, 5))
    take_step(ws, 8, "extend", due=date(2021, 3, 31), reason="汛期影响施工", on=date(2020, 11, 6))
    return ws.load()


def test_lights_and_ranking(ws):
    from tracker import analytics as an
    from tracker import schedule

    data = _steps(ws)
    th = an.thresholds(data)
    assert schedule.light(data.task(5), th, ON) == "done"          # closed = done
    assert schedule.light(data.task(7), th, ON) == "cancelled"     # no light
    assert not schedule.overdue(data.task(7), date(2021, 6, 1))
    assert not schedule.overdue(data.task(5), date(2021, 6, 1))
    before = {r.unit: r for r in an.unit_ranking(data, ON)}
    t5, t7 = data.task(5), data.task(7)
    assert before[t5.lead].done >= 1
    led_with_cancelled = sum(1 for t in data.tasks if t.lead == t7.lead)
    assert before[t7.lead].led == led_with_cancelled - 1
    reminded = {r.task.number for rs in an.reminders(data, date(2021, 6, 1)).values() for r in rs}
    assert 5 not in reminded and 7 not in reminded and 6 in reminded


def test_burnup_leaves_cancelled_out(ws):
    from tracker import analytics as an

    _steps(ws)
    pts = an.burnup(ws, date.today(), date.today(), 7)
    assert pts[-1].total == 59 and pts[-1].done == 1


def test_bulletin_counts_and_cycle_section(ws):
    from tracker.report.md import render_md
    from tracker.report.model import build

    _steps(ws)
    b = build(ws, as_of=date.today(), since=date(2020, 10, 31), lang="zh", with_burnup=False)
    assert b.total == 59
    assert "已完成1项" in b.summary
    row6 = next(r for sec in b.categories for r in sec.rows if r.number == 6)
    assert row6.status_label == "推进中（退回1次）"
    assert not any(r.number == 7 for sec in b.categories for r in sec.rows)
    text = render_md(b)
    assert "## 退回、延期、撤销" in text
    assert "退回重办（第1次） | 佐证材料不全 | 2020-11-04" in text
    assert "2020-12-31 → 2021-03-31: 汛期影响施工" in text
    assert "撤销 | 市政府调整工作安排 | 2020-11-05" in text
    assert any(c.key == "closed" and c.count == 1 for c in b.by_status)
    # outside the period: no section
    b2 = build(ws, as_of=date.today(), since=date(2020, 11, 6), lang="zh", with_burnup=False)
    assert b2.cycle == []


def test_bulletin_documents_carry_the_section(ws, tmp_path):
    from tracker.report.model import build

    _steps(ws)
    b = build(ws, as_of=date.today(), since=date(2020, 10, 31), lang="en", with_burnup=False)
    from tracker.report.html import render_html

    html = render_html(b)
    assert "Sent back, extended, cancelled" in html and "佐证材料不全" in html
    from tracker.report.docx import write_docx
    from tracker.report.xlsx import write_xlsx

    write_docx(b, tmp_path / "b.docx")
    write_xlsx(b, tmp_path / "b.xlsx")
    from docx import Document
    from openpyxl import load_workbook

    doc = Document(str(tmp_path / "b.docx"))
    assert any("汛期影响施工" in c.text for t in doc.tables for r in t.rows for c in r.cells)
    wb = load_workbook(tmp_path / "b.xlsx")
    assert "Sent back, extended, cancelled"[:31] in wb.sheetnames


def test_list_marks_returned_items(ws, plan_repo):
    _steps(ws)
    r = run_cli(plan_repo, "--lang", "zh", "list", "--status", "推进中")
    assert r.returncode == 0 and "推进中（退回1次）" in r.stdout
    r = run_cli(plan_repo, "--lang", "zh", "list", "--status", "cancelled")
    assert r.returncode == 0 and "2020-07" in r.stdout and "已撤销" in r.stdout
