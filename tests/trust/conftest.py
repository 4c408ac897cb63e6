"""Fixtures for the trust tests (offices, signatures, verify, the pre-receive hook)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trust_support import build_world  # noqa: E402

if shutil.which("ssh-keygen") is None:  # pragma: no cover
    pytest.skip("ssh-keygen is needed for the trust tests", allow_module_level=True)


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)
