"""The report as a PDF, a Word file and a workbook: does each index in time and answer with the .txt's figures?

Builds from corpus/'s text files the project has never seen:
  pdf   reportlab: headings and paragraphs as text, every tab-separated table as a ruled table, printed
        page numbers ("- N -") in the footer;
  docx  python-docx: the title in the Title style, headings (lines qa.parse.heading_of knows) in Heading
        1-4, paragraphs, every tab-separated table as a Word table (blank cells written blank, as printed);
  xlsx  openpyxl: the indicator tables 表2-1, 表2-2, 表2-3 and the census table, one sheet each, the
        caption as a merged title row, the header rows as printed (group labels merged over their columns),
        numbers typed as Excel holds them (-48.48% a fraction shown 0.00%); a table the page break cut is one
        sheet: its repeated header dropped, a row the break cut rejoined.
Then indexes the .txt and each of those alone with `qa index` (a fresh corpus and index directory, so a cold
embedding cache, and the real model), and asks each the same figure questions: a 表2-1 cell, a census row,
two prose figures (not asked of the workbook, which has no prose). A format passes a question when its lead
figure is the .txt's and its citation locates it: a page (PDF), a section (Word), a cell (workbook).
Prints the figures and writes them to benchmarks/results-formats.json.

    .venv/bin/python benchmarks/ingest_formats.py                 # txt, pdf, docx, xlsx
    .venv/bin/python benchmarks/ingest_formats.py --formats docx  # txt and the formats named
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
OUT = ROOT / "benchmarks" / "results-formats.json"
FORMATS = ("pdf", "docx", "xlsx")
# (question, figure the .txt answers with, kind, formats that have what it asks about)
QUESTIONS = [
    ("运营车辆万车死亡率2022年实际数", "1.36", "表2-1 cell", FORMATS),
    ("普查中加油加气站完成调查多少个", "90个", "census row", FORMATS),
    ("2022年生产安全事故死亡人数", "6人", "prose", ("pdf", "docx")),
    ("全市累计解危D级危房多少处", "217处", "prose", ("pdf", "docx")),
]
PAGE_MARK = re.compile(r"\s*-\s*\d+\s*-\s*")  # a printed page number left in the text
FIGURE = re.compile(r"^[-+]?\d[\d,.]*[%‰]?(?:[\u4e00-\u9fff](?<!年))?")  # "1.36", "90个", "6人"
SHEETS = {  # the workbook's sheets: the caption a table follows (None: the census table, which has none)
    "表2-1": "表2-1 “十四五”以来安全生产相关指标统计表",
    "表2-2": "表2-2 “十四五”以来防灾减灾相关指标统计表",
    "表2-3": "表2-3 “十四五”以来应急救援相关指标统计表",
    "普查": None,
}
CENSUS_HEADER = "序号\t行业部门\t调查对象大类"


def report_lines() -> list[str]:
    return REPORT.read_text(encoding="utf-8").splitlines()


def parts(lines: list[str]) -> list[tuple[str, object]]:
    """The report as ("title", [lines]), ("text", line) and ("table", rows); page marks dropped."""
    out: list[tuple[str, object]] = []
    at = 0
    while at < len(lines) and not lines[at].strip():
        at += 1
    title = []
    while at < len(lines) and lines[at].strip():
        title.append(lines[at].strip())
        at += 1
    out.append(("title", title))
    rows: list[list[str]] = []
    for line in lines[at:]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            out.append(("table", rows))
            rows = []
        if line.strip() and not PAGE_MARK.fullmatch(line):
            out.append(("text", line.strip()))
    if rows:
        out.append(("table", rows))
    return out


# ---------------------------------------------------------------- the three files


def make_pdf(path: Path) -> None:
    """The report's text laid out as a PDF: paragraphs, ruled tables, '- N -' page footers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story: list = []
    for kind, content in parts(report_lines()):
        if kind == "table":
            rows = content
            assert isinstance(rows, list)
            width = max(len(r) for r in rows)
            grid = [[Paragraph(escape(c), cell) for c in r + [""] * (width - len(r))] for r in rows]
            table = Table(grid, colWidths=[480 / width] * width, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black)]))
            story.append(table)
        else:
            for line in content if kind == "title" else [content]:  # type: ignore[union-attr]
                story.append(Paragraph(escape(str(line)), body))

    def footer(c, d) -> None:
        c.setFont("STSong-Light", 9)
        c.drawCentredString(A4[0] / 2, 30, f"- {d.page} -")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)


