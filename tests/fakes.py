"""A deterministic in-memory index over the real report, for fast answer tests without a model or Chroma.

It offers what qa.answer.Answerer reads from an opened index: docs, chunks, records, figures and
search(query, k, mode). The chunks and the keyword index are the production ones (qa.chunk, qa.keyword);
only the dense half of retrieval is missing, so every mode searches by keyword and results are the same
on every run.
"""

from __future__ import annotations

from pathlib import Path

from qa.chunk import chunk_document, keyword_text
from qa.errors import BadQuestion
from qa.figures import extract_figures
from qa.keyword import KeywordIndex
from qa.parse import parse_text, read_text
from qa.tables import table_records
from qa.types import Chunk, Hit

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
MODES = ("hybrid", "dense", "keyword")  # as qa.retrieve.Retriever.search accepts


class MemIndex:
    """The report parsed, chunked, typed and keyword-indexed in memory, as qa.index builds it."""

    def __init__(self, path: Path = REPORT, report_year: int = 2023):
        text = read_text(path)
        doc = parse_text(text, path.name)
        self.records = table_records(doc)
        self.figures = extract_figures(doc)
        self.docs = [{"name": doc.name, "title": doc.title, "report_year": report_year, "front": list(doc.front)}]
        self.chunks: list[Chunk] = chunk_document(doc, text)
        self._by_id = {c.id: c for c in self.chunks}
        self._keyword = KeywordIndex.build([(c.id, keyword_text(c)) for c in self.chunks])

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """The k best chunks by BM25 whatever the mode (there is no dense model)."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {MODES}")
        if not query.strip():
            raise BadQuestion("问题为空 (empty question)")
        return [Hit(self._by_id[cid], score) for cid, score in self._keyword.search(query, k)]


def fake_corpus(tmp_path: Path, monkeypatch, files: dict[str, str | bytes], embedder=None) -> Path:
    """A corpus directory holding the files, and the environment that indexes it with a fake embedder."""
    from qa import embed

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, content in files.items():
        target = corpus / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, "utf-8")
    monkeypatch.setenv("QA_EMBED_MODEL", "fake")
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("QA_CHROMA_HOST", raising=False)
    fake = embedder or embed.FakeEmbedder()
    monkeypatch.setattr(embed, "get_embedder", lambda settings, progress=None: fake)
    return corpus
