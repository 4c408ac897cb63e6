"""Keep the audit trail true: offices editing and syncing under faults, then a check of the whole trail.

    python bench/soak.py --rounds 500 [--offices 4] [--seed 1] [--kill 0.25]

Three or four offices (clones of one bare remote) run the real `tracker` CLI: random edits of task
fields, measures and target actuals, resolves of recorded conflicts, syncs (some racing each
other, some SIGKILLed at a random moment, some killed by the `sync-index` fault between the index
and the branch move), `tracker set` SIGKILLed at random, offices going offline for a while, and
each office's clock skewed (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE: one hours fast, one days slow).
At the end every office comes back online and syncs until all agree, and the shared history is
checked:

  missing    an edit (a command that exited 0) neither in any commit's diff by its author, nor a
             recorded conflict side of its author, nor named by its author's commit as the same
             as another's (Tracker-Same-As) or as a resolve that did not take
  untrue     a tracker commit whose message does not describe its own diff (tracker.audit)
  wrong_side a recorded conflict side naming someone who never set that value
  stuck      a clone not at the shared head, with staged or modified files, or mid-operation
  locks      a *.lock file left in a clone's .git or in the shared repository

It prints those counts (the target is 0 in every column) and exits 1 when one is not 0.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.audit import audit_commits  # noqa: E402
from tracker.changes import diff_records  # noqa: E402
from tracker.commitmsg import trailers  # noqa: E402
from tracker.merge import values_of  # noqa: E402
from tracker.store import Workspace  # noqa: E402
from tracker.yamlio import fast_load  # noqa: E402

NAMES = ["甲科室", "乙科室", "丙科室", "丁科室"]
SKEW = [0, 3 * 3600, -5 * 86400, -40 * 60]  # seconds each office's clock is off
TASKS = [3, 4, 5, 6]
STATUSES = ["not_started", "in_progress", "done", "blocked"]


def git(cwd: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check).stdout


def h(v):
    """A value as a set member (lists and mappings as JSON)."""
    try:
        hash(v)
        return v
    except TypeError:
        return json.dumps(v, ensure_ascii=False, sort_keys=True)


def trailer_path(tr: dict) -> str | None:
    if "Tracker-Task" in tr:
        year, _, n = tr["Tracker-Task"].partition("-")
        return f"plan/{year}/tasks/{int(n):02d}.yaml" if n.isdigit() else None
    if "Tracker-Target" in tr:
        year, _, n = tr["Tracker-Target"].partition("-T")
        return f"plan/{year}/targets/{int(n):02d}.yaml" if n.isdigit() else None
    return None


def field_key(field: str) -> str:
    return field[:-6] if field.endswith(".value") else field


class Soak:
    def __init__(self, work: Path, offices: int, seed: int, kill: float, verbose: bool):
        self.work, self.rng, self.kill, self.verbose = work, random.Random(seed), kill, verbose
        seed_repo = work / "seed"
        shutil.copytree(ROOT / "plan" / "2020", seed_repo / "plan" / "2020")
        git(work, "init", "-q", "-b", "main", str(seed_repo))
        git(seed_repo, "config", "user.name", "种子")
        git(seed_repo, "config", "user.email", "seed@example.gov.cn")
        git(seed_repo, "add", "-A")
        git(seed_repo, "commit", "-q", "-m", "seed: the 2020 plan")
        self.remote = work / "remote.git"
        git(work, "clone", "-q", "--bare", str(seed_repo), str(self.remote))
        self.clones = []
        for i in range(offices):
            d = work / f"office{i}"
            git(work, "clone", "-q", str(self.remote), str(d))
            git(d, "config", "user.name", NAMES[i])
            git(d, "config", "user.email", f"office{i}@example.gov.cn")
            self.clones.append(d)
        self.targets = []
        for p in sorted((seed_repo / "plan" / "2020" / "targets").glob("*.yaml")):
            data = fast_load(p.read_text("utf-8"), str(p))
            inds = data.get("indicators") or []
            if len(inds) == 1 and isinstance(inds[0], dict):
                self.targets.append((int(data["number"]), str(inds[0]["name"])))
        self.targets = self.targets[:2]
        self.edits: list[tuple] = []  # (author, path, field, value): commands that exited 0
        self.attempts: set[tuple] = set()  # every edit tried, killed or not (a killed save may still land)
        self.offline = [0] * offices
        self.stats = {"edits": 0, "resolves": 0, "syncs": 0, "killed_syncs": 0, "killed_sets": 0, "fault_index": 0,
                      "racing": 0, "failed_syncs": 0, "offline_rounds": 0}
        self.token = 0

    # -- running the CLI --------------------------------------------------------------------
    def env(self, i: int, extra: dict | None = None) -> dict:
        when = f"@{int(time.time()) + SKEW[i % len(SKEW)]} +0800"
        return {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "COLUMNS": "200",
                "PYTHONPATH": str(ROOT), **(extra or {})}

    def start(self, i: int, *args: str, extra: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "tracker", *args], cwd=self.clones[i], env=self.env(i, extra),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, i: int, *args: str, kill_after: float | None = None, extra: dict | None = None) -> tuple[int | None, str]:
        p = self.start(i, *args, extra=extra)
        if kill_after is not None:
            try:
                out, err = p.communicate(timeout=kill_after)
                return p.returncode, out + err
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.communicate()
                return None, "killed"
        out, err = p.communicate(timeout=300)
        if self.verbose and p.returncode:
            print(f"  office{i} {' '.join(args)} -> {p.returncode}: {err.strip()[:300]}")
        return p.returncode, out + err

    # -- actions ------------------------------------------------------------------------------
    def edit(self, i: int) -> None:
        author = NAMES[i]
        kill = self.kill_after()
        kind = self.rng.choice(["status", "progress", "note", "measure", "actual"])
        self.token += 1
        if kind == "actual" and self.targets:
            num, ind = self.rng.choice(self.targets)
            period = self.rng.choice(["2020-09", "2020-10"])
            value = float(self.rng.randint(1, 10_000)) + self.token / 1000
            path, field = f"plan/2020/targets/{num:02d}.yaml", f"indicators.{ind}.actuals.{period}"
            args = ["actual", str(num), "--period", period, "--value", str(value)]
        else:
            n = self.rng.choice(TASKS)
            path = f"plan/2020/tasks/{n:02d}.yaml"
            cur = fast_load((self.clones[i] / path).read_text("utf-8"), path)
            if kind == "status":
                value = self.rng.choice([s for s in STATUSES if s != cur.get("status")])
                field, args = "status", ["set", str(n), "--status", value]
            elif kind == "progress":
                value = self.rng.choice([v for v in range(0, 101, 5) if v != cur.get("progress")])
                field, args = "progress", ["set", str(n), "--progress", str(value)]
            elif kind == "measure" and cur.get("measures"):
                m = self.rng.choice(cur["measures"])
                value = self.rng.choice([s for s in STATUSES if s != m.get("status")])
                field = f"measures.{m['number']}.status"
                args = ["set", str(n), "--measure", str(m["number"]), "--measure-status", value]
            else:
                value = f"{author}进展{self.token}"
                field, args = "note", ["set", str(n), "--note", value]
        self.attempts.add((author, path, field, value))
        rc, out = self.run(i, *args, kill_after=kill)
        if rc is None:
            self.stats["killed_sets"] += 1
        elif rc == 0:
            self.stats["edits"] += 1
            self.edits.append((author, path, field, value))

    def resolve(self, i: int) -> bool:
        rc, out = self.run(i, "conflicts", "--format", "json")
        try:
            items = json.loads(out[out.index("["):]) if rc == 0 else []
        except ValueError:
            items = []
        if not items:
            return False
        fc = self.rng.choice(items)
        entry = self.rng.choice(fc["conflicts"])
        take = self.rng.choice(["ours", "theirs"])
        value = (entry.get(take) or {}).get("value")
        self.attempts.add((NAMES[i], fc["path"], field_key(entry["field"]), h(value)))
        rc, _ = self.run(i, "resolve", fc["id"], "--field", entry["field"], "--take", take, kill_after=self.kill_after())
        if rc == 0:
            self.stats["resolves"] += 1
            self.edits.append((NAMES[i], fc["path"], "@resolve:" + field_key(entry["field"]), h(value)))
        elif rc is None:
            self.stats["killed_sets"] += 1
        return True

    def kill_after(self) -> float | None:
        return self.rng.uniform(0.05, 0.9) if self.rng.random() < self.kill else None

    def sync(self, offices: list[int]) -> None:
        procs = []
        for i in offices:
            extra = None
            if self.rng.random() < self.kill / 5:
                extra = {"TRACKER_FAULT": "sync-index"}
                self.stats["fault_index"] += 1
            procs.append((i, self.start(i, "sync", extra=extra), self.kill_after(), time.monotonic()))
        if len(procs) > 1:
            self.stats["racing"] += 1
        for i, p, kill, t0 in procs:
            self.stats["syncs"] += 1
            try:
                timeout = None if kill is None else max(0.0, kill - (time.monotonic() - t0))
                _out, err = p.communicate(timeout=timeout if timeout is not None else 300)
                if p.returncode == -signal.SIGKILL:  # the sync-index fault killed itself
                    pass
                elif p.returncode:
                    self.stats["failed_syncs"] += 1
                    if self.verbose:
                        print(f"  office{i} sync -> {p.returncode}: {err.strip()[-300:]}")
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.communicate()
                self.stats["killed_syncs"] += 1

    # -- the soak ---------------------------------------------------------------------------
    def round(self) -> None:
        n = len(self.clones)
        for i in range(n):
            if self.offline[i]:
                self.offline[i] -= 1
                self.stats["offline_rounds"] += 1
        i = self.rng.randrange(n)
        r = self.rng.random()
        if r < 0.55:
            self.edit(i)
        elif r < 0.65:
            if not self.resolve(i):
                self.edit(i)
        elif r < 0.70:
            self.offline[i] = self.rng.randint(3, 12)
        else:
            online = [k for k in range(n) if not self.offline[k]]
            if online:
                self.sync(self.rng.sample(online, k=min(len(online), self.rng.choice([1, 1, 2, 3]))))

    def settle(self) -> None:
        self.offline = [0] * len(self.clones)
        for _ in range(6):
            for i in range(len(self.clones)):
                self.run(i, "sync")
            remote_head = git(self.remote, "rev-parse", "main").strip()
            if all(git(c, "rev-parse", "HEAD").strip() == remote_head for c in self.clones):
                break

    # -- the checks -------------------------------------------------------------------------
    def check(self) -> dict:
        ws = Workspace(self.clones[0])
        g = ws.git
        log = g.run("log", "--format=%x1e%H%x1f%P%x1f%an%x1f%B%x1f", "--name-only", "--no-renames", "main")
        commits = []
        for chunk in log.split("\x1e")[1:]:
            sha, parents, author, msg, files = chunk.split("\x1f", 4)
            commits.append((sha, parents.split(), author, msg, [p.strip() for p in files.split("\n") if p.strip().startswith("plan/")]))
        wanted = [f"{s}:{p}" for s, _pp, _a, _m, ps in commits for p in ps] + \
                 [f"{pp[0]}:{p}" for _s, pp, _a, _m, ps in commits if pp for p in ps]
        blobs = g.blobs(wanted)

        def load(key):
            raw = blobs.get(key)
            try:
                return fast_load(raw.decode("utf-8"), key) if raw is not None else None
            except Exception:  # noqa: BLE001
                return None

        set_by: set[tuple] = set()  # (author, path, field, value) from diffs
        sides: set[tuple] = set()  # (author, path, field, value) of recorded conflict sides
        named: set[tuple] = set()  # (author, path, field) named by Same-As / Resolve-Stale / Conflict / Resolve
        wrong_side = 0
        allowed_sides = self.attempts | {("种子", p, f, v) for (_a, p, f, v) in self.attempts}
        seen_sides: set[tuple] = set()
        for sha, parents, author, msg, paths in commits:
            tr = trailers(msg)
            for t in ("Tracker-Same-As", "Tracker-Resolve-Stale", "Tracker-Conflict", "Tracker-Resolve"):
                p = trailer_path(tr)
                for f in tr.get(t, "").split(","):
                    if f.strip() and p:  # an empty commit (same as another's) names its task in its trailers
                        named.add((author, p, field_key(f.split("=")[0].strip())))
            for p in paths:
                before, after = load(f"{parents[0]}:{p}") if parents else None, load(f"{sha}:{p}")
                for ch in diff_records(before, after):
                    set_by.add((author, p, field_key(ch.field), h(ch.new)))
                for e in (after or {}).get("conflicts") or []:
                    if not isinstance(e, dict):
                        continue
                    for s in values_of(e):
                        key = (s.get("author"), p, field_key(str(e.get("field"))), h(s.get("value")))
                        sides.add(key)
                        if key not in seen_sides:
                            seen_sides.add(key)
                            if key not in allowed_sides and not self._seed_value(p, key[2], key[3]):
                                wrong_side += 1
                                print(f"  wrong side: {key} in {sha[:7]}")
                for t in ("Tracker-Same-As", "Tracker-Resolve-Stale", "Tracker-Conflict", "Tracker-Resolve"):
                    for f in tr.get(t, "").split(","):
                        if f.strip():
                            named.add((author, p, field_key(f.split("=")[0].strip())))
        missing = 0
        for author, path, field, value in self.edits:
            if field.startswith("@resolve:"):
                f = field[9:]
                ok = (author, path, f) in named or (author, path, f, value) in set_by or (author, path, f, value) in sides
            else:
                ok = (author, path, field, value) in set_by or (author, path, field, value) in sides \
                     or (author, path, field) in named
            if not ok:
                missing += 1
                print(f"  missing: {author} {path} {field} = {value!r}")
        untrue = audit_commits(ws, "main")
        for u in untrue[:20]:
            print(f"  untrue: {u}")
        remote_head = git(self.remote, "rev-parse", "main").strip()
        stuck = 0
        for c in self.clones:
            gd = c / ".git"
            problems = []
            if git(c, "rev-parse", "HEAD").strip() != remote_head:
                problems.append("not at the shared head")
            if git(c, "status", "--porcelain", "--untracked-files=no").strip():
                problems.append("modified or staged files")
            for name in ("rebase-merge", "rebase-apply", "MERGE_HEAD", "tracker/sync.json", "tracker/pending.json"):
                if (gd / name).exists():
                    problems.append(name)
            if problems:
                stuck += 1
                print(f"  stuck: {c.name}: {', '.join(problems)}")
        locks = [p for base in [self.remote, *[c / ".git" for c in self.clones]] for p in base.rglob("*.lock")]
        for p in locks:
            print(f"  lock left: {p}")
        return {"missing": missing, "untrue": len(untrue), "wrong_side": wrong_side, "stuck": stuck, "locks": len(locks)}

    def _seed_value(self, path: str, field: str, value) -> bool:
        raw = (self.work / "seed" / path)
        if not raw.exists():
            return False
        from tracker.conflicts import current_value

        try:
            return current_value(fast_load(raw.read_text("utf-8"), path), field) == value
        except Exception:  # noqa: BLE001
            return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--offices", type=int, default=4, choices=(2, 3, 4))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kill", type=float, default=0.2, help="share of commands SIGKILLed at a random moment")
    ap.add_argument("--keep", action="store_true", help="keep the work folder and print its path")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tracker-soak-"))
    t0 = time.monotonic()
    try:
        soak = Soak(work, args.offices, args.seed, args.kill, args.verbose)
        for r in range(args.rounds):
            soak.round()
            if args.verbose and (r + 1) % 50 == 0:
                print(f"round {r + 1}: {soak.stats}")
        soak.settle()
        result = soak.check()
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    secs = time.monotonic() - t0
    print(f"rounds {args.rounds}  offices {args.offices}  seed {args.seed}  {secs:.0f} s")
    print("  ".join(f"{k} {v}" for k, v in soak.stats.items()))
    print("check: " + "  ".join(f"{k} {v}" for k, v in result.items()))
    return 0 if not any(result.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
