"""Signing this clone's commits with an office member's SSH key (git's gpg.format=ssh).

`tracker office join` writes the local git config; from then on every commit git makes in this
clone, the tool's included, is signed (`commit.gpgsign=true`).  Signing never prompts: a key with
a passphrase is used through ssh-agent (the public key is configured and ssh-keygen asks the
agent); a key that the agent does not hold makes the commit fail with a clear message instead
(tracker.gitstore sets SSH_ASKPASS_REQUIRE=force with a failing askpass).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .i18n import book, table, told
from .model import TrackerError
from .offices import OFFICES_FILE, Offices, parse_key

ALLOWED_SIGNERS = "allowed_signers"
OFFICE_CONFIG = "tracker.office"


#: refusals of reading a key and joining an office (str(err) English, err.text(lang) the user's language)
book("signing", {
    "passphrase": ("{priv}：该私钥有口令，且没有 {pub}，无法读取其公钥；请执行一次：ssh-keygen -y -f {priv} > {priv}.pub",
                   "{priv}: cannot read its public key without the passphrase and there is no {pub}; "
                   "write it once with: ssh-keygen -y -f {priv} > {priv}.pub"),
    "no_key": ("{path}：没有这个密钥文件（可用此命令生成：ssh-keygen -t ed25519 -f {path}）",
               "{path}: no such key file (make one with: ssh-keygen -t ed25519 -f {path})"),
    "bad_key": ("{path}：{problem}", "{path}: {problem_en}"),
    "no_offices": ("本仓库没有 {file}：须先由督查科室添加各科室"
                   "（tracker office add 名称 --role 角色 --unit 单位 --key 文件.pub）",
                   "this repository has no {file}: a supervisor adds the offices first "
                   "(tracker office add NAME --role ROLE --unit U --key FILE.pub)"),
    "no_office": ("{file}：没有名为 {name!r} 的科室（现有科室：{have}）", "{file}: no office named {name!r} (offices: {have})"),
    "not_member": ("{path}：该密钥不是 {file} 中 {office} 成员的密钥（{where}）；督查科室可用此命令添加：{command}",
                   "{path}: this key is not a member's key of {office} in {file} ({where_en}); "
                   "a supervisor adds it with: {command}"),
})


def _err(entry: str, **args) -> TrackerError:
    """The book entry `signing.<entry>` as an error: str() English, err.text(lang) the user's."""
    return TrackerError.keyed(f"signing.{entry}", **args)


@dataclass(frozen=True)
class KeyFiles:
    public_line: str          # "ssh-ed25519 AAAA... comment"
    signing_key: str          # what user.signingkey gets: the private key, or the .pub (agent)
    needs_agent: bool


def read_key(path: str) -> KeyFiles:
    """The public key of a key pair given by either file, and what git should sign with."""
    p = Path(path).expanduser()
    if p.suffix == ".pub":
        pub, priv = p, p.with_suffix("")
    else:
        pub, priv = Path(str(p) + ".pub"), p
    if pub.is_file():
        line = pub.read_text("utf-8", "replace").strip()
    elif priv.is_file():
        r = subprocess.run(["ssh-keygen", "-y", "-P", "", "-f", str(priv)], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise _err("passphrase", priv=priv, pub=pub.name)
        line = r.stdout.strip()
    else:
        raise _err("no_key", path=p)
    parsed = parse_key(line)
    if isinstance(parsed, str):
        raise _err("bad_key", path=pub, problem=told(parsed, "zh"), problem_en=str(parsed))
    if not priv.is_file():  # only the public half here: the agent must hold the private one
        return KeyFiles(line, str(pub.resolve()), True)
    protected = subprocess.run(["ssh-keygen", "-y", "-P", "", "-f", str(priv)], capture_output=True,
                               stdin=subprocess.DEVNULL).returncode != 0
    return KeyFiles(line, str((pub if protected else priv).resolve()), protected)


def write_allowed_signers(git, offices: Offices | None) -> Path:
    """.git/tracker/allowed_signers from offices.yaml (for `git log --show-signature` and
    `git verify-commit`); tracker's own checks read offices.yaml as it stood before each commit."""
    d = git.git_dir / "tracker"
    d.mkdir(parents=True, exist_ok=True)
    path = d / ALLOWED_SIGNERS
    text = offices.allowed_signers() if offices else ""
    tmp = path.with_name(ALLOWED_SIGNERS + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)
    return path


def join(git, offices: Offices | None, office_name: str, key_path: str) -> tuple[str, str, KeyFiles]:
    """Configure this clone to sign as a member of `office_name`; returns (office, member, key)."""
    if offices is None:
        raise _err("no_offices", file=OFFICES_FILE)
    office = offices.by_name(office_name)
    if office is None:
        names = [o.name for o in offices.offices]
        raise _err("no_office", file=OFFICES_FILE, name=office_name, have=names)
    keys = read_key(key_path)
    parsed = parse_key(keys.public_line)
    assert not isinstance(parsed, str)
    found = offices.member_for_key(parsed[1])
    if found is None or found[0].name != office.name:
        where = f"该密钥属于 {found[0].name} 的 {found[1].name}" if found else "文件中没有该密钥"
        where_en = f"it belongs to {found[1].name} of {found[0].name}" if found else "it is not in the file"
        command = (f"tracker office add {office.name} --role {office.role} "
                   + " ".join(f"--unit {u}" for u in office.units) + f" --key {keys.public_line.split()[0]}.pub")
        raise _err("not_member", path=key_path, office=office.name, file=OFFICES_FILE, where=where, where_en=where_en,
                   command=command)
    member = found[1]
    allowed = write_allowed_signers(git, offices)
    settings = [
        ("gpg.format", "ssh"),
        ("user.signingkey", keys.signing_key),
        ("commit.gpgsign", "true"),
        ("tag.gpgsign", "false"),
        ("gpg.ssh.allowedSignersFile", str(allowed)),
        ("user.name", member.name),
        (OFFICE_CONFIG, office.name),
    ]
    if member.email:
        settings.append(("user.email", member.email))
    for key, value in settings:
        git.run("config", "--local", key, value)
    return office.name, member.name, keys


def acting_as(git) -> str | None:
    """The office this clone signs for (`tracker office join`), or None."""
    st, out, _ = git._execute(["config", "--local", "--get", OFFICE_CONFIG], check=False)
    return out.decode("utf-8", "replace").strip() or None if st == 0 else None


_WHO = book("signing", {
    "as": ("身份：{member}（{office}）", "as {member} of {office}"),
    "unsigned": ("身份：{member}，未加入科室，提交不签名", "as {member}: no office joined, commits unsigned"),
    "unknown": ("身份：{office}（签名人不在 offices.yaml 中）", "as {office} (signer not in offices.yaml)"),
})


def acting_as_label(root, git, lang: str = "zh") -> str | None:
    """The TUI header's line: who this clone commits as, and for which office; None where the
    repository has no offices.yaml and the clone joined none (nothing to say).  Runs git: call
    it from a worker thread."""
    from .offices import load

    words = table("signing", lang)
    office = acting_as(git)
    try:
        offices = load(root)
    except TrackerError:
        offices = None
    if offices is None and office is None:
        return None
    try:
        member = git.identity().name
    except TrackerError:
        member = "?"
    if office is None:
        return words["unsigned"].format(member=member)
    found = offices.by_name(office) if offices else None
    if found is None or not any(m.name == member for m in found.members):
        return words["unknown"].format(office=office)
    return words["as"].format(member=member, office=office)
