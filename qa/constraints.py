"""Qualifiers a question states, as constraints a candidate fact must not contradict.

A candidate is rejected only on an explicit contradiction: the question names a place the fact's
sentence, paragraph and section never name, or a sector (…领域/行业/系统) they never name; asks what was
actually spent or done where the fact is a plan (拟投入); asks for a whole year where the fact is printed
for part of one; or asks for one year where the fact is an aggregate over several. Everything else is
left to the scoring. The words are data (lexicon.toml [status], [periods] and [sectors]).

The question's qualifiers are read once per question (asked()); each candidate is then only compared.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .figures import BARE_CLAUSE, ITEM_JOIN, years_in
from .lexicon import LEXICON, any_of
from .sentences import previous_clause
from .types import Figure, TableRecord
from .understand import (
    NOT_PLACES,
    OWN_PLACES,
    PEOPLE_ASK_TAIL,
    PERSON_NOUN,
    RELATIVE_YEARS,
    VERIFY,
    YEAR_TEXT,
    Query,
    content_terms,
    is_noun,
    names_something,
    normalise,
    pos_tags,
    synonyms_of,
)

# "…领域的", "…系统": a sector the figure must be about, not a word to match loosely.
SECTOR = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:" + "|".join(LEXICON["sectors"]["suffixes"]) + r")(?:的|里|中|内)?")
GENERIC_SECTOR = re.compile("^(?:" + "|".join(LEXICON["sectors"]["not_a_sector"]) + ")")
PLANNED = any_of("status", "planned")
ASKED_ACTUAL = any_of("status", "asked_actual")
BUDGET = any_of("status", "budget")
PAID_ASKED = any_of("status", "paid_asked")
RAISED = any_of("status", "raised")
BUDGET_BEFORE = re.compile(f"(?:{BUDGET.pattern})(?:约|共|总额|为|达)?$")  # the sum follows the budget word
GRADE = re.compile(LEXICON["grades"]["grade"])
SEVERITY = any_of("grades", "severity")
# A grade asked is one written before what it grades (一级安全标准化, 重大隐患), not one inside 及以上.
ASKED_GRADE = re.compile(f"(?:{GRADE.pattern}|{SEVERITY.pattern})(?!及以上|以上)")
FOUND_WORD = any_of("status", "stage_found")
FIXED_WORD = any_of("status", "stage_fixed")
REMOVAL_ASKED = any_of("status", "asked_removal")
STOCK_ASKED = any_of("status", "asked_stock")
ACTIVITY = any_of("status", "activities")
# …the removing verb, not a level after it (减少至39家 is what is left).
REMOVED = re.compile(f"(?:{any_of('status', 'removed').pattern})(?![至到为])")
# The verb right before the question word: 整改/销号 (+了/完/完成) or 发现/查出 (+了) before 多少/几; not a
# campaign name earlier in the question (专项整治).
STAGE_ASKED = re.compile(f"({FOUND_WORD.pattern}|{FIXED_WORD.pattern})(?:了|的|完成|完|好)*(?:有|共)?(?:多少|几)")
PART_YEAR = any_of("periods", "part_year")
WHOLE_YEAR = any_of("periods", "whole_year")
FINER = any_of("periods", "finer")
DATE_PRINTED = re.compile(r"\d{1,2}月|[一二三四五六七八九十]+月|\d{1,2}日")
AGGREGATE = any_of("periods", "aggregate")
SPAN_ASKED = any_of("periods", "span_asked")
SINGLE_YEAR = any_of("periods", "single_year")
TO_DATE = any_of("periods", "to_date")
WHOLE_CITY = tuple(LEXICON["own_places"]["whole_city"])
# A planned quantity asked (规划总长度, 计划建设多少) and a figure whose own words say it is built or done.
PLAN_ASKED = re.compile(
    r"(?:规划|计划)(?:的|中)?(?:到(?:19|20)\d{2}年(?:底)?)?(?:要)?(?:总|建设|新建|建成|建)?(?:长度|里程|面积|规模|数量|总量|个数|总长|多少|几)"
)
BUILT = re.compile(r"已建|已经建|建成|已完成|已经完成")
OUTCOMES = [re.compile("|".join(map(re.escape, group))) for group in LEXICON["outcomes"]["exclusive"]]
LEVELS = [re.compile("|".join(group)) for group in LEXICON["levels"]["exclusive"]]
CAUSES = [re.compile("|".join(map(re.escape, group))) for group in LEXICON["causes"]["exclusive"]]
AREAS = [re.compile("|".join(map(re.escape, group))) for group in LEXICON["areas"]["exclusive"]]
EXCLUSIVE = (OUTCOMES, LEVELS, CAUSES, AREAS)  # families of kinds counted apart, checked in this order
# A change asked (提高了几个点, 下降了多少) and a level printed (提高至49.5%, 降到39家).
CHANGE_VERB = "提高|增加|上升|下降|降低|减少|增长|提升|降"
CHANGE_ASKED = re.compile(rf"(?:{CHANGE_VERB})了?(?:多少|几)")
LEVEL_BEFORE = re.compile(rf"(?:{CHANGE_VERB})(?:至|到)$")
# What is left undone asked (还剩多少个没整治, 剩下几处未改): a figure of work done does not answer it.
UNDONE_ASKED = re.compile(
    r"(?:还剩|剩下|剩余|还有|尚有|还差)[^，,。？?]{0,8}?(?<!有)(?:没有?|未|尚未|还没有?)(?!来)[\u4e00-\u9fff]"
)
UNDONE_PRINTED = re.compile(r"(?:没有?|未|尚未|还没有?|待|剩余|剩下|还有)[\u4e00-\u9fff]")
LEVEL_STATED = re.compile(r"(?:数量|总数|总量|规模)(?:达到|达|为|共计|总计)$|(?:共有|总计|现有)$")
# A year opening a sentence (…。2022年开展…): the scene of the sentences after it.
SCENE_YEAR = re.compile(r"(?:^|[。；])\s*((?:19|20)\d{2})年(?!以来|来|至|到|—|-|、|和)")
# A year's end asked (<year>年底…多少<unit>): a level at a date.
YEAR_END = re.compile(r"(?:(?:19|20)\d{2}|(?<!\d)\d{2})年(?:底|末)")
YEAR_SPAN = re.compile(r"(?:19|20)\d{2}年?(?:和|、|至|到|-|—|～)(?:19|20)\d{2}年")
# A year that opens a span to now (<year>以来，…): the figures after it are the span's totals.
SINCE = any_of("periods", "since")
SINCE_YEAR = re.compile(rf"(?:19|20)\d{{2}}年(?:{SINCE.pattern})")


@dataclass(frozen=True)
class Contradiction:
    """Why a candidate cannot be the figure asked for, said so the user learns what the report has."""

    kind: str  # place | sector | status | period | grade | stage
    note: str


@dataclass(frozen=True)
class Asked:
    """The qualifiers one question states."""

    places: tuple[str, ...]
    sectors: tuple[str, ...]
    actual: bool  # asks for an outcome (实际花了), not a plan
    whole_year: bool
    part_year: str  # 上半年 … or ""
    one_year: bool  # names exactly one year, and no span of years
    single_year: bool = False  # says it wants that year by itself (单年, 当年), not a total to date
    grades: tuple[str, ...] = ()  # 一级, D级, 重大 …: a grade the figure must be of
    stage: str = ""  # "found" or "fixed": which count of a check the question asks (发现 vs 整改完成)
    finer: bool = False  # asks for a month or a day (哪个月最多)
    part: tuple[str, ...] = ()  # the words naming one part of a whole the question states (N支队伍里，电力的有几支)


@lru_cache(maxsize=1024)
def asked(query: Query) -> Asked:
    """Read the question's qualifiers once; candidates are then only compared against them."""
    q = query.original
    sectors = []
    for m in SECTOR.finditer(q):
        sector = _without_leading_place(m.group(1))
        if len(sector) >= 2 and not GENERIC_SECTOR.match(sector):
            sectors.append(sector)
    part = PART_YEAR.search(q)
    return Asked(
        places=query.places,
        sectors=tuple(sectors),
        actual=bool(ASKED_ACTUAL.search(q)) and not PLANNED.search(q),
        whole_year=bool(WHOLE_YEAR.search(q)),
        part_year=part.group(0) if part else "",
        one_year=len(query.years) == 1 and not SPAN_ASKED.search(q) and not query.base_years,
        single_year=len(query.years) == 1 and bool(SINGLE_YEAR.search(q)),
        grades=tuple(dict.fromkeys(m.group(0) for m in ASKED_GRADE.finditer(q))),
        stage=_stage_asked(q),
        finer=bool(FINER.search(q)),
        part=_part_of_whole(normalise(q)),
    )


