#!/usr/bin/env python3
"""Peak memory (max RSS) at N tasks: each measured process reports its own `ru_maxrss`.

    python bench/bench_memory.py [--tasks 10000] [--commits 200] [--repo PATH]

Makes (or reuses) a generated plan and measures, each in a fresh process: the interpreter alone
(baseline), the `tracker list --format json` process cold (no parse cache) and warm, a save
(`tracker set`), and, in one process, the domain work a TUI start does: load the plan, the "last
change" table and one task's history (the TUI adds its widgets and search index).  Target: <= 200 MB.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen_plan import generate  # noqa: E402

PEAK = "import resource, sys; sys.stderr.write('\\nPEAK_KB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def peak_of(code: str, env: dict | None = None) -> float:
    """MB of peak RSS of a python process running `code`, then reporting itself."""
    p = subprocess.run([sys.executable, "-c", code + "\n" + PEAK], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(p.stderr[-2000:])
    kb = int(p.stderr.rsplit("PEAK_KB=", 1)[1].split()[0])
    return kb / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--repo", type=Path)
    a = ap.parse_args(argv)
    repo = a.repo
    if repo is None:
        repo = Path(tempfile.mkdtemp(prefix="bench-memory-")) / "repo"
        generate(repo, a.tasks, a.commits)
    r = str(repo)
    cli = ("import sys, io; from tracker.cli import main; sys.stdout = io.StringIO(); "
           "rc = main(['--repo', %r, 'list', '--format', 'json']); sys.stdout = sys.__stdout__")
    rows = [
        ("python -c pass (baseline)", peak_of("pass")),
        ("import tracker.cli + tasks commands (baseline)", peak_of("import tracker.cli, tracker.commands.tasks")),
    ]
    for kept in ("cache", "list-json"):  # cold: neither the parse cache nor the stored answer (tracker/listcache.py)
        (repo / ".git" / "tracker" / kept).unlink(missing_ok=True)
    rows.append(("tracker list --format json, cold", peak_of(cli % r)))
    rows.append(("tracker list --format json, warm", peak_of(cli % r)))
    rows.append(("tracker set (one save)", peak_of(
        f"from tracker.cli import main; main(['--repo', {r!r}, 'set', '2', '--progress', '42'])")))
    rows.append(("load + last changes + one history (TUI domain)", peak_of(
        "from tracker.store import Workspace; from tracker.lastchange import last_changes; "
        "from tracker.history import history\n"
        f"ws = Workspace({r!r}); d = ws.load(); lc = last_changes(ws); "
        "h = history(ws, [d.tasks[1].path])")))
    print(f"repo: {repo}")
    for name, mb in rows:
        print(f"{name:52}{mb:>8.0f} MB")
    worst = max(mb for _, mb in rows[2:])
    print(f"target <= 200 MB: {'met' if worst <= 200 else 'NOT met'} (worst {worst:.0f} MB)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")
    sys.exit(main())
