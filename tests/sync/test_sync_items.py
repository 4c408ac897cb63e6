"""Two offices register a new item each before either has synced: both take the next number.
The sync keeps both, under different numbers: the one not yet pushed moves on (issue 13)."""
from __future__ import annotations

import json

from tests_support import git, run_cli


def _new(repo, title, lead, kind="批示件"):
    r = run_cli(repo, "new", "--kind", kind, "--title", title, "--lead", lead, "--start", "2020-10-01")
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_two_offices_create_items_concurrently_then_sync(offices):
    a, b, _ = offices
    assert _new(a, "张三办：关于水利工程的批示", "市水利局") == "2020-61"
    assert _new(b, "李四办：关于财政资金的会议议定", "市财政局", "会议议定") == "2020-61"
    r = run_cli(b, "set", "61", "--progress", "10", "--note", "已部署")  # an edit of it, also unpushed
    assert r.returncode == 0, r.stderr
    assert run_cli(a, "sync").returncode == 0
    r = run_cli(b, "sync")
    assert r.returncode == 0, r.stderr
    assert "新建事项2020-61改编号为2020-62" in "".join(r.stderr.split())  # said, in the officer's language
    assert run_cli(a, "sync").returncode == 0
    for repo in (a, b):
        items = {t["id"]: t for t in json.loads(run_cli(repo, "list", "--format", "json").stdout)}
        assert items["2020-61"]["title"] == "张三办：关于水利工程的批示" and items["2020-61"]["kind"] == "instruction"
        assert items["2020-62"]["title"] == "李四办：关于财政资金的会议议定" and items["2020-62"]["kind"] == "meeting"
        assert items["2020-62"]["progress"] == 10 and items["2020-62"]["note"] == "已部署"
        assert "conflicts" not in (repo / "plan/2020/tasks/61.yaml").read_text("utf-8")
        assert "number: 62" in (repo / "plan/2020/tasks/62.yaml").read_text("utf-8")
        assert run_cli(repo, "check").returncode == 0
    # every message describes its own diff: the moved item's commits name its new id
    log = git(b, "log", "--format=%s%n%b", "-2")
    assert "2020-61" not in log and log.count("2020-62") >= 2
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")
    # and the next item anywhere takes 63
    assert _new(a, "第三件", "市水利局", "其他") == "2020-63"
