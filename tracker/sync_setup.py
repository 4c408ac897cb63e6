"""The repository settings the semantic merge needs, installed in every clone.

Git does not clone configuration, so a fresh clone knows nothing of the `tracker` merge driver.
Every tracker command (through `tracker.commands._common.workspace`) calls
`ensure_repo_config`, which costs one small file read when all is in place and otherwise writes:

* `merge.tracker.driver` in `.git/config`: `<this python> -m tracker.merge %O %A %B %P`, so the
  driver runs with the interpreter that has tracker installed, whatever the venv's path;
* `.git/info/attributes`: `plan/**/*.yaml merge=tracker`, so the driver applies in this clone even
  when the repository's committed `.gitattributes` lacks the line (a repository made by hand).

`tracker init` also commits a `.gitattributes` with the same line (`write_repo_files`), which
documents the setup for anyone reading the repository.
"""
from __future__ import annotations

from pathlib import Path

from .childenv import shell_command

ATTR_LINE = "plan/**/*.yaml merge=tracker"
#: the unit table (`tracker new --new-unit` adds to it): two offices adding different units merge by key
UNITS_ATTR_LINE = "/units.yaml merge=tracker"
GITATTRIBUTES = (
    "# Task and target files merge field by field (tracker's semantic merge driver):\n"
    "# the same field changed in two offices is recorded as a conflict, never as markers.\n"
    "# Each clone installs the driver itself the first time any tracker command runs.\n"
    f"{ATTR_LINE}\n{UNITS_ATTR_LINE}\n"
)


def driver_command() -> str:
    return shell_command("-m", "tracker.merge", "%O", "%A", "%B", "%P")  # -P: a planted tracker/ never runs


def write_repo_files(root: str | Path) -> list[Path]:
    """Files a new tracking repository should commit (called by `tracker init`)."""
    path = Path(root) / ".gitattributes"
    text = path.read_text("utf-8") if path.exists() else ""
    if ATTR_LINE not in text:
        path.write_text((text + ("\n" if text and not text.endswith("\n") else "") + GITATTRIBUTES), encoding="utf-8")
    install(Path(root))
    return [path]


def _config_has(git_dir: Path, cmd: str) -> bool:
    try:
        text = (git_dir / "config").read_text("utf-8", "replace")
    except OSError:
        return False
    return cmd in text or cmd.replace("\\", "\\\\").replace('"', '\\"') in text


def _attrs_have(git_dir: Path) -> bool:
    try:
        text = (git_dir / "info" / "attributes").read_text("utf-8", "replace")
        return ATTR_LINE in text and UNITS_ATTR_LINE in text
    except OSError:
        return False


def install(root: Path, git_dir: Path | None = None) -> bool:
    """Write the driver config and the local attributes if missing.  Returns True when it wrote."""
    from .gitstore import GitRepo

    repo = GitRepo(root)
    gd = git_dir or repo.git_dir
    cmd = driver_command()
    wrote = False
    if not _config_has(gd, cmd):
        repo.run("config", "--local", "merge.tracker.name", "tracker semantic merge of task and target files")
        repo.run("config", "--local", "merge.tracker.driver", cmd)
        wrote = True
    if not _attrs_have(gd):
        info = gd / "info"
        info.mkdir(parents=True, exist_ok=True)
        attrs = info / "attributes"
        old = attrs.read_text("utf-8") if attrs.exists() else ""
        add = "".join(f"{line}\n" for line in (ATTR_LINE, UNITS_ATTR_LINE) if line not in old)
        attrs.write_text(old + ("\n" if old and not old.endswith("\n") else "") + add, encoding="utf-8")
        wrote = True
    return wrote


def ensure_repo_config(ws) -> bool:
    """Idempotent and cheap (two file reads when installed): called on every tracker command."""
    gd = ws.git.git_dir
    if _config_has(gd, driver_command()) and _attrs_have(gd):
        return False
    return install(ws.root, gd)


def interrupted_state(git_dir: Path) -> str | None:
    """'rebase' / 'merge' / 'cherry-pick' when git was left in the middle of one, else None (stats only)."""
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        return "rebase"
    if (git_dir / "MERGE_HEAD").exists():
        return "merge"
    if (git_dir / "CHERRY_PICK_HEAD").exists():
        return "cherry-pick"
    return None
