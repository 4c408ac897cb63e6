"""`tracker list --format json` (piped) imports only what it uses: its start is half its time.

At 10,000 tasks a warm `tracker list --format json` is ~0.3 s, of which the imports are ~0.15 s;
Rich alone (console, table, text: ~45 ms) is needed only to draw on a terminal, and the command
modules other than the one registering `list` only for their own commands.  Run in a fresh
interpreter with stdout piped, as a script reading the JSON would run it, first (cold: the parse
cache is built) and again (warm).
"""
from __future__ import annotations

import subprocess
import sys

from tests_support import ROOT

#: never needed to print the plan as JSON
HEAVY = ("rich", "textual", "openpyxl", "docx", "ruamel", "pypinyin")

PROBE = """
import sys
from tracker.cli import main
rc = main(sys.argv[1:])
loaded = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
commands = sorted(m for m in sys.modules if m.startswith('tracker.commands.'))
print('LOADED', ' '.join(loaded), file=sys.stderr)
print('COMMANDS', ' '.join(commands), file=sys.stderr)
sys.exit(rc)
""" % (HEAVY,)


def _run(repo, *args: str) -> tuple[list[str], list[str]]:
    r = subprocess.run([sys.executable, "-c", PROBE, "--repo", str(repo), *args], capture_output=True,
                       text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    lines = dict(line.split(" ", 1) if " " in line else (line, "") for line in r.stderr.splitlines()
                 if line.startswith(("LOADED", "COMMANDS")))
    return lines["LOADED"].split(), lines["COMMANDS"].split()


def test_list_json_piped_loads_no_rich_no_ui_no_office_writers(plan_repo):
    for _ in ("cold", "warm"):
        loaded, commands = _run(plan_repo, "list", "--format", "json")
        assert loaded == []
        # `office list` (a sub-subcommand) does not pull the office module into `tracker list`
        assert "tracker.commands.office" not in commands
        assert "tracker.commands.tasks" in commands


def test_the_probe_sees_rich_when_a_command_draws(plan_repo):
    """The check can fail: `tracker show` draws a Rich grid, so Rich is loaded."""
    loaded, commands = _run(plan_repo, "show", "1")
    assert "rich" in loaded
    loaded, commands = _run(plan_repo, "office", "list")
    assert "tracker.commands.office" in commands
