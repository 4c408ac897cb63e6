"""The ledger (台账) round trip: export, a unit's edits (openpyxl / python-docx / LibreOffice),
ingest, and the commits and conflicts it makes, asserted exactly.  Real git repositories."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests_support import commit_count, git, run_cli

UNIT = "市水利局"


def export(ws, tmp_path, name="sl.xlsx", **kw):
    from tracker.ledger.export import export as do_export

    path, rows, meta = do_export(ws, tmp_path / name, unit=kw.pop("unit", UNIT), **kw)
    return path, rows, meta


def edit_xlsx(src: Path, dst: Path, edits: dict[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """Set cells by (row id, header) in the 台账 sheet; returns each edited cell's name (H7)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    sh = wb["台账"]
    heads = {c.value: c.column_letter for c in sh[3]}
    refs = {}
    for row in sh.iter_rows(min_row=4):
        rid = row[0].value
        for (want, head), value in edits.items():
            if rid == want:
                cell = sh[f"{heads[head]}{row[0].row}"]
                cell.value = value
                refs[(want, head)] = cell.coordinate
    wb.save(dst)
    return refs


def task_file(repo: Path, n: int) -> str:
    return (repo / "plan" / "2020" / "tasks" / f"{n:02d}.yaml").read_text("utf-8")


def head_message(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev)


def ingest(ws, path, **kw):
    from tracker.ledger.ingest import apply, plan

    pl = plan(ws, path, unit=kw.pop("unit", None))
    return pl, apply(ws, pl, lang="zh")


# -- export --------------------------------------------------------------------------------------
def test_export_xlsx_is_made_for_the_people_filling_it_in(ws, plan_repo, tmp_path):
    from openpyxl import load_workbook

    path, rows, meta = export(ws, tmp_path)
    wb = load_workbook(path)
    sh = wb["台账"]
    heads = [c.value for c in sh[3]]
    assert heads == ["编号", "类别", "工作任务", "牵头单位", "责任单位", "完成时限", "状态", "进度(%)", "进展情况",
                     "存在问题", "下步打算", "本单位职责"]
    assert "填报说明" in sh["A2"].value
    assert sh.freeze_panes == "B4"
    assert sh.print_title_rows == "$3:$3"
    assert sh.page_setup.orientation == "landscape" and int(sh.page_setup.paperSize) == 9
    assert sh.protection.sheet is True and not sh.protection.password
    # every task of the unit, as lead or co-unit, marked; a row per measure
    tasks = [r for r in rows if r.measure is None]
    assert {r.values["role"] for r in tasks} == {"牵头", "配合"}
    led = [r for r in tasks if r.values["lead"] == UNIT]
    assert led and all(r.values["role"] == "牵头" for r in led)
    first = next(r for r in sh.iter_rows(min_row=4) if r[0].value == "2020-05")
    assert isinstance(first[5].value, dt.datetime) and first[5].number_format == "yyyy-mm-dd"  # a real date
    assert first[6].value == "未启动" and first[7].value == 0
    assert first[2].protection.locked and first[5].protection.locked  # title, due: locked
    assert not first[6].protection.locked and not first[8].protection.locked  # status, note: open
    measure = next(r for r in sh.iter_rows(min_row=4) if r[0].value == "2020-05.1")
    assert not measure[6].protection.locked and measure[7].protection.locked and measure[8].protection.locked
    dvs = {dv.type: dv for dv in sh.data_validations.dataValidation}
    assert dvs["list"].formula1 == '"未启动,推进中,已完成,受阻"'
    assert dvs["whole"].operator == "between" and (dvs["whole"].formula1, dvs["whole"].formula2) == ("0", "100")
    assert f"G{first[0].row}" in str(dvs["list"].sqref) or any(
        f"G{first[0].row}" in str(r) or _in_range(str(r), first[0].row) for r in dvs["list"].sqref.ranges)
    # the version record: hidden, the export's commit, each task's blob id as git has it
    rec = wb["_tracker"]
    assert rec.sheet_state == "hidden"
    pairs = {r[0].value: r[1].value for r in rec.iter_rows() if r[0].value != "item"}
    assert pairs["commit"] == git(plan_repo, "rev-parse", "HEAD").strip()
    items = {r[1].value: r[3].value for r in rec.iter_rows() if r[0].value == "item"}
    staged = git(plan_repo, "ls-files", "-s", "plan/2020/tasks/05.yaml").split()[1]
    assert items["2020-05"] == staged
    assert set(items) == {r.id for r in tasks}


