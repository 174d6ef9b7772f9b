"""Question -> what is asked: content terms, years, column (measure), unit, operation; follow-ups.

The synonym table is about the language of the domain (how staff say what the report writes), and is
meant to be read and extended by people: colloquial phrasing on the left, the report's words on the right.
"""

from __future__ import annotations

import re
import unicodedata
from collections import ChainMap
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
import zhconv

from .figures import UNITS as MEASURE_UNITS
from .keyword import base_tokenizer
from .lexicon import LEXICON, any_of

REPORT_YEAR = 2023  # fallback when a document does not print its own date

# The word lists are data (qa/lexicon.toml); here they are only given the shapes the code uses.
REWRITES: tuple[tuple[str, str], ...] = tuple((p, r) for p, r in LEXICON["rewrites"]["rules"])
# The last word of a compound shortened to one character (民生保险 -> 民生险, 责任保险 -> 责任险).
ABBREVIATED: dict[str, str] = dict(LEXICON["synonyms"]["abbreviated"])
SYNONYMS: tuple[tuple[str, ...], ...] = tuple(tuple(g) for g in LEXICON["synonyms"]["groups"])
DOMAIN_WORDS = tuple(LEXICON["tokenizer"]["domain_words"])
STOPWORDS = set(LEXICON["stopwords"]["words"].split())
# Words that ask for arithmetic say how to combine figures, not which figures: they are not content.
STOPWORDS |= {
    w for op in ("sum", "more", "pct", "diff", "gap", "reach", "all_years") for w in LEXICON["operations"][op]
}
STOPWORDS |= set(LEXICON["asks"]["place_words"]) | set(LEXICON["asks"]["new_topic"])
# Column words say which cell of a row is asked, not which row ("要求" of 规划要求).
STOPWORDS |= {w for col in ("target", "base", "change") for w in LEXICON["columns"][col]}
UNIT_WORDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in LEXICON["units"].items()}
INTENTS: dict[str, str] = LEXICON["intents"]
# The measure words after a count a question quotes (17起, 2537家): asks and arithmetic read quoted counts by them.
COUNT_MEASURE = "家次|人次|[个家起条人名次项处座支件户所套部张元吨亩种艘辆批轮场期%]"
ASK_UNIT = re.compile(
    r"(?:多少|几)(?:[万亿千]余?)?(钱|人次|人户|家次|场次|艘次|辆次|批次|公里|分钟|小时|个月|平方米|平米|平方|平|分(?!之)|[人名家起条次场个项处栋座艘辆支件台份户期篇轮所套部张元吨米亩本种天])"
    # a second measure offered (多少条/期): either may be printed
    r"(?:[/／或]([条期次份篇个件项家户人]))?"
)


NOT_BASE = re.compile(
    r"[（(]?不(?:是|要)?(?:跟|和|与|同|比|较|对比)(?:(?:19|20)\d{2}|\d{2})年?(?:比|相比|的)?(?:那个|基数)?[）)]?"
)


def counted_nouns(text: str) -> tuple[str, ...]:
    """The nouns right after a measure word asked (几家单位 -> 单位, 多少条隐患 -> 隐患): what is counted."""
    return tuple(text[m.end() : m.end() + 2] for m in ASK_UNIT.finditer(text) if len(text) >= m.end() + 2)


MEASURE_WORDS = tuple((m, tuple(LEXICON["columns"][m])) for m in ("target", "base", "change", "actual"))
COMPARE = re.compile(INTENTS["compare"])
SECTION = re.compile(INTENTS["section"])
WHAT = re.compile(INTENTS["what"])
COUNT = re.compile(INTENTS["count"])
FIGURE = re.compile(INTENTS["figure"])
WHO = re.compile(INTENTS["who"])
# A remembered figure put up to be checked ("权重是不是10%？", "是200多家吧"): the printed figure answers it.
VERIFY = re.compile(r"是不是|对不对|对吗|没错吧|是吗|[吧吗][?？]?$")
CHANGE = re.compile(INTENTS["change"])
EACH_ASKED = re.compile(INTENTS["each"])
NOT_VS_BASE = re.compile(INTENTS["not_vs_base"])
PLACE_ASK = any_of("asks", "place_words")
REPORT_PARTS = any_of("asks", "report_parts")
OWN_PLACES = tuple(LEXICON["own_places"]["words"])
NOT_PLACES = tuple(LEXICON["own_places"]["not_places"])
# A year as a question writes it ("2022年", "2022年底", "22年"); relative years are read against the report's date.
YEAR_TEXT = re.compile(r"(?:19|20)\d{2}\s*年(?:度|底|末|初)?|(?<!\d)\d{2}年")
RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "当年": 0}


