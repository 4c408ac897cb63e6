"""Every key of the TUI, as data: the footer, the help screen and docs/tui.md all read this table.

No Textual here (the docs generator and tests import it without a terminal).  A scope is the
screen a key belongs to; "app" keys work everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import BOOK, book, pick, say


@dataclass(frozen=True)
class Key:
    scope: str
    key: str          # Textual key name(s), comma separated
    action: str       # Textual action (on the screen, or app.<name>)
    zh: str
    en: str
    show: bool = True  # shown in the footer (all keys are in the help screen)
    priority: bool = False
    display: str = ""  # how the key is written for people, when not the key name itself

    @property
    def book_key(self) -> str:
        """Its label's entry in the book: keys.<scope>.<key> (registered for every key of KEYS)."""
        return f"keys.{self.scope}.{self.key}"

    def label(self, lang: str) -> str:
        return say(self.book_key, lang) if self.book_key in BOOK else pick((self.zh, self.en), lang)

    @property
    def shown_key(self) -> str:
        return human_key(self.display or self.key.split(",")[0])


NAMES = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "shift+tab": "Shift+Tab", "question_mark": "?",
         "slash": "/", "up": "↑", "down": "↓", "left": "←", "right": "→", "space": "Space",
         "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End"}


def human_key(key: str) -> str:
    """How a person writes a key: Esc, Shift+R, Ctrl+S, ? (not Textual's escape, R, ctrl+s, question_mark)."""
    if key in NAMES:
        return NAMES[key]
    if len(key) == 1:
        return f"Shift+{key}" if key.isupper() else key
    parts = key.split("+")
    if len(parts) > 1:
        return "+".join(p.capitalize() if i < len(parts) - 1 else (p.upper() if len(p) == 1 else NAMES.get(p, p))
                        for i, p in enumerate(parts))
    return key


SCOPES = book("scope", {
    "app": ("全局", "everywhere"),
    "dashboard": ("总览", "dashboard"),
    "tasks": ("任务列表", "task list"),
    "filter": ("筛选框", "filter box"),
    "detail": ("任务详情", "task detail"),
    "history": ("修改历史", "history"),
    "commit": ("提交内容", "commit"),
    "units": ("责任单位", "units"),
    "ranking": ("单位排名", "unit ranking"),
    "targets": ("综合目标", "targets"),
    "picker": ("选择框", "picker"),
    "dialog": ("输入框", "edit dialog"),
    "conflict": ("冲突选择", "conflict picker"),
    "new_item": ("立项交办", "new item form"),
})
book("keys_doc", {"head": ("| 位置 | 按键 | 功能 |", "| where | key | does |")})

