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

from .i18n import book, table
from .model import TrackerError
from .offices import OFFICES_FILE, Offices, parse_key

ALLOWED_SIGNERS = "allowed_signers"
OFFICE_CONFIG = "tracker.office"


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
            raise TrackerError(f"{priv}: cannot read its public key without the passphrase and there is no {pub.name}; "
                               f"write it once with: ssh-keygen -y -f {priv} > {priv}.pub")
        line = r.stdout.strip()
    else:
        raise TrackerError(f"{p}: no such key file (make one with: ssh-keygen -t ed25519 -f {p})")
    parsed = parse_key(line)
    if isinstance(parsed, str):
        raise TrackerError(f"{pub}: {parsed}")
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
        raise TrackerError(f"this repository has no {OFFICES_FILE}: a supervisor adds the offices first "
                           f"(tracker office add NAME --role ROLE --unit U --key FILE.pub)")
    office = offices.by_name(office_name)
    if office is None:
        raise TrackerError(f"{OFFICES_FILE}: no office named {office_name!r} "
                           f"(offices: {', '.join(o.name for o in offices.offices)})")
    keys = read_key(key_path)
    parsed = parse_key(keys.public_line)
    assert not isinstance(parsed, str)
    found = offices.member_for_key(parsed[1])
    if found is None or found[0].name != office.name:
        where = f"it belongs to {found[1].name} of {found[0].name}" if found else "it is not in the file"
        raise TrackerError(f"{key_path}: this key is not a member's key of {office.name} in {OFFICES_FILE} ({where}); "
                           f"a supervisor adds it with: tracker office add {office.name} --role {office.role} "
                           + " ".join(f"--unit {u}" for u in office.units) + f" --key {keys.public_line.split()[0]}.pub")
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
