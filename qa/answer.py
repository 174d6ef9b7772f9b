"""The one entry point: question (+ history) -> Answer with citations, or not_found."""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import replace

import numpy as np

from . import computed, dashboard, metadata, ranking
from .asks import ASK_MARK, EACH, split_asks
from .combine import combine, lead_of
from .config import Settings, load_settings
from .errors import BadQuestion
from .figure_answers import FigureAnswers
from .lexicon import LEXICON
from .lookup import TermStats, figure_candidates, most_characters, present, row_candidates, rows_of
from .passage_answers import PassageAnswers
from .quote import row_citation, untracked_indicators
from .types import Answer, Figure, Hit, TableRecord
from .understand import REPORT_YEAR, Query, add_words, content_terms, is_noun, normalise, resolve_followup, understand
from .vocab import Vocabulary, readings

PLACE_SUFFIX = re.compile(r"[市县省镇区州村乡]$")
GAZETTEER = set(LEXICON["gazetteer"]["names"])
QUANTITY_NAME = re.compile(r"(?:数|率|数量|金额|人数|面积|长度|总量)$")
# How much of a name typed alone a passage's lead must print for it to answer (a typo, 安鉴 for 安监, may miss).
NAME_SHOWN = 0.75
# A message this short with no question word is a name typed alone (万车死亡率, 燃气安全).
BARE_NAME_CHARS = 14
# The nouns that say which measure of a thing is counted (受伤人数, 罚没金额).
MEASURE_NOUN = re.compile(r"人数|人次|起数|金额|数量|家数|次数|面积|长度|总数")
# A term printed in more than about one chunk in nine (隐患, 企业, 检查, 事故) names no subject by itself.
GENERIC_IDF = 2.2
# Words of a question asking what was done or what something is like: a passage describes it.
DESCRIBE = re.compile(r"哪些|什么|怎么样|如何|哪一步|进展|功能|做了|干了")
# 哪些/哪几项 + 指标 + a status verb (达到, 未达到, 尚未统计, 接近): a list of indicators by their status.
STATUS_ASKED = re.compile(
    r"(?:哪(?:些|几个|几项|几|个)|几项|多少项|几个)项?(?:主要)?指标[^？?]{0,16}?"
    r"(没有?达到|未达到|没达标|未达标|没完成|未完成|尚未统计|没有?统计|接近|达到|达标|完成)"
)


def check_question(question: str, limit: int) -> None:
    """Raise BadQuestion, with a message for the user, for an empty, over-long or wordless question."""
    if not question or not normalise(question):
        raise BadQuestion("请输入问题。")
    if len(question) > limit:
        raise BadQuestion(f"问题太长（{len(question)}字），请控制在{limit}字以内。")
    if not re.search(r"[\w\u4e00-\u9fff]", normalise(question)):
        raise BadQuestion("问题中没有可识别的文字，请换一种问法。")


PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")


