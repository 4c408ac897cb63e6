"""Warnings and notes that are not refusals, in the command line's language (issue 11 point 3): the
importer's warnings (`tracker import --dry-run`, where "line 3" too) and the ledger's notes on rows
it did not read (`tracker ledger ingest --dry-run`).  Each is a Said: str() the English it always
was, said in Chinese for a zh run."""
from __future__ import annotations

from tests_support import run_cli

TEXT = ("2024年重点工作分工方案\n一、产业发展\n这一行不属于任何任务\n"
        "1.推进制造业集群建设(市工信局)\n3.推进服务业发展(市商务局)\n"
        "二、民生保障\n1.新建学校5所(市教育局)\n")


def test_import_warnings_in_both_languages(plan_repo, tmp_path):
    from tracker.importer import import_text

    src = tmp_path / "notice.txt"
    src.write_text(TEXT, encoding="utf-8")
    zh = run_cli(plan_repo, "import", str(src), "--year", "2024", "--dry-run", "--lang", "zh")
    en = run_cli(plan_repo, "import", str(src), "--year", "2024", "--dry-run", "--lang", "en")
    assert zh.returncode == en.returncode == 0, zh.stderr + en.stderr
    assert "3 warning(s):" in en.stdout and "line 3: could not place: 这一行不属于任何任务" in en.stdout, en.stdout
    assert "line 5: numbering jumps from 1 to 3" in en.stdout
    assert "3 条提示：" in zh.stdout and "第 3 行: 无法归入任何任务：这一行不属于任何任务" in zh.stdout, zh.stdout
    assert "第 5 行: 编号从 1 跳到 3" in zh.stdout and "编号在新标题下从 1 重新开始" in zh.stdout, zh.stdout
    assert "could not place" not in zh.stdout and "warning(s)" not in zh.stdout
    plan = import_text(TEXT, 2024)
    assert [str(w) for w in plan.warnings][0] == "line 3: could not place: 这一行不属于任何任务"  # str() as always
    assert plan.warnings[0].text("zh") == "第 3 行: 无法归入任何任务：这一行不属于任何任务"


def test_import_task_labels_said_inside_a_warning():
    from tracker.importer import import_text

    plan = import_text("2024年重点工作\n一、产业发展\n1.推进制造业集群建设\n", 2024)
    w = next(w for w in plan.warnings if "no units" in str(w))
    assert str(w) == "line 3: task 1: cut off by the end of the text; flagged incomplete, no units stated", str(w)
    assert w.text("zh") == "第 3 行: 第 1 项任务：被文本结尾截断，已标为不完整，未写明责任单位", w.text("zh")


def test_ledger_notes_in_both_languages(ws, plan_repo, tmp_path):
    from openpyxl import load_workbook

    from tracker.ledger.export import export

    path, _, _ = export(ws, tmp_path / "sl.xlsx", unit="市水利局")
    wb = load_workbook(path)
    sh = wb["台账"]
    row = next(r for r in sh.iter_rows(min_row=4) if r[0].value == "2020-05")
    row[0].value = "五号"
    ref = row[0].coordinate
    wb.save(tmp_path / "back.xlsx")
    zh = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "back.xlsx"), "--dry-run", "--lang", "zh")
    en = run_cli(plan_repo, "ledger", "ingest", str(tmp_path / "back.xlsx"), "--dry-run", "--lang", "en")
    assert zh.returncode == en.returncode == 0, zh.stderr + en.stderr
    assert f"{ref}: 编号 '五号' is not an item id; row not read" in en.stdout, en.stdout
    assert f"{ref}：编号 '五号' 不是事项编号；该行未读取" in zh.stdout, zh.stdout
    assert "row not read" not in zh.stdout


def test_the_systems_reason_in_both_languages(plan_repo, tmp_path):
    """An OSError's reason (strerror) in a refusal: said in Chinese, the English exactly the system's."""
    import errno

    from tracker.i18n import os_words, say

    gone = tmp_path / "missing.xlsx"
    zh = run_cli(plan_repo, "ledger", "ingest", str(gone), "--lang", "zh")
    en = run_cli(plan_repo, "ledger", "ingest", str(gone), "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "无法读取台账（文件或文件夹不存在）" in zh.stderr and "No such file" not in zh.stderr, zh.stderr
    assert "No such file or directory" in en.stderr.replace("\n", " "), en.stderr
    try:
        open(gone)
    except OSError as exc:
        assert str(os_words(exc)) == exc.strerror and say("oserror.ENOENT", "zh") == os_words(exc).text("zh")
    odd = OSError(errno.ENOENT, "Datei nicht gefunden")  # another system's words: kept as written
    assert os_words(odd) == "Datei nicht gefunden" and not hasattr(os_words(odd), "text")
    assert os_words(ValueError("x")) == "x"
