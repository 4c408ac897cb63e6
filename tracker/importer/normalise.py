"""Text noise: one form of punctuation, no spurious spaces, no site chrome.

Notices reach an office as web pages copied to text, Word or PDF conversions and pastes from
editors that fold full-width punctuation to ASCII.  Both forms must give the same plan, so every
line is brought to one form here before anything is parsed:

- full-width ASCII (，：；（）［］％ and ０-９) becomes ASCII; the CJK marks that have no ASCII twin
  (、。《》〈〉〔〕“”【】) stay; circled and parenthesised numerals (①, ⑴, ⒈) become (1) and 1.;
- a space is dropped unless it separates two Latin words (`市 教育局`, `20 19 年`, `3 . 5`,
  `目  标  任  务`), so a line wrap inside a word leaves no trace;
- lines of site chrome (breadcrumbs, 设为首页, 扫一扫…, metadata tables with `|`) are removed, but
  a table flattened with a ` |` after each cell keeps its cells.
"""
from __future__ import annotations

import re
import unicodedata

_FW = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
for _keep in "、。《》〈〉〔〕“”【】":
    _FW.pop(ord(_keep), None)
_FW.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: "", 0xFEFF: "",
            0x2022: "", 0x25CF: ""})
for _i in range(20):
    _FW[0x2460 + _i] = f"({_i + 1})"   # ① -> (1)
    _FW[0x2474 + _i] = f"({_i + 1})"   # ⑴ -> (1)
    _FW[0x2488 + _i] = f"{_i + 1}."    # ⒈ -> 1.
_FW[ord("．")] = "."
_FW[ord("〖")] = "["
_FW[ord("〗")] = "]"

_SPACE = re.compile(r"(?<![A-Za-z])[ \t]+|[ \t]+(?![A-Za-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CHROME = re.compile(
    r"^(?:设为首页|加入收藏|无障碍(?:阅读)?|长者版|关怀版|长辈版|展开|收起|打印|关闭|首页|返回顶部|分享到|"
    r"扫一扫.*|【?字体[::]?.*|.*当前位置[::].*|首页\s*>.*|>.*|.*浏览次数[::].*|信息来源[::].*|"
    r"(?:索引号|主题分类|公开类型|信息有效性|效力状态|文件类型|发布机构|发文单位|发文字号|发文序号|公开方式|"
    r"发布日期|成文日期|发文日期|所属机构|文件分类|信息名称|发布部门|发布时间|政策文号)[::]?.*|"
    r"(?:分类|名称|有效性|文号)[::].*|\(此件公开发布\)|\(此件主动公开\)|"
    r"政府信息公开|政策|全文|.*由会员分享.*)$"
)


#: the words of unit lists in Traditional script (a mirror site's conversion), so labels and the
#: verb style are still read; the plan keeps the document's own wording otherwise
TRADITIONAL = {"牽頭": "牵头", "責任單位": "责任单位", "配合單位": "配合单位", "協辦單位": "协办单位", "主辦單位": "主办单位",
               "牽頭單位": "牵头单位", "協同責任單位": "协同责任单位", "按職責分工負責": "按职责分工负责",
               "責任領導": "责任领导", "牽頭領導": "牵头领导", "完成時限": "完成时限", "各縣市區": "各县市区",
               "縣": "县", "區": "区", "單位": "单位", "辦公室": "办公室", "政府": "政府", "領導小組": "领导小组"}
_TRAD = re.compile("|".join(sorted(TRADITIONAL, key=len, reverse=True)))


def clean_line(line: str) -> str:
    line = _TRAD.sub(lambda m: TRADITIONAL[m.group(0)], _CONTROL.sub("", line.translate(_FW)))
    line = unicodedata.normalize("NFC", line)
    if line.rstrip().endswith("|") and line.count("|") == 1:
        line = line.rstrip()[:-1]  # a flattened table cell: `cell |`
    return _SPACE.sub("", line.strip())


def fold(text: str) -> str:
    """Punctuation and spaces only (for matching labels and headers): no chrome removed."""
    return _SPACE.sub("", text.translate(_FW)).strip()


_SPACED_MARKER = re.compile(r"[ \t\u3000]+(?=(?:\d{1,3}[.、．](?!\d)|[(（][一二三四五六七八九十]+[)）]))")


def clean_lines(text: str) -> list[str]:
    """The text as cleaned lines, empty lines kept (they separate cells of flattened tables),
    site chrome blanked so line numbers still point into the source."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    raws = []
    for raw in text.split("\n"):
        # a whole body on one line: a space before a task marker is where a line break was
        raws += _SPACED_MARKER.split(raw) if len(raw) > 100 else [raw]
    for raw in raws:
        ln = clean_line(raw)
        if "|" in ln and ln.count("|") >= 2:
            ln = ""  # a metadata table row: 索引号 | … | 发布日期 | …
        elif CHROME.match(ln):
            ln = ""
        out.append(ln)
    return out
