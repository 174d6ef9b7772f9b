"""Build and open the index: parse -> chunks, table records, figures -> embed -> store; idempotent and atomic.

Layout under settings.index_dir:
    CURRENT             the serving build's id, replaced atomically (os.replace) at the end of a build
    builds/<id>/        manifest.json, records.sqlite, chroma/ (embedded mode): one build, never edited
    .build-<pid>-<id>/  a build in progress, renamed into builds/<id> only when complete
    embeddings.sqlite   vectors by (model, sha1 of the embedded text), shared by all builds
    .lock               held (flock) while a build runs
A pointer file rather than a symlink, so the swap also works where symlinks need privileges. A killed
build leaves CURRENT and the build it names untouched; the next build removes its leftovers. The
serving build and the one before it are kept, so a process still reading the old one keeps working.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from . import records, store
from .chunk import chunk_document, keyword_text
from .config import Settings, load_settings
from .corpus import corpus_files
from .embeddings_cache import EmbeddingCache
from .errors import CorpusError, IndexBusy, IndexMissing, StoreUnavailable
from .figures import extract_figures
from .keyword import KeywordIndex, tokenize
from .readers import read_document
from .retrieve import Retriever
from .tables import table_records
from .types import Chunk, Figure, Hit, TableRecord

log = logging.getLogger(__name__)
INDEX_FORMAT = 1
REBUILD_HINT = "请运行 `qa index --rebuild` 重建索引 (run `qa index --rebuild`)"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What one build did."""

    build_id: str
    path: Path
    model: str
    docs: int
    chunks: int
    embedded: int  # chunks sent to the embedding model (the rest came from the cache)
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[str, ...]  # "file: reason" for corpus files that could not be read
    seconds: float


@dataclass
class Index:
    """A built index, loaded: documents, chunks, typed records and a retriever."""

    path: Path
    model: str
    built_at: str
    docs: list[dict]
    chunks: list[Chunk]
    records: list[TableRecord]
    figures: list[Figure]
    retriever: Retriever

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """Top-k chunks for a question."""
        return self.retriever.search(query, k, mode)

    def close(self) -> None:
        """Release the embedded store's files (a long-running process reopening after a rebuild)."""
        store.close(self.retriever.store.client)


# What the app and the answerer see of each document in the manifest (chunk ids stay behind).
SERVED_FIELDS = ("name", "title", "report_year", "front", "sha256", "chunks", "sections", "pages", "indexed_at")


@dataclass(frozen=True)
class _Doc:
    name: str
    sha256: str
    title: str
    report_year: int | None
    front: list[str]
    sections: list[dict]
    chunks: list[Chunk]
    records: list[TableRecord]
    figures: list[Figure]
    pages: int | None = None  # a PDF's pages with text, a workbook's sheets; None where a file has no such unit


def tqdm_progress() -> Progress:
    """A progress callback drawing one tqdm bar per stage on stderr (for the CLI)."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=False)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return report


@contextmanager
def _lock(index_dir: Path):
    """Hold index_dir/.lock for one build; released by the OS even if the process is killed (filelock)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout as e:
        raise IndexBusy("索引正在由另一个任务重建，请稍后再试。") from e
    try:
        yield
    finally:
        lock.release()


def _sections(doc) -> list[dict]:
    return [
        {"title": b.text, "path": list(b.section), "level": b.level, "page": b.page, "line": b.loc.line_start}
        for b in doc.blocks
        if b.kind == "heading"
    ]


def _load_doc(path: Path) -> _Doc:
    source = read_document(path)
    doc, text = source.document, source.text
    return _Doc(
        name=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        title=doc.title,
        report_year=doc.report_year,
        front=list(doc.front),
        sections=_sections(doc),
        chunks=chunk_document(doc, text),
        records=table_records(doc),
        figures=extract_figures(doc),
        pages=_pages(path, doc),
    )


