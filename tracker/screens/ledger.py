"""The ledger (台账) from the units screen: `x` exports the highlighted unit's ledger, `i` takes a
returned file back.  Both ask for a path; the file work runs in thread workers.  Ingest shows the
same preview as `tracker ledger ingest --dry-run` (per item old → new, conflicts, invalid and
locked cells) and commits only after Enter; items with invalid cells are left out (as with
--skip-invalid), and the preview says so first."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..i18n import book, say, told
from ..model import TrackerError

WORDS = book("ledger_screen", {
    "export_title": ("导出台账（{unit}）：文件路径（.xlsx 或 .docx）", "Export the ledger of {unit}: file path (.xlsx or .docx)"),
    "ingest_title": ("导入退回的台账：文件路径", "Ingest a returned ledger: file path"),
    "exported": ("已导出 {path}：{tasks} 项任务、{measures} 条措施", "Exported {path}: {tasks} tasks, {measures} measures"),
    "preview": ("导入预览", "Ingest preview"),
    "keys": ("Enter 导入（每个事项一个提交）· Esc 取消", "Enter ingest (one commit per item) · Esc cancel"),
    "keys_invalid": ("Enter 只导入有效的事项（无效单元格所在事项不导入）· Esc 取消",
                     "Enter ingest the valid items only (items with invalid cells are left out) · Esc cancel"),
    "nothing": ("台账没有需要导入的变化", "Nothing in the ledger to ingest"),
    "ingested": ("台账已导入：{n} 个提交", "Ledger ingested: {n} commit(s)"),
    "read_only": ("回溯视图为只读", "The as-of view is read-only"),
    "working": ("正在处理台账…", "Working on the ledger…"),
})


def w(key: str, lang: str, **kw) -> str:
    return say(f"ledger_screen.{key}", lang, **kw)


def default_path(unit: str) -> str:
    safe = "".join(ch for ch in unit if ch not in '/\\:*?"<>|').strip() or "ledger"
    return str(Path(os.getcwd()) / f"台账-{safe}-{date.today().isoformat()}.xlsx")


class LedgerPreview(ModalScreen[bool]):
    """The ingest plan, line by line; Enter applies, Escape cancels."""

    BINDINGS = [Binding("enter", "apply", "Apply", show=False), Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, lines: list[tuple[str, str]], lang: str, has_invalid: bool):
        super().__init__(classes="dialog")
        self.lines, self.lang_, self.has_invalid = lines, lang, has_invalid

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="ledger-preview"):
            yield Label(Text(w("preview", self.lang_)), classes="dialog-title")
            body = Text()
            for style, text in self.lines:
                body.append(text + "\n", style=style)
            with VerticalScroll(id="ledger-preview-body"):
                yield Static(body, markup=False)
            yield Static(Text(w("keys_invalid" if self.has_invalid else "keys", self.lang_), style="dim"),
                         markup=False)

    def action_apply(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class LedgerActions:
    """Mixed into the units screen: export and ingest for the highlighted unit."""

    def current_unit(self) -> str | None:  # provided by the screen
        raise NotImplementedError

    def action_export_ledger(self) -> None:
        from ..widgets.dialogs import InputDialog

        unit = self.current_unit()
        if unit is None:
            return
        lang = self.app.lang
        self.app.push_screen(InputDialog(w("export_title", lang, unit=unit), default_path(unit),
                                         on_submit=lambda value, dialog: self._export(unit, value, dialog)))

    @work(thread=True, group="ledger", exit_on_error=False)
    def _export(self, unit: str, value: str, dialog) -> None:
        from ..ledger.export import export

        lang = self.app.lang
        try:
            path, rows, meta = export(self.app.ws, os.path.expanduser(value.strip()), unit=unit, lang=lang)
        except (TrackerError, OSError) as exc:
            self.app.call_from_thread(dialog.show_error, told(exc, lang))
            return
        self.app.call_from_thread(dialog.dismiss, str(path))
        self.app.call_from_thread(self.app.notify, w("exported", lang, path=str(path), tasks=len(meta.items),
                                                     measures=len(rows) - len(meta.items)), markup=False, timeout=10)

    def action_ingest_ledger(self) -> None:
        from ..widgets.dialogs import InputDialog

        lang = self.app.lang
        if getattr(self.app, "read_only", False):
            self.app.notify(w("read_only", lang), severity="warning")
            return
        unit = self.current_unit()
        self.app.push_screen(InputDialog(w("ingest_title", lang), "",
                                         on_submit=lambda value, dialog: self._plan(unit, value, dialog)))

    @work(thread=True, group="ledger", exit_on_error=False)
    def _plan(self, unit: str | None, value: str, dialog) -> None:
        from ..ledger.ingest import lines, plan
        from ..ledger.read import read

        lang = self.app.lang
        try:
            path = os.path.expanduser(value.strip())
            ret = read(path)
            pl = plan(self.app.ws, path, unit=None if ret.meta.unit else unit, returned=ret)
        except (TrackerError, OSError) as exc:
            self.app.call_from_thread(dialog.show_error, told(exc, lang))
            return
        self.app.call_from_thread(dialog.dismiss, None)
        self.app.call_from_thread(self._preview, pl, lines(pl, lang))

    def _preview(self, pl, shown: list[tuple[str, str]]) -> None:
        lang = self.app.lang
        if not pl.to_apply and not pl.invalid and not pl.locked:
            self.app.notify(w("nothing", lang))

        def done(go: bool | None) -> None:
            if go:
                self._apply(pl)

        self.app.push_screen(LedgerPreview(shown, lang, bool(pl.invalid)), done)

    @work(thread=True, group="ledger", exit_on_error=False)
    def _apply(self, pl) -> None:
        from ..ledger.ingest import apply

        lang = self.app.lang
        try:
            results = apply(self.app.ws, pl, lang=self.app.ws.language())
        except TrackerError as exc:
            self.app.call_from_thread(self.app.notify, self.app.error_text(exc), severity="error", markup=False,
                                      timeout=15)
            self.app.call_from_thread(self.app.reload)
            return
        self.app.call_from_thread(self.app.notify, w("ingested", lang, n=len(results)), markup=False)
        self.app.call_from_thread(self.app.reload)
