"""The CLI as an officer runs it: the real console entry point in a subprocess, real git repos."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tracker import __version__

from tests_support import ROOT, commit_count, git
from tests_support import run_cli

CONTRACT = {"id", "number", "category", "title", "units", "lead", "status", "progress", "due", "note",
            "problems", "next_steps", "measures", "path"}


def test_version(tmp_path):
    r = run_cli(tmp_path, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"tracker {__version__}"


def test_list_json_contract(plan_repo):
    r = run_cli(plan_repo, "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    tasks = json.loads(r.stdout)
    assert len(tasks) == 60
    assert CONTRACT <= set(tasks[0])
    t5 = next(t for t in tasks if t["id"] == "2020-05")
    assert t5["lead"] == t5["units"][0] == "市水利局"
    assert t5["path"] == "plan/2020/tasks/05.yaml"
    assert t5["measures"][0].keys() >= {"number", "text", "status"}


def test_list_piped_is_plain_tsv(plan_repo):
    r = run_cli(plan_repo, "list", "--category", "农业农村类")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["编号", "类别", "任务"]
    assert all(ln.split("\t")[1] == "农业农村类" for ln in lines[1:])
    assert not any(ch in r.stdout for ch in "┃│━─\x1b")


def test_list_filters_by_status_unit_and_csv(plan_repo):
    run_cli(plan_repo, "set", "5", "--status", "推进中")
    r = run_cli(plan_repo, "list", "--status", "in_progress", "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    assert [row["id"] for row in rows] == ["2020-05"] and rows[0]["status"] == "in_progress"
    r = run_cli(plan_repo, "list", "--unit", "市水利局", "--format", "json")
    assert all(any("市水利局" in u for u in t["units"]) for t in json.loads(r.stdout))
    assert "2020-05" in {t["id"] for t in json.loads(r.stdout)}


@pytest.mark.parametrize("ident", ["5", "05", "2020-05"])
def test_task_id_forms(plan_repo, ident):
    r = run_cli(plan_repo, "show", ident, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["id"] == "2020-05"


@pytest.mark.parametrize("ident, words", [("99", "no task 2020-99"), ("2019-05", "not a task id"),
                                          ("../../x", "not a task id")])
def test_unknown_or_hostile_ids_are_clear_errors(plan_repo, ident, words):
    r = run_cli(plan_repo, "set", ident, "--status", "done", "--force", "--lang", "en")  # zh: Chinese only
    assert r.returncode == 2 and words in r.stderr
    assert "Traceback" not in r.stderr
    assert commit_count(plan_repo) == 1


def test_set_makes_exactly_one_commit_with_only_that_file(plan_repo):
    other = plan_repo / "plan/2020/tasks/09.yaml"
    other.write_text(other.read_text("utf-8") + "# 手工草稿\n", encoding="utf-8")
    r = run_cli(plan_repo, "set", "2020-05", "--status", "in_progress", "--progress", "30",
                "--note", "竺山圩工程已开工", "--measure", "1", "--measure-status", "done")
    assert r.returncode == 0, r.stderr
    assert commit_count(plan_repo) == 2
    assert git(plan_repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/2020/tasks/05.yaml"]
    assert git(plan_repo, "status", "--porcelain").split() == ["M", "plan/2020/tasks/09.yaml"]
    sha = git(plan_repo, "rev-parse", "--short=7", "HEAD").strip()
    assert r.stdout.startswith(f"[{sha}] 2020-05 持续推进重点水利工程建设: ")
    r = run_cli(plan_repo, "set", "5", "--progress", "30", "--lang", "en")
    assert r.returncode == 0 and "no change" in r.stdout and commit_count(plan_repo) == 2


def test_set_invalid_value_names_field_and_allowed_values(plan_repo):
    path = plan_repo / "plan/2020/tasks/05.yaml"
    before = path.read_bytes()
    r = run_cli(plan_repo, "set", "5", "--status", "finished")
    assert r.returncode == 2
    assert "status" in r.stderr and "not_started" in r.stderr and "推进中" in r.stderr
    r = run_cli(plan_repo, "set", "5", "--progress", "101", "--lang", "en")
    assert r.returncode == 2 and "progress" in r.stderr and "0 to 100" in r.stderr
    assert path.read_bytes() == before and commit_count(plan_repo) == 1


def test_set_without_identity_says_how_to_set_it(plan_repo, git_env):
    git_env.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    r = run_cli(plan_repo, "set", "5", "--status", "done", "--force", env={"EMAIL": "", "GIT_AUTHOR_NAME": ""})
    assert r.returncode == 2 and "git config --global user.name" in r.stderr
    assert commit_count(plan_repo) == 1 and git(plan_repo, "status", "--porcelain") == ""


def test_log_reconstructs_field_changes_newest_first(plan_repo):
    env1 = {"GIT_AUTHOR_DATE": "2020-10-05T09:00:00+08:00", "GIT_COMMITTER_DATE": "2020-10-05T09:00:00+08:00"}
    env2 = {"GIT_AUTHOR_DATE": "2020-11-05T09:00:00+08:00", "GIT_COMMITTER_DATE": "2020-11-05T09:00:00+08:00",
            "GIT_AUTHOR_NAME": "张三", "GIT_AUTHOR_EMAIL": "zhangsan@example.gov.cn"}
    import os
    import subprocess

    seed = {"GIT_AUTHOR_DATE": "2020-09-15T09:00:00+08:00", "GIT_COMMITTER_DATE": "2020-09-15T09:00:00+08:00"}
    subprocess.run(["git", "commit", "-q", "--amend", "--no-edit", "--reset-author"], cwd=plan_repo, check=True,
                   env={**os.environ, **seed})  # the seed before the dated edits: a history whose clocks agree
    assert run_cli(plan_repo, "set", "5", "--status", "in_progress", env=env1).returncode == 0
    assert run_cli(plan_repo, "set", "5", "--progress", "60", "--note", "主体完工", env=env2).returncode == 0
    assert run_cli(plan_repo, "set", "6", "--status", "blocked", env=env2).returncode == 0
    r = run_cli(plan_repo, "log", "5", "--format", "json")
    entries = json.loads(r.stdout)
    assert [e["date"][:10] for e in entries][:2] == ["2020-11-05", "2020-10-05"]
    newest = entries[0]
    assert newest["author"] == "张三"
    fields = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert fields["progress"] == (0, 60) and fields["note"] == ("", "主体完工")
    assert {c["field"]: (c["old"], c["new"]) for c in entries[1]["changes"]}["status"] == ("not_started", "in_progress")
    r = run_cli(plan_repo, "log", "--since", "2020-11-01", "--format", "json")
    assert {e["id"] for e in json.loads(r.stdout)} == {"2020-05", "2020-06"}
    r = run_cli(plan_repo, "log", "5")
    assert "进度: 0 → 60" in r.stdout and "张三" in r.stdout


def test_repo_discovery_subdir_flag_and_env(plan_repo, tmp_path):
    sub = plan_repo / "plan" / "2020" / "tasks"
    assert json.loads(run_cli(sub, "show", "5", "--format", "json").stdout)["id"] == "2020-05"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_cli(elsewhere, "list")
    assert r.returncode == 2 and "--repo" in r.stderr
    assert run_cli(elsewhere, "--repo", str(plan_repo), "show", "5").returncode == 0
    assert run_cli(elsewhere, "show", "5", "--repo", str(plan_repo)).returncode == 0
    assert run_cli(elsewhere, "show", "5", env={"TRACKER_REPO": str(plan_repo)}).returncode == 0


def test_newest_plan_or_plan_flag(plan_repo):
    shutil.copytree(plan_repo / "plan/2020", plan_repo / "plan/2021")
    plan = plan_repo / "plan/2021/plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("year: 2020", "year: 2021"), encoding="utf-8")
    r = run_cli(plan_repo, "show", "5", "--format", "json")
    assert json.loads(r.stdout)["id"] == "2021-05"
    r = run_cli(plan_repo, "show", "5", "--plan", "2020", "--format", "json")
    assert json.loads(r.stdout)["id"] == "2020-05"
    r = run_cli(plan_repo, "show", "5", "--plan", "2019")
    assert r.returncode == 2 and "2019" in r.stderr


def test_check_clean_and_broken(plan_repo):
    r = run_cli(plan_repo, "check", "--lang", "en")  # the plan says zh: its words in English here
    assert r.returncode == 0 and "60 tasks" in r.stdout
    p = plan_repo / "plan/2020/tasks/12.yaml"
    p.write_text(p.read_text("utf-8").replace("progress: 0", "progress: high"), encoding="utf-8")
    q = plan_repo / "plan/2020/targets/03.yaml"
    q.write_text(q.read_text("utf-8") + "extra: 1\n", encoding="utf-8")
    r = run_cli(plan_repo, "check")
    assert r.returncode == 1
    assert "plan/2020/tasks/12.yaml:" in r.stdout and "progress" in r.stdout
    assert "plan/2020/targets/03.yaml:" in r.stdout and "extra" in r.stdout
    r = run_cli(plan_repo, "list", "--format", "json")
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 59
    assert "tasks/12.yaml" in r.stderr


def test_targets_and_units(plan_repo):
    targets = json.loads(run_cli(plan_repo, "targets", "--format", "json").stdout)
    assert len(targets) == 10
    gdp = targets[0]["indicators"][0]
    assert gdp["name"] == "地区生产总值增长" and gdp["comparator"] == "at_least" and gdp["value"] == 6.5
    r = run_cli(plan_repo, "actual", "1", "--indicator", "地区生产总值增长", "--period", "2020-Q3", "--value", "5.8")
    assert r.returncode == 0, r.stderr
    targets = json.loads(run_cli(plan_repo, "targets", "--format", "json").stdout)
    assert targets[0]["indicators"][0]["actuals"] == [{"period": "2020-Q3", "value": 5.8, "note": ""}]
    units = {u["unit"]: u for u in json.loads(run_cli(plan_repo, "units", "--format", "json").stdout)}
    assert "2020-05" in units["市水利局"]["leads"]
    assert any(u["co_owns"] for u in units.values())
    assert "市财政局" in units and "财政局" not in units


def test_init_standalone_repository(tmp_path):
    dest = tmp_path / "dc2020"
    r = run_cli(tmp_path, "init", str(dest))
    assert r.returncode == 0, r.stderr
    assert commit_count(dest) == 1
    assert (dest / "plan/2020/tasks/60.yaml").exists()
    assert git(dest, "status", "--porcelain") == ""
    assert run_cli(dest, "check").returncode == 0
    r = run_cli(tmp_path, "init", str(dest), "--lang", "en")
    assert r.returncode == 2 and "not empty" in r.stderr


def test_markup_in_data_is_printed_literally(plan_repo):
    p = plan_repo / "plan/2020/tasks/05.yaml"
    p.write_text(p.read_text("utf-8").replace("title: 持续推进重点水利工程建设", "title: '[bold red]x[/] \\e[31m'"),
                 encoding="utf-8")
    git(plan_repo, "commit", "-qam", "hostile title")
    r = run_cli(plan_repo, "show", "5")
    assert "[bold red]x[/]" in r.stdout and "\x1b" not in r.stdout


def test_readme_cli_reference_names_every_command():
    """The README's CLI table and the parser agree: a new command is documented where users look."""
    from tracker.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("## CLI reference"):readme.index("<!-- section:sync -->")]
    missing = [name for name in sub.choices if f"`tracker {name}" not in table]
    assert not missing, f"commands missing from the README's CLI reference: {missing}"
