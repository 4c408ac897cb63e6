"""Issue 13 §3: the bulletin counts by kind and by stage and lists the items waiting for the
office's review, with the same figures in md, html, docx and xlsx (zh and en).

The repository is a temp copy of the bundled plan; items of several kinds are registered and
taken through every stage with the code `tracker new/ack/finish/close/return/cancel` run
(tracker.items.create, tracker.lifecycle.take_step), each one real commit."""
from __future__ import annotations

import re
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest

from tests_support import make_plan_repo, run_cli

LEAD = "市水利局"
TODAY = date.today()

#: what the repository below holds (a new item's start is at most the plan year's end, so on TODAY every
#: item not finished is overdue), by kind: (交办, 签收, 推进中, 办结待审, 销号, 撤销, 合计, 其中退回, 其中逾期)
EXPECTED_ZH = {
    "重点工作": [54, 1, 2, 1, 1, 1, 60, 1, 57],
    "批示件": [1, 1, 0, 1, 0, 0, 3, 0, 2],
    "会议议定": [0, 0, 1, 0, 1, 0, 2, 1, 1],
    "建议提案": [0, 0, 0, 0, 0, 1, 1, 0, 0],
    "专项督查": [0, 0, 0, 1, 0, 0, 1, 1, 0],
    "合计": [55, 2, 3, 3, 2, 2, 67, 3, 60],
}
EN_KINDS = {"重点工作": "key task", "批示件": "leader's instruction", "会议议定": "meeting decision",
            "建议提案": "proposal", "专项督查": "special inspection", "合计": "total"}


def _new(ws, kind: str, title: str, **kw) -> int:
    from tracker.items import NewItem, create

    create(ws, NewItem(kind=kind, title=title, leads=(LEAD,), **kw))
    return max(t.number for t in ws.load().tasks)


def build_cycle_repo(dest):
    """The bundled plan with items of five kinds in every stage of the cycle."""
    from tracker.lifecycle import take_step
    from tracker.store import Workspace

    repo = make_plan_repo(dest)
    ws = Workspace(repo)
    step = take_step
    # the plan's own tasks: 05 签收, 06 销号, 07 办结待审, 08 退回 (推进中), 09 撤销, 10 受阻
    step(ws, 5, "ack")
    step(ws, 6, "finish", report="完成", force=True, on=date(2020, 11, 1))
    step(ws, 6, "close", on=date(2020, 11, 2))
    step(ws, 7, "finish", report="主体工程完工，已通过竣工验收；佐证材料：验收报告、审计报告、现场照片共12份，另附资金拨付凭证。",
         force=True, on=date(2020, 11, 3))
    step(ws, 8, "finish", report="完成", force=True, on=date(2020, 11, 3))
    step(ws, 8, "return", reason="佐证材料不全", on=date(2020, 11, 4))
    step(ws, 9, "cancel", reason="市政府调整工作安排", on=date(2020, 11, 5))
    ws.update_task(10, {"status": "blocked"})
    # 批示件: one assigned and overdue, one acknowledged, one applied for closure
    _new(ws, "instruction", "关于加快老旧小区改造的批示", start=date(2020, 6, 1), due=date(2020, 6, 16))
    n = _new(ws, "instruction", "关于做好防汛工作的批示")
    step(ws, n, "ack")
    n = _new(ws, "instruction", "关于<b>河道</b>保洁的批示")  # data is never markup
    step(ws, n, "finish", report="已完成河道保洁 *12* 公里", force=True, on=TODAY)
    # 会议议定: one closed, one sent back
    n = _new(ws, "meeting", "市政府常务会议定：推进垃圾分类")
    step(ws, n, "finish", report="已完成", force=True)
    step(ws, n, "close")
    n = _new(ws, "meeting", "市政府专题会议定：停车场建设")
    step(ws, n, "finish", report="已完成", force=True)
    step(ws, n, "return", reason="未附验收材料")
    # 建议提案: cancelled
    n = _new(ws, "proposal", "关于增设公交线路的建议")
    step(ws, n, "cancel", reason="已并入其他事项办理")
    # 专项督查: sent back once, applied again
    n = _new(ws, "inspection", "安全生产专项督查发现问题整改")
    step(ws, n, "ack")
    step(ws, n, "finish", report="整改完成", force=True)
    step(ws, n, "return", reason="整改不到位")
    step(ws, n, "finish", report="再次整改，已全部到位", force=True)
    return repo


@pytest.fixture(scope="module")
def cycle_repo(tmp_path_factory):
    return build_cycle_repo(tmp_path_factory.mktemp("stages") / "office")


def _bulletin(repo, lang: str):
    from tracker.report.model import build
    from tracker.store import Workspace

    return build(Workspace(repo), as_of=TODAY, lang=lang, with_burnup=False)


# -- reading each format back, as a person's tools would ---------------------------------------


def _md_tables(text: str) -> list[list[list[str]]]:
    tables, cur = [], []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cur.append([c.strip().replace("\\", "") for c in line.strip("|").split(" | ")])
        elif not line.startswith("|---"):
            if cur:
                tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


