"""Word (.docx) -> Document with python-docx: heading styles give the sections, Word tables the table blocks.

A Word file has no printed pages until it is laid out, so its blocks have no page: a citation names the
section path instead.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .errors import CorpusError
from .layout import Grid, Layout, Merged, Table, continue_table, resolve_grid
from .parse import Document

HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> tuple[Document, str]:
    """Read a .docx into a Document and the text it was parsed from."""
    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise CorpusError(f"{path.name}: 无法打开 Word 文件 (not a readable .docx: {e})") from e
    content = list(word.iter_inner_content())
    title = next((p.text.strip() for p in content if isinstance(p, Paragraph) and _style(p) == "title"), "")
    title = title or (word.core_properties.title or "").strip()
    layout = Layout(path.name)
    layout.title([title or path.stem])
    has_text = False
    pending: Table | None = None  # the last table, held while the next item may continue it
    for item in content:
        if isinstance(item, DocxTable):
            table = resolve_grid(_grid(item))
            has_text = has_text or any(any(r) for r in table.rows)
            if pending is not None and _continues(pending, table):
                # a table cut where the page broke (as a PDF converted to Word has it): one table again
                pending = continue_table(pending, table)
                continue
            if pending is not None:
                layout.table(pending)
            pending = table
            continue
        text = item.text.strip()
        style = _style(item)
        if not text or style == "title":
            continue
        if pending is not None:
            layout.table(pending)
            pending = None
        has_text = True
        m = HEADING_STYLE.match(style)
        if m:
            layout.heading(text, int(m.group(1)))
        else:
            layout.line(text)  # a numbered heading without a style is found by qa.parse's patterns
    if pending is not None:
        layout.table(pending)
    if not has_text:
        raise CorpusError(f"{path.name}: Word 文件没有文字 (the .docx has no text)")
    return layout.build(), layout.text()


def _continues(head: Table, tail: Table) -> bool:
    """tail goes on with head: nothing but blank paragraphs between them and head's first row printed again."""

    def first(table: Table) -> tuple[str, ...]:
        row = list(table.rows[0]) if table.rows else []
        while row and not row[-1]:
            row.pop()
        return tuple(row)

    return len(head.rows) > head.header_rows and len(first(head)) > 1 and first(head) == first(tail)


def _style(paragraph: Paragraph) -> str:
    style = paragraph.style
    return (style.name or "").strip().lower() if style is not None else ""


def _grid(table: DocxTable) -> Grid:
    """The table's cells; python-docx repeats a merged cell's object, which marks it merged, not copied."""
    grid: Grid = []
    above: list = []
    for row in table.rows:
        out: list[str | Merged] = []
        cells = list(row.cells)
        for c, cell in enumerate(cells):
            if c > 0 and cell._tc is cells[c - 1]._tc:
                out.append(Merged.RIGHT)
            elif c < len(above) and cell._tc is above[c]._tc:
                out.append(Merged.DOWN)
            else:
                out.append("\n".join(p.text for p in cell.paragraphs))
        grid.append(out)
        above = cells
    return grid
