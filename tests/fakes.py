"""A deterministic in-memory index over the real report, for fast answer tests without a model or Chroma.

It offers what qa.answer.Answerer reads from an opened index: docs, chunks, records, figures and
search(query, k, mode). Retrieval is plain BM25 (rank_bm25) over qa.understand.tokenize, so results are the
same on every run and need nothing downloaded.
"""

from __future__ import annotations

from pathlib import Path

from rank_bm25 import BM25Okapi

from qa.errors import BadQuestion
from qa.figures import extract_figures, sentences
from qa.parse import parse_file
from qa.tables import row_sentences, table_records
from qa.types import Chunk, Hit
from qa.understand import tokenize

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
MAX_CHARS = 250
MODES = ("hybrid", "dense", "keyword")  # as qa.retrieve.Retriever.search accepts


def pack_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Whole sentences of a paragraph, packed into pieces of at most max_chars (a longer sentence stands alone)."""
    out, buf = [], ""
    for s in sentences(text):
        if buf and len(buf) + len(s) > max_chars:
            out.append(buf)
            buf = ""
        buf += s
    if buf:
        out.append(buf)
    return out


class MemIndex:
    """The report parsed, typed and indexed in memory: docs, chunks, records, figures and BM25 search."""

    def __init__(self, path: Path = REPORT, report_year: int = 2023):
        doc = parse_file(path)
        self.records = table_records(doc)
        self.figures = extract_figures(doc)
        self.docs = [{"name": doc.name, "title": doc.title, "report_year": report_year, "front": list(doc.front)}]
        self.chunks: list[Chunk] = []
        for block in doc.blocks:
            if block.kind != "paragraph":
                continue
            for text in pack_sentences(block.text):
                self._add(doc.name, text, block.section, block.page, (block.loc.line_start, block.loc.line_end))
        for block, lines, text in row_sentences(doc):
            self._add(doc.name, text, block.section, block.page, lines, kind="table_row")
        self._bm25 = BM25Okapi([tokenize(c.text) for c in self.chunks])

    def _add(self, doc: str, text: str, section, page, lines, kind: str = "text") -> None:
        self.chunks.append(
            Chunk(id=f"c{len(self.chunks):04d}", doc=doc, text=text, section=section, page=page, lines=lines, kind=kind)
        )

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """The k best chunks by BM25 whatever the mode (there is no dense model); ties keep chunk order."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {MODES}")
        if not query.strip():
            raise BadQuestion("问题为空 (empty question)")
        scores = self._bm25.get_scores(tokenize(query))
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
        return [Hit(self.chunks[i], float(scores[i])) for i in order]
