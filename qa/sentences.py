"""Sentences and clauses of Chinese text: the one splitter the chunker, the figure extractor and quotes share."""

from __future__ import annotations

import re
from functools import lru_cache

# Closing quotes and brackets stay with the sentence they close (“完成了。”).
SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]+[”’」』）)]*|$)")
CLAUSE_END = re.compile(r"(?<=[，。；：！？])|(?<=[^\d],)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a text, closing punctuation included."""
    spans = []
    for m in SENTENCE.finditer(text):
        if m.end() > m.start() and text[m.start() : m.end()].strip():
            spans.append((m.start(), m.end()))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, keeping their closing punctuation."""
    return [text[a:b] for a, b in split_sentences(text)]


@lru_cache(maxsize=8192)
def last_sentence(text: str) -> str:
    """The last sentence of a text ('' for none): the one right before what follows it."""
    found = sentences(text)
    return found[-1] if found else ""


def clauses(sentence: str) -> list[str]:
    """Split a sentence into clauses at Chinese commas, semicolons and colons."""
    return [c for c in CLAUSE_END.split(sentence) if c.strip()]


@lru_cache(maxsize=8192)
def _clauses(sentence: str) -> tuple[str, ...]:
    return tuple(clauses(sentence))


def next_clause(sentence: str, clause: str) -> str:
    """The clause after this one in its sentence, or ''."""
    parts = _clauses(sentence)
    for i, c in enumerate(parts):
        if c == clause:
            return parts[i + 1] if i + 1 < len(parts) else ""
    return ""


def previous_clause(sentence: str, clause: str) -> str:
    """The clause before this one in its sentence, or ''."""
    parts = _clauses(sentence)
    for i, c in enumerate(parts):
        if c == clause:
            return parts[i - 1] if i else ""
    return ""
