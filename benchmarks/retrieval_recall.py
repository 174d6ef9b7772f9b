"""Evidence hit@5 of retrieval alone: BM25, dense and fused, on the gold questions and our paraphrases.

    .venv/bin/python benchmarks/retrieval_recall.py            # builds/updates the index in QA_INDEX_DIR first
    .venv/bin/python benchmarks/retrieval_recall.py --misses   # also list the questions each mode missed
    .venv/bin/python benchmarks/retrieval_recall.py --rrf-k 60 --keyword-weight 1 --rows-per-section 99
                                                               # plain RRF, for comparison

A hit: one of the top five chunk texts holds ≥60% of an evidence string as one contiguous run, after
NFKC, whitespace and thousands-separator normalisation (qa.evaluate.evidence_hit, the scoring rule of
tests/gold/README.md). Categories: prose_number, descriptive, section, list.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings  # noqa: E402
from qa.evaluate import EVIDENCE_CATEGORIES, evidence_hit  # noqa: E402
from qa.index import build_index, open_index  # noqa: E402

SETS = {"public": ROOT / "tests" / "gold" / "public.jsonl", "paraphrased": ROOT / "benchmarks" / "paraphrased.jsonl"}
MODES = {"bm25": "keyword", "dense": "dense", "fused": "hybrid"}


def load(path: Path) -> list[dict]:
    """Gold items whose evidence retrieval should find."""
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [it for it in items if it["category"] in EVIDENCE_CATEGORIES]


def score(index, items: list[dict], k: int = 5) -> tuple[dict[str, float], dict[str, list[str]], float]:
    """hit@k per mode, the ids each mode missed, and the mean fused search time in ms."""
    hits = dict.fromkeys(MODES, 0)
    misses: dict[str, list[str]] = {name: [] for name in MODES}
    spent = 0.0
    for item in items:
        for name, mode in MODES.items():
            started = time.perf_counter()
            found = index.search(item["question"], k, mode=mode)
            if name == "fused":
                spent += time.perf_counter() - started
            if evidence_hit([{"text": h.chunk.text} for h in found], item["evidence"], k):
                hits[name] += 1
            else:
                misses[name].append(item["id"])
    n = max(len(items), 1)
    return {name: hits[name] / n for name in MODES}, misses, spent / n * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the questions each mode missed")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--rrf-k", type=int, help="override the fusion constant")
    parser.add_argument("--keyword-weight", type=float, help="override the BM25 weight (dense is 1)")
    parser.add_argument("--rows-per-section", type=int, help="override the cap on table rows per section")
    args = parser.parse_args(argv)

    settings = load_settings()
    started = time.perf_counter()
    report = build_index(settings)
    print(
        f"index: {report.chunks} chunks, {report.embedded} embedded, {time.perf_counter() - started:.1f}s "
        f"({settings.embed_model})"
    )
    index = open_index(settings)
    r = index.retriever
    if args.rrf_k is not None:
        r.rrf_k = args.rrf_k
    if args.keyword_weight is not None:
        r.weights["keyword"] = args.keyword_weight
    if args.rows_per_section is not None:
        r.rows_per_section = args.rows_per_section
    print(f"fusion: rrf k={r.rrf_k}, weights {r.weights}, table rows per section {r.rows_per_section}")
    index.search("预热", 1)  # load the model before timing
    for name, path in SETS.items():
        items = load(path)
        rates, misses, ms = score(index, items, args.k)
        cells = "  ".join(f"{mode} {rate:.3f}" for mode, rate in rates.items())
        print(f"{name:12s} n={len(items):3d}  hit@{args.k}: {cells}  (fused search {ms:.0f} ms)")
        if args.misses:
            for mode, ids in misses.items():
                print(f"  missed by {mode}: {' '.join(ids) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