def _in_range(ref: str, row: int) -> bool:
    if ":" not in ref:
        return False
    a, b = ref.split(":")
    return int(a[1:]) <= row <= int(b[1:])


def test_export_docx_table_repeats_its_header_and_keeps_the_version(ws, tmp_path):
    from docx import Document

    path, rows, meta = export(ws, tmp_path, "sl.docx")
    doc = Document(path)
    sec = doc.sections[0]
    assert sec.page_width > sec.page_height  # landscape
    tbl = doc.tables[0]
    assert tbl.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert [c.text for c in tbl.rows[0].cells][:3] == ["编号", "类别", "工作任务"]
    assert len(tbl.rows) == len(rows) + 1
    from tracker.ledger.read import read

    back = read(path)
    assert back.meta.items.keys() == meta.items.keys()
    assert {k: v[1] for k, v in back.meta.items.items()} == {k: v[1] for k, v in meta.items.items()}


def test_export_refuses_other_suffixes_and_unknown_units(plan_repo, tmp_path):
    r = run_cli(plan_repo, "ledger", "export", "-o", str(tmp_path / "x.xls"))
    assert r.returncode == 2 and ".xlsx" in r.stderr and not (tmp_path / "x.xls").exists()
    r = run_cli(plan_repo, "ledger", "export", "--unit", "不存在的局", "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "不存在的局" in r.stderr


# -- ingest --------------------------------------------------------------------------------------
def test_edited_cells_become_one_commit_per_item_with_the_unit_as_reporter(ws, plan_repo, tmp_path):
    path, _, meta = export(ws, tmp_path)
    before = commit_count(plan_repo)
    edit_xlsx(path, tmp_path / "back.xlsx", {
        ("2020-05", "状态"): "推进中", ("2020-05", "进度(%)"): 45, ("2020-05", "进展情况"): "竺山圩主体完工。\n新孟河通水。",
        ("2020-05.1", "状态"): "已完成", ("2020-04", "存在问题"): "资金缺口较大",
    })
    pl, results = ingest(ws, tmp_path / "back.xlsx")
    assert commit_count(plan_repo) == before + 2
    assert [r.path for r in results] == ["plan/2020/tasks/04.yaml", "plan/2020/tasks/05.yaml"]
    msg = head_message(plan_repo)
    assert msg.startswith("2020-05 持续推进重点水利工程建设: 状态 未启动 → 推进中，进度 0 → 45等4项\n")
    assert "Tracker-Reported-By: 市水利局\n" in msg
    assert f"Tracker-Source: 台账 back.xlsx, exported {meta.exported}\n" in msg
    assert f"Tracker-Ledger: {pl.digest}\n" in msg
    assert "Tracker-Fields: status, progress, note, measures.1.status\n" in msg
    assert git(plan_repo, "log", "-1", "--format=%an", "HEAD").strip() == "督查室 测试员"  # the office commits
    t = ws.load().task(5)
    assert (t.status, t.progress, t.note, t.measures[0].status) == ("in_progress", 45, "竺山圩主体完工。\n新孟河通水。", "done")
    assert ws.load().task(4).problems == "资金缺口较大"
    # only the changed lines
    diff = git(plan_repo, "show", "--format=", "HEAD", "--", "plan/2020/tasks/05.yaml")
    assert "\n-status: not_started\n" in diff and "\n+status: in_progress\n" in diff and "\n-title" not in diff and "\n+title" not in diff


def test_the_same_file_twice_makes_no_second_commits(ws, plan_repo, tmp_path):
    path, _, _ = export(ws, tmp_path)
    edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "进度(%)"): 45})
    ingest(ws, tmp_path / "back.xlsx")
    n = commit_count(plan_repo)
    pl, results = ingest(ws, tmp_path / "back.xlsx")
    assert results == [] and commit_count(plan_repo) == n
    assert pl.items[0].done_before == git(plan_repo, "rev-parse", "HEAD").strip()
    # a copy saved under another name (same values) is the same return
    shutil.copy(tmp_path / "back.xlsx", tmp_path / "again.xlsx")
    _, results = ingest(ws, tmp_path / "again.xlsx")
    assert results == [] and commit_count(plan_repo) == n


