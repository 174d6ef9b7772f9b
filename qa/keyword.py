"""Keyword index: BM25 (rank_bm25's BM25Okapi formula) over jieba search-mode tokens plus CJK character bigrams.

Measured on the report (benchmarks/retrieval_recall.py and one-off timings):
- LangChain's BM25Retriever wraps this same BM25Okapi and queries as fast (~10 ms), but re-tokenises
  every chunk at each start (1.3 s) and returns Documents without scores; fusion needs ranked ids.
- The tokens are stored with the index and the postings built from them at load, one chunk at a time:
  stored tokens outlive library upgrades, and the token lists are never all held at once.
- Character bigrams lift BM25 evidence hit@5 from 0.957 to 0.971 (word-boundary mismatches between
  jieba's view of a question and of the report); bigrams that are question words are dropped.
- A private jieba.Tokenizer: words other modules add to the global one must not shift index tokens.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)

WORD = re.compile(r"[\w.%]+")  # a token must hold a letter, digit or CJK character
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Question words and particles: they say what is asked, not what is asked about.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "吗",
        "呢",
        "吧",
        "啊",
        "哪",
        "几",
        "多少",
        "哪些",
        "什么",
        "怎么",
        "如何",
        "怎样",
        "哪个",
        "哪里",
        "哪儿",
        "是否",
        "有",
        "有没有",
        "一共",
        "共",
        "为",
        "对",
        "把",
        "被",
        "都",
        "也",
        "还",
        "请问",
        "请",
        "这",
        "那",
        "这个",
        "那个",
        "之",
        "其",
        "啥",
    ]
)


@lru_cache(maxsize=1)
def base_tokenizer() -> jieba.Tokenizer:
    """Our own tokenizer, isolated from words added to jieba's global one."""
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def tokenize(text: str, bigrams: bool = True) -> list[str]:
    """jieba search-mode words without punctuation or question words, plus bigrams of CJK runs."""
    text = unicodedata.normalize("NFKC", text).lower()
    words = [w for w in base_tokenizer().lcut_for_search(text) if WORD.fullmatch(w) and w not in STOPWORDS]
    if bigrams:
        for run in CJK_RUN.findall(text):
            words.extend(g for g in (run[i : i + 2] for i in range(len(run) - 1)) if g not in STOPWORDS)
    return words


class KeywordIndex:
    """BM25 over pre-tokenised chunks, searched by chunk id.

    Scores are rank_bm25's BM25Okapi (k1 1.5, b 0.75, a negative idf floored at a quarter of the mean idf),
    computed from postings: arrays of the documents holding each token and its count there. The token
    lists themselves are read once and not kept: at 50,000 chunks they held ~650 MB (measured)."""

    K1, B, EPSILON = 1.5, 0.75, 0.25

    def __init__(self, ids: list[str], tokens: Iterable[list[str]], bigrams: bool = True):
        self.ids = list(ids)
        self.bigrams = bigrams
        docs: dict[str, array] = {}
        counts: dict[str, array] = {}
        lengths = array("i")
        for i, toks in enumerate(tokens):
            lengths.append(len(toks))
            for tok, tf in Counter(toks).items():
                if tok not in docs:
                    docs[tok], counts[tok] = array("i"), array("d")
                docs[tok].append(i)
                counts[tok].append(tf)
        n = len(lengths)
        self._postings = {t: (np.frombuffer(docs[t], np.int32), np.frombuffer(counts[t], np.float64)) for t in docs}
        idf = {t: math.log(n - len(d) + 0.5) - math.log(len(d) + 0.5) for t, d in docs.items()}
        floor = self.EPSILON * (sum(idf.values()) / len(idf)) if idf else 0.0
        self._idf = {t: (v if v >= 0 else floor) for t, v in idf.items()}
        avgdl = (sum(lengths) / n if n else 0.0) or 1.0
        self._norm = 1 - self.B + self.B * np.frombuffer(lengths, np.int32) / avgdl

    @classmethod
    def build(cls, items: list[tuple[str, str]], bigrams: bool = True) -> KeywordIndex:
        """Tokenise (id, text) pairs and index them."""
        return cls([i for i, _ in items], [tokenize(t, bigrams) for _, t in items], bigrams)

    def search(self, query: str, k: int = 50) -> list[tuple[str, float]]:
        """Top-k (id, score) pairs with a positive score, best first."""
        terms = tokenize(query, self.bigrams)
        if not self._postings or not terms:
            return []
        scores = self.scores(terms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25Okapi scores of every document, computed from the postings of the query's tokens."""
        out = np.zeros(len(self.ids))
        for t in terms:
            if t not in self._postings:
                continue
            docs, tf = self._postings[t]
            out[docs] += self._idf[t] * (tf * (self.K1 + 1) / (tf + self.K1 * self._norm[docs]))
        return out
