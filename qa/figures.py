"""Prose sentences -> Figure records: the number as printed, its unit, year and the clause it counts.

Hand-written: no library extracts Chinese quantities with their measure words; the patterns below are
about the language of reports (measure words, 万/亿, 余), not about particular sentences.
"""

from __future__ import annotations

import re

from .parse import Document
from .sentences import clauses, sentences
from .types import Figure

# Longer units first so 万平方米 wins over 平方米 and 人次 over 人.
UNITS = sorted(
    [
        "万平方米",
        "平方米",
        "平方公里",
        "公里",
        "千米",
        "米",
        "km",
        "亩",
        "万吨",
        "吨",
        "人次",
        "家次",
        "辆次",
        "艘次",
        "场次",
        "座次",
        "批次",
        "条次",
        "户次",
        "万元",
        "亿元",
        "元",
        "个月",
        "小时",
        "分钟",
        "分",  # points of a score (信用记分225分); 分钟 is tried first
        "天",
        "周",
        "个",
        "家",
        "起",
        "人",
        "条",
        "次",
        "场",
        "份",
        "项",
        "处",
        "栋",
        "座",
        "艘",
        "辆",
        "支",
        "名",
        "件",
        "台",
        "套",
        "部",
        "户",
        "期",
        "篇",
        "档",
        "批",
        "轮",
        "张",
        "所",
        "间",
        "种",
        "类",
        "品种",
        "本",
        "册",
        "倍",
        "位",
        "道",
        "单",
        "条座",
        "个点",
        "株",
        "只",
        "头",
        "组",
        "届",
        "块",
    ],
    key=len,
    reverse=True,
)
FIGURE = re.compile(
    r"(?<![\d.〔\[【])(\d+(?:\.\d+)?)(\s?)((?:[万亿千])?(?:余|多)?(?:" + "|".join(map(re.escape, UNITS)) + r")|%|％)"
)
# A number with no measure word still counts when the sentence states it as a value ("死亡率为0.0012").
BARE_FIGURE = re.compile(r"(?<=[为是达至到])(\d+\.\d+|\d+)(?![\d.]|\s?[年月日号%％])")
# A year after 较/比 is the comparison base, not the year the figure belongs to.
YEAR = re.compile(r"(?<![较比])(?:19|20)\d{2}(?:年|-|—|～|~)")
SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}


# A clause that is only a verb and its figure (投入9037.52万元，/ 2022年拨付26万元，): what it counts is said
# in the clause before or after.
# A joining word right before a number starts the next item of a listing (2支国家消防队和15支政府专职消防队).
ITEM_JOIN = r"(?:和|及|以及)(?=\d)"
BARE_CLAUSE = re.compile(r"(?:(?:19|20)\d{2}年(?:度)?)?(?:共|约|累计|共计)?[\u4e00-\u9fff]{1,3}(?:约|了)?$")


def years_in(text: str) -> list[str]:
    """Years a text is about, as printed digits; asides naming a base ('（2020年基数15人）') do not count."""
    text = re.sub(r"（[^）]*基数[^）]*）|\([^)]*基数[^)]*\)", "", text)
    return [m.group(0)[:4] for m in YEAR.finditer(text)]


def find_figures(text: str) -> list[re.Match]:
    """All quantity matches in a text, with or without a measure word."""
    found = list(FIGURE.finditer(text))
    taken = {m.start(1) for m in found}
    found += [m for m in BARE_FIGURE.finditer(text) if m.start(1) not in taken]
    return sorted(found, key=lambda m: m.start())


def figure_value(match: re.Match) -> float:
    """The numeric value as printed (the 万/亿 scale stays in the unit)."""
    return float(match.group(1))


def extract_figures(doc: Document) -> list[Figure]:
    """Every quantity in the running text of a document, with its clause and sentence."""
    out = []
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        lead = sentences(block.text)[0][:120]
        said = ""
        for sentence in sentences(block.text):
            sent_years = years_in(sentence)
            for clause in clauses(sentence):
                for m in find_figures(clause):
                    before = clause[: m.start()]
                    near_years = years_in(before) or sent_years
                    out.append(
                        Figure(
                            doc=doc.name,
                            raw=m.group(0),
                            value=figure_value(m),
                            unit=m.group(3) if (m.lastindex or 0) >= 3 else "",
                            year=",".join(dict.fromkeys(near_years)),
                            subject=before.strip("，；：。 "),
                            clause=clause,
                            sentence=sentence,
                            section=block.section,
                            page=block.page,
                            lines=(block.loc.line_start, block.loc.line_end),
                            lead=lead,
                            earlier=said[-200:],
                        )
                    )
            said += sentence
    return out
