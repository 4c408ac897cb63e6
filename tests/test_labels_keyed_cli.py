"""Chinese details for the CLI's, the importer's and the ledger's errors (issue 11 point 3): every
refusal raised in the command modules and the domain modules they lean on (import/init, report,
targets, carry-over, show/set, changes/burnup, the importer, the ledger, actuals, settings,
offices, signing, serve ...) carries a label-book key and its arguments, so `--lang zh` shows
Chinese naming the file/field/value and `--lang en` the English text as it always was (str(err)
stays English).  An argparse `type=` refusal is said in the command line's language too."""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from tests_support import git, make_plan_repo, run_cli

import tracker
from tracker.model import TrackerError

PACKAGE = Path(tracker.__file__).resolve().parent
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")

#: The files of this pass (the core modules are checked by their own tests).
FILES = ["commands/plan.py", "commands/report.py", "commands/targets.py", "commands/carryover.py",
         "commands/tasks.py", "commands/analytics.py", "commands/items.py", "importer/__init__.py",
         "importer/sources.py", "ledger/export.py", "ledger/ingest.py", "ledger/read.py", "ledger/rows.py",
         "actuals.py", "schedule.py", "units.py", "history.py", "model.py", "cycle.py", "lifecycle.py",
         "sourceguard.py", "serve.py", "signing.py", "offices.py"]

#: Raises allowed without key= (each with the reason it never reaches a person untranslated): none.
ALLOWED: dict[tuple[str, int], str] = {}

#: Error classes whose own __init__ supplies the key (checked below by constructing one).
KEYED_BY_INIT = {"OfficesError"}


def _error_names() -> set[str]:
    import importlib
    import pkgutil

    for m in pkgutil.walk_packages([str(PACKAGE)], "tracker."):
        if not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    out, todo = set(), [TrackerError]
    while todo:
        cls = todo.pop()
        out.add(cls.__name__)
        todo += cls.__subclasses__()
    return out


