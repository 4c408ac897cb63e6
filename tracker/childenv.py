"""How tracker starts Python children that run in a work tree (the cold load's helper, the history
index's build, git's merge driver).

Threat: the work tree's files come from every office through sync.  `python -m tracker` or
`python -c "import tracker..."` started with the work tree as its current directory puts that
directory first on sys.path, so a `tracker/` folder committed into the plan repository would be
imported and run instead of this code.  Children therefore run with `-P` (Python 3.11: no unsafe
path first) and a PYTHONPATH naming the folder this package was imported from (the same code,
also when it is not installed)."""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

#: the folder holding this `tracker` package
CODE_ROOT = str(Path(__file__).resolve().parent.parent)


def own_code_env() -> dict[str, str]:
    """The environment of a child started with `python -P`: PYTHONPATH names this code first."""
    old = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": CODE_ROOT + (os.pathsep + old if old else "")}


def python_argv(*args: str) -> list[str]:
    """`python -P ARGS...` with this interpreter (pair it with env=own_code_env())."""
    return [sys.executable, "-P", *args]


def shell_command(*args: str) -> str:
    """The same child as one shell command line (git runs a merge driver through the shell):
    `PYTHONPATH=<this code> <python> -P ARGS...`; git's %O-style placeholders pass unquoted."""
    quoted = " ".join(a if a.startswith("%") else shlex.quote(a) for a in args)
    return f"PYTHONPATH={shlex.quote(CODE_ROOT)} {shlex.quote(sys.executable)} -P {quoted}"
