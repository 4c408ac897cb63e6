"""`offices.yaml`: the offices, their roles, the units each acts for, and their members' SSH keys.

The file sits at the repository root (it governs every plan year in the repository):

```yaml
offices:
  - name: 督查室
    role: supervisor          # supervisor | unit
    members:
      - name: 张三            # must be the git author name of the member's commits
        email: zhangsan@example.gov.cn   # optional; when given, must be the author email
        key: ssh-ed25519 AAAAC3Nz... zhangsan@laptop
  - name: 水利局办公室
    role: unit
    units: [市水利局]         # the units this office acts for (lead or co-unit of an item)
    members:
      - name: 李四
        key: ssh-ed25519 AAAAC3Nz...
```

A repository without the file enforces nothing; with it, every commit after the one that added it
must be signed by a member's key and stay within the member's office's rights
(`tracker.permissions`).  Loading validates everything and names `file:line:col: field` of each
problem, like the plan's own files.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import Words, book, join, os_words, said, say
from .model import TrackerError
from .schema import Problem, _Checker, _show, error_problem
from .yamlio import YamlError, decode, fast_load

OFFICES_FILE = "offices.yaml"
ROLES = ("supervisor", "unit")
KEY_TYPES = (
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)


#: offices.yaml's faults and the refusals of editing it (str(err) English, err.text(lang) the user's language)
book("offices", {
    "problems": ("{lines}", "{lines_en}"),
    "not_key_line": ("须为一行 SSH 公钥：类型 BASE64 [注释]", "must be an SSH public key line: TYPE BASE64 [comment]"),
    "key_type": ("不支持密钥类型 {kind!r}（可用：{types}）", "key type {kind!r} is not supported (use one of: {types})"),
    "key_base64": ("密钥的 base64 部分无法解码", "the key's base64 part does not decode"),
    "key_truncated": ("密钥不完整（被截断）", "the key is truncated"),
    "key_data": ("密钥数据不是 {kind} 密钥", "the key's data is not a {kind} key"),
    "key_twice": ("该密钥已是 {owner} 的密钥：一人一钥", "this key is already the key of {owner}: one key, one member"),
    "not_list": ("须为非空的科室列表，而不是 {value}", "must be a non-empty list of offices, not {value}"),
    "twice": ("科室 {name!r} 出现两次", "office {name!r} appears twice"),
    "not_members": ("须为成员列表，而不是 {value}", "must be a list of members, not {value}"),
    "no_supervisor": ("没有角色为 supervisor（督查）的科室：此后将无人能修改本文件",
                      "no office has role supervisor: nobody could ever change this file again"),
    "cannot_read": ("{file}：无法读取：{why}", "{file}: cannot read: {why}"),
    "office_differs": ("{file}：科室 {name!r} 已存在，角色为 {role}，代表单位为 {units}；如需更改，请先删除该科室",
                       "{file}: office {name!r} exists with role {role} and units {units}; remove it first to change them"),
    "no_office": ("{file}：没有名为 {name!r} 的科室（现有科室：{have}）", "{file}: no office named {name!r} (offices: {have})"),
    "no_units": ("（无）", "-"),
})


class OfficesError(TrackerError):
    """offices.yaml is invalid; `problems` names each fault (a message that is a Said shows in the
    user's language through err.text(lang); str(err) is the English lines as always)."""

    def __init__(self, problems: list[Problem], *, key: str | None = None, **args: Any):
        self.problems = problems
        if key is None:  # the usual case: the problems' lines, each in the user's language
            key, args = "offices.problems", {"lines": "\n".join(p.text("zh") for p in problems),
                                             "lines_en": "\n".join(str(p) for p in problems)}
        super().__init__(say(key, "en", **args), key=key, **args)


def _err(entry: str, **args) -> TrackerError:
    """The book entry `offices.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"offices.{entry}", **args)


@dataclass(frozen=True)
class Member:
    name: str
    email: str
    key: str          # "ssh-ed25519 AAAA..." (type and base64, no comment)
    office: str

    @property
    def key_blob(self) -> bytes:
        return base64.b64decode(self.key.split()[1])


@dataclass(frozen=True)
class Office:
    name: str
    role: str
    units: tuple[str, ...]
    members: tuple[Member, ...] = field(default=())

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def acts_for(self, units: tuple[str, ...] | list[str]) -> bool:
        """Does this office act for any of `units` (an item's lead and co-units)?"""
        return self.is_supervisor or any(u in self.units for u in units)


@dataclass(frozen=True)
class Offices:
    offices: tuple[Office, ...]

    def by_name(self, name: str) -> Office | None:
        return next((o for o in self.offices if o.name == name), None)

    def member_for_key(self, blob: bytes) -> tuple[Office, Member] | None:
        """The member whose public key is `blob` (the SSH wire format), with their office."""
        for o in self.offices:
            for m in o.members:
                if m.key_blob == blob:
                    return o, m
        return None

    def allowed_signers(self) -> str:
        """git's allowed-signers file (gpg.ssh.allowedSignersFile): one line per member.  The
        principal is the member's email when given, else the name (quoted)."""
        lines = []
        for o in self.offices:
            for m in o.members:
                principal = m.email or m.name
                lines.append(f'"{principal}" namespaces="git" {m.key}  # {o.name}')
        return "\n".join(lines) + ("\n" if lines else "")


def parse_key(text: str) -> tuple[str, bytes] | str:
    """(key type, wire blob) of an OpenSSH public key line, or an error message."""
    parts = text.split()
    if len(parts) < 2:
        return said("offices.not_key_line")
    kind, b64 = parts[0], parts[1]
    if kind not in KEY_TYPES:
        return said("offices.key_type", kind=kind, types=", ".join(KEY_TYPES))  # ASCII ids: a 、 list would be one
        # unbreakable word, which the terminal wrap (rich) moves whole to the next line
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return said("offices.key_base64")
    if len(blob) < 4:
        return said("offices.key_truncated")
    n = int.from_bytes(blob[:4], "big")
    if blob[4:4 + n].decode("ascii", "replace") != kind:
        return said("offices.key_data", kind=kind)
    return kind, blob


def parse(text: str, path: str = OFFICES_FILE) -> Offices:
    """Validate and read offices.yaml; raises OfficesError naming every problem."""
    try:
        data = fast_load(text, path)
    except YamlError as exc:
        raise OfficesError([error_problem(exc)]) from None
    c = _Checker(path, text)
    if not c.mapping(data, [], ("offices",), ()):
        raise OfficesError(c.problems)
    raw = data.get("offices")
    if not isinstance(raw, list) or not raw:
        c.fail(["offices"], said("offices.not_list", value=_show(raw)))
        raise OfficesError(c.problems)
    offices: list[Office] = []
    names: set[str] = set()
    keys_seen: dict[bytes, str] = {}
    for i, o in enumerate(raw):
        keys: list[str | int] = ["offices", i]
        if not c.mapping(o, keys, ("name", "role", "members"), ("units",)):
            continue
        name = c.text_(o, "name", keys, empty_ok=False).strip()
        if name in names:
            c.fail([*keys, "name"], said("offices.twice", name=name))
        names.add(name)
        role = c.enum(o, "role", keys, ROLES)
        units: tuple[str, ...] = ()
        if role == "unit" or o.get("units") not in (None, []):
            units = c.str_list(o, "units", keys)
        members: list[Member] = []
        raw_m = o.get("members")
        if not isinstance(raw_m, list):
            c.fail([*keys, "members"], said("offices.not_members", value=_show(raw_m)))
            raw_m = []
        for j, m in enumerate(raw_m):
            mkeys = [*keys, "members", j]
            if not c.mapping(m, mkeys, ("name", "key"), ("email",)):
                continue
            mname = c.text_(m, "name", mkeys, empty_ok=False).strip()
            email = c.text_(m, "email", mkeys, required=False).strip()
            key = c.text_(m, "key", mkeys, empty_ok=False)
            if not key:
                continue
            parsed = parse_key(key)
            if isinstance(parsed, str):
                c.fail([*mkeys, "key"], parsed)
                continue
            kind, blob = parsed
            if blob in keys_seen:
                c.fail([*mkeys, "key"], said("offices.key_twice", owner=keys_seen[blob]))
                continue
            keys_seen[blob] = f"{mname} ({name})"
            members.append(Member(name=mname, email=email, key=f"{kind} {key.split()[1]}", office=name))
        offices.append(Office(name=name, role=role, units=units, members=tuple(members)))
    if c.problems:
        raise OfficesError(c.problems)
    if not any(o.is_supervisor for o in offices):
        raise OfficesError([Problem(path, 1, 1, "offices", said("offices.no_supervisor"), key="offices.no_supervisor")])
    return Offices(tuple(offices))


def parse_bytes(raw: bytes, path: str = OFFICES_FILE) -> Offices:
    try:
        text = decode(raw, path)
    except YamlError as exc:
        raise OfficesError([error_problem(exc)]) from None
    return parse(text, path)


def load(root: str | Path) -> Offices | None:
    """The work tree's offices.yaml, or None when the repository has none (nothing enforced)."""
    p = Path(root) / OFFICES_FILE
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _err("cannot_read", file=OFFICES_FILE, why=os_words(exc)) from None
    return parse_bytes(raw)


# -- units that are no unit of the plan: a typo gives an office no rights, silently ----------
def plan_units(data) -> list[str]:
    """Every unit the plan's tasks and targets name (lead and co-units), in order of appearance."""
    names: dict[str, None] = {}
    for item in (*data.tasks, *data.targets):
        for u in (*getattr(item, "leads", ()), *item.units):
            names.setdefault(u, None)
    return list(names)


def unknown_units(offices: Offices | None, units: list[str], aliases=None) -> list[tuple[str, str, list[str]]]:
    """(office, unit, closest plan units) for each unit an office acts for that the plan does not
    name: rights go by exact name, so 市水力局 for 市水利局 gives that office no rights at all.
    Suggestions: the plan's spellings of the same unit by the alias table (units.yaml over the
    built-in one; e.g. 市发改委 -> 市发展改革委), else the closest names (difflib, ratio >= 0.6:
    市水力局 -> 市水利局, not every 市…局).  A plan with no
    units (none loaded) is no measure: nothing is reported."""
    import difflib

    from .units import Aliases

    if offices is None or not units:
        return []
    aliases = aliases if aliases is not None else Aliases()
    known = set(units)
    out = []
    for o in offices.offices:
        if o.is_supervisor:  # a supervisor's rights do not go by unit
            continue
        for u in o.units:
            if u in known:
                continue
            key = aliases.canonical(u)
            same = [p for p in units if aliases.canonical(p) == key]
            out.append((o.name, u, same[:3] or difflib.get_close_matches(u, units, n=3, cutoff=0.6)))
    return out


WORDS = book("offices", {
    "unknown_unit": ("{file}: 提示：科室 {office} 代表的单位 {unit} 不是计划中的单位，该科室不会因它获得任何权限{hint}",
                     "{file}: warning: office {office} acts for {unit}, which is no unit of the plan, so it gives the "
                     "office no rights{hint}"),
    "did_you_mean": ("；是否应为：{names}？", "; did you mean {names}?"),
    "check_name": ("；请核对单位名称（tracker units 列出计划中的单位）", "; check the name (tracker units lists the plan's units)"),
})


def unknown_unit_message(office: str, unit: str, suggestions: list[str], lang: str = "en") -> str:
    hint = say("offices.did_you_mean", lang, names=join(suggestions, lang)) if suggestions else say("offices.check_name", lang)
    return say("offices.unknown_unit", lang, file=OFFICES_FILE, office=office, unit=unit, hint=hint)


# -- editing (tracker office add / remove): ruamel round trip, comments kept ----------------------
def _rt_load(root: Path) -> Any:
    from .yamlio import rt_load

    p = root / OFFICES_FILE
    if not p.exists():
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        doc = CommentedMap()
        doc["offices"] = CommentedSeq()
        doc.yaml_set_start_comment("Offices: who may change what (README: Offices and trust).\n"
                                   "Only a supervisor office may change this file.")
        return doc
    return rt_load(p.read_text("utf-8"), OFFICES_FILE)


def add_office(root: Path, name: str, role: str, units: list[str], members: list[dict[str, str]]) -> str:
    """offices.yaml with the office added (or its members extended when it exists with the same
    role and units); returns the new text, validated.  Nothing is written here."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .yamlio import rt_dump

    doc = _rt_load(root)
    seq = doc.get("offices")
    if seq is None:
        seq = doc["offices"] = CommentedSeq()
    existing = next((o for o in seq if isinstance(o, dict) and str(o.get("name", "")).strip() == name), None)
    if existing is not None:
        if existing.get("role") != role or sorted(existing.get("units") or []) != sorted(units):
            had = existing.get("units") or []
            raise _err("office_differs", file=OFFICES_FILE, name=name, role=existing.get("role"),
                       units=Words(had, none="offices.no_units"))
        target = existing.setdefault("members", CommentedSeq())
    else:
        o = CommentedMap()
        o["name"] = name
        o["role"] = role
        if units:
            us = CommentedSeq(units)
            o["units"] = us
        o["members"] = target = CommentedSeq()
        seq.append(o)
    for m in members:
        cm = CommentedMap()
        cm["name"] = m["name"]
        if m.get("email"):
            cm["email"] = m["email"]
        cm["key"] = m["key"]
        target.append(cm)
    text = rt_dump(doc)
    parse(text)  # refuse anything that would not load
    return text


def remove_office(root: Path, name: str) -> str:
    from .yamlio import rt_dump

    doc = _rt_load(root)
    seq = doc.get("offices") or []
    idx = next((i for i, o in enumerate(seq) if isinstance(o, dict) and str(o.get("name", "")).strip() == name), None)
    if idx is None:
        have = [str(o.get("name")) for o in seq if isinstance(o, dict)]
        raise _err("no_office", file=OFFICES_FILE, name=name, have=Words(have))
    del seq[idx]
    text = rt_dump(doc)
    parse(text)
    return text
