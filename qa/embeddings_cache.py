"""Embeddings cache: vectors by (model, sha1 of the embedded text) in one SQLite file.

Rebuilds re-embed nothing unchanged.

Keyed by the text actually embedded rather than by chunk id, so a changed embedding recipe can
never serve a stale vector.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
BATCH = 32


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A small persistent map (model, text) -> float32 vector."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._con = self._open()
        except sqlite3.DatabaseError as e:
            # Only a cache: a damaged one is dropped and refilled.
            log.warning("embeddings cache %s unreadable (%s); starting afresh", path, e)
            path.unlink(missing_ok=True)
            self._con = self._open()

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path)
        con.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))")
        return con

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._con.close()

    def get(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors for the texts the cache holds."""
        out = {}
        for text in dict.fromkeys(texts):
            row = self._con.execute(
                "SELECT vec FROM vectors WHERE model = ? AND key = ?", (model, _key(text))
            ).fetchone()
            if row is not None:
                out[text] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def put(self, model: str, texts: list[str], vectors) -> None:
        """Store vectors for texts."""
        vectors = np.asarray(vectors, dtype=np.float32)
        with self._con:
            self._con.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, _key(t), v.tobytes()) for t, v in zip(texts, vectors)],
            )

    def embed(
        self,
        model: str,
        load: Callable[[], Any],
        texts: list[str],
        rebuild: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> tuple[list, int]:
        """Vectors for all texts, embedding only what the cache lacks (load() gives the embedder, only then)."""
        found = {} if rebuild else self.get(model, texts)
        embedded = sum(1 for t in texts if t not in found)
        # Batches of similar length: a batch is padded to its longest text (measured in qa bench).
        todo = sorted((t for t in dict.fromkeys(texts) if t not in found), key=len)
        embedder = load() if todo else None
        for i in range(0, len(todo), BATCH):
            assert embedder is not None
            batch = todo[i : i + BATCH]
            vectors = embedder.embed_passages(batch)
            self.put(model, batch, vectors)
            found.update(zip(batch, np.asarray(vectors, dtype=np.float32)))
            if progress:
                progress("embed", min(i + BATCH, len(todo)), len(todo))
        return [found[t] for t in texts], embedded

    def prune(self, model: str, keep: list[str]) -> int:
        """Forget this model's vectors for texts no longer in the corpus; returns how many went."""
        wanted = {_key(t) for t in keep}
        stale = [
            (model, k)
            for (k,) in self._con.execute("SELECT key FROM vectors WHERE model = ?", (model,))
            if k not in wanted
        ]
        with self._con:
            self._con.executemany("DELETE FROM vectors WHERE model = ? AND key = ?", stale)
        return len(stale)
