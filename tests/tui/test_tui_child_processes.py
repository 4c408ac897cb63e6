"""The app's child process (the history index build) runs this code, never code from the work tree.

The work tree's files come from every office through sync; the child runs there (cwd), and
`python -m tracker` would put it first on sys.path, so a `tracker/` folder in it would be imported.
"""
from __future__ import annotations

from tui_helpers import started, sync


@sync
async def test_index_build_never_imports_a_tracker_folder_of_the_work_tree(tui_repo, tui_ws, make_tui):
    from tracker import touchindex

    planted = tui_repo / "tracker"
    planted.mkdir()
    payload = f"open({str(tui_repo / 'PWNED')!r}, 'w').close()\n"
    (planted / "__init__.py").write_text(payload, "utf-8")
    (planted / "__main__.py").write_text(payload, "utf-8")
    app = make_tui(tui_ws, index_history=True)
    async with started(app):
        assert not (tui_repo / "PWNED").exists()
        assert touchindex.refresh(tui_ws)  # and the index was built, by this code
