"""Never push an office's plan edits into the tool's own code repository.

A clone of the tool's source carries the bundled plan, so `tracker` works inside it; but its
`origin` is the code repository, and a sync there would push plan edits into the code.  A
repository "holds the tool's source" when a tree it would push to or from has both
`tracker/cli.py` and a `pyproject.toml` naming the project `tracker`: the current HEAD, or a
remote-tracking branch of the remote being synced.

`tracker sync` and the TUI's `S` call `refuse_source_repo(ws)` before anything else.
"""
from __future__ import annotations

from .i18n import book, say
from .model import TrackerError

#: the refusal to sync into the tool's own code repository (str(err) English, err.text(lang) the user's)
book("sourceguard", {
    "refused": ("同步被拒绝：{where}包含 tracker 程序自身的源代码（tracker/cli.py、pyproject.toml），"
                "其远程仓库是代码仓库，而不是各科室共享的计划仓库。计划的修改从不推送到那里。"
                "请另建一个跟踪仓库：tracker init ~/dc2020 && cd ~/dc2020 && tracker"
                "（然后用 `tracker remote add 地址` 添加各科室共享的仓库）。",
                "sync refused: {where_en} holds the tracker program's own source code (tracker/cli.py, pyproject.toml), "
                "so its remote is the code repository, not an office's shared plan. Plan edits are never pushed "
                "there. Make a tracking repository of its own: tracker init ~/dc2020 && cd ~/dc2020 && tracker "
                "(then `tracker remote add URL` for the offices' shared repository)."),
})

_MARKER = "tracker/cli.py"
_PROJECT = 'name = "tracker"'


def _holds_source(git, rev: str) -> bool:
    if not git.ok("cat-file", "-e", f"{rev}:{_MARKER}"):
        return False
    try:
        text = git.run("cat-file", "-p", f"{rev}:pyproject.toml", check=True)
    except TrackerError:
        return False
    return _PROJECT in text


def source_revisions(ws) -> list[str]:
    """The revisions (HEAD, remote-tracking branches) that hold the tool's source."""
    git = ws.git
    revs = ["HEAD"]
    try:
        refs = git.run("for-each-ref", "--format=%(refname)", "refs/remotes", check=False).split()
    except TrackerError:
        refs = []
    revs += [r for r in refs if not r.endswith("/HEAD")]
    return [r for r in revs if _holds_source(git, r)]


def refuse_source_repo(ws) -> None:
    """Raise a TrackerError when syncing `ws` would push into the tool's own code repository."""
    found = source_revisions(ws)
    if found:
        ref = found[0].removeprefix("refs/remotes/")
        args = {"where": "本仓库" if found[0] == "HEAD" else f" {ref} ",
                "where_en": "this repository" if found[0] == "HEAD" else ref}
        raise TrackerError(say("sourceguard.refused", "en", **args), key="sourceguard.refused", **args)
