"""A load holds the cyclic garbage collector off while it parses (tracker.store_load.gc_paused) and
gives it back as it found it: on after a load that found it on, off after one that found it off,
on after loads that overlap in threads (the TUI loads in worker threads)."""
from __future__ import annotations

import gc
import threading

import pytest

from tracker.store import Workspace
from tracker.store_load import gc_paused


class _Watch:
    """A parsed cache (load's `parsed_cache=`) that answers nothing and notes the collector's state."""

    def __init__(self, hold: threading.Event | None = None, entered: threading.Event | None = None):
        self.states: list[bool] = []
        self.hold, self.entered = hold, entered

    def get(self, digest, kind):
        self.states.append(gc.isenabled())
        if self.entered is not None:
            self.entered.set()
        if self.hold is not None:
            self.hold.wait(10)
        return None

    def put(self, digest, kind, obj):
        pass


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_off_while_files_are_parsed_and_on_again_after(plan_repo, collector_on):
    watch = _Watch()
    data = Workspace(plan_repo).load(parsed_cache=watch)
    assert len(data.tasks) == 60 and len(watch.states) >= 60
    assert not any(watch.states)  # off for every file
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(plan_repo, collector_on):
    gc.disable()
    Workspace(plan_repo).load(parsed_cache=_Watch())
    assert not gc.isenabled()


def test_a_failing_load_gives_the_collector_back(plan_repo, collector_on):
    class Boom(_Watch):
        def get(self, digest, kind):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        Workspace(plan_repo).load(parsed_cache=Boom())
    assert gc.isenabled()


def test_overlapping_loads_in_threads_leave_it_on(plan_repo, collector_on):
    hold, entered = threading.Event(), threading.Event()
    slow = _Watch(hold, entered)
    first = threading.Thread(target=lambda: Workspace(plan_repo).load(parsed_cache=slow))
    first.start()
    assert entered.wait(10)  # the first load is inside, the collector off
    quick = _Watch()
    Workspace(plan_repo).load(parsed_cache=quick)  # a second load comes and goes meanwhile
    assert not any(quick.states)
    assert not gc.isenabled()  # the first one is still parsing: still off
    hold.set()
    first.join(10)
    assert not any(slow.states) and gc.isenabled()


def test_gc_paused_nests():
    was = gc.isenabled()
    gc.enable()
    try:
        with gc_paused:
            with gc_paused:
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