@dataclass(frozen=True)
class Query:
    """A question as understood: what to look for and how to answer."""

    original: str
    text: str  # normalised and rewritten
    terms: tuple[str, ...]  # content terms
    years: tuple[int, ...]  # target years, in the order asked
    base_years: tuple[int, ...]  # years compared against ("比2020年")
    year_note: str  # how a relative year was read, e.g. "去年 → 2022年"
    measures: tuple[str, ...]
    units: tuple[str, ...]
    intent: str  # figure | compare | section | place | passage | who
    places: tuple[str, ...]  # places other than the report's own city
    parts: tuple[str, ...] = ()  # sub-questions split at 和/与 for comparisons
    docs: tuple[str, ...] = ()  # documents the question names by their title; () = all
    unknown: tuple[str, ...] = ()  # terms no indexed document prints (left out of the scoring)
    excluded: tuple[str, ...] = ()  # terms of a part the question leaves out (不算第三方检查那部分)
    near: tuple = ()  # (doc, lines) of the paragraph that answered the ask before this one, if any
    base_year: int | None = None  # the tables' 基数 year: the year before the period the report covers
    latest_years: tuple[tuple[str, int], ...] = ()  # (document, the latest year its tables give actual figures for)


def normalise(text: str) -> str:
    """NFKC (full-width digits), traditional -> simplified, trimmed, control characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return zhconv.convert(text, "zh-cn").strip()


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    """jieba with the lexicon's words, on top of the keyword index's own dictionary: one copy of jieba's
    350,000 words (~70 MB) serves both, and the keyword tokenizer stays as the index was built with."""
    base = base_tokenizer()
    tok = jieba.Tokenizer()
    tok.FREQ = ChainMap({}, base.FREQ)  # words added here go to the first map only
    tok.total = base.total
    tok.initialized = True
    for group in SYNONYMS:
        for word in group:
            tok.add_word(word, freq=2000)
    for word in DOMAIN_WORDS:
        tok.add_word(word, freq=2000)
    return tok


@lru_cache(maxsize=1)
def _pos() -> jieba.posseg.POSTokenizer:
    """Part-of-speech tagging on the same tokenizer, so jieba's dictionary is loaded once."""
    return jieba.posseg.POSTokenizer(_jieba())


# A counting noun names its measure word: "起数" asks for 起, "金额" for 元.
IMPLIED_UNITS = {
    "次数": ("次",),
    "人数": ("人", "名"),
    "家数": ("家",),
    # households, or enterprises counted as 户; not the 个 of the estates they live in
    "户数": ("户", "家"),
    "起数": ("起",),
    "金额": ("元",),
    "总额": ("元",),
    "预算": ("元",),
    "经费": ("元",),
    "面积": ("平方米", "亩"),
    "长度": ("公里", "km", "米"),
}
IMPLIED = re.compile("(" + "|".join(IMPLIED_UNITS) + ")")


# Verbs of attending: a count of people who did them may be printed in 人次.
ATTENDED = "看过|观看|参加|参训|培训|受训|受教育|参与|听过|接受"
# "…检查率是多少": a rate is a percentage or a bare ratio, never a count (797艘次 is not 实船检查率).
# Percentage points said short (提高了几个点): 点 alone, not a word of its own (点位, 点多).
# A count of places checked (<check verb>了多少个点) is no percentage: a verb of checking or setting up before it.
POINTS = re.compile(r"点(?![\u4e00-\u9fff])")
POINTS_ASKED = re.compile(r"(?<!查了)(?<!查)(?<!设了)(?<!建了)(?<!走访了)(?:多少|几)个?点(?![\u4e00-\u9fff])")
RATE_ASKED = re.compile(r"率(?:是|为|有|达|达到|能达到|大概|大约|算下来|算起来|算出来)?(?:是|为)?(?:多少|几)")


def implied_units(text: str) -> tuple[str, ...]:
    """The measure words the first counting noun of a text implies (…起数 → 起), or ()."""
    m = IMPLIED.search(text)
    return IMPLIED_UNITS[m.group(1)] if m else ()