# "<N><unit><whole>里，<part>的有几支": a count of one part of a whole the question counts itself (a share
# of it, 占多少, is arithmetic over both and not this).
PART_OF_WHOLE = re.compile(
    r"((?:\d+|[两三四五六七八九十]+)[个支家名项条座所处类种][\u4e00-\u9fff]{1,12}?)(?:里|里面|里头|当中|之中|中)[，,]?"
    r"([\u4e00-\u9fff]{2,10}?)(?:的|类的|方面的)(?:有|是)?(?:多少|几)"
)
# …or the part named bare before the question word and its measure word (274个学校里中小学多少个).
PART_BARE = re.compile(
    r"((?:\d+|[两三四五六七八九十]+)[个支家名项条座所处类种][\u4e00-\u9fff]{1,12}?)(?:里|里面|里头|当中|之中|中)[，,]?"
    r"([^\W\d的_]{2,6}?)(?:有)?(?:多少|几)[个支家名项条座所处类种]"
)


# "<whole>里<part>那部分…多少": the part pointed at as such.
PART_POINTED = re.compile(
    r"([\u4e00-\u9fff]{2,12}?)(?:里|里面|里头|当中|之中|中)[，,]?([\u4e00-\u9fff]{2,10}?)[那这]一?部分"
)


def _part_of_whole(q: str) -> tuple[str, ...]:
    """The words of the part asked that the whole does not already say (抢险 of 专业抢险救援队里), or ()."""
    m = PART_OF_WHOLE.search(q) or PART_POINTED.search(q)
    if m:
        return tuple(t for t in content_terms(m.group(2)) if t not in m.group(1) and is_noun(t))
    m = PART_BARE.search(q)
    if m:
        # Named bare, the part may be an abbreviation (中小学, tagged j): anything naming a thing.
        return tuple(t for t in content_terms(m.group(2)) if t not in m.group(1) and names_something(t))
    return ()


def _names_part(part: tuple[str, ...], text: str) -> bool:
    """The text names the part asked, in any of its words' forms."""
    return any(form in text for t in part for form in synonyms_of(t))


def _stage_asked(q: str) -> str:
    """Which count of a check the question asks for, when it asks with the verb itself (整改…多少, 发现…几);
    a comparison of the two (A比B多多少) asks for neither alone."""
    if "比" in q:
        return ""
    asks = list(STAGE_ASKED.finditer(q))
    if not asks:
        return ""
    return "fixed" if FIXED_WORD.fullmatch(asks[-1].group(1)) else "found"


