"""One label book (issue 11 point 3): every word the tool says is an entry "area.key" -> (zh, en) of
tracker.i18n.BOOK, looked up with say(); no module outside the book chooses text by comparing the
language; and each area's words reach the Chinese user in Chinese (CLI here, TUI in
tests/tui/test_tui_labels.py)."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

from tests_support import git, make_plan_repo, run_cli

import tracker
from tracker.i18n import BOOK, LANGS, say

PACKAGE = Path(tracker.__file__).resolve().parent

#: The book modules: the only code that may look at the language itself (say/pick/norm_lang/detect_lang).
BOOK_MODULES = {"i18n.py"}

#: FOR NOW ONLY (the lead removes this list after merging): files other helpers were converting
#: to the book at the same time as this test was written (issue 11: the field table, the history
#: index, the app's structure, the resolve race).  Each still holds `lang ==` choices of its own.
NOT_YET_CONVERTED: set[str] = set()


def _import_everything() -> None:
    """Every module registers its area when imported: import them all (never __main__, which runs)."""
    for m in pkgutil.walk_packages([str(PACKAGE)], "tracker."):
        if not m.name.endswith("__main__"):
            importlib.import_module(m.name)


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_and_the_same_fields():
    _import_everything()
    assert len(BOOK) > 400, len(BOOK)  # all areas are in (a module that stops registering shows here)
    bad = []
    for key, pair in BOOK.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, str) and t.strip() for t in pair)):
            bad.append(f"{key}: {pair!r} (needs non-empty zh and en)")
            continue
        zh, en = pair
        # a detail that is itself in a language comes as `x` for zh and `x_en` for en (cycle.not_allowed)
        if _fields(zh) != {f[:-3] if f.endswith("_en") else f for f in _fields(en)}:
            bad.append(f"{key}: fields {sorted(_fields(zh))} in zh, {sorted(_fields(en))} in en")
        if {"key", "lang"} & _fields(zh):  # say(key, lang, **args) takes those names itself
            bad.append(f"{key}: a field named key or lang cannot be passed to say()")
    assert not bad, "\n".join(bad)


def test_every_area_speaks_chinese():
    """Each area has Chinese in its zh column (an area copied from English would not)."""
    _import_everything()
    areas: dict[str, list[str]] = {}
    for key, (zh, _) in BOOK.items():
        areas.setdefault(key.split(".")[0], []).append(zh)
    silent = [a for a, texts in areas.items() if not any(re.search(r"[\u4e00-\u9fff，、；（]", t) for t in texts)]
    assert not silent, silent
    assert {"status", "field", "word", "sep", "tui", "report", "sync", "ledger", "office", "trust", "serve",
            "light", "clock", "scope"} <= set(areas)


def test_the_bindings_carry_both_languages():
    from tracker.bindings import KEYS

    assert all(k.zh.strip() and k.en.strip() for k in KEYS)


def test_say_looks_up_and_formats():
    assert say("status.in_progress", "zh") == "推进中" and say("status.in_progress", "en") == "in progress"
    assert say("status.in_progress", None) == "推进中"  # no language: Chinese, the tool's first language
    assert say("no.such.key", "en") == "no.such.key"
    assert say("sync.task_n", "en", n=3) == "3 tasks"
    assert set(LANGS) == {"zh", "en"}


def _language_comparisons(path: Path, rel: str) -> list[str]:
    """`lang == ...`, `... != "en"`, `x in ("zh", ...)`: a choice of text by language."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = []

    def is_lang(node) -> bool:
        if isinstance(node, ast.Constant) and node.value in LANGS:
            return True
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(is_lang(e) for e in node.elts)
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name in ("lang", "language")

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)) for op in node.ops) \
                    and any(is_lang(s) for s in sides):
                found.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_outside_the_book_chooses_text_by_language():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in BOOK_MODULES or rel in NOT_YET_CONVERTED:
            continue
        found += _language_comparisons(path, rel)
        text = path.read_text("utf-8")  # the brief's plain check too (also in strings built as code)
        found += [f"{rel}: {m.group(0)}" for m in re.finditer(r"\blang\s*[!=]=|[!=]=\s*[\"'](zh|en)[\"']", text)]
    assert not found, "say a book key instead (tracker.i18n.say / join / pick):\n" + "\n".join(found)


def test_the_checker_sees_the_shapes_it_forbids(tmp_path):
    """The check above is not vacuous: it flags each shape that was in the code before the book."""
    p = tmp_path / "probe.py"
    samples = ['x = "a" if lang == "zh" else "b"\n', 'zh = lang != "en"\n', 'w = T["en" if self.lang == "en" else "zh"]\n',
               'y = meta.lang != "en"\n', 'z = d.get("lang") == "en"\n', 'q = lang in ("zh",)\n']
    for s in samples:
        p.write_text(s, "utf-8")
        assert _language_comparisons(p, "probe.py"), s
    p.write_text('x = say("sync.task_n", lang, n=2)\ny = pick((6, 8), lang)\n', "utf-8")
    assert not _language_comparisons(p, "probe.py")


# -- the Chinese user sees Chinese: one CLI output per area -------------------------------------

def _zh(repo: Path, *args: str):
    return run_cli(repo, *args, "--lang", "zh")


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_plan_repo(tmp_path / "office")