def test_invalid_cells_are_named_and_nothing_is_written(ws, plan_repo, tmp_path):
    path, _, _ = export(ws, tmp_path)
    refs = edit_xlsx(path, tmp_path / "back.xlsx", {
        ("2020-05", "进度(%)"): 150, ("2020-05", "状态"): "差不多", ("2020-04", "进度(%)"): "三成",
        ("2020-28", "存在问题"): "有效的修改",
    })
    n = commit_count(plan_repo)
    r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "back.xlsx"))
    assert r.returncode == 2
    assert f"{refs[('2020-05', '进度(%)')]}: 进度 150 超出 0-100" in r.stdout
    assert f"{refs[('2020-05', '状态')]}: 状态 '差不多' 不是有效状态" in r.stdout
    assert f"{refs[('2020-04', '进度(%)')]}: 进度 '三成' 不是整数" in r.stdout
    assert commit_count(plan_repo) == n
    r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "back.xlsx"), "--skip-invalid")
    assert r.returncode == 0, r.stderr
    assert commit_count(plan_repo) == n + 1  # only 2020-28
    assert git(plan_repo, "log", "-1", "--format=%(trailers:key=Tracker-Task,valueonly)").strip() == "2020-28"


def test_locked_cells_are_reported_never_applied(ws, plan_repo, tmp_path):
    path, _, _ = export(ws, tmp_path)
    refs = edit_xlsx(path, tmp_path / "back.xlsx", {
        ("2020-05", "工作任务"): "改过的标题", ("2020-05", "完成时限"): dt.datetime(2021, 6, 30),
        ("2020-05", "进度(%)"): 20,
    })
    pl, results = ingest(ws, tmp_path / "back.xlsx")
    assert any(x.startswith(f"{refs[('2020-05', '工作任务')]}: 工作任务 持续推进重点水利工程建设 → 改过的标题") for x in pl.locked)
    assert any(x.startswith(f"{refs[('2020-05', '完成时限')]}: 完成时限 2020-12-31 → 2021-06-30") for x in pl.locked)
    t = ws.load().task(5)
    assert t.title == "持续推进重点水利工程建设" and t.due == dt.date(2020, 12, 31) and t.progress == 20
    assert len(results) == 1 and [c.field for c in results[0].changes] == ["progress"]


