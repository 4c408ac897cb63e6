"""Taking a step of the supervision cycle, and undoing an item's last change: one commit each.

The rules are in `tracker.cycle` (pure); this module applies a step's `StepPlan` to the task
file's round-trip tree through the store's one write path (`Workspace._commit_edit`: lock,
journal, validate, atomic write, commit), so only the step's lines change.  The commit message:

    2020-05 退回重办（第2次）：佐证材料不全

    状态: 已完成 → 推进中
    退回重办（第2次）：2020-11-30 张三：佐证材料不全

    Tracker-Task: 2020-05
    Tracker-Fields: status, returns
    Tracker-Step: return
    Tracker-Returns: 2

`undo` restores the values the item's last commit changed (a new commit; history is never
rewritten) and refuses where that commit cannot be undone: a sync merge, a recorded conflict,
the file's creation, or a work tree that differs from the last commit.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from . import cycle
from .i18n import book, field_label, norm_lang, say
from .model import TrackerError

book("cycle", {
    "undo.nothing": ("{id} 没有可撤销的修改", "{id} has no change to undo"),
    "undo.merge": ("{id} 的上次修改来自同步合并（提交 {sha}），不能撤销；请用 tracker set 再次修改",
                   "the last change of {id} came with a sync merge (commit {sha}); it cannot be undone: "
                   "change the fields again with tracker set"),
    "undo.conflict": ("{id} 的上次修改记录了同步冲突（提交 {sha}），不能撤销；请用 tracker resolve 解决",
                      "the last change of {id} recorded a sync conflict (commit {sha}); it cannot be undone: "
                      "resolve it with tracker resolve"),
    "undo.created": ("{id} 的上次修改是新建该文件（提交 {sha}），不能撤销", "the last change of {id} created its file "
                     "(commit {sha}); it cannot be undone"),
    "no_task": ("{where} 中没有任务 {id}（tracker list 列出全部任务）", "no task {id} in {where} (tracker list shows the tasks)"),
    "undo.dirty": ("{path} 有未提交的修改，不能撤销；请先保存或放弃这些修改", "{path} has changes that are not committed; "
                   "nothing was undone: commit or discard them first"),
})


def _task_path(ws, number: int):
    path = ws.task_path(number)
    if not path.exists():
        args = {"id": f"{ws.year}-{number:02d}", "where": ws.plan_rel}
        raise TrackerError(say("cycle.no_task", "en", **args), key="cycle.no_task", **args)
    return path


def _check(ws):
    from .schema import check_task

    info, _ = ws.load_info()
    cats = info.categories if info else ()
    return lambda data, rel, text: check_task(data, rel, text, ws.year, cats)[1]


def _set(tree: Any, key: str, value: Any, after: str | None = None) -> None:
    """Set a top-level key (None: remove it); a new key goes after `after` (else at the end)."""
    from ruamel.yaml.comments import CommentedMap

    from .yamlio import text_scalar

    if value is None:
        if key in tree:
            del tree[key]
        return
    if isinstance(value, dict):
        value = CommentedMap((k, text_scalar(v) if isinstance(v, str) else v) for k, v in value.items())
    elif isinstance(value, str) and key != "status":
        value = text_scalar(value)
    if key in tree:
        if tree[key] != value:
            tree[key] = value
        return
    keys = list(tree)
    pos = keys.index(after) + 1 if after in keys else len(keys)
    tree.insert(pos, key, value)


#: where a new cycle field goes in the file: after the status block, before the texts
_AFTER = {"acked": "due", "finished": "acked", "closed": "finished", "report": "next_steps",
          "returns": "report", "extensions": "returns", "cancelled": "extensions"}


def _after(tree: Any, key: str) -> str | None:
    """The nearest existing key the new `key` follows."""
    k = _AFTER.get(key)
    while k is not None and k not in tree:
        k = _AFTER.get(k)
    return k or ("due" if "due" in tree else None)


def check_rights(ws, rel: str, before: Any, after: Any) -> None:
    """Where this clone acts for an office (`tracker office join`) of `offices.yaml`, refuse at
    once (nothing written) a change that office may not make: the rights table of
    tracker/permissions.py, as `tracker verify` and the server hook would apply it later."""
    from .offices import load
    from .permissions import check_change
    from .signing import acting_as

    name = acting_as(ws.git)
    if not name:
        return
    try:
        offices = load(ws.root)
    except TrackerError:
        return  # an invalid offices.yaml is reported by tracker check; verify refuses the commits
    office = offices.by_name(name) if offices else None
    if office is None or office.is_supervisor:
        return
    denied = check_change(office, rel, before, after)
    if denied:
        lines_en = "\n  ".join(str(d) for d in denied)
        lines_zh = "\n  ".join(d.text("zh") for d in denied)
        raise TrackerError(say("cycle.denied", "en", lines=lines_zh, lines_en=lines_en), key="cycle.denied",
                           lines=lines_zh, lines_en=lines_en)


book("cycle", {"denied": ("本科室无权进行此步骤，未作修改：\n  {lines}",
                          "this office may not take this step; nothing was written:\n  {lines_en}")})


def _planned(before: dict, plan: "cycle.StepPlan") -> dict:
    """The parsed file as the step would leave it (for the rights check)."""
    after = dict(before)
    for key, value in plan.sets.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    for key, entry in plan.appends.items():
        after[key] = [*(before.get(key) or []), entry]
    return after


def take_step(ws, number: int, step: str, *, reason: str = "", report: str = "", due: date | None = None,
              force: bool = False, on: date | None = None, expect: str | None = None):
    """One step of the cycle (cycle.STEPS) on task `number`: one commit, or a TrackerError with
    nothing written.  Returns the store's CommitResult."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = _task_path(ws, number)
    tid = f"{ws.year}-{number:02d}"
    by = ws.git.identity().name
    on = on or date.today()
    holder: dict[str, cycle.StepPlan] = {}

    def mutate(tree: Any) -> None:
        plan = cycle.plan_step(step, tree, on=on, by=by, reason=reason, report=report, due=due,
                               year=ws.year, force=force)
        holder["plan"] = plan
        before = {k: tree[k] for k in tree}
        check_rights(ws, ws.rel(path), before, _planned(before, plan))
        for key, value in plan.sets.items():
            _set(tree, key, value, _after(tree, key))
        for key, entry in plan.appends.items():
            seq = tree.get(key)
            if not isinstance(seq, list):
                seq = CommentedSeq()
                _set(tree, key, seq, _after(tree, key))
                seq = tree[key]
            seq.append(CommentedMap((k, v) for k, v in entry.items() if v not in (None, "") or k == "reason"))

    def message(changes, lang) -> str:
        plan = holder["plan"]
        return _message(plan.subject[norm_lang(lang)], changes, lang, plan.trailers)

    return ws._commit_edit(path, mutate, expect=expect, subject=lambda d: (tid, str(d.get("title", ""))),
                           check=_check(ws), message=message)


