"""Which units returned their ledger in a period, and which did not (未按要求报送).

A return is known from two records:
- the commits an ingest made: trailer `Tracker-Reported-By: <unit>` (shared with every office
  through sync), dated when ingested;
- the office's receipt log `.git/tracker/ledger-returns.jsonl`, one line per ingest (also one
  that changed nothing, which makes no commit), kept in the ingesting clone.
The units expected to report are the lead units (牵头单位) of the tasks not yet done.
Used by `tracker remind` (the month of its day) and the bulletin (its own period).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

RECEIPTS = "ledger-returns.jsonl"


@dataclass(frozen=True)
class Return:
    unit: str
    when: str  # ISO date-time of the ingest
    file: str
    commits: int

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "when": self.when, "file": self.file, "commits": self.commits}


def record_receipt(ws, unit: str, file: str, digest: str, export_id: str, exported: str, commits: int) -> None:
    line = json.dumps({"unit": unit, "file": Path(file).name, "digest": digest, "export_id": export_id,
                       "exported": exported, "commits": commits,
                       "when": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")},
                      ensure_ascii=False)
    try:
        with open(ws.state_dir / RECEIPTS, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError:
        pass  # the commits themselves are the shared record


def _in(when: str, since: date, until: date) -> bool:
    try:
        d = datetime.fromisoformat(when).date()
    except ValueError:
        return False
    return since <= d <= until


def returns(ws, since: date, until: date) -> dict[str, list[Return]]:
    """unit -> its returns ingested in [since, until], oldest first."""
    from ..commitmsg import trailers

    out: dict[str, dict[str, Return]] = {}
    log = ws.git.run("log", "-F", "--grep=Tracker-Reported-By: ", f"--since={since.isoformat()} 00:00:00",
                     f"--until={until.isoformat()} 23:59:59", "--format=%cI%x00%B%x1e", check=False)
    for rec in log.split("\x1e"):
        when, _, msg = rec.strip("\n").partition("\x00")
        tr = trailers(msg)
        unit = tr.get("Tracker-Reported-By")
        if not unit or not when:
            continue
        key = tr.get("Tracker-Ledger") or when
        src = tr.get("Tracker-Source", "")
        file = src.removeprefix("台账 ").split(", exported")[0]
        prev = out.setdefault(unit, {}).get(key)
        out[unit][key] = Return(unit, min(when, prev.when) if prev else when, file, (prev.commits if prev else 0) + 1)
    try:
        lines = (ws.state_dir / RECEIPTS).read_text("utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if not isinstance(r, dict) or not _in(str(r.get("when", "")), since, until):
            continue
        unit, key = str(r.get("unit") or ""), str(r.get("digest") or r.get("when"))
        if unit and key not in out.setdefault(unit, {}):
            out[unit][key] = Return(unit, str(r["when"]), str(r.get("file") or ""), int(r.get("commits") or 0))
    return {u: sorted(v.values(), key=lambda r: r.when) for u, v in out.items() if v}


def any_return(ws) -> bool:
    """Has this repository ever taken a ledger back? (remind shows the ledger lines only then)"""
    if (ws.state_dir / RECEIPTS).exists():
        return True
    return bool(ws.git.run("log", "-1", "-F", "--grep=Tracker-Reported-By: ", "--format=%H", check=False).strip())


def status(ws, data, since: date, until: date) -> tuple[dict[str, list[Return]], list[str]]:
    """(units that returned, with their returns; lead units of unfinished tasks that did not)."""
    got = returns(ws, since, until)
    expected = list(dict.fromkeys(t.lead for t in sorted(data.tasks, key=lambda t: t.number)
                                  if t.lead and t.status != "done"))
    missing = [u for u in expected if u not in got]
    return got, missing


def period_of(on: date) -> tuple[date, date]:
    """The reporting period a day falls in: its month."""
    return on.replace(day=1), on


def lines(got: dict[str, list[Return]], missing: list[str], since: date, until: date, lang: str) -> list[str]:
    from ..i18n import join
    from .labels import lw

    out = [lw("returned_head", lang, since=since.isoformat(), until=until.isoformat(), n=len(got))]
    out += [lw("returned_line", lang, unit=u, when=r[-1].when[:10], file=r[-1].file, commits=sum(x.commits for x in r))
            for u, r in got.items()]
    out.append(lw("not_returned_list", lang, n=len(missing), units=join(missing, lang)) if missing else
               lw("not_returned", lang, n=len(missing)))
    return out
