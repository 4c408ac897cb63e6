"""Does every tracker commit's message describe its own diff?  (The check the sync soak runs.)

A commit written by tracker carries `Tracker-Task` / `Tracker-Target` and `Tracker-Fields`
trailers and a body of `field: old → new` lines.  After any sync (which may replay a commit onto
a newer version, see docs/sync.md) these must still be true of the commit's own diff:

* every field the diff changes is named in `Tracker-Fields` and has its `old → new` body line;
* `Tracker-Fields` names no field the diff leaves alone (a resolve that kept the current value
  may name its field: it removed that field's conflict entry);
* a `conflicts:` change is named (`Tracker-Fields: …, conflicts`) or is a resolve;
* a `Tracker-Resolve` commit really removes the entry of each field it names.

Commits without tracker trailers (hand commits, the seed) are not checked.  No Textual here.
"""
from __future__ import annotations

from typing import Any

from . import commitmsg
from .changes import diff_records
from .yamlio import YamlError, decode, fast_load


def _load(raw: bytes | None, rel: str) -> Any:
    if raw is None:
        return None
    try:
        return fast_load(decode(raw, rel), rel)
    except YamlError:
        return None


def _entry_lines_shown(ch, message: str) -> bool:
    """A cycle step's body: one line per entry it appended to returns / extensions (or set as
    cancelled), as tracker.lifecycle writes them."""
    from .cycle import entry_line

    if ch.field not in ("returns", "extensions", "cancelled"):
        return False
    old = ch.old if isinstance(ch.old, list) else []
    if ch.field == "cancelled":
        new = [ch.new] if isinstance(ch.new, dict) else []
        start = 1
    else:
        new = ch.new[len(old):] if isinstance(ch.new, list) and ch.new[:len(old)] == old else []
        start = len(old) + 1
    return bool(new) and all(any(entry_line(ch.field, e, i, lang) in message for lang in ("zh", "en"))
                             for i, e in enumerate(new, start=start) if isinstance(e, dict))


def message_problems(message: str, changes: list, before: Any, after: Any) -> list[str]:
    tr = commitmsg.trailers(message)
    if "Tracker-Task" not in tr and "Tracker-Target" not in tr:
        return []
    probs: list[str] = []
    claimed = {f.strip() for f in tr.get("Tracker-Fields", "").split(",") if f.strip()}
    resolved = {f.split("=")[0].strip() for f in tr.get("Tracker-Resolve", "").split(",") if f.strip()}
    actual = set(commitmsg.fields_of(changes))
    missing = actual - {"conflicts"} - claimed
    if missing:
        probs.append(f"changes {', '.join(sorted(missing))} but Tracker-Fields says {', '.join(sorted(claimed)) or '(none)'}")
    extra = claimed - actual - resolved
    if extra:
        probs.append(f"Tracker-Fields names {', '.join(sorted(extra))}, which the commit does not change")
    if "conflicts" in actual and "conflicts" not in claimed and not resolved:
        probs.append("changes the conflicts list without saying so")
    for ch in changes:
        if ch.field == "conflicts":
            continue
        if _entry_lines_shown(ch, message):  # a cycle step's appended entries (tracker/lifecycle.py)
            continue
        if not any("\n".join(commitmsg._body_line(ch, lang)) in message for lang in ("zh", "en")):
            probs.append(f"no body line for {ch.field}: {ch.old!r} → {ch.new!r}")
    if resolved:
        had = {str(e.get("field")) for e in ((before or {}).get("conflicts") or []) if isinstance(e, dict)}
        has = {str(e.get("field")) for e in ((after or {}).get("conflicts") or []) if isinstance(e, dict)}
        for f in resolved:
            if f not in had or f in has:
                probs.append(f"Tracker-Resolve names {f}, but the commit does not remove that entry")
    return probs


def audit_commits(ws, rev: str = "HEAD", limit: int | None = None) -> list[str]:
    """'<sha7> <subject>: problem' for every tracker commit in `rev`'s history whose message is untrue."""
    git = ws.git
    args = ["log", "--format=%x1e%H%x1f%P%x1f%B%x1f", "--no-renames", "--name-only", rev]
    if limit:
        args.insert(1, f"-n{limit}")
    out = git.run(*args)
    commits = []
    for chunk in out.split("\x1e")[1:]:
        sha, parents, message, files = chunk.split("\x1f", 3)
        paths = [p for p in files.split("\n") if p.strip().startswith("plan/") and p.strip().endswith(".yaml")]
        commits.append((sha, parents.split(), message, [p.strip() for p in paths]))
    wanted = []
    for sha, parents, _m, paths in commits:
        for p in paths:
            wanted.append(f"{sha}:{p}")
            if parents:
                wanted.append(f"{parents[0]}:{p}")
    blobs = git.blobs(wanted) if wanted else {}
    bad = []
    for sha, parents, message, paths in commits:
        if len(parents) > 1:
            continue
        changes, before, after = [], None, None
        for p in paths:
            if not p.startswith("plan/") or p.count("/") < 3:
                continue
            b = _load(blobs.get(f"{parents[0]}:{p}") if parents else None, p)
            a = _load(blobs.get(f"{sha}:{p}"), p)
            changes += diff_records(b, a)
            before, after = b, a
        for prob in message_problems(message, changes, before, after):
            bad.append(f"{sha[:7]} {message.splitlines()[0] if message else ''}: {prob}")
    return bad