def _message(subject: str, changes, lang: str, trailers: dict[str, str], extra: list[str] | None = None) -> str:
    from .commitmsg import _body_line, fields_of, one_line

    body: list[str] = []
    for ch in changes:
        if ch.field in ("returns", "extensions") and isinstance(ch.new, list) and \
                len(ch.new) > len(ch.old if isinstance(ch.old, list) else []):
            for i, entry in enumerate(ch.new[len(ch.old or []):], start=len(ch.old or []) + 1):
                body.append(cycle.entry_line(ch.field, entry, i, lang))
        elif ch.field == "cancelled" and isinstance(ch.new, dict):
            body.append(cycle.entry_line("cancelled", ch.new, 1, lang))
        elif isinstance(ch.old, (list, dict)) or isinstance(ch.new, (list, dict)):
            body.append(f"{field_label(ch.field, lang)}: {_short(ch.old, lang)} → {_short(ch.new, lang)}")
        else:
            body += _body_line(ch, lang)
    body += extra or []
    tr = {"Tracker-Task": trailers.get("Tracker-Task", ""), "Tracker-Fields": ", ".join(fields_of(changes)),
          **{k: v for k, v in trailers.items() if k != "Tracker-Task"}}
    parts = [one_line(subject)]
    if body:
        parts.append("\n".join(body))
    parts.append("\n".join(f"{k}: {one_line(v)}" for k, v in tr.items() if v))
    return "\n\n".join(parts) + "\n"


def _short(v: Any, lang: str) -> str:
    """A list or mapping field in one line: its entry count, or （空）."""
    if v in (None, "", [], {}):
        return say("cycle.empty", lang)
    if isinstance(v, list):
        return say("cycle.entries", lang, n=len(v))
    if isinstance(v, dict):
        return "; ".join(f"{k}={' '.join(str(x).split())}" for k, x in v.items())
    return str(v)


book("cycle", {"empty": ("（空）", "(empty)"), "entries": ("{n} 条", "{n} entries")})


# -- undo ---------------------------------------------------------------------------------------
def last_change(ws, rel: str) -> tuple[str, list[str], str] | None:
    """(sha, parents, message) of the newest commit on the branch's first-parent line that changed
    `rel` (a sync merge that brought a change in is that commit); None when there is none."""
    out = ws.git.run("log", "--first-parent", "-m", "-1", "--format=%H%x00%P%x00%B", "--", rel)
    if not out.strip():
        return None
    sha, parents, msg = out.split("\x00", 2)
    return sha.strip(), parents.split(), msg