def _unkeyed(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, class) of each `raise X(...)` (also `raise a or X(...)`) of a TrackerError class X
    without key=, and of each argparse.ArgumentTypeError raised directly (type_error() says it
    in the user's language)."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        for call in ast.walk(node.exc):
            if not isinstance(call, ast.Call):
                continue
            fn = call.func
            name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if name == "ArgumentTypeError":
                bad.append((node.lineno, name))
            elif name in names and name not in KEYED_BY_INIT and not any(k.arg == "key" for k in call.keywords):
                bad.append((node.lineno, name))
    return bad


def test_every_raise_in_these_files_carries_a_key():
    names = _error_names()
    assert {"TrackerError", "OfficesError"} <= names
    bad = []
    for rel in FILES:
        for line, name in _unkeyed((PACKAGE / rel).read_text("utf-8"), names):
            if (rel, line) not in ALLOWED:
                bad.append(f"tracker/{rel}:{line}: {name} raised without key=")
    assert not bad, "\n".join(bad)


def test_the_check_sees_a_missing_key():
    names = _error_names()
    src = (PACKAGE / "commands/report.py").read_text("utf-8")
    assert _unkeyed(src, names) == []
    assert _unkeyed(src + '\n\ndef f():\n    raise TrackerError("x")\n', names) == [(src.count("\n") + 4, "TrackerError")]
    assert _unkeyed("def g(e):\n    raise e or TrackerError('x')\n", names) == [(2, "TrackerError")]
    assert _unkeyed("import argparse\nraise argparse.ArgumentTypeError('x')\n", names) == [(2, "ArgumentTypeError")]
    assert _unkeyed("raise TrackerError('x', key='a.b')\n", names) == []


def test_offices_error_is_keyed_by_its_problems():
    from tracker.offices import OfficesError, parse

    with pytest.raises(OfficesError) as err:
        parse("offices:\n- name: 督查室\n  role: unit\n  units: [市水利局]\n  members: [{name: 张三, key: ssh-foo AAAA}]\n")
    e = err.value
    assert e.key == "offices.problems"
    assert str(e).startswith("offices.yaml:5:") and "key type 'ssh-foo' is not supported" in str(e), str(e)
    assert "不支持密钥类型 'ssh-foo'" in e.text("zh") and e.text("en") == str(e), e.text("zh")
    with pytest.raises(OfficesError) as err:
        parse("offices:\n- name: 科室\n  role: unit\n  units: [市水利局]\n  members: []\n")
    assert "no office has role supervisor" in str(err.value) and "没有角色为 supervisor" in err.value.text("zh")
    other = OfficesError([], key="offices.no_supervisor")  # a key of the caller's own
    assert other.key == "offices.no_supervisor" and other.text("zh").startswith("没有角色为 supervisor")


# -- the real CLI, in both languages -------------------------------------------------------------

def both(cwd: Path, *args: str):
    return run_cli(cwd, *args, "--lang", "zh"), run_cli(cwd, *args, "--lang", "en")


def said_zh(r, *words: str) -> str:
    """The refusal in Chinese: exit 2, every word there, and no English sentence left in it (a line
    with three English words in a row and no Chinese; a wrapped list of key types is no sentence)."""
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines and HAN.search(lines[0]), r.stderr
    assert not [ln for ln in lines if ENGLISH.search(ln) and not HAN.search(ln)], r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    return r.stderr


def said_en(r, *words: str) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    return r.stderr


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


def test_import_and_init_refusals(repo, tmp_path):
    src = tmp_path / "notice.txt"
    src.write_text("一、任务\n1. 推进水利工程建设。（牵头单位：市水利局）\n", encoding="utf-8")
    zh, en = both(repo, "import", str(src), "--year", "2020")
    said_zh(zh, "plan/2020 已有计划，不予覆盖", "--year")
    said_en(en, "plan/2020 already holds a plan; refusing to overwrite it (choose another --year, or --out DIR)")
    full = tmp_path / "full"
    full.mkdir()
    (full / "x.txt").write_text("x", encoding="utf-8")
    zh, en = both(tmp_path, "init", str(full))
    said_zh(zh, f"{full} 已存在且不为空")
    said_en(en, f"{full} exists and is not empty; choose a new folder")
    zh, en = both(tmp_path, "init", str(tmp_path / "new"), "--from", str(src))
    said_zh(zh, "需要 --year")
    said_en(en, "tracker init --from SOURCE needs --year YEAR (the plan year)")


def test_importer_refusals_name_the_file(tmp_path):
    empty = tmp_path / "空通知.txt"
    empty.write_bytes(b"   \n")
    zh, en = both(tmp_path, "import", str(empty), "--year", "2024", "--dry-run")
    said_zh(zh, f"{empty}：文件为空")
    said_en(en, f"{empty}: the file is empty")
    zipped = tmp_path / "任务表.txt"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    zh, en = both(tmp_path, "import", str(zipped), "--year", "2024", "--dry-run")
    said_zh(zh, f"{zipped}：这是 zip 容器", "“.txt”")
    said_en(en, f"{zipped}: a zip container (.docx/.xlsx?) with a .txt extension; rename it")
    nothing = tmp_path / "说明.txt"
    nothing.write_text("这是一段没有任务的说明文字，仅供参考。\n" * 3, encoding="utf-8")
    zh, en = both(tmp_path, "import", str(nothing), "--year", "2024", "--dry-run")
    said_zh(zh, "未找到任务", "牵头单位/责任单位")
    said_en(en, "no tasks found (no numbered items with units")


def test_report_and_actual_refusals(repo):
    zh, en = both(repo, "report", "--format", "docx")
    said_zh(zh, "--format docx 输出为文件", "-o bulletin.docx")
    said_en(en, "--format docx writes a file: give -o FILE (e.g. -o bulletin.docx)")
    zh, en = both(repo, "report", "--as-of", "2020-06-01", "--since", "2020-07-01")
    said_zh(zh, "--since 2020-07-01 不早于通报日期 2020-06-01")
    said_en(en, "--since 2020-07-01 is not before the bulletin's date 2020-06-01")
    zh, en = both(repo, "actual", "99", "--period", "2020", "--value", "1")
    said_zh(zh, "没有综合目标 99（计划共有")
    said_en(en, "no overall target 99 (the plan has")
    zh, en = both(repo, "actual", "1", "--period", "2020", "--indicator", "不存在的指标", "--value", "1")
    said_zh(zh, "综合目标 1 没有指标 '不存在的指标'")
    said_en(en, "--indicator: target 1 has no indicator '不存在的指标' (it has: ")


def test_show_set_and_carry_over_refusals(repo):
    zh, en = both(repo, "show", "99")
    said_zh(zh, "plan/2020 中没有任务 2020-99（共有", "tracker list")
    said_en(en, "no task 2020-99 in plan/2020 (it has ", " tasks; tracker list shows them)")
    zh, en = both(repo, "show", "../05")
    said_zh(zh, "不是 2020 年计划的任务编号：'../05'（请用 5、05 或 2020-05）")
    said_en(en, "not a task id of the 2020 plan: '../05' (use 5, 05 or 2020-05)")
    zh, en = both(repo, "show", "T99")
    said_zh(zh, "没有综合目标 T99")
    said_en(en, "no overall target T99 (the plan has ")
    zh, en = both(repo, "set", "5")
    said_zh(zh, "没有要修改的内容", "--progress")
    said_en(en, "nothing to set: give at least one of ")
    zh, en = both(repo, "carry-over", "2020", "2021", "--due", "明年底")
    said_zh(zh, "--due：'明年底' 不是日期", "2021-12-31")
    said_en(en, "--due: '明年底' is not a date; use YYYY-MM-DD, e.g. 2021-12-31")


def test_ledger_refusals_name_the_file(repo, tmp_path):
    zh, en = both(repo, "ledger", "export", "-o", str(tmp_path / "台账.txt"))
    said_zh(zh, f"-o {tmp_path / '台账.txt'}：台账写为 .xlsx")
    said_en(en, "the ledger is written as .xlsx (Excel, WPS) or .docx (Word)")
    zh, en = both(repo, "ledger", "export", "--unit", "不存在的局", "-o", str(tmp_path / "台账.xlsx"))
    said_zh(zh, "--unit '不存在的局'：没有任务写有该单位")
    said_en(en, "--unit '不存在的局': no task names this unit (tracker units lists them)")
    fake = tmp_path / "退回台账.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    zh, en = both(repo, "ledger", "ingest", str(fake))
    said_zh(zh, f"{fake}：不是 .xlsx 或 .docx 文件")
    said_en(en, f"{fake}: not an .xlsx or .docx file (an old .xls/.doc? save it as .xlsx or .docx)")
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["编号", "任务"])
    book = tmp_path / "别的表.xlsx"
    wb.save(book)
    zh, en = both(repo, "ledger", "ingest", str(book))
    said_zh(zh, "别的表.xlsx：缺少隐藏工作表 _tracker", "tracker ledger export")
    said_en(en, "别的表.xlsx: the hidden sheet _tracker (the export's version record) is missing")