def test_blank_and_reordered_rows_are_matched_by_id(ws, plan_repo, tmp_path):
    from openpyxl import load_workbook

    path, _, _ = export(ws, tmp_path)
    edit_xlsx(path, tmp_path / "edited.xlsx", {("2020-05", "进度(%)"): 45, ("2020-04", "状态"): "推进中"})
    wb = load_workbook(tmp_path / "edited.xlsx")
    sh = wb["台账"]
    sh.protection.sheet = False
    data = [[c.value for c in row] for row in sh.iter_rows(min_row=4)]
    data.reverse()
    for i, values in enumerate(data):  # reversed order, a blank row after every third row
        for j, v in enumerate(values):
            sh.cell(row=4 + i + i // 3, column=j + 1).value = v
        if i % 3 == 2:
            for j in range(len(values)):
                sh.cell(row=4 + i + i // 3 + 1, column=j + 1).value = None
    wb.save(tmp_path / "shuffled.xlsx")
    pl, results = ingest(ws, tmp_path / "shuffled.xlsx")
    assert pl.invalid == [] and pl.locked == []
    assert sorted((r.path, [c.field for c in r.changes]) for r in results) == [
        ("plan/2020/tasks/04.yaml", ["status"]), ("plan/2020/tasks/05.yaml", ["progress"])]


def test_a_stale_export_records_a_conflict_naming_the_ledger(ws, plan_repo, tmp_path):
    path, _, meta = export(ws, tmp_path)
    r = run_cli(plan_repo, "set", "5", "--progress", "60", "--note", "库中更新")
    assert r.returncode == 0, r.stderr
    edit_xlsx(path, tmp_path / "back.xlsx", {
        ("2020-05", "进度(%)"): 50,           # both changed, differently: a conflict
        ("2020-05", "存在问题"): "资金缺口",   # only the unit: taken
        ("2020-05", "进展情况"): "库中更新",   # both changed to the same: nothing to do
    })
    n = commit_count(plan_repo)
    pl, results = ingest(ws, tmp_path / "back.xlsx")
    assert commit_count(plan_repo) == n + 1 and len(results) == 1
    item = pl.items[0]
    assert item.stale and item.conflicts == ["progress"]
    t = ws.load().task(5)
    assert (t.progress, t.problems, t.note) == (60, "资金缺口", "库中更新")  # the field keeps the repository's value
    r = run_cli(plan_repo, "conflicts", "--format", "json")
    entries = json.loads(r.stdout)
    assert len(entries) == 1 and entries[0]["id"] == "2020-05"
    (entry,) = entries[0]["entries"] if "entries" in entries[0] else entries[0]["conflicts"]
    assert entry["field"] == "progress" and entry["base"] == 0
    assert entry["ours"]["value"] == 60 and entry["ours"]["author"] == "督查室 测试员"
    assert entry["theirs"]["value"] == 50 and entry["theirs"]["author"] == "市水利局（back.xlsx）"
    msg = head_message(plan_repo)
    assert msg.startswith("2020-05 持续推进重点水利工程建设: 更新存在问题，冲突 进度\n")
    assert "Tracker-Conflicts: progress\n" in msg and "Tracker-Reported-By: 市水利局\n" in msg
    # resolved like any sync conflict: take the ledger's value
    r = run_cli(plan_repo, "resolve", "5", "--take", "theirs")
    assert r.returncode == 0, r.stderr
    assert ws.load().task(5).progress == 50
    # and the same file again does nothing
    _, results = ingest(ws, tmp_path / "back.xlsx")
    assert results == []


def test_a_corrected_second_return_of_the_same_export_is_not_a_conflict(ws, plan_repo, tmp_path):
    path, _, _ = export(ws, tmp_path)
    edit_xlsx(path, tmp_path / "v1.xlsx", {("2020-05", "进度(%)"): 40})
    ingest(ws, tmp_path / "v1.xlsx")
    edit_xlsx(path, tmp_path / "v2.xlsx", {("2020-05", "进度(%)"): 45, ("2020-05", "存在问题"): "补充"})
    pl, results = ingest(ws, tmp_path / "v2.xlsx")
    assert not pl.items[0].stale and pl.items[0].conflicts == []
    assert [c.field for c in results[0].changes] == ["progress", "problems"]
    assert ws.load().task(5).progress == 45


def test_a_returned_word_table(ws, plan_repo, tmp_path):
    from docx import Document

    path, _, _ = export(ws, tmp_path, "sl.docx")
    doc = Document(path)
    tbl = doc.tables[0]
    heads = [c.text for c in tbl.rows[0].cells]
    for row in tbl.rows[1:]:
        cells = row.cells
        if cells[0].text == "2020-05":
            cells[heads.index("状态")].text = "推进中"
            cells[heads.index("进度(%)")].text = "30%"
            cells[heads.index("下步打算")].text = "加快施工"
        if cells[0].text == "2020-05.2":
            cells[heads.index("状态")].text = "已完成"
    doc.save(tmp_path / "back.docx")
    pl, results = ingest(ws, tmp_path / "back.docx")
    assert len(results) == 1
    assert [(c.field, c.new) for c in results[0].changes] == [
        ("status", "in_progress"), ("progress", 30), ("next_steps", "加快施工"), ("measures.2.status", "done")]


def test_dry_run_writes_nothing(ws, plan_repo, tmp_path):
    path, _, _ = export(ws, tmp_path)
    edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "进度(%)"): 45})
    n = commit_count(plan_repo)
    r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "back.xlsx"), "--dry-run")
    assert r.returncode == 0 and "进度: 0 → 45" in r.stdout
    assert commit_count(plan_repo) == n and git(plan_repo, "status", "--porcelain") == ""


