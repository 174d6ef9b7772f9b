"""The one entry point: question (+ history) -> Answer with citations, or not_found."""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import replace

from .config import load_settings
from .errors import BadQuestion
from .figures import years_in
from .lookup import (PROSE_MIN, TABLE_MIN, FigureMatch, RowMatch, TermStats, base_unit, coverage, figure_candidates,
                     indicator_precision,
                     match_figures, match_rows, pick_columns, present, row_candidates, rows_of)
from .quote import (best_sentence, chunk_citation, clauses_in, dedupe_hits, figure_citation, heading_citation,
                    index_of, is_heading_chunk, list_item, multi_ask, narrower_or_broader, row_citation,
                    untracked_indicators)
from .types import Answer, Citation, Figure, Hit, TableRecord
from .asks import split_asks
from . import computed, metadata
from .combine import combine
from .constraints import figure_conflict, row_conflict
from .lexicon import any_of
from .vocab import Vocabulary
from .understand import REPORT_YEAR, Query, add_words, content_terms, normalise, resolve_followup, understand

LOCATION = any_of("asks", "location_marks")
LISTING = re.compile(r"哪些|哪几|包括|分别|哪[一二三四五六七八九十两\d]+[项个类条方面种]|有什么")
PASSAGE_MIN = 0.30        # below this even a passage answer would be a guess


