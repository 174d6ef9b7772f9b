"""Which item is largest or smallest: indicators ranked by a change column, census categories by count,
a row's years by their figures.

"降幅最大的是哪个指标", "房屋建筑里哪类普查得最多", "事故起数哪年最多". The items compared are read from the
typed records, never from one question's words; only figures in one unit are compared with each other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import lookup
from .lookup import match_rows, present
from .quote import row_citation
from .types import Answer, TableRecord
from .understand import Query

SUPERLATIVE = re.compile(r"最(大|多|高|快|小|少|低|慢)")
WHICH = re.compile(r"哪(?:一|几)?(?:个|项|类|种|条|些|年)|什么指标|啥指标|哪一")
WHICH_YEAR = re.compile(r"哪(?:一)?年")
FALL_WORDS = re.compile(r"降幅|下降|降得|减少|减得|降低")
RISE_WORDS = re.compile(r"增幅|增长|增加|上升|提高|涨")
CENSUS_WORDS = re.compile(r"普查|调查")
TABLE_NAMED = re.compile(r"表\s*(\d+-\d+)")
TOP = 3  # items shown: the first, then the next two for context


@dataclass(frozen=True)
class Ranked:
    """One compared item: its name, the figure it is ranked by and the record that prints it."""

    name: str
    value: float
    record: TableRecord


def asked(query: Query) -> bool:
    """The question asks which item is largest or smallest."""
    return bool(SUPERLATIVE.search(query.text) and WHICH.search(query.text))


def answer(ctx, query: Query) -> Answer | None:
    """A ranking answer, or None when the question names no set of comparable printed figures."""
    if not asked(query):
        return None
    largest = SUPERLATIVE.search(query.text).group(1) in "大多高快"  # type: ignore[union-attr]
    if WHICH_YEAR.search(query.text):
        return _years_of_row(ctx, query, largest)
    if FALL_WORDS.search(query.text) or RISE_WORDS.search(query.text):
        return _indicators_by_change(ctx, query, largest)
    if CENSUS_WORDS.search(query.text):
        return _census_categories(ctx, query, largest)
    return None


def _indicators_by_change(ctx, query: Query, largest: bool) -> Answer | None:
    """Indicator rows by their printed change in the year asked (the latest when none is)."""
    changes = [r for r in ctx.index.records if r.measure == "change" and r.value is not None]
    named = TABLE_NAMED.search(query.text)
    if named:
        changes = [r for r in changes if named.group(1) in r.table]
    years = [y for y in query.years if any(r.year == y for r in changes)]
    year = years[-1] if years else max((r.year for r in changes if r.year), default=None)
    changes = [r for r in changes if r.year == year]
    if len(changes) < 2:
        return None
    falling = bool(FALL_WORDS.search(query.text))
    # 降幅最大: the most negative change; 增幅最大: the most positive; 最小 turns either round.
    items = [Ranked(r.indicator, r.value, r) for r in changes]
    items.sort(key=lambda i: i.value, reverse=(not falling) == largest)
    if largest and (items[0].value >= 0 if falling else items[0].value <= 0):
        return None  # nothing fell (or rose): no item has the largest fall
    what = f"{year}年比基数的{'降幅' if falling else '增幅'}{'最大' if largest else '最小'}"
    return _answer(ctx, query, items, what)


def _census_categories(ctx, query: Query, largest: bool) -> Answer | None:
    """Census rows under the category the question names, by count, in their commonest unit."""
    counts = [r for r in ctx.index.records if r.measure == "count" and r.value is not None]
    words = [
        t
        for t in query.terms
        if not CENSUS_WORDS.fullmatch(t) and not SUPERLATIVE.search(t) and not re.fullmatch(r"[一哪]?[类项个种]", t)
    ]
    scope = [r for r in counts if words and all(present(t, _path(r)) for t in words)]
    if len(scope) < 2:
        return None
    unit = Counter(r.unit for r in scope).most_common(1)[0][0]
    items = [Ranked(r.indicator, r.value, r) for r in scope if r.unit == unit]
    if len(items) < 2:
        return None
    items.sort(key=lambda i: i.value, reverse=largest)
    return _answer(ctx, query, items, f"完成调查数量{'最多' if largest else '最少'}（按{unit}计的{len(items)}类）")


def _years_of_row(ctx, query: Query, largest: bool) -> Answer | None:
    """The years of one indicator row by their figures (基数 and 实际数)."""
    rows = match_rows(query, ctx.rows, ctx.stats)
    if not rows or rows[0].score < lookup.TABLE_MIN:
        return None
    cells = [r for r in rows[0].records if r.measure in ("base", "actual") and r.year and r.value is not None]
    if len(cells) < 2:
        return None
    items = [Ranked(f"{r.year}年", r.value, r) for r in cells]  # type: ignore[arg-type]
    items.sort(key=lambda i: i.value, reverse=largest)
    return _answer(ctx, query, items, f"“{rows[0].indicator}”{'最多/最高' if largest else '最少/最低'}的年份")


def _path(r: TableRecord) -> str:
    """A census row's category path (应急管理局 > 承灾体 > 公共服务设施 > 学校)."""
    return r.context.split("：", 1)[-1].split("；", 1)[0]


def _answer(ctx, query: Query, items: list[Ranked], what: str) -> Answer:
    first, rest = items[0], items[1:TOP]
    if len(items) > 1 and items[1].value == first.value:
        what += "（并列）"
    shown = "；".join(f"{i.name} {i.record.raw}" for i in rest)
    text = (
        f"{first.name}：{first.record.raw}（{first.record.column}）—— {what}，共比较{len(items)}项"
        + (f"；其次：{shown}" if shown else "")
        + f"。出处：{first.record.table}"
    )
    cites = [row_citation(i.record, ctx) for i in items[:TOP]]
    formula = " > ".join(f"{i.name} {i.record.raw}" for i in items[:TOP])
    return Answer(question=query.original, answer=text, kind="computed", citations=tuple(cites), working=formula)