def make_docx(path: Path) -> None:
    """The report as Word writes it: Title, Heading 1-4 for numbered headings, paragraphs, Word tables."""
    import docx

    from qa.parse import heading_of

    d = docx.Document()
    for kind, content in parts(report_lines()):
        if kind == "title":
            for line in content:  # type: ignore[union-attr]
                d.add_paragraph(line, style="Title")
        elif kind == "table":
            rows = content
            assert isinstance(rows, list)
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for k, text in enumerate(row):
                    if text:
                        table.cell(r, k).text = text
        else:
            heading = heading_of(str(content))
            if heading:
                d.add_heading(str(content), level=heading[0])
            else:
                d.add_paragraph(str(content))
    d.save(str(path))


def sheet_tables(lines: list[str]) -> dict[str, tuple[str | None, list[list[str]], int]]:
    """Each sheet's caption, rows and header rows: a table the page break cut is read on as one."""
    groups: list[tuple[int, int]] = []  # (first line, end) of each run of tab-separated lines
    at = 0
    while at < len(lines):
        if "\t" in lines[at]:
            end = at
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            groups.append((at, end))
            at = end
        else:
            at += 1
    out = {}
    for name, caption in SHEETS.items():
        if caption is not None:
            start = lines.index(caption)
            g = next(k for k, (first, _) in enumerate(groups) if first > start)
        else:
            g = next(k for k, (first, _) in enumerate(groups) if lines[first].startswith(CENSUS_HEADER))
        first, end = groups[g]
        rows = [lines[i].split("\t") for i in range(first, end)]
        header = 1
        while header < len(rows) and not rows[header][0].strip():
            header += 1
        head = [_trim(r) for r in rows[:header]]
        # the next runs, only blank lines apart and printing the header again, are the same table
        while g + 1 < len(groups) and not any(ln.strip() for ln in lines[end : groups[g + 1][0]]):
            g += 1
            first, end = groups[g]
            more = [lines[i].split("\t") for i in range(first, end)]
            if _trim(more[0]) != head[0]:
                break
            more = more[1:]
            while more and _trim(more[0]) in head[1:]:
                more = more[1:]
            if more and not more[0][0].strip():  # no 序号: the rest of the row the page break cut
                cont = more.pop(0)
                rows[-1] = [a + b for a, b in zip(rows[-1], cont + [""] * (len(rows[-1]) - len(cont)))]
            rows += more
        out[name] = (caption, rows, header)
    return out


def _trim(row: list[str]) -> list[str]:
    out = list(row)
    while out and not out[-1].strip():
        out.pop()
    return out


def typed(text: str) -> tuple[object, str]:
    """A printed cell as Excel holds it: 33 a number, 1.36 a number shown with two decimals, -48.48% a fraction."""
    if re.fullmatch(r"-?\d+(\.\d+)?%", text):
        decimals = len(text[:-1].split(".")[1]) if "." in text else 0
        return float(text[:-1]) / 100, ("0." + "0" * decimals + "%") if decimals else "0%"
    if re.fullmatch(r"-?\d+", text):
        return int(text), "General"
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text), "0." + "0" * len(text.split(".")[1])
    return text, "General"


