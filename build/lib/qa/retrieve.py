"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by weighted reciprocal rank fusion.

Measured with benchmarks/retrieval_recall.py (evidence hit@5, 70 public questions; BM25 0.971, e5 0.929):
plain RRF (k=60, equal weights) 0.957; capping table rows at three per section 0.971; k=20 with
keyword weight 1.5 as well 0.986. BM25 is the stronger ranking here (document numbers, names, figures),
so it gets more weight and a smaller k lets first places count; the cap stops one table's rows, which
look alike to e5, from filling the top five. `Retriever.as_langchain()` exposes the same search as a
LangChain BaseRetriever; LangChain Documents are made only there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .errors import BadQuestion
from .keyword import KeywordIndex
from .types import Chunk, Hit

RRF_K = 20
DEPTH = 50  # candidates taken from each ranking before fusion
WEIGHTS = {"dense": 1.0, "keyword": 1.5}
ROWS_PER_SECTION = 3
MODES = ("hybrid", "dense", "keyword")


def rrf(rankings: dict[str, list[str]], weights: dict[str, float], k: int = RRF_K) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: score(id) = sum of weight / (k + rank), rank from 1."""
    scores: dict[str, float] = {}
    for name, ids in rankings.items():
        w = weights.get(name, 1.0)
        for rank, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def diversify(hits: list[Hit], k: int, rows_per_section: int = ROWS_PER_SECTION) -> list[Hit]:
    """The first k hits, skipping table rows beyond rows_per_section from one section."""
    out: list[Hit] = []
    rows: dict[tuple[str, tuple[str, ...]], int] = {}
    for hit in hits:
        if hit.chunk.kind == "table_row":
            key = (hit.chunk.doc, hit.chunk.section)
            rows[key] = rows.get(key, 0) + 1
            if rows[key] > rows_per_section:
                continue
        out.append(hit)
        if len(out) == k:
            break
    return out


class Retriever:
    """Search chunks by meaning and by words at once."""

    def __init__(
        self,
        chunks: list[Chunk],
        keyword: KeywordIndex,
        store,
        embedder: Callable[[], Any],
        weights: dict[str, float] | None = None,
        depth: int = DEPTH,
        rrf_k: int = RRF_K,
        rows_per_section: int = ROWS_PER_SECTION,
    ):
        self.chunks = {c.id: c for c in chunks}
        self.keyword = keyword
        self.store = store
        self._embedder_factory = embedder  # called once, on the first search
        self._embedder = None
        self.weights = dict(WEIGHTS if weights is None else weights)
        self.depth = depth
        self.rrf_k = rrf_k
        self.rows_per_section = rows_per_section

    @property
    def embedder(self):
        """The query embedder, loaded on first use."""
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    def rankings(self, query: str, modes: tuple[str, ...] = ("dense", "keyword")) -> dict[str, list[str]]:
        """Chunk ids best first from each ranking; the query is embedded once."""
        out: dict[str, list[str]] = {}
        if "dense" in modes:
            vector = np.asarray(self.embedder.embed_queries([query]), dtype=np.float32)[0]
            out["dense"] = [cid for cid, _ in self.store.query(vector, self.depth) if cid in self.chunks]
        if "keyword" in modes:
            out["keyword"] = [cid for cid, _ in self.keyword.search(query, self.depth) if cid in self.chunks]
        return out

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """Top-k chunks for a query: fused (hybrid), or one ranking alone (dense, keyword)."""
        query = query.strip()
        if not query:
            raise BadQuestion("问题为空 (empty question)")
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {MODES}")
        modes = ("dense", "keyword") if mode == "hybrid" else (mode,)
        fused = rrf(self.rankings(query, modes), self.weights, self.rrf_k)
        return diversify([Hit(chunk=self.chunks[cid], score=score) for cid, score in fused], k, self.rows_per_section)

    def as_langchain(self, k: int = 5) -> BaseRetriever:
        """This retriever behind LangChain's BaseRetriever interface."""
        return LangChainRetriever(retriever=self, k=k)


def to_langchain(hit: Hit) -> LCDocument:
    """A Hit as a LangChain Document, its location in the metadata."""
    c = hit.chunk
    return LCDocument(
        page_content=c.text,
        id=c.id,
        metadata={
            "id": c.id,
            "doc": c.doc,
            "section": " > ".join(c.section),
            "page": c.page,
            "line_start": c.lines[0],
            "line_end": c.lines[1],
            "kind": c.kind,
            "score": hit.score,
        },
    )


class LangChainRetriever(BaseRetriever):
    """LangChain adapter over Retriever.search."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [to_langchain(h) for h in self.retriever.search(query, self.k)]
