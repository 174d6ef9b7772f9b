"""The report as a PDF: does it index as fast as the .txt, and does it answer with the same figures?

Builds a PDF of the whole report from corpus/'s text with reportlab (headings and paragraphs as text,
every tab-separated table as a ruled table, printed page numbers in the footer), then indexes the .txt and
the PDF each alone in a fresh corpus and index directory with the real model and a cold embedding cache,
and asks both the same figure questions. Prints the figures and writes them to benchmarks/results-pdf.json.

    .venv/bin/python benchmarks/pdf_ingest.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
# One question per kind the issue names: a 表2-1 cell, a census-table row, a prose figure.
QUESTIONS = [
    "2022年生产安全事故死亡人数",
    "运营车辆万车死亡率2022年实际数",
    "普查中加油加气站完成调查多少个",
    "全市累计解危D级危房多少处",
]


def make_report_pdf(path: Path) -> None:
    """The report's text laid out as a PDF: paragraphs, ruled tables, '- N -' page footers."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story: list = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            grid = [[Paragraph(escape(c), cell) for c in r + [""] * (width - len(r))] for r in rows]
            table = Table(grid, colWidths=[480 / width] * width, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black)]))
            story.append(table)
            rows.clear()

    for line in REPORT.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip() and not re.fullmatch(r"\s*-\s*\d+\s*-\s*", line):
            story.append(Paragraph(escape(line.strip()), body))
    flush()

    def footer(c, d) -> None:
        c.setFont("STSong-Light", 9)
        c.drawCentredString(A4[0] / 2, 30, f"- {d.page} -")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)


def index_alone(doc: Path, work: Path) -> dict:
    """Index one document alone (cold embedding cache) and ask the questions; time and answers."""
    from qa.config import load_settings
    from qa.index import build_index
    from qa.readers import read_document
    from qa.service import open_or_build

    corpus, index = work / "corpus", work / "index"
    corpus.mkdir(parents=True)
    shutil.copy(doc, corpus / doc.name)
    os.environ["QA_CORPUS_DIR"], os.environ["QA_INDEX_DIR"] = str(corpus), str(index)
    started = time.perf_counter()
    read_document(corpus / doc.name)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    report = build_index(load_settings())
    build_s = time.perf_counter() - started
    answerer = open_or_build(load_settings())
    answers = []
    for q in QUESTIONS:
        a = answerer.ask(q)
        page = a.citations[0].page if a.citations else None
        answers.append({"question": q, "kind": a.kind, "lead": a.answer.split(" —— ")[0][:60], "page": page})
    return {"read_s": round(read_s, 2), "build_s": round(build_s, 2), "chunks": report.chunks, "answers": answers}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pdf = work / "kunshan-report.pdf"
        started = time.perf_counter()
        make_report_pdf(pdf)
        made_s = time.perf_counter() - started
        txt = index_alone(REPORT, work / "txt")
        from_pdf = index_alone(pdf, work / "pdf")
    same = [a["lead"] == b["lead"] for a, b in zip(txt["answers"], from_pdf["answers"], strict=True)]
    result = {
        "pdf_made_s": round(made_s, 1),
        "txt": txt,
        "pdf": from_pdf,
        "build_ratio_pdf_over_txt": round(from_pdf["build_s"] / txt["build_s"], 2),
        "same_figures": same,
    }
    out = ROOT / "benchmarks" / "results-pdf.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
