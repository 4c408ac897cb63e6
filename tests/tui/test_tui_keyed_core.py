"""Chinese details in the TUI (issue 11 point 3): what the app says as it opens a repository (a save
or a sync interrupted and finished, or one that cannot be finished) is said in the app's language,
not in the English of str(); the sync status line's refusals too."""
from __future__ import annotations

import json
import re

import pytest
from tui_helpers import settle, started, sync

from tracker.store_load import blob_id

HAN = re.compile(r"[\u4e00-\u9fff]")


def _journal(repo, ws, progress: int) -> str:
    """A save interrupted after its write: the file holds the change, the journal names it."""
    rel = "plan/2020/tasks/05.yaml"
    path = repo / rel
    new = path.read_text("utf-8").replace("progress: 0", f"progress: {progress}")
    path.write_text(new, encoding="utf-8")
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    (ws.state_dir / "pending.json").write_text(json.dumps({"path": rel, "message": "更新 5", "old": None,
                                                           "new": blob_id(new.encode("utf-8"))}), "utf-8")
    return rel


@pytest.mark.parametrize("lang", ["zh", "en"])
@sync
async def test_the_recovery_note_is_in_the_apps_language(tui_repo, tui_ws, make_tui, lang):
    rel = _journal(tui_repo, tui_ws, 40 if lang == "zh" else 41)
    app = make_tui(tui_ws, lang)
    notes: list[str] = []
    app.notify = lambda msg, **kw: notes.append(str(msg))
    async with started(app) as pilot:
        await settle(app, pilot)
    said = [n for n in notes if rel in n]
    assert said, notes
    if lang == "zh":
        assert said[0].startswith(f"已完成一次被中断的保存：{rel}，提交 ") and "finished" not in said[0], said
    else:
        assert said[0].startswith(f"finished an interrupted save of {rel} as commit ") and not HAN.search(said[0])


@sync
async def test_a_recovery_that_fails_is_explained_in_chinese(tui_repo, tui_ws, make_tui, git_env, monkeypatch):
    """The journal's change cannot be committed (git knows no identity): the app opens and says why, in Chinese."""
    rel = _journal(tui_repo, tui_ws, 42)
    git_env.write_text("[init]\n\tdefaultBranch = main\n[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    app = make_tui(tui_ws, "zh")
    notes: list[str] = []
    app.notify = lambda msg, **kw: notes.append(str(msg))
    async with started(app) as pilot:
        await settle(app, pilot)
    said = [n for n in notes if rel in n]
    assert said and said[0].startswith(f"{rel} 的一次保存被中断，且未能完成"), notes
    assert "git 不知道您是谁" in said[0] and "could not be finished" not in said[0], said[0]


def test_a_typed_value_refused_by_inputs_is_explained_in_the_apps_language(tui_ws, make_tui):
    from tracker.inputs import InputError, parse_date

    with pytest.raises(InputError) as err:
        parse_date("2020-02-30")
    zh = make_tui(tui_ws, "zh").error_text(err.value)
    assert zh.startswith("未保存") and "'2020-02-30' 不是日期（日历上没有这一天）" in zh and "not a date" not in zh, zh
    en = make_tui(tui_ws, "en").error_text(err.value)
    assert "'2020-02-30' is not a date (no such day in the calendar)" in en and not HAN.search(en), en
