"""The pre-receive hook on a real bare remote: what a unit office may push, and every refusal
with its reason.  Keys are real (ssh-keygen), commits are signed by git itself."""
from __future__ import annotations

from tests_support import git, run_cli
from trust_support import commit, ok, push, write_task_field


def remote_head(world) -> str:
    return git(world.bare, "rev-parse", "main").strip()


def test_unit_office_signed_edit_of_its_own_task_is_accepted(world):
    before = remote_head(world)
    ok(run_cli(world.water, "set", "5", "--progress", "55", "--note", "主体工程完工"))
    # a co-unit's task too (task 4: lead 市农业农村局, co-unit 市水利局), and a measure's status
    ok(run_cli(world.water, "set", "4", "--measure", "1", "--measure-status", "in_progress"))
    r = push(world.water, "origin", "main")
    assert r.returncode == 0, r.stderr
    assert remote_head(world) == git(world.water, "rev-parse", "HEAD").strip() != before
    assert "%G?" and git(world.water, "log", "-2", "--format=%G?").split() == ["G", "G"]


def test_edit_of_another_units_task_is_refused_with_the_rule(world):
    before = remote_head(world)
    ok(run_cli(world.water, "set", "1", "--progress", "10"))  # task 1 belongs to 市农业农村局 alone
    r = push(world.water, "origin", "main")
    assert r.returncode != 0
    assert "push refused" in r.stderr
    assert "plan/2020/tasks/01.yaml: progress" in r.stderr and "水利局办公室" in r.stderr
    assert "unit-progress" in r.stderr and "市农业农村局" in r.stderr
    assert remote_head(world) == before


def test_supervisor_only_fields_are_refused_for_a_unit(world):
    # an extension is the supervisor's: tracker refuses it at once (check_rights); a hand commit reaches the hook
    rel = write_task_field(world.water, 5, "due: 2020-12-31", "due: 2021-03-31")
    commit(world.water, "due by hand", rel)
    r = push(world.water, "origin", "main")
    assert r.returncode != 0 and "due" in r.stderr and "supervisor-only" in r.stderr


def test_unsigned_commit_is_refused(world):
    rel = write_task_field(world.water, 5, "progress: 0", "progress: 20")
    commit(world.water, "plain git, no signature", rel, extra=("-c", "commit.gpgsign=false"))
    r = push(world.water, "origin", "main")
    assert r.returncode != 0 and "not signed" in r.stderr


def test_commit_signed_with_an_unknown_key_is_refused(world):
    rel = write_task_field(world.water, 5, "progress: 0", "progress: 20")
    commit(world.water, "signed by a stranger", rel, extra=("-c", f"user.signingkey={world.stranger}"))
    r = push(world.water, "origin", "main")
    assert r.returncode != 0 and "no member's key" in r.stderr


def test_forged_author_name_is_refused(world):
    rel = write_task_field(world.water, 5, "progress: 0", "progress: 20")
    commit(world.water, "under the supervisor's name", rel, extra=("-c", "user.name=张三"))
    r = push(world.water, "origin", "main")
    assert r.returncode != 0
    assert "author is 张三" in r.stderr and "signed by 李四" in r.stderr


def test_unit_changing_offices_yaml_is_refused(world):
    p = world.water / "offices.yaml"
    p.write_text(p.read_text("utf-8").replace("role: unit", "role: supervisor", 1), "utf-8")
    commit(world.water, "promote myself", "offices.yaml")
    r = push(world.water, "origin", "main")
    assert r.returncode != 0
    assert "offices.yaml" in r.stderr and "only by a supervisor" in r.stderr
    # and the tool's own command, run by a unit office, is refused the same way
    git(world.water, "reset", "-q", "--hard", "origin/main")
    ok(run_cli(world.water, "office", "remove", "农业农村局办公室"))
    assert push(world.water, "origin", "main").returncode != 0


def test_force_push_is_refused(world):
    ok(run_cli(world.water, "set", "5", "--progress", "30"))
    assert push(world.water, "origin", "main").returncode == 0
    pushed = remote_head(world)
    git(world.water, "commit", "-q", "--amend", "-m", "rewritten")  # signed, allowed, but a rewrite
    r = push(world.water, "--force", "origin", "main")
    assert r.returncode != 0 and "not a fast-forward" in r.stderr
    assert remote_head(world) == pushed


def test_deleting_main_is_refused(world):
    git(world.bare, "symbolic-ref", "HEAD", "refs/heads/none")  # git itself guards the current branch; tracker guards main
    r = push(world.water, "origin", ":main")
    assert r.returncode != 0 and "deleting the shared branch is refused" in r.stderr
    assert git(world.bare, "rev-parse", "--verify", "main").strip()


def test_malformed_file_is_refused_naming_file_line_and_field(world):
    rel = write_task_field(world.water, 5, "progress: 0", "progress: 150")
    commit(world.water, "a hand edit out of range", rel)
    r = push(world.water, "origin", "main")
    assert r.returncode != 0
    assert "plan/2020/tasks/05.yaml:" in r.stderr and "progress: must be from 0 to 100" in r.stderr
    git(world.water, "reset", "-q", "--hard", "origin/main")
    rel = write_task_field(world.water, 5, "progress: 0", "progress: [0")
    commit(world.water, "broken YAML", rel)
    r = push(world.water, "origin", "main")
    assert r.returncode != 0 and "plan/2020/tasks/05.yaml" in r.stderr


