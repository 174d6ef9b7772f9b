"""Opening the index for a caller (CLI, app, benchmark): open it, or build it once with progress."""

from __future__ import annotations

import sys
from collections.abc import Callable

from .answer import Answerer
from .config import Settings, load_settings
from .errors import IndexMissing
from .index import build_index, open_index, tqdm_progress


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open_or_build(
    settings: Settings | None = None,
    build_if_missing: bool = True,
    rebuild_unreadable: bool = False,
    say: Callable[[str], None] = _say,
) -> Answerer:
    """An Answerer over the index; the index (and the offline model) is built first when there is none.

    rebuild_unreadable: also rebuild an index that exists but cannot be opened (the app does; the CLI
    reports the error instead, so that a broken index is not silently replaced)."""
    settings = settings or load_settings()
    try:
        return Answerer(open_index(settings), settings)
    except IndexMissing:
        never_built = not (settings.index_dir / "CURRENT").exists()
        if not build_if_missing or not (never_built or rebuild_unreadable):
            raise
    say("没有可用的索引，正在自动建立（首次使用会先构建离线模型，需要几分钟）…")
    result = build_index(settings, progress=tqdm_progress())
    say(f"索引已建立：{result.docs} 个文档，{result.chunks} 个片段，用时 {result.seconds:.0f} 秒。")
    return Answerer(open_index(settings), settings)


def langchain_retriever(settings: Settings | None = None, k: int = 5):
    """The report's hybrid retriever (dense + BM25, fused) as a LangChain BaseRetriever, for teams that build
    chains on it: `langchain_retriever().invoke("危化品企业整治有哪些举措")` returns Documents whose metadata give
    doc, section, page and lines. Opens the index (it must have been built: `qa index`)."""
    return open_index(settings or load_settings()).retriever.as_langchain(k)