def _without_leading_place(words: str) -> str:
    """'22年冶金工贸' -> '冶金工贸'; a year or the city in front of a sector is not part of it."""
    words = re.sub(rf"^(?:{YEAR_TEXT.pattern}|{'|'.join(RELATIVE_YEARS)}|年)", "", words)
    words = re.sub(r"^(?:我们|咱们|我)", "", words)  # who is asking (我们卫健系统) is not part of the sector
    # "…那套X系统": the words after a pointing word name the system; the pointing word names nothing.
    words = re.split(r"(?:这|那|该|此)[套个些类项种块]", words)[-1]
    tags = pos_tags(words)
    while tags and (tags[0][0] in WHOLE_CITY or (tags[0][1] == "ns" and tags[0][0] not in OWN_PLACES + NOT_PLACES)):
        words = words[len(tags[0][0]) :]
        tags = tags[1:]
    return words


def place_named(place: str, text: str) -> bool:
    """The place, or its name without 市/镇 (a pattern match may have taken a character too many)."""
    bare = re.sub(r"(市|县|镇|省|区|街道)$", "", place)
    forms = {place[i:] for i in range(len(place) - 1)} | {bare[i:] for i in range(len(bare) - 1)}
    return any(len(f) >= 2 and f in text for f in forms)


def check(
    query: Query, before: str, clause: str, sentence: str, where: str = "", by_year: bool = False, scene: str = ""
) -> Contradiction | None:
    """The first qualifier of the question that the fact contradicts, or None.

    before: the fact's words before its number; clause and sentence: where it is printed; where: its
    paragraph lead, section path and table title (which may name a place for all the text under them);
    by_year: the fact has a column per year (a table row), so no year is hidden in an aggregate; scene: the
    paragraph before the sentence, which may name the sector its sentences go on about."""
    a = asked(query)
    context = sentence + where
    for p in a.places:
        if not place_named(p, context + clause):
            return Contradiction("place", f"报告没有“{p}”的分项数字，只有全市的")
    for s in a.sectors:
        # A sector said in other words (工贸监测预警 for 工贸企业监测预警) still shows each of its words.
        words = content_terms(s) or (s,)
        if not all(any(f in scene + context + clause for f in synonyms_of(w)) for w in words) and not any(
            f in scene + context + clause for f in synonyms_of(s)
        ):
            return Contradiction("sector", f"报告没有“{s}”领域的分项数字")
    # The grade nearest before the figure in its sentence is the figure's (D级危房217处，…，应急搬离280人).
    upto = sentence[: sentence.find(clause)] + before if clause in sentence else before
    nearest = [m.group(0) for m in GRADE.finditer(upto)][-1:]
    # A clause naming a grade of its own (…，规模以上企业三级标准化达标率92%) is not the clause before's.
    own_grade = GRADE.search(before + clause)
    named = before + clause if own_grade else "".join(nearest) + before + clause + previous_clause(sentence, clause)
    grade = _grade_conflict(a.grades, named)
    if grade:
        return grade
    # A count fixed asked is not answered by a count found (发现隐患N条), nor a count found by one fixed.
    own = re.split(r"[，。；：,]", before)[-1]
    if a.stage == "fixed" and not FIXED_WORD.search(own + clause):
        # Asked what was fixed: a figure whose own words do not say 整改/销号 counts something else.
        return Contradiction("stage", f"报告中相近的数字（“{clause.strip('，；。')}”）不是整改或完成的数量")
    if a.stage == "found" and FIXED_WORD.search(own) and not FOUND_WORD.search(own):
        return Contradiction("stage", f"报告给出的是整改或完成的数量（“{clause.strip('，；。')}”），不是发现的数量")
    item = _own_item(before, clause)  # a listing's other items (清退…568家、…罚款700.9万元) are not the figure's
    if REMOVED.search(item) and not REMOVAL_ASKED.search(query.original.replace("多少", "")):
        # 还剩多少家 or 在册的有几辆 asked and 压减…204家 or 剔除3062辆 printed: what was taken out is not
        # what is there.
        return Contradiction("stage", f"报告给出的是减少或关停的数量（“{clause.strip('，；。')}”），不是现有的数量")
    if STOCK_ASKED.search(query.original) and ACTIVITY.search(item) and not ACTIVITY.search(query.original):
        return Contradiction("stage", f"报告中的“{clause.strip('，；。')}”是开展工作的数量，不是总量")
    # A project's budget (投资2亿元建设…) in a sentence that says it is still planned (计划…竣工) is not
    # what was spent.
    if a.actual and (PLANNED.search(before) or (BUDGET_BEFORE.search(before) and PLANNED.search(sentence))):
        return Contradiction("status", f"报告只给出计划数（“{clause.strip('，；。')}”），没有实际完成或支出的数字")
    if PAID_ASKED.search(query.original) and RAISED.search(own) and not RAISED.search(query.original):
        return Contradiction(
            "status", f"报告给出的是筹措或安排的资金（“{clause.strip('，；。')}”），没有实际支付的数字"
        )
    if PLAN_ASKED.search(q_text := query.original) and BUILT.search(own) and not ASKED_ACTUAL.search(q_text):
        # "规划总长度" asked and "已建…3.21公里" printed: what is built is not what is planned.
        return Contradiction("status", f"报告给出的是已建成或已完成的数（“{clause.strip('，；。')}”），没有规划数")
    named = before + clause + previous_clause(sentence, clause)
    kind = _kind_conflict(query.original, own, clause) or next(
        filter(None, (_exclusive_conflict(g, query.original, named) for g in EXCLUSIVE)), None
    )
    if kind:
        return kind
    # Prose only: a table row names its thing by its row and category path, which these read as words.
    swapped = not by_year and (
        _substituted(query, before + clause, context + clause + scene)
        or _sibling(query, _own_texts(before, clause, sentence), context + clause + scene)
    )
    if swapped:
        return swapped
    if a.whole_year and PART_YEAR.search(context + clause):
        return Contradiction("period", "报告只给出部分时段的数字，没有全年的")
    if a.finer and not DATE_PRINTED.search(context + clause):
        return Contradiction("period", "报告没有按月或按日的数字")
    if a.part_year and a.part_year not in context + clause:
        return Contradiction("period", f"报告没有{a.part_year}的数字")
    if a.one_year and not by_year:
        own_years = set(years_in(before))
        span = (
            YEAR_SPAN.search(sentence)
            or SINCE_YEAR.search(sentence)
            or (len(set(years_in(sentence))) >= 2 and AGGREGATE.search(before))
        )
        if len(own_years) != 1 and span:
            return Contradiction("period", "报告给出的是多年合计数，没有单独一年的数字")
        if a.single_year and TO_DATE.search(sentence[: sentence.find(clause)] + before + clause):
            # 去年单年 asked and 截至2022年底…处罚金额7040.34万元 printed: a total to date, not one year's.
            return Contradiction("period", f"报告中的“{clause.strip('，；。')}”是累计数，没有单独一年的")
        if not years_in(sentence) and not years_in(scene) and AGGREGATE.search(before + clause + sentence):
            # "全市共完成…1458个" in a paragraph naming no year: the period's total, not one year's.
            return Contradiction("period", f"报告中的“{clause.strip('，；。')}”是规划期以来的合计数，没有单独一年的")
        opening = [int(y) for y in SCENE_YEAR.findall(scene)][-1:]
        if not years_in(sentence) and opening and opening[0] not in query.years:
            # A sentence with no year goes on with the year the sentence before it opened with (2022年开展…。开展…).
            return Contradiction(
                "period", f"报告中的“{clause.strip('，；。')}”是{opening[0]}年的，没有{query.years[0]}年的"
            )
    return None


