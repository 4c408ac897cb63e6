"""Issue 14: a unit in offices.yaml that is no unit of the plan (a typo gives that office no
rights, silently) is warned about by tracker check and tracker office add, with the closest
plan unit names."""
from __future__ import annotations

from tests_support import make_plan_repo, run_cli
from trust_support import keygen, ok


def test_a_misspelt_office_unit_is_warned_with_the_closest_plan_units(tmp_path):
    repo = make_plan_repo(tmp_path / "r")
    k = keygen(tmp_path / "keys", "w", "王五")
    s = keygen(tmp_path / "keys", "s", "张三")
    z = keygen(tmp_path / "keys", "z", "赵六")
    ok(run_cli(repo, "office", "add", "督查室", "--role", "supervisor", "--key", f"{s}.pub"))
    good = ok(run_cli(repo, "office", "add", "农业农村局办公室", "--role", "unit", "--unit", "市农业农村局",
                      "--key", f"{k}.pub", "--lang", "en"))
    assert "warning" not in good.stderr
    check = run_cli(repo, "check", "--lang", "en")
    assert check.returncode == 0 and "warning" not in check.stdout, check.stdout

    typo = ok(run_cli(repo, "office", "add", "水利局办公室", "--role", "unit", "--unit", "市水力局",
                      "--unit", "市发改委", "--key", f"{z}.pub", "--lang", "en"))
    assert "市水力局" in typo.stderr and "did you mean 市水利局?" in typo.stderr  # added all the same, with a warning
    assert "市发改委" in typo.stderr and "did you mean 市发展改革委?" in typo.stderr  # an abbreviation: the plan's spelling
    check = run_cli(repo, "check", "--lang", "zh")
    assert check.returncode == 0, check.stdout + check.stderr  # a warning, not a problem
    lines = [ln for ln in check.stdout.splitlines() if "offices.yaml" in ln]
    assert len(lines) == 2 and all("水利局办公室" in ln for ln in lines), check.stdout
    assert "市水力局" in lines[0] and "是否应为：市水利局？" in lines[0] and "不会因它获得任何权限" in lines[0]