class _HtmlTables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _docx_tables(path) -> list[list[list[str]]]:
    from docx import Document

    return [[[c.text for c in r.cells] for r in t.rows] for t in Document(str(path)).tables]


def _xlsx_sheets(path) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook

    wb = load_workbook(str(path))
    return {ws.title: [["" if v is None else (v.date().isoformat() if hasattr(v, "date") else str(v)) for v in row]
                       for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _find(tables, head: list[str]) -> list[list[str]]:
    """The rows under the table whose header row is `head`."""
    for t in tables:
        if t and t[0] == head:
            return t[1:]
    raise AssertionError(f"no table headed {head}: {[t[0] for t in tables if t]}")


def _rows_in_sheet(rows: list[list[str]], head: list[str]) -> list[list[str]]:
    for i, r in enumerate(rows):
        if r[:len(head)] == head:
            out = []
            for x in rows[i + 1:]:
                if not any(x[:len(head)]):
                    break
                out.append(x[:len(head)])
            return out
    raise AssertionError(f"no rows headed {head}")


def _render_all(b, tmp_path):
    from tracker.report import write

    paths = {fmt: tmp_path / f"bulletin-{b.lang}.{fmt}" for fmt in ("md", "html", "docx", "xlsx")}
    for fmt, p in paths.items():
        write(b, fmt, p)
    html = _HtmlTables()
    html.feed(paths["html"].read_text("utf-8"))
    return {"md": _md_tables(paths["md"].read_text("utf-8")), "html": html.tables,
            "docx": _docx_tables(paths["docx"]), "xlsx": _xlsx_sheets(paths["xlsx"])}, paths


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stage_figures_agree_in_every_format(cycle_repo, tmp_path, lang):
    b = _bulletin(cycle_repo, lang)
    heads, rows = b.stage_table()
    want = {(EN_KINDS[k] if lang == "en" else k): v for k, v in EXPECTED_ZH.items()}
    assert {r[0]: r[1:] for r in rows} == want
    assert [r[0] for r in rows] == list(want)  # the kinds' order, 合计 last
    assert heads[:7] == ({"zh": ["类型", "交办", "签收", "推进中", "办结待审", "销号", "撤销"],
                          "en": ["kind", "assigned", "acked", "working", "in review", "closed", "cancelled"]}[lang])
    text_rows = [[str(c) for c in r] for r in rows]
    got, paths = _render_all(b, tmp_path)
    assert _find(got["md"], heads) == text_rows
    assert _find(got["html"], heads) == text_rows
    assert _find(got["docx"], heads) == text_rows
    sheet = got["xlsx"][b.stage_heading]
    assert _rows_in_sheet(sheet, heads) == text_rows
    # the note on how the columns add up, in each format
    note = b.stage_note
    assert note in paths["md"].read_text("utf-8") and note in unescape(paths["html"].read_text("utf-8"))
    from docx import Document

    assert any(p.text == note for p in Document(str(paths["docx"])).paragraphs)
    assert any(note in row for row in sheet)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_list_agrees_in_every_format(cycle_repo, tmp_path, lang):
    b = _bulletin(cycle_repo, lang)
    assert [r.id for r in b.review] == ["2020-07", "2020-63", "2020-67"]  # oldest application first
    r7, r63, r67 = b.review
    assert (r7.applied, r7.days, r7.lead) == ("2020-11-03", (TODAY - date(2020, 11, 3)).days, b.review[0].lead)
    assert len(r7.report) == 40 and r7.report.endswith("…") and r7.report.startswith("主体工程完工")
    assert r63.title == "关于<b>河道</b>保洁的批示" and r63.days == 0 and r63.report == "已完成河道保洁 *12* 公里"
    assert r67.returned == 1 and r67.report == "再次整改，已全部到位"
    heads, rows = b.review_table()
    mark = {"zh": "（退回1次）", "en": " (returned 1×)"}[lang]
    assert rows[2][1] == "安全生产专项督查发现问题整改" + mark
    text_rows = [[str(c) for c in r] for r in rows]
    got, paths = _render_all(b, tmp_path)
    assert _find(got["md"], heads) == text_rows
    assert _find(got["html"], heads) == text_rows
    assert _find(got["docx"], heads) == text_rows
    assert _rows_in_sheet(got["xlsx"][b.L("review_sheet")], heads) == text_rows
    html = paths["html"].read_text("utf-8")
    assert "<b>河道</b>" not in html and "&lt;b&gt;河道&lt;/b&gt;" in html  # escaped, not markup
    heading = b.review_heading
    assert heading == {"zh": "办结待审（3项，待督查室审核销号）", "en": "Awaiting the office's review (3)"}[lang]
    assert f"## {heading}" in paths["md"].read_text("utf-8")


def test_the_dashboards_counts_are_the_bulletins(cycle_repo):
    """analytics.stage_counts (the dashboard, `tracker stats`) and the bulletin's table agree on
    every stage they both count."""
    from tracker import analytics as an
    from tracker.store import Workspace

    b = _bulletin(cycle_repo, "zh")
    ours = {r.kind: r.counts for r in b.stages}
    theirs = dict(an.stage_counts(Workspace(cycle_repo).load(), TODAY))
    assert set(ours) == set(theirs)
    for kind, row in theirs.items():
        for stage, n in row.items():
            assert ours[kind][stage] == n, (kind, stage)


def test_an_old_plan_reads_naturally(tmp_path):
    """Only plan tasks, nothing reviewed or sent back: one kind row, no 合计 row, no review section."""
    repo = make_plan_repo(tmp_path / "office")
    b = _bulletin(repo, "zh")
    heads, rows = b.stage_table()
    assert rows == [["重点工作", 60, 0, 0, 0, 0, 0, 60, 0, 60]]
    assert b.stage_heading == "按环节" and b.review == []
    got, paths = _render_all(b, tmp_path)
    md = paths["md"].read_text("utf-8")
    assert "### 按环节" in md and "## 办结待审" not in md and "\n| 合计 |" not in md.split("### 按环节")[1].split("##")[0]
    assert _find(got["docx"], heads) == [[str(c) for c in rows[0]]]
    assert "办结待审" not in got["xlsx"] and "按环节" in got["xlsx"]
    assert "<h2>办结待审" not in paths["html"].read_text("utf-8")


def test_the_cli_writes_the_section(cycle_repo, tmp_path):
    out = tmp_path / "通报.docx"
    r = run_cli(cycle_repo, "--lang", "zh", "report", "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = _find(_docx_tables(out), ["类型", "交办", "签收", "推进中", "办结待审", "销号", "撤销", "合计", "其中退回", "其中逾期"])
    assert rows[-1] == ["合计", *map(str, EXPECTED_ZH["合计"])]
    assert re.search(r"2020-63", " ".join(c for t in _docx_tables(out) for r in t for c in r))


@pytest.mark.parametrize("lang,size", [("zh", 18), ("en", 16)])
def test_the_docx_count_table_fits_the_page(cycle_repo, lang, size):
    """Ten columns of counts on the A4 text width: Chinese heads on one line at 9 pt; English ones
    wrap between words only, the table set smaller (8 pt) rather than breaking a word."""
    from rich.cells import cell_len

    from tracker.report.docx import TEXT_WIDTH_TWIPS, count_widths

    heads, rows = _bulletin(cycle_repo, lang).stage_table()
    widths, got = count_widths(heads, rows)
    assert got == size and sum(widths) <= TEXT_WIDTH_TWIPS
    for h, w in zip(heads, widths):  # each column holds its longest head word at 122 twips per cell
        longest = cell_len(h) if lang == "zh" else max(cell_len(x) for x in h.split())
        assert w >= longest * 122 / 18 * got, (h, w)


def test_an_older_plans_done_tasks_list_their_due_date(tmp_path):
    """`done` tasks of a plan older than the cycle (no 申请办结 date, no 办结报告) await review: the list
    shows their due date, not three columns of —."""
    from tracker.store import Workspace

    repo = make_plan_repo(tmp_path / "office")
    Workspace(repo).update_task(3, {"status": "done", "progress": 100})
    b = _bulletin(repo, "zh")
    heads, rows = b.review_table()
    assert heads == ["编号", "任务", "牵头单位", "完成时限"] and rows[0][0] == "2020-03" and rows[0][3].startswith("20")
    got, _ = _render_all(b, tmp_path)
    assert _find(got["docx"], heads) == [[str(c) for c in r] for r in rows]
    assert _rows_in_sheet(got["xlsx"][b.L("review_sheet")], heads) == [[str(c) for c in r] for r in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reminders_with_their_reasons_in_every_format(cycle_repo, tmp_path, lang):
    """催办事项: what `tracker remind` chases, one row per item with every reason, the same in each format;
    nothing closed, cancelled or waiting for the office's review is chased."""
    from tracker import analytics as an
    from tracker.store import Workspace

    b = _bulletin(cycle_repo, lang)
    ids = [r.id for r in b.reminders]
    assert len(ids) == len(set(ids))
    for quiet in ("2020-06", "2020-07", "2020-09", "2020-63", "2020-64", "2020-66", "2020-67"):
        assert quiet not in ids  # closed, in review, cancelled
    chased = {r.task.id for rs in an.reminders(Workspace(cycle_repo).load(), TODAY).values() for r in rs}
    assert set(ids) == chased
    row = next(r for r in b.reminders if r.id == "2020-61")
    over = (TODAY - date(2020, 6, 16)).days
    want = {"zh": f"逾期{over}天；交办", "en": f"{over} days overdue; not acknowledged"}[lang]
    assert row.reasons.startswith(want) and row.unit == LEAD
    heads, rows = b.reminder_table()
    text_rows = [[str(c) for c in r] for r in rows]
    got, paths = _render_all(b, tmp_path)
    assert _find(got["md"], heads) == text_rows
    assert _find(got["html"], heads) == text_rows
    assert _find(got["docx"], heads) == text_rows
    assert _rows_in_sheet(got["xlsx"][b.L("reminder_sheet")], heads) == text_rows
    assert f"## {b.reminder_heading}" in paths["md"].read_text("utf-8")