def test_offices_and_signing_refusals(repo, tmp_path):
    zh, en = both(repo, "office", "join", "督查室", "--key", str(tmp_path / "id_ed25519"))
    said_zh(zh, "本仓库没有 offices.yaml", "tracker office add")
    said_en(en, "this repository has no offices.yaml: a supervisor adds the offices first")
    (repo / "offices.yaml").write_text("offices:\n- name: 督查室\n  role: supervisor\n  members:\n"
                                       "  - name: 张三\n    key: ssh-foo AAAA\n", encoding="utf-8")
    zh, en = both(repo, "office", "list")
    said_zh(zh, "offices.yaml:6:", "不支持密钥类型 'ssh-foo'")
    said_en(en, "offices.yaml:6:", "key type 'ssh-foo' is not supported")
    (repo / "offices.yaml").unlink()
    zh, en = both(repo, "office", "remove", "水利局办公室")
    said_zh(zh, "offices.yaml：没有名为 '水利局办公室' 的科室")
    said_en(en, "offices.yaml: no office named '水利局办公室' (offices: none)")


def test_an_argparse_type_refusal_in_the_command_lines_language(repo):
    zh, en = both(repo, "list", "--light", "紫灯")
    assert zh.returncode == 2 and "'紫灯' 不是灯色；可选：" in zh.stderr, zh.stderr
    assert en.returncode == 2 and "'紫灯' is not a light; allowed: " in en.stderr, en.stderr
    zh, en = both(repo, "new", "--kind", "批件", "--title", "x")
    assert zh.returncode == 2 and "批件" in zh.stderr and "is not a kind" not in zh.stderr, zh.stderr
    assert en.returncode == 2 and "instruction (批示件)" in en.stderr, en.stderr


def test_errors_said_in_process_keep_their_english():
    """str(err) is the English text, err.text("en") the same, err.text("zh") Chinese naming the value."""
    from tracker.actuals import _err as actual_err
    from tracker.model import parse_task_id
    from tracker.i18n import Words
    from tracker.schedule import Thresholds

    with pytest.raises(TrackerError) as err:
        parse_task_id("五", 2020)
    assert str(err.value) == "not a task id of the 2020 plan: '五' (use 5, 05 or 2020-05)"
    assert err.value.text("zh") == "不是 2020 年计划的任务编号：'五'（请用 5、05 或 2020-05）"
    with pytest.raises(TrackerError) as err:
        Thresholds.from_settings({"red_behind": "三十"}, 2020)
    assert str(err.value) == "plan.yaml: settings.red_behind: '三十' is not a whole number of points (default 30)"
    assert err.value.text("zh").startswith("plan.yaml：settings.red_behind：'三十' 不是整数"), err.value.text("zh")
    e = actual_err("no_actual", indicator="GDP增速", period="2020-Q3", have=Words(()))  # an empty enumeration says "none"
    assert str(e) == "GDP增速 has no actual for 2020-Q3 (it has: none); nothing removed" == e.text("en")


def test_what_init_import_and_a_no_change_edit_report_is_in_the_command_lines_language(tmp_path):
    """The words a command prints once done (not only its refusals): init, import, an edit that
    changes nothing."""
    zh = run_cli(tmp_path, "init", str(tmp_path / "zh"), "--lang", "zh")
    en = run_cli(tmp_path, "init", str(tmp_path / "en"), "--lang", "en")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    assert "已建立 " in zh.stdout and "年计划（提交 " in zh.stdout and "下一步：cd " in zh.stdout, zh.stdout
    assert "created " in en.stdout and "next: cd " in en.stdout, en.stdout
    zh = run_cli(tmp_path / "zh", "set", "5", "--progress", "0", "--lang", "zh")
    en = run_cli(tmp_path / "en", "set", "5", "--progress", "0", "--lang", "en")
    assert zh.stdout.strip() == "2020-05：没有变化，未提交", zh.stdout
    assert en.stdout.strip() == "2020-05: no change; nothing committed", en.stdout
    notice = Path(tracker.__file__).parent / "data" / "notice-2020.txt"
    r = run_cli(tmp_path, "import", str(notice), "--year", "2020", "--out", str(tmp_path / "out"), "--lang", "zh")
    assert r.returncode == 0 and "已向 " in r.stdout and "60 项任务" in r.stdout, r.stdout + r.stderr
