"""Fixtures for the scale and fault tests (helpers live in scale_support.py: a unique module name)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def repo(plan_repo) -> Path:
    """The bundled 2020 plan, committed once, with the parse cache enabled (the default)."""
    return plan_repo