def make_xlsx(path: Path) -> None:
    """The indicator tables and the census table, one sheet each, header rows as printed."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (caption, rows, header) in sheet_tables(report_lines()).items():
        ws = book.create_sheet(name)
        width = max(len(_trim(r)) for r in rows)
        top = 1
        if caption:
            ws.cell(1, 1, caption)
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            top = 2
        for r, row in enumerate(rows, start=top):
            for k, text in enumerate(row[:width], start=1):
                if text.strip():
                    value, fmt = typed(text.strip())
                    ws.cell(r, k, value).number_format = fmt
        if header > 1:
            # as printed: a label over both header lines spans them; a year over its two columns spans them
            lower = rows[header - 1]
            for k in range(width):
                if rows[0][k].strip() and not lower[k].strip():
                    ws.merge_cells(start_row=top, start_column=k + 1, end_row=top + header - 1, end_column=k + 1)
                elif rows[0][k].strip() and k + 1 < width and not rows[0][k + 1].strip() and lower[k + 1].strip():
                    ws.merge_cells(start_row=top, start_column=k + 1, end_row=top, end_column=k + 2)
    book.save(str(path))


MAKERS = {"pdf": make_pdf, "docx": make_docx, "xlsx": make_xlsx}


# ---------------------------------------------------------------- index alone, ask


def index_alone(doc: Path, work: Path, fmt: str) -> dict:
    """Index one document alone with `qa index` (cold embedding cache) and ask the questions."""
    from qa.config import load_settings
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
    run = subprocess.run(
        [sys.executable, "-m", "qa.cli", "index"], cwd=ROOT, capture_output=True, text=True, env=os.environ.copy()
    )
    index_s = time.perf_counter() - started
    if run.returncode:
        raise SystemExit(f"qa index failed on {doc.name}:\n{run.stderr[-2000:]}")
    said = run.stdout.strip().splitlines()[-1]
    built = re.search(r"(\d+) 个片段.*用时 ([\d.]+) 秒", said)
    answerer = open_or_build(load_settings(), build_if_missing=False)
    answers = []
    for question, _, kind, formats in QUESTIONS:
        if fmt != "txt" and fmt not in formats:
            continue
        a = answerer.ask(question)
        c = a.citations[0] if a.citations else None
        lead = a.answer.split(" —— ")[0]
        figure = FIGURE.match(lead)
        cell = re.search(r"单元格 ([A-Z]+\d+)", c.table_row) if c else None
        answers.append(
            {
                "question": question,
                "asks": kind,
                "kind": a.kind,
                "lead": lead[:60],
                "figure": figure.group(0) if figure else "",
                "page": c.page if c else None,
                "section": c.section if c else "",
                "cell": cell.group(1) if cell else "",
                "table_row": c.table_row if c else "",
            }
        )
    return {
        "file": doc.name,
        "read_s": round(read_s, 2),
        "qa_index_s": round(index_s, 2),  # the command's wall time: start-up, model load, build
        "build_s": float(built.group(2)) if built else None,  # what `qa index` reports for the build
        "chunks": int(built.group(1)) if built else None,
        "answers": answers,
    }


def located(fmt: str, answer: dict) -> bool:
    """The citation names where the figure is: a page in a PDF, a section in Word, a cell in a workbook."""
    if fmt == "pdf":
        return answer["page"] is not None
    if fmt == "docx":
        return bool(answer["section"])
    return bool(answer["cell"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    result: dict = {"formats": args.formats}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result["txt"] = index_alone(REPORT, work / "txt", "txt")
        expected = {a["question"]: a["figure"] for a in result["txt"]["answers"]}
        for fmt in args.formats:
            path = work / f"kunshan-report.{fmt}"
            started = time.perf_counter()
            MAKERS[fmt](path)
            made_s = time.perf_counter() - started
            got = index_alone(path, work / fmt, fmt)
            got["made_s"] = round(made_s, 2)
            for ans in got["answers"]:
                ans["same_figure"] = ans["figure"] == expected[ans["question"]] != ""
                ans["located"] = located(fmt, ans)
            if got["build_s"] and result["txt"]["build_s"]:
                got["build_ratio_over_txt"] = round(got["build_s"] / result["txt"]["build_s"], 2)
            got["qa_index_ratio_over_txt"] = round(got["qa_index_s"] / result["txt"]["qa_index_s"], 2)
            got["passed"] = all(a["same_figure"] and a["located"] for a in got["answers"])
            result[fmt] = got
    result["txt_figures_as_expected"] = [
        a["figure"] == figure for a, (_, figure, _, _) in zip(result["txt"]["answers"], QUESTIONS, strict=True)
    ]
    result["all_passed"] = all(result[f]["passed"] for f in args.formats) and all(result["txt_figures_as_expected"])
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["all_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
