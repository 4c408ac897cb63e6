"""A ledger (台账) round trip keeps the cycle's states; a cell cannot take a step of the cycle."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ledger"))

from test_ledger import edit_xlsx, export  # noqa: E402

from tests_support import commit_count, run_cli  # noqa: E402


def _states(ws):
    from tracker.lifecycle import take_step

    take_step(ws, 5, "finish", report="完成", force=True)
    take_step(ws, 5, "close")          # 2020-05 市水利局: 已销号
    take_step(ws, 11, "cancel", reason="调整")


def test_an_unchanged_ledger_keeps_closed_and_cancelled(ws, plan_repo, tmp_path):
    _states(ws)
    for name in ("sl.xlsx", "sl.docx"):
        path, _, _ = export(ws, tmp_path, name)
        n = commit_count(plan_repo)
        r = run_cli(plan_repo, "--lang", "zh", "ledger", "ingest", str(path))
        assert r.returncode == 0, r.stdout + r.stderr
        assert commit_count(plan_repo) == n
    from openpyxl import load_workbook

    path, _, _ = export(ws, tmp_path, "sl.xlsx")
    values = [c.value for row in load_workbook(path)["台账"].iter_rows(min_row=4) for c in row]
    assert "已销号" in values


def test_a_cell_cannot_reopen_or_close_an_item(ws, plan_repo, tmp_path):
    _states(ws)
    path, _, _ = export(ws, tmp_path)
    refs = edit_xlsx(path, tmp_path / "back.xlsx", {("2020-05", "状态"): "推进中"})
    n = commit_count(plan_repo)
    r = run_cli(plan_repo, "--lang", "zh", "ledger", "ingest", str(tmp_path / "back.xlsx"))
    assert r.returncode == 2 and refs[("2020-05", "状态")] in r.stdout and "tracker return" in r.stdout
    assert commit_count(plan_repo) == n
    path, _, _ = export(ws, tmp_path, "two.xlsx")
    edit_xlsx(path, tmp_path / "back2.xlsx", {("2020-04", "状态"): "已销号"})
    r = run_cli(plan_repo, "--lang", "zh", "ledger", "ingest", str(tmp_path / "back2.xlsx"), "--unit", "市水利局")
    assert r.returncode == 2 and "tracker close" in r.stdout
    assert commit_count(plan_repo) == n
