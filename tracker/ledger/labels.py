"""The ledger's own words (export, the sheets' notes, ingest previews and problems, returns), Chinese
and English side by side: the "ledger" area of the label book (tracker/i18n.py).  The column headers
are in rows.COLUMNS (each Column carries its zh and en)."""
from __future__ import annotations

from ..i18n import book, say

LEDGER = book("ledger", {
    # ingest: notes on rows not read (a Said each: str() English, said in the preview's language)
    "note_other_unit": ("导出给 {exported}，由 {unit} 交回并读入", "exported for {exported}, ingested as returned by {unit}"),
    "note_not_exported": ("{ref}：编号 {id} 不在本次导出中；该行未读取", "{ref}: 编号 {id} was not in this export; row not read"),
    "note_no_measure": ("{ref}：编号 {id}：该任务没有这条措施；该行未读取",
                        "{ref}: 编号 {id}: the task has no such measure; row not read"),
    "note_not_id": ("{ref}：编号 {shown!r} 不是事项编号；该行未读取", "{ref}: 编号 {shown!r} is not an item id; row not read"),
    "note_no_id": ("{ref}：该行没有编号；该行未读取", "{ref}: a row without 编号; row not read"),
    # the sheet and its notes (export)
    "title": ("{plan}推进情况台账", "{plan}: progress ledger"),
    "title_unit": ("{plan}推进情况台账（{unit}）", "{plan}: progress ledger — {unit}"),
    "instruction": ("填报说明：只填写白色单元格（状态、进度0-100、进展情况、存在问题、下步打算；措施行只填状态），"
                    "灰色单元格不得修改；请勿修改编号列，可增加空行或调整行序。导出日期 {exported}（版本 {short}）。",
                    "How to fill in: change only the white cells (status, progress 0-100, progress note, problems, "
                    "next steps; a measure row: its status). Grey cells are locked. Do not change the ID column; "
                    "blank rows and reordering are fine. Exported {exported} (version {short})."),
    "docx_note": ("{instruction} 状态可填：{choices}。", "{instruction} Status: {choices}."),
    "sheet": ("台账", "Ledger"),
    "page_footer": ("第 &P 页，共 &N 页", "Page &P of &N"),  # Excel's codes: &P this page, &N pages
    "status_title": ("状态", "Status"),
    "status_error": ("请从下拉列表选择：{choices}", "Pick a status from the list: {choices}"),
    "status_prompt": ("请从下拉列表选择", "Pick from the list"),
    "progress_title": ("进度", "Progress"),
    "progress_error": ("请填写0至100的整数", "A whole number from 0 to 100"),
    "role_lead": ("牵头", "lead"),
    "role_co": ("配合", "co-owner"),
    "measure_title": ("（措施{n}）{text}", "(measure {n}) {text}"),
    "exported": ("{path}: {tasks} 项任务、{measures} 条措施；版本 {version}，导出日期 {exported}",
                 "{path}: {tasks} tasks, {measures} measures; version {version}, exported {exported}"),
    # ingest: cell problems, in the ledger's language (its headers are in it)
    "status_empty": ("{ref}: 状态 为空（{allowed}）", "{ref}: status is empty ({allowed})"),
    "status_bad": ("{ref}: 状态 {value!r} 不是有效状态（{allowed}）", "{ref}: status {value!r} is not a status ({allowed})"),
    "progress_range": ("{ref}: 进度 {value} 超出 0-100", "{ref}: progress {value} is outside 0-100"),
    "progress_empty": ("{ref}: 进度 为空（0-100）", "{ref}: progress is empty (0-100)"),
    "progress_whole": ("{ref}: 进度 {value!r} 不是整数（0-100）", "{ref}: progress {value!r} is not a whole number (0-100)"),
    "locked_cell": ("{ref}: {header} {want} → {got}（锁定列，不导入）", "{ref}: {header} {want} → {got} (locked; not applied)"),
    "side": ("{unit}（{file}）", "{unit} (ledger {file})"),
    # ingest: the preview
    "preview_head": ("台账 {name}：{unit} 报送，导出日期 {exported}（版本 {version}）",
                     "ledger {name}: returned by {unit}, exported {exported} (version {version})"),
    "done_before": ("：已于提交 {sha} 导入，跳过", ": already ingested in {sha}; skipped"),
    "invalid_item": ("：有无效单元格，不导入", ": invalid cells; not applied"),
    "stale": ("（导出后已在库中修改）", " (changed in the repository since the export)"),
    "conflict": ("库中 {current}，台账 {ledger}（导出时 {base}）→ 记为冲突",
                 "repository {current}, ledger {ledger} (exported {base}) → recorded as a conflict"),
    "invalid_cells": ("无效单元格：", "invalid cells:"),
    "locked_cells": ("锁定单元格被修改（不导入）：", "locked cells changed (not applied):"),
    "to_change": ("{n} 个事项有变化", "{n} item(s) to change"),
    "with_conflicts": ("，其中 {k} 个记为冲突", ", {k} with conflicts"),
    "not_written": ("tracker: 台账有无效单元格，未写入任何内容；改正后重新导入，或用 --skip-invalid 只导入有效的事项",
                    "tracker: the ledger has invalid cells; nothing was written. Correct them and ingest again, "
                    "or use --skip-invalid to apply the valid items only"),
    "commits": ("{n} 个提交", "{n} commit(s)"),
    # returns (who returned their ledger)
    "returned_head": ("台账报送（{since} 至 {until}）：已报送 {n} 个单位", "Ledgers returned {since} – {until}: {n} unit(s)"),
    "returned_line": ("  {unit}：{when} {file}（{commits} 个提交）", "  {unit}: {when} {file} ({commits} commits)"),
    "not_returned": ("未按要求报送 {n} 个单位", "Not returned (未按要求报送): {n} unit(s)"),
    "not_returned_list": ("未按要求报送 {n} 个单位：{units}", "Not returned (未按要求报送): {n} unit(s): {units}"),
})


def lw(key: str, lang: str | None, **args) -> str:
    """The ledger area's entry: say("ledger.<key>")."""
    return say(f"ledger.{key}", lang, **args)
