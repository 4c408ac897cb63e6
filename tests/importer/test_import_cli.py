"""tracker import / init --from on real git repositories in temp dirs; Word and Excel sources
built here with python-docx and openpyxl; bad input exits 2 with nothing written."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests_support import ROOT, commit_count, git, make_plan_repo, run_cli

from fixtures import FLAT_TABLE, PARENS

GENRE = ROOT.parent / "shared" / "genre"


def _src(tmp_path: Path, text: str, name: str = "notice.txt", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_import_adds_a_year_with_one_commit_and_refuses_it_again(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    src = _src(tmp_path, PARENS)
    before = commit_count(repo)
    r = run_cli(repo, "import", str(src), "--year", "2024")
    assert r.returncode == 0, r.stderr
    assert commit_count(repo) == before + 1
    msg = git(repo, "log", "-1", "--format=%B")
    assert "2024" in msg and "notice.txt" in msg and "Tracker-Plan: 2024" in msg
    assert git(repo, "status", "--porcelain") == ""
    r = run_cli(repo, "check", "--plan", "2024")
    assert r.returncode == 0, r.stdout + r.stderr
    tasks = json.loads(run_cli(repo, "list", "--plan", "2024", "--format", "json").stdout)
    assert tasks[1]["leads"] == ["市商务局", "市文化广电和旅游局"] and tasks[3]["leader"] == "张三"
    again = run_cli(repo, "import", str(src), "--year", "2024", "--lang", "en")
    assert again.returncode == 2 and "already holds a plan" in again.stderr
    assert commit_count(repo) == before + 1
    # the bundled plan's files are untouched
    assert git(repo, "diff", "HEAD~1", "--stat", "--", "plan/2020") == ""


def test_init_from_source(tmp_path):
    src = _src(tmp_path, FLAT_TABLE, "plan.txt", "gb18030")  # GB18030 detected
    r = run_cli(tmp_path, "init", str(tmp_path / "new"), "--from", str(src), "--year", "2024")
    assert r.returncode == 0, r.stderr
    new = tmp_path / "new"
    assert commit_count(new) == 1 and "plan.txt" in git(new, "log", "-1", "--format=%B")
    assert (new / "units.yaml").exists() and (new / "plan" / "2024" / "tasks" / "01.yaml").exists()
    assert run_cli(new, "check").returncode == 0


def test_dry_run_writes_nothing_and_lists_warnings(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    src = _src(tmp_path, FLAT_TABLE)
    r = run_cli(repo, "import", str(src), "--year", "2024", "--dry-run", "--lang", "en")  # English words asserted
    assert r.returncode == 0, r.stderr
    assert "地区生产总值增长6%" in r.stdout and "cut off" in r.stdout
    assert not (repo / "plan" / "2024").exists() and commit_count(repo) == 1


def test_metadata_overrides(tmp_path):
    src = _src(tmp_path, PARENS)
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run", "--format", "json",
                "--title", "自定标题", "--doc-no", "X〔2024〕1号", "--issuer", "某办", "--issued", "2024-03-05")
    out = json.loads(r.stdout)
    assert (out["title"], out["document"], out["issuer"], out["issued"]) == ("自定标题", "X〔2024〕1号", "某办", "2024-03-05")


@pytest.mark.parametrize("name, content, needle", [
    ("empty.txt", b"", "empty"),
    ("garbage.txt", bytes(range(256)) * 20, "binary"),
    ("none.txt", "关于某事的通知\n请各单位认真落实。\n".encode(), "no tasks found"),
    ("scan.pdf", b"%PDF-1.4\n%%EOF\n", "PDF"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
])
def test_bad_input_exits_2_naming_the_file(tmp_path, name, content, needle):
    repo = make_plan_repo(tmp_path / "office")
    src = tmp_path / name
    src.write_bytes(content)
    r = run_cli(repo, "import", str(src), "--year", "2024", "--lang", "en")
    assert r.returncode == 2, r.stdout + r.stderr
    assert name in r.stderr and needle in r.stderr
    assert not (repo / "plan" / "2024").exists() and commit_count(repo) == 1


def test_giant_file_refused_quickly(tmp_path):
    src = tmp_path / "big.txt"
    with open(src, "wb") as fh:
        fh.truncate(51 * 1024 * 1024)
    t = time.perf_counter()
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run")
    assert r.returncode == 2 and "50 MB" in r.stderr
    assert time.perf_counter() - t < 10


def test_docx_with_merged_cells_and_repeated_header(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("2024年民生实事项目责任分解表")
    tbl = d.add_table(rows=5, cols=5)
    header = ["序号", "项目名称", "主要内容", "分管领导", "牵头单位"]
    for i, h in enumerate(header):
        tbl.cell(0, i).text = h
    rows = [["1", "老城更新", "完成纪念馆提升工程。", "何某", "文体旅局"],
            ["", "", "推进老街改造。", "芮某", "住建局"],
            header,
            ["2", "养老服务", "提供居家上门服务。", "张某", "民政局"]]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row):
            tbl.cell(r, c).text = v
    tbl.cell(1, 0).merge(tbl.cell(2, 0))
    tbl.cell(1, 1).merge(tbl.cell(2, 1))
    tbl.cell(1, 0).text, tbl.cell(1, 1).text = "1", "老城更新"
    src = tmp_path / "t.docx"
    d.save(str(src))
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)["tasks"]
    assert [t["title"] for t in tasks] == ["老城更新", "老城更新", "养老服务"]  # the merged task cell carries down
    assert [t["units"] for t in tasks] == [["文体旅局"], ["住房和城乡建设局"], ["民政局"]]
    assert [t["leader"] for t in tasks] == ["何某", "芮某", "张某"]


def test_xlsx_header_synonyms_formulas_and_no_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年重点工作台账"])
    ws.append(["编 号", "主要工作\n任务", "主办单位", "协办单位", "时间节点", "牵头领导"])
    ws.append([1, "=SUM(A1:A2)", "市发改委", "市财政局、市统计局等", "2024-06-30", "王某"])
    ws.append([2, "推进数字政府建设<b>", "市数据局", None, "年底前", "李某"])
    src = tmp_path / "l.xlsx"
    wb.save(str(src))
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    t1, t2 = json.loads(r.stdout)["tasks"]
    assert t1["title"] == "=SUM(A1:A2)" and t1["leads"] == ["市发展改革委"] and t1["open_units"]
    assert t1["units"] == ["市发展改革委", "市财政局", "市统计局"] and t1["due"] == "2024-06-30"
    assert t2["title"] == "推进数字政府建设<b>" and t2["leader"] == "李某" and t2["due"] == "2024-12-31"
    wb2 = openpyxl.Workbook()
    wb2.active.append(["名字", "数量"])
    wb2.active.append(["甲", 1])
    bad = tmp_path / "bad.xlsx"
    wb2.save(str(bad))
    r = run_cli(tmp_path, "import", str(bad), "--year", "2024")
    assert r.returncode == 2 and "bad.xlsx" in r.stderr and "header" in r.stderr


def test_genre_accuracy_when_present():
    if not (GENRE / "docs").is_dir():
        pytest.skip("../shared/genre is not on this machine")
    import importlib.util

    spec = importlib.util.spec_from_file_location("import_accuracy", ROOT / "bench" / "import_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows = mod.measure(GENRE)
    found = sum(r["found"] for r in rows)
    lead = sum(r["lead_right"] for r in rows)
    assert found >= 21 and lead >= 16, rows  # the figure in the README; must not regress


HTML = """<!DOCTYPE html><html><head><title>某市人民政府</title><style>p{}</style></head><body>
<div class="nav-menu"><a>首页</a><a>政务公开</a><a>1.导航里的编号</a></div>
<div class="breadcrumb">首页 &gt; 政务公开 &gt; 文件</div>
<div id="content"><h1>关于印发《2024年重点工作分工方案》的通知</h1>
<p>各有关单位:现印发给你们。</p><p>2024年重点工作分工方案</p>
<p>一、产业发展</p>
<p>1.推进制造业集群建设。(牵头单位:市工信局;配合单位:市财政局)</p>
<table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr></table>
<p>2.发展&lt;b&gt;现代服务业&lt;/b&gt;。(牵头单位:市商务局)</p></div>
<div class="footer">版权所有 设为首页</div><script>var x = "1.脚本";</script></body></html>"""


def test_html_body_text_without_navigation(tmp_path):
    src = _src(tmp_path, HTML, "page.html")
    r = run_cli(tmp_path, "import", str(src), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)["tasks"]
    assert [t["title"] for t in tasks] == ["推进制造业集群建设", "发展<b>现代服务业</b>"]  # markup stays text
    assert tasks[0]["units"] == ["市工业和信息化局", "市财政局"]


def test_pdf_with_text_layer_and_scanned_pdf(tmp_path):
    import shutil

    from mkpdf import make_pdf

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "notice.pdf"
    make_pdf(["2024年重点工作分工方案", "一、产业发展", "1.推进制造业集群建设。(牵头单位:市工信局;配合单位:市财政局)",
              "2.加快现代服务业发展(市商务局牵头,市财政局按职责分工负责)"], pdf)
    r = run_cli(tmp_path, "import", str(pdf), "--year", "2024", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)["tasks"]
    assert [t["leads"] for t in tasks] == [["市工业和信息化局"], ["市商务局"]]
    blank = tmp_path / "scan.pdf"
    make_pdf([], blank)
    r = run_cli(tmp_path, "import", str(blank), "--year", "2024", "--dry-run", "--lang", "en")
    assert r.returncode == 2 and "scan.pdf" in r.stderr and "no text layer" in r.stderr


def test_numeric_tasks_are_also_overall_targets(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    src = _src(tmp_path, FLAT_TABLE)
    r = run_cli(repo, "import", str(src), "--year", "2024")
    assert r.returncode == 0, r.stderr
    targets = json.loads(run_cli(repo, "targets", "--plan", "2024", "--format", "json").stdout)
    texts = [t["text"] for t in (targets["targets"] if isinstance(targets, dict) else targets)]
    assert texts == ["地区生产总值增长6%", "固定资产投资增长5%"]
    assert run_cli(repo, "check", "--plan", "2024").returncode == 0


def test_legacy_doc_goes_through_soffice_when_installed(tmp_path):
    """The conversion glue: `soffice --headless --convert-to docx --outdir DIR FILE`, then the .docx
    it wrote is read.  LibreOffice itself is stood in for by a script writing a prepared .docx."""
    docx = pytest.importorskip("docx")
    import os
    import stat

    prepared = tmp_path / "prepared.docx"
    d = docx.Document()
    d.add_paragraph("2024年重点工作分工方案")
    d.add_paragraph("一、产业发展")
    d.add_paragraph("1.推进制造业集群建设。(牵头单位:市工信局;配合单位:市财政局)")
    d.save(str(prepared))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n# args: --headless --convert-to docx --outdir DIR FILE\n"
                    f"[ \"$1\" = --headless ] && [ \"$2\" = --convert-to ] && [ \"$3\" = docx ] || exit 3\n"
                    f"stem=$(basename \"$6\" .doc)\ncp {prepared} \"$5/$stem.docx\"\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    r = run_cli(tmp_path, "import", str(legacy), "--year", "2024", "--dry-run", "--format", "json",
                env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)["tasks"][0]
    assert t["title"] == "推进制造业集群建设" and t["units"] == ["市工业和信息化局", "市财政局"]


@pytest.mark.slow
def test_legacy_doc_converted_by_the_real_libreoffice(tmp_path):
    """A Word 97 .doc made by LibreOffice itself is imported through LibreOffice (skipped where it is absent)."""
    import shutil
    import subprocess

    docx = pytest.importorskip("docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    d = docx.Document()
    d.add_paragraph("某市2025年重点任务分解方案")
    d.add_paragraph("一、扩大有效需求")
    d.add_paragraph("1.推进重大项目建设。(牵头单位:市发改委;配合单位:市财政局、市自然资源局)")
    d.add_paragraph("2.促进消费提质扩容。(牵头单位:市商务局;配合单位:市文旅局)")
    d.save(str(tmp_path / "plan.docx"))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "doc",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "plan.docx")],
                   check=True, capture_output=True, timeout=180)
    legacy = tmp_path / "out" / "plan.doc"
    assert legacy.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # really the old binary format
    r = run_cli(tmp_path, "import", str(legacy), "--year", "2025", "--dry-run", "--format", "json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)["tasks"]
    assert [t["title"] for t in tasks] == ["推进重大项目建设", "促进消费提质扩容"]
    assert tasks[0]["units"] == ["市发展改革委", "市财政局", "市自然资源局"] and tasks[0]["leads"] == ["市发展改革委"]