def undo(ws, number: int, *, expect: str | None = None):
    """Restore the values the item's last commit changed: one new commit (Tracker-Step: undo)."""
    from .commitmsg import trailers as read_trailers
    from .yamlio import decode, fast_load, rt_load

    path = _task_path(ws, number)
    tid = f"{ws.year}-{number:02d}"
    rel = ws.rel(path)
    found = last_change(ws, rel)
    if found is None:
        raise TrackerError(say("cycle.undo.nothing", "en", id=tid), key="cycle.undo.nothing", id=tid)
    sha, parents, msg = found
    short = sha[:10]
    if len(parents) > 1:
        raise TrackerError(say("cycle.undo.merge", "en", id=tid, sha=short), key="cycle.undo.merge", id=tid, sha=short)
    tr = read_trailers(msg)
    if tr.get("Tracker-Conflict"):
        raise TrackerError(say("cycle.undo.conflict", "en", id=tid, sha=short), key="cycle.undo.conflict", id=tid, sha=short)
    old_raw = ws.git.show(parents[0], rel) if parents else None
    if old_raw is None:
        raise TrackerError(say("cycle.undo.created", "en", id=tid, sha=short), key="cycle.undo.created", id=tid, sha=short)
    new_raw = ws.git.show(sha, rel)
    if ws._read(path) != ws.git.show("HEAD", rel):
        raise TrackerError(say("cycle.undo.dirty", "en", path=rel), key="cycle.undo.dirty", path=rel)
    old_text = decode(old_raw, rel)
    old_doc, new_doc = fast_load(old_text, rel), fast_load(decode(new_raw or b"", rel), rel)
    keys = [k for k in dict.fromkeys([*(old_doc or {}), *(new_doc or {})])
            if (old_doc or {}).get(k) != (new_doc or {}).get(k)]
    check_rights(ws, rel, new_doc, old_doc)  # an undo is a change like any other
    old_tree = rt_load(old_text, rel)
    orig_subject = msg.strip().splitlines()[0] if msg.strip() else short

    def mutate(tree: Any) -> None:
        order = list(old_tree)
        for k in keys:
            if k not in old_tree:
                if k in tree:
                    del tree[k]
                continue
            if k in tree:
                tree[k] = old_tree[k]
            else:
                before = [x for x in order[:order.index(k)] if x in tree]
                tree.insert(list(tree).index(before[-1]) + 1 if before else 0, k, old_tree[k])

    def message(changes, lang) -> str:
        from .commitmsg import clip, one_line

        text = clip(one_line(orig_subject.removeprefix(f"{tid} ")), 48)
        subject = say("cycle.subject.undo", lang, id=tid, text=text)
        return _message(subject, changes, lang, {"Tracker-Task": tid, "Tracker-Step": "undo", "Tracker-Undo": sha},
                        extra=["", say("cycle.body.undo", lang, sha=short, subject=one_line(orig_subject))])

    return ws._commit_edit(path, mutate, expect=expect, subject=lambda d: (tid, str(d.get("title", ""))),
                           check=_check(ws), message=message)


# -- consistency of a plain edit (tracker set, the TUI's edits) ------------------------------------
def after_edit(ws, number: int, changes: dict[str, Any]) -> tuple[dict, dict]:
    """The task file as it is (parsed) and as `changes` ({'status': .., 'measures.2.status': ..})
    would leave it: what `check_edit` and the finish hint look at."""
    from .yamlio import decode, fast_load

    path = _task_path(ws, number)
    rel = ws.rel(path)
    before = fast_load(decode(ws._read(path), rel), rel)
    if not isinstance(before, dict):
        return {}, {}
    after = {**before, "measures": [dict(m) if isinstance(m, dict) else m for m in before.get("measures") or []]}
    for key, value in changes.items():
        if key.startswith("measures."):
            _, num, fld = key.split(".")
            for m in after["measures"]:
                if isinstance(m, dict) and str(m.get("number")) == num:
                    m[fld] = value
        else:
            after[key] = value
    return before, after


def check_edit(ws, number: int, changes: dict[str, Any], *, force: bool = False) -> None:
    """Refuse (TrackerError, nothing written) a status edit the cycle does not allow, and marking
    the item done while progress is below 100 or measures are open, unless `force`."""
    tid = f"{ws.year}-{number:02d}"
    before, after = after_edit(ws, number, changes)
    if not before:
        return
    old, new = str(before.get("status")), str(after.get("status"))
    if "status" in changes:
        cycle.check_status_edit(old, new, tid)
    if new == "done" and old != "done" and not force:
        err = cycle.open_work_error(after, tid)
        if err is not None:
            raise err


def finish_hint(ws, number: int, lang: str | None) -> str | None:
    """After a save: the item is at 100 % with every measure done and still open: offer 申请办结."""
    _, now = after_edit(ws, number, {})
    if now and cycle.offers_finish(now):
        return say("cycle.offer_finish", lang, id=f"{ws.year}-{number:02d}")
    return None