def test_a_file_not_exported_by_tracker_is_refused(ws, plan_repo, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["编号", "状态", "进度"])
    wb.save(tmp_path / "other.xlsx")
    r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "other.xlsx"))
    assert r.returncode == 2 and "_tracker" in r.stderr
    (tmp_path / "x.xlsx").write_text("not a zip")
    r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "x.xlsx"), "--lang", "en")
    assert r.returncode == 2 and "not an .xlsx" in r.stderr


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_a_file_re_saved_by_libreoffice(ws, plan_repo, tmp_path, suffix):
    path, _, _ = export(ws, tmp_path, f"sl.{suffix}")
    if suffix == "xlsx":
        edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "进度(%)"): 45, ("2020-05", "进展情况"): "两行\n说明"})
    else:
        from docx import Document

        doc = Document(path)
        for row in doc.tables[0].rows[1:]:
            if row.cells[0].text == "2020-05":
                row.cells[7].text = "45"
                row.cells[8].text = "两行\n说明"
        doc.save(tmp_path / "back.docx")
    out = tmp_path / "lo"
    filt = "xlsx:Calc MS Excel 2007 XML" if suffix == "xlsx" else "docx:MS Word 2007 XML"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    filt, "--outdir", str(out), str(tmp_path / f"back.{suffix}")], check=True, capture_output=True,
                   timeout=180)
    pl, results = ingest(ws, out / f"back.{suffix}")
    assert pl.invalid == [] and pl.locked == []
    assert len(results) == 1 and [(c.field, c.new) for c in results[0].changes] == [
        ("progress", 45), ("note", "两行\n说明")]


# -- tracker list --format csv, for Excel ---------------------------------------------------------
def test_list_csv_opens_in_chinese_excel(plan_repo):
    import csv
    import io

    run_cli(plan_repo, "set", "5", "--status", "推进中", "--note", "第一行\n第二行", "--problems", "资金缺口",
            "--next-steps", "加快施工")
    r = run_cli(plan_repo, "list", "--unit", "市水利局", "--format", "csv", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    raw = r.stdout.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:10] == ["编号", "类别", "工作任务", "牵头单位", "责任单位", "状态", "进度(%)", "完成时限", "亮灯",
                                  "序时进度(%)"]
    row = next(x for x in rows if x["编号"] == "2020-05")
    assert (row["状态"], row["进展情况"], row["存在问题"], row["下步打算"]) == ("推进中", "第一行\n第二行", "资金缺口", "加快施工")
    assert row["亮灯"] in ("红灯", "黄灯", "蓝灯", "绿灯", "已完成")
    assert row["措施"] == "1.未启动；2.未启动"
    r = run_cli(plan_repo, "list", "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    row = next(x for x in rows if x["id"] == "2020-05")
    assert (row["status"], row["note"], row["problems"], row["next_steps"]) == ("in_progress", "第一行\n第二行", "资金缺口", "加快施工")


# -- who returned the ledger ---------------------------------------------------------------------
def test_remind_says_which_units_returned_their_ledger(ws, plan_repo, tmp_path):
    r = run_cli(plan_repo, "remind")
    assert "台账报送" not in r.stdout  # no ledger was ever taken back: no ledger lines
    path, _, _ = export(ws, tmp_path)
    edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "进度(%)"): 45})
    ingest(ws, tmp_path / "back.xlsx")
    other, _, _ = export(ws, tmp_path, "nongye.xlsx", unit="市农业农村局")
    pl, results = ingest(ws, other)  # returned unchanged: no commit, still a return
    assert results == []
    r = run_cli(plan_repo, "remind")
    assert r.returncode == 0, r.stderr
    today = dt.date.today()
    assert f"台账报送（{today.replace(day=1).isoformat()} 至 {today.isoformat()}）：已报送 2 个单位" in r.stdout
    assert "  市水利局：" in r.stdout and "back.xlsx（1 个提交）" in r.stdout and "nongye.xlsx（0 个提交）" in r.stdout
    missing = next(ln for ln in r.stdout.splitlines() if ln.startswith("未按要求报送"))
    assert "市发展改革委" in missing and "市水利局" not in missing and "市农业农村局" not in missing
    js = json.loads(run_cli(plan_repo, "remind", "--format", "json").stdout)
    assert sorted(x["unit"] for x in js["ledgers"]["returned"]) == ["市农业农村局", "市水利局"]
    # another month: nobody returned
    js = json.loads(run_cli(plan_repo, "remind", "--as-of", "2020-11-30", "--format", "json").stdout)
    assert js["ledgers"]["returned"] == [] and js["ledgers"]["since"] == "2020-11-01"


