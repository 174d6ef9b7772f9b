"""PDF, Word and Excel readers on files generated here from the report's own text and its 表2-1.

Each format must give the same typed table records as the .txt gives for the same rows, so every later
stage (records, figures, chunks, citations) works unchanged; the refusals name the file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from fakes import fake_corpus
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from qa import index
from qa.answer import Answerer
from qa.config import load_settings
from qa.corpus import corpus_files, corpus_text
from qa.errors import CorpusError
from qa.layout import Merged, join_wrapped, resolve_grid
from qa.parse import parse_file, read_text
from qa.readers import read_document
from qa.tables import table_records

REPORT = Path(__file__).resolve().parent.parent / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
SOURCE = read_text(REPORT)
LINES = SOURCE.split("\n")
T21 = "表2-1 “十四五”以来安全生产相关指标统计表"
ROWS = ("1", "2", "3", "7", "11", "12")  # 表2-1 rows: counts, a rate with four decimals, percentages
HEADING = "二、主要指标完成情况"
# The report's paragraph before 表2-1; in the PDF it is printed where a page break cuts it.
CUT = next(ln for ln in LINES if ln.startswith("虽然主要指标总体呈下降趋势"))
INTRO = next(ln for ln in LINES if ln.startswith("“十四五”以来，全市安全生产工作"))
TITLE = [ln.strip() for ln in LINES[:10] if ln.strip()][:4]
FIRST_PAGE = 5  # printed in the footer of the PDF's first page: the printed page, not the file's


def _t21() -> tuple[list[list[str]], list[list[str]]]:
    """表2-1's two header lines and the chosen data rows, cells as the .txt prints them."""
    at = LINES.index(T21)
    header = [ln.split("\t") for ln in LINES[at + 2 : at + 4]]
    data = [ln.split("\t") for ln in LINES[at + 4 : at + 17] if ln.split("\t")[0] in ROWS]
    return header, data


def _key(records) -> list[tuple]:
    return sorted((r.row, r.indicator, r.column, r.year, r.raw) for r in records)


@pytest.fixture(scope="module")
def expected() -> list[tuple]:
    """The .txt's own records for the chosen rows of 表2-1."""
    recs = [r for r in table_records(parse_file(REPORT)) if r.table == T21 and str(r.row) in ROWS]
    assert len(recs) == 6 * len(ROWS)
    return _key(recs)


# ---------------------------------------------------------------- PDF fixtures


