"""The sync indicator: remote name, ahead/behind counts, and the sync itself with a spinner.

    SyncStatus(ws, lang="zh")     one line, e.g. "⇅ origin  ↑2 待推送  ↓3 待接收"

Counts come from the last fetch and refresh every 30 s and after a sync; a quiet background fetch
runs on mount and every `fetch_every` seconds (default 300; failures only show "remote unreachable").
One network operation runs at a time: a sync waits for a quiet fetch under way, and a quiet fetch is
skipped while a sync runs (a second `S` during a sync does nothing); when the widget goes away
(`q`), the running fetch or push is ended (`gitstore.stop_network`).
`start_sync()` runs `tracker.sync.sync` in a thread worker, animates a spinner with the step
("正在获取远程更新…"), then posts `SyncStatus.Synced(result)` (result.arrived_paths, .summary,
.conflicts) or `SyncStatus.Failed(message)` plus an error notification.  Git never runs on the
UI thread; file text is never markup.
"""
from __future__ import annotations

import threading

from rich.text import Text
from textual import work
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..i18n import book, say
from ..sync import label as sync_label

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

WORDS = book("sync_status", {
    "sync": ("同步", "sync"),
    "ahead": ("待推送", "to push"),
    "behind": ("待接收", "to receive"),
    "no_remote": ("未设置远程仓库（tracker remote add 地址）", "no remote (tracker remote add URL)"),
    "conflicts": ("冲突 {n}", "conflicts {n}"),
    "interrupted": ("上次同步未完成，按同步键恢复", "an interrupted sync: sync again to recover"),
    "offline": ("远程不可达", "remote unreachable"),
    "failed": ("同步失败：{message}", "{message}"),
    "stopped": ("已停止：程序正在关闭", "stopped: the program is closing"),
})


def _w(key: str, lang: str, **kw) -> str:
    return say(f"sync_status.{key}", lang, **kw)


