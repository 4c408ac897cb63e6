"""A repeated `tracker report` with identical inputs reads the kept bulletin (tracker/reportcache.py):
the same bytes as a fresh computation, and every input changed computes it again."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from analytics_history import dated, git

from tracker import reportcache
from tracker.cli import main
from tracker.report import model as report_model

ARGS = ("--as-of", "2020-11-30", "--since", "2020-10-31", "--no-record")


@pytest.fixture
def builds(monkeypatch):
    """How many times the bulletin was computed."""
    calls = []
    real = report_model.build

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(report_model, "build", counting)
    return calls


def report(repo: Path, capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["report", "--repo", str(repo), *args]) == 0
    return capsys.readouterr().out


def kept(repo: Path) -> Path:
    return repo / ".git" / "tracker" / reportcache.FOLDER


def fresh(repo: Path, capsys, *args: str) -> str:
    """The report computed with no cache at all (the folder removed before and after)."""
    shutil.rmtree(kept(repo), ignore_errors=True)
    out = report(repo, capsys, *args)
    shutil.rmtree(kept(repo), ignore_errors=True)
    return out


def test_repeated_md_is_read_back_byte_for_byte(hist_repo, capsys, builds):
    first = report(hist_repo, capsys, *ARGS)
    assert len(builds) == 1 and "督查通报" in first
    again = report(hist_repo, capsys, *ARGS)
    assert len(builds) == 1  # not computed again
    assert again == first
    from tracker.report import build
    from tracker.report.md import render_md
    from tracker.store import Workspace

    direct = render_md(build(Workspace(hist_repo), as_of=dt.date(2020, 11, 30), since=dt.date(2020, 10, 31)))
    assert again == direct == fresh(hist_repo, capsys, *ARGS)


def _docx_text(path: Path) -> list[str]:
    import docx

    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        out += [c.text for row in t.rows for c in row.cells]
    return out


def _xlsx_text(path: Path) -> list:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]


@pytest.mark.parametrize("fmt,text_of", [("docx", _docx_text), ("xlsx", _xlsx_text), ("md", Path.read_bytes),
                                         ("html", Path.read_bytes)])
def test_repeated_file_equals_a_fresh_one(hist_repo, tmp_path, capsys, builds, fmt, text_of):
    out = tmp_path / f"b.{fmt}"
    report(hist_repo, capsys, *ARGS, "-o", str(out))
    first = out.read_bytes()
    out.unlink()
    report(hist_repo, capsys, *ARGS, "-o", str(out))
    assert len(builds) == 1
    assert out.read_bytes() == first  # the kept bytes
    cached = text_of(out)
    shutil.rmtree(kept(hist_repo))
    report(hist_repo, capsys, *ARGS, "-o", str(out))
    assert len(builds) == 2
    assert text_of(out) == cached and cached


def test_the_summary_line_is_the_same_from_the_cache(hist_repo, tmp_path, capsys):
    out = tmp_path / "b.md"
    capsys.readouterr()
    main(["report", "--repo", str(hist_repo), *ARGS, "-o", str(out), "--lang", "en"])
    first = " ".join(capsys.readouterr().err.split())
    main(["report", "--repo", str(hist_repo), *ARGS, "-o", str(out), "--lang", "en"])
    assert " ".join(capsys.readouterr().err.split()) == first and "60 tasks" in first


def _commit_a_change(repo: Path) -> None:
    f = repo / "plan" / "2020" / "tasks" / "05.yaml"
    text = f.read_text("utf-8")
    assert "progress:" in text
    lines = [("progress: 77" if ln.startswith("progress:") else ln) for ln in text.splitlines()]
    f.write_text("\n".join(lines) + "\n", "utf-8")
    with dated("2020-11-20T10:00:00+08:00"):
        git(repo, "commit", "-q", "-am", "task 5: progress 77")


def _tag(repo: Path) -> None:
    sha = git(repo, "rev-list", "-1", "--before=2020-11-10T00:00:00+08:00", "HEAD").strip()
    git(repo, "tag", "bulletin/2020-11-10", sha)


def _units(repo: Path) -> None:
    (repo / "units.yaml").write_text("市农业农村局: [农业农村局]\n", "utf-8")


def _reminders(repo: Path) -> None:
    (repo / "plan" / "2020" / "reminders.yaml").write_text("[]\n", "utf-8")


def _receipts(repo: Path) -> None:
    (repo / ".git" / "tracker" / "ledger-returns.jsonl").write_text(
        '{"unit": "市财政局", "file": "a.xlsx", "digest": "x", "commits": 0, "when": "2020-11-20T10:00:00+08:00"}\n',
        "utf-8")


CHANGES = {"a new commit": (_commit_a_change, True), "a new bulletin tag": (_tag, True),
           "units.yaml": (_units, False), "reminders.yaml": (_reminders, False),
           "the ledger receipts": (_receipts, True)}


@pytest.mark.parametrize("what", list(CHANGES))
def test_each_input_changed_computes_again(hist_repo, capsys, builds, what):
    args = ("--as-of", "2020-11-30", "--no-record")  # --since from the bulletin tags
    before = report(hist_repo, capsys, *args)
    change, shows = CHANGES[what]
    change(hist_repo)
    after = report(hist_repo, capsys, *args)
    assert len(builds) == 2, f"{what} did not invalidate the kept bulletin"
    assert after == fresh(hist_repo, capsys, *args)
    if shows:
        assert after != before


@pytest.mark.parametrize("other", [("--lang", "en"), ("--format", "html"), ("--since", "2020-11-15"),
                                   ("--as-of", "2020-11-29")], ids=["lang", "format", "since", "as_of"])
def test_another_option_is_another_bulletin(hist_repo, capsys, builds, other):
    base = {"--as-of": "2020-11-30", "--since": "2020-10-31", "--format": "md", "--lang": "zh"}
    first = report(hist_repo, capsys, *[x for kv in base.items() for x in kv], "--no-record")
    changed = {**base, other[0]: other[1]}
    argv = [x for kv in changed.items() for x in kv]
    second = report(hist_repo, capsys, *argv, "--no-record")
    assert len(builds) == 2 and second != first
    assert report(hist_repo, capsys, *argv, "--no-record") == second and len(builds) == 2


def test_a_file_and_stdout_are_kept_apart(hist_repo, tmp_path, capsys, builds):
    report(hist_repo, capsys, *ARGS, "-o", str(tmp_path / "b.md"))
    report(hist_repo, capsys, *ARGS)
    assert len(builds) == 2


def test_another_day_computes_again(hist_repo, capsys, builds, monkeypatch):
    report(hist_repo, capsys, *ARGS)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date.today() + dt.timedelta(days=1)

    monkeypatch.setattr(reportcache, "date", Tomorrow)
    report(hist_repo, capsys, *ARGS)
    assert len(builds) == 2


def test_a_code_change_computes_again(hist_repo, capsys, builds, monkeypatch):
    report(hist_repo, capsys, *ARGS)
    stamp = reportcache.code_stamp()
    monkeypatch.setattr(reportcache, "code_stamp", lambda: stamp + "-edited")
    report(hist_repo, capsys, *ARGS)
    assert len(builds) == 2


def test_the_code_stamp_reads_the_package_sources():
    reportcache._STAMP.clear()
    a = reportcache.code_stamp()
    assert a == reportcache.code_stamp() and len(a) == 64


@pytest.mark.parametrize("damage", ["truncated", "body edited", "header garbage", "foreign key", "empty"])
def test_a_damaged_cache_file_is_computed_again(hist_repo, capsys, builds, damage):
    good = report(hist_repo, capsys, *ARGS)
    (f,) = [p for p in kept(hist_repo).iterdir() if not p.name.startswith(".")]
    raw = f.read_bytes()
    head, _, body = raw.partition(b"\n")
    f.write_bytes({"truncated": raw[:-10],
                   "body edited": head + b"\n" + body.replace("督查".encode(), "伪造".encode()),
                   "header garbage": b"\x80\x81 not json\n" + body,
                   "foreign key": head.replace(f.name.encode(), b"0" * 64) + b"\n" + body,
                   "empty": b""}[damage])
    assert report(hist_repo, capsys, *ARGS) == good
    assert len(builds) == 2
    assert report(hist_repo, capsys, *ARGS) == good and len(builds) == 2  # rewritten good


def test_an_unwritable_cache_place_still_reports(hist_repo, capsys, builds):
    report(hist_repo, capsys, *ARGS)  # the other state in .git/tracker exists
    shutil.rmtree(kept(hist_repo))
    kept(hist_repo).write_text("a file where the folder should be\n")
    first = report(hist_repo, capsys, *ARGS)
    second = report(hist_repo, capsys, *ARGS)
    assert first == second and "督查通报" in first
    assert len(builds) == 3  # nothing kept, nothing broken


def test_recording_behaves_as_without_the_cache(hist_repo, capsys, builds):
    report(hist_repo, capsys, "--as-of", "2020-11-30", "--no-record")
    assert not git(hist_repo, "tag", "-l", "bulletin/2020-11-30").strip()
    report(hist_repo, capsys, "--as-of", "2020-11-30")  # same inputs: read back, and recorded
    assert len(builds) == 1
    assert git(hist_repo, "tag", "-l", "bulletin/2020-11-30").strip() == "bulletin/2020-11-30"
    report(hist_repo, capsys, "--as-of", "2020-11-30", "--no-record")  # the new tag is an input
    assert len(builds) == 2


def test_no_commit_yet_is_not_cached(tmp_path):
    from analytics_history import BUNDLED_PLAN

    from tracker.store import Workspace

    shutil.copytree(BUNDLED_PLAN, tmp_path / "plan" / "2020")
    git(tmp_path, "init", "-q", "-b", "main")
    ws = Workspace(tmp_path)
    assert reportcache.report_key(ws, as_of=None, since=None, fmt="md", lang="zh", to_file=False) is None
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "seed")
    assert reportcache.report_key(ws, as_of=None, since=None, fmt="md", lang="zh", to_file=False)


def test_the_folder_keeps_a_bounded_number(hist_repo, capsys, monkeypatch):
    monkeypatch.setattr(reportcache, "KEEP", 2)
    for day in ("2020-11-27", "2020-11-28", "2020-11-29", "2020-11-30"):
        report(hist_repo, capsys, "--as-of", day, "--since", "2020-10-31", "--no-record")
    assert len(list(kept(hist_repo).iterdir())) == 2


def test_another_checkout_computes_again(hist_repo, capsys, builds):
    """HEAD itself is an input, not only the branches: a detached checkout of an older commit."""
    args = ("--as-of", "2020-11-30", "--no-record")
    before = report(hist_repo, capsys, *args)
    old = git(hist_repo, "rev-list", "-1", "--before=2020-11-10T00:00:00+08:00", "HEAD").strip()
    git(hist_repo, "checkout", "-q", "--detach", old)
    after = report(hist_repo, capsys, *args)
    assert len(builds) == 2 and after != before
    assert after == fresh(hist_repo, capsys, *args)


def test_a_linked_worktree_keys_on_the_shared_config(hist_repo, tmp_path, capsys, builds):
    wt = tmp_path / "wt"
    git(hist_repo, "worktree", "add", "-q", "--detach", str(wt))
    report(wt, capsys, *ARGS)
    report(wt, capsys, *ARGS)
    assert len(builds) == 1
    git(wt, "config", "--local", "log.showSignature", "true")  # git log's output changes with it
    report(wt, capsys, *ARGS)
    assert len(builds) == 2