class Answerer(FigureAnswers, PassageAnswers):
    """Answers questions over an opened index (records, figures and a retriever)."""

    def __init__(self, index, settings: Settings | None = None):
        self.index = index
        self.settings = settings or load_settings()
        self._rows = rows_of(index.records)
        self.rows = row_candidates(self._rows)
        self.figures = figure_candidates(index.figures)
        self._figs_by_doc: dict[str, list[Figure]] = {}
        for f in index.figures:
            self._figs_by_doc.setdefault(f.doc, []).append(f)
        self._paths: dict[tuple[str, tuple[str, ...]], int | None] = {}
        for c in index.chunks:
            for depth in range(1, len(c.section) + 1):
                self._paths.setdefault((c.doc, c.section[:depth]), c.page)
        self._chunks_by_section: dict[tuple, list] = {}
        for c in index.chunks:
            self._chunks_by_section.setdefault((c.doc, c.section), []).append(c)
        texts = [c.text for c in index.chunks]
        self.stats = TermStats(texts)
        self._printed_idf = math.log((self.stats.n + 1) / 2.5)  # a term in at least two passages
        self._doc_years: dict[str, set[int]] = {}
        for c in index.chunks:
            self._doc_years.setdefault(c.doc, set()).update(int(y) for y in re.findall(r"((?:19|20)\d{2})年", c.text))
        for r in index.records:
            if r.year:
                self._doc_years.setdefault(r.doc, set()).add(r.year)
        self._by_sentence: dict[str, list[Figure]] = {}
        self._by_paragraph: dict[tuple, list[Figure]] = {}
        for f in index.figures:
            self._by_sentence.setdefault(f.sentence, []).append(f)
            self._by_paragraph.setdefault((f.doc, f.lines), []).append(f)
        self.vocab = Vocabulary(texts + [d.get("title", "") for d in index.docs])
        # The names the tables give their rows (indicators, census categories), longest first.
        paths = [r.context.split("：", 1)[-1].split("；")[0].split(" > ") for r in index.records]
        self.item_names = tuple(
            sorted(
                {r.indicator for r in index.records} | {seg for p in paths for seg in p} - {""}, key=len, reverse=True
            )
        )
        # Row names that hold a joining word themselves (A调查和B调查、C调查): one item when a question lists items.
        self.joined_names = tuple(n for n in self.item_names if re.search(r"和|与|及|、", n) and len(n) >= 6)
        # Each row name's enclosing categories (房屋建筑 holds 城镇住宅), so a sum does not count both.
        self.item_parents: dict[str, set[str]] = {}
        for p in paths:
            for i, seg in enumerate(p):
                # A census path repeats a name when its 中类 and 小类 are the same
                # (历史灾害 > 年度自然灾害 > 年度自然灾害).
                self.item_parents.setdefault(seg, set()).update(x for x in p[:i] if x != seg)
        add_words(list(self.item_names))
        self.titles = {d["name"]: d.get("title", d["name"]) for d in index.docs}
        self._searches: dict[tuple, list[Hit]] = {}
        self._position = {c.id: i for i, c in enumerate(index.chunks)}
        self._untracked = untracked_indicators(index.records, index.chunks)
        self._statuses: list[dashboard.IndicatorStatus] | None = None  # judged on the first question asking
        self._heading_vectors: tuple[list, np.ndarray] | None = None  # read on the first section question
        # Each table row by (table, indicator) and document, to name another document printing it otherwise.
        self._rows_by_name: dict[tuple[str, str], dict[str, list[TableRecord]]] = {}
        for (doc, table, _, _), recs in self._rows.items():
            self._rows_by_name.setdefault((table, recs[0].indicator), {}).setdefault(doc, recs)
        # Load the embedding model now, so the first question is not the one that waits for it.
        self.index.search("报告", 1)
        understand("2022年报告")  # and the tokenizer dictionaries
        readings()  # and the character readings for typos that sound alike (~40 ms on first use)
        # The tables' 基数 column names the base year (比<基数年> asks for the change column).
        bases = Counter(r.year for r in index.records if r.measure == "base" and r.year)
        self.base_year = bases.most_common(1)[0][0] if bases else None
        # The latest year each document's tables give actual figures for: a figure it prints with no year is
        # that year's or the period's.
        latest: dict[str, int] = {}
        for r in index.records:
            if r.measure == "actual" and r.year:
                latest[r.doc] = max(latest.get(r.doc, 0), r.year)
        self.latest_years = tuple(sorted(latest.items()))
        self.years = {d["name"]: d.get("report_year") or REPORT_YEAR for d in index.docs}
        self._title_terms = {
            d["name"]: set(content_terms(normalise(self.titles[d["name"]])))
            | set(re.findall(r"(?:19|20)\d{2}", self.titles[d["name"]]))
            for d in index.docs
        }

    # ---- public -------------------------------------------------------------------------------

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        """Answer one question; history is the user's earlier questions, oldest first."""
        started = time.perf_counter()
        check_question(question, self.settings.max_question_chars)
        report_year = max(self.years.values(), default=REPORT_YEAR)
        resolved = resolve_followup(question, list(history or []), report_year)
        query = self._read(resolved, report_year)
        own_years = {self.years[d] for d in query.docs}
        if len(own_years) == 1 and report_year not in own_years:
            # 去年/今年 are read against the date of the document the question names.
            report_year = own_years.pop()
            resolved = resolve_followup(question, list(history or []), report_year)
            query = self._read(resolved, report_year)
        asks = split_asks(
            resolved,
            report_year,
            generic=lambda term: self.stats.idf(term) < GENERIC_IDF,
            names=self.joined_names,
            known=self.vocab.knows,
        )
        if len(asks) > 1:
            parts: list[Answer] = []
            for a in asks:
                # A later part ("罚了多少？") most likely asks of the paragraph that answered the part before.
                near = (
                    parts[-1].citations[0] if parts and parts[-1].kind != "not_found" and parts[-1].citations else None
                )
                ask_query = self._read(a, report_year)
                parts.append(self._answer(replace(ask_query, near=(near.doc, near.lines)) if near else ask_query))
            if EACH.search(resolved):
                parts = self._joint_counts(parts, asks)
            answer = combine(parts, asks)
            if any(p.kind == "not_found" for p in parts) and DESCRIBE.search(resolved):
                # "规模多大，有哪些功能区": asks about one thing that the report describes in one passage; the
                # passage answers the parts the figures could not.
                whole = self._passage(query)
                if whole.kind == "passage":
                    found = [f"（{i}）{lead_of(p)}" for i, p in enumerate(parts, 1) if p.kind in ("figure", "computed")]
                    head = "；".join(found) + "\n\n" if found else ""
                    answer = replace(whole, answer=head + whole.answer)
        else:
            answer = self._answer(query if asks[0] == resolved else self._read(asks[0], report_year))
        resolved_info = {
            "question": resolved,
            "years": list(query.years),
            "base_years": list(query.base_years),
            "measures": list(query.measures),
            "units": list(query.units),
            "intent": query.intent,
            "docs": list(query.docs),
            "asks": asks if len(asks) > 1 else [],
            "unknown_terms": list(query.unknown),
        }
        if query.year_note:
            resolved_info["year_note"] = query.year_note
            if answer.kind != "not_found":
                answer = replace(answer, answer=f"{answer.answer}\n（{query.year_note}）")
        return replace(
            answer, question=question, resolved=resolved_info, latency_ms=(time.perf_counter() - started) * 1000
        )

    def _joint_counts(self, parts: list[Answer], asks: list[str]) -> list[Answer]:
        """Items asked each (A和B各几个) that lead with one and the same printed figure whose clause names
        them all (N处A、B): the report counts them together, so no item's own count is given."""
        keys = [
            (lead_of(p), p.citations[0].text)
            if p.kind == "figure" and p.citations and not p.citations[0].table_row  # a row has a cell per item
            else None
            for p in parts
        ]
        terms = [set(content_terms(a)) for a in asks]
        out = []
        for i, (p, key) in enumerate(zip(parts, keys)):
            same = [j for j, k in enumerate(keys) if k == key and j != i]
            quote = p.answer.split("\n")[0].split(" —— ", 1)[-1]
            joint = (
                key is not None
                and same
                # each item's own words are in the one clause, and it does not say 各/均 (each has it)
                and all(
                    present(t, quote) or most_characters(t, quote)
                    for j in [i, *same]
                    for t in terms[j] - terms[i if j != i else same[0]]
                )
                and not re.search(r"各|均|分别", quote)
            )
            if joint and key is not None:
                note = f"报告只给出合计数“{key[0]}”（{quote}），没有分开的数字"
                out.append(replace(p, kind="not_found", answer=f"报告中未找到该问题的答案：{note}。"))
            else:
                out.append(p)
        return out

    def _read(self, text: str, report_year: int) -> Query:
        """Understand one ask, scoped to the documents it names, its terms checked against the documents."""
        query = replace(understand(text, report_year, self.base_year), latest_years=self.latest_years)
        return self._vet(self._scope(query))

    # ---- routing ------------------------------------------------------------------------------

    def _scope(self, query: Query) -> Query:
        """Limit the question to the documents it names by words of their titles that others lack."""
        # A place named in a title (昆山市…报告) is the documents' own place, not another city to refuse.
        # A word inside a row name the question names whole is that name's word (jieba tags 大型超市 as a place).
        in_names = [p for p in query.places if any(p in n and n in query.text for n in self.item_names)]
        # A word jieba tags as a place, with no place suffix and no known place's name, that the documents
        # print in several passages, is their word (新建, 长度), not a place they do not cover.
        in_names += [
            p
            for p in query.places
            if not PLACE_SUFFIX.search(p) and p not in GAZETTEER and self.stats.idf(p) < self._printed_idf
        ]
        query = replace(query, places=tuple(p for p in query.places if p not in in_names))
        own = [p for p in query.places if any(p.rstrip("市县区省镇") in t for t in self.titles.values())]
        if own:
            query = replace(
                query,
                places=tuple(p for p in query.places if p not in own),
                terms=tuple(t for t in query.terms if not any(t in p or p in t for p in own)),
            )
        if len(self._title_terms) < 2:
            return query
        shared = set.intersection(*self._title_terms.values())
        named = {name for name, terms in self._title_terms.items() if any(t in query.original for t in terms - shared)}
        if not named or len(named) == len(self._title_terms):
            return query
        words = set().union(*(self._title_terms[n] - shared for n in named))
        return replace(query, docs=tuple(sorted(named)), terms=tuple(t for t in query.terms if t not in words))

    def _printed_years(self, docs: tuple[str, ...]) -> set[int]:
        """Years the (named) documents print anywhere: in text, tables and column headers."""
        return set().union(*(self._doc_years.get(d, set()) for d in (docs or self._doc_years)))

    def row_records(self, rec: TableRecord) -> list[TableRecord]:
        """Every cell of the table row that holds rec, in column order."""
        return self._rows.get((rec.doc, rec.table, rec.row, rec.lines), [rec])

    def figures_near(self, f: Figure) -> list[Figure]:
        """The prose figures of f's sentence and the next sentence of its paragraph, in reading order."""
        para = self._by_paragraph.get((f.doc, f.lines), [])
        sentences = list(dict.fromkeys(g.sentence for g in para))
        at = sentences.index(f.sentence) if f.sentence in sentences else -1
        keep = set(sentences[at : at + 2]) if at >= 0 else {f.sentence}
        return [g for g in para if g.sentence in keep] or self.figures_in(f.sentence)

    def sentences_with(self, term: str) -> list[str]:
        """The sentences holding prose figures that also print the term (anywhere, not only near a figure)."""
        return [s for s in self._by_sentence if term in s]

    def figures_in(self, sentence: str) -> list[Figure]:
        """The prose figures of one sentence, in reading order."""
        return self._by_sentence.get(sentence, [])

    def _vet(self, query: Query) -> Query:
        """Mend one-character typos against the report's words; leave out terms no document prints."""
        checked = self.vocab.check(query.terms, query.text)
        # A mistyped word is not a place, whatever its tag said (避南 for 避难).
        typed = [t for t, _ in checked.corrected]
        places = tuple(p for p in query.places if not any(p in t or t in p for t in typed))
        text = query.text
        for was, fixed in checked.corrected:
            text = text.replace(was, fixed)  # retrieval searches what the report writes, not the typo
        return replace(query, text=text, terms=checked.known, unknown=checked.unknown, places=places)

    def _answer(self, query: Query) -> Answer:
        """One ask -> its answer: the first route that answers it, in this order."""
        routes = (
            self._about_document,  # title page: 标题, 编制单位, 日期
            self._nothing_known,  # no term the documents print
            self._year_not_printed,  # a year no document has
            self._where_discussed,  # section: 在哪部分
            self._indicators_by_status,  # which indicators have a status: the dashboard's statuses, as a list
            self._ranking,  # which item is largest or smallest: indicators, census categories, years
            self._arithmetic,  # computed: sums, differences, what remains, target gap
            self._who_or_where,  # a name or a place on the ground: a passage
            self._bare_name,  # an indicator's name alone: its figures
            self._figure_or_refusal,  # figure: a table cell or a prose figure; refusal naming what is missing
        )
        for route in routes:
            answer = route(query)
            if answer is not None:
                return answer
        return self._passage(query)  # passage: what the report says

    # ---- routes: each returns an Answer, or None to pass the question on ------------------------

    def _about_document(self, query: Query) -> Answer | None:
        what = metadata.asked(query.original)
        # Only when every other word of the question is a word of a title or of the ask itself ("编制单位"),
        # and it names nothing the documents never print (a final evaluation, where the title is a mid-term one).
        if (
            what
            and not any(is_noun(t) and not metadata.asks_word(t) for t in query.unknown)
            and all(any(t in title for title in self.titles.values()) or metadata.asks_word(t) for t in query.terms)
        ):
            return metadata.answer(
                query.original, what, [d for d in self.index.docs if not query.docs or d["name"] in query.docs]
            )
        return None

    def _nothing_known(self, query: Query) -> Answer | None:
        if not query.terms and query.unknown:
            return self._not_found(query, f"报告中没有提到“{'、'.join(query.unknown)}”")
        if not query.terms:
            return self._not_found(query, "问题中没有可查找的内容，请说明要查的指标或事项")
        return None

    def _year_not_printed(self, query: Query) -> Answer | None:
        # A five-year plan period (十三五) no document names: its years are not the report's either.
        period = next((p for p in PLAN_PERIOD.findall(query.original) if not self.vocab.knows(p)), None)
        if period:
            return self._not_found(query, f"报告没有“{period}”时期的数据")
        printed = self._printed_years(query.docs)
        absent = [y for y in query.years + query.base_years if y not in printed]
        if not absent:
            return None
        # A year no document prints at all: nothing in the report can be that year's figure.
        have = "、".join(f"{y}年" for y in sorted(printed) if y <= max(self.years.values()))
        return self._not_found(query, f"报告没有{absent[0]}年的数据（报告给出数据的年份：{have}）")

    def statuses(self) -> list[dashboard.IndicatorStatus]:
        """The indicator tables' rows judged against their targets (the dashboard's), judged once."""
        if self._statuses is None:
            self._statuses = dashboard.indicator_statuses(self.index.records, self.index.chunks)
        return self._statuses

    def _indicators_by_status(self, query: Query) -> Answer | None:
        asked = STATUS_ASKED.search(query.text)
        if asked is None:
            return None
        chosen, said = dashboard.ASKED[dashboard.asked_kind(asked.group(1))]
        wanted = [s for s in self.statuses() if chosen(s)]
        if not wanted:
            return self._not_found(query, f"按表中数字和报告所述，没有{said}")
        lines = []
        for i, s in enumerate(wanted, 1):
            report = "；".join(f"报告称{v.verdict}" for v in s.report)
            lines.append(
                f"{i}. {s.indicator}（{s.table} 第{s.row}行）：{s.status}（{s.rule}）"
                + (f"；{report}" if report else "")
            )
        text = f"{said}共{len(wanted)}项：\n" + "\n".join(lines)
        cites = [row_citation(s.records[0], self, tuple(r.column for r in s.records)) for s in wanted]
        return Answer(question=query.original, answer=text, kind="passage", citations=tuple(cites[:5]))

    def _where_discussed(self, query: Query) -> Answer | None:
        return self._section(query) if query.intent == "section" else None

    def _ranking(self, query: Query) -> Answer | None:
        return ranking.answer(self, query)

    def _arithmetic(self, query: Query) -> Answer | None:
        op = computed.operation(query)
        two_years = len(query.years) + len(query.base_years) >= 2
        if op is None and query.intent == "compare" and two_years:
            op = "diff"  # 比 between two years with no arithmetic word asks for the difference
        if op and (
            query.intent == "compare"
            or op in ("remain", "gap", "reach", "sum", "diff", "ratio", "mean", "times")
            or (op == "pct" and (computed.CHANGED_BY.search(query.text) or computed.OF_BASE.search(query.text)))
            or two_years
            or computed.ALL_YEARS.search(query.text)
        ):
            return computed.answer(self, query, op)
        return None

    def _who_or_where(self, query: Query) -> Answer | None:
        if query.intent == "who" and query.unknown:
            # A name, never a number; and a role the report never mentions has no name in it.
            return self._not_found(query, f"报告中没有提到“{'、'.join(query.unknown)}”")
        return self._passage(query) if query.intent in ("who", "place") else None

    def _bare_name(self, query: Query) -> Answer | None:
        if query.intent != "passage" or ASK_MARK.search(query.text) or len(normalise(query.original)) > BARE_NAME_CHARS:
            return None
        named = self._named_figure(query)
        if named is None and QUANTITY_NAME.search(query.text):
            # A quantity's name typed alone (…站数, …率) asks for a figure: one clearly found (held to a
            # passage question's stricter match), or a refusal saying what is missing; a passage about its
            # neighbours would not answer it.
            found = self._figure(query) or self._lacking(replace(query, intent="figure"))
            if found is not None:
                return found
            passage = self._passage(query)
            lead = passage.answer.split("\n", 1)[0]
            if passage.kind != "not_found" and re.search(r"\d", lead) and _names(query.terms, lead):
                return passage
            return self._refuse_figure(query)
        return named

    def _lacking(self, query: Query) -> Answer | None:
        """A refusal when the subject or the kind of count asked is one no document prints, else None."""
        missing = [t for t in query.unknown if len(t) >= 2 and is_noun(t)]
        named = [t for t in query.terms if is_noun(t) and self.stats.idf(t) >= GENERIC_IDF]
        if missing and not named and query.intent in ("figure", "compare"):
            # The subject is a noun no document prints (非煤矿山企业…隐患) and the words left are common ones:
            # any figure they find would be another subject's.
            return self._not_found(query, f"报告中没有提到“{'、'.join(missing)}”")
        kind = [t for t in query.unknown if re.search(re.escape(t) + f"(?:{MEASURE_NOUN.pattern})", query.text)]
        if kind:
            # A kind of count the documents never print (X人数 where only Y人数 is): a figure of the
            # same measure would be another kind's.
            return self._not_found(query, f"报告中没有“{kind[0]}”的相关数字")
        return None

    def _figure_or_refusal(self, query: Query) -> Answer | None:
        if not (query.intent in ("figure", "compare") or query.years or query.measures):
            return None
        lacking = self._lacking(query)
        if lacking is not None:
            return lacking
        figure = self._figure(query)
        if figure is not None:
            return figure
        if query.intent in ("figure", "compare") or query.places:
            # Another place's figure asked (张浦镇…的降幅): a passage about the city would mislead.
            return self._refuse_figure(query)
        return None

    # ---- shared by the answer kinds ---------------------------------------------------------------


def _names(terms: tuple[str, ...], sentence: str) -> bool:
    """Whether a sentence prints most of a name's words (by their length); a long word may show most characters."""
    shown = sum(len(t) for t in terms if t in sentence or (len(t) >= 3 and most_characters(t, sentence)))
    return shown >= NAME_SHOWN * sum(len(t) for t in terms) > 0
