"""Figure answers: a table row's cells or a prose clause's figures, and the refusal that says what is missing."""

from __future__ import annotations

import re

from . import computed, lookup
from .answer_base import AnswererBase
from .constraints import figure_conflict, row_conflict
from .figures import years_in
from .lookup import (
    FigureMatch,
    RowMatch,
    base_unit,
    indicator_precision,
    match_figures,
    match_rows,
    names_right_before,
    pick_columns,
    present,
)
from .quote import chunk_citation, figure_citation, index_of, list_item, multi_ask, narrower_or_broader, row_citation
from .sentences import clauses
from .types import Answer, Citation, Figure, TableRecord
from .understand import Query, content_terms


def has_values(cells: list[TableRecord]) -> bool:
    """Some cell asked for holds a figure (not blank, not "/")."""
    return any(c.raw not in ("", "/") for c in cells)


# A prose figure kept by the constraints answers only when no figure they ruled out carried the question
# this much better: then the question is about the ruled-out one (筹措…万元 for 已支付), and the survivor is
# a figure about something else that shares a word or two.
OUTSCORED = 1.3
# The answer reads the best clauses this far down (另见…), and the rest of the best one's sentence.
RANKED = 8


class FigureAnswers(AnswererBase):
    """The figure and refusal answers of the Answerer (a mixin: it reads the Answerer's indexes)."""

    def _figure(self, query: Query) -> Answer | None:
        rows = match_rows(query, self.rows, self.stats)
        ruled_out: list[FigureMatch] = []
        figs = match_figures(
            query, self.figures, self.stats, lead=True, ruled_out=ruled_out, top=RANKED, with_sentence=True
        )
        row = rows[0] if rows else None
        fig = figs[0] if figs else None
        if fig and any(m.score >= OUTSCORED * fig.score for m in ruled_out):
            # A figure the constraints ruled out carried the question far better than the best one kept.
            fig = None
        strict = query.intent == "passage"  # a passage question needs a clear figure to be answered with one
        t_min, p_min = (
            (lookup.TABLE_MIN + 0.15, lookup.PROSE_MIN + 0.2) if strict else (lookup.TABLE_MIN, lookup.PROSE_MIN)
        )
        # A table row is preferred when it is about as good: it is structured and has every column.
        # Columns only a table has (目标, 基数, 降幅) or a question naming a table settle it for the table.
        # A specific word the prose figure's clause carries and the row does not (瓶改 for the census row 学校):
        # the row names only part of what is asked.
        row_lacks = bool(
            row
            and fig
            and any(
                t in fig.found and t not in row.found and self.stats.idf(t) >= lookup.SPECIFIC_IDF for t in query.terms
            )
        )
        table_asked = (
            bool(set(query.measures) & {"target", "base", "change"})
            or "表" in query.text
            or (
                row is not None
                and not row_lacks
                and indicator_precision(row.indicator, query.text, self.stats) >= 0.7
                and (not query.units or any(base_unit(r.unit) in query.units for r in row.records))
            )
        )
        margin = 1.0 if table_asked else 0.1
        if row and row.score >= t_min and (not fig or row.score >= fig.score - margin):
            cells, note = pick_columns(query, row.records)
            if has_values(cells):
                return self._table_answer(query, row, cells)
            # The row is the quantity asked but lacks the year: only prose printed for that year may answer.
            if (
                fig
                and fig.score >= p_min
                and (not query.years or any(str(y) in years_in(fig.figures[0].sentence) for y in query.years))
            ):
                return self._prose_answer(query, fig, figs)
            used = tuple(c.column for c in cells)
            return self._not_found(
                query, note or self._empty_note(row, cells), row_citation(row.records[0], self, used)
            )
        # A "what" question that names only a column word (有什么制度要求) is answered by a table row or a
        # passage, not by a number picked out of running text.
        if fig and fig.score >= p_min and not (strict and not query.years and not query.units):
            return self._prose_answer(query, fig, figs)
        return None

    def _named_figure(self, query: Query) -> Answer | None:
        """The figures of the indicator a bare name names: a table row it names nearly whole, or a prose
        figure printed right after the name (…标准化企业10723家); None for a topic (燃气安全)."""
        rows = match_rows(query, self.rows, self.stats)
        # Every word names the row; in a table of counts (a census), a word may name the table instead
        # (普查 names the census table, not a row).
        counts = rows and all(r.measure == "count" for r in rows[0].records)
        if (
            rows
            and rows[0].score >= lookup.TABLE_MIN
            and all(
                present(t, rows[0].indicator) or (counts and present(t, rows[0].records[0].table)) for t in query.terms
            )
        ):
            cells, _ = pick_columns(query, rows[0].records)
            if has_values(cells):
                return self._table_answer(query, rows[0], cells)
        # A prose figure only for a name that reads as a quantity (…率, …人数) or is specific (three terms
        # and more): "应急预案" alone asks what was done, not the count printed after it.
        quantity = re.search(r"(率|数|量|额|面积|长度|总值)$", query.text) or len(query.terms) >= 3
        figs = match_figures(query, self.figures, self.stats, lead=True, top=RANKED, with_sentence=True)
        if (
            quantity
            and figs
            and figs[0].score >= lookup.PROSE_MIN + 0.2
            and any(names_right_before(name, f) for f in figs[0].figures for name in (query.terms[-1], query.text[-3:]))
        ):
            return self._prose_answer(query, figs[0], figs)
        return None

    @staticmethod
    def _joined_items(query: Query, named: list[Figure]) -> list[Figure]:
        """The items of an enumeration that the two sides of a 和/与/及 in the question each name alone
        ("基地占地和建筑面积" -> 占地46.5亩, 建筑面积3.2万平方米), or [] when the question joins no such pair."""
        if len(named) < 2:
            return []
        items = [list_item(f) for f in named]

        def names(t: str, item: str) -> bool:
            # a compound names the item its head word names (占地面积 -> 基地占地46.5亩)
            return present(t, item) or (len(t) >= 4 and t[:2] in item)

        picks: list[Figure] = []
        sides = re.split(r"和|与|以及|及|、", query.text)
        for k, side in enumerate(sides):
            terms = content_terms(side)
            if not terms or len(sides) < 2:
                continue
            # The words next to the 和 name the items; those before the first item set the scene.
            t = terms[-1] if k == 0 else terms[0]
            alone = [i for i, item in enumerate(items) if names(t, item)]
            if len(alone) == 1 and named[alone[0]] not in picks:
                picks.append(named[alone[0]])
        return picks if len(picks) >= 2 else []

    def _empty_note(self, row: RowMatch, cells: list[TableRecord]) -> str:
        shown = "、".join(f"{c.column}为“{c.raw or '空'}”" for c in cells) or "相应栏目为空"
        return f"表中“{row.indicator}”的{shown}，报告未给出该数据"

    def _table_answer(self, query: Query, row: RowMatch, cells: list[TableRecord]) -> Answer:
        level = computed.target_level(self, query, row.records)
        if level is not None:
            return level  # a fall target asked in the row's own unit, not as the per cent printed
        cells = [c for c in cells if c.raw]
        # A text cell that prints what is asked (几年一遇, 城市中心区) leads the row's numbers.
        asked = [t for t in query.terms if len(t) >= 2] + re.findall(r"年一遇", query.text)
        cells.sort(key=lambda c: not (c.value is None and len(c.raw) > 6 and any(w in c.raw for w in asked)))
        said = self._untracked.get((cells[0].doc, cells[0].indicator))
        if said is not None and "target" in query.measures and any(c.measure == "target" for c in cells):
            cells = [c for c in cells if c.measure == "target"]  # the target asked is printed, the rest is not
        if (
            said is not None
            and all(c.value is None for c in cells if c.measure != "target")
            and any(c.measure != "target" for c in cells)
        ):
            # The table only repeats a threshold (">15%") and the text says the figure is not collected.
            shown = "、".join(f"{c.column}“{c.raw}”" for c in cells)
            return Answer(
                question=query.original,
                kind="not_found",
                answer=f"报告中未找到该问题的答案：报告称该指标尚未统计（表中{shown}只是目标值写法，不是统计数）。",
                citations=(chunk_citation(said, self), row_citation(cells[0], self, tuple(c.column for c in cells))),
            )
        lead = "；".join(f"{c.raw}（{c.column}）" for c in cells)
        r0 = cells[0]
        text = f"{lead} —— {r0.table}，“{r0.indicator}”"
        cites = [row_citation(r0, self, tuple(c.column for c in cells))]
        if said is not None and any(c.measure != "target" for c in cells):
            text += "\n注意：报告另称该指标尚未统计，见所附出处。"
            cites.append(chunk_citation(said, self))
        others = self._other_documents(r0, cells)
        if others:
            text += "\n另见：" + "；".join(note for note, _ in others)
            cites += [cite for _, cite in others]
        cites += self._restatements(r0, cells)
        cites += self._hit_citations(query, exclude={c.text for c in cites})
        return Answer(question=query.original, answer=text, kind="figure", citations=tuple(cites[:5]))

    def _other_documents(self, r0: TableRecord, cells: list[TableRecord]) -> list[tuple[str, Citation]]:
        """The same row of the same table in another document printing other figures (a draft and the
        final report, the PDF and the .txt): named with its document, never mixed in silently."""
        wanted = {c.column: c.raw for c in cells}
        out = []
        for key, recs in self._rows_by_name.get((r0.table, r0.indicator), {}).items():
            if key == r0.doc:
                continue
            theirs = {r.column: r.raw for r in recs if r.column in wanted}
            if theirs and theirs != {k: v for k, v in wanted.items() if k in theirs}:
                shown = "；".join(f"{raw}（{col}）" for col, raw in theirs.items())
                first = next(r for r in recs if r.column in wanted)
                out.append((f"《{key}》{shown}", row_citation(first, self, tuple(theirs))))
        return out

    def _restatements(self, r0: TableRecord, cells: list[TableRecord]) -> list[Citation]:
        """Prose sentences that print the same figures as the row (for a fuller quote)."""
        core = re.sub(r"(下降|降至|率)$", "", r0.indicator)
        out: list[Citation] = []
        for f in self._figs_by_doc.get(r0.doc, []):
            if (
                any(f.raw.startswith(c.raw.lstrip("-")) for c in cells if c.value is not None)
                and core[:6] in f.sentence
            ):
                c = figure_citation(f, self)
                if c.text not in {o.text for o in out}:
                    out.append(c)
        return out[:2]

    def _prose_answer(self, query: Query, best: FigureMatch, ranked: list[FigureMatch]) -> Answer:
        f0 = best.figures[0]
        chosen, leading = [best], [best]
        units_seen = {base_unit(f.unit) for f in best.figures}
        covered = {t for t in query.terms if present(t, f0.clause)}
        sentence_clauses = clauses(f0.sentence)
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
            answers_more = (query.units and (m_units - units_seen) & set(query.units)) or (
                multi_ask(query) and own_terms - covered
            )
            context = adjacent and (
                re.match(r"^(涉及|其中|包括|占|合计|共)", g.clause) or (m_units & units_seen and own_terms)
            )
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
            wanted = [
                f for f in figs if base_unit(f.unit) in query.units or f.unit in query.units or f not in best.figures
            ]
            figs = wanted or figs
        # In an enumeration (…、26.13公里航道、…) keep the items the question names.
        named = [f for f in figs if any(present(t, list_item(f)) for t in query.terms)]
        both = self._joined_items(query, named)
        if both:
            named = both  # "占地和建筑面积": each side of the 和 names its own item
        elif len(named) > 1 and not multi_ask(query):
            # Of several items, the ones naming the rarest words asked (中间库, not 危化品 in every item).
            weight = {f.raw: sum(self.stats.idf(t) for t in query.terms if present(t, list_item(f))) for f in named}
            named = [f for f in named if weight[f.raw] >= max(weight.values()) - 1e-9]
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
        return Answer(
            question=query.original, answer=text, kind="figure", citations=tuple(cites[:5]), also=tuple(others)
        )

    def _also(self, query: Query, best: FigureMatch, ranked: list[FigureMatch]) -> list[str]:
        """The same quantity printed differently elsewhere (另见…), so no figure is picked silently."""
        f0 = best.figures[0]
        units = {base_unit(f.unit) for f in best.figures}
        out = []
        for m in ranked[1:RANKED]:
            g = m.figures[0]
            if g.sentence == f0.sentence or m.score < 0.9 * best.score:
                continue
            if not units & {base_unit(f.unit) for f in m.figures}:
                continue
            if {f.raw for f in m.figures} & {f.raw for f in best.figures}:
                continue
            if narrower_or_broader(f0.subject, g.subject):
                continue
            # The other printing must itself name what the best clause names (综合救援队伍 is not 专业…队伍).
            own = [t for t in query.terms if present(t, f0.clause)]
            shared = sum(self.stats.idf(t) for t in own if present(t, g.clause))
            if own and shared < 0.75 * sum(self.stats.idf(t) for t in own):
                continue
            # A figure from another document says which one (a draft and the final report may differ).
            where = " > ".join(g.section[-2:]) if g.doc == f0.doc else f"《{g.doc}》{' > '.join(g.section[-2:])}"
            out.append(f"{g.clause.rstrip('，；。')}（{where}）")
        return out[:2]

    def _refuse_figure(self, query: Query) -> Answer:
        said = self._contradicted(query)
        if said is not None:
            return said
        rows = match_rows(query, self.rows, self.stats)
        # Name the table row only when it is the quantity asked and the year is what is missing.
        if rows and rows[0].score >= lookup.TABLE_MIN and query.years:
            recs = rows[0].records
            years = sorted({r.year for r in recs if r.year})
            have = "、".join(f"{y}年" for y in years)
            note = (
                f"报告表格中“{recs[0].indicator}”只有{have}的数据"
                if years
                else f"报告表格中“{recs[0].indicator}”没有对应数据"
            )
            return self._not_found(query, note, row_citation(recs[0], self, ()))
        hits = self._search(query, "keyword")
        near = hits[0].chunk if hits else None
        if near is not None:
            where = " > ".join(near.section[-2:])
            return self._not_found(query, f"报告中没有这一数字；相关内容见“{where}”", chunk_citation(near, self))
        return self._not_found(query, "报告中没有这一数字")

    def _contradicted(self, query: Query) -> Answer | None:
        """A refusal saying which qualifier of the question the best figure lacks, with that figure cited."""
        rows = [r for r in match_rows(query, self.rows, self.stats, constrain=False)[:1] if r.score >= lookup.TABLE_MIN]
        figs = [
            f
            for f in match_figures(query, self.figures, self.stats, constrain=False, top=1)
            if f.score >= lookup.PROSE_MIN
        ]
        candidates: list[RowMatch | FigureMatch] = [*rows, *figs]
        best = max(candidates, key=lambda m: m.score, default=None)
        if best is None:
            return None
        if isinstance(best, RowMatch):
            why, cite = row_conflict(query, best.records[0]), row_citation(best.records[0], self, ())
        else:
            # Of a clause's figures, the one in the measure asked (…万元 when money is asked, not the count …916起).
            fig = next((f for f in best.figures if lookup.unit_fit(query, f.unit) >= 1), best.figures[0])
            why, cite = figure_conflict(query, fig, lead=True), figure_citation(fig, self)
        return self._not_found(query, why.note, cite) if why else None
