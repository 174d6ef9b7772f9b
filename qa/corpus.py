"""The corpus directory: which files are documents, and their text as the build reads it."""

from __future__ import annotations

from pathlib import Path

from .errors import QAError
from .readers import SUFFIXES, read_document


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The documents of a corpus directory, in name order (suffix compared case-insensitively)."""
    if not corpus_dir.is_dir():
        return []
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def corpus_text(corpus_dir: Path) -> str:
    """Every document's text as the build reads it (decoded, or extracted from PDF/Word/Excel), for grounding."""
    texts = []
    for path in corpus_files(corpus_dir):
        try:
            texts.append(read_document(path).text)
        except (QAError, OSError):
            continue  # the build skips an unreadable file too
    return "\n".join(texts)
