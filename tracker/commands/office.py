"""tracker office add / list / remove / join: the offices of offices.yaml and this clone's signer."""
from __future__ import annotations

from pathlib import Path

from ..i18n import book, join as join_words, os_words, say, table
from ..model import TrackerError
from ..output import emit_json, emit_table, visible, write
from ._common import add_format, helps, lang_of, workspace

_L = book("office", {
    "add": ("新增科室", "add office"),
    "extend": ("科室增加成员", "add members to office"),
    "remove": ("删除科室", "remove office"),
    "office": ("科室", "office"),
    "role": ("角色", "role"),
    "units": ("代表单位", "acts for"),
    "members": ("成员", "members"),
    "key": ("密钥", "key"),
    "supervisor": ("督查", "supervisor"),
    "unit": ("单位", "unit"),
    "err_empty_name": ("科室名称不能为空", "office name must not be empty"),
    "err_no_unit": ("单位科室至少代表一个单位：用 --unit 单位 指定（可重复）",
                    "a unit office acts for at least one unit: give --unit U (repeat for more)"),
    "err_member_email": ("--member 和 --email 各对应一个 --key（按相同顺序给出）",
                         "--member and --email belong to a --key each (give them in the same order)"),
    "err_read_key": ("{path}：无法读取公钥：{reason}", "{path}: cannot read the public key: {reason}"),
    "err_bad_key": ("{path}：{problem}", "{path}: {problem}"),
    "err_private_key": ("{path}：{problem}（请给出 .pub 公钥文件，而不是私钥）",
                        "{path}: {problem} (give the .pub file, not the private key)"),
    "err_no_comment": ("{path}：该密钥没有注释，无法确定成员：请用 --member 姓名 指定",
                       "{path}: the key has no comment to name its member: give --member NAME"),
    "err_join_key": ("--join 需要 --key：本克隆签名所用的密钥", "--join needs a --key: the key this clone signs with"),
    "joined": ("本克隆此后的每个提交都以 {office} 的 {member} 身份签名",
               "this clone now signs every commit as {member} of {office}"),
    "joined_how": ("本克隆此后的每个提交都以 {office} 的 {member} 身份签名"
                   "（gpg.format=ssh，user.signingkey={signing_key}，commit.gpgsign=true）",
                   "this clone now signs every commit as {member} of {office} "
                   "(gpg.format=ssh, user.signingkey={signing_key}, commit.gpgsign=true)"),
    "passphrase": ("该密钥有口令：保存前先用 ssh-add 把它载入 ssh-agent；tracker 从不询问口令",
                   "the key has a passphrase: load it into ssh-agent (ssh-add) before saving; tracker never asks for it"),
    "no_offices": ("没有 {file}：不做任何强制检查（tracker office add 名称 --role supervisor --key 文件.pub 开启）",
                   "no {file}: nothing is enforced (tracker office add NAME --role supervisor --key FILE.pub)"),
})


def _error(key: str, **args) -> TrackerError:
    """An error in the user's language (the CLI shows err.text(lang)); str() is the English text."""
    return TrackerError(say(f"office.{key}", "en", **args), key=f"office.{key}", **args)


HELP = book("help.office", {
    "office": ("科室、其权限和成员的密钥（offices.yaml）；加入一个科室即以其名义签名",
               "offices, their rights and members' keys (offices.yaml); join one to sign"),
    "add": ("新增科室（或为科室增加成员）：offices.yaml 的一次提交", "add an office (or a member to one): one commit of offices.yaml"),
    "add_name": ("科室名称，如 督查室 或 水利局办公室", "the office's name, e.g. 督查室 or 水利局办公室"),
    "add_role": ("角色：supervisor（督查）或 unit（单位）", "the office's role: supervisor or unit"),
    "add_unit": ("该科室所代表的单位（可重复）", "a unit the office acts for (repeat)"),
    "add_key": ("成员的 SSH 公钥文件（可重复）", "a member's SSH public key file (repeat)"),
    "add_member": ("每个 --key 对应的成员姓名，即其 git user.name（默认：密钥的注释）",
                   "the member's name for each --key, as their git user.name (default: the key's comment)"),
    "add_email": ("每个 --key 对应的成员邮箱（可选）", "the member's email for each --key (optional)"),
    "add_join": ("本克隆从这次提交起以（第一个）--key 的成员身份签名（首位督查人员由此开启强制检查）",
                 "this clone signs as the (first) --key's member from now on, starting with this commit "
                 "(how the first supervisor starts enforcement)"),
    "list": ("列出科室、角色、代表单位和成员", "the offices, roles, units and members"),
    "remove": ("删除科室：offices.yaml 的一次提交", "remove an office: one commit of offices.yaml"),
    "remove_name": ("要删除的科室名称", "the office's name"),
    "join": ("以某科室成员的身份为本克隆的提交签名（git 配置）", "sign this clone's commits as a member of an office (git config)"),
    "join_name": ("科室", "the office"),
    "join_key": ("你的 SSH 密钥（私钥或 .pub），如 ~/.ssh/id_ed25519", "your SSH key (private or .pub), e.g. ~/.ssh/id_ed25519"),
})


