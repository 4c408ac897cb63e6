"""Import hygiene: the domain never imports Textual (Harlequin's test), and the package's import graph
has no cycle and no upward edge (app -> screens -> widgets -> domain; see the graph tests below).

Every module of the package except the TUI shell (app, screens, widgets, the `tui` command) is
imported in a fresh interpreter; afterwards `textual` must not be in sys.modules.  New modules are
covered automatically because the list is walked, not written down.
"""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

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
    root = Path(tracker.__file__).parent
    bad = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if {"pickle", "shelve", "dill"} & _imports(p))
    assert bad == []


# -- the import graph ------------------------------------------------------------------------
# Built from the source with ast, so lazy imports (inside functions) count as well: a cycle through a
# lazy import is still a cycle in the design, and an upward import hidden in a function is still
# upward.  Layers, from the bottom: the domain (everything below), widgets, screens, the app shell.

ROOT = Path(tracker.__file__).parent

def _modules(root=ROOT, package="tracker") -> dict:
    mods = {}
    for p in sorted(root.rglob("*.py")):
        parts = list(p.with_suffix("").relative_to(root).parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        mods[".".join([package, *parts])] = (p, is_pkg)
    return mods


def import_graph(lazy: bool = True, root=ROOT, package="tracker") -> dict[str, dict[str, set[str]]]:
    """{module: {"tracker": modules of the package it imports, "outside": top-level names it imports}}.
    `from . import x` counts as an import of submodule x; `from .m import name` of module m."""
    import ast

    mods = _modules(root, package)

    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for mod, (path, is_pkg) in mods.items():
        here = mod if is_pkg else mod.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if lazy else tree.body
        inner, outer = set(), set()
        for node in nodes:
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    full = ".".join(base + ([node.module] if node.module else []))
                else:
                    full = node.module or ""
                targets = [f"{full}.{a.name}" if known(f"{full}.{a.name}") == f"{full}.{a.name}" else full
                           for a in node.names]
            else:
                continue
            for t in targets:
                if t == package or t.startswith(package + "."):
                    k = known(t)
                    if k and k != mod:
                        inner.add(k)
                else:
                    outer.add(t)
        graph[mod] = {"tracker": inner, "outside": outer}
    return graph


def cycles(graph: dict) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]["tracker"]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer(mod: str) -> str:
    if mod.startswith("tracker.widgets"):
        return "widgets"
    if mod.startswith("tracker.screens"):
        return "screens"
    if mod.startswith(UI):
        return "shell"  # tracker.app, the `tui` command, __main__
    return "domain"


def test_the_graph_sees_lazy_and_relative_imports():
    g = import_graph()
    assert "tracker.screens.base" in g["tracker.app"]["tracker"]           # from .screens.base import ...
    assert "tracker.app" in g["tracker.commands.tui"]["tracker"]          # lazy, inside a function
    assert "tracker.importer.tables" in g["tracker.importer.text"]["tracker"]  # from . import tables
    assert "textual.app" in g["tracker.app"]["outside"]


def test_no_import_cycles_at_import_time():
    assert cycles(import_graph(lazy=False)) == []


def test_no_import_cycles_even_through_lazy_imports():
    """No cycle at all, lazy imports counted: the store's rooms, the sync and its recovery, the merge,
    the conflicts and the per-field blame import only downwards (tracker.sync_recover, tracker.blame
    and tracker.fieldpath sit below them; the store routes the save's step hook by a callback)."""
    bad = [sorted(c) for c in cycles(import_graph())]
    assert bad == [], f"import cycles: {bad}"


ALLOWED = {"domain": {"domain"}, "widgets": {"domain", "widgets"}, "screens": {"domain", "widgets", "screens"},
           "shell": {"domain", "widgets", "screens", "shell"}}


#: the one way up: the command line dispatches its default command, `tui`, whose module imports the app
DOORS = {("tracker.cli", "tracker.commands.tui")}


def upward_imports(g: dict) -> list[str]:
    return sorted(f"{m} -> {t}" for m, e in g.items() for t in e["tracker"]
                  if layer(t) not in ALLOWED[layer(m)] and (m, t) not in DOORS)


def domain_ui_imports(g: dict) -> list[str]:
    return sorted(f"{m} -> {t}" for m, e in g.items() if layer(m) == "domain" for t in e["outside"]
                  if t == "textual" or t.startswith("textual.") or t in ("rich.live", "rich.progress"))


def test_the_tui_layers_import_only_downwards():
    """Widgets never import screens or the app; screens never import the app; the domain imports no
    part of the TUI (the `tui` command, commands.tui, is the shell's door and imports the app lazily)."""
    assert upward_imports(import_graph()) == []


def test_the_domain_never_imports_textual_or_live_display():
    """Also lazily: the subprocess test above sees only what importing does, not what a function would."""
    assert domain_ui_imports(import_graph()) == []


def test_the_graph_checks_can_fail(tmp_path):
    """The same checks on a planted package: a cycle, a widget importing a screen, a domain module
    importing textual inside a function."""
    pkg = tmp_path / "tracker"
    (pkg / "widgets").mkdir(parents=True)
    (pkg / "screens").mkdir()
    for p in ("__init__.py", "widgets/__init__.py", "screens/__init__.py"):
        (pkg / p).write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from .a import x\n    import textual.app\n")
    (pkg / "widgets" / "w.py").write_text("from ..screens.s import S\n")
    (pkg / "screens" / "s.py").write_text("from tracker.app import T\n")
    (pkg / "app.py").write_text("")
    g = import_graph(root=pkg)
    assert cycles(g) == [{"tracker.a", "tracker.b"}]
    assert cycles(import_graph(lazy=False, root=pkg)) == []
    assert upward_imports(g) == ["tracker.screens.s -> tracker.app", "tracker.widgets.w -> tracker.screens.s"]
    assert domain_ui_imports(g) == ["tracker.b -> textual.app"]


def test_import_linter_contracts_are_kept():
    """The layer contracts in .importlinter, as `lint-imports` checks them (import-linter, a test extra)."""
    import shutil

    import pytest

    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    r = subprocess.run([exe, "--no-cache"], cwd=ROOT.parent, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "3 kept, 0 broken" in r.stdout
