"""One corpus file -> its Document and the text it was parsed from, by the file's suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from .parse import Document, parse_text, read_text

# suffix -> "module:function"; the readers of binary formats are imported only when such a file is read
READERS = {
    ".txt": "",
    ".md": "",
    ".pdf": "pdf_reader:read_pdf",
    ".docx": "word_reader:read_docx",
    ".xlsx": "sheet_reader:read_sheet",
    ".csv": "sheet_reader:read_sheet",
}
SUFFIXES = tuple(READERS)


@dataclass(frozen=True)
class SourceDocument:
    """A parsed document with the text its blocks' locations point into (what grounding checks read)."""

    document: Document
    text: str


def read_document(path: Path) -> SourceDocument:
    """Read and parse one corpus file of any supported format (CorpusError if it cannot be read)."""
    target = READERS.get(path.suffix.lower(), "")
    if not target:
        text = read_text(path)
        return SourceDocument(parse_text(text, path.name), text)
    module, function = target.split(":")
    reader: Callable[[Path], tuple[Document, str]] = getattr(import_module(f".{module}", __package__), function)
    document, text = reader(path)
    return SourceDocument(document, text)
