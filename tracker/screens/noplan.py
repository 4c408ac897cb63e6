"""A repository without any plan: how to start, instead of an empty board."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..widgets.footer import FittedFooter
from .labels import L


def start_text(root: Path, lang: str) -> Text:
    zh = lang != "en"
    t = Text()
    t.append(L("no_plan", lang) + "\n\n", style="bold")
    t.append("  tracker import 分解方案.docx --year 2025 --dry-run\n" if zh else
             "  tracker import notice.docx --year 2025 --dry-run\n", style="cyan")
    t.append(("    先预览：每项任务、牵头单位、提示，不写任何文件\n\n" if zh else
              "    preview first: every task, its lead units and the warnings; nothing is written\n\n"), style="dim")
    t.append("  tracker import 分解方案.docx --year 2025\n" if zh else "  tracker import notice.docx --year 2025\n",
             style="cyan")
    t.append(("    写入 plan/2025/ 并提交一次；再运行 tracker 打开\n\n" if zh else
              "    writes plan/2025/ with one commit; then run tracker again\n\n"), style="dim")
    t.append(("  可导入 .txt .md .html .docx .xlsx .pdf（.doc .wps .xls 需安装 LibreOffice）\n" if zh else
              "  accepted: .txt .md .html .docx .xlsx .pdf (.doc .wps .xls with LibreOffice installed)\n"), style="dim")
    t.append(("  单位简称对照表：units.yaml\n\n" if zh else "  unit aliases: units.yaml\n\n"), style="dim")
    t.append(Text(str(root), style="dim"))
    return t


class NoPlanApp(App):
    """Shown by `tracker` in a repository whose plan/ holds no year yet."""

    BINDINGS = [Binding("q", "quit", "退出"), Binding("escape", "quit", "退出", show=False)]
    CSS = "#start { padding: 1 2; }"

    def __init__(self, root: Path, lang: str = "zh"):
        super().__init__()
        self.root, self.lang = root, ("en" if lang == "en" else "zh")
        self.title = L("app_title", self.lang)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(start_text(self.root, self.lang), id="start", markup=False)
        yield FittedFooter()
