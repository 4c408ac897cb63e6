"""tracker verify finds every kind of fault when plain git puts it into a history; tracker log
marks each change; rewritten histories are reported."""
from __future__ import annotations

import json
import subprocess

from tests_support import git, make_plan_repo, run_cli
from trust_support import commit, ok, write_task_field


def verify_json(repo, *args):
    r = run_cli(repo, "verify", "--format", "json", *args)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def kinds_by_commit(data):
    return {c["commit"]: [f["kind"] for f in c["findings"]] for c in data["commits"]}


def test_verify_finds_each_fault_put_into_history_by_plain_git(world):
    w = world.water
    good = commit(w, "own task, signed", write_task_field(w, 5, "progress: 0", "progress: 20"))
    other = commit(w, "another unit's task", write_task_field(w, 1, "progress: 0", "progress: 20"))
    unsigned = commit(w, "unsigned", write_task_field(w, 5, "progress: 20", "progress: 25"),
                      extra=("-c", "commit.gpgsign=false"))
    stranger = commit(w, "unknown key", write_task_field(w, 5, "progress: 25", "progress: 30"),
                      extra=("-c", f"user.signingkey={world.stranger}"))
    forged = commit(w, "forged author", write_task_field(w, 5, "progress: 30", "progress: 35"),
                    extra=("-c", "user.name=张三"))
    p = w / "offices.yaml"
    p.write_text(p.read_text("utf-8").replace("role: unit", "role: supervisor", 1), "utf-8")
    offices = commit(w, "promote myself", "offices.yaml")
    malformed = commit(w, "out of range", write_task_field(w, 5, "progress: 35", "progress: 135"))
    commit(w, "back in range", write_task_field(w, 5, "progress: 135", "progress: 40"))
    # a signature kept on changed content: take the last commit object and change its message
    raw = git(w, "cat-file", "commit", "HEAD").replace("back in range", "back in range, says 张三")
    tampered = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=w, input=raw,
                              capture_output=True, text=True, check=True).stdout.strip()
    git(w, "update-ref", "refs/heads/main", tampered)

    code, data = verify_json(w)
    assert code == 1
    k = kinds_by_commit(data)
    assert k[good] == []
    assert k[other] == ["not-allowed"]
    assert k[unsigned] == ["unsigned"]
    assert k[stranger] == ["unknown-key"]
    assert k[forged] == ["forged-identity"]
    assert k[offices] == ["not-allowed"]
    assert "invalid-file" in k[malformed]
    assert k[tampered] == ["bad-signature"]
    f = next(f for f in data["findings"] if f["commit"] == other)
    assert (f["path"], f["field"], f["office"], f["rule"]) == ("plan/2020/tasks/01.yaml", "progress", "水利局办公室", "unit-progress")
    f = next(f for f in data["findings"] if f["commit"] == offices)
    assert f["path"] == "offices.yaml" and f["rule"] == "supervisor-only"
    states = {c["commit"]: c["state"] for c in data["commits"]}
    assert states[good] == "ok" and states[unsigned] == "unsigned" and states[other] == "failed"

    # the table: names the file, field, office, rule; exit 1
    r = run_cli(w, "verify", "--lang", "en")
    assert r.returncode == 1
    assert "plan/2020/tasks/01.yaml: progress" in r.stdout and "unit-progress" in r.stdout
    assert "⚠ 1 unsigned" in r.stdout

    # --since a revision checks only what follows it
    code, data = verify_json(w, "--since", forged)
    assert {c["commit"] for c in data["commits"]} == {offices, malformed, tampered}


def test_clean_history_verifies_and_log_marks_each_change(world):
    w = world.water
    ok(run_cli(w, "set", "5", "--progress", "40"))
    commit(w, "unsigned hand edit", write_task_field(w, 5, "progress: 40", "progress: 45"),
           extra=("-c", "commit.gpgsign=false"))
    commit(w, "another unit's task", write_task_field(w, 1, "progress: 0", "progress: 20"))
    r = run_cli(w, "log", "-n", "6", "--lang", "en")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    row = {}
    for ln in lines[1:]:
        row.setdefault(ln.split("\t")[2], ln)  # newest first
    assert "✖" in row["2020-01"]
    marks = [ln.split("\t")[-1] for ln in lines[1:] if ln.split("\t")[2] == "2020-05"]
    assert marks[:2] == ["⚠", "✔ 水利局办公室"]
    r = run_cli(w, "log", "-n", "3", "--format", "json")
    entries = json.loads(r.stdout)
    assert entries[0]["trust"]["mark"] == "✖"
    git(w, "reset", "-q", "--hard", "HEAD~2")
    code, data = verify_json(w)
    assert code == 0 and data["findings"] == []
    r = run_cli(w, "verify", "--lang", "en")
    assert r.returncode == 0 and "all clean" in r.stdout and "before offices.yaml" in r.stdout