# Tags of words that name nothing: verbs, adverbs, adjectives, function words, numbers, times.
NOT_NAMES = {
    "v",
    "vd",
    "vg",
    "d",
    "a",
    "ad",
    "ag",
    "r",
    "p",
    "c",
    "u",
    "uj",
    "ul",
    "m",
    "q",
    "y",
    "e",
    "o",
    "f",
    "t",
    "zg",
}


@lru_cache(maxsize=16384)
def term_tags(term: str) -> tuple[str, ...]:
    """The part-of-speech tags of one term's words (cached: every figure question tags its terms)."""
    return tuple(f for _, f in _pos().lcut(term))


def is_noun(term: str) -> bool:
    """A term with a noun in it (tag n…)."""
    return any(f[:1] == "n" for f in term_tags(term))


def names_something(term: str) -> bool:
    """Anything but a verb, adverb, adjective or function word names something (刑事责任 is tagged l)."""
    return any(f not in NOT_NAMES for f in term_tags(term))


def pos_tags(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs from the shared tokenizer."""
    return [(w, f) for w, f in _pos().lcut(text)]


def add_words(words: list[str]) -> None:
    """Teach the tokenizer the report's own terms (table indicators, headings)."""
    tok = _jieba()
    for w in words:
        if 2 <= len(w) <= 12:
            tok.add_word(w, freq=500, tag="nz")  # the names of table rows and headings: nouns


def is_word(term: str) -> bool:
    """The tokenizer's dictionary holds the term (南京市 is a word; 定捡率, a typo, is not)."""
    return bool(_jieba().FREQ.get(term))


def word_frequency(term: str) -> int:
    """How often jieba's dictionary says the word occurs (0 for a word it lacks)."""
    return int(_jieba().FREQ.get(term) or 0)


def tokenize(text: str) -> list[str]:
    """jieba tokens, lower-cased, without punctuation."""
    return [t.lower() for t in _jieba().lcut(text) if t.strip() and re.search(r"[\w\u4e00-\u9fff]", t)]


@lru_cache(maxsize=4096)
def synonyms_of(term: str) -> tuple[str, ...]:
    """The term and every word of its synonym group."""
    low = term.lower()
    for group in SYNONYMS:
        if low in (g.lower() for g in group):
            return group
    for full, short in ABBREVIATED.items():
        if low.endswith(full) and len(low) > len(full):
            return (term, term[: -len(full)] + short)  # 民生保险 is also written 民生险
    return (term,)


def _join_runs(tokens: list[str]) -> list[str]:
    """Three or more single characters in a row are one word the tokenizer did not know (a typo: 定捡率)."""
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        single = len(t) == 1 and "\u4e00" <= t <= "\u9fff" and t not in STOPWORDS and t not in MEASURE_UNITS
        if single:
            run.append(t)
            continue
        out.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if t:
            out.append(t)
    return out


# A bound on a number ("20%以上", "多少起以下", "控制在") says which side of it, not what is counted; 以上 of a
# name (较大及以上事故, 规模以上) follows no number and stays.
BOUND = re.compile(r"([\d%]|多少|几)([\u4e00-\u9fff]{0,2}?)(?:以上|以下|以内)|控制在")


# A table named by its number (就表2-1那个, 见表3): which table, not words its rows print.
TABLE_REF = re.compile(r"(?:就是|就|即|见|在|按)?表\s*\d+(?:[-—－.]\d+)?")


def content_terms(text: str) -> tuple[str, ...]:
    """Terms that carry meaning: no stopwords, years, bare numbers, units or single characters."""
    out = []
    text = TABLE_REF.sub(" ", text)
    for t in _join_runs(tokenize(BOUND.sub(lambda m: f"{m.group(1) or ''}{m.group(2) or ''} ", text))):
        t = re.sub(r"了$", "", t)
        if len(t) >= 3:
            t = re.sub(r"是$", "", t)  # jieba glues a trailing 是/了 onto some words ("数是", "发了")
        if re.sub(r"^[万亿千]?[余多]?", "", t) in MEASURE_UNITS:
            continue
        if (
            not t
            or t in STOPWORDS
            or re.match(r"^(几|多少)", t)
            or re.fullmatch(r"[一二两三四五六七八九十]+大", t)  # 六大重点工程: "six major", a count, not a name
            or re.fullmatch(r"\d+(\.\d+)?%?|(19|20)\d{2}年?|\d+年", t)
        ):
            continue
        if len(t) == 1 and re.match(r"[\u4e00-\u9fff]", t):
            continue
        if t not in out:
            out.append(t)
    return tuple(out)


GAZETTEER = tuple(sorted(LEXICON["gazetteer"]["names"], key=len, reverse=True))
# 各镇/每镇/全镇 are all towns, or the town of the speaker: no particular one; nor is a name holding a
# counting word or another 镇 (平均到11个区镇每个镇).
TOWN = re.compile(r"(?:(?![每各个镇])[\u4e00-\u9fff]){1,2}[^城乡区村集市各每全本该些哪年个\W](?:镇|街道)(?!区|[（(]区)")


def find_places(text: str) -> tuple[str, ...]:
    """Places a question names: jieba's place tags, town names (…镇/街道) and the regional gazetteer."""
    # jieba tags some common nouns as places (长度); a place tag counts only on a word that is not a stopword.
    found = [w for w, f in pos_tags(text) if f == "ns" and len(w) >= 2 and (w not in STOPWORDS or w[-1] in "市县省镇")]
    found += [m.group(0) for m in TOWN.finditer(text)]
    found += [g for g in GAZETTEER if g in text]
    out: list[str] = []
    for p in found:
        if any(o in p or p in o for o in OWN_PLACES) or p in NOT_PLACES:
            continue
        if not any(p in q or q in p for q in out):
            out.append(p)
    return tuple(out)


def rewrite(text: str) -> str:
    """Colloquial phrasing in the report's words (lexicon rewrites)."""
    for pattern, repl in REWRITES:
        text = re.sub(pattern, repl, text)
    return text


def read_years(text: str, report_year: int) -> tuple[list[int], list[int], str]:
    """Years asked about and years compared against; relative years are resolved against the report."""
    years, bases, notes = [], [], []
    # "2022年比上年": the year before the one named, not before the report's date.
    named = re.search(r"((?:19|20)\d{2}|(?<!\d)\d{2})\s*年.{0,12}?(?:比|较|相比)(上年|上一年|前一年)", text)
    if named:
        y = int(named.group(1))
        y = y + 2000 if y < 100 else y
        text = text[: named.start(2)] + f"{y - 1}年" + text[named.end(2) :]
    for word, offset in RELATIVE_YEARS.items():
        y = report_year + offset
        if word == "当年" and re.search(r"(?:(?:19|20)\d{2}|(?<!\d)\d{2})\s*年\S{0,3}当年", text):
            text = re.sub(r"(?<=年)(\S{0,3})当年", r"\1", text)  # "2022年当年" is 2022, not the report's year
            continue
        if word in text:
            notes.append(f"{word} → {y}年（按报告成文时间{report_year}年）")
            text = text.replace(word, f"{y}年")
    # A bare year counts beside 比/和/至 ("2022比2021"), where no figure would stand.
    text = re.sub(
        r"(?<![\d.])(20[0-4]\d)(?=\s*(?:比|较|和|与|至|到|相比|、|基数|的基数)|$)|(?<=[比较和与至到、])(20[0-4]\d)(?![\d.年万个%])",
        lambda m: (m.group(1) or m.group(2)) + "年",
        text,
    )
    # Two short years compared ("22比21增加几家"): no count is compared with a bare number this way.
    text = re.sub(
        r"(?<![\d.])(1[5-9]|2\d|3[0-5])(比|较)(1[5-9]|2\d|3[0-5])(?![\d.年万个%％家人起条名项次])", r"\1年\2\3年", text
    )
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2}|\d{2})\s*年(?:度)?", text):
        y = int(m.group(1))
        if y < 100:
            if not (10 <= y <= 40):
                continue
            y += 2000
        before = text[max(0, m.start() - 3) : m.start()]
        # 占比 is a share, not a comparison ("占比20年是多少" asks the share in 2020).
        if re.search(r"((?<!占)比|较|跟|与|和|相比|对比)$", before) and re.search(
            r"比|较|相比|变化|升|降|增|减", text[m.end() : m.end() + 8] + before
        ):
            bases.append(y)
        elif re.search(r"(按|以|相对于?)$", before) and re.match(
            r"(?:的数)?(?:算|计算|来算|为基|为准)", text[m.end() :]
        ):
            bases.append(y)  # "按21年算降幅": the year the change is measured from
        elif y not in years:
            years.append(y)
    return years, bases, "；".join(notes)


