"""The corpus directory: which files are documents, their text as the build reads it, adding and removing one.

A document offered from the app is checked before it touches the corpus: a safe base name, a supported
type, a size limit, and a trial read with the same reader the build uses. Only then is it written, under a
temporary name the build ignores and renamed into place, so a build running meanwhile never sees half a file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import unicodedata
from pathlib import Path

from .errors import CorpusError, QAError, UploadRefused
from .readers import SUFFIXES, read_document

MB = 1024 * 1024
NAME_BYTES = 255  # the longest file name the file system takes


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


def accepted_types() -> str:
    """The suffixes a document may have, as a person reads them: .txt、.md、.pdf …"""
    return "、".join(SUFFIXES)


def safe_target(name: str, corpus_dir: Path) -> Path:
    """Where a document offered under `name` is kept: its base name in the corpus directory (UploadRefused if unsafe).

    A browser may send a whole path (C:\\Users\\…\\报告.docx): only its last part is kept. A name that climbs
    out (..) or hides itself (a leading dot) is refused rather than quietly renamed."""
    parts = (name or "").replace("\\", "/").split("/")
    if any(part.strip() == ".." for part in parts):
        raise UploadRefused(f"文件名“{_shown(name)}”指向语料目录之外，已拒绝。")
    base = "".join(c for c in parts[-1] if unicodedata.category(c) not in ("Cc", "Cf")).strip()
    if not base:
        raise UploadRefused("文件名为空，已拒绝。")
    if base.startswith("."):
        raise UploadRefused(f"文件名“{_shown(base)}”以点开头，已拒绝。")
    if len(base.encode("utf-8")) > NAME_BYTES:
        raise UploadRefused(f"文件名“{_shown(base)}”太长，已拒绝。")
    if Path(base).suffix.lower() not in SUFFIXES:
        raise UploadRefused(f"不支持的文件类型“{_shown(base)}”。可上传：{accepted_types()}")
    root = corpus_dir.resolve()
    target = (root / base).resolve()
    if target.parent != root:
        raise UploadRefused(f"文件名“{_shown(base)}”指向语料目录之外，已拒绝。")
    return root / base


def add_document(source: Path, name: str, corpus_dir: Path, max_mb: int) -> Path:
    """Put the file `source`, offered under `name`, into the corpus once it is safe and reads cleanly.

    A file of the same name is replaced only then. Returns the path written; UploadRefused says why not."""
    target = safe_target(name, corpus_dir)
    size = source.stat().st_size
    if size > max_mb * MB:
        raise UploadRefused(f"“{target.name}”有 {size / MB:.1f} MB，超过上限 {max_mb} MB，已拒绝。")
    with tempfile.TemporaryDirectory(prefix="qa-upload-") as tmp:
        trial = Path(tmp) / target.name  # read under its own name: the reader goes by the suffix
        shutil.copyfile(source, trial)
        try:
            read_document(trial)
        except CorpusError as err:
            raise UploadRefused(f"“{target.name}”无法读取，未加入语料：{err}") from None
        corpus_dir.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{secrets.token_hex(4)}.part")  # not a document suffix: builds skip it
        try:
            shutil.copyfile(trial, part)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    return target


def remove_document(name: str, corpus_dir: Path) -> Path:
    """Delete the corpus document called `name` (one corpus_files lists, nothing else); returns its path."""
    files = corpus_files(corpus_dir)
    found = next((p for p in files if p.name == name), None)
    if found is None:
        raise UploadRefused(f"语料中没有文档“{_shown(name or '')}”。")
    if len(files) == 1:
        raise UploadRefused("这是语料中唯一的文档，不能删除（索引至少需要一个文档）。")
    found.unlink()
    return found


def _shown(name: str) -> str:
    """A name as it can be quoted in a message: control characters dropped, at most 80 characters."""
    clean = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    return clean if len(clean) <= 80 else clean[:77] + "…"
