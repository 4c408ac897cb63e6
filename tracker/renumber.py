"""Two offices, one new number (issue 13): before a sync integrates, this clone's unpushed new
item whose file another office created meanwhile moves to the next free number.

Kept apart from tracker/items.py (which saves through the store) so that the sync imports only
this: git plumbing on the clone's own unpushed commits, nothing else.
"""
from __future__ import annotations

import re

from .i18n import book
from .model import task_id

book("renumber", {"done": ("新建事项 {old} 改编号为 {new}：另一办公室同时新建了 {old}（编号不重复使用）",
                           "new item {old} is now {new}: another office registered {old} meanwhile (numbers are never reused)")})


# -- two offices, one number: renumbering an unpushed new item before a sync integrates ---------
_TASK_PATH = re.compile(r"^(plan/(\d{4})/tasks/(?:.*/)?)(\d+)\.yaml$")


def _added(git, a: str, b: str) -> dict[str, str]:
    """Task files added between a and b: path -> blob."""
    out = git.run("diff", "--raw", "--no-renames", "--diff-filter=A", "-z", "--no-abbrev", a, b, "--", "plan")
    fields = out.split("\0")
    added: dict[str, str] = {}
    for meta, path in zip(fields[0::2], fields[1::2]):
        if meta.startswith(":") and _TASK_PATH.match(path):
            added[path] = meta.split()[3]
    return added


def renumber_clashes(ws, upstream: str) -> list[tuple[str, str]]:
    """Before a sync integrates `upstream`: a new item this clone created and has not pushed yet
    whose file another office has created meanwhile (both took the next number) gets the next
    number free in both histories.  The unpushed commits are rewritten (as the sync's own replay
    rewrites them anyway): the file's path and `number:`, and the id in those commits' messages.
    Returns [(old id, new id)]; nothing to do: [] and nothing touched.  The work tree must be clean
    (the sync checks that before integrating)."""
    git = ws.git
    if not git.ok("rev-parse", "-q", "--verify", upstream):
        return []
    mb = git.run("merge-base", "HEAD", upstream, check=False).strip()
    if not mb:
        return []
    ours, theirs = _added(git, mb, "HEAD"), _added(git, mb, upstream)
    clashes = sorted(p for p in ours if p in theirs and ours[p] != theirs[p])
    if not clashes:
        return []
    taken: dict[str, set[int]] = {}
    moves: dict[str, str] = {}
    renames: list[tuple[str, str]] = []
    for path in clashes:
        m = _TASK_PATH.match(path)
        folder, year, old = m.group(1), int(m.group(2)), int(m.group(3))
        if year not in taken:
            out = git.run("log", "--all", "--format=", "--name-only", "--no-renames", "--", f"plan/{year}/tasks")
            taken[year] = {int(x.group(3)) for x in map(_TASK_PATH.match, out.splitlines()) if x}
            taken[year] |= {int(x.group(3)) for x in map(_TASK_PATH.match, git.run(
                "ls-tree", "-r", "--name-only", upstream, "--", f"plan/{year}/tasks").splitlines()) if x}
        new = max(taken[year]) + 1
        taken[year].add(new)
        moves[path] = f"{folder}{new:02d}.yaml"
        renames.append((task_id(year, old), task_id(year, new)))
    commits = [c for c in git.run("rev-list", "--reverse", f"{mb}..HEAD").split() if c]
    index = ws.state_dir / "renumber.index"
    env = {"GIT_INDEX_FILE": str(index)}
    parent = mb
    try:
        for sha in commits:
            git.run("read-tree", sha, env=env)
            for old_path, new_path in moves.items():
                entry = git.run("ls-files", "-s", "--", old_path, env=env).split()
                if not entry:
                    continue
                mode, blob = entry[0], entry[1]
                text = git.run_bytes("cat-file", "blob", blob).decode("utf-8")
                m = _TASK_PATH.match(old_path)
                old_n, new_n = int(m.group(3)), int(_TASK_PATH.match(new_path).group(3))
                text = re.sub(rf"(?m)^number:[ \t]*0*{old_n}[ \t]*(#.*)?$", f"number: {new_n}", text, count=1)
                new_blob = git.run("hash-object", "-w", "--no-filters", "--stdin", input=text.encode("utf-8")).strip()
                git.run("update-index", "--force-remove", "--", old_path, env=env)
                git.run("update-index", "--add", "--cacheinfo", f"{mode},{new_blob},{new_path}", env=env)
            tree = git.run("write-tree", env=env).strip()
            raw = git.run("cat-file", "commit", sha)
            head, _, message = raw.partition("\n\n")
            hdr = dict((line.split(" ", 1) + [""])[:2] for line in head.splitlines() if not line.startswith(" "))
            for old_id, new_id in renames:
                message = re.sub(rf"(?<![\w-]){re.escape(old_id)}(?![\w-])", new_id, message)
            name, _, rest = hdr["author"].rpartition(" <")
            email, _, when = rest.partition("> ")
            parent = git.run("commit-tree", tree, "-p", parent, input=message.encode("utf-8"),
                             env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when}).strip()
        git.run("reset", "-q", "--keep", parent)
    finally:
        index.unlink(missing_ok=True)
    return renames
