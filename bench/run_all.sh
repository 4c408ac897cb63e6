#!/usr/bin/env bash
# Reproduce every scale figure of docs/scale.md:
#   bash bench/run_all.sh [WORKDIR]        (default /tmp/tracker-bench; ~4 minutes on 2 cores, plus the
#   generated repositories the first time)
#   OLD=SRC bash bench/run_all.sh          (also list and the history index's build, alternated with the
#   code in SRC, e.g. `git archive f09d38e | tar -x -C SRC`: ~5 minutes more)
# Makes two generated repositories with bench/gen_plan.py (10,000 tasks + 2,000 commits, and
# 1,000 tasks + 50,000 commits), then runs each benchmark, each printing its figures beside its
# baseline measured in the same run.  Set PYTHON to choose the interpreter (default: python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
work="${1:-/tmp/tracker-bench}"
mkdir -p "$work"
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), git $(git --version | cut -d' ' -f3), $("$py" -V)"
if [ ! -d "$work/p10k/.git" ]; then "$py" "$here/gen_plan.py" "$work/p10k" --tasks 10000 --commits 2000; fi
if [ ! -d "$work/h50k/.git" ]; then "$py" "$here/gen_plan.py" "$work/h50k" --tasks 1000 --commits 50000; fi
echo; echo "## load (bench_load.py)";      "$py" "$here/bench_load.py" --repo "$work/p10k"
echo; echo "## update (bench_update.py)";  "$py" "$here/bench_update.py" --repo "$work/p10k"
echo; echo "## history (bench_history.py)"; "$py" "$here/bench_history.py" --repo "$work/h50k"
echo; echo "## memory (bench_memory.py)";  "$py" "$here/bench_memory.py" --repo "$work/p10k"
if command -v tmux >/dev/null 2>&1; then
  echo; echo "## keystrokes in a real terminal (bench_tui_keys.py)"; "$py" "$here/bench_tui_keys.py" --repo "$work/p10k"
fi
if [ -n "${OLD:-}" ]; then  # OLD=SRC: an older source tree (git archive REV | tar -x -C SRC), timed side by side
  echo; echo "## list warm and cold against $OLD (bench_ab.py)"; "$py" "$here/bench_ab.py" --old "$OLD" --repo "$work/p10k" --rounds 5
  echo; echo "## the history index's build against $OLD (bench_index_ab.py)"; "$py" "$here/bench_index_ab.py" --old "$OLD" --repo "$work/h50k" --rounds 3
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
