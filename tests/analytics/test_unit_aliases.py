"""Issue 12 §4: one unit written two ways in different task files is one unit in the ranking,
`tracker units` and the reminders, shown under the plan's own name for it (real repositories)."""
from __future__ import annotations

import json
import re

from tests_support import git, make_plan_repo, run_cli


def _respell(repo, number: int, old: str, new: str) -> None:
    path = repo / "plan" / "2020" / "tasks" / f"{number:02d}.yaml"
    text = path.read_text("utf-8")
    assert f"  - {old}\n" in text
    path.write_text(text.replace(f"  - {old}\n", f"  - {new}\n", 1), "utf-8")
    git(repo, "commit", "-qam", f"task {number}: lead written {new}")


def _json(repo, *args):
    r = run_cli(repo, *args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_two_spellings_of_one_lead_unit_count_as_one(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    before = {u["unit"]: u for u in _json(repo, "units", "--ranking")["units"]}
    led = before["市发展改革委"]["led"]
    assert led >= 3
    _respell(repo, 6, "市发展改革委", "市发改委")  # one office abbreviates, the built-in table knows it

    after = {u["unit"]: u for u in _json(repo, "units", "--ranking")["units"]}
    assert "市发改委" not in after and after["市发展改革委"]["led"] == led  # the plan's most used spelling
    assert set(after) == set(before)

    units = {u["unit"]: u for u in _json(repo, "units")}
    assert "市发改委" not in units and "2020-06" in units["市发展改革委"]["leads"]

    chase = _json(repo, "remind")
    groups = {u["unit"]: [r["id"] for r in u["reminders"]] for u in chase["units"]}
    assert "市发改委" not in groups and "2020-06" in groups["市发展改革委"]
    by_abbrev = _json(repo, "remind", "--unit", "市发改委")
    assert [u["unit"] for u in by_abbrev["units"]] == ["市发展改革委"]
    assert "2020-06" in [r["id"] for r in by_abbrev["units"][0]["reminders"]]


def test_units_yaml_names_the_unit_and_merges_local_names(tmp_path):
    repo = make_plan_repo(tmp_path / "office")
    _respell(repo, 6, "市发展改革委", "市发改委")
    _respell(repo, 7, "市发展改革委", "发改部门")  # a local name only the office's own table knows
    (repo / "units.yaml").write_text("市发展和改革委员会: [市发展改革委, 市发改委, 发改部门]\n", "utf-8")
    git(repo, "add", "units.yaml")
    git(repo, "commit", "-qm", "units.yaml")
    rows = {u["unit"]: u for u in _json(repo, "units", "--ranking")["units"]}
    assert not {"市发改委", "发改部门", "市发展改革委"} & set(rows)
    assert rows["市发展和改革委员会"]["led"] >= 3
    table = run_cli(repo, "units", "--ranking")
    assert table.returncode == 0 and "市发展和改革委员会" in table.stdout and not re.search("发改部门|市发改委", table.stdout)


def test_units_that_are_not_aliases_stay_apart(tmp_path):
    """市发展改革委 and 市发展和改革局 are different bodies in the built-in table: never merged."""
    repo = make_plan_repo(tmp_path / "office")
    _respell(repo, 6, "市发展改革委", "市发展和改革局")
    rows = {u["unit"] for u in _json(repo, "units", "--ranking")["units"]}
    assert {"市发展改革委", "市发展和改革局"} <= rows


def test_ranking_and_reminders_from_a_loaded_plan_use_its_units_yaml(tmp_path):
    """The TUI's ranking screen, its dashboard reminders and the bulletin call unit_ranking /
    reminders with the loaded PlanData only: the repository's units.yaml applies there too."""
    from datetime import date

    from tracker.analytics import reminders, unit_ranking
    from tracker.store import Workspace

    repo = make_plan_repo(tmp_path / "office")
    _respell(repo, 7, "市发展改革委", "发改部门")
    data = Workspace(repo).load()
    assert "发改部门" in {r.unit for r in unit_ranking(data, date(2021, 1, 31))}  # no table says so yet
    (repo / "units.yaml").write_text("市发展改革委: [发改部门]\n", "utf-8")
    git(repo, "add", "units.yaml")
    git(repo, "commit", "-qm", "units.yaml")
    data = Workspace(repo).load()
    rows = {r.unit: r for r in unit_ranking(data, date(2021, 1, 31))}
    assert "发改部门" not in rows and "2020-07" in [r.task.id for r in reminders(data, date(2021, 1, 31))["市发展改革委"]]
