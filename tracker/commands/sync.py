"""tracker sync / conflicts / resolve / remote: sharing the plan between offices."""
from __future__ import annotations

import json

from ..i18n import book, field_label, say, told
from ..inputs import arg_int
from ..model import TrackerError
from ..output import err_console, visible, write
from ..sourceguard import refuse_source_repo
from ._common import add_format, helps, lang_of, workspace

WORDS = book("sync_cli", {
    "task": ("任务", "task"),
    "field": ("字段", "field"),
    "ours": ("一方（现值）", "one side (current)"),
    "theirs": ("另一方", "other side"),
    "more": ("其他", "more"),
    "none": ("没有待解决的冲突", "no conflicts to resolve"),
    "n_conflicts": ("{n} 个文件有冲突；用 tracker resolve 任务 --field 字段 --take ours|theirs|值 解决", "{n} file(s) have conflicts; settle them with tracker resolve TASK --field F --take ours|theirs|VALUE"),
    "resolved": ("已解决 {id}，提交 {sha}", "resolved {id} as commit {sha}"),
    "pushed": ("推送 {n} 个提交", "pushed {n} commit(s)"),
    "received": ("收到 {n} 个提交", "received {n} commit(s)"),
    "conflicts_now": ("有冲突待解决：{paths}（tracker conflicts 查看）", "conflicts to resolve: {paths} (see tracker conflicts)"),
    "remote": ("远程", "remote"),
    "ahead": ("待推送", "to push"),
    "behind": ("待接收", "to receive"),
    "took": ("用时 {s:.1f} 秒", "{s:.1f} s"),
    "invalid": ("以下文件未通过校验（来自其他科室，已合并；本科室的修改已推送）：", "these files fail validation (they came from another office and were integrated; your own changes were pushed):"),
    "tags": ("同步了 {n} 个通报标记", "{n} bulletin tag(s) synced"),
    "since_fetch": ("（自上次获取以来）", "(since the last fetch)"),
    "missing": ("以下任务没有文件（用普通 git 删除或改名；tracker check 查看）：", "these items have no file (deleted or renamed with plain git; see tracker check):"),
    "take_needed": ("resolve：请用 --take ours|theirs|值 说明保留哪个值", "resolve: say which value to keep with --take ours|theirs|VALUE"),
    "take_each": ("resolve：每个 --field 都要有一个 --take", "resolve: give one --take for each --field"),
    "take_one": ("resolve：不带 --field 时只能给一个 --take（它适用于每个有冲突的字段）",
                 "resolve: without --field give exactly one --take (it applies to every conflicting field)"),
    "remote_url": ("remote {action}：请给出地址（裸仓库路径、ssh://、https:// 或 git://）",
                   "remote {action}: give the address (a bare repository path, ssh://, https:// or git://)"),
    "remote_exists": ("远程仓库 {name} 已存在（{url}）；要修改请用 `tracker remote set-url 地址`",
                      "remote {name} exists ({url}); use `tracker remote set-url URL` to change it"),
    "remote_set": ("{name} = {url}；现在运行 tracker sync", "{name} = {url}; now run tracker sync"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `sync_cli.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"sync_cli.{entry}", **args)


def w(key: str, lang: str, **kw) -> str:
    return say(f"sync_cli.{key}", lang, **kw)


HELP = book("help.sync", {
    "sync": ("获取、整合（按字段语义合并的变基）并推送", "fetch, integrate (rebase with the semantic merge) and push"),
    "attempts": ("其他科室同时推送时的推送尝试次数，1-100（默认 5）",
                 "push attempts when other offices push meanwhile, 1-100 (default 5)"),
    "break_lock": ("删除以文件夹方式访问的共享仓库中遗留的失效锁文件（仅当其超过 5 分钟且本机没有正在向其推送时）",
                   "remove a stale lock file left in a shared repository reached as a folder "
                   "(only when older than 5 minutes and no push to it runs here)"),
    "conflicts": ("有已记录合并冲突的任务和目标", "tasks and targets with recorded merge conflicts"),
    "resolve": ("以一次提交解决一处已记录的冲突", "settle a recorded conflict with one commit"),
    "resolve_task": ("任务编号（5、2020-05）、目标（T4）或文件路径", "task id (5, 2020-05), target (T4) or file path"),
    "resolve_field": ("有冲突的字段（status、measures.2.status……）；多个时与 --take 成对重复",
                      "the conflicting field (status, measures.2.status, ...); repeat with --take for several"),
    "resolve_take": ("ours（本方）| theirs（对方）| other:N | 修改人姓名 | 一个值",
                     "ours | theirs | other:N | an author's name | a value"),
    "remote": ("显示共享远程仓库，或用 `remote add URL` 设置", "show the shared remote, or `remote add URL` to set it"),
    "remote_action": ("show 显示（默认）、add 添加或 set-url 修改地址", "show (the default), add or set-url"),
    "remote_url": ("裸仓库路径，或 ssh://、https://、git:// 地址", "bare repository path, ssh://, https:// or git:// address"),
    "remote_name": ("远程仓库的名称（默认：origin）", "the remote's name (default: origin)"),
})


def register(sub, common) -> None:
    h = helps("sync", common)
    p = sub.add_parser("sync", parents=[common], help=h("sync"))
    p.add_argument("--attempts", type=arg_int(1, 100), default=5, help=h("attempts"))
    p.add_argument("--break-lock", action="store_true", help=h("break_lock"))
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("conflicts", parents=[common], help=h("conflicts"))
    add_format(p, "table", "json")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", parents=[common], help=h("resolve"))
    p.add_argument("task", help=h("resolve_task"))
    p.add_argument("--field", action="append", default=[], metavar="F", help=h("resolve_field"))
    p.add_argument("--take", action="append", default=[], metavar="WHICH", help=h("resolve_take"))
    p.set_defaults(func=cmd_resolve)

    p = sub.add_parser("remote", parents=[common], help=h("remote"))
    p.add_argument("action", nargs="?", choices=("show", "add", "set-url"), default="show", help=h("remote_action"))
    p.add_argument("url", nargs="?", help=h("remote_url"))
    p.add_argument("--name", default="origin", help=h("remote_name"))
    p.set_defaults(func=cmd_remote)


def cmd_sync(args) -> int:
    from ..sync import sync

    ws = workspace(args)
    refuse_source_repo(ws)  # never push plan edits into the tool's own code repository
    lang = lang_of(args, ws)
    console = err_console()

    def progress(msg: str) -> None:
        console.print(f"tracker: {msg}", markup=False, highlight=False)

    res = sync(ws, lang=lang, progress=progress, max_attempts=max(1, args.attempts), break_stale_lock=args.break_lock)
    if res.recovered:
        console.print(f"tracker: {visible(told(res.recovered, lang))}", markup=False)
    if res.renumbered:  # tracker.renumber.renumber_clashes
        from ..i18n import say
        from ..renumber import book as _  # noqa: F401 - registers the renumber.* labels

        for old, new in res.renumbered:
            console.print(f"tracker: {say('renumber.done', lang, old=old, new=new)}", markup=False, highlight=False)
    lines = [f"{res.remote}/{res.branch}: {visible(res.summary)}"]
    if res.received:
        lines.append(w("received", lang, n=res.received))
        for p in res.arrived_paths[:20]:
            lines.append(f"  {visible(p)}")
    if res.pushed and res.received:  # with nothing received the summary already says what was pushed
        lines.append(w("pushed", lang, n=res.pushed))
    if res.conflicts:
        lines.append(w("conflicts_now", lang, paths=[visible(p) for p in res.conflicts]))
    if res.invalid:
        lines.append(w("invalid", lang))
        lines += [f"  {visible(x)}" for x in res.invalid[:20]]
    if res.missing:
        lines.append(w("missing", lang))
        lines += [f"  {visible(m.message(lang))}" for m in res.missing[:20]]
    if res.tags:
        lines.append(w("tags", lang, n=res.tags))
    write("\n".join(lines) + "\n")
    return 0




def cmd_conflicts(args) -> int:
    from ..conflicts import scan
    from ..conflicts import shown
    from ..merge import values_of

    ws = workspace(args)
    lang = lang_of(args, ws)
    items = scan(ws)
    if args.format == "json":
        write(json.dumps([{"id": fc.id, "path": fc.path, "kind": fc.kind, "title": fc.title, "conflicts": fc.entries}
                          for fc in items], ensure_ascii=False, indent=2, default=str) + "\n")
        return 0
    if not items:
        write(w("none", lang) + "\n")
        return 0
    from ..output import emit_table

    rows = []
    for fc in items:
        for e in fc.entries:
            sides = values_of(e)
            f = str(e.get("field"))
            row = [fc.id, fc.title, field_label(str(e.get("field")), lang)]
            for s in sides[:2]:
                row.append(f"{shown(f, s.get('value'), lang)} ({s.get('author') or '?'} {str(s.get('date') or '')[:16]})")
            row.append("; ".join(f"{shown(f, s.get('value'), lang)} ({s.get('author')})" for s in sides[2:]))
            rows.append(row)
    emit_table([w("task", lang), "", w("field", lang), w("ours", lang), w("theirs", lang), w("more", lang)], rows)
    write(w("n_conflicts", lang, n=len(items)) + "\n")
    return 0


def cmd_resolve(args) -> int:
    from ..conflicts import resolve

    ws = workspace(args)
    lang = lang_of(args, ws)
    if not args.take:
        raise _err("take_needed")
    if args.field:
        if len(args.field) != len(args.take):
            raise _err("take_each")
        res = resolve(ws, args.task, dict(zip(args.field, args.take)), lang=ws.language())
    else:
        if len(args.take) != 1:
            raise _err("take_one")
        res = resolve(ws, args.task, None, take_all=args.take[0], lang=ws.language())
    write(w("resolved", lang, id=res.path, sha=res.short) + "\n")
    write(visible(res.message.splitlines()[0]) + "\n")
    return 0


def cmd_remote(args) -> int:
    from ..sync import no_remote_message, status

    ws = workspace(args)
    lang = lang_of(args, ws)
    if args.action in ("add", "set-url"):
        if not args.url:
            raise _err("remote_url", action=args.action)
        exists = args.name in ws.git.run("remote").split()
        if args.action == "add" and exists:
            raise _err("remote_exists", name=args.name, url=ws.git.run("remote", "get-url", args.name).strip())
        ws.git.run("remote", "set-url" if exists else "add", args.name, args.url)
        write(w("remote_set", lang, name=args.name, url=visible(args.url)) + "\n")
        return 0
    st = status(ws)
    if not st.remote:
        write(no_remote_message(lang) + "\n")
        return 0
    write(f"{w('remote', lang)}: {st.remote} {visible(st.url or '')}\n{w('ahead', lang)}: {st.ahead}  "
          f"{w('behind', lang)}: {st.behind}  {w('since_fetch', lang)}\n")
    return 0
