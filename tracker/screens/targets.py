"""The overall targets: each indicator with its target and actual values by period; record an actual."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from ..i18n import say, word
from ..model import fmt_num
from ..widgets.dialogs import FormDialog
from .base import BaseScreen
from .labels import L


def target_text(ind, lang: str) -> str:
    return word("qualitative", lang) if ind.comparator == "qualitative" else ind.target_text()


def actual_text(a, unit: str = "", lang: str = "zh") -> str:
    """The latest actual: a number with its unit, or a qualitative text with its assessment (基本同步（达标）)."""
    from ..model import ASSESSMENTS

    if a is None:
        return "—"
    out = f"{fmt_num(a.value)}{(' ' + unit) if unit and a.value is not None else ''}"
    if a.assessment in ASSESSMENTS:
        out += say("sep.paren", lang, x=say(f"assessment.{a.assessment}", lang))
    return out


class TargetsScreen(BaseScreen):
    SCOPE = "targets"
    AUTO_FOCUS = "#targets"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.rows: list[tuple] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield DataTable(id="targets", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one(DataTable)
        widths = self.widths(self.size.width or 130)
        table.add_column("#", key="n", width=3)
        table.add_column(word("target_text", lang), key="text", width=widths["text"])
        table.add_column(word("indicator", lang), key="indicator", width=widths["indicator"])
        table.add_column(word("target", lang), key="target", width=12)
        table.add_column(word("latest", lang), key="latest", width=14)
        table.add_column(L("by_period", lang), key="periods", width=widths["periods"])
        super().on_mount()
        self.sub_title = L("targets", lang)

    @staticmethod
    def widths(total: int) -> dict[str, int]:
        """The target text and the periods share what the fixed columns leave (DataTable pads each cell by 1)."""
        rest = max(total - 3 - 12 - 14 - 22 - 6 * 2 - 2, 30)
        return {"text": max(rest * 7 // 10, 16), "indicator": 22, "periods": max(rest - rest * 7 // 10, 14)}

    def on_resize(self, event) -> None:
        table = self.query_one(DataTable)
        widths = self.widths(event.size.width)
        changed = False
        for key, width in widths.items():
            col = table.columns.get(key)
            if col is not None and col.width != width:
                col.width, changed = width, True
        if changed:
            table.refresh(layout=True)
            self.refresh_data()

    def refresh_data(self, kind: str = "data") -> None:
        if kind != "data":
            return
        data = self.app.data
        if data is None:
            return
        lang = self.lang
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = []
        for tg in data.targets:
            inds = tg.indicators or ()
            if not inds:
                table.add_row(Text(str(tg.number)), Text(tg.text), Text(""), Text(""), Text(""), Text(""))
                self.rows.append((tg, None))
                continue
            for i, ind in enumerate(inds):
                periods = Text("  ".join(f"{a.period}: {actual_text(a, '', lang)}" for a in sorted(ind.actuals, key=lambda a: a.period)))
                table.add_row(Text(str(tg.number) if i == 0 else ""), Text(tg.text if i == 0 else "", overflow="ellipsis"),
                              Text(ind.name, overflow="ellipsis"),
                              Text(target_text(ind, lang)), Text(actual_text(ind.latest(), ind.unit, lang)), periods)
                self.rows.append((tg, ind))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record_actual()

    def action_record_actual(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return
        tg, ind = self.rows[table.cursor_row]
        if ind is None:
            return
        if self.app.read_only:
            self.notify(L("asof_refuse", self.lang), severity="warning", timeout=8)
            return
        lang = self.lang
        year = self.plan_year()
        qualitative = ind.comparator == "qualitative"
        fields = [("period", L("period", lang), default_period(year, self.app.today)),
                  ("value", L("qual_value" if qualitative else "value", lang), ""),
                  *([("assessment", L("assessment", lang), "")] if qualitative else []),
                  ("note", L("note", lang), "")]
        data = self.app.data
        expect = data.digests.get(tg.path) if data else None  # the version shown as the dialog opens

        def submit_qualitative(values, dialog) -> None:
            """A 定性 indicator's actual is text (基本同步) with an assessment, not a number."""
            from ..model import assessment_key

            text, period = values["value"].strip(), values["period"].strip()
            key = assessment_key(values["assessment"])
            if key is None:
                dialog.show_error(f"{L('not_saved', lang)}"
                                  f"{L('assessment', lang)}: {values['assessment'].strip()!r}")
                return
            if not period.startswith(str(year)):
                dialog.show_error(L("period_outside", lang, period=period, year=year))
                return
            self.app.save_qualitative(tg, ind.name, period, text, key, values["note"], expect=dialog.expect,
                                      dialog=dialog)

        def submit(values, dialog) -> None:
            raw = values["value"].strip()
            try:
                value = float(raw) if raw else None
            except ValueError:
                dialog.show_error(L("bad_number", lang, raw=raw))
                return
            if value is not None and value.is_integer():
                value = int(value)
            period = values["period"].strip()
            if not period.startswith(str(year)):
                dialog.show_error(L("period_outside", lang, period=period, year=year))
                return
            self.app.save_actual(tg, ind.name, period, value, values["note"], expect=dialog.expect, dialog=dialog)

        self.app.push_screen(FormDialog(f"{L('record_actual', lang)}: {tg.number}. {ind.name}", fields, lang,
                                        on_submit=submit_qualitative if qualitative else submit, expect=expect))

    def action_delete_actual(self) -> None:
        """`D`: pick the period of a mis-entered actual, confirm, and it is removed (one commit)."""
        from ..widgets.dialogs import PickerDialog

        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return
        tg, ind = self.rows[table.cursor_row]
        if ind is None:
            return
        lang = self.lang
        if self.app.read_only:
            self.notify(L("asof_refuse", lang), severity="warning", timeout=8)
            return
        acts = sorted(ind.actuals, key=lambda a: a.period)
        if not acts:
            self.notify(L("no_actuals", lang))
            return
        data = self.app.data
        expect = data.digests.get(tg.path) if data else None  # the version shown as the dialog opens
        shown = {a.period: f"{a.period}: {actual_text(a, ind.unit, lang)}" for a in acts}

        def confirmed(answer: str | None, period: str) -> None:
            if answer == "delete":
                self.app.remove_actual(tg, ind.name, period, expect=expect)

        def chosen(period: str | None) -> None:
            if not period:
                return
            what = f"{ind.name} {shown[period]}"
            self.app.push_screen(PickerDialog(L("confirm_delete_actual", lang, what=what),
                                              [("delete", Text(L("delete", lang))), ("", Text(L("cancel", lang)))], None),
                                 lambda answer: confirmed(answer, period))

        self.app.push_screen(PickerDialog(f"{L('pick_delete_actual', lang)}: {tg.number}. {ind.name}",
                                          [(a.period, Text(shown[a.period])) for a in acts], None), chosen)

    def plan_year(self) -> int:
        data = self.app.data
        return data.info.year if data and data.info else self.app.ws.year


def default_period(year: int, today) -> str:
    """The latest month of the plan year that has begun: today's month within the year, else its last month."""
    if today.year == year:
        return today.strftime("%Y-%m")
    if today.year < year:
        return f"{year}-01"
    return f"{year}-12"