KEYS: tuple[Key, ...] = (
    # everywhere
    Key("app", "g", "app.go('dashboard')", "总览", "Dashboard"),
    Key("app", "l", "app.go('tasks')", "任务", "Tasks"),
    Key("app", "u", "app.go('units')", "单位", "Units"),
    Key("app", "t", "app.go('targets')", "目标", "Targets"),
    Key("app", "R", "app.go('ranking')", "排名", "Ranking", display="R"),
    Key("app", "N", "app.new_item", "立项交办", "New item", display="N"),
    Key("app", "a", "app.as_of", "回溯", "As of…"),
    Key("app", "y", "app.switch_plan", "年度", "Plan year", show=False),
    Key("app", "S", "app.sync", "同步", "Sync", display="S"),
    Key("app", "r", "app.reload", "刷新", "Reload", show=False),
    Key("app", "question_mark", "app.help", "帮助", "Help", display="?"),
    Key("app", "ctrl+p", "app.command_palette", "命令面板", "Commands", show=False),
    Key("app", "q", "app.quit", "退出", "Quit"),
    # dashboard
    Key("dashboard", "enter", "open", "打开任务", "Open task"),
    Key("dashboard", "slash", "filter", "筛选任务", "Filter tasks", display="/"),
    Key("dashboard", "tab", "app.focus_next", "下一栏", "Next panel", show=False),
    # task list
    Key("tasks", "slash", "filter", "筛选", "Filter", display="/"),
    Key("tasks", "enter", "open", "详情", "Open"),
    Key("tasks", "h", "history", "历史", "History"),
    Key("tasks", "o", "sort", "排序", "Sort"),
    Key("tasks", "s", "filter_status", "按状态", "By status"),
    Key("tasks", "c", "filter_category", "按类别", "By category", show=False),
    Key("tasks", "w", "filter_unit", "按单位", "By unit", show=False),
    Key("tasks", "i", "filter_light", "按序时灯", "By light", show=False),
    Key("tasks", "x", "clear_filters", "清除筛选", "Clear filters", show=False),
    Key("tasks", "escape", "back", "返回", "Back", show=False),
    Key("filter", "enter", "to_list", "到列表", "To list", show=False),
    Key("filter", "escape", "clear_filter", "清空筛选", "Clear filter", show=False),
    # detail
    Key("detail", "s", "edit_status", "状态", "Status"),
    Key("detail", "p", "edit_progress", "进度", "Progress"),
    Key("detail", "n", "edit_note", "进展", "Note"),
    Key("detail", "e", "edit_problems", "问题", "Problems"),
    Key("detail", "x", "edit_next_steps", "下步", "Next steps"),
    Key("detail", "m", "edit_measure", "措施", "Measure"),
    Key("detail", "d", "edit_due", "时限", "Due"),
    Key("detail", "h", "history", "历史", "History"),
    Key("detail", "k", "resolve_conflict", "解决冲突", "Resolve conflict"),
    # the supervision cycle (tracker/cycle.py): a step's key is offered only in the states it is allowed from
    Key("detail", "A", "step('ack')", "签收", "Acknowledge", display="A"),
    Key("detail", "f", "step('finish')", "申请办结", "Apply for closure"),
    Key("detail", "C", "step('close')", "销号", "Close", display="C"),
    Key("detail", "b", "step('return')", "退回重办", "Send back"),
    Key("detail", "X", "step('cancel')", "撤销事项", "Cancel item", display="X"),
    Key("detail", "D", "step('extend')", "延期", "Extend", display="D"),
    # the plan's own changes (tracker.items), each with a reason kept in its commit
    Key("detail", "E", "edit_item", "修改立项", "Edit item", show=False, display="E"),
    Key("detail", "plus", "add_measure", "增加措施", "Add measure", show=False, display="+"),
    Key("detail", "minus", "remove_measure", "删除措施", "Remove measure", show=False, display="-"),
    Key("detail", "z", "undo", "撤销上次修改", "Undo last change", show=False),
    Key("detail", "escape", "back", "返回", "Back"),
    # history and commit
    Key("history", "enter", "show_commit", "查看提交", "Show commit", show=False),
    Key("history", "escape", "back", "返回", "Back"),
    Key("commit", "escape", "back", "返回", "Back"),
    # units, targets
    Key("units", "enter", "unit_tasks", "单位任务", "Unit's tasks", show=False),
    Key("units", "x", "export_ledger", "导出台账", "Export ledger"),
    Key("units", "i", "ingest_ledger", "导入台账", "Ingest ledger"),
    Key("units", "c", "reminder_note", "催办单", "Reminder note", show=False),
    Key("units", "escape", "back", "返回", "Back", show=False),
    Key("ranking", "o", "sort", "排序", "Sort"),
    Key("ranking", "enter", "unit_tasks", "单位任务", "Unit's tasks", show=False),
    Key("targets", "v", "record_actual", "录入实际值", "Record actual"),
    Key("targets", "D", "delete_actual", "删除实际值", "Delete actual", display="D"),
    Key("targets", "escape", "back", "返回", "Back", show=False),
    # pickers
    Key("picker", "1-9", "pick", "直接选择（10 以上连按两位数字）", "pick directly (10 and up: both digits)", show=False,
        display="1…9"),
    Key("picker", "escape", "cancel", "取消", "Cancel"),
    # edit dialogs and the conflict picker (their own screens; listed here for the help and the docs)
    Key("dialog", "enter", "submit", "保存（单行）", "Save (one line)", show=False),
    Key("dialog", "ctrl+s", "save", "保存（多行编辑）", "Save (multi-line editor)", show=False),
    Key("dialog", "tab", "focus_next", "下一项", "Next field", show=False),
    Key("dialog", "escape", "cancel", "取消（已修改的文本先询问）", "Cancel (asks first if text was changed)", show=False),
    # the new item form (tracker/screens/new_item.py): Tab moves between fields, Enter opens a picker
    Key("new_item", "ctrl+s", "save", "保存（一次提交）", "Save (one commit)", priority=True),
    Key("new_item", "escape", "cancel", "取消（已填写的先询问）", "Cancel (asks first if anything was filled in)"),
    Key("new_item", "tab", "app.focus_next", "下一项", "Next field", show=False),
    Key("conflict", "up,down", "move", "选字段", "Choose a field", show=False, display="↑↓"),
    Key("conflict", "left,right", "step", "选一方", "Choose a side", show=False, display="←→"),
    Key("conflict", "1-9", "pick", "直接选一方", "pick a side directly", show=False, display="1…3"),
    Key("conflict", "enter,ctrl+s", "save", "保存（一次提交）", "Save (one commit)", show=False),
    Key("conflict", "escape", "cancel", "取消", "Cancel", show=False),
)


# the labels in the book too (area "keys"): one lookup, and the book's test checks both languages
book("keys", {f"{k.scope}.{k.key}": (k.zh, k.en) for k in KEYS})


def keys_for(scope: str) -> list[Key]:
    return [k for k in KEYS if k.scope == scope]


def keys_table_markdown(lang: str = "en") -> str:
    """The keys table of docs/tui.md (regenerate with `python -m tracker.bindings`)."""
    head = say("keys_doc.head", lang)
    rows = [head, "|---|---|---|"]
    for k in KEYS:
        where = say(f"scope.{k.scope}", lang)
        key = k.shown_key.replace("|", "\\|")
        rows.append(f"| {where} | `{key}` | {k.label(lang)} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(keys_table_markdown(sys.argv[1] if len(sys.argv) > 1 else "en"))
