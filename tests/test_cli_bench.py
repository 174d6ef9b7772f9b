"""`qa bench` forwards its options to benchmarks/bench.py, which is not part of the installed package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_options_reach_the_benchmark_script():
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "bench", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "--quick" in done.stdout and "--scale" in done.stdout


def test_bench_outside_the_repository_says_where_to_run_it(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "bench", "--quick"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2 and "benchmarks/bench.py" in done.stderr