# Two years written as one ("21、22两年", "21-22年", "2021至2022年"): each year in full.
YEAR_LIST = re.compile(
    r"(?<![\d.])((?:19|20)\d{2}|1[5-9]|2\d)\s*(、|，|,|和|与|及|至|到|-|—|~|～)\s*"
    r"((?:19|20)\d{2}|1[5-9]|2\d)\s*(?:两|二|这两)?年(?!代)"
)


# Nouns that name people (…人员, …队员, …员), and how a count of them is asked (…一共有多少).
PERSON_NOUN = "人员|队员|员"
PEOPLE_ASK_TAIL = "(?:一共|总共|共|总|都)?有?(?:多少|几)"
# A person noun right before the question word, with no measure word after it (安全员有多少, 受伤的人有多少).
PEOPLE_COUNTED = re.compile(
    f"(?:{PERSON_NOUN}|的人){PEOPLE_ASK_TAIL}(?![\u4e00-\u9fff])|(?:多少|几)(?:名|位|个)?(?:{PERSON_NOUN})(?![\u4e00-\u9fff])"
)
# A part the question leaves out ("（不算第三方检查那部分）", "不含…的", "除去…"): its words are not asked.
EXCLUDED = re.compile(
    r"[（(]?(?:不算|不含|不包括|不包含|不计|除去|扣除|排除|(?<!是)不是|not (?:the ones? |the )?)([^，,。？?）)]{2,16}?)"
    r"(?:那部分|那块|部分|在内|的那个|的那些|那个|那些|的)?\s*(?=[）)，,。？?]|$)[）)]?"
)


