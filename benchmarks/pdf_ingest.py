"""The report as a PDF against the .txt: benchmarks/ingest_formats.py for the PDF alone.

Kept so the command the README names still runs; ingest_formats.py does the work (and also builds a
.docx and an .xlsx). Writes benchmarks/results-pdf.json.

    .venv/bin/python benchmarks/pdf_ingest.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_formats import main  # noqa: I001

OUT = Path(__file__).resolve().parent / "results-pdf.json"

if __name__ == "__main__":
    raise SystemExit(main(["--formats", "pdf", "--out", str(OUT), *sys.argv[1:]]))