def _own_item(before: str, clause: str) -> str:
    """The figure's own words: its piece of the clause before the number and after it, up to a 、 or a stop."""
    head = re.split(r"[，。；：,、]", before)[-1]
    at = clause.find(head) + len(head) if head in clause else -1  # an empty head: the figure opens the clause
    tail = re.split(r"[，。；：,、]", clause[at:])[0] if at >= 0 else ""
    return head + tail


# People or organisations asked by their kind (…人员多少人, …企业有多少家): the kind's words, then the
# counted noun, then the ask.
COUNTED_NOUN = f"{PERSON_NOUN}|企业|单位"
# A time or stock word may stand between the noun and the ask (企业现在还剩多少家).
PEOPLE_ASKED = re.compile(
    rf"([\u4e00-\u9fff]{{2,8}}?)({COUNTED_NOUN})(?:现在|目前|如今|当前)?(?:还剩下?|剩下|剩余|还有)?{PEOPLE_ASK_TAIL}"
)
# …or the ask first (查出多少家失信企业, 有几名专职安全员).
PEOPLE_ASKED_AFTER = re.compile(
    rf"(?:多少|几)(?:家|个|名|位|所)?([\u4e00-\u9fff]{{2,6}}?)({COUNTED_NOUN})(?![\u4e00-\u9fff])"
)
PEOPLE_PRINTED = re.compile(rf"([\u4e00-\u9fff]{{2,10}}?)({COUNTED_NOUN})$")
# …or the number first (13家化工企业完成…).
PEOPLE_PRINTED_AFTER = re.compile(rf"[\d.,]+[家个名位所人]([\u4e00-\u9fff]{{2,10}}?)({COUNTED_NOUN})")
# The verb between a counted noun and its number (…企业下降至39家, …人员共计77名).
LEADS_TO_NUMBER = re.compile(
    r"(?:数量|总数)?(?:共计|共有|共|累计|总计|达到|达|为|约|有|下降|降|上升|增加|增长|提高|减少|至|到)+$"
)


def _kind_conflict(question: str, own: str, clause: str) -> Contradiction | None:
    """People or organisations of one kind asked and a figure counting another kind (…监管人员239人 for
    …救援人员, 生产证企业39家 for 化工企业): the figure's own name ends in the same counted noun, and none of
    the words of the kind asked is in it or in its clause."""
    bare = re.sub(r"[（）()]", "", question)
    asked_kind = PEOPLE_ASKED.search(bare) or PEOPLE_ASKED_AFTER.search(bare)
    after = clause[clause.find(own) + len(own) :] if own in clause else ""
    printed = PEOPLE_PRINTED.search(LEADS_TO_NUMBER.sub("", own)) or PEOPLE_PRINTED_AFTER.match(after)
    if not asked_kind or not printed or asked_kind.group(2) != printed.group(2):
        return None
    kind = re.sub(r"^(?:全市|全部|所有|我市|本市|的)+|的$", "", asked_kind.group(1))
    words = content_terms(kind)
    if not words or any(any(f in clause for f in synonyms_of(w)) for w in words):
        return None
    name = printed.group(1) + printed.group(2)
    return Contradiction("kind", f"报告中的数字是“{name}”的，没有“{kind}{asked_kind.group(2)}”的")