def _pages(path: Path, doc) -> int | None:
    """A PDF's pages that hold text, or a workbook's sheets (one table block each); None for other formats."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return len({b.page for b in doc.blocks if b.page is not None})
    if suffix in (".xlsx", ".csv"):
        return sum(1 for b in doc.blocks if b.kind == "table")
    return None


def _load_corpus(corpus_dir: Path, progress: Progress | None) -> tuple[list[_Doc], list[str]]:
    if not corpus_dir.is_dir():
        raise CorpusError(f"语料目录不存在 (the corpus directory is missing): {corpus_dir}")
    files = corpus_files(corpus_dir)
    docs, skipped = [], []
    for n, path in enumerate(files, start=1):
        try:
            docs.append(_load_doc(path))
        except (CorpusError, OSError) as e:
            log.warning("跳过 %s: %s", path.name, e)
            skipped.append(f"{path.name}: {e}")
        if progress:
            progress("parse", n, len(files))
    if not docs:
        raise CorpusError(f"语料目录中没有可读的文档 (no readable document in the corpus directory {corpus_dir})")
    return docs, skipped


def _collection_prefix(settings: Settings, model: str) -> str:
    """Per model and per index directory, so two indexes sharing a server never touch each other."""
    where = hashlib.sha1(str(settings.index_dir.resolve()).encode()).hexdigest()[:6]
    return store.collection_name(model, where)


def _current_id(index_dir: Path) -> str | None:
    try:
        return (index_dir / "CURRENT").read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def _read_manifest(build_dir: Path) -> dict:
    return json.loads((build_dir / "manifest.json").read_text("utf-8"))


def _previous_docs(index_dir: Path) -> dict[str, str]:
    """name -> sha256 of the serving build, or {} when there is none that can be read."""
    return {name: sha for name, (sha, _) in _previous_entries(index_dir).items()}


def _previous_entries(index_dir: Path) -> dict[str, tuple[str, str]]:
    """name -> (sha256, when it was indexed) in the serving build, or {} when there is none that can be read."""
    current = _current_id(index_dir)
    if current is None:
        return {}
    try:
        manifest = _read_manifest(index_dir / "builds" / current)
        return {d["name"]: (d["sha256"], d.get("indexed_at") or manifest["built_at"]) for d in manifest["docs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _prune(settings: Settings, keep: set[str], prefix: str) -> None:
    """Remove builds other than `keep`, and (server mode) the collections only they used."""
    builds = settings.index_dir / "builds"
    kept_collections = set()
    for d in sorted(builds.iterdir()):
        if d.name in keep:
            try:
                kept_collections.add(_read_manifest(d)["store"]["collection"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
            continue
        shutil.rmtree(d, ignore_errors=True)
    if settings.chroma_server:
        client = store.connect(settings)
        for name in store.list_collections(client):
            if name.startswith(prefix) and name not in kept_collections:
                store.drop_collection(client, name)


def build_index(
    settings: Settings | None = None, rebuild: bool = False, progress: Progress | None = None
) -> BuildReport:
    """Build (or bring up to date) the index for the corpus; rebuild=True re-embeds everything."""
    settings = settings or load_settings()
    started = time.perf_counter()
    index_dir = settings.index_dir
    with _lock(index_dir):
        for leftover in [*index_dir.glob(".build-*"), *index_dir.glob(".CURRENT-*")]:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        tmp = index_dir / f".build-{os.getpid()}-{build_id}"
        tmp.mkdir()
        if settings.chroma_server:
            store.connect(settings)  # a server that is down fails the build before any work
        before = _previous_docs(index_dir)
        docs, skipped, model, embedded = _build_into(tmp, settings, build_id, rebuild, progress)
        (index_dir / "builds").mkdir(exist_ok=True)
        os.rename(tmp, index_dir / "builds" / build_id)
        previous = _current_id(index_dir)
        pointer = index_dir / f".CURRENT-{os.getpid()}"
        pointer.write_text(build_id, "utf-8")
        os.replace(pointer, index_dir / "CURRENT")
        _prune(settings, {build_id, previous or build_id}, _collection_prefix(settings, model))

    now = {d.name: d.sha256 for d in docs}
    return BuildReport(
        build_id=build_id,
        path=index_dir / "builds" / build_id,
        model=model,
        docs=len(docs),
        chunks=sum(len(d.chunks) for d in docs),
        embedded=embedded,
        added=tuple(n for n in now if n not in before),
        changed=tuple(n for n in now if n in before and before[n] != now[n]),
        unchanged=tuple(n for n in now if before.get(n) == now[n]),
        removed=tuple(n for n in before if n not in now),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - started,
    )


def _build_into(
    tmp: Path, settings: Settings, build_id: str, rebuild: bool, progress: Progress | None
) -> tuple[list[_Doc], list[str], str, int]:
    """Write one complete build into tmp; returns (docs, skipped files, model name, chunks embedded)."""
    docs, skipped = _load_corpus(settings.corpus_dir, progress)
    # The model is loaded only when something needs embedding: an unchanged corpus rebuilds in seconds.
    model = settings.embed_model
    chunks = [c for d in docs for c in d.chunks]
    texts = [c.text for c in chunks]
    with EmbeddingCache(settings.index_dir / "embeddings.sqlite") as cache:
        vectors, embedded = cache.embed(model, _embedder_loader(settings, build=True), texts, rebuild, progress)
        if embedded and not settings.torch_threads:
            from .embed import leave_a_core_free

            leave_a_core_free()  # the same process may serve questions next (the app's first start)
        cache.prune(model, texts)
    prefix = _collection_prefix(settings, model)
    name = f"{prefix}-{build_id}" if settings.chroma_server else prefix
    store.write_collection(
        settings,
        tmp / "chroma",
        name,
        [c.id for c in chunks],
        vectors,
        [{"doc": c.doc, "kind": c.kind} for c in chunks],
        progress,
    )
    store_info = (
        {"mode": "server", "collection": name}
        if settings.chroma_server
        else {"mode": "embedded", "path": "chroma", "collection": name}
    )
    records.write(
        tmp / "records.sqlite",
        chunks,
        [tokenize(keyword_text(c)) for c in chunks],
        [r for d in docs for r in d.records],
        [f for d in docs for f in d.figures],
    )
    built_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    # A document unchanged since the serving build keeps the time it was indexed (a full rebuild: now).
    earlier = {} if rebuild else _previous_entries(settings.index_dir)
    manifest = {
        "format": INDEX_FORMAT,
        "schema": records.SCHEMA,
        "build_id": build_id,
        "built_at": built_at,
        "model": settings.embed_model,
        "embedder": model,
        "store": store_info,
        "docs": [
            {
                "name": d.name,
                "title": d.title,
                "report_year": d.report_year,
                "front": d.front,
                "sha256": d.sha256,
                "chunks": len(d.chunks),
                "chunk_ids": [c.id for c in d.chunks],
                "sections": d.sections,
                "pages": d.pages,
                "indexed_at": earlier[d.name][1] if earlier.get(d.name, ("", ""))[0] == d.sha256 else built_at,
            }
            for d in docs
        ],
    }
    # Written last: a build directory without a manifest is never mistaken for a finished one.
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return docs, skipped, model, embedded


def _embedder_loader(settings: Settings, build: bool = False) -> Callable:
    """Load the configured embedder when first needed (qa.embed caches it per process).

    build: a build has the machine to itself, so torch gets every core (a served query keeps one free)."""

    def load():
        from .embed import get_embedder, use_all_cores

        embedder = get_embedder(settings)
        if build and not settings.torch_threads:
            use_all_cores()
        return embedder

    return load


def _open_store(settings: Settings, build_dir: Path, info: dict):
    server = info["mode"] == "server"
    if server != settings.chroma_server:
        raise IndexMissing(f"索引的向量库模式 ({info['mode']}) 与当前设置不符。{REBUILD_HINT}")
    path = build_dir / info.get("path", "chroma")
    if not server and not path.is_dir():
        raise IndexMissing(f"索引缺少向量库目录 {path}。{REBUILD_HINT}")
    client = store.connect(settings, path)
    if info["collection"] not in store.list_collections(client):
        raise IndexMissing(f"向量库中没有集合 {info['collection']}。{REBUILD_HINT}")
    return store.Store(client, info["collection"])


def open_index(settings: Settings | None = None) -> Index:
    """Load the serving index, or raise IndexMissing saying how to build it."""
    settings = settings or load_settings()
    current = _current_id(settings.index_dir)
    if current is None:
        raise IndexMissing(f"尚未建立索引 ({settings.index_dir})。{REBUILD_HINT}")
    build_dir = settings.index_dir / "builds" / current
    try:
        manifest = _read_manifest(build_dir)
        if manifest.get("format") != INDEX_FORMAT or manifest.get("schema") != records.SCHEMA:
            raise IndexMissing(f"索引格式已过期 (index format changed)。{REBUILD_HINT}")
        if manifest["model"] != settings.embed_model:
            raise IndexMissing(
                f"索引由模型 {manifest['model']} 构建，当前设置为 {settings.embed_model}。{REBUILD_HINT}"
            )
        chunks, recs, figs = records.read(build_dir / "records.sqlite")
        keyword = KeywordIndex([c.id for c in chunks], records.read_tokens(build_dir / "records.sqlite"))
        st = _open_store(settings, build_dir, manifest["store"])
        if not settings.chroma_server and st.count() != len(chunks):
            raise IndexMissing(f"向量库与索引记录不一致 (vector count mismatch)。{REBUILD_HINT}")
        docs = [{k: d.get(k) for k in SERVED_FIELDS} for d in manifest["docs"]]
    except IndexMissing:
        raise
    except StoreUnavailable:
        if settings.chroma_server:
            raise
        raise IndexMissing(f"向量库无法打开 ({build_dir / 'chroma'})。{REBUILD_HINT}") from None
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as e:
        raise IndexMissing(f"索引已损坏 ({type(e).__name__}: {e})。{REBUILD_HINT}") from e
    retriever = Retriever(chunks, keyword, st, _embedder_loader(settings))
    return Index(
        path=build_dir,
        model=manifest["embedder"],
        built_at=manifest["built_at"],
        docs=docs,
        chunks=chunks,
        records=recs,
        figures=figs,
        retriever=retriever,
    )
