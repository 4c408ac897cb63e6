"""CLI subcommands, one module per capability.

Each module defines `register(subparsers, common)`, which adds its subcommands with
`set_defaults(func=...)`.  `tracker.cli` discovers the modules here, so a new capability adds
a file and touches nothing shared.  A command function takes the parsed args and returns an
exit code.
"""
import importlib
import pkgutil


def modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{info.name}")
