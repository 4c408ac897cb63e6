"""The bulletin's and the analytics commands' own words, Chinese and English side by side."""
from __future__ import annotations

from ..i18n import norm_lang

LABELS = {
    "zh": {
        "bulletin": "督查通报", "plan": "计划", "document": "文号", "issuer": "发文单位", "period": "通报期间",
        "as_of": "截至", "since": "自", "generated": "生成时间", "totals": "总体情况",
        "by_status": "按状态", "by_light": "按亮灯", "count": "数量", "share": "占比", "total": "合计",
        "categories": "分类推进情况", "category": "类别", "lagging": "滞后任务(黄灯、红灯)",
        "ranking": "牵头单位排名", "targets": "主要目标完成情况", "changes": "本期变化",
        "burnup": "任务推进趋势", "id": "编号", "title": "任务", "lead": "牵头单位", "status": "状态",
        "progress": "进度", "expected": "序时进度", "light": "亮灯", "due": "完成时限", "all_tasks": "全部任务",
        "note": "最新进展", "problems": "存在问题", "unit": "单位", "led": "牵头任务", "done": "已完成",
        "green": "绿灯", "yellow": "黄灯", "red": "红灯", "blue": "蓝灯", "overdue": "逾期",
        "rate": "完成率", "last_update": "最近更新", "rank": "名次", "indicator": "指标",
        "target": "目标", "latest": "最新实际", "actual_period": "期间", "assessment": "评估",
        "field": "字段", "old": "原值", "new": "新值", "author": "修改人", "date": "日期",
        "times": "次数", "none": "无", "reason": "催办事由", "days": "天数", "stale": "超期未更新",
        "overdue_reason": "逾期未完成", "reminders": "催办清单", "on_track": "达标", "off_track": "未达标",
        "no_actual": "暂无数据", "qualitative": "定性", "no_changes": "本期无变化。",
        "no_lagging": "无滞后任务。", "chart_note": "图中为各期末的已完成任务数及各亮灯任务数。",
        "item": "事项", "change": "变化", "summary_line": "共{total}项任务,已完成{done}项({pct}),红灯{red}项,黄灯{yellow}项,逾期{overdue}项。",
        "days_since": "{n}天未更新", "days_over": "逾期{n}天", "tasks": "任务数",
        "cat_line": "共{n}项:{counts}", "added_line": "本期新增任务(目标){n}项,未逐项列出。", "chart_title": "已完成及各亮灯任务数",
        "ledgers": "台账报送情况", "returned_on": "报送日期", "file": "文件", "commits": "提交数",
        "ledger_returned": "已报送 {n} 个单位。", "ledger_missing": "未按要求报送 {n} 个单位：{units}。",
        "ledger_none_missing": "各单位均已按要求报送。", "ledger_state": "报送情况", "ledger_in": "已报送",
        "ledger_out": "未按要求报送", "ledger_missing_short": "未按要求报送 {n} 个单位。",
    },
    "en": {
        "bulletin": "Supervision bulletin", "plan": "Plan", "document": "Document", "issuer": "Issuer",
        "period": "Period", "as_of": "as of", "since": "since", "generated": "Generated",
        "totals": "Overview", "by_status": "By status", "by_light": "By light", "count": "count",
        "share": "share", "total": "total", "categories": "Progress by category", "category": "category",
        "lagging": "Lagging tasks (yellow, red)", "ranking": "Lead unit ranking",
        "targets": "Targets against latest actuals", "changes": "Changes in this period",
        "burnup": "Burn-up", "id": "id", "title": "task", "lead": "lead unit", "status": "status",
        "progress": "progress", "expected": "expected", "light": "light", "due": "due", "all_tasks": "All tasks",
        "note": "latest note", "problems": "problems", "unit": "unit", "led": "led", "done": "done",
        "green": "green", "yellow": "yellow", "red": "red", "blue": "due soon", "overdue": "overdue",
        "rate": "completion", "last_update": "last update", "rank": "rank", "indicator": "indicator",
        "target": "target", "latest": "latest actual", "actual_period": "period", "assessment": "assessment",
        "field": "field", "old": "old", "new": "new", "author": "author", "date": "date",
        "times": "times", "none": "none", "reason": "reason", "days": "days", "stale": "no update",
        "overdue_reason": "overdue", "reminders": "Reminders", "on_track": "met", "off_track": "not met",
        "no_actual": "no data yet", "qualitative": "qualitative", "no_changes": "No changes in this period.",
        "no_lagging": "No lagging tasks.", "chart_note": "Tasks done and tasks per light at the end of each step.",
        "item": "item", "change": "change",
        "summary_line": "{total} tasks: {done} done ({pct}), {red} red, {yellow} yellow, {overdue} overdue.",
        "days_since": "no update for {n} days", "days_over": "{n} days overdue", "tasks": "tasks",
        "cat_line": "{n} tasks: {counts}", "added_line": "{n} items were added in this period (not listed field by field).", "chart_title": "Tasks done and per light",
        "ledgers": "Ledger returns", "returned_on": "returned", "file": "file", "commits": "commits",
        "ledger_returned": "{n} unit(s) returned their ledger.",
        "ledger_missing": "Not returned (未按要求报送): {n} unit(s): {units}.",
        "ledger_none_missing": "Every unit returned its ledger.", "ledger_state": "return",
        "ledger_in": "returned", "ledger_out": "not returned",
        "ledger_missing_short": "Not returned (未按要求报送): {n} unit(s).",
    },
}


def L(key: str, lang: str = "zh", **kw) -> str:
    text = LABELS[norm_lang(lang)].get(key, key)
    return text.format(**kw) if kw else text
