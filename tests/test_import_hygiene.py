"""The domain never imports Textual (Harlequin's import-hygiene test).

Every module of the package except the TUI shell (app, screens, widgets, the `tui` command) is
imported in a fresh interpreter; afterwards `textual` must not be in sys.modules.  New modules are
covered automatically because the list is walked, not written down.
"""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import tracker

UI = ("tracker.app", "tracker.screens", "tracker.widgets", "tracker.commands.tui", "tracker.__main__")


def domain_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if not info.name.startswith(UI):
            names.append(info.name)
    return sorted(names)


def test_there_is_a_domain_to_check():
    mods = domain_modules()
    for core in ("tracker.store", "tracker.gitstore", "tracker.yamlio", "tracker.history", "tracker.schedule"):
        assert core in mods


def test_domain_and_cli_never_import_textual():
    code = ("import importlib, sys\n"
            f"for name in {domain_modules()!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"textual imported by the domain: {r.stdout.strip()}"


def test_the_check_can_fail():
    code = "import sys, tracker.app; print('textual' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "True"


def _imports(path) -> set[str]:
    import ast
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_unpickles_anything():
    """Caches under .git/tracker are marshal data of plain tuples: a planted file cannot run code."""
    from pathlib import Path
    root = Path(tracker.__file__).parent
    bad = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if {"pickle", "shelve", "dill"} & _imports(p))
    assert bad == []