def register(sub, common) -> None:
    h = helps("office", common)
    p = sub.add_parser("office", parents=[common], help=h("office"))
    osub = p.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    a = osub.add_parser("add", parents=[common], help=h("add"))
    a.add_argument("name", help=h("add_name"))
    a.add_argument("--role", choices=("supervisor", "unit"), required=True, help=h("add_role"))
    a.add_argument("--unit", action="append", default=[], metavar="U", help=h("add_unit"))
    a.add_argument("--key", action="append", default=[], metavar="PUBKEY_FILE", help=h("add_key"))
    a.add_argument("--member", action="append", default=[], metavar="NAME", help=h("add_member"))
    a.add_argument("--email", action="append", default=[], metavar="EMAIL", help=h("add_email"))
    a.add_argument("--join", action="store_true", help=h("add_join"))
    a.set_defaults(func=cmd_add)

    ls = osub.add_parser("list", parents=[common], help=h("list"))
    add_format(ls)
    ls.set_defaults(func=cmd_list)

    r = osub.add_parser("remove", parents=[common], help=h("remove"))
    r.add_argument("name", help=h("remove_name"))
    r.set_defaults(func=cmd_remove)

    j = osub.add_parser("join", parents=[common], help=h("join"))
    j.add_argument("name", help=h("join_name"))
    j.add_argument("--key", required=True, metavar="KEY", help=h("join_key"))
    j.set_defaults(func=cmd_join)


def _commit(ws, text: str, subject: str, body: str, trailer: str) -> str:
    from ..offices import OFFICES_FILE
    from ..signing import write_allowed_signers
    from ..offices import parse
    from ..yamlio import atomic_write

    path = ws.root / OFFICES_FILE
    with ws.lock():
        old = path.read_bytes() if path.exists() else None
        atomic_write(path, text)
        try:
            sha = ws.git.commit_paths([OFFICES_FILE], f"{subject}\n\n{body}\n\nTracker-Offices: {trailer}\n",
                                      allow_new=old is None)
        except Exception:
            if old is None:
                path.unlink(missing_ok=True)
                ws.git.run("rm", "-q", "--cached", "--ignore-unmatch", "--", OFFICES_FILE)
            else:
                atomic_write(path, old.decode("utf-8"))
            raise
    write_allowed_signers(ws.git, parse(text))
    return sha