def expand_year_lists(text: str) -> str:
    """'21、22两年合计' -> '21年、22年合计': each year of a list written with one 年 reads as a year."""
    # A span (2020至2022年) keeps its 至: it means every year between, which an average or a total needs.
    return YEAR_LIST.sub(
        lambda m: f"{m.group(1)}年{m.group(2) if m.group(2) in '至到-—~～' else '、'}{m.group(3)}年", text
    )


def understand(question: str, report_year: int = REPORT_YEAR, base_year: int | None = None) -> Query:
    """Read a question into a Query.

    base_year is the tables' 基数 year, so 比<base_year>年 asks for the change column."""
    text = expand_year_lists(normalise(question))
    # A base the asker rules out ("（不是跟2020比）") is not compared with.
    years, bases, note = read_years(NOT_BASE.sub("", text), report_year)
    units: list[str] = []
    for m in ASK_UNIT.finditer(text):
        if text.startswith("百分点", m.end()) or (POINTS.match(text, m.end()) and POINTS_ASKED.search(text)):
            continue  # 多少个百分点 (几个点) asks for a difference of percentages, not a count
        # 几个人, 多少个平方: 个 is only the classifier of the measure after it, which is what is asked.
        named = re.match(r"人次|人|平方米|平米|平方", text[m.end() :]) if m.group(1) == "个" else None
        asked = named.group(0) if named else m.group(1)
        units.extend(u for u in UNIT_WORDS.get(asked, ()) if u not in units)
        if m.group(2):
            units.extend(u for u in UNIT_WORDS.get(m.group(2), ()) if u not in units)
    if re.search(r"(?:多少|几)(?:个)?亿(?![\u4e00-\u9fff])|(?:多少|几)亿(?:块|的)", text) and not units:
        units.append("元")  # 多少亿 alone asks a sum of money: in this domain nothing else is counted in 亿
    if re.search(r"多长|长度", text):
        units.extend(["公里", "km", "米"])
    if not units and PEOPLE_COUNTED.search(text):
        units.extend(["人", "名", "人次"])  # people are counted, not the teams they are in
    if (
        re.search(r"百分之|比例|占比|百分比|%|几成", text)
        or POINTS_ASKED.search(text)
        or (RATE_ASKED.search(text) and not units)
    ):
        units.append("%")
    rewritten = rewrite(text)
    if (
        re.search(
            r"处罚金额|金额|资金|罚款|罚金|钱|保费|费用|经费|赔款|(?:投资|投入|投了|花费|花了|花出去|花掉|支付|拨付|支出|开支|兑付|罚了?|赔了?|赔付)(?:了|出去|大概|大约|大致|约|一共|总共|总计|共计)?(?:是|为|有|共)?(?:多少|几)",
            rewritten,
        )
        and not units
    ):
        units.append("元")
    measures = []
    # The base compared with (相对基数降了…) names the change, not the base column.
    against_base = re.compile(r"(?:相对于?|比|较|跟|与|同|对比)基数")
    for measure, words in MEASURE_WORDS:
        if any(w in against_base.sub("", rewritten) for w in words):
            measures.append(measure)
    if (
        base_year
        and (re.search(rf"(?:比|较|跟|与|相比){base_year}年", rewritten) or against_base.search(rewritten))
        and "change" not in measures
    ):
        measures.append("change")
    if bases and "change" not in measures and all(b == base_year for b in bases) and not COMPARE.search(rewritten):
        measures.append("change")
    implied = implied_units(rewritten)
    units.extend(implied)
    if "人次" in units and not re.search(r"人次|" + ATTENDED, rewritten):
        units.remove("人次")  # 多少人 alone asks a headcount; only people who attended may be counted in 人次
    places = find_places(rewritten)
    vs_base = bases and all(b == base_year for b in bases) and len(years) <= 1 and not NOT_VS_BASE.search(rewritten)
    if PLACE_ASK.search(rewritten) and not REPORT_PARTS.search(rewritten):
        intent = "place"
    elif SECTION.search(rewritten):
        intent = "section"
    elif WHO.search(rewritten):
        intent = "who"  # 叫什么 asks a name, though 什么 would ask what was done
    elif WHAT.search(rewritten) and not COUNT.search(rewritten.split("哪")[0] if "哪" in rewritten else ""):
        intent = "passage"
    elif vs_base:
        intent = "figure"
        if "change" not in measures:
            measures.append("change")
    elif COMPARE.search(rewritten) or (
        len(years) >= 2 and CHANGE.search(rewritten) and not EACH_ASKED.search(rewritten)
    ):
        intent = "compare"
    elif (
        FIGURE.search(rewritten)
        or implied
        or (VERIFY.search(rewritten) and re.search(r"\d", YEAR_TEXT.sub("", rewritten)))
    ):
        intent = "figure"
    else:
        intent = "passage"
    excluded = [m.group(1) for m in EXCLUDED.finditer(rewritten)]
    year_free = YEAR_TEXT.sub(" ", EXCLUDED.sub(" ", rewritten))
    parts = (
        tuple(p for p in re.split(r"[和与跟及、]|以及", year_free) if content_terms(p)) if intent == "compare" else ()
    )
    units = list(dict.fromkeys(units))
    return Query(
        original=question,
        text=rewritten,
        terms=content_terms(year_free),
        years=tuple(years),
        base_years=tuple(bases),
        year_note=note,
        measures=tuple(measures),
        units=tuple(units),
        intent=intent,
        places=places,
        parts=parts,
        base_year=base_year,
        excluded=tuple(t for e in excluded for t in content_terms(e)),
    )


