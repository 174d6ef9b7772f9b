"""Computed answers: sums, differences, change against the base year, percentage change, what remains,
target attainment. Inputs are looked up like any figure; arithmetic is done here, never by guessing.

The answer leads with the result, then the formula, then each input with its own citation. The words that
ask for each operation are data (lexicon.toml [operations]).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from . import lookup
from .constraints import LEVEL_BEFORE, given_numbers, number_of
from .figures import FIGURE, SCALE
from .lexicon import LEXICON, any_of
from .lookup import (
    base_unit,
    decimals,
    format_number,
    match_figures,
    match_rows,
    names_the_figure,
    words_before,
)
from .quote import figure_citation, list_item, row_citation
from .targets import fall_meets, is_cap, level_meets, read_target
from .types import Answer, Citation, Figure, TableRecord
from .understand import (
    ASK_UNIT,
    COUNT_MEASURE,
    RATE_ASKED,
    UNIT_WORDS,
    YEAR_TEXT,
    Query,
    content_terms,
    implied_units,
    understand,
)

OPS = tuple(
    (op, tuple(LEXICON["operations"][op] + (LEXICON["operations"]["excluding"] if op == "remain" else [])))
    for op in ("gap", "remain", "reach", "more", "times", "ratio", "mean", "sum", "pct", "diff")
)
ALL_YEARS = any_of("operations", "all_years")
JOINS = ("加上", "加", "+", "＋")  # sum words that stand between the items, not after them
TOTAL = re.compile(r"共|合计|总计|总数")
FOUND = any_of("operations", "found")
FIXED = any_of("operations", "fixed")
TO_WORDS = LEXICON["operations"]["to"]
PAIR_MIN = 0.3  # a clause this close may lead to a part and its whole, each then named by its own words
# "A占总B多少", "A占了B的多大比例": a share, however its question word is put.
SHARE = re.compile(
    r"占(?!地|用)[^，。？?]{0,20}?(?:多少|几成|比例|比重|百分之|百分比|多大)"
    r"|覆盖了?[^，。？?]{1,12}?的(?:多大|多少|几成|比例|比重|百分之|百分比)"
    r"|(?:相当于|是)[^，。？?]{1,12}?的(?:百分之几|百分之多少|几成|多少成)"
)
# "…率按A和B算", "按A除以B算": a rate from the two counts it divides, numerator first.
BY_INPUTS = re.compile(
    r"按(?:照)?([^，,。？?]{2,16}?)(?:和|与|除以|/|÷)([^，,。？?]{2,16}?)(?:来)?(?:精确|重新|实际)?(?:地)?(?:算|计算|核算)"
)
MEASURE_WORD = any_of("asks", "which_figure")
# Words that only stress a part or a whole (已经完成的, 全部…): they name no figure.
CHANGE_NAMED = re.compile(r"降幅|增幅|涨幅|跌幅|下降幅度|增长幅度")
# "<year>比<year>降幅多少" asks the change from the one year to the other, not two printed changes compared
# ("降幅22年比21年多了几个百分点").
CHANGE_BETWEEN = re.compile(r"年(?:比|较|相比)[^，,。？?]{0,4}?年(?:的)?(?:降幅|增幅|涨幅|跌幅|下降幅度|增长幅度)")
CHANGES_COMPARED = re.compile(r"百分点|多降|少降|多增|少增|相差|差了|差多少|差几|多了|少了")
# A change of one year over the year before (同比降幅, 相对前年的降幅): computed from the two years' values, not
# the table's changes against its base compared.
SAME_PERIOD_CHANGE = re.compile(r"同比|环比|(?:相对|相比|较)(?:于)?(?:前年|上年|上一年)的?(?:降幅|增幅|涨幅|跌幅)")
# "A和B哪个投资大": which of the items is larger by the measure named between (投资).
MORE_ASKED = re.compile(
    r"哪(?:个|一个|年|一年|家|项)([\u4e00-\u9fff]{1,4}?)(?:更)?(?:多|少|高|低|大|小)(?![\u4e00-\u9fff])"
)
TARGET_WORD = re.compile("|".join(LEXICON["columns"]["target"]))
# The figure set against the target by a word of comparison ("跟规划目标差多少", "比目标低多少",
# "离<15000的目标还有多大余量"): the gap to the target, whichever difference word follows.
AGAINST_TARGET = re.compile(
    r"(?:跟|和|与|比|离|距|距离)[^，。？；,?]{0,10}?(?:目标|上限)(?:值|数)?(?:为|是)?[\d.,]*[^，。？；,?]{0,4}?(?:差|低|高|少|多|还有|余量|超)"
)
FULL = re.compile(r"全部|全覆盖|百分之百|100%|满分")  # all of it: a rate's whole is 100%
FILLER = re.compile(r"已经|全部|所有|整个")
# A whole said only as "the total" (占总数的比例): the scene the part is in is the whole.
GENERIC_WHOLE = re.compile(r"^(?:全部|所有|整个|全市)?(?:的)?(?:总数|总量|总和|总体|总|全部|数量)?(?:的)?$")
SUM_OF_CHANGE = re.compile(r"(?:一共|总共|共)(?:少|多|减少|增加|下降|降低|降|上升|提高|增长)了?(?:多少|几)")
# "X年比Y年多<verb>了多少": a comparison whose 多/少 stands apart from its 多少.
THAN_MORE = re.compile(
    r"(?<!分)比(?![例重率较])[^，。？?]{0,16}?(多|少|高|低|增加|减少|提高|降低|下降|上升)[^，。？?]{0,8}?(?:多少|几)"
)
FROM_TO = any_of("operations", "to")
# A percentage change asked by its verb (压减了百分之几, 下降了多少%): the change of a quantity, not a rate printed.
# A change put in per cent (<fall verb>了百分之<n>, <cut verb>比例): the change over the earlier figure, not a share.
CHANGED_BY = re.compile(
    r"(?:减少|下降|降低|增长|增加|提高|提升|上升|缩减|压减|压降|减|降|增|涨|升)(?:了|掉了|低了)?(?:的)?"
    r"(?:百分之|多少%|几成|比例|百分比|幅度)"
)
# A count the question quotes with its measure word (2537家, 1944家), not a table's number (表2-1).
COUNT_SAID = re.compile(rf"(?<![\d.\-])\d+(?:\.\d+)?(?=[万亿千]?(?:公里|千米|平方米|km|米|{COUNT_MEASURE}))")
SHARE_WORD = re.compile(r"比例|比重|占比|百分之|百分比|几成")
# Units of a dimension (time, mass, length, area, money, share): such a quantity is not added to another kind.
# Counts (条, 期, 辆次, 人次) of one activity may be (预警信号155条 + 气象专题129期).
MEASURED = {"小时", "分钟", "天", "吨", "公里", "千米", "km", "米", "平方米", "亩", "元", "%", "％"}
MULTIPLE_OF = re.compile(
    r"((?:19|20)\d{2}|(?<!\d)\d{2})年?(?:的)?(?:基数|实际数|数)?的(?:(?:几|多少)倍|百分之(?:几|多少))"
)
# "平均每起", "每份平均", "人均": the counted thing an average is taken over.
MEAN_PER = re.compile(
    r"(?:平均每|平均一|每)(?:一)?(批次|个|起|家|人|名|次|户|条|件|座|辆|艘|项|份|张|所|处|支|台|栋|场|轮|篇|期"
    r"|平方米|平米|亩|公里|千米|米|吨)|(人)均"
)
# "按<basis>算，每<unit>…": a computation per unit asked without the word 平均.
PER_BASIS = re.compile(r"按[^，。？?]{1,12}?(?:算|计算|来算|折算)")
# "物资里A加B", "1049条隐患里…": the words before these set the scene of what follows.
SCENE_END = "里面|里头|当中|之中|里"
# "A里不算B的有多少": what is left of A once B, a part of it, is left out.
EXCLUDING = re.compile(
    "(?:" + "|".join(map(re.escape, LEXICON["operations"]["excluding"])) + r")(.+?)(?:以外|之外|外)?(?:的|后|，|,|还)"
)


# A percentage the question states (按下降20%算) is an input, not a percentage asked.
QUOTED_PCT = re.compile(r"\d+(?:\.\d+)?%")
# Asked to work a printed rate out more exactly (精确算一下, 精确到两位小数, 重新算).
RECOMPUTE = re.compile(r"精确|算一下|算算|重新算|小数|准确")
# An average over years (平均每年多少起, 年均): the mean of one quantity's yearly figures.
# Not 年均 inside an indicator's name (年均每十万人受灾人次): that is a rate, not an average asked.
YEARLY_MEAN = re.compile(r"平均每年|每年平均|平均一年|年均(?!每)|平均下来每年")
OVER_YEARS_WORD = re.compile(r"平均|每年|年均|[这那]?[两三四五]年|平均下来")
# "2020到2022": every year from the first to the last.
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})年?(?:至|到|-|—|～|~)((?:19|20)\d{2})")
# "A里，没有申报B的有多少": the part of A that did not do B, A less those that did.
NOT_PART = re.compile(
    r"(?:还没有|还没|没有|没|未|尚未)([\u4e00-\u9fff]{2,12}?)的(?:有|是|还有|企业|单位)?(?:多少|几)"
    # or the count asked first: "<whole>里还有多少<unit>没<verb>"
    r"|(?:还有|有)(?:多少|几)[家个户所名人项条处座]?(?:还没有|还没|没有|没|未|尚未)([\u4e00-\u9fff]{2,12}?)(?=[？?。，,]|$)"
)


@dataclass(frozen=True)
class Operand:
    """One input of a computation: its label, the number as printed and its source."""

    label: str
    raw: str
    value: float
    unit: str
    citation: Citation


QUANTITY_ASKED = re.compile(r"多少|几|合计|一共|总共|等于|总数")


def operation(query: Query) -> str | None:
    """The arithmetic the question asks for, or None."""
    if SAME_PERIOD_CHANGE.search(query.text):
        return "pct"  # 同比降幅, 相对前年的降幅: the change over the year before, in per cent
    if SUM_OF_CHANGE.search(query.text):
        return "diff"  # 一共/共 before 少了/多了: the size of one change, not a total
    if CHANGED_BY.search(query.text) and not SHARE.search(query.text):
        return "pct"
    if (
        SHARE.search(query.text)
        or ("率" in query.text and BY_INPUTS.search(query.text))
        or (SHARE_WORD.search(query.text) and len(COUNT_SAID.findall(query.original)) >= 2)
    ):
        return "ratio"  # a share, or a printed rate worked out again from its two inputs
    if ("平均" in query.text or PER_BASIS.search(query.text)) and MEAN_PER.search(query.text):
        return "mean"  # 每份平均, 平均每起: an average, whichever order its words come in
    if YEARLY_MEAN.search(query.text):
        return "mean"  # 平均每年, 年均: an average over the years asked
    if NOT_PART.search(query.text):
        return "remain"
    if "率" in query.text and RECOMPUTE.search(query.text) and len(query.years) + len(query.base_years) < 2:
        return "ratio"  # a printed rate worked out again to more places
    if AGAINST_TARGET.search(query.original) or AGAINST_TARGET.search(query.text):
        return "gap"
    # A part left out of a comparison of years (<年>比<年>多…（不算<部分>）) says which figures
    # to compare (Query.excluded), not a subtraction.
    comparing = len(query.years) + len(query.base_years) >= 2
    for op, words in OPS:
        if op == "remain" and comparing and not any(w in query.text for w in LEXICON["operations"]["remain"]):
            continue
        said = [QUOTED_PCT.sub("", query.original), QUOTED_PCT.sub("", query.text)]
        if not QUANTITY_ASKED.search(query.text):
            said = [re.sub("[+＋]", "", s) for s in said]  # “网格+气象”是怎么搞的: a name, nothing to add
        if op == "reach":
            said = [s.replace("达标率", "") for s in said]  # a rate's name (达标率), not whether a target was met
        named = any(w in s for w in words for s in said)
        if named or (op == "more" and MORE_ASKED.search(query.text)):
            if (
                op == "gap"
                and not TARGET_WORD.search(query.text)
                and (
                    len(query.years) + len(query.base_years) >= 2
                    or len(query.parts) >= 2
                    or THAN_MORE.search(query.text)
                )
            ):
                # 百分点 between two years' changes (去年比前年多降了几个百分点), or between two rates named
                # (A跟B差了几个百分点), with no target named
                return "diff"
            return op
    rate = RATE_ASKED.search(query.text)
    if rate and FIXED.search(query.text[max(0, rate.start() - 2) : rate.start()]):
        return "ratio"  # 整改率 asked where the report may print only what was found and what was fixed
    return "diff" if THAN_MORE.search(query.text) else None


def answer(ctx, query: Query, op: str) -> Answer | None:
    """A computed answer for the question, or None when its inputs are not all in the report."""
    if (op in ("times", "ratio") or (op == "pct" and OF_BASE.search(query.text))) and TARGET_WORD.search(query.text):
        against = _of_target(ctx, query, op)
        if against is not None:
            return against
    if op == "remain":
        return _remain(ctx, query)
    if op == "ratio" and not MULTIPLE_OF.search(query.text):
        return _ratio(ctx, query)
    if op == "ratio":
        op = "of"  # one year's figure as a share of another's (<年>是<年>的百分之…)
    if op == "mean" and not YEARLY_MEAN.search(query.text):
        return _mean(ctx, query)
    if op in ("gap", "reach"):
        return _against_target(ctx, query, op)
    if op == "diff" and len(COUNT_SAID.findall(query.original)) >= 2:
        quoted = _quoted_pair(ctx, query)
        if quoted:
            # "一处写1397.513公里，另一处写1333.67公里，差多少": the two figures the question quotes.
            return _result(query, op, quoted, "", apart=True)
    years = list(query.years) + [y for y in query.base_years if y not in query.years]
    # The words of an average over years (平均每年, 这三年) say how to compute, not which row.
    row = _row(ctx, query, tuple(t for t in query.terms if not OVER_YEARS_WORD.fullmatch(t)))
    if ALL_YEARS.search(query.original) and row is not None and len(years) < 2:
        years = sorted({r.year for r in row if r.measure == "actual" and r.value is not None and r.year is not None})
    span = YEAR_RANGE.search(query.original)  # the text before its year lists were expanded
    if span and op in ("mean", "sum"):
        years = list(range(int(span.group(1)), int(span.group(2)) + 1))  # a total or average over a span
    if op == "mean" and len(years) < 2:
        return None
    if len(years) >= 2:
        return _over_years(ctx, query, op, years, row)
    parts = _parts(ctx, query, op)
    if len(parts) >= 2:
        over = _over_parts(ctx, query, op, parts)
        if over is not None or op not in ("diff", "pct"):
            return over
    if op in ("diff", "pct"):
        return _from_to(ctx, query, op)
    if op == "sum":
        return _enumeration_sum(ctx, query)
    return None


def _enumeration_sum(ctx, query: Query) -> Answer | None:
    """'一共' over a clause that lists several counts of one kind (A14家、B12家) and prints no total."""
    ranked = match_figures(query, ctx.figures, ctx.stats, top=1)
    if not ranked or ranked[0].score < lookup.PROSE_MIN:
        return None
    figs = [f for f in ranked[0].figures if not query.units or base_unit(f.unit) in query.units]
    if len(figs) == 1:
        # Counts of one kind in clauses of one shape side by side (追究行政责任30人，追究刑事责任4人): each
        # clause carries most of what the question says of the one found first.
        first = figs[0]
        said = tuple(t for t in query.terms if lookup.present(t, first.clause))
        figs = [
            f
            for f in ctx.figures_in(first.sentence)
            if base_unit(f.unit) == base_unit(first.unit)
            and said
            and lookup.coverage(said, [(f.clause, 1.0)], ctx.stats)[0] >= 0.5
            and fuzz.ratio(re.sub(r"[\d.]+", "", f.clause), re.sub(r"[\d.]+", "", first.clause)) >= SAME_SHAPE
            and not f.clause.startswith("其中")
        ]
    if len(figs) < 2 or len({base_unit(f.unit) for f in figs}) != 1 or any(f.value is None for f in figs):
        return None
    if any(TOTAL.search(f.subject[-4:]) for f in figs):
        return None  # the report prints the total itself
    f0 = figs[0]
    scene = f"{f0.sentence}{f0.earlier}{f0.lead}{''.join(f0.section)}"
    if query.terms and not lookup.present(max(query.terms, key=ctx.stats.idf), scene):
        return None  # the paragraph lacks the question's rarest word (化工园区): its counts are of other things
    named = [any(lookup.present(t, list_item(f)) for t in query.terms) for f in figs]
    if any(named) and not all(named):
        return None  # 老旧小区131个、自然村243个 asked of 老旧小区 alone: the other item is another thing
    if not any(lookup.present(t, figs[0].clause) for t in lookup.specific_terms(query.terms, ctx.stats)) and not all(
        lookup.names_the_figure(query.terms, f) for f in figs
    ):
        # The counts listed (老旧小区131个、自然村243个) are of another statement than the clause before them,
        # which alone carries what is asked (报警切断装置…全覆盖): their own clause or names must say it.
        return None
    return _result(query, "sum", [_from_figure(f, ctx, re.sub(r"\d.*$", "", list_item(f))) for f in figs], "")


def _from_to(ctx, query: Query, op: str) -> Answer | None:
    """A change printed as its two ends in one clause: '31家…整合至22家' -> 减少9家."""
    # A percentage change is asked in % of two ends counted in something else (31家 -> 22家).
    ends = replace(query, units=()) if op == "pct" else query
    for m in match_figures(ends, ctx.figures, ctx.stats, top=3):
        if m.score < lookup.PROSE_MIN:
            continue
        figs = ctx.figures_in(m.figures[0].sentence)
        for a, b in zip(figs, figs[1:]):
            if a.clause != b.clause and not b.clause.startswith(tuple(TO_WORDS)):
                continue
            if base_unit(a.unit) != base_unit(b.unit) or a.value is None or b.value is None:
                continue
            between = a.sentence[
                a.sentence.find(a.raw) + len(a.raw) : a.sentence.find(b.raw, a.sentence.find(a.raw) + len(a.raw))
            ]
            if len(between) <= 16 and FROM_TO.search(between):
                ops = [_from_figure(a, ctx, "原"), _from_figure(b, ctx, "现")]
                return _result(query, op, ops, "")
    return None


def _row(ctx, query: Query, terms=None) -> list[TableRecord] | None:
    rows = match_rows(query, ctx.rows, ctx.stats, terms=terms)
    return rows[0].records if rows and rows[0].score >= lookup.TABLE_MIN else None


def _cell(row: list[TableRecord], year: int) -> TableRecord | None:
    for measure in ("actual", "base", "count"):
        for r in row:
            if r.year == year and r.measure == measure and r.value is not None:
                return r
    return None


def _from_cell(r: TableRecord, ctx, label: str = "") -> Operand:
    # A text cell (">20%" as a target) is an input for its citation only: NaN never passes for a number.
    value = r.value if r.value is not None else math.nan
    return Operand(label or f"{r.year}年", r.raw, value, r.unit, row_citation(r, ctx))


def _from_figure(f: Figure, ctx, label: str) -> Operand:
    return Operand(label, f.raw, f.value, f.unit, figure_citation(f, ctx))


def _over_years(ctx, query: Query, op: str, years: list[int], row) -> Answer | None:
    """The same quantity in two or more years: from one table row, else from parallel prose sentences."""
    if (
        row is not None
        and "change" in query.measures
        and CHANGE_NAMED.search(query.text)
        and not SAME_PERIOD_CHANGE.search(query.text)
        and not (CHANGE_BETWEEN.search(query.text) and not CHANGES_COMPARED.search(query.text))
    ):
        # The changes themselves compared ("降幅去年比前年多几个百分点"): each year's change cell.
        # The base year named with them (22年比2020的降幅) is what each change is against, not a third change.
        changed = [y for y in years if any(r.year == y and r.measure == "change" for r in row)]
        changes = [
            next((r for r in row if r.year == y and r.measure == "change" and r.value is not None), None)
            for y in changed
        ]
        if len(changes) >= 2 and all(changes):
            a, b = [_from_cell(c, ctx, f"{c.year}年比基数") for c in changes if c is not None][:2]
            gap = round(abs(abs(a.value) - abs(b.value)), max(decimals(a.raw), decimals(b.raw)))
            text = f"相差{format_number(gap)}个百分点（{a.label}{a.raw}，{b.label}{b.raw}；|{a.raw}| − |{b.raw}| 之差）"
            return _computed(query, text, f"|{abs(a.value):g} - {abs(b.value):g}| = {format_number(gap)}", [a, b])
    if row is not None:
        found = [_cell(row, y) for y in years]
        cells = [c for c in found if c is not None]
        if len(cells) == len(found):
            ops = [_from_cell(c, ctx) for c in cells]
            # Against the base year the table prints the change itself: quote it as printed.
            later = max(years)
            printed = next(
                (
                    r.raw
                    for r in row
                    if r.measure == "change"
                    and r.year == later
                    and r.value is not None
                    and any(c.measure == "base" for c in cells)
                ),
                "",
            )
            return _result(query, op, ops, f"{row[0].table}，“{row[0].indicator}”", printed)
    if len(years) != 2:
        return None
    pair = _prose_pair(ctx, query, years[0], years[1])
    if pair is None:
        return None
    ga, gb = pair
    return _result(query, op, [_from_figure(ga, ctx, f"{years[0]}年"), _from_figure(gb, ctx, f"{years[1]}年")], "")


def _prose_pair(ctx, query: Query, y1: int, y2: int) -> tuple[Figure, Figure] | None:
    """Two prose figures of the same unit for two years; a yearly series is printed in parallel sentences."""
    fa = match_figures(query, ctx.figures, ctx.stats, year=y1, top=6)
    fb = match_figures(query, ctx.figures, ctx.stats, year=y2, top=6)
    best, best_score = None, 0.0
    for ma in fa:
        for mb in fb:
            if ma.score < lookup.PROSE_MIN or mb.score < lookup.PROSE_MIN or ma is mb:
                continue
            for ga in ma.figures:
                for gb in mb.figures:
                    if ga is gb or base_unit(ga.unit) != base_unit(gb.unit):
                        continue
                    if query.units and base_unit(ga.unit) not in query.units:
                        continue
                    shape = fuzz.ratio(re.sub(r"[\d.]+", "", ga.clause), re.sub(r"[\d.]+", "", gb.clause)) / 100
                    together = 0.3 if ga.lines == gb.lines else 0.0
                    # A yearly series is printed sentence after sentence (2021年…112条。2022年…338条。): the
                    # strongest sign that two figures are one quantity, stronger than a later sentence that
                    # repeats more of the question's words about another check.
                    if gb in ctx.figures_near(ga) or ga in ctx.figures_near(gb):
                        together += SERIES_BONUS
                    score = ma.score + mb.score + together + 0.6 * shape
                    if score > best_score:
                        best, best_score = (ga, gb), score
    return best


def _parts(ctx, query: Query, op: str = "") -> list[str]:
    """The items an operation runs over: 'A和B加起来' -> [A, B]; 'A、B、C一共' -> [A, B, C].

    Names the tables give their rows are found whole first, since a name may hold 和 or 、 itself
    (政府专职和企事业专职消防队伍与装备)."""
    text = YEAR_TEXT.sub(" ", query.text)
    # The question's last operation word ends the items: "A加上B总共…" runs over A and B.
    cut = max([m.start() for m in _operation_words(text)] or [len(text)])
    head = text[:cut]
    named = _named_items(head, getattr(ctx, "item_names", ()))
    parents = getattr(ctx, "item_parents", {})
    # A category named beside its own members ("房屋建筑四类（城镇住宅、…）") is their heading, not an item.
    named = [n for n in named if not any(n in parents.get(m, ()) for m in named)]
    # One row named twice (农村公路桥梁限载… 比 农村公路桥梁检测…) names no two items: the words around it do.
    named = named if len(set(named)) == len(named) else []
    split = _rejoined(ctx, text, _split_items(text, op))
    # Row names found beside an item that names no row (学校、医疗卫生机构、养老机构): every item counts.
    if len(named) >= 2 and (len(split) <= len(named) or not all(any(n in i for i in split) for n in named)):
        return named
    return split


def _operation_words(text: str) -> list[re.Match]:
    """Where the text says an operation word, other than the ones standing between items (加上, +)."""
    return [m for _, words in OPS for w in words if w not in JOINS for m in re.finditer(re.escape(w), text)]


def _rejoined(ctx, text: str, items: list[str]) -> list[str]:
    """Items put back together where the report prints the first only joined to the next: 农村内部及其它道路
    is one name, since 农村内部 stands nowhere else."""
    out: list[str] = []
    for item in items:
        joined = re.search(re.escape(out[-1]) + r"(以及|和|与|及|、)" + re.escape(item), text) if out else None
        if joined and hasattr(ctx, "sentences_with"):
            alone = ctx.sentences_with(out[-1].strip())
            seam = out[-1].strip()[-2:] + joined.group(1) + item.strip()[:2]
            together = set(ctx.sentences_with(seam))
            # …or the report prints the two only inside one quoted name (“瓶改管、瓶改电”).
            quoted = re.search(f"“[^”]*{re.escape(seam)}[^“]*”", ctx.vocab.text) if hasattr(ctx, "vocab") else None
            if (alone and set(alone) <= together) or (not alone and quoted):
                out[-1] += joined.group(1) + item
                continue
        out.append(item)
    return out


def _split_items(text: str, op: str) -> list[str]:
    """The items of a question split at its conjunctions, up to its operation word."""
    # Items said side by side by their ordinals (一期二期) are items all the same.
    text = re.sub(r"(?<=[一二三四五六七八九十]期)(?=[一二三四五六七八九十]期)", "、", text)
    cut = min([m.start() for m in _operation_words(text)] or [len(text)])
    more = MORE_ASKED.search(text)
    if more and more.start() < cut:
        # "A和B，哪个投资大": the items end at 哪个, and what is compared (投资) is asked of the last.
        text = text[: more.start()].rstrip("，, ") + more.group(1)
        cut = len(text)
    than_more = THAN_MORE.search(text)
    if than_more and op in ("diff", "pct"):
        cut = min(cut, than_more.start(1))  # "A比B多出多少": the items end at 多
    head = text[:cut]
    # "A比B多多少" compares A with B (比例 and 比重 are words of their own).
    than = r"|(?<!分)比(?![例重率较])" if op in ("diff", "pct", "more") else ""
    items = [i for i in re.split(r"和|与|跟|及|以及|、|\+|＋|加上|加(?!油|气|工|强|快|大)" + than, head) if i.strip()]
    multiple = re.fullmatch(r"(.{2,}?)(?:是|相当于)(.{2,}?)的?", head.strip(" ，,")) if op == "times" else None
    if multiple and len(items) == 1:
        items = [multiple.group(1), multiple.group(2)]  # "A是B的几倍": A over B
    # "…化工实训基地三个项目": the count of the items is not part of the last one's name.
    items = [
        re.sub(r"(?:这)?[两三四五六七八九十\d]+(?:个|项|类|种)(?:项目|工程)?(?:的)?(?=[\u4e00-\u9fff]{0,4}$)", "", i)
        for i in items
    ]
    if any(FIGURE.search(i) for i in items):
        return []  # the question quotes the report's figures: its items are not names to look up
    return [i for i in items if content_terms(i)] if len(items) >= 2 else []


def _named_items(text: str, names: tuple[str, ...]) -> list[str]:
    """Row names found whole in the text, longest first and not overlapping, in reading order."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for name in names:
        if len(name) < 2:
            continue
        start = text.find(name)
        while start >= 0:
            if not any(taken[start : start + len(name)]):
                taken[start : start + len(name)] = [True] * len(name)
                found.append((start, name))
            start = text.find(name, start + 1)
    return [n for _, n in sorted(found)]