def test_a_ledger_of_all_units_needs_the_returning_unit(ws, plan_repo, tmp_path):
    from tracker.ledger.export import export as do_export
    from tracker.model import TrackerError

    path, rows, meta = do_export(ws, tmp_path / "all.xlsx")
    assert len(meta.items) == 60 and meta.unit == ""
    edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "进度(%)"): 45})
    with pytest.raises(TrackerError, match="--unit"):
        ingest(ws, tmp_path / "back.xlsx")
    pl, results = ingest(ws, tmp_path / "back.xlsx", unit="市水利局")
    assert len(results) == 1 and "Tracker-Reported-By: 市水利局\n" in results[0].message


def test_an_english_ledger_round_trips(ws, plan_repo, tmp_path):
    from openpyxl import load_workbook

    path, _, _ = export(ws, tmp_path, lang="en")
    wb = load_workbook(path)
    sh = wb["Ledger"]
    heads = {c.value: c.column_letter for c in sh[3]}
    assert list(heads)[:3] == ["ID", "Category", "Task"]
    for row in sh.iter_rows(min_row=4):
        if row[0].value == "2020-05":
            sh[f"{heads['Status']}{row[0].row}"] = "done"
            sh[f"{heads['Progress (%)']}{row[0].row}"] = 100
        if row[0].value == "2020-04":
            sh[f"{heads['Progress (%)']}{row[0].row}"] = 101
            bad = f"{heads['Progress (%)']}{row[0].row}"
    wb.save(tmp_path / "back.xlsx")
    from tracker.ledger.ingest import plan

    pl = plan(ws, tmp_path / "back.xlsx")
    assert pl.invalid == [f"{bad}: progress 101 is outside 0-100"]
    assert pl.items[0].changes == {"status": "done", "progress": 100}


def test_a_tampered_version_record_is_refused_before_git_sees_it(ws, plan_repo, tmp_path):
    from openpyxl import load_workbook

    path, _, _ = export(ws, tmp_path)
    for field, value, words in (("commit", f"--output={tmp_path}/pwned", "not a commit id"),
                                ("item", "deadbeef\nHEAD", "not a blob id")):
        wb = load_workbook(path)
        rec = wb["_tracker"]
        for row in rec.iter_rows():
            if row[0].value == field:
                (row[1] if field == "commit" else row[3]).value = value
                break
        wb.save(tmp_path / "bad.xlsx")
        r = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "bad.xlsx"), "--lang", "en")
        assert r.returncode == 2 and words in r.stderr, r.stderr
    assert not (tmp_path / "pwned").exists()