def is_followup(question: str) -> bool:
    """Short questions that lean on the previous turn: '那2021年呢？', '死亡人数呢？'."""
    q = normalise(question)
    return len(q) <= 20 and bool(re.search(r"呢[?？]?$|^(那|那么|还有|另外)", q))


def resolve_followup(question: str, history: list[str], report_year: int = REPORT_YEAR) -> str:
    """Fill a follow-up from the previous question: swap in its new year or its new subject."""
    if not history or not is_followup(question):
        return question
    prev = normalise(history[-1])
    q = re.sub(r"^(那么|那|还有|另外)|呢[?？]?$", "", normalise(question)).strip(" ，,")
    q_years, _, _ = read_years(q, report_year)
    q_terms = content_terms(re.sub(YEAR_TEXT.pattern + "|" + "|".join(RELATIVE_YEARS), " ", q))
    if q_years and not q_terms:
        resolved_prev = prev
        for word, offset in RELATIVE_YEARS.items():
            resolved_prev = resolved_prev.replace(word, f"{report_year + offset}年")
        new_year = q_years[0]
        p_years, _, _ = read_years(resolved_prev, report_year)
        if p_years:
            return re.sub(rf"{p_years[0]}\s*年|{str(p_years[0])[2:]}年", f"{new_year}年", resolved_prev, count=1)
        return f"{new_year}年{resolved_prev}"
    p_years, _, _ = read_years(prev, report_year)
    prefix = "".join(f"{y}年" for y in p_years if str(y) not in q)
    return f"{prefix}{q}" if prefix else q