def test_supervisor_may_change_anything(world):
    ok(run_cli(world.seed, "set", "1", "--progress", "5"))
    ok(run_cli(world.seed, "set", "1", "--due", "2021-01-31", "--reason", "分管领导同意延期"))  # 延期
    ok(run_cli(world.seed, "office", "remove", "农业农村局办公室"))
    r = push(world.seed, "origin", "main")
    assert r.returncode == 0, r.stderr


def test_without_offices_yaml_nothing_is_enforced_but_files_are_validated(tmp_path):
    from tests_support import make_plan_repo

    seed = make_plan_repo(tmp_path / "seed")
    bare = tmp_path / "shared.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    ok(run_cli(tmp_path, "serve", "install", str(bare)))
    office = tmp_path / "office"
    git(tmp_path, "clone", "-q", str(bare), str(office))
    ok(run_cli(office, "set", "1", "--progress", "10"))  # unsigned: fine without offices.yaml
    assert push(office, "origin", "main").returncode == 0
    rel = write_task_field(office, 2, "status: not_started", "status: finished")
    commit(office, "bad status", rel)
    r = push(office, "origin", "main")
    assert r.returncode != 0 and "plan/2020/tasks/02.yaml:" in r.stderr and "status" in r.stderr


def test_install_refuses_a_non_bare_repository_and_a_foreign_hook(world, tmp_path):
    r = run_cli(tmp_path, "serve", "install", str(world.water), "--lang", "en")
    assert r.returncode == 2 and "not a bare git repository" in r.stderr
    hook = world.bare / "hooks" / "pre-receive"
    assert str(hook) and hook.read_text().startswith("#!/bin/sh")
    hook.write_text("#!/bin/sh\nexit 0\n")
    r = run_cli(tmp_path, "serve", "install", str(world.bare), "--lang", "en")
    assert r.returncode == 2 and "not written by tracker" in r.stderr


def test_gitea_layout_hook_goes_into_pre_receive_d(world, tmp_path):
    """Gitea's own pre-receive runs each script of hooks/pre-receive.d with the same stdin."""
    import shutil

    bare = tmp_path / "gitea.git"
    shutil.copytree(world.bare, bare)
    (bare / "hooks" / "pre-receive").unlink()
    (bare / "hooks" / "pre-receive.d").mkdir()
    dispatcher = bare / "hooks" / "pre-receive"
    dispatcher.write_text('#!/bin/sh\n# Gitea\ndata=$(cat)\nfor h in hooks/pre-receive.d/*; do\n'
                          '  printf "%s\\n" "$data" | "$h" || exit 1\ndone\n')
    dispatcher.chmod(0o755)
    ok(run_cli(tmp_path, "serve", "install", str(bare)))
    assert (bare / "hooks" / "pre-receive.d" / "tracker").exists()
    assert "# Gitea" in dispatcher.read_text()
    git(world.water, "remote", "add", "gitea", str(bare))
    ok(run_cli(world.water, "set", "1", "--progress", "10"))
    r = push(world.water, "gitea", "main")
    assert r.returncode != 0 and "unit-progress" in r.stderr


def test_refusal_speaks_the_plans_language(world):
    ok(run_cli(world.water, "set", "1", "--progress", "10"))
    r = push(world.water, "origin", "main", lang=None)  # the bundled plan says language: zh
    assert r.returncode != 0
    assert "推送被拒绝" in r.stderr and "水利局办公室 无权修改" in r.stderr and "该事项属于 市农业农村局" in r.stderr


def test_a_merge_cannot_bring_in_a_side_history_made_before_offices_yaml(world):
    w = world.water
    first = git(w, "rev-list", "--max-parents=0", "HEAD").strip()  # the seed, before offices.yaml
    git(w, "checkout", "-q", "-b", "side", first)
    rel = write_task_field(w, 1, "progress: 0", "progress: 90")  # another unit's task, ungoverned there
    commit(w, "before the rules", rel, extra=("-c", "commit.gpgsign=false"))
    git(w, "checkout", "-q", "main")
    git(w, "merge", "-q", "--no-edit", "side")  # signed by 李四, clean merge
    r = push(w, "origin", "main")
    assert r.returncode != 0 and "plan/2020/tasks/01.yaml: progress" in r.stderr
    import json

    r = run_cli(w, "verify", "--format", "json")
    data = json.loads(r.stdout)
    merge = git(w, "rev-parse", "HEAD").strip()
    assert r.returncode == 1
    assert any(f["commit"] == merge and f["path"] == "plan/2020/tasks/01.yaml" for f in data["findings"])


def test_an_unrelated_history_on_a_new_branch_is_governed_too(world):
    w = world.water
    git(w, "checkout", "-q", "--orphan", "evil")
    git(w, "rm", "-q", "--cached", "offices.yaml")  # a history that never had the rules
    commit(w, "no parent, no signature", "plan", extra=("-c", "commit.gpgsign=false"))
    r = push(w, "origin", "evil")
    assert r.returncode != 0 and "not signed" in r.stderr
