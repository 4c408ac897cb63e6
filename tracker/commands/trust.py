"""tracker verify / tracker serve install: checking the history, and enforcing it where offices push."""
from __future__ import annotations

import re
from datetime import datetime

from ..i18n import book, say, table
from ..model import TrackerError
from ..output import emit_json, emit_table, visible, write
from ._common import add_format, helps, lang_of

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T].*)?$")

_L = book("trust", {
    "commit": ("提交", "commit"),
    "date": ("日期", "date"),
    "author": ("修改人", "author"),
    "office": ("科室", "office"),
    "what": ("内容", "file: field"),
    "rule": ("规则", "rule"),
    "problem": ("问题", "problem"),
    "none": ("仓库中没有 offices.yaml：不做任何强制检查（tracker office add 开启）", "no offices.yaml in this repository: nothing is enforced (tracker office add turns it on)"),
    "summary": ("检查 {n} 个提交：✔ {ok} 个已验证，⚠ {unsigned} 个未签名，✖ {failed} 个未通过，{free} 个在 offices.yaml 之前", "{n} commits checked: ✔ {ok} verified, ⚠ {unsigned} unsigned, ✖ {failed} failed, {free} before offices.yaml"),
    "clean": ("全部通过", "all clean"),
    "no_commits": ("还没有任何提交", "no commits yet"),
    "err_since": ("--since {since!r}：既不是日期（YYYY-MM-DD），也不是本仓库的提交或标签",
                  "--since {since!r}: neither a date (YYYY-MM-DD) nor a commit or tag of this repository"),
    "installed": ("已安装 {path}：每次推送都会检查（签名、科室权限、文件校验、只允许快进，不能删除 {branch}）",
                  "installed {path}: every push is checked (signatures, offices' rights, file validation, "
                  "fast-forward only, {branch} cannot be deleted)"),
})


HELP = book("help.trust", {
    "verify": ("检查每个提交：由科室成员签名、在科室权限之内；发现任何问题时以 1 退出",
               "check every commit: signed by an office member, within the office's rights; exit 1 when anything is found"),
    "since": ("只查某日期（YYYY-MM-DD）之后或某提交/标签之后（REV..HEAD）的提交",
              "only commits after a date (YYYY-MM-DD) or after a commit/tag (REV..HEAD)"),
    "accept_history": ("在报告历史被改写之后：从此以现有历史为已验证的历史",
                       "after a reported rewrite: take the present history as the verified one from now on"),
    "serve": ("在共享裸仓库上强制执行这些检查（`tracker serve install`）",
              "enforce the checks on a shared bare repository (tracker serve install)"),
    "install": ("把 pre-receive 钩子安装到裸仓库", "install the pre-receive hook into a bare repository"),
    "bare_repo": ("共享的裸仓库路径", "the shared bare repository's path"),
    "branch": ("拒绝删除的共享分支（默认：main）", "the shared branch whose deletion is refused (default: main)"),
})


def register(sub, common) -> None:
    h = helps("trust", common)
    p = sub.add_parser("verify", parents=[common], help=h("verify"))
    p.add_argument("--since", metavar="DATE|REV", help=h("since"))
    p.add_argument("--accept-history", action="store_true", help=h("accept_history"))
    add_format(p)
    p.set_defaults(func=cmd_verify)

    s = sub.add_parser("serve", parents=[common], help=h("serve"))
    ssub = s.add_subparsers(dest="serve_command", metavar="ACTION", required=True)
    i = ssub.add_parser("install", parents=[common], help=h("install"))
    i.add_argument("bare_repo", metavar="BARE_REPO", help=h("bare_repo"))
    i.add_argument("--branch", default="main", help=h("branch"))
    i.set_defaults(func=cmd_serve_install)


def cmd_verify(args) -> int:
    from .. import offices as offices_mod
    from .. import verify as v
    from ..gitstore import GitRepo
    from ..signing import write_allowed_signers
    from ..store import Workspace

    ws = Workspace.discover(getattr(args, "repo", None), getattr(args, "plan", None))
    git = ws.git
    lang = lang_of(args, ws)
    L = table("trust", lang)
    head = git.head()
    if head is None:
        write(say("trust.no_commits", lang) + "\n")
        return 0
    ever = git.run("log", "--format=%H", "-1", "HEAD", "--", offices_mod.OFFICES_FILE).strip()
    if not ever:
        if args.format == "json":
            emit_json({"enforced": False, "commits": [], "findings": []})
        else:
            write(L["none"] + "\n")
        return 0
    try:
        write_allowed_signers(git, offices_mod.load(ws.root))  # keep git's own view in step with the file
    except TrackerError:
        pass
    revs = ["HEAD"]
    if args.since:
        if _DATE.match(args.since):
            revs = [f"--since={args.since}", "HEAD"]
        else:
            if not git.ok("rev-parse", "--verify", "-q", args.since + "^{commit}"):
                raise TrackerError(say("trust.err_since", "en", since=args.since), key="trust.err_since", since=args.since)
            revs = [f"{args.since}..HEAD"]
    checks = v.check_commits(git, revs)
    findings = [f for c in checks for f in c.findings]
    rw = v.rewritten(git)
    if rw is not None and not args.accept_history:
        findings.insert(0, rw)
    if rw is None or args.accept_history:
        shared = v.shared_head(git)
        if shared:
            v.write_record(git, shared)
    by_sha = {c.sha: c for c in checks}
    counts = {s: sum(1 for c in checks if c.state == s) for s in ("ok", "unsigned", "failed", "unenforced")}
    if args.format == "json":
        emit_json({"enforced": True, "commits": [c.as_json() for c in checks], "findings": [f.as_json() for f in findings],
                   "counts": counts})
        return 1 if findings else 0
    if findings:
        rows = []
        for f in findings:
            c = by_sha.get(f.commit)
            when = datetime.fromtimestamp(c.date).strftime("%Y-%m-%d %H:%M") if c and c.date else ""
            rows.append([f.commit[:7], when, visible(c.author) if c else "", visible(f.office or (c.office if c else "")),
                         visible(f"{f.path}: {f.field}" if f.field else f.path), f.rule or f.kind, visible(f.text(lang))])
        emit_table([L["commit"], L["date"], L["author"], L["office"], L["what"], L["rule"], L["problem"]], rows)
    write(L["summary"].format(n=len(checks), ok=counts["ok"], unsigned=counts["unsigned"], failed=counts["failed"],
                              free=counts["unenforced"]) + ("" if findings else f"; {L['clean']}") + "\n")
    return 1 if findings else 0


def cmd_serve_install(args) -> int:
    from ..serve import install

    path = install(args.bare_repo, branch=args.branch)
    write(say("trust.installed", lang_of(args), path=visible(path), branch=args.branch) + "\n")
    return 0
