"""What every answer kind reads from the Answerer: its indexes, and the helpers they share."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .lookup import Candidates, TermStats
from .quote import chunk_citation, is_heading_chunk
from .types import Answer, Chunk, Citation, Figure, Hit, TableRecord
from .understand import Query


class AnswererBase:
    """The state the answer kinds (figure_answers, passage_answers) share; qa.answer.Answerer fills it."""

    index: Any  # qa.index.Index or a test double with docs, chunks, records, figures, search
    settings: Settings
    rows: Candidates  # table rows, by bigram
    figures: Candidates  # prose clauses holding figures, by bigram
    stats: TermStats
    titles: dict[str, str]
    _figs_by_doc: dict[str, list[Figure]]
    _paths: dict[tuple[str, tuple[str, ...]], int | None]
    _chunks_by_section: dict[tuple, list[Chunk]]
    _position: dict[str, int]
    _untracked: dict[tuple[str, str], Chunk]
    _rows_by_name: dict[tuple[str, str], dict[str, list[TableRecord]]]
    _searches: dict[tuple, list[Hit]]
    _heading_vectors: tuple[list[Chunk], Any] | None  # heading chunks and their stored vectors, read once

    def _search(self, query: Query, mode: str = "hybrid") -> list[Hit]:
        """Top-8 chunks, without heading-only chunks; cached so one question embeds its text once.

        Figure answers only need keyword hits for their extra citations, which keeps them off the model."""
        key = (query.text, mode, query.docs)
        if key not in self._searches:
            if len(self._searches) > 512:
                self._searches.clear()
            depth = 12 if not query.docs else 40
            hits = (
                self.index.search(query.text, depth, mode) if mode != "hybrid" else self.index.search(query.text, depth)
            )
            self._searches[key] = [
                h for h in hits if not is_heading_chunk(h.chunk) and (not query.docs or h.chunk.doc in query.docs)
            ][:8]
        return self._searches[key]

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
        return Answer(question=query.original, answer=text, kind="not_found", citations=(citation,) if citation else ())
