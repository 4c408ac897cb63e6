"""Property-based tests (hypothesis): save/load round trip, validation, the parse cache."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scale_support import task_file
from tracker import cache as cache_mod
from tracker.model import STATUSES, Task, TrackerError
from tracker.schema import check_task
from tracker.store import Workspace, validate_changes
from tracker.yamlio import YamlError, decode, fast_load, rt_dump, rt_load

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
FAST = settings(max_examples=300, deadline=None)

# text as officers type it, plus everything YAML is picky about
yamlish = st.sampled_from(["yes", "no", "null", "~", "true", "0x1F", "1e3", "2020-12-31", "- a", "a: b", "#c",
                           "'q'", '"d"', "|", ">", "&a", "*a", "!t", "%", "@", "`", "[x]", "{y}", "  lead", "tail  ",
                           "\t", "\n", "\r\n", "\u2028", "\x85", "\ufeff", "：", "，"])
texts = st.lists(st.one_of(st.text(max_size=12), yamlish, st.sampled_from(["进展顺利", "完成年度目标", "未启动"])),
                 max_size=8).map("".join)


def expected_text(v: str) -> str:
    return validate_changes({"note": v}, "2020-05")["note"]


@SLOW
@given(status=st.sampled_from(STATUSES), progress=st.integers(0, 100), note=texts, problems=texts,
       due=st.dates(date(2020, 1, 1), date(2030, 12, 31)), mstatus=st.sampled_from(STATUSES))
def test_save_then_load_round_trip(repo, status, progress, note, problems, due, mstatus):
    ws = Workspace(repo)
    ws.update_task(5, {"status": status, "progress": progress, "note": note, "problems": problems,
                       "due": due.isoformat(), "measures.2.status": mstatus})
    for data in (ws.load(), ws.load(parsed_cache=False)):
        t = data.task(5)
        assert t is not None, data.problems
        assert (t.status, t.progress, t.due) == (status, progress, due)
        assert t.note == expected_text(note)
        assert t.problems == expected_text(problems)
        assert t.measures[1].status == mstatus
        assert t.title == "持续推进重点水利工程建设"  # nothing else moved
    text = task_file(repo, 5).read_text("utf-8")
    assert rt_dump(rt_load(text, "x")) == text  # the file is a fixed point of the round trip


@FAST
@given(note=texts)
def test_text_scalar_survives_both_loaders(note):
    from tracker.yamlio import text_scalar

    value = expected_text(note)
    tree = rt_load("number: 5\nnote: ''\n", "x")
    tree["note"] = text_scalar(value)
    out = rt_dump(tree)
    assert fast_load(out, "x")["note"] == value
    assert rt_load(out, "x")["note"] == value


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**7), st.floats(allow_nan=True), texts,
                    st.dates(), st.sampled_from(STATUSES), st.just("市水利局"))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=12)
keys = st.sampled_from(["number", "title", "category", "units", "status", "progress", "due", "measures", "note",
                        "problems", "next_steps", "conflicts", "extra", "text"])
measure = st.fixed_dictionaries({"number": st.integers(-1, 5), "text": texts, "status": st.sampled_from(STATUSES)},
                                optional={"due": st.dates(), "milestones": values, "x": values})
task_like = st.fixed_dictionaries(
    {"number": st.one_of(st.integers(0, 10**6), values), "title": st.one_of(texts, values),
     "category": st.sampled_from(["农业农村类", "其他类"]), "units": st.one_of(st.lists(texts, max_size=3), values),
     "status": st.one_of(st.sampled_from(STATUSES), values), "progress": st.one_of(st.integers(-5, 105), values),
     "due": st.one_of(st.dates(), values), "measures": st.one_of(st.lists(measure, max_size=3), values)},
    optional={"note": st.one_of(texts, values), "conflicts": values, "extra": values})


@FAST
@given(data=st.one_of(task_like, values, st.dictionaries(keys, values, max_size=8)))
def test_validation_never_crashes_and_is_all_or_nothing(data):
    import yaml

    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        text = ""
    task, problems = check_task(data, "plan/2020/tasks/05.yaml", text, 2020, ("农业农村类",))
    if task is None:
        assert problems and all(p.path == "plan/2020/tasks/05.yaml" and p.message for p in problems)
    else:
        assert problems == [] and isinstance(task, Task)
        assert task.status in STATUSES and 0 <= task.progress <= 100 and isinstance(task.due, date)
        assert task.category == "农业农村类" and task.units and all(isinstance(u, str) for u in task.units)
        assert all(isinstance(getattr(task, k), str) for k in ("title", "note", "problems", "next_steps"))


@FAST
@given(raw=st.one_of(st.binary(max_size=200), texts.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_any_bytes_give_a_value_or_a_yaml_error(raw):
    try:
        fast_load(decode(raw, "f.yaml"), "f.yaml")
    except YamlError as exc:
        assert exc.path == "f.yaml"


@FAST
@given(progress=st.one_of(st.text(max_size=6), st.integers(-1000, 1000).map(str)))
def test_progress_is_an_int_in_range_or_refused(progress):
    try:
        v = validate_changes({"progress": progress}, "2020-05")["progress"]
    except TrackerError as exc:
        assert "progress" in str(exc)
    else:
        assert isinstance(v, int) and 0 <= v <= 100


edits = st.lists(st.one_of(
    st.tuples(st.just("progress"), st.integers(0, 100)),
    st.tuples(st.just("note"), texts),
    st.tuples(st.just("garbage"), st.binary(max_size=60)),
    st.tuples(st.just("same"), st.just(None)),
), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_cached_load_always_equals_a_fresh_parse(repo, monkeypatch, steps):
    """Whatever sequence of hand edits (same size or not, broken or not), the cache never lies."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)  # trust stats at once: the hardest case
    ws = Workspace(repo)
    f = task_file(repo, 5)
    original = f.read_bytes()
    try:
        for kind, value in steps:
            text = f.read_bytes()
            if kind == "progress":
                import re

                text = re.sub(rb"(?m)^progress: .*$", b"progress: %d" % value, text)
            elif kind == "note":
                import json

                text = text.replace(b"note: ''", b"note: " + json.dumps(value, ensure_ascii=False).encode(), 1)
            elif kind == "garbage":
                text = value
            with open(f, "r+b") as fh:  # in place, like an editor that does not rename
                fh.write(text)
                fh.truncate()
            cached, fresh = ws.load(), ws.load(parsed_cache=False)
            assert cached.tasks == fresh.tasks
            assert cached.problems == fresh.problems
            assert cached.digests == fresh.digests
    finally:
        f.write_bytes(original)