def _over_parts(ctx, query: Query, op: str, parts: list[str]) -> Answer | None:
    """Several named quantities, each looked up on its own with the words shared by the question."""
    whole = set(parts) <= set(getattr(ctx, "item_names", ()))
    # Words before the first item name the kind of thing every item is ("普查中A和B"), unless each
    # item is a row's whole name already.
    shared = content_terms(parts[0])[:-1] if len(content_terms(parts[0])) > 1 and not whole else ()
    asked_of_first = re.search(r"的([\u4e00-\u9fff]{2,4})$", parts[0].strip(" ，,"))
    measure = asked_of_first.group(1) if asked_of_first else (content_terms(parts[0]) or ("",))[-1]
    if any(MEASURE_WORD.fullmatch(f) for f in lookup.synonyms_of(measure)):
        # "A(的)投资比B多": the words before the measure name A itself, not a scene B shares; B is asked the
        # same measure.
        shared = (measure,)
    scene_said = re.split(r"[，,：:]", parts[0])
    if shared and len(scene_said) > 1 and content_terms(scene_said[-1]):
        shared = content_terms("".join(scene_said[:-1]))  # "燃气瓶改这块，养老机构": the scene ends at its comma
    # "D级和C级危房": the noun after the last item is every item's noun.
    first, last = content_terms(parts[0]), content_terms(parts[-1])
    tail = last[1:] if not whole and len(first) == 1 and len(last) >= 2 else ()
    asked_of_last = len(last) >= 2 and any(MEASURE_WORD.fullmatch(f) for f in lookup.synonyms_of(last[-1]))
    if not whole and not tail and asked_of_last and last[-1] not in first:
        tail = (last[-1],)  # "A、B和C的<measure>合计": what is asked of the last item is asked of each
        if not query.units and UNIT_WORDS.get(last[-1]):
            query = replace(query, units=tuple(UNIT_WORDS[last[-1]]))  # 投资 is counted in 元
    # Words before the first of several row names set the scene all of them are asked in ("燃气瓶改：学校、…"):
    # a row that does not carry the scene loses to a sentence that does.
    at = query.text.find(parts[0])
    scene = content_terms(YEAR_TEXT.sub(" ", query.text[:at])) if whole and at > 0 else ()
    if not whole:
        listed = _items_in_sentence(ctx, query, parts)
        if listed is not None:
            than = op in ("diff", "pct") and bool(re.search(r"(?<!分)比(?![例重率较])", query.text))
            return _result(query, op, listed, "", than=than, apart=True)
    # What the items are counted by, said after the operation word (…N类合计<verb>了多少家<what>): every item's.
    said_after = _after_operation(ctx, query)
    operands: list[Operand] = []
    for i, part in enumerate(parts):
        own = ctx.vocab.check(content_terms(part) + (tail if i < len(parts) - 1 else ()), part).known
        terms = tuple(dict.fromkeys(scene + said_after + (own if i == 0 else tuple(shared) + own)))
        if not own:
            return None
        others = {t for j, other in enumerate(parts) if j != i for t in content_terms(other)}
        marks = tuple(t for t in own if t not in others) or own  # what tells this part from the others
        label = re.sub(r"^(?:的|是|了)|(?:的|是|了)$|[，,]", "", part.strip(" ，,"))
        if len(label) > 12:
            label = "".join(marks) if len("".join(marks)) <= 12 else marks[-1]  # the words telling it apart
        if operands and not query.units and base_unit(operands[0].unit) in MEASURED:
            # "A的占地是B的几倍": B is asked in the measure A was found in (亩), not its sum of money.
            query = replace(query, units=(base_unit(operands[0].unit),))
        operand = _lookup(ctx, query, terms, marks, label, tuple(others))
        if (
            operand is not None
            and operands
            and terms != own
            and (
                not _same_unit(operand.unit, operands[0].unit)
                or any((o.raw, o.citation.text) == (operand.raw, operand.citation.text) for o in operands)
            )
        ):
            operand = _lookup(ctx, query, own, marks, label, tuple(others))  # shared words led elsewhere
        if operand is None and terms != own:
            operand = _lookup(ctx, query, own, marks, label, tuple(others))  # the first item was a name, not a scene
        if operand is None:
            return None
        operands.append(operand)
    # One printed number found for two items is the figure of neither (126个项目 for 机械化 and 信息化).
    if len({(o.raw, o.citation.text) for o in operands}) < len(operands):
        return None
    measured = [o for o in operands if base_unit(o.unit) in MEASURED]
    if measured and not all(_same_unit(o.unit, measured[0].unit) for o in operands):
        return None  # 24小时 and 1.66万吨 add up to nothing: the items found are not the ones asked
    than = op in ("diff", "pct") and bool(re.search(r"(?<!分)比(?![例重率较])", query.text))
    return _result(query, op, operands, "", than=than, apart=True)


