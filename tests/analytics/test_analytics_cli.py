"""The analytics commands as an officer runs them (real entry point, real git)."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests_support import run_cli  # noqa: E402

from tracker import analytics as an  # noqa: E402
from tracker.asof import load_as_of  # noqa: E402

CONTRACT = {"id", "number", "category", "title", "units", "lead", "status", "progress", "due", "note",
            "problems", "next_steps", "measures", "path"}


def test_list_light_and_as_of(hist_repo, hws):
    r = run_cli(hist_repo, "list", "--light", "red", "--as-of", "2020-10-31", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    lights = an.lights(load_as_of(hws, date(2020, 10, 31)), date(2020, 10, 31))
    assert {t["number"] for t in rows} == {n for n, v in lights.items() if v == "red"}
    assert all(t["light"] == "red" and CONTRACT <= set(t) for t in rows)
    t2 = next(t for t in rows if t["id"] == "2020-02")
    assert t2["progress"] == 50 and t2["expected"] == 83
    r = run_cli(hist_repo, "list", "--light", "已完成", "--light", "黄灯", "--as-of", "2020-11-30", "--format", "json")
    assert {(t["id"], t["light"]) for t in json.loads(r.stdout)} == {("2020-01", "done"), ("2020-03", "done"),
                                                                     ("2020-02", "yellow")}


def test_list_piped_has_a_light_column(hist_repo):
    r = run_cli(hist_repo, "list", "--category", "农业农村类", "--as-of", "2020-11-30")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["编号", "类别", "任务"] and lines[0].split("\t")[-1] == "亮灯"
    assert lines[1].split("\t")[-1] == "已完成" and lines[2].split("\t")[-1] == "黄灯"
    r = run_cli(hist_repo, "list", "--as-of", "2020-11-30", "--format", "csv", "--lang", "en")
    row = next(csv.DictReader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    assert (row["id"], row["light"], row["expected"]) == ("2020-01", "done", "92")


def test_list_rejects_bad_values(hist_repo):
    r = run_cli(hist_repo, "list", "--light", "purple", "--lang", "en")
    assert r.returncode == 2 and "not a light" in r.stderr and "红灯" in r.stderr
    r = run_cli(hist_repo, "list", "--as-of", "2020-13-01", "--lang", "en")  # the English words; zh: Chinese only
    assert r.returncode == 2 and "not a date" in r.stderr


def test_show_as_of(hist_repo):
    r = run_cli(hist_repo, "show", "1", "--as-of", "2020-10-15", "--format", "json")
    t = json.loads(r.stdout)
    assert (t["progress"], t["note"], t["light"]) == (75, "高标准农田完成2.2万亩", "green")


def test_units_ranking(hist_repo):
    r = run_cli(hist_repo, "units", "--ranking", "--as-of", "2020-11-30", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["as_of"] == "2020-11-30"
    first = out["units"][0]
    assert first == {"unit": "市农业农村局", "led": 4, "done": 2, "green": 0, "yellow": 1, "red": 1, "blue": 0,
                     "overdue": 0, "rate": 0.5, "last_update": "2020-11-20"}
    r = run_cli(hist_repo, "units", "--ranking", "--sort", "led", "--as-of", "2020-11-30")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["名次", "单位", "牵头任务"]
    assert lines[1].split("\t")[1] == "市发展改革委"
    r = run_cli(hist_repo, "units", "--format", "json")  # the plain listing is unchanged
    assert {"unit", "leads", "co_owns"} == set(json.loads(r.stdout)[0])


def test_remind(hist_repo):
    r = run_cli(hist_repo, "remind", "--as-of", "2021-01-03", "--format", "json")
    out = json.loads(r.stdout)
    units = {u["unit"]: u["reminders"] for u in out["units"]}
    agri = {(x["id"], x["reason"]): x["days"] for x in units["市农业农村局"]}
    assert agri[("2020-02", "overdue")] == 3 and agri[("2020-04", "overdue")] == 3
    assert agri[("2020-04", "stale")] == 59
    assert ("2020-01", "overdue") not in agri
    r = run_cli(hist_repo, "remind", "--as-of", "2021-01-03", "--unit", "农业农村")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[0] == "牵头单位" and all(ln.startswith("市农业农村局\t") for ln in lines[1:])
    assert "逾期3天" in r.stdout


def test_changes_command(hist_repo):
    r = run_cli(hist_repo, "changes", "--since", "2020-10-31", "--until", "2020-11-12", "--format", "json")
    out = json.loads(r.stdout)
    got = [(c["id"], c["field"], c["new"], c["author"]) for c in out["changes"]]
    assert got[0] == ("2020-04", "status", "blocked", "督查室 张敏")
    assert ("2020-01", "status", "done", "农业农村局 王芳") in got
    assert not any(c["id"] == "2020-02" for c in out["changes"])  # 10-31 is the baseline; 11-20 is after
    r = run_cli(hist_repo, "changes", "--since", "2020-09-15", "--net")
    assert "2020-01\t进度\t0%\t100%\t农业农村局 王芳" in r.stdout
    r = run_cli(hist_repo, "changes", "--since", "2020-11-30", "--until", "2020-11-01", "--lang", "en")
    assert r.returncode == 2 and "before --since" in r.stderr


def test_report_records_bulletins_and_chains_them(hist_repo, tmp_path):
    r = run_cli(hist_repo, "report", "--as-of", "2020-10-31", "-o", str(tmp_path / "oct.md"))
    assert r.returncode == 0, r.stderr
    assert "2020-01-01 — 2020-10-31" in (tmp_path / "oct.md").read_text("utf-8")
    r = run_cli(hist_repo, "report", "--as-of", "2020-11-30", "-o", str(tmp_path / "nov.docx"), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "changes since 2020-10-31" in r.stderr.replace("\n", " ")
    from docx import Document

    body = "\n".join(p.text for p in Document(tmp_path / "nov.docx").paragraphs)
    assert "2020-11-01 — 2020-11-30" in body
    r = run_cli(hist_repo, "changes", "--until", "2020-12-31", "--format", "json")
    assert json.loads(r.stdout)["since"] == "2020-11-30"
    r = run_cli(hist_repo, "report", "--as-of", "2020-11-30", "--format", "xlsx", "--lang", "en")
    assert r.returncode == 2 and "-o FILE" in r.stderr
    r = run_cli(hist_repo, "report", "--as-of", "2020-11-30", "--no-record", "--format", "html")
    assert r.stdout.startswith("<!DOCTYPE html>")


def test_burnup_command(hist_repo):
    r = run_cli(hist_repo, "burnup", "--from", "2020-09-01", "--as-of", "2020-12-01", "--step", "30", "--format", "json")
    pts = json.loads(r.stdout)
    assert [p["day"] for p in pts] == ["2020-09-01", "2020-10-01", "2020-10-31", "2020-11-30", "2020-12-01"]
    assert [p["done"] for p in pts] == [0, 0, 1, 2, 2]
    assert pts[0]["total"] == 0 and pts[1]["total"] == 60


def test_report_language_follows_lang_then_plan(hist_repo, tmp_path):
    r = run_cli(hist_repo, "report", "--as-of", "2020-11-30", "--no-record", "--lang", "en")
    assert r.stdout.startswith("# ") and "Supervision bulletin" in r.stdout.splitlines()[0]
    r = run_cli(hist_repo, "report", "--as-of", "2020-11-30", "--no-record", env={"LANG": "en_US.UTF-8"})
    assert "督查通报" in r.stdout.splitlines()[0]  # the plan says zh; the locale does not override it
