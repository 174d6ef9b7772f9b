"""Calibrate the figure thresholds (TABLE_MIN, PROSE_MIN) on our own development sets.

For each pair of thresholds on a grid, answer the development questions and measure answer accuracy and
the refusal precision and recall (a refusal is right when the item is unanswerable). Only our own sets
are used (tests/dev: (b) in full, an even sample of (a)); the public gold sets are not looked at here.

    .venv/bin/python benchmarks/calibrate.py            # prints the grid, writes benchmarks/calibration.json
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import lookup
from qa.config import load_settings  # noqa: E402
from qa.corpus import corpus_text  # noqa: E402
from qa.evaluate import load_gold, score_item  # noqa: E402
from qa.service import open_or_build  # noqa: E402

TABLE_GRID = (0.52, 0.57, 0.62, 0.67, 0.72)
PROSE_GRID = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65)
SAMPLE_EVERY = 4  # every 4th item of the generated set (a), all of the written sets (b)


def dev_items() -> list[dict]:
    dev = ROOT / "tests" / "dev"
    items = load_gold(dev / "generated.jsonl")[::SAMPLE_EVERY]
    for path in sorted(dev.glob("written-*.jsonl")):
        items += load_gold(path)
    return items


def set_thresholds(table_min: float, prose_min: float) -> None:
    """The answerer reads its thresholds from qa.lookup at call time."""
    lookup.TABLE_MIN = table_min
    lookup.PROSE_MIN = prose_min


def measure(answerer, items: list[dict], report: str) -> dict:
    correct = refusals = right_refusals = unanswerable = wrong_figures = 0
    for item in items:
        result = answerer.ask(item["question"]).to_dict()
        s = score_item(item, result, report)
        correct += s.correct
        refusals += s.refused
        if item["category"] == "unanswerable":
            unanswerable += 1
            right_refusals += s.refused
            wrong_figures += not s.refused
    return {
        "accuracy": round(correct / len(items), 4),
        "refusal_precision": round(right_refusals / refusals, 4) if refusals else None,
        "refusal_recall": round(right_refusals / unanswerable, 4) if unanswerable else None,
        "false_refusals": refusals - right_refusals,
        "figures_given_for_unanswerable": wrong_figures,
    }


def main() -> int:
    answerer = open_or_build()
    report = corpus_text(load_settings().corpus_dir)
    items = dev_items()
    print(f"{len(items)} development questions ({sum(i['category'] == 'unanswerable' for i in items)} unanswerable)")
    grid = []
    started = time.perf_counter()
    for t in TABLE_GRID:
        for p in PROSE_GRID:
            set_thresholds(t, p)
            row = {"table_min": t, "prose_min": p, **measure(answerer, items, report)}
            grid.append(row)
            print(
                f"TABLE_MIN {t:.2f} PROSE_MIN {p:.2f}  acc {row['accuracy']:.3f}  "
                f"refusal P {row['refusal_precision']}  R {row['refusal_recall']}  "
                f"false refusals {row['false_refusals']}  "
                f"figures for unanswerable {row['figures_given_for_unanswerable']}",
                flush=True,
            )
    best = max(grid, key=lambda r: (r["accuracy"], r["refusal_recall"] or 0))
    out = {"questions": len(items), "grid": grid, "best": best, "seconds": round(time.perf_counter() - started, 1)}
    (ROOT / "benchmarks" / "calibration.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print("best:", best)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