class Answerer:
    """Answers questions over an opened index (records, figures and a retriever)."""

    def __init__(self, index):
        self.index = index
        self.rows = row_candidates(rows_of(index.records))
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
        self.item_names = tuple(sorted({r.indicator for r in index.records} | {seg for p in paths for seg in p} - {""},
                                       key=len, reverse=True))
        # Each row name's enclosing categories (房屋建筑 holds 城镇住宅), so a sum does not count both.
        self.item_parents: dict[str, set[str]] = {}
        for p in paths:
            for i, seg in enumerate(p):
                # A census path repeats a name when its 中类 and 小类 are the same (历史灾害 > 年度自然灾害 > 年度自然灾害).
                self.item_parents.setdefault(seg, set()).update(x for x in p[:i] if x != seg)
        add_words(list(self.item_names))
        self.titles = {d["name"]: d.get("title", d["name"]) for d in index.docs}
        self._searches: dict[tuple[str, str], list[Hit]] = {}
        self._position = {c.id: i for i, c in enumerate(index.chunks)}
        self._untracked = untracked_indicators(index.records, index.chunks)
        # Load the embedding model now, so the first question is not the one that waits for it.
        self.index.search("报告", 1)
        understand("2022年报告")        # and the tokenizer dictionaries
        # The tables' 基数 column names the base year (比<基数年> asks for the change column).
        bases = Counter(r.year for r in index.records if r.measure == "base" and r.year)
        self.base_year = bases.most_common(1)[0][0] if bases else None
        self.years = {d["name"]: d.get("report_year") or REPORT_YEAR for d in index.docs}
        self._title_terms = {d["name"]: set(content_terms(normalise(self.titles[d["name"]]))) | set(
            re.findall(r"(?:19|20)\d{2}", self.titles[d["name"]])) for d in index.docs}

    # ---- public -------------------------------------------------------------------------------

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        """Answer one question; history is the user's earlier questions, oldest first."""
        started = time.perf_counter()
        self._check(question)
        report_year = max(self.years.values(), default=REPORT_YEAR)
        resolved = resolve_followup(question, list(history or []), report_year)
        query = self._read(resolved, report_year)
        own_years = {self.years[d] for d in query.docs}
        if len(own_years) == 1 and report_year not in own_years:
            # 去年/今年 are read against the date of the document the question names.
            report_year = own_years.pop()
            resolved = resolve_followup(question, list(history or []), report_year)
            query = self._read(resolved, report_year)
        asks = split_asks(resolved, report_year)
        if len(asks) > 1:
            answer = combine([self._answer(self._read(a, report_year)) for a in asks], asks)
        else:
            answer = self._answer(query)
        resolved_info = {"question": resolved, "years": list(query.years), "base_years": list(query.base_years),
                         "measures": list(query.measures), "units": list(query.units), "intent": query.intent,
                         "docs": list(query.docs), "asks": asks if len(asks) > 1 else [],
                         "unknown_terms": list(query.unknown)}
        if query.year_note:
            resolved_info["year_note"] = query.year_note
            if answer.kind != "not_found":
                answer = replace(answer, answer=f"{answer.answer}\n（{query.year_note}）")
        return replace(answer, question=question, resolved=resolved_info,
                       latency_ms=(time.perf_counter() - started) * 1000)

    def _read(self, text: str, report_year: int) -> Query:
        """Understand one ask, scoped to the documents it names, its terms checked against the documents."""
        return self._vet(self._scope(understand(text, report_year, self.base_year)))

    # ---- routing ------------------------------------------------------------------------------

    def _scope(self, query: Query) -> Query:
        """Limit the question to the documents it names by words of their titles that others lack."""
        # A place named in a title (昆山市…报告) is the documents' own place, not another city to refuse.
        # A word inside a row name the question names whole is that name's word (jieba tags 大型超市 as a place).
        named = [p for p in query.places if any(p in n and n in query.text for n in self.item_names)]
        query = replace(query, places=tuple(p for p in query.places if p not in named))
        own = [p for p in query.places if any(p.rstrip("市县区省镇") in t for t in self.titles.values())]
        if own:
            query = replace(query, places=tuple(p for p in query.places if p not in own),
                            terms=tuple(t for t in query.terms if not any(t in p or p in t for p in own)))
        if len(self._title_terms) < 2:
            return query
        shared = set.intersection(*self._title_terms.values())
        named = {name for name, terms in self._title_terms.items()
                 if any(t in query.original for t in terms - shared)}
        if not named or len(named) == len(self._title_terms):
            return query
        own = set().union(*(self._title_terms[n] - shared for n in named))
        return replace(query, docs=tuple(sorted(named)), terms=tuple(t for t in query.terms if t not in own))

    def _printed_years(self, docs: tuple[str, ...]) -> set[int]:
        """Years the (named) documents print anywhere: in text, tables and column headers."""
        return set().union(*(self._doc_years.get(d, set()) for d in (docs or self._doc_years)))

    def figures_near(self, f: Figure) -> list[Figure]:
        """The prose figures of f's sentence and the next sentence of its paragraph, in reading order."""
        para = self._by_paragraph.get((f.doc, f.lines), [])
        sentences = list(dict.fromkeys(g.sentence for g in para))
        at = sentences.index(f.sentence) if f.sentence in sentences else -1
        keep = set(sentences[at:at + 2]) if at >= 0 else {f.sentence}
        return [g for g in para if g.sentence in keep] or self.figures_in(f.sentence)

    def figures_in(self, sentence: str) -> list[Figure]:
        """The prose figures of one sentence, in reading order."""
        return self._by_sentence.get(sentence, [])

    def _vet(self, query: Query) -> Query:
        """Mend one-character typos against the report's words; leave out terms no document prints."""
        checked = self.vocab.check(query.terms, query.text)
        # A mistyped word is not a place, whatever its tag said (避南 for 避难).
        typed = [t for t, _ in checked.corrected]
        places = tuple(p for p in query.places if not any(p in t or t in p for t in typed))
        return replace(query, terms=checked.known, unknown=checked.unknown, places=places)

    def _check(self, question: str) -> None:
        limit = load_settings().max_question_chars
        if not question or not normalise(question):
            raise BadQuestion("请输入问题。")
        if len(question) > limit:
            raise BadQuestion(f"问题太长（{len(question)}字），请控制在{limit}字以内。")
        if not re.search(r"[\w\u4e00-\u9fff]", normalise(question)):
            raise BadQuestion("问题中没有可识别的文字，请换一种问法。")

    def _answer(self, query: Query) -> Answer:
        what = metadata.asked(query.original)
        # Only when every other word of the question is a word of a title or of the ask itself ("编制单位").
        if what and all(any(t in title for title in self.titles.values()) or metadata.asks_word(t)
                        for t in query.terms):
            about = metadata.answer(query.original, what, [d for d in self.index.docs
                                                         if not query.docs or d["name"] in query.docs])
            if about is not None:
                return about
        if not query.terms and query.unknown:
            return self._not_found(query, f"报告中没有提到“{'、'.join(query.unknown)}”")
        if not query.terms:
            return self._not_found(query, "问题中没有可查找的内容，请说明要查的指标或事项")
        printed = self._printed_years(query.docs)
        absent = [y for y in query.years + query.base_years if y not in printed]
        if absent:
            # A year no document prints at all: nothing in the report can be that year's figure.
            have = "、".join(f"{y}年" for y in sorted(printed) if y <= max(self.years.values()))
            return self._not_found(query, f"报告没有{absent[0]}年的数据（报告给出数据的年份：{have}）")
        if query.intent == "section":
            return self._section(query)
        op = computed.operation(query)
        if op is None and query.intent == "compare" and len(query.years) + len(query.base_years) >= 2:
            op = "diff"         # 比 between two years with no arithmetic word asks for the difference
        if op and (query.intent == "compare" or op in ("remain", "gap", "reach") or computed.ALL_YEARS.search(query.text)
                   or len(query.years) + len(query.base_years) >= 2 or op in ("sum", "diff")):
            result = computed.answer(self, query, op)
            if result is not None:
                return result
        if query.intent == "place":
            return self._passage(query)
        if query.intent == "who":
            # A name, never a number; and a role the report never mentions has no name in it.
            if query.unknown:
                return self._not_found(query, f"报告中没有提到“{'、'.join(query.unknown)}”")
            return self._passage(query)
        if query.intent in ("figure", "compare") or query.years or query.measures:
            figure = self._figure(query)
            if figure is not None:
                return figure
            if query.intent in ("figure", "compare") or query.places:
                # Another place's figure asked (张浦镇…的降幅): a passage about the city would mislead.
                return self._refuse_figure(query)
        return self._passage(query)

    # ---- figures ------------------------------------------------------------------------------

    def _figure(self, query: Query) -> Answer | None:
        rows = match_rows(query, self.rows, self.stats)
        figs = match_figures(query, self.figures, self.stats)
        row = rows[0] if rows else None
        fig = figs[0] if figs else None
        strict = query.intent == "passage"     # a passage question needs a clear figure to be answered with one
        t_min, p_min = (TABLE_MIN + 0.15, PROSE_MIN + 0.2) if strict else (TABLE_MIN, PROSE_MIN)
        # A table row is preferred when it is about as good: it is structured and has every column.
        # Columns only a table has (目标, 基数, 降幅) or a question naming a table settle it for the table.
        table_asked = bool(set(query.measures) & {"target", "base", "change"}) or "表" in query.text or (
            row is not None and indicator_precision(row.indicator, query.text, self.stats) >= 0.7
            and (not query.units or any(base_unit(r.unit) in query.units for r in row.records)))
        margin = 1.0 if table_asked else 0.1
        if row and row.score >= t_min and (not fig or row.score >= fig.score - margin):
            cells, note = pick_columns(query, row.records)
            if cells and any(c.raw not in ("", "/") for c in cells):
                return self._table_answer(query, row, cells)
            # The row is the quantity asked but lacks the year: only prose printed for that year may answer.
            if fig and fig.score >= p_min and (not query.years or any(str(y) in years_in(fig.figures[0].sentence)
                                                                      for y in query.years)):
                return self._prose_answer(query, fig, figs)
            return self._not_found(query, note or self._empty_note(row, cells), row_citation(row.records[0], self))
        # A "what" question that names only a column word (有什么制度要求) is answered by a table row or a
        # passage, not by a number picked out of running text.
        if fig and fig.score >= p_min and not (strict and not query.years and not query.units):
            return self._prose_answer(query, fig, figs)
        return None

    def _empty_note(self, row: RowMatch, cells: list[TableRecord]) -> str:
        shown = "、".join(f"{c.column}为“{c.raw or '空'}”" for c in cells) or "相应栏目为空"
        return f"表中“{row.indicator}”的{shown}，报告未给出该数据"

    def _table_answer(self, query: Query, row: RowMatch, cells: list[TableRecord]) -> Answer:
        cells = [c for c in cells if c.raw]
        said = self._untracked.get((cells[0].doc, cells[0].indicator))
        if said is not None and all(c.value is None for c in cells if c.measure != "target") \
                and any(c.measure != "target" for c in cells):
            # The table only repeats a threshold (">15%") and the text says the figure is not collected.
            shown = "、".join(f"{c.column}“{c.raw}”" for c in cells)
            return Answer(question=query.original, kind="not_found",
                          answer=f"报告中未找到该问题的答案：报告称该指标尚未统计（表中{shown}只是目标值写法，不是统计数）。",
                          citations=(chunk_citation(said, self), row_citation(cells[0], self)))
        lead = "；".join(f"{c.raw}（{c.column}）" for c in cells)
        r0 = cells[0]
        text = f"{lead} —— {r0.table}，“{r0.indicator}”"
        cites = [row_citation(r0, self)]
        if said is not None and any(c.measure != "target" for c in cells):
            text += "\n注意：报告另称该指标尚未统计，见所附出处。"
            cites.append(chunk_citation(said, self))
        cites += self._restatements(r0, cells)
        cites += self._hit_citations(query, exclude={c.text for c in cites})
        return Answer(question=query.original, answer=text, kind="figure", citations=tuple(cites[:5]))

    def _restatements(self, r0: TableRecord, cells: list[TableRecord]) -> list[Citation]:
        """Prose sentences that print the same figures as the row (for a fuller quote)."""
        core = re.sub(r"(下降|降至|率)$", "", r0.indicator)
        out = []
        for f in self._figs_by_doc.get(r0.doc, []):
            if any(f.raw.startswith(c.raw.lstrip("-")) for c in cells if c.value is not None) and core[:6] in f.sentence:
                c = figure_citation(f, self)
                if c.text not in {o.text for o in out}:
                    out.append(c)
        return out[:2]

    def _prose_answer(self, query: Query, best: FigureMatch, ranked: list[FigureMatch]) -> Answer:
        f0 = best.figures[0]
        chosen, leading = [best], [best]
        units_seen = {base_unit(f.unit) for f in best.figures}
        covered = {t for t in query.terms if present(t, f0.clause)}
        sentence_clauses = clauses_in(f0.sentence)
        # Add clauses of the same sentence that answer another part of the question (a figure in another
        # asked measure word, or new terms of a question asking several things): they lead too. An
        # elaboration right after (涉及…/其中…) or a same-unit neighbour on the same terms is quoted as context.
        for m in ranked[1:]:
            g = m.figures[0]
            if g.sentence != f0.sentence or g.lines != f0.lines or m in chosen:
                continue
            m_units = {base_unit(f.unit) for f in m.figures}
            own_terms = {t for t in query.terms if present(t, g.clause)}
            adjacent = abs(index_of(sentence_clauses, g.clause) - index_of(sentence_clauses, f0.clause)) == 1
            answers_more = (query.units and (m_units - units_seen) & set(query.units)) \
                or (multi_ask(query) and own_terms - covered)
            context = adjacent and (re.match(r"^(涉及|其中|包括|占|合计|共)", g.clause) or (m_units & units_seen and own_terms))
            if answers_more or context:
                chosen.append(m)
                if answers_more:
                    leading.append(m)
                units_seen |= m_units
                covered |= own_terms
        order = {c: i for i, c in enumerate(sentence_clauses)}
        chosen.sort(key=lambda m: order.get(m.figures[0].clause, 99))
        figs = [f for m in leading for f in m.figures]
        if query.units:
            # The measure word filters the best clause; clauses added for other parts of the question stay.
            wanted = [f for f in figs if base_unit(f.unit) in query.units or f.unit in query.units
                      or f not in best.figures]
            figs = wanted or figs
        # In an enumeration (…、26.13公里航道、…) keep the items the question names.
        named = [f for f in figs if any(present(t, list_item(f)) for t in query.terms)]
        figs = named or figs
        lead_figs = "、".join(list(dict.fromkeys(f.raw for f in figs))[:4])
        pieces, last = [], None
        for m in chosen:
            at = order.get(m.figures[0].clause, -9)
            if last is not None and at != last + 1:
                pieces.append("……")
            pieces.append(m.figures[0].clause)
            last = at
        quote = "".join(pieces).rstrip("，；。：")
        text = f"{lead_figs} —— {quote}"
        others = self._also(query, best, ranked)
        if others:
            text += "\n另见：" + "；".join(others)
        cites = [figure_citation(f0, self)]
        cites += self._hit_citations(query, exclude={cites[0].text})
        return Answer(question=query.original, answer=text, kind="figure", citations=tuple(cites[:5]),
                      also=tuple(others))

    def _also(self, query: Query, best: FigureMatch, ranked: list[FigureMatch]) -> list[str]:
        """The same quantity printed differently elsewhere (另见…), so no figure is picked silently."""
        f0 = best.figures[0]
        units = {base_unit(f.unit) for f in best.figures}
        out = []
        for m in ranked[1:8]:
            g = m.figures[0]
            if g.sentence == f0.sentence or m.score < 0.9 * best.score:
                continue
            if not units & {base_unit(f.unit) for f in m.figures}:
                continue
            if set(f.raw for f in m.figures) & set(f.raw for f in best.figures):
                continue
            if narrower_or_broader(f0.subject, g.subject):
                continue
            # The other printing must itself name what the best clause names (综合救援队伍 is not 专业…队伍).
            own = [t for t in query.terms if present(t, f0.clause)]
            shared = sum(self.stats.idf(t) for t in own if present(t, g.clause))
            if own and shared < 0.75 * sum(self.stats.idf(t) for t in own):
                continue
            out.append(f"{g.clause.rstrip('，；。')}（{' > '.join(g.section[-2:])}）")
        return out[:2]

    def _refuse_figure(self, query: Query) -> Answer:
        said = self._contradicted(query)
        if said is not None:
            return said
        rows = match_rows(query, self.rows, self.stats)
        # Name the table row only when it is the quantity asked and the year is what is missing.
        if rows and rows[0].score >= TABLE_MIN and query.years:
            recs = rows[0].records
            years = sorted({r.year for r in recs if r.year})
            have = "、".join(f"{y}年" for y in years)
            note = f"报告表格中“{recs[0].indicator}”只有{have}的数据" if years else f"报告表格中“{recs[0].indicator}”没有对应数据"
            return self._not_found(query, note, row_citation(recs[0], self))
        hits = self._search(query, "keyword")
        near = hits[0].chunk if hits else None
        if near is not None:
            where = " > ".join(near.section[-2:])
            return self._not_found(query, f"报告中没有这一数字；相关内容见“{where}”", chunk_citation(near, self))
        return self._not_found(query, "报告中没有这一数字")

    def _contradicted(self, query: Query) -> Answer | None:
        """A refusal saying which qualifier of the question the best figure lacks, with that figure cited."""
        rows = [r for r in match_rows(query, self.rows, self.stats, constrain=False)[:1] if r.score >= TABLE_MIN]
        figs = [f for f in match_figures(query, self.figures, self.stats, constrain=False)[:1] if f.score >= PROSE_MIN]
        best = max(rows + figs, key=lambda m: m.score, default=None)
        if best is None:
            return None
        if isinstance(best, RowMatch):
            why, cite = row_conflict(query, best.records[0]), row_citation(best.records[0], self)
        else:
            why, cite = figure_conflict(query, best.figures[0]), figure_citation(best.figures[0], self)
        return self._not_found(query, why.note, cite) if why else None

    # ---- passages and sections ----------------------------------------------------------------

    def _passage(self, query: Query) -> Answer:
        literal = self._literal_hits(query)
        searched = self._search(query)
        headed = self._heading_matches(query)
        section = [Hit(c, 0.0) for c in self._section_chunks(headed[0][1], headed[0][2], 12)] if headed else []
        # Rerank the union by how much of the question each chunk carries; quoted titles and search rank help.
        prior = {h.chunk.id: 0.8 for h in literal}
        for rank, h in enumerate(searched):
            prior[h.chunk.id] = prior.get(h.chunk.id, 0.0) + 0.8 / (1 + rank)
        for h in section:
            prior[h.chunk.id] = prior.get(h.chunk.id, 0.0) + 0.35 * headed[0][0]
        pool = dedupe_hits(literal + searched + section)
        scored = [(coverage(query.terms, [(h.chunk.text, 1.0), (" ".join(h.chunk.section), 0.5)], self.stats)[0]
                   + prior.get(h.chunk.id, 0.0), h) for h in pool]
        hits = [h for _, h in sorted(scored, key=lambda x: -x[0])]
        if not hits:
            return self._not_found(query, "报告中没有找到相关内容")
        best_cov = max(coverage(query.terms, [(h.chunk.text, 1.0), (" ".join(h.chunk.section), 0.8)], self.stats)[0]
                       for h in hits[:3])
        if best_cov < PASSAGE_MIN:
            return self._not_found(query, "报告中没有找到与问题直接相关的内容", chunk_citation(hits[0].chunk, self))
        top = hits[0].chunk
        listing = bool(LISTING.search(query.original))
        # A list asked of a heading that has sub-headings ("主要任务有哪几个方面"): that section leads.
        listed = next(((d, p) for sc, d, p, _ in headed if sc >= 0.99 and len(self._children(d, p)) >= 2), None)
        where = " > ".join(top.section)
        if listing and listed and top.section[:len(listed[1])] != listed[1]:
            own = self._section_chunks(*listed, 1)
            top = own[0] if own else top
            where = " > ".join(listed[1])
        whole = self._section_chunks(top.doc, top.section, 12)
        # A short section is quoted whole (the answer often spans its 一是…二是…, or a list asked for with
        # 哪些/哪几); otherwise the best three chunks.
        limit, n = (1600, 5) if listing else (900, 3)
        shown = whole if top in whole and sum(len(c.text) for c in whole) <= limit else [h.chunk for h in hits[:n]]
        body = "\n\n".join(c.text for c in sorted(shown, key=lambda c: self._position[c.id]))
        lead = best_sentence(query, top.text)
        children = self._children(*listed) if listing and listed and where == " > ".join(listed[1]) \
            else self._children(top.doc, top.section)
        if listing and len(children) >= 2:
            # A section's opening asked for its items ("六项重点工程都是哪些"): its sub-headings are the list.
            lead = "、".join(re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]?\s*", "", c) for c in children)
        if query.intent == "place":
            # Where a thing stands: the sentence naming its place, from the best few passages.
            lead = max((best_sentence(query, h.chunk.text, LOCATION) for h in hits[:3]),
                       key=lambda s: sum(1 for t in query.terms if t in s) + (1.5 if LOCATION.search(s) else 0))
        text = f"{lead}\n\n（出处：{where}）\n\n{body}"
        return Answer(question=query.original, answer=text, kind="passage",
                      citations=tuple(chunk_citation(h.chunk, self) for h in hits[:5]))

    def _section(self, query: Query) -> Answer:
        hits = self._search(query)
        headed = self._heading_matches(query)
        places: list[tuple[str, tuple[str, ...], int | None]] = []
        for place in [(d, p, pg) for _, d, p, pg in headed] + [(h.chunk.doc, h.chunk.section, h.chunk.page) for h in hits]:
            if place[1] and place[:2] not in [x[:2] for x in places]:
                places.append(place)
        if not places:
            return self._not_found(query, "报告中没有找到相关章节")
        several = len({d for d, _, _ in places[:3]}) > 1
        lines = [(f"《{self.titles.get(d, d)}》" if several else "") + " > ".join(p) + (f"（第{pg}页）" if pg else "")
                 for d, p, pg in places[:3]]
        tables = {h.chunk.text.split(" 第", 1)[0] for h in hits[:3] if h.chunk.kind == "table_row"}
        lead = "；".join(sorted(tables)) + "，位于 " if tables else ""
        text = f"{lead}{lines[0]}" + ("\n其他相关位置：" + "；".join(lines[1:]) if len(lines) > 1 else "")
        cites = [heading_citation(c, self) for d, p, _ in places[:3] for c in self._section_chunks(d, p, 1)]
        cites += [chunk_citation(h.chunk, self) for h in hits if chunk_citation(h.chunk, self) not in cites]
        return Answer(question=query.original, answer=text, kind="passage", citations=tuple(cites[:5]))

    def _heading_matches(self, query: Query) -> list[tuple[float, str, tuple[str, ...], int | None]]:
        """(score, doc, section path, page) whose own heading carries the question, best first."""
        scored, by_path = [], {}
        for (doc, path), page in self._paths.items():
            if query.docs and doc not in query.docs:
                continue
            if path not in by_path:
                by_path[path] = coverage(query.terms, [(path[-1], 1.0), (" ".join(path[:-1]), 0.5)], self.stats)[0]
            if by_path[path] >= 0.5:
                scored.append((by_path[path], doc, path, page))
        return sorted(scored, key=lambda x: (-x[0], -len(x[2])))[:3]

    def _children(self, doc: str, path: tuple[str, ...]) -> list[str]:
        """The headings directly under one section, in reading order."""
        return [p[-1] for d, p in self._paths if d == doc and len(p) == len(path) + 1 and p[:len(path)] == path]

    def _section_chunks(self, doc: str, path: tuple[str, ...], n: int) -> list:
        """The first n text chunks of one section of one document, in reading order."""
        return [c for c in self._chunks_by_section.get((doc, path), []) if c.kind != "table_row"
                and not is_heading_chunk(c)][:n]

    def _search(self, query: Query, mode: str = "hybrid") -> list[Hit]:
        """Top-8 chunks, without heading-only chunks; cached so one question embeds its text once.

        Figure answers only need keyword hits for their extra citations, which keeps them off the model."""
        key = (query.text, mode, query.docs)
        if key not in self._searches:
            if len(self._searches) > 512:
                self._searches.clear()
            depth = 12 if not query.docs else 40
            hits = self.index.search(query.text, depth, mode) if mode != "hybrid" else self.index.search(query.text, depth)
            self._searches[key] = [h for h in hits if not is_heading_chunk(h.chunk)
                                   and (not query.docs or h.chunk.doc in query.docs)][:8]
        return self._searches[key]

    def _literal_hits(self, query: Query) -> list[Hit]:
        """Chunks holding a quoted title or document number from the question verbatim."""
        spans = re.findall(r"《([^》]{2,})》|“([^”]{2,})”|\"([^\"]{2,})\"|([\u4e00-\u9fff]{1,6}〔\d{4}〕\d+号)", query.original)
        literals = [next(x for x in grp if x) for grp in spans]
        out = []
        for lit in literals:
            found = [c for c in self.index.chunks if lit in c.text and not is_heading_chunk(c)
                     and (not query.docs or c.doc in query.docs)]
            found.sort(key=lambda c: -coverage(query.terms, [(c.text, 1.0)], self.stats)[0])
            out += [Hit(c, 2.0) for c in found[:3]]
        return out

    # ---- helpers ------------------------------------------------------------------------------

    def _hit_citations(self, query: Query, exclude: set[str]) -> list[Citation]:
        out = []
        for h in self._search(query, "keyword")[:5]:
            c = chunk_citation(h.chunk, self)
            if c.text not in exclude:
                out.append(c)
        return out

    def _not_found(self, query: Query, note: str, citation: Citation | None = None) -> Answer:
        text = f"报告中未找到该问题的答案：{note}。"
        return Answer(question=query.original, answer=text, kind="not_found",
                      citations=(citation,) if citation else ())