yaml_bits = st.lists(st.sampled_from(["a", ": ", "- ", "\n", "  ", "[", "]", "{", "}", ",", "&x ", "*x", "<<: ",
                                      "!!str ", "!!int ", "!!set ", "!foo ", "? ", "'", '"', "1", "2020-01-01", "~",
                                      "yes", "true", "0x1", "1_0", "1:2", ".5", "#", "|", ">", "水利", "\t"]),
                     max_size=30).map("".join)


@FAST
@given(doc=st.one_of(yaml_bits, values.map(lambda v: __import__("yaml").safe_dump(v, allow_unicode=True)),
                     values.map(lambda v: __import__("yaml").safe_dump(v, default_flow_style=True))))
def test_fast_loader_equals_pyyaml(doc):
    """tracker's lean constructor gives exactly PyYAML's values (or an error where PyYAML errs)."""
    import yaml

    from tracker.yamlio import FastLoader

    def run(f):
        try:
            return "ok", f(doc)
        except RecursionError:
            return "recursive", None
        except Exception:  # noqa: BLE001
            return "error", None

    std = run(lambda t: yaml.load(t, Loader=FastLoader))
    mine = run(lambda t: fast_load(t, "f.yaml"))
    if std[0] == "ok" and mine[0] == "ok":
        assert repr(std[1]) == repr(mine[1])
    else:
        assert std[0] == mine[0] or "recursive" in (std[0], mine[0])
