"""Problems of plan files in the user's language (issue 11 point 3): every schema.Problem carries a
label-book key and its arguments, so `tracker check`, sync's refusal and the TUI say "progress: 须在
0 到 100 之间，不能是 150" to a Chinese reader, while str(problem) and the English output stay
byte-for-byte what they were.  The key and arguments survive the parse cache (.git/tracker/cache).

(a) an AST check over every Checker.fail / Problem(...) / problem(...) call site; (b) the real CLI on
a temp-dir copy of the plan with broken files, in both languages; (c) the cache: a keyed problem read
back from it speaks Chinese, an old record is not misread."""
from __future__ import annotations

import ast
import marshal
import re
from pathlib import Path

import pytest

import tracker
from tests_support import git, make_plan_repo, run_cli
import tracker.offices  # noqa: F401 - their book entries
import tracker.schema  # noqa: F401
from tracker.i18n import BOOK

PACKAGE = Path(tracker.__file__).resolve().parent
HAN = re.compile(r"[\u4e00-\u9fff]")
T = "plan/2020/tasks"


def _calls(rel: str):
    tree = ast.parse((PACKAGE / rel).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            yield name, node


def _const(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_every_problem_call_site_carries_a_book_key():
    """Checker.fail(keys, "<entry>", **args) and problem(path, line, col, field, "<entry>", ...) name
    a "schema" entry; a Said passed to fail is a said("<key>") of the book; Problem(...) passes key=.
    A message written as an f-string, or a Problem without key=, fails here."""
    bad, fails, problems = [], 0, 0
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for name, node in _calls(rel):
            where = f"{rel}:{node.lineno}"
            if name == "fail" and len(node.args) >= 2 and rel in ("schema.py", "offices.py"):
                fails += 1
                msg = node.args[1]
                entry = _const(msg)
                if entry is not None:
                    ok = f"schema.{entry}" in BOOK
                elif isinstance(msg, ast.Call) and getattr(msg.func, "id", "") == "said":
                    ok = _const(msg.args[0]) in BOOK
                else:
                    ok = isinstance(msg, ast.Name) and rel == "offices.py"  # a key's own parse error (a Said)
                if not ok:
                    bad.append(f"{where}: fail() without a book entry")
            elif name == "problem" and rel != "schema.py":  # schema's own: fail() passes its checked entry on
                problems += 1
                if f"schema.{_const(node.args[4]) if len(node.args) >= 5 else None}" not in BOOK:
                    bad.append(f"{where}: problem() without a schema entry")
            elif name == "Problem":
                problems += 1
                starred = any(isinstance(a, ast.Starred) for a in node.args)  # cache.decode: the record's own key
                if not starred and not any(k.arg == "key" for k in node.keywords):
                    bad.append(f"{where}: Problem(...) without key=")
    assert not bad, "\n".join(bad)
    assert fails >= 36 and problems >= 18, (fails, problems)  # the walk really saw the call sites


def test_every_schema_entry_is_chinese_and_the_english_is_unchanged():
    from tracker.schema import SCHEMA_WORDS, _Checker, problem

    assert all(HAN.search(zh) for zh, _ in SCHEMA_WORDS.values())
    c = _Checker("plan/2020/tasks/05.yaml", "number: 5\nprogress: 150\n")
    c.int_({"progress": 150}, "progress", [], 0, 100)
    p = c.problems[0]
    assert str(p) == "plan/2020/tasks/05.yaml:2:1: progress: must be from 0 to 100, not 150"
    assert p.text("en") == str(p)
    assert p.text("zh") == "plan/2020/tasks/05.yaml:2:1: progress: 须在 0 到 100 之间，不能是 150"
    c.date_({"due": "2020-02-30"}, "due", [])  # a detail from inputs.parse_date: said again in zh
    assert c.problems[1].message == ("must be a date YYYY-MM-DD: '2020-02-30' is not a date (no such day in the "
                                     "calendar); use YYYY-MM-DD, e.g. 2020-10-31")
    assert c.problems[1].said("zh") == "须为日期 YYYY-MM-DD：'2020-02-30' 不是日期（日历上没有这一天）；请用 YYYY-MM-DD 格式，例如 2020-10-31"
    q = problem("plan/2020/tasks/08.yaml", 1, 1, "number", "file_name", name="08.yaml", number=9, expected="09.yaml")
    assert str(q) == "plan/2020/tasks/08.yaml:1:1: number: file name '08.yaml' does not match the task number 9 (expected 09.yaml)"
    assert q.text("zh") == "plan/2020/tasks/08.yaml:1:1: number: 文件名 '08.yaml' 与任务编号 9 不符（应为 09.yaml）"


def _edit(repo: Path, n: int, old: str, new: str) -> None:
    p = repo / T / f"{n:02d}.yaml"
    text = p.read_text("utf-8")
    assert old in text, (n, old)
    p.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def broken(tmp_path) -> Path:
    """The bundled plan with five files broken by hand: a progress of 150, a date written with
    slashes, an unknown (Chinese) key, a file whose number is another's, malformed YAML."""
    repo = make_plan_repo(tmp_path / "office")
    _edit(repo, 5, "progress: 0", "progress: 150")
    _edit(repo, 6, "due: 2020-12-31", "due: 2020/12/31")
    _edit(repo, 7, "note: ''", "note: ''\n进度说明: 已完成")
    _edit(repo, 8, "number: 8", "number: 9")
    (repo / T / "10.yaml").write_text("number: 10\ntitle: [未闭合\n", "utf-8")
    git(repo, "commit", "-qam", "broken by hand")
    return repo


#: `tracker check --lang en` on the broken plan, as it was before problems had keys (byte for byte)
ENGLISH = [
    "plan/2020/tasks/05.yaml:7:1: progress: must be from 0 to 100, not 150",
    "plan/2020/tasks/06.yaml:10:1: due: must be a date YYYY-MM-DD: '2020/12/31' is not a date; use YYYY-MM-DD, "
    "e.g. 2020-10-31",
    "plan/2020/tasks/07.yaml:14:1: 进度说明: unknown key '进度说明' (allowed: number, category, title, units, status, "
    "progress, due, measures, leads, leader, ref, start, open_units, incomplete, origin, note, problems, next_steps, "
    "kind, urgency, text, acked, finished, report, closed, returns, extensions, cancelled, conflicts)",
    "plan/2020/tasks/08.yaml:1:1: number: file name '08.yaml' does not match the task number 9 (expected 09.yaml)",
    "plan/2020/tasks/10.yaml:3:1: while parsing a flow sequence did not find expected ',' or ']'",
    "5 problem(s) in 5 file(s)",
]

CHINESE = [
    "plan/2020/tasks/05.yaml:7:1: progress: 须在 0 到 100 之间，不能是 150",
    "plan/2020/tasks/06.yaml:10:1: due: 须为日期 YYYY-MM-DD：'2020/12/31' 不是日期；请用 YYYY-MM-DD 格式，例如 2020-10-31",
    "plan/2020/tasks/07.yaml:14:1: 进度说明: 未知的键 '进度说明'（可用的键：number、category、title、units、status、",  # issue 11: a list in zh by 、
    "plan/2020/tasks/08.yaml:1:1: number: 文件名 '08.yaml' 与任务编号 9 不符（应为 09.yaml）",
    "plan/2020/tasks/10.yaml:3:1: YAML 格式错误：读取方括号列表时，",  # issue 11: the parser's words said
    "5 个问题，涉及 5 个文件",
]


def _english_words(line: str) -> bool:
    """A line whose own words are English: the message after file:line:col: field: has no Chinese."""
    return not HAN.search(line.split(": ", 2)[-1]) and bool(re.search(r"[a-z]{3,} [a-z]{3,}", line))


def test_check_says_the_problems_in_both_languages(broken):
    zh = run_cli(broken, "check", "--lang", "zh")
    en = run_cli(broken, "check", "--lang", "en")
    assert en.returncode == 1 and en.stdout.splitlines() == ENGLISH, en.stdout
    assert zh.returncode == 1, zh.stderr
    lines = zh.stdout.splitlines()
    assert len(lines) == len(CHINESE), zh.stdout
    for got, want in zip(lines, CHINESE):
        assert got.startswith(want), (got, want)
    # the YAML parser's own words are quoted after a Chinese head; every other line is Chinese
    assert not [x for x in lines if _english_words(x) and "YAML" not in x], zh.stdout


def _cache(repo: Path) -> tuple:
    return marshal.loads((repo / ".git" / "tracker" / "cache").read_bytes())


def test_a_keyed_problem_read_back_from_the_cache_speaks_chinese(broken):
    first = run_cli(broken, "check", "--lang", "zh")
    context, recs = _cache(broken)
    payload = recs[f"{T}/05.yaml"][2]
    assert payload[0] == "P" and payload[1][0][5] == "schema.out_of_range", payload
    assert payload[1][0][6] == {"lo": 0, "hi": 100, "n": 150}
    # the second run reads the problem from the cache, not the file: a changed argument shows
    rec = recs[f"{T}/05.yaml"]
    p = payload[1][0]
    recs[f"{T}/05.yaml"] = (rec[0], rec[1], ("P", ((*p[:6], {"lo": 0, "hi": 100, "n": 777}),)))
    (broken / ".git" / "tracker" / "cache").write_bytes(marshal.dumps((context, recs)))
    second = run_cli(broken, "check", "--lang", "zh")
    assert "plan/2020/tasks/05.yaml:7:1: progress: 须在 0 到 100 之间，不能是 777" in second.stdout, second.stdout
    assert first.stdout.replace("150", "777") == second.stdout


def test_an_old_problem_record_in_the_cache_is_not_misread(broken):
    from tracker import cache

    run_cli(broken, "check", "--lang", "zh")
    context, recs = _cache(broken)
    assert context[0] == cache.CACHE_VERSION >= 5
    rec = recs[f"{T}/05.yaml"]
    old = ("P", ((f"{T}/05.yaml", 7, 1, "progress", "OLD RECORD"),))  # the layout before problems had keys
    recs[f"{T}/05.yaml"] = (rec[0], rec[1], old)
    (broken / ".git" / "tracker" / "cache").write_bytes(marshal.dumps((context, recs)))
    with pytest.raises(ValueError):
        cache.decode(old)
    again = run_cli(broken, "check", "--lang", "zh")
    assert "OLD RECORD" not in again.stdout and "progress: 须在 0 到 100 之间，不能是 150" in again.stdout, again.stdout


def test_sync_refuses_an_invalid_file_with_the_problem_in_chinese(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    shared = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(shared))
    git(repo, "remote", "add", "origin", str(shared))
    git(repo, "push", "-q", "-u", "origin", "main")
    _edit(repo, 5, "progress: 0", "progress: 150")
    git(repo, "commit", "-qam", "by hand: progress 150")
    zh = run_cli(repo, "sync", "--lang", "zh")
    en = run_cli(repo, "sync", "--lang", "en")
    shown = f"{T}/05.yaml: {T}/05.yaml:7:1: progress:"
    assert zh.returncode == 2 and f"{shown} 须在 0 到 100 之间，不能是 150" in zh.stderr, zh.stderr
    assert "must be from" not in zh.stderr, zh.stderr
    assert en.returncode == 2 and f"{shown} must be from 0 to 100, not 150" in en.stderr, en.stderr
    assert git(shared, "rev-list", "--count", "main").strip() == "1"


def test_the_tui_task_list_says_a_broken_file_s_problem_in_chinese(tmp_path, monkeypatch):
    import sys
    from datetime import date

    sys.path.insert(0, str(Path(__file__).resolve().parent / "tui"))
    from tui_helpers import screen_text, settle, sync  # noqa: E402
    from tracker.app import make_app
    from tracker.store import Workspace

    monkeypatch.setenv("TRACKER_NO_COMMIT_GRAPH", "1")
    repo = make_plan_repo(tmp_path / "office")
    _edit(repo, 7, "progress: 0", "progress: 150")

    @sync
    async def run(lang: str) -> str:
        app = make_app(Workspace(repo), lang=lang, today=date(2020, 10, 15), poll_seconds=None,
                       sync_fetch_every=None, index_history=False)
        async with app.run_test(size=(200, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("l")
            await settle(app, pilot)
            screen = app.screen
            return screen_text(app) + "\n" + "\n".join(c.plain for c in screen.cells("!" + f"{T}/07.yaml"))

    zh, en = run("zh"), run("en")
    assert "progress: 须在 0 到 100 之间，不能是 150" in zh and "must be from" not in zh, zh
    assert "progress: must be from 0 to 100, not 150" in en, en


def test_the_bulletin_lists_a_broken_file_s_problem_in_its_language(broken):
    zh = run_cli(broken, "report", "--lang", "zh", "--no-record")
    en = run_cli(broken, "report", "--lang", "en", "--no-record")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    assert "plan/2020/tasks/05.yaml:7:1: progress: 须在 0 到 100 之间，不能是 150" in zh.stdout, zh.stdout[-3000:]
    assert "must be from 0 to 100" not in zh.stdout
    assert "plan/2020/tasks/05.yaml:7:1: progress: must be from 0 to 100, not 150" in en.stdout


def test_report_says_what_it_wrote_and_the_problems_in_its_language(broken):
    zh = run_cli(broken, "report", "--lang", "zh", "--no-record", "-o", "b-zh.md")
    en = run_cli(broken, "report", "--lang", "en", "--no-record", "-o", "b-en.md")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    assert "tracker: 已写出 b-zh.md（md，" in zh.stderr and "，计划文件中有 5 个问题，列于通报末尾" in zh.stderr, zh.stderr
    assert not [x for x in zh.stderr.splitlines() if _english_words(x)], zh.stderr
    assert "tracker: wrote b-en.md (md, " in en.stderr, en.stderr
    assert "5 problem(s) in the plan files as of " in en.stderr and "; listed at the end of the bulletin" in en.stderr
