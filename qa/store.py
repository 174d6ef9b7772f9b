"""Chroma adapter: embedded (PersistentClient on a directory) or a server (HttpClient), vectors passed in.

Chroma's own embedding function would download a model, so every collection is opened with
embedding_function=None and every call passes embeddings explicitly. Chroma objects stay here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, NotFoundError

from .config import Settings
from .errors import StoreUnavailable

BATCH = 256
# Failures as chromadb raises them: httpx errors, its own ChromaError, and ValueError, which its
# client raises for "Could not connect to a Chroma server" and for rejected requests.
SERVER_ERRORS = (httpx.HTTPError, OSError, ChromaError, ValueError)


def collection_name(model: str, suffix: str = "") -> str:
    """A Chroma-legal collection name derived from the embedding model, so models never share vectors."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", model).strip("-").lower()[:40] or "model"
    digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:8]
    name = f"chunks-{slug}-{digest}"
    return f"{name}-{suffix}" if suffix else name


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _check_server(host: str, port: int, timeout: float) -> None:
    """Fail fast when the server is down or hangs: chromadb's HTTP client waits without a timeout."""
    try:
        httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=timeout).raise_for_status()
    except httpx.HTTPError as e:
        raise StoreUnavailable(f"Chroma 服务器 {host}:{port} 无法连接 (cannot connect: {e!r})") from e


def connect(settings: Settings, path: Path | None = None):
    """A Chroma client: a server when settings.chroma_host is set, else embedded at `path`."""
    if settings.chroma_server:
        host, port, timeout = settings.chroma_host, settings.chroma_port, settings.chroma_timeout
        _check_server(host, port, timeout)
        try:
            client = chromadb.HttpClient(host=host, port=port, settings=_chroma_settings())
            # Bound every later request too: chromadb builds its httpx session with timeout=None.
            client._server._session.timeout = httpx.Timeout(timeout)  # type: ignore[attr-defined]
        except SERVER_ERRORS as e:
            raise StoreUnavailable(f"Chroma 服务器 {host}:{port} 不可用 (unavailable: {e})") from e
        return client
    if path is None:
        path = settings.index_dir / "chroma"
    try:
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except (*SERVER_ERRORS, RuntimeError) as e:  # RuntimeError: the Rust bindings' own failures
        raise StoreUnavailable(f"Chroma 数据目录 {path} 无法打开 (cannot open: {e})") from e


class Store:
    """One Chroma collection of chunk vectors."""

    def __init__(self, client, name: str, create: bool = False):
        self.client = client
        self.name = name
        try:
            if create:
                self._col = client.get_or_create_collection(
                    name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
                )
            else:
                self._col = client.get_collection(name, embedding_function=None)
        except NotFoundError as e:
            raise StoreUnavailable(f"Chroma 集合 {name} 不存在 (collection missing)") from e
        except SERVER_ERRORS as e:
            raise StoreUnavailable(f"Chroma 集合 {name} 无法打开: {e}") from e

    def count(self) -> int:
        """Number of vectors stored."""
        return self._call(self._col.count)

    def upsert(self, ids: list[str], vectors, metadatas: list[dict] | None = None) -> None:
        """Insert or replace vectors in batches."""
        vectors = np.asarray(vectors, dtype=np.float32)
        for i in range(0, len(ids), BATCH):
            kwargs = {"ids": ids[i : i + BATCH], "embeddings": vectors[i : i + BATCH]}
            if metadatas is not None:
                kwargs["metadatas"] = metadatas[i : i + BATCH]
            self._call(lambda kwargs=kwargs: self._col.upsert(**kwargs))

    def delete(self, ids: list[str]) -> None:
        """Remove vectors by id, in batches."""
        for i in range(0, len(ids), BATCH):
            batch = ids[i : i + BATCH]
            self._call(lambda batch=batch: self._col.delete(ids=batch))

    def query(self, vector, k: int) -> list[tuple[str, float]]:
        """Nearest (id, cosine distance) pairs, nearest first (fewer when the collection is smaller)."""
        res = self._call(
            lambda: self._col.query(
                query_embeddings=np.asarray([vector], dtype=np.float32), n_results=k, include=["distances"]
            )
        )
        return list(zip(res["ids"][0], (float(d) for d in res["distances"][0])))

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of some chunks, by id (ids not stored are left out)."""
        res = self._call(lambda: self._col.get(ids=ids, include=["embeddings"]))
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(res["ids"], res["embeddings"])}

    def _call(self, fn):
        try:
            return fn()
        except SERVER_ERRORS as e:
            raise StoreUnavailable(f"Chroma 调用失败 (store call failed): {e}") from e


def write_collection(
    settings: Settings,
    path: Path,
    name: str,
    ids: list[str],
    vectors,
    metadatas: list[dict],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Create a collection (a server's, or an embedded one at `path`) holding these vectors."""
    client = connect(settings, path)
    try:
        st = Store(client, name, create=True)
        for i in range(0, len(ids), BATCH):
            st.upsert(ids[i : i + BATCH], vectors[i : i + BATCH], metadatas[i : i + BATCH])
            if progress:
                progress("store", min(i + BATCH, len(ids)), len(ids))
    finally:
        if not settings.chroma_server:
            close(client)  # so the finished build directory can be renamed


def drop_collection(client, name: str) -> None:
    """Delete a collection if it exists."""
    try:
        client.delete_collection(name)
    except NotFoundError:
        pass
    except SERVER_ERRORS as e:
        raise StoreUnavailable(f"Chroma 集合 {name} 无法删除: {e}") from e


def list_collections(client) -> list[str]:
    """Names of all collections."""
    try:
        return [c if isinstance(c, str) else c.name for c in client.list_collections()]
    except SERVER_ERRORS as e:
        raise StoreUnavailable(f"Chroma 无法列出集合: {e}") from e


def close(client) -> None:
    """Release an embedded client's files (so its directory can be deleted)."""
    closer = getattr(client, "close", None)
    if closer is not None:
        closer()