@lru_cache(maxsize=1024)
def _slots(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, str, str, re.Pattern], ...]:
    """(word, left, right, pattern) for each noun of the question between two characters on each side."""
    out = []
    for x in terms:
        i = text.find(x)
        left, right = text[max(0, i - 2) : i], text[i + len(x) : i + len(x) + 2]
        if len(x) >= 2 and i >= 2 and CJK_PAIR.fullmatch(left) and CJK_PAIR.fullmatch(right) and is_noun(x):
            out.append((x, left, right, re.compile(re.escape(left) + r"([\u4e00-\u9fff]{2,4}?)" + re.escape(right))))
    return tuple(out)


def _substituted(query: Query, own: str, context: str) -> Contradiction | None:
    """A word of the question that the fact replaces by another between the same two neighbours: 城市燃气管道
    asked, 城市供水管道 printed. The neighbours on both sides make it the same slot, not a typo or a reordering."""
    for x, left, right, slot in _slots(query.text, query.terms):
        if left not in own or right not in own or any(form in context for form in synonyms_of(x)):
            continue
        m = slot.search(own)
        if m and is_noun(m.group(1)) and _other_word(x, m.group(1)):
            return Contradiction("kind", f"报告中相近的数字说的是“{m.group(1)}”（{m.group(0)}…），不是“{x}”")
    return None


# Last characters that end the names of many unrelated quantities (人数, 起数, 总量): no kind of thing.
GENERIC_HEAD = "数量率额度的了是和与及等较"
CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def _sibling(query: Query, own: list[str], context: str) -> Contradiction | None:
    """A noun of the question that the fact's context never prints, where the fact's own words name another
    kind with the same head (安责险 asked, 受益民生险，共赔付… printed): the figure is that other kind's.

    own: the fact's clause, then the clause before it; the first that has a word with that head decides
    (检查文体旅单位 counts 检查 itself, whatever 执法检查 the clause before names)."""
    for x in query.terms:
        if len(x) < 3 or x[-1] in GENERIC_HEAD or not any(x[-1] in text for text in own):
            continue
        if any(form in context for form in synonyms_of(x)):
            continue
        for text in own:
            # The other kind's name is a word ending in the same head (民生|险 -> 民生险), not a window across
            # words (联合|督查 gives 督查, which names no other kind of 检查).
            words = _words(text)
            named = [
                w if len(w) >= 2 else words[i - 1] + w
                for i, w in enumerate(words)
                if w.endswith(x[-1]) and (len(w) >= 2 or i > 0)
            ]
            named = [y for y in named if CJK_ONLY.fullmatch(y)]
            if not named:
                continue
            other = next((y for y in named if y not in query.text and _other_word(x, y)), None)
            if other and not any(y in x or x in y for y in named):
                return Contradiction("kind", f"报告中相近的数字说的是“{other}”，不是“{x}”")
            break
    return None


def _own_texts(before: str, clause: str, sentence: str) -> list[str]:
    """The fact's own words, then the clause before it; in a listing clause (占地46.5亩、建筑面积3.2万平方米)
    only the figure's own item names it."""
    return [re.split(r"[，、；。,：:]", before)[-1] if "、" in clause else clause, previous_clause(sentence, clause)]


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """The tokenizer's words of a clause (cached: every candidate of every question is checked)."""
    return tuple(w for w, _ in pos_tags(text))


def _other_word(asked: str, printed: str) -> bool:
    """Two words for one slot that differ in a word of two characters or more on each side (燃气管/供水管),
    not by one character (从业/就业) or as a short form (国企/国有企业)."""
    if re.fullmatch(".*".join(map(re.escape, asked)), printed):
        return False  # the asked word is a short form of the printed one
    head = len(os.path.commonprefix([asked, printed]))
    tail = len(os.path.commonprefix([asked[head:][::-1], printed[head:][::-1]]))
    core_a, core_p = asked[head : len(asked) - tail], printed[head : len(printed) - tail]
    return len(core_a) >= 2 and len(core_p) >= 2


def _exclusive_conflict(groups: list[re.Pattern], question: str, named: str) -> Contradiction | None:
    """One of exclusive kinds asked (受伤, 国家级) where the figure names another of them (死亡, 省级) and not it."""
    wanted = [m for m in (o.search(question) for o in groups) if m]
    printed = [m for m in (o.search(named) for o in groups) if m]
    if len(wanted) != 1 or not printed or any(m.re is wanted[0].re for m in printed):
        return None
    return Contradiction("kind", f"报告中的数字是“{printed[0].group(0)}”的，没有“{wanted[0].group(0)}”的")


def _grade_conflict(grades: tuple[str, ...], text: str) -> Contradiction | None:
    """A grade asked (一级) where the fact's own words name another (二级), or a severity asked (重大隐患)
    that they do not carry. Of several grades asked (D级和C级), the fact must carry one."""
    levels = [g for g in grades if GRADE.fullmatch(g)]
    other = [m.group(0) for m in GRADE.finditer(text)]
    if levels and other and not any(g in text for g in levels):
        return Contradiction("grade", f"报告只有“{other[0]}”的数字，没有“{'、'.join(levels)}”的")
    severities = [g for g in grades if not GRADE.fullmatch(g)]
    if severities and not any(g[:2] in text for g in severities):
        return Contradiction("grade", f"报告中相近的数字不是“{severities[0]}”的")
    return None


# An indicator counted per unit (每个…, 年均每十万人…) and a question asking for a total.
PER_UNIT = re.compile(r"^(?:年均|平均)?每")
TOTAL_ASKED = re.compile(r"一共|总共|总数|合计|共有|全市共|全部加起来")