def _after_operation(ctx, query: Query) -> tuple[str, ...]:
    """The printed words after the question's last operation word other than the ask (合计…多少家<what> -> <what>)."""
    text = YEAR_TEXT.sub(" ", query.text)
    ends = [m.end() for m in _operation_words(text)]
    if not ends:
        return ()
    rest = text[max(ends) :]
    return tuple(t for t in ctx.vocab.check(content_terms(rest), rest).known if ctx.stats.idf(t) >= lookup.SPECIFIC_IDF)


def _items_in_sentence(ctx, query: Query, parts: list[str]) -> list[Operand] | None:
    """Several items listed with their figures in one sentence (法人行政许可信息5773条、行政处罚信息1351条、
    自然人…62条): each part takes the figure its own words name best, one figure per part."""
    if len(parts) > 5:
        return None
    said = _numbers_said(query.original)
    # "物资里A加B": the words before 里 set the scene of every item, they name none of them.
    items = [re.split(SCENE_END, parts[0])[-1], *parts[1:]]
    terms = _parallel([content_terms(p) or content_terms(parts[0]) for p in items])
    # What tells each part from the others.
    marks = [
        [t for t in own if not any(t in other for j, other in enumerate(terms) if j != i)]
        for i, own in enumerate(terms)
    ]
    for m in match_figures(query, ctx.figures, ctx.stats, top=5):
        if m.score < lookup.PROSE_MIN:
            continue
        figs = [
            f
            for f in ctx.figures_in(m.figures[0].sentence)
            if f.value is not None and (not query.units or base_unit(f.unit) in query.units)
        ]
        if len(figs) < len(parts):
            continue
        # A figure the sentence names as a total (共有…5.6万余件，其中…) is the whole, not one of the items.
        names = ["" if TOTAL.search(name) else name for name in _item_names(figs)]
        table = [
            [_naming(f, name, marks[i], own, said, parts[i]) for f, name in zip(figs, names)]
            for i, own in enumerate(terms)
        ]
        best = max(
            itertools.permutations(range(len(figs)), len(parts)),
            key=lambda pick: sum(table[i][k] for i, k in enumerate(pick)),
        )
        # Every part must be named by the words around its figure, and the parts' own marks must decide.
        named = all(table[i][k] > 0 for i, k in enumerate(best))
        decided = sum(table[i][k] >= 10 for i, k in enumerate(best)) >= len(parts) - 1
        # A part whose own specific words the sentence never writes (农村公路 beside 框架道路…和…非农桥梁) is not
        # one of its items; a generic word (工程 for what the sentence calls 已完成) may stand for an item unnamed.
        if any(
            any(ctx.stats.idf(t) >= lookup.SPECIFIC_IDF for t in own)
            and not any(_written(t, m.figures[0].sentence) for t in own)
            for own in marks
        ):
            continue
        units = {base_unit(figs[k].unit) for k in best}
        if named and decided and (query.units or len(units) == 1):
            return [_from_figure(figs[k], ctx, parts[i].strip(" ，,的")) for i, k in enumerate(best)]
    return None


