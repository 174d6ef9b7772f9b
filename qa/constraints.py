"""Qualifiers a question states, as constraints a candidate fact must not contradict.

A candidate is rejected only on an explicit contradiction: the question names a place the fact's
sentence, paragraph and section never name; asks what was actually spent or done where the fact is a plan
(拟投入); asks for a whole year where the fact is printed for part of one; or asks for one year where the
fact is an aggregate over several. Everything else is left to the scoring. The words are data
(lexicon.toml [status] and [periods]).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import years_in
from .lexicon import LEXICON
from .understand import Query, synonyms_of

# "冶金工贸领域的…", "卫健系统…": a sector the figure must be about, not a word to match loosely.
SECTOR = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:领域|行业|系统)(?:的|里|中|内)?")
GENERIC_SECTOR = re.compile(r"^(?:重点|各|其他|全|所有|相关|各个|这个|那个|该|本)")

PLANNED = re.compile("|".join(map(re.escape, LEXICON["status"]["planned"])))
ASKED_ACTUAL = re.compile("|".join(map(re.escape, LEXICON["status"]["asked_actual"])))
PART_YEAR = re.compile("|".join(map(re.escape, LEXICON["periods"]["part_year"])))
WHOLE_YEAR = re.compile("|".join(map(re.escape, LEXICON["periods"]["whole_year"])))
AGGREGATE = re.compile("|".join(map(re.escape, LEXICON["periods"]["aggregate"])))
YEAR_SPAN = re.compile(r"(?:19|20)\d{2}年?(?:和|、|至|到|-|—|～)(?:19|20)\d{2}年")


@dataclass(frozen=True)
class Contradiction:
    """Why a candidate cannot be the figure asked for, said so the user learns what the report has."""

    kind: str          # place | status | period
    note: str


def _place_named(place: str, text: str) -> bool:
    """The place, or its name without 市/镇 (a pattern match may have taken a character too many)."""
    bare = re.sub(r"(市|县|镇|省|区|街道)$", "", place)
    forms = {place[i:] for i in range(len(place) - 1)} | {bare[i:] for i in range(len(bare) - 1)}
    return any(len(f) >= 2 and f in text for f in forms)


def check(query: Query, before: str, clause: str, sentence: str, where: str = "") -> Contradiction | None:
    """The first qualifier of the question that the fact contradicts, or None.

    before: the fact's words before its number; clause and sentence: where it is printed; where: its
    paragraph lead, section path and table title (which may name a place for all the text under them)."""
    context = sentence + where
    for p in query.places:
        if not _place_named(p, context + clause):
            return Contradiction("place", f"报告没有“{p}”的分项数字，只有全市的")
    q = query.original
    for m in SECTOR.finditer(q):
        sector = re.sub(r"^(?:\d{0,4}年|去年|前年|今年|全市|昆山)", "", m.group(1))
        if len(sector) >= 2 and not GENERIC_SECTOR.match(sector) and not any(
                f in context + clause for f in synonyms_of(sector)):
            return Contradiction("sector", f"报告没有“{sector}”领域的分项数字")
    if ASKED_ACTUAL.search(q) and not PLANNED.search(q) and PLANNED.search(before):
        return Contradiction("status", f"报告只给出计划数（“{clause.strip('，；。')}”），没有实际完成或支出的数字")
    if WHOLE_YEAR.search(q) and PART_YEAR.search(context + clause):
        return Contradiction("period", "报告只给出部分时段的数字，没有全年的")
    part = PART_YEAR.search(q)
    if part and part.group(0) not in context + clause:
        return Contradiction("period", f"报告没有{part.group(0)}的数字")
    if len(query.years) == 1 and not AGGREGATE.search(q) and not query.base_years:
        own_years = set(years_in(before))
        span = YEAR_SPAN.search(sentence) or (len(set(years_in(sentence))) >= 2 and AGGREGATE.search(before))
        if len(own_years) != 1 and span:
            return Contradiction("period", "报告给出的是多年合计数，没有单独一年的数字")
    return None
