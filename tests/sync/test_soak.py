"""A short run of bench/soak.py (about a minute): offices editing and syncing under SIGKILLs,
faults, racing syncs, offline periods and skewed clocks; the whole trail is then checked."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_short_soak_keeps_the_trail_true():
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py"), "--rounds", "30", "--offices", "3",
                        "--seed", "3", "--kill", "0.3"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    check = next(ln for ln in r.stdout.splitlines() if ln.startswith("check:"))
    assert check == "check: missing 0  untrue 0  wrong_side 0  stuck 0  locks 0"
    stats = next(ln for ln in r.stdout.splitlines() if ln.startswith("edits "))
    assert int(stats.split()[1]) > 5  # it did edit
