"""Field-level differences between two versions of a task or target file.

History, commit messages and merges all speak in these terms ("status: 未启动 → 推进中"), never
in raw diff lines.  Works on plain dicts as the fast loader returns them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import CHANGE_ORDER

#: a task's fields in the field table's change order (tracker.model.TASK_TABLE), then a target's text;
#: keys named nowhere (a hand-added key) follow in file order
SCALAR_ORDER = (*CHANGE_ORDER, "text")


@dataclass(frozen=True)
class FieldChange:
    field: str  # 'status', 'measures.2.status', 'indicators.实际使用外资.actuals.2020-09'
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": plain(self.old), "new": plain(self.new)}


def plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return v


def _by(items: Any, key: str) -> dict[Any, dict]:
    out: dict[Any, dict] = {}
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out[item.get(key, f"#{i + 1}")] = item
    return out


def diff_records(old: dict | None, new: dict | None) -> list[FieldChange]:
    """Changes from `old` to `new`, most important fields first; measures by number."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    keys = [k for k in SCALAR_ORDER if k in old or k in new]
    keys += [k for k in list(old) + list(new) if k not in keys and k not in ("measures", "indicators", "conflicts")]
    keys = list(dict.fromkeys(keys))
    changes = [FieldChange(k, plain(old.get(k)), plain(new.get(k))) for k in keys
               if plain(old.get(k)) != plain(new.get(k))]
    if "measures" in old or "measures" in new:
        om, nm = _by(old.get("measures"), "number"), _by(new.get("measures"), "number")
        for num in list(dict.fromkeys([*om, *nm])):
            a, b = om.get(num), nm.get(num)
            if a is None or b is None:
                changes.append(FieldChange(f"measures.{num}", plain(a and a.get("text")), plain(b and b.get("text"))))
                continue
            for k in dict.fromkeys([*a, *b]):
                if k != "number" and plain(a.get(k)) != plain(b.get(k)):
                    changes.append(FieldChange(f"measures.{num}.{k}", plain(a.get(k)), plain(b.get(k))))
    if "indicators" in old or "indicators" in new:
        oi, ni = _by(old.get("indicators"), "name"), _by(new.get("indicators"), "name")
        for name in dict.fromkeys([*oi, *ni]):
            a, b = oi.get(name) or {}, ni.get(name) or {}
            for k in dict.fromkeys([*a, *b]):
                if k == "actuals":
                    oa, na = _by(a.get(k), "period"), _by(b.get(k), "period")
                    for period in dict.fromkeys([*oa, *na]):
                        x, y = oa.get(period), na.get(period)
                        xv, yv = plain(x and x.get("value")), plain(y and y.get("value"))
                        if xv != yv or not x or not y:
                            changes.append(FieldChange(f"indicators.{name}.actuals.{period}", xv, yv))
                        xn, yn = plain(x and x.get("note")) or "", plain(y and y.get("note")) or ""
                        if xn != yn:
                            changes.append(FieldChange(f"indicators.{name}.actuals.{period}.note", xn, yn))
                        xa, ya = plain(x and x.get("assessment")) or "", plain(y and y.get("assessment")) or ""
                        if xa != ya:
                            changes.append(FieldChange(f"indicators.{name}.actuals.{period}.assessment", xa, ya))
                elif plain(a.get(k)) != plain(b.get(k)):
                    changes.append(FieldChange(f"indicators.{name}.{k}", plain(a.get(k)), plain(b.get(k))))
    if plain(old.get("conflicts")) != plain(new.get("conflicts")):
        changes.append(FieldChange("conflicts", len(old.get("conflicts") or []), len(new.get("conflicts") or [])))
    return changes