# 元 itself too: a row may name its unit (…金额（万元）).
MONEY_ROW = re.compile(f"{any_of('money', 'nouns').pattern}|元")
# A rate per sum of money (亿元地区生产总值…死亡率降至) is a rate, not a sum of money.
RATE_ROW = re.compile(r"率(?:降至|下降|提高|上升|达到|不低于|不高于)?$")


def _one_of_joined(query: Query, r0: TableRecord) -> Contradiction | None:
    """A census row counting several named surveys together (A调查和B调查、C调查) is not the count of the one
    the question names alone."""
    parts = re.split(r"和|、|及|与", r0.indicator)
    if r0.measure != "count" or len(parts) < 2 or any(len(p) < 4 for p in parts):
        return None
    # A word every part shares (调查) names none of them.
    words = [t for t in query.terms if len(t) >= 2 and not all(t in p for p in parts)]
    named = [p for p in parts if any(t in p for t in words)]
    if len(named) == 1 and not TOTAL_ASKED.search(query.original):
        return Contradiction("joint", f"表中“{r0.indicator}”是几项合计的数，没有“{named[0]}”单项的")
    return None


# The kinds a count is of, listed after it with 、 (117家化工、医药、烟花爆竹批发企业开展…), up to a verb, a 的
# or a stop. (A和B joins two things done to the same N items as often as two kinds: 1343座…标志和公示牌设置.)
LISTED_AFTER = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,12}?(?:、[\u4e00-\u9fff（）()]{2,14}?){1,6}(?=开展|进行|实施|参加|参与|完成|的|[，,。；;：:]|$)"
)


def _names_item(item: str, question: str) -> bool:
    """The question names a listed item whole, or shortened to its first word and its last character
    (水位站 for 水位自动监测站)."""
    if item in question:
        return True
    start = question.find(item[:2]) if len(item) >= 4 else -1
    return start >= 0 and item[-1] in question[start + 2 :]


def _one_of_listed(question: str, f: Figure) -> Contradiction | None:
    """A count printed for several kinds together (117家化工、医药、烟花爆竹批发企业) is not the count of the one
    kind the question names alone."""
    after = f.clause[f.clause.find(f.raw) + len(f.raw) :] if f.raw in f.clause else ""
    listed = LISTED_AFTER.search(after)
    if not listed or TOTAL_ASKED.search(question):
        return None
    items = [re.sub(r"[（(][^）)]*[）)]", "", i) for i in listed.group(0).split("、")]
    named = [i for i in items if len(i) >= 2 and _names_item(i, question)]
    if len(named) == 1 and len(items) >= 2:
        return Contradiction("joint", f"报告中的{f.raw}是“{listed.group(0)}”合计的数，没有“{named[0]}”单项的")
    return None


# A number with its measure word inside a listed item (1642公里道路, 中间库396个).
MEASURE_WORDS = sorted({u for units in LEXICON["units"].values() for u in units}, key=len, reverse=True)
ITEM_NUMBER = re.compile(r"\d+(?:\.\d+)?[万亿千]?余?(?:" + "|".join(map(re.escape, MEASURE_WORDS)) + ")?")
# Items of a listing: 、, or 和/及 right before the next item's number (…459公里供水管线和1062座水闸).
ITEM_SPLIT = re.compile(rf"、|{ITEM_JOIN}")


# The kinds a count is of, listed right before it (…液氨泄漏、防台防汛、…等各类应急预案演练183场; …119接警信息、
# 110突发事件信息143条): short items joined by 、, the last one up to the number, 等 closing the kinds.
LISTED_BEFORE = re.compile(r"(?:[^、，,。；;：:等]{2,20}、){1,6}[^、，,。；;：:]{2,24}$")
COUNTED_ITEM = re.compile(r"\d+(?:\.\d+)?[万亿千]?余?(?:" + "|".join(map(re.escape, MEASURE_WORDS)) + ")")


SEPARATELY = any_of("asks", "separately")
LISTING_ASKED = re.compile(r"等|各类|各种|各项|这些|那些")
KINDS_LISTED = re.compile(r"各类|各种|多种|各项|各级")


def _one_of_listed_before(query: Query, f: Figure) -> Contradiction | None:
    """A count printed after a listing of kinds (A、B、C等各类演练183场; A信息、B信息143条) is not the count of the
    one kind a question asks by itself: it counts them together."""
    start = f.clause.find(f.raw)
    separately = bool(SEPARATELY.search(query.original))
    if start < 0 or (LISTING_ASKED.search(query.original) and not separately):
        return None  # 液氨泄漏等各类演练 names one kind as an example of all of them
    listed = LISTED_BEFORE.search(f.clause[:start])
    if not listed and BARE_CLAUSE.fullmatch(f.clause[:start]):
        # Only a verb before the figure (…培训、…培训，2022年累计培训413人次): the listing is the clause before.
        listed = LISTED_BEFORE.search(previous_clause(f.sentence, f.clause).rstrip("，,；;"))
    if not listed or TOTAL_ASKED.search(query.original) or re.search(r"[“”\"]", listed.group(0)):
        return None  # one kind asked by itself only; a quoted listing (“瓶改管、瓶改电”) is one name
    items = listed.group(0).split("、")
    if any(COUNTED_ITEM.search(i) for i in items):
        return None  # a listing of figures (道路1642公里、桥梁…), each item its own count
    head = ""
    if "等" in items[-1]:
        items[-1], head = items[-1].split("等", 1)
    # The first item starts after the verb that leads to the listing (组织开展液氨泄漏 -> 液氨泄漏).
    tags = pos_tags(items[0])
    lead = next((i for i, (_, tag) in enumerate(tags) if tag[0] not in "vkpdcu"), len(tags))
    items[0] = "".join(w for w, _ in tags[lead:])
    # A word every item shares (信息) or the head says (演练) names none of them.
    # The words that name one item only pick it (网格员 of 监管人员业务…培训、网格员业务…培训).
    words = [t for t in query.terms if len(t) >= 2 and t not in head and sum(t in i for i in items) == 1]
    named = [i for i in items if any(t in i for t in words)]
    # Unless asked separately (单独), only a listing that says it lists kinds (A、B、C等各类演练) counts them
    # together; an item after the first, whose words are the kind's own and not the verb leading to the list.
    kinds = KINDS_LISTED.match(head) and named and named[0] != items[0]
    if len(named) == 1 and len(items) >= 2 and (separately or kinds):
        listing = "、".join(items) + (f"等{head}" if head else "")
        return Contradiction("joint", f"报告中的{f.raw}是“{listing}”合计的数，没有“{named[0]}”单项的")
    return None


