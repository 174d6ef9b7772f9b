"""Exact figure lookup over table records and prose figures, and arithmetic over what was looked up.

Candidates are scored by how much of the question's meaning (IDF-weighted content terms, with the
domain synonyms) they carry, then checked against the year, unit and place asked for. A candidate that
does not carry the question is not offered: the caller refuses instead of giving a nearby number.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .constraints import (
    LEVEL_BEFORE,
    REMOVED,
    STOCK_ASKED,
    asked,
    figure_conflict,
    given_numbers,
    money_asked,
    number_of,
    row_conflict,
)
from .figures import BARE_CLAUSE, years_in
from .lexicon import LEXICON, any_of
from .sentences import last_sentence, next_clause, previous_clause
from .types import Figure, TableRecord
from .understand import Query, content_terms, counted_nouns, implied_units, is_noun, pos_tags, synonyms_of

TABLE_MIN = 0.62  # below this a table row does not carry the question
GOES_ON = re.compile("(?:" + "|".join(LEXICON["sentences"]["goes_on"]) + ")")
NEW_ACTIVITY = tuple(LEXICON["sentences"]["new_activity"])
TOPIC_WEIGHT = 0.5  # the sentence before, for a sentence with no subject of its own
PROSE_MIN = 0.55  # below this a prose clause does not carry the question (benchmarks/calibrate.py)

UNIT_PREFIX = re.compile(r"^[万亿千]?[余多]?")


def base_unit(unit: str) -> str:
    """'万余件' -> '件', '万元' -> '元', '%' stays."""
    return UNIT_PREFIX.sub("", unit) or unit


class TermStats:
    """Document frequencies of terms over the report's sentences, for IDF weights."""

    MAX_TEXTS = 5000

    def __init__(self, texts: list[str]):
        # Document frequencies are ratios: an even sample of a large corpus gives the same weights
        # while keeping each new term's count to a few thousand substring tests.
        step = max(1, len(texts) // self.MAX_TEXTS)
        self.texts = [t.lower() for t in texts[::step]]
        self.n = max(1, len(self.texts))
        self._cache: dict[str, float] = {}

    def idf(self, term: str) -> float:
        if term not in self._cache:
            forms = [f.lower() for f in synonyms_of(term)]
            df = sum(1 for t in self.texts if any(f in t for f in forms))
            self._cache[term] = math.log((self.n + 1) / (df + 0.5))
        return self._cache[term]


ASIDE = re.compile(r"（[^）]{1,12}）|\([^)]{1,12}\)")


@lru_cache(maxsize=65536)
def _forms(text: str) -> tuple[str, str]:
    """The text lower-cased, and also without short bracketed asides ('化工（危化品）企业' -> '化工企业')."""
    low = text.lower()
    return low, ASIDE.sub("", low)


@lru_cache(maxsize=8192)
def _term_forms(term: str) -> tuple[str, ...]:
    """The term and its synonyms, lower-cased."""
    return tuple(f.lower() for f in synonyms_of(term))


# The same (term, clause) pairs are tested many times per question, across layers and candidates.
@lru_cache(maxsize=1 << 18)
def present(term: str, text: str) -> bool:
    """True if the term or one of its synonyms occurs in the text."""
    low, bare = _forms(text)
    return any(f in low or f in bare for f in _term_forms(term))


def coverage(terms: tuple[str, ...], layers: list[tuple[str, float]], stats: TermStats) -> tuple[float, set[str]]:
    """IDF-weighted share of the terms found in the candidate; each layer counts with its weight.

    Every term counts by its IDF alone: halving verbs (拿到, 筹, 赔, where the report says 获得, 筹措, 赔付)
    was measured on the dev sets and gained nothing (written +1 item, public −1, generated −0.1 point)."""
    total = sum(stats.idf(t) for t in terms)
    if total <= 0:
        return 0.0, set()
    # Heaviest layer first: the first one holding a term gives its weight (the hot loop of every lookup).
    layers = sorted((layer for layer in layers if layer[0]), key=lambda layer: -layer[1])
    got, found = 0.0, set()
    for t in terms:
        w = next((weight for text, weight in layers if present(t, text)), 0.0)
        if not w and len(t) >= 4:
            # A long compound counts half when its head word occurs (交通运输 -> 交通).
            w = 0.5 * max((weight for text, weight in layers if t[:2] in text.lower()), default=0.0)
        if w >= 0.5 or (w and len(terms) == 1):
            found.add(t)
        got += stats.idf(t) * w
    return got / total, found


WHICH_FIGURE = any_of("asks", "which_figure")
SPECIFIC_IDF = 3.5  # a noun this rare names one thing (特种设备, 群租厂房); common ones (企业, 事故) do not
MISSING_SPECIFIC = 0.7  # score kept per specific thing the question names and the candidate lacks


ASKED_OF_ELSEWHERE = 0.6  # score kept by a clause whose sentence, not itself, prints the word asked of


def _asked_of(query: Query, terms: tuple[str, ...], stats: TermStats) -> str:
    """The rare word right before a question word that ends the ask (…<rare word>一共多少), or the rare word
    counted right after it (<verb>了多少<rare noun>); else "". In "…有几个终端" the word before is only the scene."""
    mark = re.search(r"多少|几", query.text)
    if not mark:
        return ""
    after = [t for t in terms if t in query.text[mark.end() :]]
    if after:
        first = min(after, key=lambda t: query.text.find(t, mark.end()))
        near = query.text.find(first, mark.end()) - mark.end() <= 1  # a measure word may stand between
        rare = stats.idf(first) >= SPECIFIC_IDF and not WHICH_FIGURE.search(first)
        return first if near and rare else ""
    before = [t for t in terms if t in query.text[: mark.start()]]
    last = max(before, key=lambda t: query.text.rfind(t, 0, mark.start()), default="")
    gap = query.text[query.text.rfind(last, 0, mark.start()) + len(last) : mark.start()] if last else ""
    if not last or len(gap) > 4 or stats.idf(last) < SPECIFIC_IDF or WHICH_FIGURE.search(last):
        return ""
    return last


def specific_terms(terms: tuple[str, ...], stats: TermStats) -> tuple[str, ...]:
    """The question's terms that name one particular thing (not which figure of it is asked)."""
    # 事故起数 asks for the 起数 of 事故: only its head could name something particular.
    heads = {t: WHICH_FIGURE.sub("", t) for t in terms}
    return tuple(t for t in terms if heads[t] and stats.idf(heads[t]) >= SPECIFIC_IDF and is_noun(t))


def most_characters(term: str, text: str) -> bool:
    """A thing written another way (国企 for 国有企业, 市镇 for 市、镇) still shows most of its characters."""
    return sum(ch in text for ch in term) >= 2 / 3 * len(term)


def _lacking(specific: tuple[str, ...], found: set[str], text: str) -> float:
    """Multiplier for the particular things a candidate does not carry: it is about something else."""
    missing = [t for t in specific if t not in found and not most_characters(t, text)]
    return MISSING_SPECIFIC ** len(missing)


def _bigrams(text: str) -> set[str]:
    low, bare = _forms(text)
    return {t[i : i + 2] for t in (low, bare) for i in range(len(t) - 1)}


class Candidates:
    """Items (table rows or figure clauses) with a character-bigram index, so a question only scores the
    items that contain one of its terms: cost grows with the matches, not with the corpus."""

    def __init__(self, items: list, texts: list[str]):
        self.items = items
        # Scores of the items for recent questions: the readings of one question look it up again and again.
        self.memo: dict[tuple, list] = {}
        self.lock = threading.Lock()
        self.postings: dict[str, set[int]] = defaultdict(set)
        for i, text in enumerate(texts):
            for bg in _bigrams(text):
                self.postings[bg].add(i)

    def matching(self, terms: tuple[str, ...]) -> list:
        found: set[int] = set()
        for t in terms:
            forms = [f.lower() for f in synonyms_of(t)] + ([t[:2].lower()] if len(t) >= 4 else [])
            for f in forms:
                if len(f) < 2:
                    continue
                sets = [self.postings.get(f[i : i + 2], set()) for i in range(len(f) - 1)]
                found |= set.intersection(*sets)
        return [self.items[i] for i in sorted(found)]


def figure_candidates(figures: list[Figure]) -> Candidates:
    """Figures grouped by clause, indexed by the clause and the one before it."""
    by_clause: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        by_clause[(f.doc, f.lines, f.sentence, f.clause)].append(f)
    groups = list(by_clause.values())
    return Candidates(groups, [local_text(g[0]) for g in groups])


# A clause after the figures that says what was done to all of them (…14家、…12家，均予以关停取缔).
BACK_TO = re.compile(r"(?:均|都|全部|一律|并均|均已|全部已)")


def local_text(f: Figure) -> str:
    """The figure's clause with the one before it, and the one after it when the clause names nothing itself."""
    text = previous_clause(f.sentence, f.clause) + f.clause
    head = f.clause[: f.clause.find(f.raw)] if f.raw in f.clause else f.clause
    rest = f.clause[f.clause.find(f.raw) + len(f.raw) :] if f.raw in f.clause else ""
    after = next_clause(f.sentence, f.clause)
    if (BARE_CLAUSE.fullmatch(head) and not re.search(r"[\u4e00-\u9fff]", rest)) or BACK_TO.match(after):
        text += after
    return text


def row_candidates(rows: dict[tuple, list[TableRecord]]) -> Candidates:
    """Table rows indexed by everything the row scoring looks at."""
    groups = list(rows.values())
    texts = [
        " ".join([g[0].indicator, g[0].context, g[0].table, " ".join(g[0].section)] + [r.column for r in g])
        for g in groups
    ]
    return Candidates(groups, texts)


@dataclass
class RowMatch:
    """A table row matched to a question."""

    score: float
    records: list[TableRecord]
    found: set[str] = field(default_factory=set)

    @property
    def indicator(self) -> str:
        return self.records[0].indicator


@dataclass
class FigureMatch:
    """A prose clause matched to a question, with the figures it holds."""

    score: float
    figures: list[Figure]
    found: set[str] = field(default_factory=set)


def _year_ok(query: Query, text: str) -> float:
    """Multiplier for how well a sentence's years fit the years asked."""
    if not query.years:
        return 1.0
    named = years_in(text)  # years after 较/比 are comparison bases and do not count
    if any(str(y) in named for y in query.years):
        return 1.05
    return 0.35 if named else 0.8


def unit_fit(query: Query, unit: str) -> float:
    """How well a figure's unit fits the measure asked: 1.1 the same, 0.45 another, 1.0 when none is asked."""
    if not query.units or (not unit and "%" in query.units):
        return 1.0  # a rate may be printed as a bare ratio (死亡率为0.0012)
    # A figure counted in another measure word is not the figure asked for (229个网格 is not a count of 名).
    return 1.1 if base_unit(unit) in query.units or unit in query.units else 0.45


def asked_unit(query: Query, unit: str) -> bool:
    """The figure is counted in the very measure word asked (户 for 多少户), not one taken for it (个)."""
    return bool(query.units) and query.units[0] in (unit, base_unit(unit))


def rows_of(records: list[TableRecord]) -> dict[tuple, list[TableRecord]]:
    """Group cell records by their table row."""
    rows: dict[tuple, list[TableRecord]] = defaultdict(list)
    for r in records:
        rows[(r.doc, r.table, r.row, r.lines)].append(r)
    return rows


@lru_cache(maxsize=16384)
def indicator_terms(indicator: str) -> tuple[str, ...]:
    """Content terms of an indicator name, without its direction word (下降/降至)."""
    return content_terms(re.sub(r"(下降|降至)$", "", indicator))


def indicator_precision(indicator: str, question: str, stats: TermStats) -> float:
    """IDF-weighted share of the indicator's terms that the question names.

    A term the question names only in part counts by the share of its character bigrams the question
    holds: the tokenizer knows whole indicator names as words, and "事故" names a part of "事故起数"."""
    terms = indicator_terms(indicator)
    total = sum(stats.idf(t) for t in terms) or 1.0
    asked = _bigrams(question)
    hit = 0.0
    for t in terms:
        if present(t, question):
            hit += stats.idf(t)
        elif len(t) >= 3:
            # Named from its start by a word of three characters and more (净水厂 for 净水厂设施); a two-character
            # start names it by its share only (化工 is half of 化工园区).
            grams = {t[i : i + 2] for i in range(len(t) - 1)}
            start = max((k for k in range(2, len(t)) if t[:k] in question), default=0)
            named = 1.0 if start >= 3 else start / len(t)
            hit += stats.idf(t) * max(named, len(grams & asked) / len(grams))
    return hit / total


def match_rows(query: Query, rows, stats: TermStats, terms=None, constrain: bool = True) -> list[RowMatch]:
    """Table rows ranked by how well their indicator carries the question."""
    terms = terms if terms is not None else query.terms
    specific = specific_terms(terms, stats)
    if not isinstance(rows, Candidates):
        rows = row_candidates(rows)
    out = []
    for recs in rows.matching(terms):
        r0 = recs[0]
        if query.docs and r0.doc not in query.docs:
            continue
        context_path = r0.context.split("：", 1)[-1].split("；", 1)[0]
        cell_text = " ".join(r.raw for r in recs if r.value is None and len(r.raw) > 4)
        layers = [
            (r0.indicator, 1.0),
            (context_path, 0.85),
            (cell_text, 0.8),
            (r0.table, 0.7),
            (" ".join(r.column for r in recs), 0.6),
            (" ".join(r0.section), 0.45),
        ]
        cov, found = coverage(terms, layers, stats)
        cov *= _lacking(specific, found, " ".join(text for text, _ in layers))
        precision = indicator_precision(r0.indicator, query.text, stats)
        score = 0.75 * cov + 0.25 * precision
        ind_terms = indicator_terms(r0.indicator)
        head = re.sub(r"(下降|降至)$", "", r0.indicator)[-2:]
        # A measure word asked names the head too: 多少起 asks for a 起数, 几人 for a 人数.
        head_asked = head in query.text or (bool(set(implied_units(head)) & set(query.units)) and found >= set(terms))
        if len(found) <= 1 and ind_terms and not present(ind_terms[-1], query.text) and not head_asked:
            # The question names only a modifier of the indicator ("地区生产总值" of "亿元地区生产总值…死亡率").
            score *= 0.6
        # Every row has a % change column, so % speaks for a row only when a share is asked.
        units = {base_unit(r.unit) for r in recs if r.unit} - {""}
        units = units if "%" in query.units else units - {"%"}
        if query.units and units:
            score *= max(unit_fit(query, u) for u in units)
        elif query.units and implied_units(r0.indicator):
            # Cells printed bare (0, 17) count what the indicator's name says: 死亡人数 counts 人, not 起.
            score *= min(1.0, max(unit_fit(query, base_unit(u)) for u in implied_units(r0.indicator)))
        if constrain and row_conflict(query, r0):
            continue
        out.append(RowMatch(score, recs, found))
    return sorted(out, key=lambda m: -m.score)


MONEY_NOUN = re.compile(f"(?:{any_of('money', 'nouns').pattern})$")
EXCLUDED_KEPT = 0.4  # score kept by a clause about the part a question leaves out (不算…那部分)
SERIES_BOOST = 1.4  # the sentence next to a figure the question quotes, against one further on
NEAR_BOOST = 1.2  # a part of a message asked right after another is most likely about the same paragraph
MEMO_SIZE = 64  # questions whose clause scores are kept (a compound question's asks and readings)
SHORTLIST = 400  # clauses scored in full, of those whose own words carry the question best
STOCK_LEVEL = 1.1  # a stock asked (还剩几家) is printed as a level (数量降至99家), not as a count of a task done
LEVEL_SAID = re.compile(rf"(?:{LEVEL_BEFORE.pattern})|(?:数量|总数|总量)(?:为|是|达|达到)?$")


def match_figures(
    query: Query,
    figures,
    stats: TermStats,
    terms=None,
    year=None,
    constrain: bool = True,
    lead: bool = False,
    ruled_out: list[FigureMatch] | None = None,
    top: int | None = None,
    with_sentence: bool = False,
) -> list[FigureMatch]:
    """Prose clauses holding figures, ranked by how well they carry the question; lead: for the figure that
    answers it (not an input of arithmetic); ruled_out, if given, receives the clauses the constraints
    removed, scored as if unconstrained (at least those scoring above the top kept); top: only the best top
    are wanted; with_sentence: after them, the other clauses of the best one's sentence, in their order."""
    # A place asked is a constraint (checked against the figure's text), not the topic: a clause naming
    # 高新区 in passing is no better a match for 高新区的应急避难场所.
    terms = terms if terms is not None else (tuple(t for t in query.terms if t not in query.places) or query.terms)
    if not isinstance(figures, Candidates):
        figures = figure_candidates(figures)
    # The figures the question quotes set the scene of the figure that answers it (lead) only.
    anchors = _anchors(query, figures) if lead else {}
    key = (query, terms, tuple(anchors), id(stats))
    clauses = figures.memo.get(key)
    if clauses is None:
        clauses = _scored_figures(query, figures, stats, terms, anchors)
        with figures.lock:  # the app answers in several threads
            if len(figures.memo) >= MEMO_SIZE:
                figures.memo.pop(next(iter(figures.memo)))
            figures.memo[key] = clauses
    scored: list[tuple] = []  # (score before the constraints, shortlist order, cov × mult, figures, found)
    for order, (cov, figs, found) in enumerate(clauses):
        sentence = figs[0].sentence
        if year is not None:
            mult = 1.05 if str(year) in years_in(sentence) else 0.3
        else:
            mult = _year_ok(query, sentence)
        scored.append((cov * mult * max(unit_fit(query, f.unit) for f in figs), order, cov * mult, figs, found))
    return _constrained(query, scored, constrain, lead, ruled_out, top, with_sentence)


def _scored_figures(query: Query, figures: Candidates, stats: TermStats, terms: tuple[str, ...], anchors: dict) -> list:
    """(score but for the year, figures, found) of each clause carrying the question, in shortlist order;
    anchors: the paragraphs of figures the question quotes (_anchors)."""
    specific = specific_terms(terms, stats)
    # The clause and the one before it (which often holds the subject) must carry the question, not just
    # the sentence around it: a long sentence mentions many things. That cheap test also shortlists.
    shortlist = []
    for figs in figures.matching(terms):
        f0 = figs[0]
        if query.docs and f0.doc not in query.docs:
            continue
        local = local_text(f0)
        local_cov, found = coverage(terms, [(local, 1.0)], stats)
        if local_cov > 0:
            shortlist.append((local_cov, found, local, figs))
    shortlist.sort(key=lambda x: -x[0])
    # What the question counts (几家单位) names a figure followed by it (21家单位) as well as its terms do.
    # Money asked by a verb only (<verb>了多少万): no money noun of the question's own (产值, 保费) to name.
    money = money_asked(query) and not any(MONEY_NOUN.search(t) for t in terms)
    named_by = terms + tuple(n for n in counted_nouns(query.text) if re.fullmatch(r"[\u4e00-\u9fff]{2}", n))
    sectors = asked(query).sectors
    known = [t for t in terms if stats.idf(t) > 0]
    rarest = max(known, key=stats.idf) if known else ""  # the question's rarest printed word
    asked_of = _asked_of(query, terms, stats)
    stock = bool(STOCK_ASKED.search(query.original)) and not REMOVED.search(query.original)
    scored: list[tuple] = []
    for local_cov, found, local, figs in shortlist[:SHORTLIST]:
        f0 = figs[0]
        if anchors and (f0.doc, f0.lines) not in anchors:
            continue  # the question quotes a figure of another paragraph: that paragraph is its scene
        # A sector the paragraph named before the sentence (卫健系统…。2022年开展自查…) is the scene of its
        # figures; its other words are not.
        scene = " ".join(s for s in sectors if any(form in f0.earlier for form in synonyms_of(s)))
        # A particular thing the sentence before names (…“四统一”水路危化品运输监管机制。…实船检查率达45%) is not
        # missing from the figure; it adds no weight, though: the words of the figure's own sentence decide.
        before = last_sentence(f0.earlier)
        quoted = anchors.get((f0.doc, f0.lines), set())
        # The sentence next to the one the question quotes (2021年…检查文体旅单位4017家次。2022年…落实安全检查
        # 13574家次。) goes on with its series: the quoted sentence's words are its scene too.
        # Only when the question quotes one year's figure and asks another's, which that sentence prints.
        own_years = {y for y in query.years if str(y) in years_in(f0.sentence)}
        series = [
            s
            for s in quoted
            if s != f0.sentence
            and (s == before or f0.sentence in anchors.get(("before", f0.doc, f0.lines), ()))
            and any(str(y) not in years_in(s) for y in own_years)
        ]
        # A sentence opening with its year or a word that goes on (完成…, 对…进行立案处罚) has no subject of its
        # own, nor has one opening with a verb whose clause holds the question's rarest word: each goes on about
        # the topic of the sentence before, whose words then count as its scene.
        chained = opens_without_subject(f0.sentence) or (
            bool(rarest) and present(rarest, local) and _opens_with_own_verb(f0.sentence)
        )
        topic = before if chained else ""
        ctx_cov, ctx_found = coverage(
            terms,
            [(local, 1.0), (f0.sentence, 0.85), (" ".join(series), 0.85), (f0.lead, 0.6), (scene, 0.5)]
            + [(" ".join(f0.section), 0.5), (topic, TOPIC_WEIGHT)],
            stats,
        )
        if ctx_cov <= 0 or local_cov <= 0:
            continue
        if series:
            local_cov = max(local_cov, coverage(terms, [(local, 1.0), (" ".join(series), 0.85)], stats)[0])
        cov = ctx_cov * (0.7 + 0.3 * local_cov)
        cov *= _lacking(specific, found | ctx_found, f"{scene} {f0.sentence} {f0.lead} {' '.join(f0.section)} {before}")
        # A sum of money asked by its verb is named by a figure in 元 as a count (几家) is by one in 家.
        # Only a figure in a measure the question asks can be the one it names (立案228起 for 几起, not 罚款…元).
        counted = [f for f in figs if unit_fit(query, f.unit) >= 1] or figs
        if not any(names_the_figure(named_by, f) or (money and base_unit(f.unit) == "元") for f in counted):
            cov *= 0.5
        if asked_of and present(asked_of, f0.sentence) and not present(asked_of, local):
            # "…<rare word>多少": of a sentence's figures, the one printed with the word asked of (卸驳载1.66万吨),
            # not one whose clause only shares the scene's words (24小时联合固定治超).
            cov *= ASKED_OF_ELSEWHERE
        if query.excluded and all(present(t, f0.sentence) for t in query.excluded):
            # The sentence names the part the question leaves out (第三方…安全检查), every word of it.
            cov *= EXCLUDED_KEPT
        mult = 1.0
        if query.near and (f0.doc, f0.lines) == query.near:
            mult *= NEAR_BOOST
        if series:
            mult *= SERIES_BOOST
        if stock and any(LEVEL_SAID.search(f.clause[: f.clause.find(f.raw)]) for f in figs):
            mult *= STOCK_LEVEL
        scored.append((cov * mult, figs, found))
    return scored


def _constrained(
    query: Query, scored: list, constrain: bool, lead: bool, ruled_out, top: int | None, with_sentence: bool = False
):
    """The scored clauses with the constraints applied, best first. With top, only the first top: the
    constraints (the costly part) are checked down the list only as far as a clause could still enter them,
    its score before them being a bound of its score after (a figure ruled out only lowers the best unit).
    With with_sentence, the rest of the list is checked only for clauses of the best one's sentence."""
    # (score, (not in the measure asked, shortlist order), match): of two clauses scoring the same, the one
    # counted in the measure word asked (3.5万户 for 多少户, not 131个) comes first.
    out: list[tuple[float, tuple[bool, int], FigureMatch]] = []
    best: list[float] = []  # a min-heap of the top scores kept so far
    sentence = None  # (doc, lines, sentence) of the best clause, once no later one can outscore it
    for bound, order, base, figs, found in sorted(scored, key=lambda s: (-s[0], s[1])):
        if top is not None and len(best) >= top and best[0] > bound:
            if not with_sentence:
                break
            if sentence is None:
                f0 = min(out, key=lambda x: (-x[0], x[1]))[2].figures[0]
                sentence = (f0.doc, f0.lines, f0.sentence)
            if (figs[0].doc, figs[0].lines, figs[0].sentence) != sentence:
                continue
        kept = figs
        if constrain and lead:
            # A figure of the clause the question rules out (the 126个 it quotes itself) leaves the others to answer.
            kept = [f for f in figs if not figure_conflict(query, f, lead)]
        elif constrain and all(figure_conflict(query, f, lead) for f in figs):
            kept = []
        if not kept:
            if ruled_out is not None:
                ruled_out.append(FigureMatch(bound, figs, found))
            continue
        score = base * max(unit_fit(query, f.unit) for f in kept)
        out.append((score, (not any(asked_unit(query, f.unit) for f in kept), order), FigureMatch(score, kept, found)))
        if sentence is not None:
            continue  # below the top: kept for the sentence only
        if top is not None:
            heapq.heappush(best, score)
            if len(best) > top:
                heapq.heappop(best)
    out.sort(key=lambda x: (-x[0], x[1]))
    return [m for _, _, m in out] if with_sentence else [m for _, _, m in out[:top]]


@lru_cache(maxsize=4096)
def opens_without_subject(sentence: str) -> bool:
    """The sentence opens with its year (2021年共推送…) or with a word that goes on from the sentence before
    (完成…, 对…进行立案处罚, 截至…): its subject is the topic of that sentence. A sentence opening with a verb of
    its own (制定《…》, 建设…平台) starts a new activity, as most sentences of a report do."""
    # The year test first: tagging is the slow part, and most sentences do not open with a year.
    if re.match(r"(?:19|20)\d{2}年", sentence) and (tags := pos_tags(sentence[:12])) and tags[0][1] in ("m", "t"):
        return True
    return bool(GOES_ON.match(sentence))


@lru_cache(maxsize=4096)
def _opens_with_own_verb(sentence: str) -> bool:
    """The sentence opens with a verb of its own (接受…报告…，实船检查率达45%), not one issuing a document: when
    its clause holds the question's rarest word, the sentence before may still set its scene."""
    tags = pos_tags(sentence[:6])
    return bool(tags) and tags[0][1][0] == "v" and not sentence.startswith(NEW_ACTIVITY)


def _anchors(query: Query, figures: Candidates) -> dict[tuple, set[str]]:
    """The paragraphs of the figures a question quotes as printed (那<N><unit><thing>，<its measure>多少),
    each with the sentences quoting them; under ("before", doc, lines), the sentences just before those."""
    given = {n for n in given_numbers(query.original) if len(n.replace(".", "")) >= 3}
    if not given:
        return {}
    out: dict[tuple, set[str]] = defaultdict(set)
    for group in figures.items:
        for f in group:
            if f.unit and f.raw in query.original and number_of(f.raw) in given:
                out[(f.doc, f.lines)].add(f.sentence)
                out[("before", f.doc, f.lines)].add(last_sentence(f.earlier))
    return out


def words_before(f: Figure) -> str:
    """The figure's subject without asides and the verb that leads to the number (…创建率达 -> …创建率)."""
    return re.sub(
        r"(为|是|达|达到|约|共|共计|累计|超|超过|至|降至|下降至|下降到|降到|提高至|增至|了)+$",
        "",
        ASIDE.sub("", f.subject),
    )


def names_the_figure(terms: tuple[str, ...], f: Figure) -> bool:
    """A question term names what the figure counts: it ends the words before it or follows its unit."""
    before = re.split(r"[，。；：、,]", words_before(f))[-1]
    start = f.clause.find(f.raw)
    after = f.clause[start + len(f.raw) : start + len(f.raw) + 10] if start >= 0 else ""
    if start >= 0 and BARE_CLAUSE.fullmatch(f.clause[:start]) and not re.search(r"[\u4e00-\u9fff]", after):
        # Only a verb and the figure (2022年拨付26万元，更新补社会组织队伍的…): the next clause says what it is for.
        after = next_clause(f.sentence, f.clause)[:10]
    for t in terms:
        for form in synonyms_of(t):
            if (
                before.endswith(form)
                or (before and form in before[-len(form) - 6 :])
                or after.startswith(form)
                or (form in after[:8])
            ):
                return True
    return False


def names_right_before(term: str, f: Figure) -> bool:
    """The term, or a synonym, is what the clause says just before the figure (…企业10723家, …率达90%)."""
    before = words_before(f).lower()
    return any(before.endswith(form.lower()) for form in synonyms_of(term))


def pick_columns(query: Query, records: list[TableRecord], year=None) -> tuple[list[TableRecord], str]:
    """The cells of a row the question asks for; '' or a note saying what the row lacks."""
    years = [year] if year else list(query.years)
    measures = list(query.measures)
    if not measures and not years:
        # A bare indicator name: its latest actual figure first, with that year's change, then the rest.
        latest = max((r.year for r in records if r.measure in ("actual", "count") and r.year and r.raw), default=None)
        first = [r for r in records if latest and r.year == latest and r.measure in ("actual", "change")]
        return first + [r for r in records if r.raw and r not in first], ""
    chosen: list[TableRecord] = []
    note = ""
    row_years = sorted({r.year for r in records if r.year})
    if years:
        for y in years:
            if measures == ["target"]:
                break  # a target has no year: the year belongs to another part of the question
            cells = [
                r
                for r in records
                if r.year == y
                and (
                    not measures
                    or r.measure in measures
                    or (r.measure in ("actual", "base") and "target" not in measures)
                )
            ]
            if not cells:
                kinds = "、".join(f"{ry}年" for ry in row_years)
                note = f"表中该指标只有{kinds}的数据，没有{y}年的数据" if row_years else f"表中没有{y}年的数据"
                return [], note
            if not measures or measures == ["actual"]:
                # The year's actual figure, with the change the table prints beside it.
                cells = [r for r in cells if r.measure in ("actual", "base", "change")] or cells
            # The column asked leads (相对基数降了百分之几: the change, then the figure it is of).
            cells.sort(key=lambda r: bool(measures) and r.measure not in measures)
            chosen.extend(cells)
        chosen.extend(r for r in records if r.measure == "target" and "target" in measures and r not in chosen)
    else:
        chosen = [r for r in records if r.measure in measures or (r.measure == "count" and "actual" in measures)]
        if "change" in measures:
            chosen = [r for r in records if r.measure in measures or r.measure == "actual"]
        if not chosen:
            chosen = [r for r in records if r.raw]
    return chosen, note


def format_number(value: float) -> str:
    """A computed number without trailing zeros: 0.40 -> 0.4, 50.00 -> 50."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimals(raw: str) -> int:
    m = re.search(r"\.(\d+)", raw)
    return len(m.group(1)) if m else 0
