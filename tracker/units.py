"""Canonical unit names from the notice's parenthesised unit lists.

The notice writes the city prefix 市 once for a run: "市发展改革委、财政局、税务局" names
市发展改革委, 市财政局 and 市税务局.  A full-width comma starts a new group, which carries its
own prefix (or none).  Some names are collectives that stay one unit, and some bodies never take
the city prefix (provincial or national offices, towns, parks).
"""
from __future__ import annotations

import re

from .i18n import book  # i18n imports nothing of ours

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


# -- canonical names: the alias table ---------------------------------------------------------
#: the starter table: one canonical stem per unit, with the ways offices abbreviate it.  Stems
#: carry no level prefix: 市发改委, 区发改委 and 县发改委 all resolve through 发改委.
STARTER_ALIASES: dict[str, tuple[str, ...]] = {
    "发展改革委": ("发改委", "发展和改革委员会", "发展和改革委", "发展改革委员会"),
    "发展和改革局": ("发改局", "发展改革局"),
    "工业和信息化局": ("工信局", "经信局", "经济和信息化局", "经济和信息化委员会", "经信委"),
    "住房和城乡建设局": ("住建局", "住房城乡建设局"),
    "人力资源和社会保障局": ("人社局", "人力资源社会保障局"),
    "卫生健康委": ("卫健委", "卫生健康委员会", "卫生和健康委员会"),
    "卫生健康局": ("卫健局",),
    "市场监督管理局": ("市场监管局",),
    "文化广电和旅游局": ("文广旅局", "文化广电旅游局", "文旅局"),
    "交通运输局": ("交通局", "交运局"),
    "农业农村局": ("农业局", "农业农村委员会", "农委"),
    "应急管理局": ("应急局",),
    "城市管理局": ("城管局", "城市管理行政执法局"),
    "医疗保障局": ("医保局",),
    "退役军人事务局": ("退役军人局",),
    "行政审批局": ("行政审批服务局", "审批局"),
    "自然资源和规划局": ("自然资源规划局", "资规局"),
    "生态环境局": ("环保局", "环境保护局"),
    "国有资产监督管理委员会": ("国资委",),
    "科学技术局": ("科技局",),
    "教育体育局": ("教体局",),
    "财政局": (), "统计局": (), "商务局": (), "民政局": (), "司法局": (), "审计局": (), "公安局": (),
    "税务局": ("税务分局",),
    "政府办公室": ("政府办", "人民政府办公室"),
    "总工会": (), "妇联": ("妇女联合会",), "团委": (),
}
_LEVELS = ("省", "市", "区", "县", "州", "旗", "镇", "乡")


class Aliases:
    """alias -> canonical name; names not in the table are kept as written."""

    def __init__(self, table: dict[str, tuple[str, ...] | list[str]] | None = None, *, starter: bool = True):
        self.stems: dict[str, str] = {}
        self.full: dict[str, str] = {}
        self.table: dict[str, list[str]] = {}
        if starter:
            for canon, names in STARTER_ALIASES.items():
                self._add(canon, names, stem=True)
        for canon, names in (table or {}).items():
            self._add(str(canon), [str(n) for n in (names or [])], stem=False)

    def _add(self, canon: str, names, *, stem: bool) -> None:
        self.table.setdefault(canon, [])
        for n in names:
            if n not in self.table[canon]:
                self.table[canon].append(n)
        target = self.stems if stem else self.full
        target[canon] = canon
        for n in names:
            target[n] = canon

    def canonical(self, name: str) -> str:
        name = name.strip()
        if name in self.full:
            return self.full[name]
        if name in self.stems:
            return self.stems[name]
        if name[:1] in _LEVELS and name[1:] in self.stems:
            return name[0] + self.stems[name[1:]]
        return name


#: a units.yaml that cannot be read (str(err) English, err.text(lang) the user's language)
book("unit_aliases", {
    "not_yaml": ("{path}：不是有效的 YAML 映射：{why}", "{path}: not a valid YAML mapping: {why}"),
    "not_aliases": ("{path}：须把每个单位的规范名称映射到一个别名列表，例如 "
                    "'市发展改革委: [市发改委, 市发展和改革委员会]'",
                    "{path}: must map each canonical unit name to a list of aliases, e.g. "
                    "'市发展改革委: [市发改委, 市发展和改革委员会]'"),
})


def _err(entry: str, **args):
    """The book entry `unit_aliases.<entry>` as an error: str() English, err.text(lang) the user's."""
    from .model import TrackerError

    return TrackerError.keyed(f"unit_aliases.{entry}", **args)


def load_aliases(root) -> Aliases:
    """The repository's `units.yaml` (canonical: [alias, ...]) over the starter table.

    A malformed file is a TrackerError naming it; a missing one means the starter table alone."""
    from pathlib import Path

    path = Path(root) / "units.yaml"
    if not path.exists():
        return Aliases()
    import yaml

    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _err("not_yaml", path=path, why=exc) from None
    if not isinstance(data, dict) or any(not isinstance(v, (list, type(None))) for v in data.values()):
        raise _err("not_aliases", path=path)
    return Aliases(data)


STARTER_UNITS_YAML = """\
# Canonical unit names and the other ways the documents write them (tracker import applies
# them; `tracker units --aliases` lists them).  A built-in table already covers the common
# abbreviations without a level prefix (发改委 = 发展改革委 = 发展和改革委员会, also with
# 市/区/县 in front); add here the names of your own city, e.g.:
#
# 市发展改革委: [市发改委, 市发展和改革委员会]
{}
"""