def _parallel(terms: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Parts said in parallel (<scene><A>完成比例 vs <B>完成比例): when every part ends in the same words and
    the others name one word before them, the first part's earlier words are the scene of all, not its own."""
    tail = 0
    while all(len(t) > tail + 1 for t in terms) and len({t[-1 - tail] for t in terms}) == 1:
        tail += 1
    if not tail or any(len(t) != tail + 1 for t in terms[1:]) or len(terms[0]) <= tail + 1:
        return terms
    return [terms[0][-1 - tail :], *terms[1:]]


def _item_names(figs: list[Figure]) -> list[str]:
    """What each figure of a listing sentence counts: the noun after it when one follows (2个中心避难场所和11个
    固定避难场所), else the words since the figure before it (法人行政许可信息5773条、行政处罚信息1351条)."""
    names = []
    for prev, f in zip([None, *figs], figs):
        after = _noun_after(f)
        # "中间库396个和储存专用柜2887个": words after a joining word name the next figure, not this one.
        if content_terms(after) and not re.match(r"和|及|与|以及|并", after):
            names.append(after)
            continue
        before = words_before(f)
        if prev is not None and prev.sentence == f.sentence and prev.raw in before:
            before = before[before.rfind(prev.raw) + len(prev.raw) :]
        names.append(re.split(r"[，。；：、,（(]", before)[-1])
    return names


def _naming(f: Figure, name: str, marks: list[str], own: tuple[str, ...], said: set[str], part: str) -> float:
    """How well a part's words name a figure: the words only this part has count ten times its shared ones."""
    if _quotes(part, f, said):
        return 1000.0

    def weight(t: str) -> int:
        return len(t) * any(form in name for form in lookup.synonyms_of(t))

    return 10.0 * sum(weight(t) for t in marks) + sum(weight(t) for t in own if t not in marks)


def _own_words(f: Figure) -> str:
    """The words right around a figure: the last piece of what comes before it, and the noun after it."""
    return re.split(r"[，。；：、,]", f.subject)[-1] + _noun_after(f)


def _written(term: str, text: str) -> bool:
    """The text writes the term, a synonym of it, or most of a longer term's characters (养老院, 养老机构)."""
    return lookup.present(term, text) or (len(term) >= 3 and lookup.most_characters(term, text))


def _known(ctx, text: str) -> tuple[str, ...]:
    """The text's terms the documents print (抽去做 is the asker's word, not the report's), else all of them."""
    return ctx.vocab.check(content_terms(text), text).known or content_terms(text)


def _lookup(
    ctx,
    query: Query,
    terms: tuple[str, ...],
    own: tuple[str, ...],
    label: str = "",
    others: tuple[str, ...] = (),
    counts: bool = False,
) -> Operand | None:
    """The one figure a part names: a table cell or the prose figure whose list item names it.

    counts: an input of a share, which is a count, never a printed rate (覆盖率100%)."""
    rows = match_rows(query, ctx.rows, ctx.stats, terms=terms)
    figs = match_figures(query, ctx.figures, ctx.stats, terms=terms, top=5)
    row = rows[0] if rows and rows[0].score >= lookup.TABLE_MIN else None
    fig = figs[0] if figs and figs[0].score >= lookup.PROSE_MIN else None
    if row and (not fig or row.score >= fig.score):
        rec = (_cell(row.records, query.years[0]) if query.years else None) or next(
            (r for r in row.records if r.value is not None and r.measure in ("count", "actual")), None
        )
        return _from_cell(rec, ctx, rec.indicator) if rec else None
    if fig:
        label = label or own[-1]

        def unit_ok(g: Figure) -> bool:
            return (not query.units or base_unit(g.unit) in query.units) and not (counts and g.unit in ("%", "％"))

        # A figure printed right after the part's own word ("安置类1.3万余件") beats a better clause that
        # only lists the word ("（被服类、安置类、装具类）26个品种5.6万余件").
        foreign = [t for t in others if t not in terms]
        for m in figs[:5]:
            if m.score < lookup.PROSE_MIN:
                break
            # "2个中心避难场所和11个固定…" counts the noun after each number; "D级危房217处" the one before.
            right = [f for f in m.figures if unit_ok(f) and any(_written(t, _noun_after(f)) for t in own)] or [
                f
                for f in m.figures
                if names_the_figure(own, f)
                and unit_ok(f)
                and not _noun_after(f).strip("，。；、,")
                and any(t in re.split(r"[，。；：、,]", f.subject)[-1] for t in own)
            ]
            # A figure whose own words name another part is that part's ("发现隐患…" is not 整治的隐患).
            right = [f for f in right if not any(t in _own_words(f) for t in foreign)]
            if right:
                return _from_figure(right[0], ctx, label)
        named = [f for f in fig.figures if any(t in _noun_after(f) for t in own)] or [
            f for f in fig.figures if any(t in list_item(f) for t in own)
        ]
        pool = named or fig.figures
        f = next((g for g in pool if unit_ok(g)), pool[0])
        return _from_figure(f, ctx, label)
    return _named_in_sentence(ctx, query, own, label)


def _named_in_sentence(ctx, query: Query, own: tuple[str, ...], label: str) -> Operand | None:
    """An item whose name follows its figure ("投入资金5000万元，在…建设工业安全教育馆"): the figure of the asked
    measure word nearest before the item's rarest word, in a sentence that prints that word."""
    if not query.units or not own:
        return None
    rare = max(own, key=ctx.stats.idf)
    best: tuple[int, Figure] | None = None
    for sentence in ctx.sentences_with(rare):
        for f in ctx.figures_in(sentence):
            at = f.sentence.find(rare)
            pos = f.sentence.find(f.raw)
            if at < 0 or pos < 0 or base_unit(f.unit) not in query.units or not 0 < at - pos <= 40:
                continue
            if best is None or at - pos < best[0]:
                best = (at - pos, f)
    return _from_figure(best[1], ctx, label) if best else None


def _noun_after(f: Figure) -> str:
    """The words after a figure up to the next number: what '2个中心避难场所和11个…' counts."""
    at = f.clause.find(f.raw)
    rest = f.clause[at + len(f.raw) :] if at >= 0 else ""
    return re.split(r"[\d、，。；：,;]", rest, maxsplit=1)[0]


def _remain(ctx, query: Query) -> Answer | None:
    """Found minus fixed, printed in one sentence: 发现193条…整改190条 -> 3条; a share done: 100% − 65.59%;
    a whole less a part it names (1049条隐患里不算重大隐患的 -> 1049 − 34)."""
    query = replace(query, excluded=())  # the part left out is subtracted here, so not kept from the lookups
    less = EXCLUDING.search(query.text)
    if less:
        return _less_part(ctx, query, query.text[: less.start()], less.group(1))
    undone = NOT_PART.search(query.text)
    if undone and undone.group(2) and FIXED.search(undone.group(2)):
        undone = None  # "还有多少<unit>没<fixed verb>": what was found less what was fixed, below
    if undone:
        rest = _less_part(ctx, query, query.text[: undone.start()], undone.group(1) or undone.group(2))
        if rest is not None:
            return rest
    ranked = match_figures(query, ctx.figures, ctx.stats, top=5)  # one lookup for the three readings below
    if ranked and ranked[0].score >= lookup.PROSE_MIN:
        lead = ranked[0].figures[0]
        if LEVEL_BEFORE.search(lead.clause[: lead.clause.find(lead.raw)]):
            return None  # 还剩几家 of what the report prints as fallen to a level (下降至14家): the level is left
    pair = _found_fixed(ctx, query, ranked)
    quoted = _quoted_left(ctx, query)
    if quoted is not None and pair is not None and not {_digits(f) for f in pair} <= _numbers_said(query.original):
        return quoted  # the asker quotes a whole and a part of their own: what is left is between those
    if pair is None:
        return _share_left(ctx, query, ranked) or quoted
    found, fixed = pair
    a, b = _in_one_scale([_from_figure(found, ctx, "发现"), _from_figure(fixed, ctx, "已整改/完成")])
    if b.value > a.value:
        return None  # more done than there was: the two figures count different things
    left, unit = _left(a, b)
    said = "发现" if FOUND.search(found.clause[: found.clause.find(found.raw) + 1]) else "共"
    done = re.sub(r"^(其中|已)", "", fixed.clause.rstrip("，,；。"))
    text = (
        f"还有{format_number(left)}{unit}（{said}{found.raw}，其中{done}；"
        f"{found.raw}−{fixed.raw}＝{format_number(left)}{unit}）"
    )
    return _computed(query, text, f"{a.raw} - {b.raw} = {format_number(left)}", [a, b])


def _quoted_left(ctx, query: Query) -> Answer | None:
    """A whole and a part the asker quotes, both printed ("490人里，除了272名…还剩多少人"): the one less the other."""
    quoted = _quoted_pair(ctx, query) if len(COUNT_SAID.findall(query.original)) >= 2 else []
    if not quoted:
        return None
    whole, part = sorted(quoted, key=lambda o: -o.value)
    left, unit = _left(whole, part)
    text = f"还剩{format_number(left)}{unit}（{whole.raw}−{part.raw}＝{format_number(left)}{unit}）"
    return _computed(query, text, f"{whole.raw} - {part.raw} = {format_number(left)}", [whole, part])


def _less_part(ctx, query: Query, whole: str, part: str) -> Answer | None:
    """A whole less the part the question leaves out, both printed in one sentence."""
    whole = re.sub(f"(?:{SCENE_END}|中)[，,]?$", "", whole.strip(" ，,"))
    if not content_terms(whole) or not content_terms(part):
        return None
    ops = _pair_in_sentence(ctx, query, [whole, part])
    if ops is None:
        return None
    a, b = ops = _in_one_scale(ops)
    if a.value <= b.value:
        return None
    left, unit = _left(a, b)
    part = re.sub(r"^(?:其中|总计|共计|累计|共|已经|已)+", "", b.label)  # the text says 其中 itself
    text = f"{format_number(left)}{unit}（共{a.raw}，其中{part}{b.raw}；{a.raw}−{b.raw}＝{format_number(left)}{unit}）"
    return _computed(query, text, f"{a.raw} - {b.raw} = {format_number(left)}", ops)


def _left(a: Operand, b: Operand) -> tuple[float, str]:
    """a − b, to the places of the more precise, and its unit (both in one scale already)."""
    left = round(a.value - b.value, max(decimals(a.raw), decimals(b.raw)))
    return left, a.unit if a.unit == b.unit else base_unit(a.unit)


def _share_left(ctx, query: Query, ranked: list | None = None) -> Answer | None:
    """What is left of a share printed as done (已完成65.59% -> 还剩34.41%); asked in per cent, or in no
    measure at all (还剩多少没完成)."""
    if query.units and "%" not in query.units:
        return None
    ranked = ranked if ranked is not None else match_figures(query, ctx.figures, ctx.stats, top=3)
    for m in ranked[:3]:
        if m.score < lookup.PROSE_MIN:
            continue
        done = [f for f in m.figures if f.unit in ("%", "％") and FIXED.search(words_before(f)[-8:])]
        if done and done[0].value is not None and done[0].value <= 100:
            f = done[0]
            left = round(100 - f.value, decimals(f.raw))
            text = f"还剩{format_number(left)}%（{words_before(f)}{f.raw}；100% − {f.raw} = {format_number(left)}%）"
            return _computed(
                query, text, f"100 - {f.value:g} = {format_number(left)}", [_from_figure(f, ctx, "已完成")]
            )
    return None


def _to_full(ctx, query: Query) -> Answer | None:
    """How far a printed rate is from all of it (离全部达标还差几个百分点: 100% − 92%)."""
    for m in match_figures(query, ctx.figures, ctx.stats, top=3):
        if m.score < lookup.PROSE_MIN:
            continue
        rates = [f for f in m.figures if f.unit in ("%", "％") and f.value is not None and f.value < 100]
        if rates:
            f = rates[0]
            left = round(100 - f.value, decimals(f.raw))
            shown = format_number(left)
            text = f"还差{shown}个百分点（{words_before(f)}{f.raw}；100% − {f.raw} = {shown}%）"
            return _computed(query, text, f"100 - {f.value:g} = {format_number(left)}", [_from_figure(f, ctx, "")])
    return None


def _ratio(ctx, query: Query) -> Answer | None:
    """A part's share of a whole, both looked up: 'A占B的比例' -> A ÷ B."""
    # A share said with 占 names its part and its whole (looked up below, with their labels).
    quoted = [] if SHARE.search(query.text) else _quoted_anywhere(ctx, query)
    if len(quoted) == 2 and _same_unit(quoted[0].unit, quoted[1].unit) and quoted[0].value != quoted[1].value:
        # "名录库里2537家，抽了1944家，比例是多少": the question quotes the part and its whole.
        a, b = sorted(_in_one_scale([_from_figure(f, ctx, "") for f in quoted]), key=lambda o: o.value)
        share = a.value / b.value * 100
        text = f"占{_percent(share)}（{a.raw} ÷ {b.raw}）"
        return _computed(query, text, f"{a.raw} / {b.raw} × 100% = {format_number(round(share, 2))}%", [a, b])
    if (
        len(COUNT_SAID.findall(query.original)) >= 2
        and "率" not in query.text
        and not SHARE.search(query.text)
        and not BY_INPUTS.search(query.text)
    ):
        return None  # asked as a share of the two numbers it quotes, which the report does not print together
    text = YEAR_TEXT.sub(" ", query.text)
    inside = re.search(r"(.+?)在(.+?)(?:中|里|当中|之中)的?占(?!地|用)", text)
    within = re.search(r"(.+?)(?:里头|里面|当中|之中|中|里)[，,]?(.+?)(?:的)?(?:占比|比例|所占|占)", text)
    verb = re.search(r"占(?!地|用|比)|覆盖了?", text)
    by = BY_INPUTS.search(text)
    after_whole = re.search(r"([^，,]+)[，,]([^，,]+?)的?(?:比例|比重|占比)", text)
    if by and not verb:
        head, whole = by.group(1), by.group(2)  # "…率按A和B算": A ÷ B
    elif inside:
        head, whole = inside.group(1), inside.group(2)  # "A在B里占比"
    elif verb and content_terms(re.sub(r"比例|比重|百分之|多大|多少|几成", "", text[verb.end() :].split("的")[0])):
        head, whole = text[: verb.start()], text[verb.end() :]  # "A占B的比例"
    elif verb and re.search(r"其中|里面|当中", text[: verb.start()]):
        whole, _, head = re.split(r"(其中|里面|当中)", text[: verb.start()], maxsplit=1)  # "B…，其中A占多大比例"
    elif verb and re.search(r"[，,][^，,里中]+$", text[: verb.start()]):
        whole, head = re.split(r"[，,]", text[: verb.start()])[-2:]  # "B，A占几成": the clause before is B
    elif within:
        head, whole = within.group(2), within.group(1)  # "B里A的占比", "B里头A占了多大比例"
    elif after_whole:
        whole, head = after_whole.group(1), after_whole.group(2)  # "毕业272人，拿到学位的比例是多少"
    else:
        return _rate_done(ctx, query) or _rate_again(ctx, query)
    whole = re.split(
        "|".join(map(re.escape, LEXICON["operations"]["ratio"] + ["比例", "百分之", "多少", "几"])), whole
    )[0]
    if re.search(r"\d", whole) and "的" in whole:
        # "100家龙头企业梳理的供应商": the whole is what the modifier counts (供应商), not the number quoted.
        whole = whole.rsplit("的", 1)[-1]
    scene, _, part = (
        re.split(f"({SCENE_END}|中)", head, maxsplit=1) if re.search(f"{SCENE_END}|中", head) else ("", "", "")
    )
    if GENERIC_WHOLE.match(whole.strip(" ，,的")) and content_terms(scene) and content_terms(part):
        head, whole = part, scene  # "X里A占总数的比例": A of all X
    elif content_terms(scene) and content_terms(part):
        head = part  # "X里A占B": the part is A; X only says where to look, and names none of the two figures
    # A bracketed alias (化工（危化品）企业) is left out, as it is from the words a figure is indexed under.
    head, whole = (re.sub(r"[（(][^）)]*[）)]", "", p) for p in (head, whole))
    parts = [re.sub(FILLER, "", p) for p in (head, whole) if content_terms(re.sub(FILLER, "", p))]
    if len(parts) != 2:
        return None
    # The share is a %, not its inputs; the words asking for it, and fillers (已经, 全部), name no figure.
    asking = set(LEXICON["operations"]["ratio"]) | {"比例", "比重", "百分之", "百分比", "覆盖", "已经", "全部", "总数"}
    query = replace(
        query, units=tuple(u for u in query.units if u != "%"), terms=tuple(t for t in query.terms if t not in asking)
    )
    ops = _pair_in_sentence(ctx, query, parts) or []
    for i, part in enumerate(parts if not ops else ()):
        own = _known(ctx, part)
        terms = tuple(dict.fromkeys(own if i == 0 else _known(ctx, head)[:-1] + own))
        other = content_terms(parts[1 - i])
        marks = tuple(t for t in own if t not in other) or own
        # A part's own words may name its whole (抽取“名录库”中1944家): only the whole must not name the part.
        foreign = tuple(other) if i == 1 else ()
        label = re.sub(r"^[\s、，,的]+|[\s、，,的]+$|(?:里|里面|当中|中)$", "", part)
        operand = _lookup(ctx, query, terms, marks, label, foreign, counts=True)
        if operand is None or math.isnan(operand.value):
            return None
        ops.append(operand)
    a, b = _in_one_scale(ops)
    if not b.value or not _same_unit(a.unit, b.unit) or (a.raw, a.citation.text) == (b.raw, b.citation.text):
        return None
    share = a.value / b.value * 100
    if share > 100 and verb and "占" in verb.group(0):
        return None  # a part larger than its whole: the inputs are not a part and its whole
    # The rate the report prints for the same share, if its inputs' sentence has one (实船检查率达45%).
    printed = next(
        (
            p
            for o in (a, b)
            for p in re.findall(r"\d+(?:\.\d+)?%", o.citation.text)
            if abs(float(p[:-1]) - share) < 0.5 * 10 ** -decimals(p[:-1]) + 1e-9
        ),
        "",
    )
    shown = f"，报告所列为{printed}" if printed else ""
    text = f"占{_percent(share)}（{a.label}{a.raw} ÷ {b.label}{b.raw}{shown}）"
    return _computed(query, text, f"{a.raw} / {b.raw} × 100% = {format_number(round(share, 2))}%", ops)


def _name_before(f: Figure) -> str:
    """The words of its clause right before a figure; inside a bracket still open, those after it
    (…（有效避难面积合计为36.61万平方米）), while a bracket closed is part of the name (化工（危化品）企业)."""
    words = re.split(r"[，。；：、,]", words_before(f))[-1]
    opened = max(words.rfind("（"), words.rfind("("))
    return words[opened + 1 :] if opened >= 0 and not re.search(r"[）)]", words[opened:]) else words


def _pair_in_sentence(ctx, query: Query, parts: list[str]) -> list[Operand] | None:
    """A part and its whole printed in one sentence, each named by the words right before it
    (占地面积398.39万平方米…（有效避难面积合计为36.61万平方米）)."""
    said = _numbers_said(query.original)
    for m in match_figures(query, ctx.figures, ctx.stats, top=5):
        # Both figures must be named by their own words below, so a weaker clause match may lead to them.
        if m.score < PAIR_MIN:
            continue
        # A whole and its part may sit in neighbouring sentences (指导3103个群租厂区…。完成规范化建设园区1995个).
        figs = [f for f in ctx.figures_near(m.figures[0]) if f.value is not None]
        counted = [f for f in figs if base_unit(f.unit) in query.units or f.unit in query.units]
        if len(counted) >= 2:
            figs = counted  # 多少家 asked: the whole and its part are both counted in 家, not in 条
        picked: list[Figure] = []
        for i, part in enumerate(parts):
            own = content_terms(part)
            other = set(content_terms(parts[1 - i]))
            marks = [t for t in own if t not in other] or list(own)

            def named(f: Figure, marks=marks, part=part) -> int:
                if _quotes(part, f, said):
                    return 100
                # The words before a figure name it first (供应商2018家); the noun after it, next (3103个群租厂区).
                before = _name_before(f)
                after = _noun_after(f)
                # The word right before the figure names it most closely (…核查N家 counts what was checked).
                return sum(
                    len(t) * max(2 if form in before else int(form in after) for form in lookup.synonyms_of(t))
                    for t in marks
                ) + any(before.endswith(form) for t in marks for form in lookup.synonyms_of(t))

            best = max((f for f in figs if f not in picked), key=named, default=None)
            if best is None or not named(best):
                break
            picked.append(best)
        if len(picked) == 2 and _same_unit(picked[0].unit, picked[1].unit):
            return [_from_figure(f, ctx, _name_before(f)) for f in picked]
    return None


def _rate_done(ctx, query: Query) -> Answer | None:
    """整改率 where the report prints what was found and what was fixed, and no rate beside them."""
    # The rate is a % and its name (整改完成率) is not printed: its inputs are counts, named by the rest.
    pair = _found_fixed(ctx, replace(query, units=(), terms=tuple(t for t in query.terms if not t.endswith("率"))))
    if pair is None or any(f.unit in ("%", "％") for f in ctx.figures_in(pair[0].sentence)):
        return None
    a, b = _in_one_scale([_from_figure(pair[1], ctx, "已整改/完成"), _from_figure(pair[0], ctx, "发现")])
    if not b.value or a.value > b.value:
        return None  # more done than found: the two figures count different things
    share = a.value / b.value * 100
    text = f"{_percent(share)}（{a.label}{a.raw} ÷ {b.label}{b.raw}）"
    return _computed(query, text, f"{a.raw} / {b.raw} × 100% = {format_number(round(share, 2))}%", [a, b])


def _rate_again(ctx, query: Query) -> Answer | None:
    """A printed rate worked out to more places from the two counts printed before it in its sentence
    (登船检查797艘次 of 1761艘次, 实船检查率达45% -> 45.26%), only when asked to work it out again."""
    if not RECOMPUTE.search(query.text):
        return None
    for m in match_figures(query, ctx.figures, ctx.stats, top=5):
        for f in m.figures:
            if f.unit not in ("%", "％") or "率" not in words_before(f)[-8:]:
                continue
            at = f.sentence.find(f.raw)
            counts = [g for g in ctx.figures_in(f.sentence) if g.unit not in ("%", "％") and g.value]
            counts = [g for g in counts if -1 < f.sentence.find(g.raw) < at][-2:]
            if len(counts) < 2 or not _same_unit(counts[0].unit, counts[1].unit):
                continue
            small, big = sorted(counts, key=lambda g: g.value)
            a, b = _from_figure(small, ctx, ""), _from_figure(big, ctx, "")
            share = a.value / b.value * 100
            text = f"{_percent(share)}（{a.raw} ÷ {b.raw}；报告所列为{f.raw}）"
            return _computed(query, text, f"{a.raw} / {b.raw} × 100% = {format_number(round(share, 2))}%", [a, b])
    return None


def _mean(ctx, query: Query) -> Answer | None:
    """An average per counted thing: a total and the count it spreads over, printed in one sentence."""
    per = MEAN_PER.search(query.text)
    if per is None:
        return None
    counted = base_unit(per.group(1) or per.group(2))
    # What the average is taken per, when named right after its measure word (每个区镇).
    after = re.match(
        r"[\u4e00-\u9fff]{2,4}?(?=平均|多少|几|有|能|分|摊|的|大约|大概|大致|约|[,，?？])", query.text[per.end() :]
    )
    noun = after.group(0) if after else ""
    # The measure words asked of the average, not those of what it is taken per or over (按建筑面积算).
    rest = PER_BASIS.sub("", MEAN_PER.sub("", query.text))
    asked = [u for u in understand(rest).units if not _same_unit(u, counted)]
    # The words that ask for the average (平均, 一起, 每个) name nothing to look up.
    said = per.group(0) + "".join(w for w in LEXICON["operations"]["mean"] if w in query.text)
    said += "".join(w for w in ("能分到", "分到", "分得", "摊到", "能有") if w in query.text)  # what each one gets
    terms = tuple(t for t in query.terms if t not in said and t != "平均")
    # Two fallbacks when a noun follows the measure word: the total may be counted in that measure too
    # (2619个终端 over 11个区镇, 每个区镇多少个; the noun after each figure tells them apart), and the noun may be
    # printed only as its measure word (专业抢险救援队20支 for 每支队伍), so it is left out of the terms.
    for words in (terms, tuple(t for t in terms if t not in noun)) if noun else (terms,):
        worded = replace(query, terms=words)
        ranked = match_figures(worded, ctx.figures, ctx.stats, top=5)  # one lookup for both measures
        for wanted in (asked, [counted]) if noun else (asked,):
            found = _mean_of(ctx, worded, ranked, counted, noun, wanted)
            if found is not None:
                return found
    return None


def _mean_of(ctx, query: Query, ranked: list, counted: str, noun: str, asked: list[str]) -> Answer | None:
    """_mean() over the clauses found for the question's terms, once the measure word it is taken per and
    the measure asked are read."""
    for m in ranked:
        if m.score < lookup.PROSE_MIN:
            continue

        # The thing counted may share its measure word with the total (2619个终端 over 11个区镇): then the
        # noun after the figure tells the count from the total.
        def per_noun(f: Figure) -> bool:
            return bool(noun) and _noun_after(f).startswith(noun)

        totals = [
            f
            for f in m.figures
            if (not _same_unit(f.unit, counted) or (noun and not per_noun(f)))
            and (not asked or base_unit(f.unit) in asked)
        ]
        # Of several, the one whose own words carry most of the question (有效避难面积, not 占地面积).
        totals.sort(
            key=lambda f: -sum(len(t) for t in query.terms if t in re.split(r"[，。；：、,（(]", f.subject)[-1])
        )
        for total in totals:
            counts = [
                f
                for f in ctx.figures_in(total.sentence)
                if _same_unit(f.unit, counted)
                and f.value
                and f is not total
                and (per_noun(f) or not _same_unit(total.unit, counted))
            ]
            if not counts and noun:
                counts = _counted_elsewhere(ctx, total.doc, counted, noun)
            if not counts:
                continue
            # The count nearest before the total is what it was spread over (立案2431起，处罚金额9990.92万元).
            at = total.sentence.find(total.clause)
            count = min(counts, key=lambda f: abs(at - total.sentence.find(f.clause)))
            # In the base units first: 36.61万平方米 ÷ 13.55万人 = 2.7平方米; 9990.92万元 ÷ 2431起 = 4.11万元.
            big = SCALE.get(total.unit[:1], 1)
            mean = total.value * big / (count.value * SCALE.get(count.unit[:1], 1))
            # In the scaled unit when the mean is that large, unless the question asks in the base unit (多少元).
            in_base = re.search(rf"(?:多少|几)\s*{re.escape(base_unit(total.unit))}", query.original)
            unit = total.unit if big > 1 and mean >= big and not in_base else base_unit(total.unit)
            mean = mean / big if unit == total.unit else mean
            each = counted + (noun if per_noun(count) else "")
            text = (
                f"平均每{each}约{_two_places(mean, unit) if mean != round(mean) else format_number(mean) + unit}"
                f"（{total.raw} ÷ {count.raw} = {format_number(round(mean, 4))}{unit}）"
            )
            ops = [_from_figure(total, ctx, "合计"), _from_figure(count, ctx, "数量")]
            return _computed(query, text, f"{total.raw} / {count.raw} = {format_number(round(mean, 4))}", ops)
    return None


def _counted_elsewhere(ctx, doc: str, counted: str, noun: str) -> list[Figure]:
    """The count of the things an average is taken per (每个区镇), printed apart from the total (全市11个区镇):
    its first printing, when every printing of it in the document gives the same number; else []."""
    found = [
        f
        for f in ctx._figs_by_doc.get(doc, [])
        if _same_unit(f.unit, counted) and f.value and _noun_after(f).startswith(noun)
    ]
    return found[:1] if len({f.value for f in found}) == 1 else []


def _two_places(value: float, unit: str = "") -> str:
    """A computed quotient to two places as the report prints its figures, with its shorter or one-place
    form beside when that reads differently: 2.70平方米（2.7平方米）, 41.18%（约41.2%）."""
    two, short, one = f"{value:.2f}", format_number(round(value, 2)), format_number(round(value, 1))
    if short != two:
        return f"{two}{unit}（{short}{unit}）"  # 50.00% as the report prints its changes, and as people say it
    return f"{two}{unit}" if float(two) == float(one) else f"{two}{unit}（约{one}{unit}）"


def _percent(value: float) -> str:
    """A computed percentage to two places, with its shorter or one-place form when that reads differently."""
    return _two_places(value, "%")


def _numbers_said(text: str) -> set[str]:
    """The numbers a question quotes, as written (years left out: they name a period, not a figure)."""
    return given_numbers(text)


def _quotes(part: str, f: Figure, said: set[str]) -> bool:
    """The part quotes the figure's number ("490人里…"): the figure is that part's, whatever words surround it."""
    return _digits(f) in said and _digits(f) in _numbers_said(part)


def _digits(f: Figure) -> str:
    """The number a figure prints, without its unit ("5000 万元" -> "5000")."""
    return re.sub(r"[^\d.].*$", "", f.raw)


def _quoted(ctx, query: Query) -> list[Figure]:
    """Report figures the question quotes ("查出730条隐患，整改了654条"): one sentence holding the most of them."""
    numbers = _numbers_said(query.original)
    if len(numbers) < 2:
        return []
    best: list[Figure] = []
    for term in sorted(query.terms, key=ctx.stats.idf, reverse=True)[:2]:
        for sentence in ctx.sentences_with(term):
            figs = [f for f in ctx.figures_in(sentence) if _digits(f) in numbers]
            if len(figs) > len(best):
                best = figs
    return best if len(best) >= 2 else []


def _quoted_anywhere(ctx, query: Query) -> list[Figure]:
    """The report figures a question quotes (2537家 … 1944家), each where the question's words are most."""
    found = []
    # A rate the question quotes (文中写45%) is what it asks worked out again, not an input.
    said = _numbers_said(QUOTED_PCT.sub(" ", query.original))
    for number in sorted(said, key=query.original.replace(",", "").find):
        figs = [f for f in ctx.index.figures if _digits(f) == number and f.unit]
        if not figs:
            return []
        found.append(max(figs, key=lambda f: lookup.coverage(query.terms, [(f.sentence, 1.0)], ctx.stats)[0]))
    return found


def _quoted_pair(ctx, query: Query) -> list[Operand]:
    """Two figures the question quotes in one measure (the one asked, when it names one), each printed in the
    text or in a table cell."""
    ops = []
    for number in sorted(_numbers_said(query.original), key=query.original.replace(",", "").find):
        figs = [f for f in ctx.index.figures if _digits(f) == number and f.unit]
        cells = [r for r in ctx.index.records if r.value is not None and number_of(r.raw) == number and r.unit]
        if figs:
            best = max(figs, key=lambda f: lookup.coverage(query.terms, [(f.sentence, 1.0)], ctx.stats)[0])
            ops.append(_from_figure(best, ctx, ""))
        elif cells:
            ops.append(_from_cell(cells[0], ctx, "表中"))
    if query.units:
        ops = [o for o in ops if base_unit(o.unit) in query.units]
    return ops if len(ops) == 2 and _same_unit(ops[0].unit, ops[1].unit) else []


def _found_fixed(ctx, query: Query, ranked: list | None = None) -> tuple[Figure, Figure] | None:
    """The figure found and the figure fixed of it, in one sentence or neighbouring ones."""
    quoted = _quoted(ctx, query)
    fixed_q = [f for f in quoted if FIXED.search(f.subject)]
    found_q = [f for f in quoted if f not in fixed_q and _same_unit(f.unit, fixed_q[0].unit)] if fixed_q else []
    if found_q:
        return found_q[0], fixed_q[0]  # the question gives both: they are the inputs
    ranked = ranked if ranked is not None else match_figures(query, ctx.figures, ctx.stats, top=5)
    for m in ranked[:5]:
        if m.score < lookup.PROSE_MIN:
            continue
        f0 = m.figures[0]
        # The total and the part done may sit in neighbouring sentences of one paragraph.
        same = [f for f in ctx.figures_near(f0) if not query.units or base_unit(f.unit) in query.units]
        found = next(
            (
                f
                for f in same
                if FOUND.search(f.clause[: f.clause.find(f.raw) + 1]) and not FIXED.search(f.subject[-6:])
            ),
            None,
        )
        if found is None and f0 in same and not FIXED.search(f0.subject[-6:]) and names_the_figure(query.terms, f0):
            found = f0  # a total the question names (共培养…272名，其中获得…57人)
        if found is None:
            continue
        after = same[same.index(found) + 1 :]
        fixed = next((f for f in after if FIXED.search(f.subject) and _same_unit(f.unit, found.unit)), None)
        if fixed is not None:
            return found, fixed
    return None


def _same_unit(a: str, b: str) -> bool:
    """Measure words a person takes for one another (人/名, 家/个)."""
    a, b = base_unit(a), base_unit(b)
    return a == b or b in UNIT_WORDS.get(a, ()) or a in UNIT_WORDS.get(b, ())


def _against_target(ctx, query: Query, op: str) -> Answer | None:
    """An indicator's actual or change against its planned target, read in the target's direction; each
    year asked is checked on its own ("21年和22年各自达标没有")."""
    row = _row(ctx, query)
    if row is None:
        return _to_full(ctx, query) if FULL.search(query.text) else None
    latest = max((r.year for r in row if r.year and r.measure == "actual" and r.value is not None), default=None)
    years = list(query.years) or ([latest] if latest else [])
    # Asked in the row's own unit (比上限<低/少>几<unit>), the fall target is checked as a level too.
    in_units = bool(ASK_UNIT.search(query.text) or LEVEL_NAMED.search(query.text)) and "百分点" not in query.text
    checks = [c for c in (_attainment(ctx, row, y, in_units) for y in years) if c is not None]
    if not checks:
        return None
    text = "；".join(c[0] for c in checks)
    formula = "；".join(c[1] for c in checks)
    ops = [o for c in checks for o in c[2]]
    cites = [x for c in checks for x in c[3]]
    return _computed(query, text, formula, ops, cites)


SAME_SHAPE = 60  # rapidfuzz ratio of two clauses without their numbers: 追究行政责任…人 / 追究刑事责任…人 is 71
SERIES_BONUS = 0.8  # a yearly series printed sentence after sentence (measured: 0.5 left 246 for 13574)
ACTUAL_NAMED = re.compile(r"实际|(?:19|20)\d{2}|\d{2}年|去年|前年|今年")


# The base of a multiple or a share named with the target or the actual (实际是目标的几成, 目标是实际数的几倍).
OF_BASE = re.compile(r"(规划目标|目标|实际)(?:值|数)?的(?:几倍|多少倍|百分之|几成)")


def _of_target(ctx, query: Query, op: str) -> Answer | None:
    """A year's actual and its row's target as a multiple or a share, in the order the question names them
    (<目标>是<年>实际的几倍; <年>占<目标>的百分之几)."""
    row = _row(ctx, query)
    target = next((r for r in row or () if r.measure == "target"), None)
    t = read_target(target.raw) if target else None
    if row is None or target is None or t is None or t.pct or not t.goal:
        return None  # a target in % of a change (>10%) is no level to divide by
    latest = max((r.year for r in row if r.year and r.measure == "actual" and r.value is not None), default=None)
    year = query.years[0] if query.years else latest
    actual = next((r for r in row if r.year == year and r.measure == "actual" and r.value is not None), None)
    named = ACTUAL_NAMED.search(query.text)
    if actual is None or not actual.value:
        return None
    goal = Operand("规划目标", target.raw, t.goal, actual.unit, row_citation(target, ctx))
    act = _from_cell(actual, ctx, f"{year}年实际")
    aimed = TARGET_WORD.search(query.text)
    first, second = (goal, act) if not named or (aimed and aimed.start() < named.start()) else (act, goal)
    base = OF_BASE.search(query.text)
    if base:
        # "目标是实际的几倍", "实际是目标的几成": the one before 的 is what the other is measured by.
        first, second = (act, goal) if TARGET_WORD.match(base.group(1)) else (goal, act)
    value = first.value / second.value
    inputs = f"{act.label}{act.raw}，{goal.label}{goal.raw}"
    formula = f"{format_number(first.value)} ÷ {format_number(second.value)} = {format_number(round(value, 4))}"
    if op == "times":
        text = f"{first.label}是{second.label}的{_two_places(value, '倍')}（{inputs}）"
    else:
        text = f"{first.label}占{second.label}的{_percent(value * 100)}（{inputs}）"
    return _computed(query, text, formula, [act, goal], source=f"{row[0].table}，“{row[0].indicator}”")


def _fall_level(base: float, raw: str, t) -> tuple[float, str, str]:
    """A fall target in per cent as a level of the base (33 less >20%: 低于26.4): the level, shown, its word."""
    level = round(base * (1 - t.goal / 100), decimals(raw) + 2)
    return level, format_number(level), "低于" if t.sign == ">" else "不超过"


LEVEL_ASKED = re.compile(r"(?:降|减|控制)(?:到|至|在)(?:多少|几)|上限是?多少|目标线是?多少")


def target_level(ctx, query: Query, row: list[TableRecord]) -> Answer | None:
    """A fall target in per cent asked as a level in the row's own unit (按下降N%算，上限是多少<unit>):
    基数 × (1 − 20%), which the table does not print."""
    # Asked in a measure word (多少起), not only implied by 人数; or asked as the level itself (要降到多少).
    asked = ASK_UNIT.search(query.text) or LEVEL_ASKED.search(query.text)
    # A per cent the question quotes (按下降20%算) is the target itself; a per cent asked is not a level.
    pct_asked = re.search(r"百分之|比例|占比|百分比|百分点|几成|(?<![\d.])%", query.text)
    if "target" not in query.measures or not asked or pct_asked:
        return None
    target = next((r for r in row if r.measure == "target"), None)
    base = next((r for r in row if r.measure == "base" and r.value is not None), None)
    t = read_target(target.raw) if target else None
    if target is None or base is None or base.value is None or t is None or not t.pct:
        return None
    if not target.indicator.endswith("下降"):
        return None
    unit = base.unit or next(iter(implied_units(target.indicator)), "")
    if query.units and unit not in query.units:
        return None  # a rate (万车死亡率) has no measure word: asked as a level, it is one
    _, shown, cap = _fall_level(base.value, base.raw, t)
    text = f"{cap}{shown}{unit}（规划目标下降{target.raw}：基数{base.raw}{unit}×(1-{t.digits}%)）"
    formula = f"{base.raw} × (1 - {t.digits}%) = {shown}"
    ops = [_from_cell(base, ctx, "基数"), _from_cell(target, ctx, "规划目标")]
    return _computed(query, text, formula, ops, source=f"{target.table}，“{target.indicator}”")


LEVEL_NAMED = re.compile(r"上限|这条线|目标线|红线|控制线")


def _attainment(ctx, row: list[TableRecord], year: int, in_units: bool = False):
    """(text, formula, operands, citations) for one year's figure against the row's target, or None."""
    target = next((r for r in row if r.measure == "target"), None)
    actual = next((r for r in row if r.year == year and r.measure == "actual"), None)
    change = next((r for r in row if r.year == year and r.measure == "change"), None)
    if target is None or actual is None:
        return None
    t = read_target(target.raw)
    if t is None:
        return None
    tval = t.goal
    ind = actual.indicator
    used = tuple(r.column for r in (target, actual, change) if r is not None)
    if t.pct and ind.endswith("下降") and change is not None and change.value is not None:
        # A ">20%" target on a 下降 indicator is met by the fall (降幅), not by the level.
        fall = -change.value
        met = fall_meets(fall, t)
        gap = round(fall - tval, 2)
        base = next((r for r in row if r.measure == "base" and r.value is not None), None)
        # The fall target in the row's own unit (33起 less 20%: at most 26.4起), as a briefing would say it.
        level = ""
        inputs = [_from_cell(change, ctx, "降幅"), _from_cell(target, ctx, "规划目标")]
        if base is not None and base.value is not None:
            bound, shown, cap = _fall_level(base.value, base.raw, t)
            unit = base.unit or next(iter(implied_units(ind)), "")
            level = f"（即{cap}{shown}{unit}：基数{base.raw}×(1-{t.digits}%)）"
            if actual.value is not None and in_units:
                # The same check in the row's own unit: how far the year's figure is under that level.
                under = round(bound - actual.value, max(decimals(actual.raw), decimals(shown)))
                word = "少" if under >= 0 else "多"
                level = (
                    f"；{actual.raw}{unit}比目标线{shown}{unit}{word}{format_number(abs(under))}{unit}"
                    f"（目标线＝基数{base.raw}×(1-{t.digits}%)）"
                )
            inputs.append(_from_cell(base, ctx, "基数"))
        text = (
            f"{year}年{'已达到' if met else '未达到'}：比基数下降{format_number(abs(change.value))}%，"
            f"规划目标下降{target.raw}，{'超出' if gap >= 0 else '相差'}{format_number(abs(gap))}个百分点{level}"
        )
        formula = f"{format_number(fall)} - {format_number(tval)} = {format_number(gap)}"
        return text, formula, inputs, []
    if actual.value is None or ("%" in target.raw and "%" not in actual.raw and actual.value > 100):
        return None  # a count printed in a rate's row (332 under 创建率 100%) is no rate to check
    places = max(decimals(actual.raw), decimals(t.digits))
    margin = format_number(round(abs(tval - actual.value), places))
    lowering = ind.endswith("降至")
    met = level_meets(actual.value, t, lowering)
    if is_cap(t, lowering):
        rule = f"{actual.raw} ≤ {format_number(tval)}"
        room = f"，距上限还有{margin}" if met else f"，超出上限{margin}"
    else:
        rule = f"{actual.raw} ≥ {format_number(tval)}"
        room = f"，超出目标{margin}" if met else f"，还差{margin}"
    text = f"{year}年{'已达到' if met else '未达到'}：实际数{actual.raw}，规划目标{target.raw}{room}（{ind}）"
    formula = f"{rule}；|{format_number(tval)} - {actual.raw}| = {margin}"
    return text, formula, [], [row_citation(actual, ctx, used)]


def _result(
    query: Query,
    op: str,
    ops: list[Operand],
    source: str,
    printed_change: str = "",
    than: bool = False,
    apart: bool = False,
) -> Answer:
    """Lead with the result, then the formula over the printed inputs.

    than: the question compares its first item with its second ("A比B多多少"): A − B, said as 多/少.
    apart: the inputs are two things named in the question, not one thing before and after."""
    ops = _in_one_scale(ops)
    unit = base_unit(ops[0].unit) if len({base_unit(o.unit) for o in ops}) == 1 else ""
    if not unit:
        # A table of counts prints bare numbers: the question's measure word, else the indicator's (…起数 → 起).
        unit = next((u for u in query.units if u != "%"), "") or next(iter(implied_units(ops[0].citation.text)), "")
    scale = ops[0].unit[:1] if ops[0].unit[:1] in "万亿千" and len({o.unit[:1] for o in ops}) == 1 else ""
    places = max(decimals(o.raw) for o in ops)
    inputs = "，".join(f"{o.label}{o.raw}" for o in ops)
    if op == "mean":
        mean = sum(o.value for o in ops) / len(ops)
        formula = f"({' + '.join(o.raw for o in ops)}) ÷ {len(ops)} = {format_number(round(mean, places + 2))}"
        return _computed(
            query,
            f"平均{format_number(round(mean, 2))}{scale}{unit}（{inputs}；{formula}）",
            formula,
            ops,
            source=source,
        )
    if op == "sum" or (op not in ("diff", "pct", "more", "times") and len(ops) > 2):
        total = round(sum(o.value for o in ops), places)
        res = f"{format_number(total)}{scale}{unit}"
        formula = " + ".join(o.raw for o in ops) + f" = {format_number(total)}"
        return _computed(query, f"合计{res}（{inputs}；{formula}）", formula, ops, source=source)
    a, b = (ops[0], ops[1])
    first, last = (b, a) if _later(a, b) or than else (a, b)  # change runs from the earlier to the later
    diff = round(last.value - first.value, places)
    pct = (last.value - first.value) / first.value * 100 if first.value else None
    pct_text = f"{'下降' if diff < 0 else '增长'}{_percent(abs(pct))}" if pct is not None else ""
    if printed_change:
        pct_text = f"{'下降' if printed_change.startswith('-') else '增长'}{printed_change.lstrip('-+')}（表中所列）"
    if op in ("times", "of") and first.value:
        # The later year over the earlier; without years, the first named over the second (A是B的几倍).
        top, base = (last, first) if _later(a, b) or _later(b, a) else (a, b)
        named = MULTIPLE_OF.search(query.text)  # "X年是Y年的多少倍": the year before 的几倍 is the base
        if named and _later(a, b) != _later(b, a):
            year = int(named.group(1)) + (2000 if len(named.group(1)) == 2 else 0)
            top, base = (a, b) if _of_year(b, year) else ((b, a) if _of_year(a, year) else (top, base))
        t = top.value / base.value
        size = _percent(t * 100) if op == "of" else _two_places(t, "倍")
        text = f"{top.label}是{base.label}的{size}（{inputs}）"
        return _computed(query, text, f"{top.raw} ÷ {base.raw} = {format_number(round(t, 4))}", ops, source=source)
    if op == "more":
        big, small = (a, b) if a.value >= b.value else (b, a)
        res = f"{big.label}多，比{small.label}多{format_number(abs(diff))}{scale}{unit}"
        formula = f"{big.raw} - {small.raw} = {format_number(abs(diff))}"
        return _computed(query, f"{res}（{inputs}）", formula, ops, source=source)
    if than:
        a, b = _plain_label(a), _plain_label(b)
        inputs = "，".join(f"{o.label}{o.raw}" for o in (a, b))
        word = "少" if diff < 0 else ("多" if diff > 0 else "一样多，相差")
        share = f"{'少' if diff < 0 else '多'}{_percent(abs(pct))}；" if pct is not None and unit != "%" else ""
        size = "个百分点" if unit == "%" else f"{scale}{unit}"  # rates differ in points
        text = f"{a.label}比{b.label}{word}{format_number(abs(diff))}{size}（{share}{inputs}）"
        formula = f"{a.raw} - {b.raw} = {format_number(diff)}"
        return _computed(query, text, formula, ops, source=source)
    if (apart or unit == "%") and not _later(a, b) and not _later(b, a):
        # Two things of one time (工程完成65.59%，投资完成64.18%; two projects' budgets): how far apart, not
        # a change; rates differ in points.
        a, b = _plain_label(a), _plain_label(b)
        inputs = "，".join(f"{o.label}{o.raw}" for o in (a, b))
        gap = round(abs(a.value - b.value), places)
        formula = f"|{a.raw} - {b.raw}| = {format_number(gap)}"
        size = f"{format_number(gap)}个百分点" if unit == "%" else f"{format_number(gap)}{scale}{unit}"
        return _computed(query, f"相差{size}（{inputs}）", formula, ops, source=source)
    word = "减少" if diff < 0 else ("增加" if diff > 0 else "持平，变化")
    formula = f"{last.raw} - {first.raw} = {format_number(diff)}"
    if pct is not None:
        formula += f"；({last.raw} - {first.raw}) / {first.raw} × 100% = {format_number(round(pct, 2))}%"
    if op == "pct" and pct is not None:
        text = f"{pct_text}（{word}{format_number(abs(diff))}{scale}{unit}；{inputs}）"
    else:
        text = f"{word}{format_number(abs(diff))}{scale}{unit}（{pct_text}；{inputs}）"
    return _computed(query, text, formula, ops, source=source)


def _plain_label(o: Operand) -> Operand:
    """A label without the comparison's own words (还多?) or a scene word whose year was taken out (截至)."""
    label = re.sub(r"(?:还|更)?(?:多|少|高|低)了?吗?[?？。]*$", "", o.label)
    label = re.sub(r"(?:相差|差了|差)(?:多少|几个?)?(?:百分点)?$", "", label)
    label = re.sub(r"\s+", "", re.sub(r"截至\s*(?:年底|年末|底)?", "", label)).strip("，,的")
    return replace(o, label=label or o.label)


def _in_one_scale(ops: list[Operand]) -> list[Operand]:
    """Operands printed at different scales (67.03万条 and 513条) in their base unit: 670300条 and 513条."""
    prefixes = {o.unit[:1] if o.unit[:1] in SCALE else "" for o in ops}
    if len(prefixes) <= 1:
        return ops
    if "" not in prefixes:
        # 2亿元 and 9037.52万元: both in the smaller scale (20000万元), as a person would put it.
        low = min(prefixes, key=lambda p: SCALE[p])
        return [replace(o, value=o.value * SCALE[o.unit[:1]] / SCALE[low], unit=low + base_unit(o.unit)) for o in ops]
    return [replace(o, value=o.value * SCALE.get(o.unit[:1], 1), unit=base_unit(o.unit)) for o in ops]


def _of_year(o: Operand, year: int) -> bool:
    """The operand is the figure of that year (its label starts with it)."""
    return o.label.startswith(f"{year}年")


def _later(a: Operand, b: Operand) -> bool:
    ya, yb = re.match(r"(\d{4})年", a.label), re.match(r"(\d{4})年", b.label)
    return bool(ya and yb and int(ya.group(1)) > int(yb.group(1)))


def _computed(
    query: Query, text: str, formula: str, ops: list[Operand], cites: list[Citation] | None = None, source: str = ""
) -> Answer:
    citations = list(cites or [])
    for o in ops:
        if o.citation not in citations:
            citations.append(o.citation)
    if source:
        text += f" —— {source}"
    return Answer(
        question=query.original, answer=text, kind="computed", citations=tuple(citations[:5]), working=formula
    )
