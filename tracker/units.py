"""Canonical unit names from the notice's parenthesised unit lists.

The notice writes the city prefix 市 once for a run: "市发展改革委、财政局、税务局" names
市发展改革委, 市财政局 and 市税务局.  A full-width comma starts a new group, which carries its
own prefix (or none).  Some names are collectives that stay one unit, and some bodies never take
the city prefix (provincial or national offices, towns, parks).
"""
from __future__ import annotations

import re

#: phrases naming several bodies at once that are tracked as one unit
COLLECTIVES = ("各相关镇、园区、街道", "各专委会及牵头部门", "市各委办局")

#: bodies that take no 市 prefix even inside a 市 run
NO_PREFIX = (
    "宜兴生态环境局", "宜兴海关", "人民银行宜兴市支行", "无锡银保监分局宜兴监管组",
    "环科园", "经济技术开发区", "团市委", "江苏有线宜兴分公司",
)
_NO_PREFIX_SUFFIXES = ("镇", "街道", "园区")

#: names that are written without 市 in the notice but are city bodies all the same
ALIASES = {"总工会": "市总工会"}

_PREFIXED = re.compile(r"^市(?!场)")  # "市场监管局" is not prefixed: its name starts with 市场


def _takes_no_prefix(name: str) -> bool:
    return name in NO_PREFIX or name.endswith(_NO_PREFIX_SUFFIXES) or name.startswith("各")


def split_units(text: str) -> list[str]:
    """'市农业农村局、供销社,各相关镇、园区、街道' -> ['市农业农村局', '市供销社', '各相关镇、园区、街道']."""
    units: list[str] = []
    for group in re.split(r"[,,;;]", text):
        group = group.strip()
        if not group:
            continue
        # protect collectives so that their inner 、 does not split them
        protected = group
        for i, coll in enumerate(COLLECTIVES):
            protected = protected.replace(coll, f"\x00{i}\x00")
        prefix = False
        for raw in (p.strip() for p in protected.split("、")):
            if not raw:
                continue
            m = re.fullmatch(r"\x00(\d+)\x00", raw)
            if m:
                units.append(COLLECTIVES[int(m.group(1))])
                continue
            raw = re.sub(r"\x00(\d+)\x00", lambda mm: COLLECTIVES[int(mm.group(1))], raw)
            if _PREFIXED.match(raw):
                prefix = True
                name = raw
            elif prefix and not _takes_no_prefix(raw):
                name = "市" + raw
            else:
                name = ALIASES.get(raw, raw)
            if name not in units:
                units.append(name)
    return units
