"""The importer: the notice becomes plan/2020 exactly as committed, with canonical units and dates."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.commands.plan import bundled_notice, import_notice
from tracker.model import TrackerError
from tracker.notice import parse_indicator, parse_notice, stated_dues
from tracker.units import split_units

from tests_support import BUNDLED_PLAN, ROOT

SEED = ROOT.parent / "shared" / "seed" / "000_8c26460259d3c740.txt"


def test_bundled_notice_is_the_seed_text():
    if not SEED.exists():
        pytest.skip("the shared seed is not on this machine")
    assert bundled_notice().strip() == SEED.read_text("utf-8").strip()


def test_reimport_is_byte_identical_to_committed_plan(tmp_path):
    out = tmp_path / "plan" / "2020"
    parsed, written = import_notice(bundled_notice(), 2020, out)
    committed = sorted(p.relative_to(BUNDLED_PLAN) for p in BUNDLED_PLAN.rglob("*.yaml"))
    fresh = sorted(p.relative_to(out) for p in out.rglob("*.yaml"))
    assert fresh == committed
    assert len(committed) == 1 + 10 + 60
    for rel in committed:
        assert (out / rel).read_bytes() == (BUNDLED_PLAN / rel).read_bytes(), rel


def test_counts_and_nothing_unplaced():
    n = parse_notice(bundled_notice(), 2020)
    assert (len(n.targets), len(n.tasks)) == (10, 60)
    assert len(n.categories) == 11 and n.categories[0] == "农业农村类" and n.categories[-1] == "10件民生实事项目"
    assert sum(len(t.measures) for t in n.tasks) == 200
    assert n.unplaced == []
    assert n.document == "宜政发〔2020〕160号" and n.issued == date(2020, 9, 11)
    assert [t.number for t in n.tasks] == list(range(1, 61))


def test_import_refuses_to_overwrite(tmp_path):
    out = tmp_path / "p"
    import_notice(bundled_notice(), 2020, out)
    before = (out / "tasks" / "01.yaml").read_bytes()
    with pytest.raises(TrackerError, match="refusing to overwrite"):
        import_notice(bundled_notice(), 2020, out)
    assert (out / "tasks" / "01.yaml").read_bytes() == before


def test_import_reports_lines_it_cannot_place(tmp_path):
    from tests_support import run_cli

    text = bundled_notice().replace("具体任务分解", "具体任务分解\n这是一行无法归类的文字", 1)
    src = tmp_path / "n.txt"
    src.write_text(text, encoding="utf-8")
    r = run_cli(tmp_path, "import", str(src), "--year", "2020", "--out", str(tmp_path / "out"), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "could not be placed" in r.stdout and "这是一行无法归类的文字" in r.stdout


@pytest.mark.parametrize("text, expected", [
    ("市发展改革委、财政局、税务局", ["市发展改革委", "市财政局", "市税务局"]),
    ("市农业农村局,各相关镇、园区、街道", ["市农业农村局", "各相关镇、园区、街道"]),
    ("宜兴生态环境局、市水利局", ["宜兴生态环境局", "市水利局"]),
    ("宜兴海关、人民银行宜兴市支行", ["宜兴海关", "人民银行宜兴市支行"]),
])
def test_units_are_canonical(text, expected):
    assert split_units(text) == expected


def test_collectives_and_no_prefix_units_in_the_plan():
    n = parse_notice(bundled_notice(), 2020)
    units = {u for t in n.tasks for u in t.units} | {u for t in n.targets for u in t.units}
    assert "市各委办局" in units or "各专委会及牵头部门" in units
    assert "各相关镇、园区、街道" in units
    assert not any(u.startswith("市市") and u != "市市场监管局" for u in units)
    assert not {"财政局", "税务局", "市宜兴生态环境局", "市宜兴海关"} & units
    assert all(u.strip() == u and u for u in units)


@pytest.mark.parametrize("phrase, comparator, value, lo, hi, unit", [
    ("社会消费品零售总额增长8%—8.5%", "range", None, 8, 8.5, "%"),
    ("城镇登记失业率控制在3%以内", "at_most", 3, None, None, "%"),
    ("居民消费价格涨幅控制在省定范围内", "qualitative", None, None, None, ""),
    ("实际使用外资4.5亿美元", "at_least", 4.5, None, None, "亿美元"),
])
def test_indicators(phrase, comparator, value, lo, hi, unit):
    ind = parse_indicator(phrase)
    assert ind.comparator == comparator
    assert (ind.value, ind.min, ind.max, ind.unit) == (value, lo, hi, unit)


def test_due_dates_from_text():
    assert stated_dues("9月交付使用", 2020) == [date(2020, 9, 30)]
    assert stated_dues("年内完工", 2020) == [date(2020, 12, 31)]
    n = parse_notice(bundled_notice(), 2020)
    from tracker.notice import task_due

    dues = {t.number: task_due(t, 2020) for t in n.tasks}
    assert all(date(2020, 1, 1) <= d <= date(2020, 12, 31) for d in dues.values())
    schools = next(m for t in n.tasks for m in t.measures if "9月交付使用" in m.text)
    assert (date(2020, 9, 30), ) == tuple(d for d, clause in schools.milestones if "交付使用" in clause)
    assert schools.due == date(2020, 12, 31)  # the measure ends with 年内完工