class SyncStatus(Widget):
    """Remote, ahead/behind, and a sync that reports what arrived."""

    DEFAULT_CSS = """
    SyncStatus {
        height: 1;
        width: auto;
        min-width: 20;
        padding: 0 1;
        color: $text-muted;
    }
    SyncStatus.-syncing {
        color: $accent;
    }
    SyncStatus.-error {
        color: $error;
    }
    """

    class Synced(Message):
        """A sync finished; `result` is a tracker.sync.SyncResult."""

        def __init__(self, result) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, message: str, kind: str = "failed") -> None:
            super().__init__()
            self.message, self.kind = message, kind

    syncing: reactive[bool] = reactive(False)
    step: reactive[str] = reactive("")

    def __init__(self, ws, lang: str = "zh", *, fetch_every: float | None = 300, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.ws, self.lang = ws, lang
        self.fetch_every = fetch_every  # seconds between quiet background fetches (None: never)
        self.offline: str | None = None  # the last background fetch's failure
        self.status = None  # tracker.sync.RemoteStatus
        self.conflict_count = 0
        self.last_result = None
        self._frame = 0
        # one network operation at a time: the quiet fetch and a sync never fetch side by side
        self._net = threading.Lock()
        self._closing = False

    def on_mount(self) -> None:
        self.refresh_status(fetch=bool(self.fetch_every))
        self.set_interval(30, self.refresh_status)
        signal = getattr(self.app, "data_signal", None)
        if signal is not None:  # a save (or any reload) changes the counts: show them at once
            signal.subscribe(self, self._on_data)
        if self.fetch_every:
            self.set_interval(self.fetch_every, lambda: self.refresh_status(fetch=True))
        self._spin = self.set_interval(0.1, self._tick, pause=True)

    # -- status ---------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="sync-status", exit_on_error=False)
    def refresh_status(self, fetch: bool = False) -> None:
        from ..conflicts import scan
        from ..model import TrackerError
        from ..sync import fetch_status, status

        offline = None
        fetching = fetch and not self.syncing and not self._closing and self._net.acquire(blocking=False)
        fetch = bool(fetching)  # a fetch or a sync already running: just read the counts
        try:
            st = fetch_status(self.ws) if fetching else status(self.ws)
        except TrackerError as exc:  # offline: keep showing the counts of the last fetch
            offline = exc.text(self.lang).splitlines()[0]
            st = status(self.ws)
        finally:
            if fetching:
                self._net.release()
        if self._closing:
            return
        n = len(scan(self.ws))
        self._call(self._set_status, st, n, offline, fetch)

    def _call(self, fn, *args) -> None:
        """call_from_thread, unless the app has closed meanwhile (then the result has no reader)."""
        if self._closing:
            return
        try:
            self.app.call_from_thread(fn, *args)
        except RuntimeError:
            pass

    def _set_status(self, st, n: int, offline: str | None = None, fetched: bool = False) -> None:
        self.status, self.conflict_count = st, n
        if fetched or offline:
            self.offline = offline
        self.refresh(layout=True)
        base = getattr(self.app, "base_title", None)
        if base is not None:  # the counts stay visible on every screen, in the header
            self.app.title = base + (f"  ⇅ {st.remote} ↑{st.ahead} ↓{st.behind}" if st.remote and not st.state else "")

    def _on_data(self, kind: str) -> None:
        if kind == "data" and not self.syncing:
            self.refresh_status()

    # -- sync -----------------------------------------------------------------------------------
    def start_sync(self) -> None:
        if self.syncing:
            return
        self.syncing = True
        self.step = sync_label("fetching", self.lang)
        self.add_class("-syncing")
        self.remove_class("-error")
        self._spin.resume()
        self._run_sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _run_sync(self) -> None:
        from ..model import TrackerError
        from ..sync import sync

        def progress(msg: str) -> None:
            if self._closing:  # the app is quitting: stop at this safe point (before a fetch or a push)
                raise TrackerError(_w("stopped", "en"), key="sync_status.stopped")
            self._call(self._set_step, msg)

        while not self._net.acquire(timeout=0.2):  # a quiet fetch is running: wait for it, never fetch twice
            if self._closing:
                return
        try:
            if self._closing:
                return
            res = sync(self.ws, lang=self.lang, progress=progress)
        except TrackerError as exc:
            self._call(self._failed, exc.text(self.lang), getattr(exc, "kind", "failed"))
            return
        except Exception as exc:  # noqa: BLE001 - never crash the app over a sync
            self._call(self._failed, f"{type(exc).__name__}: {exc}", "failed")
            return
        finally:
            self._net.release()
        self._call(self._done, res)

    def on_unmount(self) -> None:
        """The app is closing (`q`): end the fetch or push running in the background now, rather
        than leave git waiting on a silent remote (its worker thread would keep the program alive)."""
        from ..gitstore import stop_network

        self._closing = True
        stop_network()

    def _set_step(self, msg: str) -> None:
        self.step = msg

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self.refresh()

    def _stop(self) -> None:
        self.syncing = False
        self.step = ""
        self._spin.pause()
        self.remove_class("-syncing")

    def _done(self, res) -> None:
        self._stop()
        self.offline = None
        self.last_result = res
        self.post_message(self.Synced(res))
        self.refresh_status()

    def _failed(self, message: str, kind: str) -> None:
        self._stop()
        self.add_class("-error")
        if message.isascii():  # the domain explains in English: a Chinese headline first
            message = _w("failed", self.lang, message=message)
        self.notify(message, title=_w("sync", self.lang), severity="error", timeout=15, markup=False)
        self.post_message(self.Failed(message, kind))
        self.refresh_status()

    # -- drawing --------------------------------------------------------------------------------
    def render(self) -> Text:
        lang = self.lang
        if self.syncing:
            return Text(f"{SPINNER[self._frame]} {self.step}")
        st = self.status
        if st is None:
            return Text("⇅ …")
        if st.state:
            return Text(f"⚠ {_w('interrupted', lang)}")
        if not st.remote:
            return Text(f"⇅ {_w('no_remote', lang)}")
        out = Text("⇅ ")
        out.append(st.remote, style="bold")
        out.append(f"  ↑{st.ahead} {_w('ahead', lang)}  ↓{st.behind} {_w('behind', lang)}")
        if self.offline:
            out.append(f"  ({_w('offline', lang)})", style="dim")
        if self.conflict_count:
            out.append(f"  ⚠ {_w('conflicts', lang, n=self.conflict_count)}", style="bold yellow")
        return out