@lru_cache(maxsize=4096)
def _item_tail(item: str) -> str:
    """What a listed item counts: its last word before its number (…通达老旧小区131个 -> 小区), else the first
    after it (1892座桥梁 -> 桥梁)."""
    m = COUNTED_ITEM.search(item)  # a number with its measure word: 119 in 119接警信息 is a name
    if not m:
        return ""
    before = content_terms(item[: m.start()])
    after = content_terms(ITEM_NUMBER.sub(" ", item[m.start() :]))
    return before[-1] if before else (after[0] if after else "")


def _other_item(query: Query, f: Figure) -> Contradiction | None:
    """A listing (1642公里道路、1892座桥梁、…1095公里堤防) whose other item the question names while naming none
    of the figure's own item's words: the figure counts another item (道路 for 堤防)."""
    if f.raw not in f.clause or not ITEM_SPLIT.search(f.clause):
        return None
    items = ITEM_SPLIT.split(f.clause)
    if sum(bool(re.search(r"\d", i)) for i in items) < 2:
        return None  # a listing of kinds counted together (117家化工、医药、…企业), not of figures
    own = next((i for i in items if f.raw in i), "")
    own_name = ITEM_NUMBER.sub(" ", own)

    def names(t: str, text: str) -> bool:
        return any(form in text for form in synonyms_of(t))

    # Each item's noun right before its number (…新增通达老旧小区131个、自然村243个): a question naming another
    # item's noun and not this one's asks for that item, whatever words the listing's lead shares with it.
    tails = {i: _item_tail(i) for i in items if COUNTED_ITEM.search(i)}
    own_tail = tails.get(own, "")
    if own and own_tail and len(set(tails.values())) == len(tails):
        said = [t for t in query.terms if any(names(t, tail) or tail in t for i, tail in tails.items() if i != own)]
        if said and not any(names(t, own_tail) or own_tail in t for t in query.terms):
            return Contradiction("kind", f"报告中的{f.raw}是“{own.strip('，；。')}”的，不是“{said[0]}”的")
    if not own or len(ITEM_SPLIT.findall(f.clause)) < 2 or any(names(t, own_name) for t in query.terms):
        return None  # two items may be two measures of one thing (100个项目、1650万元)
    others = [
        t for t in query.terms if is_noun(t) and any(names(t, ITEM_NUMBER.sub(" ", i)) for i in items if i != own)
    ]
    if not others:
        return None
    return Contradiction("kind", f"报告中的{f.raw}是“{own.strip('，；。')}”的，不是“{others[0]}”的")


OWN_RATE = re.compile(r"([\u4e00-\u9fff]{1,4}率)(?:达到|达|为|是|约|提高至|提高到|提升至|降至|下降至)?$")


def _rate_conflict(query: Query, name: str, where: str) -> Contradiction | None:
    """One rate asked by a name the report prints (达标率) and a figure named as another rate (创建率).

    name: the words naming the figure, ending with its rate; where: all its text, which may say the asked one."""
    rates = [t for t in query.terms if len(t) >= 3 and t.endswith("率")]
    if len(rates) != 1 or query.text.count("率") != 1:
        return None
    own = OWN_RATE.search(name)
    if not own or rates[0] in where or rates[0][-2:] == own.group(1)[-2:]:
        return None  # the same rate, or one ending in the same word (检查率, 实船检查率)
    return Contradiction("kind", f"报告中的数字是“{name}”的，不是“{rates[0]}”")


def money_asked(query: Query) -> bool:
    """The question asks a sum of money (多少保费, 投了多少): 元 is its only unit besides a share."""
    return set(query.units) - {"%"} == {"元"}


def row_conflict(query: Query, r0: TableRecord) -> Contradiction | None:
    """check() for a table row: its indicator and rendered row, under its table and section."""
    if PER_UNIT.match(r0.indicator) and TOTAL_ASKED.search(query.original) and "每" not in query.original:
        return Contradiction("total", f"报告只有“{r0.indicator}”这一按单位计的指标，没有总数")
    money_row = MONEY_ROW.search(r0.indicator) and not RATE_ROW.search(r0.indicator)
    if money_asked(query) and "元" not in r0.unit and not money_row:
        # A sum of money asked (多少保费) of a row that counts something else (投保率: 家).
        return Contradiction("unit", f"表中“{r0.indicator}”不是金额，报告没有所问的金额")
    joint = _one_of_joined(query, r0) or _rate_conflict(query, r0.indicator, r0.indicator)
    if joint:
        return joint
    part = asked(query).part
    if part and not _names_part(part, r0.indicator + r0.context):
        # "274个学校里中小学多少个": the row counts the whole (学校), not the part asked.
        return Contradiction("part", f"表中只有“{r0.indicator}”的总数，没有其中“{'、'.join(part)}”的分项")
    return check(query, r0.indicator, r0.context, r0.context, f"{r0.table} {' '.join(r0.section)}", by_year=True)


