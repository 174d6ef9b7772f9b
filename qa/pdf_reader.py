"""PDF -> Document with pdfplumber: running text by page, ruled tables as table blocks, printed page numbers.

pdfplumber gives each page's text lines with their position and each ruled table's cells with their
boxes, which is what is needed to tell the footer from the text, a merged cell from an empty one and a
table continued on the next page from a new one. Each block's page is the number printed in its page's
footer ("- 3 -", "第3页", "3"), or the page's place in the file when the footer prints none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.table import Table as PdfTable
from pdfplumber.utils.exceptions import PdfminerException

from .errors import CorpusError
from .layout import CJK, Grid, Layout, Merged, Table, continue_table, resolve_grid
from .parse import Document

# A footer's page number: "- 3 -", "第3页" (", 共20页"), or a bare "3"
PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*(\d{1,4})\s*[-—–－]|第\s*(\d{1,4})\s*页(?:[/，,]?共\d+页)?|(\d{1,4}))$")
FOOTER_BAND = 0.12  # the bottom eighth of a page holds the footer
TITLE_SIZE = 1.2  # a cover title is printed at least this much larger than the body text


@dataclass(frozen=True)
class _Item:
    top: float
    text: str = ""
    size: float = 0.0
    table: Table | None = None


@dataclass(frozen=True)
class _Page:
    number: int  # printed in the footer, else the page's place in the file
    items: list[_Item]


def read_pdf(path: Path) -> tuple[Document, str]:
    """Read a PDF into a Document and the text it was parsed from."""
    try:
        with pdfplumber.open(path) as pdf:
            if not any(page.chars for page in pdf.pages):
                raise CorpusError(
                    f"{path.name}: PDF 没有文字层（扫描件？），请先做文字识别 (no text layer — a scan? run OCR first)"
                )
            pages = [_read_page(page) for page in pdf.pages]
    except PdfminerException as e:
        if e.args and isinstance(e.args[0], PDFPasswordIncorrect):
            raise CorpusError(f"{path.name}: PDF 有密码保护，无法读取 (password-protected PDF)") from e
        raise CorpusError(f"{path.name}: PDF 文件已损坏或不是 PDF (corrupt or not a PDF: {e})") from e
    layout = Layout(path.name)
    title = _title(pages)
    layout.title(title or [path.stem])
    skip = len(title)  # the cover's title lines are the title, not text
    for page, items in _join_tables(pages):
        for item in items[skip:]:
            if item.table is not None:
                layout.table(item.table, page)
            else:
                layout.line(item.text, page)
        skip = 0
    return layout.build(), layout.text()


def _squeeze(text: str) -> str:
    """Drop the spaces extraction puts between Chinese characters of justified text."""
    return re.sub(f"(?<=[{CJK}]) +(?=[{CJK}])", "", text).strip()


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _read_page(page: Page) -> _Page:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    text_lines = page.filter(lambda obj: not _inside(obj, boxes)).extract_text_lines()
    number = page.page_number
    footer = [ln for ln in text_lines if ln["top"] > page.height * (1 - FOOTER_BAND)]
    for ln in footer[-2:]:
        m = PAGE_NUMBER.match(ln["text"].replace(" ", ""))
        if m:
            number = int(next(g for g in m.groups() if g))
            text_lines.remove(ln)
            break
    items = [
        _Item(ln["top"], _squeeze(ln["text"]), max((c["size"] for c in ln["chars"]), default=0.0))
        for ln in text_lines
        if ln["text"].strip()
    ]
    items += [_Item(t.bbox[1], table=_table(t)) for t in tables]
    return _Page(number, sorted(items, key=lambda i: i.top))


def _table(table: PdfTable) -> Table:
    """A ruled table's cells; a missing cell is merged into the one above it or into the one on its left."""
    texts = table.extract()
    grid: Grid = []
    for r, (row, cells) in enumerate(zip(table.rows, texts)):
        out: list[str | Merged] = []
        for c, (box, text) in enumerate(zip(row.cells, cells)):
            if box is not None:
                out.append(text or "")
                continue
            above = next((table.rows[k].cells[c] for k in range(r - 1, -1, -1) if table.rows[k].cells[c]), None)
            # The cell above reaches into this row when its box ends below this row's top.
            spans_down = above is not None and above[3] > row.bbox[1] + 1
            out.append(Merged.DOWN if spans_down else Merged.RIGHT)
        grid.append(out)
    return resolve_grid(grid)


def _join_tables(pages: list[_Page]) -> list[tuple[int, list[_Item]]]:
    """Merge a table that runs onto the next page into one, dropping its header if it is printed again."""
    out: list[tuple[int, list[_Item]]] = []
    for page in pages:
        items = list(page.items)
        prev = out[-1][1] if out else []
        if items and prev and items[0].table and prev[-1].table:
            head, tail = prev[-1].table, items[0].table
            if max(map(len, head.rows)) == max(map(len, tail.rows)):
                prev[-1] = replace(prev[-1], table=continue_table(head, tail))
                items = items[1:]
        out.append((page.number, items))
    return out


def _title(pages: list[_Page]) -> list[str]:
    """The cover's title: its first lines when printed larger than the body text (else none)."""
    first = [i for i in pages[0].items if i.table is None] if pages else []
    sizes = sorted(i.size for p in pages for i in p.items if i.table is None)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    title: list[str] = []
    for item in first:
        if item.size < body * TITLE_SIZE or pages[0].items[len(title)] is not item:
            break
        title.append(item.text)
    return title