def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(path: Path, repeat_header: bool = True, footer: bool = True) -> Path:
    """A report PDF: large title, heading, paragraphs, 表2-1 across a page break, a paragraph cut by one."""
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    big = ParagraphStyle("title", fontName=font, fontSize=20, leading=30, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    header, data = _t21()
    grid = [[Paragraph(c, cell) if c else "" for c in row] for row in header]
    grid += [[Paragraph(c, cell) for c in row] for row in data]
    table = Table(grid, colWidths=[24, 95, 40, 45, 60, 60, 60, 60], repeatRows=2 if repeat_header else 0)
    spans = [("SPAN", (k, 0), (k, 1)) for k in range(4)] + [("SPAN", (4, 0), (5, 0)), ("SPAN", (6, 0), (7, 0))]
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]))

    def page_footer(c, d):
        if footer:
            c.setFont(font, 9)
            c.drawCentredString(A4[0] / 2, 30, f"- {d.page + FIRST_PAGE - 1} -")

    # Spacers leave room for the table's caption, header and a few rows, and for two lines of CUT, at the
    # foot of a page (A4's frame is 686 points high): the rest of each runs onto the next page.
    story = [*(Paragraph(t, big) for t in TITLE), Spacer(1, 20), Paragraph(HEADING, body), Paragraph(INTRO, body)]
    story += [PageBreak(), Spacer(1, 686 - 200), Paragraph(T21, body), table]
    story += [PageBreak(), Spacer(1, 686 - 45), Paragraph(CUT, body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return path


def _pages_of(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s", "", p.extract_text() or "") for p in pdf.pages]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_pdf_chinese_text_extracts_back(pdf):
    pages = _pages_of(pdf)
    assert "".join(TITLE) in pages[0] and "2021年各类生产安全事故死亡人数12人" in "".join(pages)


def test_pdf_table_across_a_page_break_gives_the_txt_records(pdf, expected):
    pages = _pages_of(pdf)
    # the fixture really splits 表2-1: its first chosen row on one page, its last on the next
    first, last = (next(k for k, p in enumerate(pages) if raw in p) for raw in ("-48.48%", "16545"))
    assert last == first + 1
    doc = read_document(pdf).document
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.title for t in tables] == [T21] and tables[0].page == FIRST_PAGE + first
    assert _key(table_records(doc)) == expected


@pytest.mark.parametrize("repeat_header", [False])
def test_pdf_table_continued_without_its_header(tmp_path, expected, repeat_header):
    doc = read_document(make_pdf(tmp_path / "r.pdf", repeat_header=repeat_header)).document
    assert [b.kind for b in doc.blocks].count("table") == 1
    assert _key(table_records(doc)) == expected


def test_pdf_blocks_carry_the_printed_page_and_a_cut_sentence_is_joined(pdf):
    doc = read_document(pdf).document
    pages = _pages_of(pdf)
    assert doc.title == "".join(TITLE)
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert (heading.text, heading.section, heading.page) == (HEADING, (HEADING,), FIRST_PAGE)
    cut = next(b for b in doc.blocks if b.text.startswith(CUT[:12]))
    assert cut.text == CUT  # one paragraph again, though the page break cut it
    on = [k for k, p in enumerate(pages) if CUT[:12] in p or CUT[-12:] in p]
    assert len(on) == 2 and not any(re.sub(r"\s", "", CUT) in p for p in pages)
    assert cut.page == FIRST_PAGE + on[0]
    assert all(f"- {n} -" not in b.text for b in doc.blocks for n in range(1, 20))  # footers are not text


def test_pdf_without_a_printed_number_uses_the_page_index(tmp_path):
    doc = read_document(make_pdf(tmp_path / "r.pdf", footer=False)).document
    # blocks start on page 1 (heading, text), 2 (表2-1, continued on 3) and 4 (CUT, continued on 5)
    assert sorted({b.page for b in doc.blocks}) == [1, 2, 4] and len(_pages_of(tmp_path / "r.pdf")) == 5


def test_pdf_text_is_what_grounding_reads(pdf, tmp_path):
    (tmp_path / pdf.name).write_bytes(pdf.read_bytes())
    assert corpus_files(tmp_path) == [tmp_path / pdf.name]
    text = corpus_text(tmp_path)
    assert "-48.48%" in text and CUT[-20:] in text.replace("\n", "")


def test_wrapped_cell_lines_join_without_spaces_between_chinese():
    assert join_wrapped("亿元地区生产总\n值生产安全事故") == "亿元地区生产总值生产安全事故"
    assert join_wrapped("比2020年降幅(±\n%)") == "比2020年降幅(±%)"
    assert join_wrapped("Level\nthree") == "Level three"


def test_merged_cells_blank_in_the_header_and_repeat_down_in_the_data():
    d, r = Merged.DOWN, Merged.RIGHT
    table = resolve_grid(
        [
            ["序号", "类别", "指标", "2021年", r],
            [d, d, d, "实际数", "降幅"],
            ["1", "安全生产", "事故起数", "17", "-48.48%"],
            ["2", d, "死亡人数", "合计 12", r],  # a category spanning two rows; a value spanning two columns
        ]
    )
    assert table.header_rows == 2
    assert table.rows == (
        ("序号", "类别", "指标", "2021年", ""),
        ("", "", "", "实际数", "降幅"),
        ("1", "安全生产", "事故起数", "17", "-48.48%"),
        ("2", "安全生产", "死亡人数", "合计 12", ""),
    )


def test_corpus_lists_the_new_formats(tmp_path):
    for name in ("a.PDF", "b.docx", "c.xlsx", "d.csv", "e.txt", "f.doc", "g.png"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in corpus_files(tmp_path)] == ["a.PDF", "b.docx", "c.xlsx", "d.csv", "e.txt"]


def test_scanned_pdf_is_refused_by_name(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)  # a page with a picture and no text layer
    c.save()
    with pytest.raises(CorpusError, match=r"scan\.pdf.*(扫描件|text layer)"):
        read_document(path)


def test_corrupt_pdf_is_refused_by_name(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CorpusError, match=r"broken\.pdf.*(损坏|corrupt)"):
        read_document(path)


def test_password_protected_pdf_is_refused_by_name(tmp_path):
    from reportlab.lib import pdfencrypt

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.setFont(_font(), 12)
    c.drawString(100, 700, "一、概况")
    c.save()
    with pytest.raises(CorpusError, match=r"locked\.pdf.*(密码|password)"):
        read_document(path)


# ---------------------------------------------------------------- Word


def make_docx(path: Path) -> Path:
    """A Word report: a title, styled unnumbered headings, a numbered one without style, 表2-1 with merges."""
    d = docx.Document()
    d.add_paragraph(TITLE[0], style="Title")
    d.add_heading("主要指标完成情况", level=1)
    d.add_paragraph(INTRO)
    d.add_heading("安全生产", level=2)
    d.add_paragraph("（一）评估目的")  # numbered, no heading style: found by the heading patterns
    d.add_paragraph(CUT)
    d.add_paragraph(T21)
    header, data = _t21()
    t = d.add_table(rows=2 + len(data), cols=8)
    t.style = "Table Grid"
    for k in range(4):
        t.cell(0, k).merge(t.cell(1, k))  # 序号…2020年基数 span both header lines
    t.cell(0, 4).merge(t.cell(0, 5))
    t.cell(0, 6).merge(t.cell(0, 7))
    for r, row in enumerate(header + data):
        for k, text in enumerate(row):
            if text:
                t.cell(r, k).text = text
    d.save(str(path))
    return path


def test_docx_gives_sections_and_the_txt_records(tmp_path, expected):
    doc = read_document(make_docx(tmp_path / "report.docx")).document
    assert doc.title == TITLE[0]
    headings = [(b.text, b.level, b.section) for b in doc.blocks if b.kind == "heading"]
    assert headings == [
        ("主要指标完成情况", 1, ("主要指标完成情况",)),
        ("安全生产", 2, ("主要指标完成情况", "安全生产")),
        ("（一）评估目的", 2, ("主要指标完成情况", "（一）评估目的")),
    ]
    table = next(b for b in doc.blocks if b.kind == "table")
    assert (table.title, table.page, table.header_rows, table.section[-1]) == (T21, None, 2, "（一）评估目的")
    assert table.rows[0][4:8] == ("2021年", "", "2022年", "")  # a merged span is not copied sideways
    assert _key(table_records(doc)) == expected
    assert any(b.text == CUT for b in doc.blocks)


def test_docx_tables_a_page_break_cut_are_one_table_again(tmp_path, expected):
    """Word tables one after another, the header printed again and a row cut (a PDF turned into Word): one table."""
    header, data = _t21()
    d = docx.Document()
    d.add_paragraph(T21)
    cut = [data[0][:1] + ["生产安全事故"] + data[0][2:], ["", "起数下降"]]  # row 1's 指标 cut by the break
    for rows in ([*header, *cut[:1]], [*header, cut[1], *data[1:3]], [*header, *data[3:]]):
        t = d.add_table(rows=len(rows), cols=9 if len(rows) == 4 else 8)  # a trailing empty column tells nothing
        for r, row in enumerate(rows):
            for k, text in enumerate(row):
                t.cell(r, k).text = text
        d.add_paragraph("")
    d.add_paragraph("表后的一段文字。")
    d.save(str(tmp_path / "t.docx"))
    doc = read_document(tmp_path / "t.docx").document
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(t.title, t.header_rows, len(t.rows)) for t in tables] == [(T21, 2, 2 + len(data))]
    assert _key(table_records(doc)) == expected


def test_empty_docx_is_refused_by_name(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(CorpusError, match=r"blank\.docx"):
        read_document(path)


# ---------------------------------------------------------------- Excel and CSV


def _typed(text: str) -> tuple[object, str]:
    """A printed cell as Excel would hold it: 33 a number, -48.48% a fraction shown as a percentage."""
    if re.fullmatch(r"-?\d+(\.\d+)?%", text):
        decimals = len(text.split(".")[1]) - 1 if "." in text else 0
        return float(text[:-1]) / 100, "0." + "0" * decimals + "%" if decimals else "0%"
    if re.fullmatch(r"-?\d+", text):
        return int(text), "General"
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text), "General"
    return text, "General"


def make_xlsx(path: Path, title_row: bool = True) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表2-1"
    header, data = _t21()
    top = 1
    if title_row:
        ws.cell(1, 1, T21)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
        top = 2
    for r, row in enumerate(header + data, start=top):
        for k, text in enumerate(row, start=1):
            if text:
                value, fmt = _typed(text)
                ws.cell(r, k, value).number_format = fmt
    for k in range(1, 5):
        ws.merge_cells(start_row=top, start_column=k, end_row=top + 1, end_column=k)
    ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=6)
    ws.merge_cells(start_row=top, start_column=7, end_row=top, end_column=8)
    book.create_sheet("空白")  # an empty sheet is no table and no error
    book.save(str(path))
    return path