INCLUDED = re.compile(r"[（(](?:含|包括|其中)[^）)]*[）)]")


def figure_conflict(query: Query, f: Figure, lead: bool = False) -> Contradiction | None:
    """check() for a prose figure: its words before the number, clause and sentence, under its paragraph;
    also a base-year figure asked of one printed with no year, and, for the figure to answer with (lead), one
    the question itself states (as an input of arithmetic it is what the question means)."""
    if money_asked(query) and f.unit and "元" not in f.unit and f.unit not in ("%", "％"):
        # A sum of money asked (多少保费) and a count printed (230家): another quantity.
        return Contradiction("unit", f"报告中相近的数字（“{f.clause.strip('，；。')}”）不是金额")
    if lead and number_of(f.raw) in given_numbers(query.original) and not VERIFY.search(query.original):
        # "…降到99家，开局时有多少家": the asker already has this number; it cannot answer what they ask.
        return Contradiction("given", f"问题中给出的{f.raw}就是报告印的数字，报告没有所问的另一个数")
    if (
        lead
        and CHANGE_ASKED.search(query.original)
        and (before := f.clause[: f.clause.find(f.raw)])
        and (LEVEL_BEFORE.search(before) or (LEVEL_STATED.search(before) and not re.search(CHANGE_VERB, before)))
    ):
        # "提高了几个点" asked and "提高至49.5%" or "数量达2264家" printed: the level reached, not the change.
        return Contradiction("change", f"报告只给出达到的数值（“{f.clause.strip('，；。')}”），没有变化了多少")
    if lead and UNDONE_ASKED.search(query.original) and not UNDONE_PRINTED.search(f.subject + f.clause):
        # "还剩多少个没整治" asked and "258个…完成…整治" printed: what was done, not what is left undone.
        return Contradiction("stage", f"报告只给出已完成的数量（“{f.clause.strip('，；。')}”），没有尚未完成的")
    if (
        asked(query).one_year
        and query.base_year
        and query.years[0] <= query.base_year
        and not any(int(y) <= query.base_year for y in years_in(f.sentence + f.earlier))
    ):
        # The report narrates its own period; a figure printed with no year (高新技术企业数量达2264家), or in a
        # paragraph naming only later years, is the period's, not the base year's.
        return Contradiction(
            "period", f"报告中的“{f.clause.strip('，；。')}”不是{query.years[0]}年的数字，报告没有{query.years[0]}年的"
        )
    latest = dict(query.latest_years).get(f.doc)
    if (
        asked(query).one_year
        and latest
        and query.years[0] < latest
        and not any(int(y) <= query.years[0] for y in years_in(f.sentence + f.earlier))
    ):
        # A figure printed with no year, in a paragraph naming no year up to the one asked, is the latest or
        # the period's (高新技术企业数量达2264家, asked for 2021 where the report's data run to 2022).
        return Contradiction(
            "period",
            f"报告中的“{f.clause.strip('，；。')}”没有注明是{query.years[0]}年的，报告没有{query.years[0]}年的",
        )
    if (
        asked(query).one_year
        and latest
        and query.years[0] > latest
        and str(query.years[0]) not in years_in(f.sentence + f.earlier)
    ):
        # The report's data end with its latest year: a figure not dated to a later year asked is not that year's.
        return Contradiction(
            "period", f"报告的数据截至{latest}年，“{f.clause.strip('，；。')}”不是{query.years[0]}年的数字"
        )
    if asked(query).one_year and YEAR_END.search(query.original) and not years_in(f.sentence + f.earlier):
        # A count at a year's end (<year>年底…多少<unit>) is a level at a date; a figure in a paragraph naming no
        # year at all (分批推进101家…) cannot be dated to it.
        return Contradiction(
            "period", f"报告中的“{f.clause.strip('，；。')}”没有注明年份，不是{query.years[0]}年底的数字"
        )
    joint = (
        _one_of_listed(query.original, f)
        or _one_of_listed_before(query, f)
        or _other_item(query, f)
        or (
            _rate_conflict(query, re.split(r"[，。；：、,]", f.subject)[-1], f.subject + f.clause)
            if f.unit in ("%", "％")
            else None
        )
    )
    if joint:
        return joint
    part = asked(query).part
    # A part named in brackets as included (储备库（含粮食收纳库功能）) is inside the whole the figure counts.
    own = INCLUDED.sub(
        lambda m: m.group(0) if f.raw in m.group(0) else "",
        f.subject + f.clause + previous_clause(f.sentence, f.clause),
    )
    if part and not _names_part(part, own):
        # The figure counts the whole (水、电、气、通讯等专业抢险救援队20支), not the part asked (电力的).
        whole = f.clause.strip("，；。,")
        return Contradiction("part", f"报告只有总数（“{whole}”），没有其中“{'、'.join(part)}”的分项")
    return check(query, f.subject, f.clause, f.sentence, f"{f.lead} {' '.join(f.section)}", scene=f.earlier)


def number_of(raw: str) -> str:
    """The digits of a printed figure ("99家" -> "99", "1,761艘次" -> "1761")."""
    m = re.search(r"\d+(?:\.\d+)?", raw.replace(",", ""))
    return m.group(0) if m else ""


def given_numbers(question: str) -> set[str]:
    """Numbers the question itself states, years aside ("累计培养490名，其中272名…")."""
    return set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", YEAR_TEXT.sub(" ", question.replace(",", ""))))