def cmd_add(args) -> int:
    from ..offices import add_office, load, parse_key

    ws = workspace(args)
    lang = lang_of(args, ws)
    L = table("office", lang)
    name = args.name.strip()
    if not name:
        raise _error("err_empty_name")
    if args.role == "unit" and not args.unit:
        raise _error("err_no_unit")
    if len(args.member) > len(args.key) or len(args.email) > len(args.key):
        raise _error("err_member_email")
    members = []
    for i, kp in enumerate(args.key):
        p = Path(kp).expanduser()
        try:
            line = p.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise _error("err_read_key", path=kp, reason=os_words(exc)) from None
        parsed = parse_key(line)
        if isinstance(parsed, str):
            raise _error("err_private_key" if "PRIVATE" in line else "err_bad_key", path=kp, problem=parsed)
        parts = line.split()
        member = args.member[i] if i < len(args.member) else (" ".join(parts[2:]) if len(parts) > 2 else "")
        if not member:
            raise _error("err_no_comment", path=kp)
        members.append({"name": member, "email": args.email[i] if i < len(args.email) else "", "key": f"{parts[0]} {parts[1]}"})
    before = load(ws.root)
    text = add_office(ws.root, name, args.role, list(args.unit), members)
    extending = before is not None and before.by_name(name) is not None
    who = join_words((m["name"] for m in members), lang)
    units = join_words(args.unit, lang) or "—"
    subject = (f"offices.yaml: {L['extend']} {name}: {who}" if extending else
               f"offices.yaml: {L['add']} {name} ({L[args.role]}{': ' + units if args.unit else ''})")
    body = "\n".join([f"{L['office']}: {name}", f"{L['role']}: {args.role}", f"{L['units']}: {units}",
                      *(f"{L['members']}: {m['name']} {m['key'][:24]}…" for m in members)])
    joined = None
    if args.join:
        if not args.key:
            raise _error("err_join_key")
        from ..offices import parse
        from ..signing import join

        joined = join(ws.git, parse(text), name, args.key[0])
    sha = _commit(ws, text, subject, body, f"{'extend' if extending else 'add'} {name}")
    write(f"[{sha[:7]}] {visible(subject)}\n")
    _warn_unknown_units(ws, name, args.role, list(args.unit), lang)
    if joined:
        write(say("office.joined", lang, member=visible(joined[1]), office=visible(joined[0])) + "\n")
    return 0


def _warn_unknown_units(ws, name: str, role: str, units: list[str], lang: str) -> None:
    """A --unit that is no unit of the plan (a typo gives the office no rights): said on stderr,
    with the closest plan names.  The office is added all the same."""
    if not units:
        return
    from ..offices import Office, Offices, plan_units, unknown_unit_message, unknown_units
    from ..output import err_console
    from ..units import load_aliases

    try:
        known = plan_units(ws.load())
        found = unknown_units(Offices((Office(name=name, role=role, units=tuple(units), members=()),)), known,
                              load_aliases(ws.root))
    except TrackerError:
        return  # a plan that does not load is tracker check's business
    for x in found:
        err_console().print(unknown_unit_message(*x, lang=lang), markup=False, highlight=False, soft_wrap=True)


def cmd_remove(args) -> int:
    from ..offices import remove_office

    ws = workspace(args)
    L = table("office", lang_of(args, ws))
    text = remove_office(ws.root, args.name.strip())
    subject = f"offices.yaml: {L['remove']} {args.name.strip()}"
    sha = _commit(ws, text, subject, f"{L['office']}: {args.name.strip()}", f"remove {args.name.strip()}")
    write(f"[{sha[:7]}] {visible(subject)}\n")
    return 0


def cmd_list(args) -> int:
    from ..offices import OFFICES_FILE, load
    from ..signing import acting_as

    ws = workspace(args)
    lang = lang_of(args, ws)
    L = table("office", lang)
    offices = load(ws.root)
    if offices is None:
        if args.format == "json":
            emit_json([])
        else:
            write(say("office.no_offices", lang, file=OFFICES_FILE) + "\n")
        return 0
    me = acting_as(ws.git)
    if args.format == "json":
        emit_json([{"name": o.name, "role": o.role, "units": list(o.units),
                    "members": [{"name": m.name, "email": m.email, "key": m.key} for m in o.members]}
                   for o in offices.offices])
        return 0
    rows = [[o.name + (" ◀" if o.name == me else ""), L[o.role], "、".join(o.units) or "—",
             "、".join(m.name for m in o.members) or "—",
             ", ".join(m.key.split()[0] + " …" + m.key.split()[1][-8:] for m in o.members)]
            for o in offices.offices]
    emit_table([L["office"], L["role"], L["units"], L["members"], L["key"]], rows)
    return 0


def cmd_join(args) -> int:
    from ..offices import load
    from ..signing import join

    ws = workspace(args)
    lang = lang_of(args, ws)
    office, member, keys = join(ws.git, load(ws.root), args.name.strip(), args.key)
    write(say("office.joined_how", lang, member=visible(member), office=visible(office),
              signing_key=visible(keys.signing_key)) + "\n")
    if keys.needs_agent:
        write(say("office.passphrase", lang) + "\n")
    return 0