def test_xlsx_gives_typed_records_with_sheet_cells(tmp_path, expected):
    doc = read_document(make_xlsx(tmp_path / "indicators.xlsx")).document
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(t.title, t.header_rows) for t in tables] == [(T21, 2)]
    recs = table_records(doc)
    assert _key(recs) == expected
    first = next(r for r in recs if r.row == 1 and r.column == "2021年比2020年降幅(±%)")
    # sheet row 4 (title, two header rows above), column F; the value typed from a percentage cell
    assert (first.cell, first.lines, first.value, first.unit, first.measure) == ("F4", (4, 4), -48.48, "%", "change")


def test_a_sheet_cell_is_cited_by_file_sheet_and_cell(tmp_path):
    from types import SimpleNamespace

    from qa.quote import row_citation

    recs = table_records(read_document(make_xlsx(tmp_path / "indicators.xlsx")).document)
    rec = next(r for r in recs if r.row == 1 and r.column == "2021年比2020年降幅(±%)")
    cite = row_citation(rec, SimpleNamespace(titles={}))
    assert cite.doc == "indicators.xlsx" and cite.table_row.startswith(rec.table) and "单元格 F4" in cite.table_row


def test_a_census_sheet_row_is_cited_by_its_cell(tmp_path):
    """The census table is read from the right (its rows are ragged): its count still names its sheet cell."""
    # rows 12 and 13 end a column further right than the others
    starts = ("序号\t行业", "1\t应", "2\t\t\t", "12\t\t\t危", "13\t\t\t\t\t企", "14\t\t\t灾")
    census = [next(ln for ln in LINES if ln.startswith(start)).split("\t") for start in starts]
    book = openpyxl.Workbook()
    for r, row in enumerate(census, start=1):
        for k, text in enumerate(row, start=1):
            if text:
                book.active.cell(r, k, text)
    book.save(str(tmp_path / "census.xlsx"))
    recs = table_records(read_document(tmp_path / "census.xlsx").document)
    got = {r.indicator: (r.raw, r.measure, r.cell) for r in recs}
    assert len(recs) == 5 and got["学校"] == ("274个", "count", "F2")
    assert got["化工园区"] == ("1个", "count", "G4") and got["加油加气站"] == ("90个", "count", "F6")


