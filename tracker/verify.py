"""Verification: is every commit signed by a member of offices.yaml, and within its office's rights?

For each commit, in history order:

1. the rules in force are offices.yaml **as it stood before the commit** (at its first parent);
   a commit whose parent has no offices.yaml is not enforced, except the one that adds the file,
   which must be signed by a supervisor of the file it adds (so enforcement starts there);
2. the commit must carry an SSH signature (git's `gpgsig` header, namespace `git`) that verifies
   over the commit's payload: checked here in process (ed25519, RSA, ECDSA through the
   `cryptography` package; any other key type through `ssh-keygen -Y check-novalidate`);
3. the signing key must be a member's key, and the commit's author and committer must be that
   member (a commit signed by 李四 under the name 张三 is a forgery);
4. every field the commit changes must be granted to the member's office (`tracker.permissions`);
5. every plan, task, target and offices file it writes must pass validation.

A merge commit is checked like any other against its first parent: whatever it brings into that
line must be within the merger's rights (tracker's own history is linear: sync rebases; a merge
that a unit office makes of others' work is refused and says so).

Three git processes whatever the number of commits: one `git log --raw`, one
`git cat-file --batch` for the commit objects and the offices files, one for the changed files.
The same function serves `tracker verify`, `tracker log`'s marks and the pre-receive hook.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any, Iterable

from .i18n import pick, told
from .offices import OFFICES_FILE, Offices, OfficesError, parse_bytes
from .permissions import check_change, kind_of

NULL = "0" * 40


# -- SSH signatures (PROTOCOL.sshsig) ------------------------------------------------------------
def _string(buf: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(buf):
        raise ValueError("truncated")
    n = int.from_bytes(buf[pos:pos + 4], "big")
    if pos + 4 + n > len(buf):
        raise ValueError("truncated")
    return buf[pos + 4:pos + 4 + n], pos + 4 + n


def _ssh_string(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


@dataclass(frozen=True)
class SshSig:
    armored: str
    publickey: bytes
    namespace: bytes
    reserved: bytes
    hash_alg: bytes
    signature: bytes


def parse_sshsig(armored: str) -> SshSig | None:
    lines = [ln.strip() for ln in armored.strip().splitlines()]
    if len(lines) < 3 or lines[0] != "-----BEGIN SSH SIGNATURE-----" or lines[-1] != "-----END SSH SIGNATURE-----":
        return None
    try:
        blob = base64.b64decode("".join(lines[1:-1]), validate=True)
        if blob[:6] != b"SSHSIG" or int.from_bytes(blob[6:10], "big") != 1:
            return None
        pos = 10
        pk, pos = _string(blob, pos)
        ns, pos = _string(blob, pos)
        res, pos = _string(blob, pos)
        alg, pos = _string(blob, pos)
        sig, pos = _string(blob, pos)
    except (ValueError, base64.binascii.Error):
        return None
    return SshSig(armored, pk, ns, res, alg, sig)


def fingerprint(blob: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def check_signature(sig: SshSig, message: bytes) -> bool:
    """Does `sig` verify over `message` with the key it carries?"""
    if sig.namespace != b"git" or sig.hash_alg not in (b"sha256", b"sha512"):
        return False
    digest = hashlib.new(sig.hash_alg.decode(), message).digest()
    signed = b"SSHSIG" + _ssh_string(sig.namespace) + _ssh_string(sig.reserved) + _ssh_string(sig.hash_alg) + _ssh_string(digest)
    try:
        keytype, kpos = _string(sig.publickey, 0)
        sigtype, spos = _string(sig.signature, 0)
        raw, _ = _string(sig.signature, spos)
    except ValueError:
        return False
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
        from cryptography.hazmat.primitives.serialization import load_ssh_public_key
    except ImportError:  # pragma: no cover - cryptography is a dependency; keep working without it
        return _ssh_keygen_check(sig, message)
    try:
        if keytype == b"ssh-ed25519":
            if sigtype != b"ssh-ed25519":
                return False
            pub, _ = _string(sig.publickey, kpos)
            Ed25519PublicKey.from_public_bytes(pub).verify(raw, signed)
            return True
        if keytype == b"ssh-rsa":
            algo = {b"rsa-sha2-512": hashes.SHA512(), b"rsa-sha2-256": hashes.SHA256()}.get(sigtype)
            if algo is None:
                return False
            key = load_ssh_public_key(b"ssh-rsa " + base64.b64encode(sig.publickey))
            key.verify(raw, signed, padding.PKCS1v15(), algo)  # type: ignore[union-attr]
            return True
        if keytype.startswith(b"ecdsa-sha2-"):
            if sigtype != keytype:
                return False
            key = load_ssh_public_key(keytype + b" " + base64.b64encode(sig.publickey))
            r, p = _string(raw, 0)
            s, _ = _string(raw, p)
            der = encode_dss_signature(int.from_bytes(r, "big"), int.from_bytes(s, "big"))
            algo = {b"nistp256": hashes.SHA256(), b"nistp384": hashes.SHA384(), b"nistp521": hashes.SHA512()}[keytype[11:]]
            key.verify(der, signed, ec.ECDSA(algo))  # type: ignore[union-attr, call-arg]
            return True
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return _ssh_keygen_check(sig, message)  # sk-* keys and anything newer: OpenSSH itself


def _ssh_keygen_check(sig: SshSig, message: bytes) -> bool:
    with tempfile.NamedTemporaryFile("w", suffix=".sig", delete=False) as f:
        f.write(sig.armored if sig.armored.endswith("\n") else sig.armored + "\n")
    try:
        r = subprocess.run(["ssh-keygen", "-Y", "check-novalidate", "-n", "git", "-s", f.name],
                           input=message, capture_output=True)
        return r.returncode == 0
    except OSError:
        return False
    finally:
        os.unlink(f.name)


# -- commit objects ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommitObject:
    payload: bytes            # what was signed: the object without its gpgsig header
    signature: str | None
    author: tuple[str, str, int]      # name, email, time
    committer: tuple[str, str, int]
    subject: str


def _ident(line: bytes) -> tuple[str, str, int]:
    text = line.decode("utf-8", "replace")
    name, _, rest = text.partition(" <")
    email, _, when = rest.partition("> ")
    try:
        ts = int(when.split()[0])
    except (ValueError, IndexError):
        ts = 0
    return name, email, ts


def parse_commit(raw: bytes) -> CommitObject:
    head, sep, body = raw.partition(b"\n\n")
    kept: list[bytes] = []
    sig_lines: list[bytes] | None = None
    collecting = False
    author = committer = ("", "", 0)
    for line in head.split(b"\n"):
        if collecting and line.startswith(b" "):
            sig_lines.append(line[1:])  # type: ignore[union-attr]
            continue
        collecting = False
        if line.startswith(b"gpgsig ") and sig_lines is None:
            sig_lines = [line[7:]]
            collecting = True
            continue
        if line.startswith(b"author "):
            author = _ident(line[7:])
        elif line.startswith(b"committer "):
            committer = _ident(line[10:])
        kept.append(line)
    payload = b"\n".join(kept) + sep + body
    subject = body.split(b"\n", 1)[0].decode("utf-8", "replace")
    sig = b"\n".join(sig_lines).decode("ascii", "replace") if sig_lines else None
    return CommitObject(payload, sig, author, committer, subject)


# -- findings and results -------------------------------------------------------------------------
MARKS = {"ok": "✔", "unsigned": "⚠", "failed": "✖", "unenforced": ""}


@dataclass(frozen=True)
class Finding:
    commit: str
    kind: str          # unsigned | bad-signature | unknown-key | forged-identity | not-allowed | invalid-file | rewritten | ...
    message: str
    path: str = ""
    field: str = ""
    office: str = ""
    rule: str = ""
    zh: str = ""       # the message in Chinese

    def text(self, lang: str = "en") -> str:
        return pick((self.zh or self.message, self.message), lang)

    def as_json(self) -> dict[str, str]:
        return {"commit": self.commit, "kind": self.kind, "message": self.message, "path": self.path,
                "field": self.field, "office": self.office, "rule": self.rule}


@dataclass
class CommitCheck:
    sha: str
    subject: str = ""
    author: str = ""
    date: int = 0
    enforced: bool = False
    signed: bool = False
    office: str = ""
    member: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def state(self) -> str:
        if not self.enforced:
            return "unenforced"
        if not self.findings:
            return "ok"
        if all(f.kind == "unsigned" for f in self.findings):
            return "unsigned"
        return "failed"

    @property
    def mark(self) -> str:
        return MARKS[self.state]

    def as_json(self) -> dict[str, Any]:
        return {"commit": self.sha, "subject": self.subject, "author": self.author, "time": self.date,
                "state": self.state, "office": self.office, "member": self.member,
                "findings": [f.as_json() for f in self.findings]}


@dataclass(frozen=True)
class _Change:
    old: str
    new: str
    path: str


def _log(git, revs: list[str], stdin: str | None = None) -> list[tuple[str, list[str], list[_Change]]]:
    """(sha, parents, changes) oldest first; a merge's changes are against its first parent (all
    it brings into that line: a change made on a side branch before offices.yaml governed it, or
    in an unrelated history, cannot slip in through a merge)."""
    args = ["log", "--reverse", "--format=\x1e%H\x1f%P", "--raw", "--diff-merges=first-parent", "--no-renames",
            "--no-abbrev", "-z", *revs]
    if stdin is not None:
        args.append("--stdin")
    out = git.run(*args, input=stdin.encode() if stdin is not None else None)
    result = []
    for chunk in out.split("\x1e")[1:]:
        head, _, rest = chunk.partition("\0") if "\0" in chunk.split("\n", 1)[0] else chunk.partition("\n")
        sha, _, parents = head.strip().partition("\x1f")
        tokens = rest.split("\0")
        changes = []
        i = 0
        while i < len(tokens):
            t = tokens[i].lstrip("\n")
            if t.startswith(":") and i + 1 < len(tokens):
                n = len(t) - len(t.lstrip(":"))
                parts = t[n:].split()
                shas = parts[n + 1:2 * n + 2]
                changes.append(_Change(old=shas[0], new=shas[-1], path=tokens[i + 1]))
                i += 2
            else:
                i += 1
        result.append((sha, parents.split(), changes))
    return result


def _batch(git, names: Iterable[str]) -> dict[str, bytes]:
    """Objects by name (ids or REV:PATH) in one `git cat-file --batch`; missing names are absent."""
    return git.blobs(names)


class _Parsed:
    """Parsed YAML by blob id (each version is read once)."""

    def __init__(self, blobs: dict[str, bytes]):
        self.blobs, self.cache = blobs, {}

    def get(self, sha: str, path: str) -> tuple[Any, Any]:
        """(data, error); (None, None) for an absent side.  The error is a YamlError or a str."""
        if sha == NULL or not sha:
            return None, None
        hit = self.cache.get(sha)
        if hit is None:
            from .yamlio import YamlError, decode, fast_load

            raw = self.blobs.get(sha)
            if raw is None:
                hit = (None, f"{path}: object {sha[:7]} is missing")
            else:
                try:
                    hit = (fast_load(decode(raw, path), path), None)
                except YamlError as exc:
                    hit = (None, exc)  # the error itself: str() English, .text(lang) the user's language
            self.cache[sha] = hit
        return hit


def _validate(path: str, kind: str, raw: bytes | None, data: Any, categories: tuple[str, ...]) -> list[Any]:
    """Problems of a written file (schema.Problem: str() `file:line:col: field: message` in English,
    .text(lang) the user's language)."""
    from .schema import check_plan, check_target, check_task
    from .yamlio import decode

    if raw is None:
        return []
    text = decode(raw, path)
    year = int(path.split("/")[1]) if path.startswith("plan/") else 0
    if kind == "task":
        if isinstance(data, dict) and data.get("conflicts"):
            data = {k: v for k, v in data.items() if k != "conflicts"}
        _, probs = check_task(data, path, text, year, categories)
    elif kind == "target":
        _, probs = check_target(data, path, text, year)
    elif kind == "plan":
        _, probs = check_plan(data, path, text)
    elif kind == "offices":
        try:
            parse_bytes(raw, path)
            probs = []
        except OfficesError as exc:
            probs = exc.problems
    else:
        probs = []
    return list(probs)


def check_commits(git, revs: list[str], *, stdin: str | None = None, validate: bool = True,
                  always_validate: bool = False, fallback: str | None = None) -> list[CommitCheck]:
    """Check every commit `git log REVS` lists (oldest first).  `always_validate`: validate the
    files of commits no offices.yaml governs too (the pre-receive hook: a malformed file never
    reaches the shared remote, offices or not).  `fallback`: a revision whose offices.yaml governs
    commits whose first parent has none (the hook passes the shared branch's tip: once the shared
    history is governed, a pushed side history that forked before offices.yaml, or has no parent
    at all, is governed too)."""
    log = _log(git, revs, stdin)
    if not log:
        return []
    names = [f"{fallback}:{OFFICES_FILE}"] if fallback else []
    for sha, parents, _ in log:
        names.append(sha)
        if parents:
            names.append(f"{parents[0]}:{OFFICES_FILE}")
    objs = _batch(git, names)
    wanted: list[str] = []
    years: set[tuple[str, str]] = set()
    for sha, _, changes in log:
        for c in changes:
            k = kind_of(c.path)
            if k != "other":
                wanted += [c.old, c.new]
            if k == "task" and validate:
                years.add((sha, c.path.split("/")[1]))
    blobs = _batch(git, [*wanted, *(f"{s}:plan/{y}/plan.yaml" for s, y in years)])
    parsed = _Parsed(blobs)
    offices_cache: dict[bytes, Offices | OfficesError] = {}

    def offices_of(raw: bytes | None) -> Offices | OfficesError | None:
        if raw is None:
            return None
        key = hashlib.sha1(raw).digest()
        hit = offices_cache.get(key)
        if hit is None:
            try:
                hit = parse_bytes(raw)
            except OfficesError as exc:
                hit = exc
            offices_cache[key] = hit
        return hit

    results = []
    for sha, parents, changes in log:
        raw = objs.get(sha)
        cc = CommitCheck(sha)
        results.append(cc)
        if raw is None:
            cc.enforced = True
            cc.findings.append(Finding(sha, "missing", "the commit object cannot be read", zh="无法读取该提交"))
            continue
        obj = parse_commit(raw)
        cc.subject, cc.author, cc.date = obj.subject, obj.author[0], obj.author[2]
        before = offices_of(objs.get(f"{parents[0]}:{OFFICES_FILE}")) if parents else None
        if before is None and fallback:
            before = offices_of(objs.get(f"{fallback}:{OFFICES_FILE}"))
        added = next((c for c in changes if c.path == OFFICES_FILE), None)
        rules: Offices | None
        if isinstance(before, OfficesError):
            cc.enforced = True
            cc.findings.append(Finding(sha, "invalid-offices", f"offices.yaml before this commit is invalid: {before}", OFFICES_FILE,
                                       zh=f"此提交之前的 offices.yaml 无效：{told(before, 'zh')}"))
            continue
        if before is None:
            if added is None or added.new == NULL:
                if always_validate:
                    _file_findings(cc, changes, parsed, blobs, sha)
                continue  # no offices.yaml yet: nothing enforced
            new = offices_of(blobs.get(added.new))
            cc.enforced = True
            if isinstance(new, OfficesError) or new is None:
                _file_findings(cc, changes, parsed, blobs, sha)
                continue
            rules = new  # the commit that adds offices.yaml answers to the file it adds
        else:
            rules = before
        cc.enforced = True
        signer = _check_signature(cc, obj, rules)
        if validate:
            _file_findings(cc, changes, parsed, blobs, sha)
        if signer is None:
            continue
        office, member = signer
        if before is None and not office.is_supervisor:
            cc.findings.append(Finding(sha, "not-allowed", f"offices.yaml is first added by a supervisor office, not {office.name}",
                                       OFFICES_FILE, "(created)", office.name, "supervisor-only",
                                       zh=f"offices.yaml 须由督查科室首次添加，而非 {office.name}"))
            continue
        if before is None:
            continue
        for c in changes:
            kind = kind_of(c.path)
            old, _ = parsed.get(c.old, c.path) if kind != "other" else (None, None)
            new, _ = parsed.get(c.new, c.path) if kind != "other" else (None, None)
            if kind == "other":
                old = c.old if c.old != NULL else None
                new = c.new if c.new != NULL else None
            for d in check_change(office, c.path, old, new):
                cc.findings.append(Finding(sha, "not-allowed", str(d), d.path, d.where, d.office, d.rule, zh=d.text("zh")))
    return results


def _check_signature(cc: CommitCheck, obj: CommitObject, rules: Offices):
    sha = cc.sha
    if obj.signature is None:
        cc.findings.append(Finding(sha, "unsigned", "the commit is not signed", zh="提交未签名"))
        return None
    sig = parse_sshsig(obj.signature)
    if sig is None:
        cc.findings.append(Finding(sha, "bad-signature", "the signature is not an SSH signature (gpg.format=ssh)",
                                   zh="签名不是 SSH 签名（gpg.format=ssh）"))
        return None
    cc.signed = True
    if not check_signature(sig, obj.payload):
        cc.findings.append(Finding(sha, "bad-signature",
                                   f"the signature does not verify (key {fingerprint(sig.publickey)}): the commit was changed after signing, or the signature is forged",
                                   zh=f"签名验证失败（密钥 {fingerprint(sig.publickey)}）：提交在签名后被改动，或签名是伪造的"))
        return None
    found = rules.member_for_key(sig.publickey)
    if found is None:
        cc.findings.append(Finding(sha, "unknown-key", f"signed by key {fingerprint(sig.publickey)}, which is no member's key in offices.yaml as it stood before this commit",
                                   zh=f"签名密钥 {fingerprint(sig.publickey)} 不属于此提交之前 offices.yaml 中的任何成员"))
        return None
    office, member = found
    cc.office, cc.member = office.name, member.name
    for role, (name, email, _) in (("author", obj.author), ("committer", obj.committer)):
        if name != member.name or (member.email and email != member.email):
            cc.findings.append(Finding(sha, "forged-identity",
                                       f"{role} is {name} <{email}> but the commit is signed by {member.name}"
                                       f"{' <' + member.email + '>' if member.email else ''} of {office.name}",
                                       office=office.name,
                                       zh=f"{'作者' if role == 'author' else '提交者'}为 {name} <{email}>，但签名人是 {office.name} 的 {member.name}"))
            return None
    return found


_CATEGORIES: dict[bytes, tuple[str, ...]] = {}


def _categories(plan_raw: bytes | None) -> tuple[str, ...]:
    """The categories plan.yaml lists (cached by content: every commit of a push has the same)."""
    if plan_raw is None:
        return ()
    key = hashlib.sha1(plan_raw).digest()
    hit = _CATEGORIES.get(key)
    if hit is None:
        plan, _ = _Parsed({"p": plan_raw}).get("p", "plan.yaml")
        cs = plan.get("categories") if isinstance(plan, dict) else None
        hit = _CATEGORIES[key] = tuple(x for x in cs if isinstance(x, str)) if isinstance(cs, list) else ()
    return hit


def _file_findings(cc: CommitCheck, changes: list[_Change], parsed: _Parsed, blobs: dict[str, bytes], sha: str) -> None:
    cats: dict[str, tuple[str, ...]] = {}
    for c in changes:
        kind = kind_of(c.path)
        if kind == "other" or c.new == NULL:
            continue
        data, err = parsed.get(c.new, c.path)
        if err:
            cc.findings.append(Finding(sha, "invalid-file", str(err), c.path, zh=f"文件无效：{told(err, 'zh')}"))
            cc.enforced = True
            continue
        categories: tuple[str, ...] = ()
        if kind == "task":
            year = c.path.split("/")[1]
            if year not in cats:
                cats[year] = _categories(blobs.get(f"{sha}:plan/{year}/plan.yaml"))
            categories = cats[year]
        for problem in _validate(c.path, kind, blobs.get(c.new), data, categories):
            cc.findings.append(Finding(sha, "invalid-file", str(problem), c.path, zh=f"文件无效：{problem.text('zh')}"))
            cc.enforced = True


# -- the record of the last verified head (rewritten-history detection) ----------------------------
RECORD = "verified-head.json"


def read_record(git) -> dict | None:
    try:
        data = json.loads((git.git_dir / "tracker" / RECORD).read_text("utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("head"), str) else None
    except (OSError, ValueError):
        return None


def write_record(git, head: str) -> None:
    import time

    d = git.git_dir / "tracker"
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / (RECORD + ".tmp")
    tmp.write_text(json.dumps({"head": head, "at": int(time.time())}), "utf-8")
    tmp.replace(d / RECORD)


def shared_head(git) -> str | None:
    """The newest commit this clone shares with its remote (what a rewrite elsewhere would
    remove), or HEAD when there is no remote branch: local commits that sync replays are
    not yet history anybody relies on."""
    head = git.head()
    if head is None:
        return None
    st, out, _ = git._execute(["rev-parse", "--verify", "-q", "@{upstream}"], check=False)
    if st != 0:
        return head
    st, base, _ = git._execute(["merge-base", head, out.decode().strip()], check=False)
    return base.decode().strip() if st == 0 and base.strip() else head


def rewritten(git) -> Finding | None:
    """A finding when the last verified head is no longer in this history."""
    rec = read_record(git)
    head = git.head()
    if rec is None or head is None:
        return None
    old = rec["head"]
    if git.ok("merge-base", "--is-ancestor", old, head):
        return None
    from datetime import datetime, timezone

    when = datetime.fromtimestamp(rec.get("at", 0), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Finding(old, "rewritten", f"history was rewritten: commit {old[:10]}, verified on {when}, is no longer "
                                     f"in this history (a force push or a reset removed or replaced it)",
                   zh=f"历史被改写：{when} 已验证的提交 {old[:10]} 不在当前历史中（强制推送或重置删除或替换了它）")


# -- marks for tracker log and the TUI history (cached by commit id: a commit's result never changes) --
_MARKS_FILE = "verify-marks.json"


def marks(git, shas: Iterable[str]) -> dict[str, tuple[str, str]]:
    """sha -> (mark, office or the first finding) for `tracker log` and the TUI history:
    ('✔', '督查室'), ('⚠', 'unsigned'), ('✖', reason), ('', '') where nothing is enforced."""
    shas = list(dict.fromkeys(s for s in shas if s))
    if not shas:
        return {}
    path = git.git_dir / "tracker" / _MARKS_FILE
    try:
        cache = json.loads(path.read_text("utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    missing = [s for s in shas if s not in cache]
    if missing:
        try:
            for cc in check_commits(git, ["--no-walk=unsorted"], stdin="\n".join(missing) + "\n"):
                note = cc.office if cc.state == "ok" else (cc.findings[0].message if cc.findings else "")
                cache[cc.sha] = [cc.mark, note]
        except Exception:  # marks are a convenience: never fail a log for them
            return {s: tuple(cache[s]) for s in shas if s in cache}  # type: ignore[misc]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(_MARKS_FILE + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(cache, ensure_ascii=False), "utf-8")
            tmp.replace(path)
        except OSError:
            pass
    return {s: tuple(cache[s]) for s in shas if s in cache}  # type: ignore[misc]


def mark_text(git, sha: str) -> str:
    """One history row's mark: '✔ 督查室', '⚠', '✖', or '' (for history screens to call)."""
    m = marks(git, [sha]).get(sha)
    if not m or not m[0]:
        return ""
    return f"{m[0]} {m[1]}" if m[0] == "✔" else m[0]


def log_marks(git, shas: list[str]) -> dict[str, dict[str, str]]:
    """For `tracker log`: sha -> {mark, text, note} where offices.yaml governs the commit; {} when
    the repository has never had offices.yaml (nothing to mark, and nothing is run)."""
    if not shas or not git.ok("cat-file", "-e", f"HEAD:{OFFICES_FILE}") and not git.run(
            "log", "-1", "--format=%H", "HEAD", "--", OFFICES_FILE).strip():
        return {}
    out = {}
    for sha, (mark, note) in marks(git, shas).items():
        if mark:
            out[sha] = {"mark": mark, "text": f"{mark} {note}" if mark == "✔" else mark, "note": note}
    return out