def test_rewritten_history_is_reported(world):
    s = world.seed  # the supervisor's repository
    ok(run_cli(s, "set", "7", "--progress", "10"))
    ok(run_cli(s, "set", "7", "--progress", "20"))
    assert subprocess.run(["git", "push", "-q", "origin", "main"], cwd=s).returncode == 0
    assert run_cli(s, "verify").returncode == 0  # records the verified head
    git(s, "reset", "-q", "--hard", "HEAD~2")
    ok(run_cli(s, "set", "7", "--progress", "15"))  # a different history, each commit itself fine
    code, data = verify_json(s)
    assert code == 1
    assert data["findings"][0]["kind"] == "rewritten"
    assert "no longer in this history" in data["findings"][0]["message"]
    assert verify_json(s)[0] == 1  # reported until the auditor accepts it
    assert run_cli(s, "verify", "--accept-history").returncode == 0
    assert verify_json(s)[0] == 0


def test_local_unpushed_commits_replayed_are_not_a_rewrite(world):
    s = world.seed
    ok(run_cli(s, "set", "7", "--progress", "10"))  # not pushed
    assert run_cli(s, "verify").returncode == 0
    git(s, "commit", "-q", "--amend", "-m", "reworded before pushing")  # what a sync's replay does
    assert run_cli(s, "verify").returncode == 0


def test_repository_without_offices_yaml_enforces_nothing(tmp_path):
    repo = make_plan_repo(tmp_path / "plain")
    ok(run_cli(repo, "set", "1", "--progress", "10"))
    r = run_cli(repo, "verify", "--lang", "en")
    assert r.returncode == 0 and "nothing is enforced" in r.stdout
    r = run_cli(repo, "log", "--lang", "en")
    assert "✔" not in r.stdout and "⚠" not in r.stdout


def test_enforcement_starts_at_the_commit_adding_offices_yaml(world):
    code, data = verify_json(world.seed)
    states = [c["state"] for c in data["commits"]]
    assert states[0] == "unenforced"  # the seed commit, made before offices.yaml
    assert states[1:] == ["ok"] * (len(states) - 1)


def test_offices_yaml_added_by_an_unsigned_or_unit_commit_fails(tmp_path):
    from trust_support import keygen

    repo = make_plan_repo(tmp_path / "r")
    k = keygen(tmp_path / "keys", "u", "李四")
    ok(run_cli(repo, "office", "add", "督查室", "--role", "supervisor", "--key", f"{k}.pub"))  # no --join: unsigned
    code, data = verify_json(repo)
    assert code == 1 and data["commits"][-1]["findings"][0]["kind"] == "unsigned"


def test_offices_yaml_problems_name_file_line_and_field(world):
    p = world.seed / "offices.yaml"
    text = p.read_text("utf-8")
    p.write_text(text.replace("role: unit", "role: bureau", 1).replace("key: ssh-ed25519 AAAA", "key: ssh-ed25519 ZZZZ", 1), "utf-8")
    r = run_cli(world.seed, "check", "--lang", "en")  # the English words; zh below
    assert r.returncode == 1
    line = next(i for i, ln in enumerate(p.read_text("utf-8").splitlines(), 1) if "role: bureau" in ln)
    assert f"offices.yaml:{line}:5: offices[2].role: 'bureau' is not one of: supervisor, unit" in r.stdout
    assert "offices[1].members[1].key" in r.stdout
    zh = run_cli(world.seed, "check", "--lang", "zh")  # the message in Chinese, the field as written
    assert f"offices.yaml:{line}:5: offices[2].role: 'bureau' 不是可用的值（可用：supervisor、unit）" in zh.stdout, zh.stdout  # issue 11: 、 in zh
    r = run_cli(world.seed, "office", "list")
    assert r.returncode == 2 and "offices.yaml:" in r.stderr and "offices[2].role" in r.stderr
