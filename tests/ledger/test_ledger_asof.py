"""`tracker ledger export --as-of DATE`: the values as committed at the end of DATE, that commit
and its blob ids in the version record, so that ingest merges against what the unit was sent."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from tests_support import commit_count, git, make_plan_repo, run_cli

UNIT = "市水利局"


def _dated(monkeypatch, when: str) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


def _ok(r):
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def dated_repo(tmp_path, monkeypatch):
    """The plan committed on 2020-10-01; task 5 updated in October and again in November, task 4 in November."""
    _dated(monkeypatch, "2020-10-01T09:00:00+08:00")
    repo = make_plan_repo(tmp_path / "office")
    _dated(monkeypatch, "2020-10-20T10:00:00+08:00")
    _ok(run_cli(repo, "set", "5", "--status", "推进中", "--progress", "30", "--note", "十月进展"))
    october = git(repo, "rev-parse", "HEAD").strip()
    _dated(monkeypatch, "2020-11-10T10:00:00+08:00")
    _ok(run_cli(repo, "set", "5", "--progress", "60", "--note", "十一月进展"))
    _ok(run_cli(repo, "set", "4", "--problems", "用地指标未落实"))
    return repo, october


def _cells(path, rid: str) -> dict:
    from openpyxl import load_workbook

    sh = load_workbook(path)["台账"]
    heads = [c.value for c in sh[3]]
    row = next(r for r in sh.iter_rows(min_row=4) if r[0].value == rid)
    return {h: c.value for h, c in zip(heads, row)}


def _record(path) -> tuple[dict, dict]:
    from openpyxl import load_workbook

    rec = load_workbook(path)["_tracker"]
    pairs = {r[0].value: r[1].value for r in rec.iter_rows() if r[0].value != "item"}
    items = {r[1].value: r[3].value for r in rec.iter_rows() if r[0].value == "item"}
    return pairs, items


def test_export_as_of_writes_that_days_values_and_version(dated_repo, tmp_path):
    repo, october = dated_repo
    out = tmp_path / "sl-10.xlsx"
    r = _ok(run_cli(repo, "ledger", "export", "--unit", UNIT, "--as-of", "2020-10-31", "-o", str(out)))
    assert f"版本 {october[:7]}，导出日期 2020-10-31" in r.stdout
    five = _cells(out, "2020-05")
    assert (five["状态"], five["进度(%)"], five["进展情况"]) == ("推进中", 30, "十月进展")  # not November's 60
    assert _cells(out, "2020-04")["存在问题"] in (None, "")
    pairs, items = _record(out)
    assert pairs["commit"] == october and pairs["exported"] == "2020-10-31"
    for tid, n in (("2020-05", 5), ("2020-04", 4)):
        assert items[tid] == git(repo, "rev-parse", f"{october}:plan/2020/tasks/{n:02d}.yaml").strip()
    # today's export is unchanged: the work tree's values and HEAD
    _ok(run_cli(repo, "ledger", "export", "--unit", UNIT, "-o", str(tmp_path / "now.xlsx")))
    assert _cells(tmp_path / "now.xlsx", "2020-05")["进度(%)"] == 60
    assert _record(tmp_path / "now.xlsx")[0]["commit"] == git(repo, "rev-parse", "HEAD").strip()
    # the Word table too
    from docx import Document

    _ok(run_cli(repo, "ledger", "export", "--unit", UNIT, "--as-of", "2020-10-31", "-o", str(tmp_path / "sl-10.docx")))
    tbl = Document(tmp_path / "sl-10.docx").tables[0]
    heads = [c.text for c in tbl.rows[0].cells]
    row = next(r for r in tbl.rows[1:] if r.cells[0].text == "2020-05")
    assert (row.cells[heads.index("进度(%)")].text, row.cells[heads.index("进展情况")].text) == ("30", "十月进展")


def test_ingest_of_an_as_of_ledger_merges_against_what_was_sent(dated_repo, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    repo, october = dated_repo
    out = tmp_path / "sl-10.xlsx"
    _ok(run_cli(repo, "ledger", "export", "--unit", UNIT, "--as-of", "2020-10-31", "-o", str(out)))
    wb = load_workbook(out)
    sh = wb["台账"]
    heads = {c.value: c.column_letter for c in sh[3]}
    for row in sh.iter_rows(min_row=4):
        if row[0].value == "2020-05":
            sh[f"{heads['进度(%)']}{row[0].row}"] = 50           # the repository has 60 since: a conflict
            sh[f"{heads['存在问题']}{row[0].row}"] = "资金缺口"   # only the unit: taken
        if row[0].value == "2020-04":
            sh[f"{heads['状态']}{row[0].row}"] = "推进中"        # task 4 changed since, another field: taken
    wb.save(tmp_path / "back.xlsx")
    n = commit_count(repo)
    _dated(monkeypatch, "2020-11-20T10:00:00+08:00")
    r = _ok(run_cli(repo, "ledger", "ingest", str(tmp_path / "back.xlsx")))
    assert commit_count(repo) == n + 2, r.stdout
    from tracker.store import Workspace

    data = Workspace(repo).load()
    five, four = data.task(5), data.task(4)
    assert (five.progress, five.problems, five.note) == (60, "资金缺口", "十一月进展")
    assert (four.status, four.problems) == ("in_progress", "用地指标未落实")
    entries = json.loads(_ok(run_cli(repo, "conflicts", "--format", "json")).stdout)
    assert [e["id"] for e in entries] == ["2020-05"]
    (entry,) = entries[0]["entries"] if "entries" in entries[0] else entries[0]["conflicts"]
    assert entry["field"] == "progress" and entry["base"] == 30
    assert entry["ours"]["value"] == 60 and entry["theirs"]["value"] == 50
    msgs = git(repo, "log", "-2", "--format=%B%x00")
    assert msgs.count("Tracker-Source: 台账 back.xlsx, exported 2020-10-31\n") == 2


def test_export_as_of_before_the_plan_is_a_clear_error(dated_repo, tmp_path):
    repo, _ = dated_repo
    r = run_cli(repo, "ledger", "export", "--unit", UNIT, "--as-of", "2020-09-01", "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "--as-of 2020-09-01" in r.stderr and "2020-10-01" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()