def test_xlsx_without_a_title_row_is_titled_by_its_sheet(tmp_path, expected):
    doc = read_document(make_xlsx(tmp_path / "t.xlsx", title_row=False)).document
    assert next(b for b in doc.blocks if b.kind == "table").title == "表2-1"
    assert _key(table_records(doc)) == expected


def test_csv_gives_the_same_records(tmp_path, expected):
    header, data = _t21()
    path = tmp_path / "t21.csv"
    path.write_text("\n".join(",".join(row) for row in [[T21], *header, *data]) + "\n", "utf-8")
    doc = read_document(path).document
    table = next(b for b in doc.blocks if b.kind == "table")
    # no merges in a CSV: the second header line is known, as in the .txt, by its empty first cell
    assert (table.title, table.header_rows, table.row_lines[0]) == (T21, 2, (4, 4))
    assert _key(table_records(doc)) == expected


def test_xlsx_without_a_header_is_refused_by_name(tmp_path):
    book = openpyxl.Workbook()
    for r in range(1, 4):
        for k in range(1, 4):
            book.active.cell(r, k, r * k)
    path = tmp_path / "numbers.xlsx"
    book.save(str(path))
    with pytest.raises(CorpusError, match=r"numbers\.xlsx.*(表头|header)"):
        read_document(path)


def test_corrupt_xlsx_and_docx_are_refused_by_name(tmp_path):
    for name in ("bad.xlsx", "bad.docx"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not a zip")
        with pytest.raises(CorpusError, match=re.escape(name)):
            read_document(tmp_path / name)


# ---------------------------------------------------------------- end to end


@pytest.fixture
def pdf_corpus(tmp_path, monkeypatch, pdf):
    # scan.pdf is skipped by name and the build goes on
    files = {"report.pdf": pdf.read_bytes(), "scan.pdf": b"%PDF-1.4 nothing here"}
    return fake_corpus(tmp_path, monkeypatch, files)


def test_a_pdf_corpus_answers_a_figure_with_its_page(pdf_corpus):
    settings = load_settings()
    report = index.build_index(settings)
    assert report.docs == 1 and [s.split(":")[0] for s in report.skipped] == ["scan.pdf"]
    answerer = Answerer(index.open_index(settings), settings)
    prose = answerer.ask("2021年生产安全事故死亡人数是多少")
    assert prose.kind == "figure" and prose.answer.startswith("12人")
    # CUT starts on the PDF's fourth page, printed FIRST_PAGE + 3
    assert (prose.citations[0].doc, prose.citations[0].page) == ("report.pdf", FIRST_PAGE + 3)
    table = answerer.ask("运营车辆万车死亡率2022年比2020年降幅是多少")
    assert table.kind == "figure" and "-28.04%" in table.answer
    assert table.citations[0].page == FIRST_PAGE + 1 and "表2-1" in table.citations[0].table_row


def test_a_row_cut_by_a_page_break_is_rejoined_and_a_repeated_header_dropped():
    from qa.layout import Table as LaidTable
    from qa.layout import continue_table

    header = (("序号", "指标", "2021年实际数"), ("", "", "人"))
    head = LaidTable(rows=(*header, ("1", "生产安全事故", "17")), header_rows=2)
    tail = LaidTable(rows=(*header, ("", "起数下降", ""), ("2", "死亡人数下降", "12")), header_rows=2)
    assert continue_table(head, tail).rows == (
        *header,
        ("1", "生产安全事故起数下降", "17"),
        ("2", "死亡人数下降", "12"),
    )
