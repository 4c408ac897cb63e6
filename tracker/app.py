"""The Textual app: a thin shell around screens that call the domain layer.

The app holds what every screen reads (the loaded plan, last changes, search keys, lights) and
does all disk and git work in thread workers: loading, watching the files for changes made
elsewhere, and saving.  Screens subscribe to `data_signal` and redraw when a load lands.
"""
from __future__ import annotations

import gc
import os
from datetime import date
from typing import Any, Callable, Iterable

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.signal import Signal

from .i18n import norm_lang, told
from .model import Task, TrackerError
from .schedule import Thresholds, light
from .screens.base import has_module
from .screens.labels import L
from .screens.palette import TaskProvider, UnitProvider, system_commands
from .search import SearchIndex
from .store import PlanData, StaleError, Workspace
from .widgets.keys import KeyQueueApp, install_bindings, relabel


def disk_signature(ws: Workspace) -> tuple:
    """Cheap fingerprint of the plan files and HEAD: changes when anything is edited, committed or pulled."""
    items: list = []

    def scan(path: str) -> None:
        try:
            with os.scandir(path) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        scan(e.path)
                    else:
                        st = e.stat(follow_symlinks=False)
                        items.append((e.path, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            pass

    scan(str(ws.plan_dir))
    git_dir = ws.git.git_dir
    for name in ("HEAD", "packed-refs"):
        try:
            st = os.stat(git_dir / name)
            items.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    try:
        head = (git_dir / "HEAD").read_text().strip()
        if head.startswith("ref:"):
            st = os.stat(git_dir / head[4:].strip())
            items.append((head, st.st_mtime_ns, st.st_size))
    except OSError:
        pass
    return (len(items), hash(tuple(sorted(items))))


def safe_last_changes(ws: Workspace) -> dict:
    """The "last change" column: a query on the history index (tracker.lastchange), built first,
    when missing, in a process of its own (not in this worker: the UI keeps the GIL)."""
    from .lastchange import last_changes
    from .touchindex import build_in_process_of_its_own

    build_in_process_of_its_own(ws)
    return last_changes(ws)


class TrackerApp(KeyQueueApp):
    """The app; keys typed in a burst go one at a time (widgets.keys.KeyQueueApp)."""

    CSS_PATH = "tracker.tcss"
    TITLE = "tracker"
    COMMANDS = App.COMMANDS | {TaskProvider, UnitProvider}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, ws: Workspace, lang: str = "zh", *, today: date | None = None,
                 poll_seconds: float | None = 2.0, use_cache: bool = True, sync_fetch_every: float | None = 300,
                 index_history: bool | None = None):
        super().__init__()
        self.ws, self.lang = ws, norm_lang(lang)
        self.fixed_today = today
        self.poll_seconds = poll_seconds
        self.sync_fetch_every = sync_fetch_every
        self._arrived_paths: set[str] = set()
        self.data: PlanData | None = None
        self.live_data: PlanData | None = None
        self.as_of_day: date | None = None
        self.last: dict = {}
        self.live_last: dict = {}  # today's last changes, kept while the as-of view shows its own
        self.index: SearchIndex | None = None
        self.tasks_by_id: dict[str, Task] = {}
        self.lights: dict[str, str] = {}
        self.th: Thresholds | None = None
        self.version = 0
        self.arrived: set[str] = set()
        self._signature: tuple | None = None
        # parsed files are reused through tracker.cache (marshal, checked against each file's stat and blob id)
        self._parsed_cache = None if use_cache else False
        self._index_history = use_cache if index_history is None else index_history  # touchindex, once a start
        self.data_signal: Signal[str] = Signal(self, "data")
        install_bindings(self, "app", self.lang)
        relabel(self, ("command_palette", "app.command_palette"), L("palette", self.lang))  # Textual says "palette"
        self.title = self.base_title = L("app_title", self.lang)

    @property
    def today(self) -> date:
        if self.as_of_day is not None:
            return self.as_of_day
        return self.fixed_today or date.today()

    @property
    def read_only(self) -> bool:
        return self.as_of_day is not None

    # -- modes ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from .screens.dashboard import DashboardScreen

        def lazy(module: str, cls: str):
            def make():  # screens other than the dashboard are imported when first shown
                import importlib

                return getattr(importlib.import_module(f"tracker.screens.{module}"), cls)()
            return make

        self.add_mode("dashboard", DashboardScreen)
        self.add_mode("tasks", lazy("task_list", "TaskListScreen"))
        self.add_mode("units", lazy("units", "UnitsScreen"))
        self.add_mode("targets", lazy("targets", "TargetsScreen"))
        if has_module("analytics"):
            self.add_mode("ranking", lazy("ranking", "RankingScreen"))
        self.switch_mode("dashboard")
        # load once the first frame is on screen (see _display): a loader thread started earlier
        # competes for the GIL and delays that frame; the timer is a fallback
        self.set_timer(1.0, self._start_first_load)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.check_disk)
        self._show_acting_as()

    @work(thread=True, exclusive=True, group="acting-as", exit_on_error=False)
    def _show_acting_as(self) -> None:
        """The header's second line: who this clone commits as, for which office (offices.yaml)."""
        from .signing import acting_as_label

        text = acting_as_label(self.ws.root, self.ws.git, self.lang)
        if text:
            self.call_from_thread(self._set_acting_as, text)

    def _set_acting_as(self, text: str) -> None:
        old = self.base_title
        self.base_title = f"{L('app_title', self.lang)}  {text}"  # the sync counts follow it (SyncStatus)
        self.title = self.base_title + (self.title[len(old):] if self.title.startswith(old) else "")

    _first_load_started = False

    def _start_first_load(self) -> None:
        if not self._first_load_started:
            self._first_load_started = True
            self.reload()

    def _display(self, screen, renderable) -> None:  # Textual's hook for a painted frame
        super()._display(screen, renderable)
        if renderable is not None and not self._first_load_started:
            self.call_later(self._start_first_load)

    async def action_go(self, mode: str) -> None:
        """The mode's base screen (`l` is the task list, not the history last left open there):
        keys typed after it then land where the officer expects."""
        if mode not in self._modes:
            self.notify(L("not_available", self.lang), severity="warning")
            return
        if self.current_mode != mode:
            await self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            await self.pop_screen()

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "dashboard":
            self.switch_mode("dashboard")

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_task(self, task_id: str) -> None:
        from .screens.task_detail import TaskDetailScreen

        def go() -> None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(TaskDetailScreen(task_id))
            list_screen = self.screen_stack[0]
            if hasattr(list_screen, "focus_task"):
                list_screen.focus_task(task_id)

        if self.current_mode != "tasks":
            self.switch_mode("tasks")
        self.call_later(go)

    def open_unit(self, unit: str) -> None:
        """The unit's tasks on top of the current screen: Escape returns there, and the unit filter
        belongs to that list only (the `l` list keeps its own filters)."""
        from .screens.task_list import TaskListScreen

        while self.screen.is_modal and len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(TaskListScreen(unit=unit))

    def unit_names(self) -> list[str]:
        if self.data is None:
            return []
        return list(dict.fromkeys(u for t in self.data.tasks for u in t.units))

    # -- loading ----------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self, quiet: bool = True) -> None:
        try:  # a save killed between its write and its commit (in this app or the CLI) is finished first
            note = self.ws.recover()
        except Exception as exc:  # noqa: BLE001 - shown to the user, loading goes on
            note = exc
        if note:  # a Said / keyed error: in the app's language (i18n.told)
            self.call_from_thread(self.notify, told(note, self.lang), severity="warning", timeout=15, markup=False)
        self._signature = disk_signature(self.ws)
        data = self.ws.load(parsed_cache=self._parsed_cache)
        self.call_from_thread(self._set_data, data, None, None)
        last = safe_last_changes(self.ws)
        self.call_from_thread(self._set_data, None, last, None)
        index = SearchIndex(data.tasks)
        self.call_from_thread(self._set_data, None, None, index)
        if self._index_history:
            self._index_history = False  # once per start; later views keep it fresh themselves
            self.call_from_thread(self._build_touch_index)
        if not quiet:
            self.call_from_thread(self.notify, L("reloaded", self.lang))

    @work(thread=True, exclusive=True, group="touchindex", exit_on_error=False)
    def _build_touch_index(self) -> None:
        """The history index (tracker/touchindex.py) in a separate process: building it walks the
        whole history once, and its parsing would otherwise compete with the UI for the GIL."""
        import subprocess

        from .childenv import own_code_env, python_argv  # a `tracker/` folder in the work tree is never run

        subprocess.run(python_argv("-m", "tracker", "--repo", str(self.ws.root), "--plan", str(self.ws.year), "index"),
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=str(self.ws.root), check=False, env=own_code_env())

    def _set_data(self, data: PlanData | None, last: dict | None, index: SearchIndex | None) -> None:
        kind = "data"
        if data is not None:
            self.live_data = data
            if self.as_of_day is not None:
                return
            self._adopt(data)
        elif last is not None:
            self.live_last = last
            if self.as_of_day is not None:
                return  # the as-of view keeps the last changes as of its day
            self.last, kind = last, "last"
        elif index is not None:
            if self.as_of_day is not None:
                return
            self.index, kind = index, "index"
        self.version += 1
        self.data_signal.publish(kind)
        # a large plan is hundreds of thousands of long-lived objects: keep the cyclic GC from
        # rescanning them (a full pass at 10,000 tasks is a visible pause mid-keystroke).  Each of
        # the three landings brings its own: the plan; the last changes (one record a task); the
        # search index, whose first build imports pypinyin's phrase table (~200,000 lists, which
        # made a full pass 85-130 ms and the worst filter keystroke 140-290 ms at 10,000 tasks)
        gc.freeze()

    def _adopt(self, data: PlanData) -> None:
        self.data = data
        self.tasks_by_id = {t.id: t for t in data.tasks}
        info = data.info
        year = info.year if info else self.ws.year
        self.th = Thresholds.from_settings(info.settings if info else None, year)
        today = self.today
        self.lights = {t.id: light(t, self.th, today) for t in data.tasks}
        self.arrived = {t.id for t in data.tasks if t.path in self._arrived_paths}
        if self.index is not None and set(self.index.keys) != set(self.tasks_by_id):
            self.index = SearchIndex(data.tasks, with_pinyin=False)

    def check_disk(self) -> None:
        if not self.workers or not any(w.group == "load" and w.is_running for w in self.workers):
            self._check_disk()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _check_disk(self) -> None:
        sig = disk_signature(self.ws)
        if self._signature is not None and sig != self._signature:
            self.call_from_thread(self.reload)

    # -- saving -----------------------------------------------------------------------------
    def save_task(self, task: Task, changes: dict[str, Any], done: Callable[[Any], None] | None = None, *,
                  expect: str | None = None, dialog: Any = None) -> None:
        """One commit.  `expect` is the blob id of the version the officer started from (captured when
        the dialog opened); a file changed since is refused.  With `dialog` (a widgets.dialogs
        Submitting dialog) it stays open on an error, with the typed text, and closes on success."""
        if self.read_only:
            self.notify(L("read_only", self.lang), severity="warning")
            return
        if expect is None:
            expect = self.data.digests.get(task.path) if self.data else None
        self._save(lambda: self.ws.update_task(task.number, changes, expect=expect), done, dialog, task.path,
                   next(iter(changes), ""))

    def save_actual(self, target, indicator: str, period: str, value: float | None, note: str, *,
                    expect: str | None = None, dialog: Any = None) -> None:
        if self.read_only:
            self.notify(L("read_only", self.lang), severity="warning")
            return
        if expect is None:
            expect = self.data.digests.get(target.path) if self.data else None
        self._save(lambda: self.ws.record_actual(target.number, indicator, period, value, note, expect=expect), None,
                   dialog, target.path, "")

    def save_qualitative(self, target, indicator: str, period: str, text: str, assessment: str, note: str, *,
                         expect: str | None = None, dialog: Any = None) -> None:
        """A qualitative actual (text and an assessment), in the save worker like every write."""
        from .actuals import record_qualitative

        if self.read_only:
            self.notify(L("read_only", self.lang), severity="warning")
            return
        self._save(lambda: record_qualitative(self.ws, target.number, indicator, period, text, assessment, note,
                                              expect=expect), None, dialog, target.path, "")

    def remove_actual(self, target, indicator: str, period: str, *, expect: str | None = None) -> None:
        """Delete a mis-entered actual, in the save worker: one commit."""
        from .actuals import delete_actual

        if self.read_only:
            self.notify(L("read_only", self.lang), severity="warning")
            return
        self._save(lambda: delete_actual(self.ws, target.number, indicator, period, expect=expect), None, None,
                   target.path, "")

    def error_text(self, exc: Exception) -> str:
        """A domain error under a headline in the app's language; its details in that language too when
        the error carries a label-book key (TrackerError.text), else in English."""
        detail = told(exc, self.lang)  # a TrackerError or inputs.InputError with a key: in the user's language
        return L("not_saved_error", self.lang, error=detail)

    @work(thread=True, group="save", exit_on_error=False)
    def _save(self, fn: Callable[[], Any], done: Callable[[Any], None] | None, dialog: Any = None,
              path: str = "", field: str = "") -> None:
        lang = self.lang
        try:
            result = fn()
        except StaleError:
            # show the fresh version at once (re-parses only the changed file), keep the officer's draft
            try:
                data = self.ws.load(parsed_cache=self._parsed_cache)
                self.call_from_thread(self._set_data, data, None, None)
            except Exception:  # noqa: BLE001 - the reload below retries
                pass
            if dialog is not None:
                self.call_from_thread(self._stale_dialog, dialog, path, field)
            else:
                self.call_from_thread(self.notify, L("stale", lang), severity="error", timeout=15)
            self.call_from_thread(self.reload)
            return
        except TrackerError as exc:
            if dialog is not None:
                self.call_from_thread(dialog.show_error, self.error_text(exc))
            else:
                self.call_from_thread(self.notify, self.error_text(exc), title=L("error", lang), severity="error",
                                      markup=False, timeout=15)
            return
        if dialog is not None:
            self.call_from_thread(dialog.dismiss, result)
        if result is None:
            self.call_from_thread(self.notify, L("no_change", lang))
        else:
            self.call_from_thread(self.notify, L("saved", lang, sha=result.short), markup=False)
        self.call_from_thread(self.reload)
        if done is not None:
            self.call_from_thread(done, result)

    # -- 立项交办: a new item (issue 13 §1; tracker/screens/new_item.py) ---------------------------
    def action_new_item(self) -> None:
        """`N`: the form that registers and assigns a new item; items.create runs in the save worker."""
        if self.screen.is_modal:  # a picker or a dialog (the form itself) is open: finish that first
            return
        if self.read_only:
            self.notify(L("read_only", self.lang), severity="warning")
            return
        if self.data is not None:
            self._open_new_item(self.data)

    @work(thread=True, exclusive=True, group="new-item", exit_on_error=False)
    def _open_new_item(self, data: PlanData) -> None:
        """The plan's units (its tasks' and units.yaml's canonical names: a file read, so here)."""
        from .items import known_units

        try:
            units = known_units(self.ws, data.tasks)
        except Exception:  # noqa: BLE001 - the tasks' own units still do
            units = list(dict.fromkeys(u for t in data.tasks for u in t.units))
        self.call_from_thread(self._push_new_item, units, data)

    def _push_new_item(self, units: list[str], data: PlanData) -> None:
        from .screens.new_item import NewItemScreen

        info = data.info
        form = NewItemScreen(units, info.settings if info else {}, self.ws.year, self.today, self.lang)
        form.on_submit = self.create_item
        self.push_screen(form)

    def create_item(self, item: Any, dialog: Any = None) -> None:
        """One commit creating one file (items.create), then the list shows and selects the new id."""
        from .items import create

        self._save(lambda: create(self.ws, item, today=self.today), self._item_created, dialog)

    def _item_created(self, result: Any) -> None:
        from .history import item_id

        tid = item_id(result.path) if result is not None and result.path else None
        if not tid:
            return
        from .i18n import say

        self.notify(say("new_item.created", self.lang, id=tid), markup=False)
        self.call_later(self._show_new_item, tid)

    async def _show_new_item(self, tid: str) -> None:
        await self.action_go("tasks")
        screen = self.screen
        if hasattr(screen, "focus_task"):
            screen.focus_task(tid)

    def _stale_dialog(self, dialog: Any, path: str, field: str) -> None:
        """The file changed under an open dialog: say so in it, with the fresh value, keep the draft."""
        from .i18n import field_label

        lang = self.lang
        data = self.data
        fresh = data.digests.get(path) if data else None
        task = next((t for t in data.tasks if t.path == path), None) if data else None
        value = getattr(task, field, "") if task is not None and field and "." not in field else ""
        if fresh is not None:
            dialog.expect = fresh  # saving again (after reading the fresh value) is a deliberate choice
        label = field_label(field, lang) if field else ""
        dialog.show_error(L("stale_kept", lang, field=label, value=value if value != "" else "—"))
        self.notify(L("stale", lang), severity="error", timeout=15)

    # -- time travel, sync ------------------------------------------------------------------
    def action_as_of(self) -> None:
        try:
            from . import asof  # noqa: F401
        except ImportError:
            self.notify(L("not_available", self.lang), severity="warning")
            return
        from .widgets.dialogs import InputDialog

        def chosen(value: str | None) -> None:
            if value is None:
                return
            value = value.strip()
            if not value:
                self.as_of_day = None
                if self.live_data is not None:
                    self._adopt(self.live_data)
                self.last = self.live_last
                self.reload()
                return
            from .inputs import InputError, parse_date

            try:
                day = parse_date(value)
            except InputError as exc:
                self.notify(exc.text(self.lang), severity="error", markup=False)
                return
            self._load_as_of(day)

        # empty, also in the as-of view: Enter on it returns to now (the title says so)
        title = L("enter_asof", self.lang)
        if self.as_of_day:
            title = L("enter_asof_leave", self.lang, day=self.as_of_day.isoformat())
        self.push_screen(InputDialog(title, ""), chosen)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_as_of(self, day: date) -> None:
        from .asof import last_changes_as_of, load_as_of
        from .touchindex import build_in_process_of_its_own

        try:
            if not self.ws.git.run("rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "HEAD").strip():
                self.call_from_thread(self.notify, L("no_commit_before", self.lang, day=day.isoformat()),
                                      severity="warning", timeout=15)
                return
            data = load_as_of(self.ws, day)
            build_in_process_of_its_own(self.ws)  # the history index, when missing, outside the UI's process
            last = last_changes_as_of(self.ws, day)  # 最近修改 as of that day, as `tracker show --as-of`
        except Exception as exc:  # noqa: BLE001 - shown to the user, the app keeps working
            self.call_from_thread(self.notify, told(exc, self.lang), severity="error", markup=False)
            return
        self.call_from_thread(self._show_as_of, day, data, last)

    def _show_as_of(self, day: date, data: PlanData, last: dict | None = None) -> None:
        self.as_of_day = day
        self._adopt(data)
        self.last = last if last is not None else {}
        self.index = SearchIndex(data.tasks)
        self.version += 1
        self.data_signal.publish("data")

    def action_sync(self) -> None:
        if getattr(self, "_source_checked", None) is None:
            self._check_source_then_sync()  # once, in a worker: git never runs on the UI thread
            return
        if self._source_checked:
            self.notify(L("sync_source_refused", self.lang), severity="error", timeout=20, markup=False)
            return
        widget = None
        for screen in [self.screen, *self.screen_stack, *self._dashboard_screens()]:
            found = list(screen.query("SyncStatus"))
            if found:
                widget = found[0]
                break
        if widget is None:
            self.notify(L("not_available", self.lang), severity="warning")
            return
        widget.start_sync()

    @work(thread=True, exit_on_error=False)
    def _check_source_then_sync(self) -> None:
        """Is this a clone of the tool's own source (its remote is the code repository)?  Then `S` is refused."""
        from .sourceguard import source_revisions

        try:
            found = bool(source_revisions(self.ws))
        except Exception:  # noqa: BLE001 - unreadable: the sync itself will say what is wrong
            found = False

        def then() -> None:
            self._source_checked = found
            self.action_sync()

        self.call_from_thread(then)

    def _dashboard_screens(self) -> list:
        stacks = getattr(self, "_screen_stacks", {})
        return list(stacks.get("dashboard", []))

    def on_sync_status_synced(self, event) -> None:  # SyncStatus.Synced, when the sync widget exists
        result = getattr(event, "result", None)
        self._arrived_paths = set(getattr(result, "arrived_paths", []) or [])
        summary = getattr(result, "summary", "") or L("sync_done", self.lang)
        self.notify(summary, markup=False)
        self.reload()

    # -- plans ------------------------------------------------------------------------------
    def plan_years(self) -> list[int]:
        root = self.ws.root / "plan"
        return sorted((int(p.name) for p in root.glob("[0-9][0-9][0-9][0-9]") if p.is_dir()), reverse=True)

    def action_switch_plan(self) -> None:
        """Choose one of the plans (years) the repository holds; the board reloads on it."""
        from .widgets.dialogs import PickerDialog

        years = self.plan_years()
        if len(years) < 2:
            self.notify(L("one_plan", self.lang).format(year=self.ws.year), markup=False)
            return
        opts = [(str(y), Text(str(y))) for y in years]
        self.push_screen(PickerDialog(L("switch_plan", self.lang), opts, str(self.ws.year)),
                         lambda y: y and self.switch_plan(int(y)))

    def switch_plan(self, year: int) -> None:
        if year == self.ws.year:
            return
        self.ws = Workspace(self.ws.root, year)
        self.as_of_day = None
        self.data = self.live_data = None
        self.index, self.last, self.tasks_by_id, self.lights = None, {}, {}, {}
        self.notify(L("plan_switched", self.lang).format(year=year), markup=False)
        self.reload()

    # -- palette ----------------------------------------------------------------------------
    def get_system_commands(self, screen) -> Iterable[SystemCommand]:
        """Textual's own commands and this screen's keys, in the app's language (screens.palette)."""
        yield from system_commands(self, screen)


def make_app(ws: Workspace, lang: str = "zh", *, today: date | None = None, **kw) -> TrackerApp:
    """The one factory the console script and the tests share."""
    return TrackerApp(ws, lang=lang, today=today, **kw)
