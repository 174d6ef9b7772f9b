"""Score answers against a gold set, by the rules in tests/gold/README.md."""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FIGURE_CATEGORIES = {"table", "prose_number", "comparison"}
EVIDENCE_CATEGORIES = {"prose_number", "descriptive", "list", "section"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def norm(text: str) -> str:
    """NFKC, no whitespace, no thousands separators between digits."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    # A separator counts as a thousands separator only before exactly three digits ("10，2021年" stays apart).
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def contains(haystack: str, needle: str) -> bool:
    """Substring test where a numeric needle must sit on digit boundaries."""
    h, n = norm(haystack), norm(needle)
    if not n:
        return True
    if re.match(r"^[\d.]", n) or re.search(r"[\d.]$", n):
        pattern = (r"(?<!\d)" if n[0].isdigit() else "") + re.escape(n) + (r"(?!\d)" if n[-1].isdigit() else "")
        return re.search(pattern, h) is not None
    return n in h


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest common substring (dynamic programming, small inputs)."""
    if not a or not b:
        return 0
    best, prev = 0, [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def evidence_hit(citations: list[dict], evidence: list[str], k: int = 5) -> bool:
    """One of the first k citations holds ≥60% of an evidence string as one contiguous run."""
    for c in citations[:k]:
        text = norm(c.get("text", ""))
        for ev in evidence:
            e = norm(ev)
            if e and longest_common_run(e, text) >= 0.6 * len(e):
                return True
    return False


@lru_cache(maxsize=4)
def grounding_text(report: str) -> str:
    """The report normalised like an answer, but with whitespace kept as a boundary.

    Dropping whitespace glues neighbouring table cells ("0.0112\t0.0035" -> "0.01120.0035"), so that a
    number printed in its own cell would no longer sit on digit boundaries and count as ungrounded."""
    return "|".join(norm(part) for part in re.split(r"\s+", report) if part)


def ungrounded(answer: str, report: str) -> list[str]:
    """Numbers in an answer that occur nowhere in the report."""
    rep = grounding_text(report)
    return [n for n in NUMBER.findall(norm(answer)) if not contains(rep, n)]


@dataclass
class Scored:
    item: dict
    result: dict
    correct: bool
    refused: bool
    evidence: bool | None
    ungrounded: list[str]


def score_item(item: dict, result: dict, report: str) -> Scored:
    """Score one answer (in the --json shape) against one gold item."""
    refused = result["kind"] == "not_found"
    text = result["answer"]
    if item["category"] == "unanswerable":
        correct = refused
    else:
        scope = norm(text)[:100] if item["category"] in FIGURE_CATEGORIES else text
        correct = not refused and all(contains(scope, m) for m in item["must_contain"])
    ev = evidence_hit(result["citations"], item["evidence"]) if item["category"] in EVIDENCE_CATEGORIES else None
    bad = [] if result["kind"] in ("computed", "not_found") else ungrounded(text, report)
    return Scored(item, result, correct, refused, ev, bad)


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    vals = sorted(values)
    k = max(0, min(len(vals) - 1, round(q / 100 * (len(vals) - 1))))
    return vals[k]


def summarise(scored: list[Scored]) -> dict:
    """The figures defined by the gold README."""
    by_cat: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        by_cat[s.item["category"]].append(s)
    answerable = [s for s in scored if s.item["category"] != "unanswerable"]
    unans = by_cat.get("unanswerable", [])
    ev = [s.evidence for s in scored if s.evidence is not None]
    lat = [s.result["latency_ms"] for s in scored]
    fig_lat = [s.result["latency_ms"] for s in scored if s.result["kind"] in ("figure", "computed")]
    return {
        "questions": len(scored),
        # Every item counts, a correct refusal as much as a correct figure (the gold README's answer accuracy).
        "accuracy": round(statistics.mean(s.correct for s in scored), 4) if scored else None,
        "answerable_accuracy": round(statistics.mean(s.correct for s in answerable), 4) if answerable else None,
        "accuracy_by_category": {c: round(statistics.mean(s.correct for s in v), 4) for c, v in sorted(by_cat.items())},
        "evidence_hit_at_5": round(statistics.mean(ev), 4) if ev else None,
        "correct_refusals": f"{sum(s.refused for s in unans)}/{len(unans)}",
        "false_refusals": sum(s.refused for s in answerable),
        "ungrounded_numbers": sum(len(s.ungrounded) for s in scored),
        "latency_ms_p50": round(percentile(lat, 50), 1),
        "latency_ms_p95": round(percentile(lat, 95), 1),
        "figure_latency_ms_p95": round(percentile(fig_lat, 95), 1),
    }