def test_office_messages_in_chinese(repo, tmp_path):
    """office: errors and notes that were English-only (issue 11: English details in the Chinese UI)."""
    r = _zh(repo, "office", "list")
    assert r.returncode == 0 and "没有 offices.yaml：不做任何强制检查" in r.stdout, r.stdout
    r = _zh(repo, "office", "add", " ", "--role", "supervisor")
    assert r.returncode == 2 and "科室名称不能为空" in r.stderr and "must not be empty" not in r.stderr, r.stderr
    r = _zh(repo, "office", "add", "水利局办公室", "--role", "unit")
    assert r.returncode == 2 and "单位科室至少代表一个单位" in r.stderr, r.stderr
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key\n", "utf-8")
    r = _zh(repo, "office", "add", "督查室", "--role", "supervisor", "--key", str(bad))
    assert r.returncode == 2 and f"{bad}：" in r.stderr, r.stderr
    r = run_cli(repo, "office", "add", " ", "--role", "supervisor", "--lang", "en")  # English stays as it was
    assert r.returncode == 2 and "tracker: office name must not be empty" in r.stderr, r.stderr


def test_trust_messages_in_chinese(repo):
    r = _zh(repo, "verify")
    assert r.returncode == 0 and "仓库中没有 offices.yaml" in r.stdout, r.stdout
    git(repo, "commit", "-q", "--allow-empty", "-m", "x")
    (repo / "offices.yaml").write_text("offices: []\n", "utf-8")
    git(repo, "add", "offices.yaml")
    git(repo, "commit", "-q", "-m", "offices")
    r = _zh(repo, "verify", "--since", "nonsense")
    assert r.returncode == 2 and "既不是日期" in r.stderr, r.stderr
    r = run_cli(repo, "verify", "--since", "nonsense", "--lang", "en")
    assert "neither a date (YYYY-MM-DD) nor a commit or tag" in r.stderr, r.stderr


def test_sync_and_clock_words_in_chinese(repo, tmp_path):
    r = _zh(repo, "sync")
    assert "此仓库没有远程仓库，无法同步" in r.stdout + r.stderr
    git(repo, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    r = _zh(repo, "sync")  # a headline in Chinese first, then git's own words
    assert r.returncode == 2 and re.search(r"tracker: (同步失败|未同步|未推送)", r.stderr), r.stderr
    r = run_cli(repo, "sync", "--lang", "en")
    assert r.returncode == 2 and not re.search(r"[\u4e00-\u9fff]", r.stderr), r.stderr
    r = _zh(repo, "check", "--history")
    assert "提交时间：正常" in r.stdout, r.stdout


def test_aliases_ledger_and_report_in_chinese(repo, tmp_path):
    r = _zh(repo, "units", "--aliases")
    assert r.returncode == 0 and "规范名称" in r.stdout and "其他写法" in r.stdout, r.stdout
    r = _zh(repo, "ledger", "export", "-o", str(tmp_path / "t.xlsx"))
    assert r.returncode == 0 and "项任务、" in r.stdout and "导出日期" in r.stdout, r.stdout + r.stderr
    r = _zh(repo, "report", "--no-record")
    assert r.returncode == 0 and "督查通报" in r.stdout and "排名规则" in r.stdout, r.stdout[:500]


def test_import_preview_in_chinese(repo, tmp_path):
    src = tmp_path / "notice.txt"
    src.write_text("关于印发2024年重点工作任务分解方案的通知\n一、经济发展类\n1. 地区生产总值增长6%。牵头单位：市发展改革委\n",
                   "utf-8")
    r = _zh(repo, "import", str(src), "--year", "2024", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "原编号" in r.stdout and "牵头单位" in r.stdout and "项任务" in r.stdout, r.stdout


def test_domain_words_in_chinese():
    """offices, permissions, verify, sync headlines, serve, signing: said in Chinese for zh."""
    import tracker.serve  # noqa: F401  (registers its area; the book holds what has been imported)
    import tracker.signing  # noqa: F401
    from tracker.offices import unknown_unit_message
    from tracker.permissions import Denied
    from tracker.sync import label
    from tracker.verify import Finding

    assert "不是计划中的单位" in unknown_unit_message("督查室", "水利厅", ["市水利局"], lang="zh")
    assert "；是否应为：市水利局？" in unknown_unit_message("督查室", "水利厅", ["市水利局"], lang="zh")
    assert "did you mean 市水利局?" in unknown_unit_message("督查室", "水利厅", ["市水利局"], lang="en")
    d = Denied("plan/2020/tasks/01.yaml", "progress", "水利局办公室", "unit-own", "not yours", "不属于本科室")
    assert d.text("zh").endswith("水利局办公室 无权修改（unit-own：不属于本科室）")
    assert str(d) == "plan/2020/tasks/01.yaml: progress: office 水利局办公室 may not change it (unit-own: not yours)"
    assert Denied("p", "w", "o", "r", "only English").text("zh") == "p: w: office o may not change it (r: only English)"
    f = Finding("abc", "unsigned", "the commit is not signed", zh="提交未签名")
    assert f.text("zh") == "提交未签名" and f.text("en") == "the commit is not signed"
    assert label("minutes", "zh", n=5) == "5 分钟"
    assert say("serve.delete", "zh", ref="refs/heads/main").endswith("不允许删除共享分支")
    assert say("signing.as", "zh", member="张三", office="督查室") == "身份：张三（督查室）"
