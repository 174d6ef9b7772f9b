"""What the PDF, Word and sheet readers share: their content written out as the text layout qa.parse reads.

A reader adds title lines, paragraph lines, headings and tables (with the pages they stand on) to a
Layout; build() writes the text the .txt corpus has (a title first, one line per paragraph line, a table
as tab-separated rows), parses it with qa.parse, then puts back what the text cannot carry: each
block's page, and each table's rows as the reader resolved them (merged and wrapped cells). The
text is also what grounding checks read, so every number an answer quotes is in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from .parse import Document, parse_text
from .types import Block, Location

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


class Merged(Enum):
    """A grid position covered by a merged cell: by the cell above or by the cell to its left."""

    DOWN = "down"
    RIGHT = "right"


Grid = list[list["str | Merged"]]


@dataclass(frozen=True)
class Table:
    """A table as a reader resolved it: header rows first, one source number per data row."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int
    numbers: tuple[int, ...] = ()  # a sheet's row numbers for the data rows; else their text lines
    columns: tuple[str, ...] = ()  # a sheet's column letters
    title: str = ""  # a sheet's name; else the caption before the table names it


def join_wrapped(text: str) -> str:
    """Join the lines of a wrapped cell: a space only between two Latin words, none in "降幅(±%)" or 2020年."""
    parts = [p.strip() for p in text.replace("\r", "\n").split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and re.search("[A-Za-z]$", out) and re.match("[A-Za-z]", part):
            out += " "
        out += part
    return out.replace("\t", " ")


def resolve_grid(grid: Grid) -> Table:
    """Header rows are the first row and those under it with no first cell (merged into it, or blank as
    in the .txt's second header line); merged cells resolved.

    In the header a merged position is blank: qa.tables spreads a group label (2021年) over the columns
    under it. In the data a cell merged down repeats the value above (it applies to each row it spans);
    one merged rightwards is blank, so a value is never counted twice nor shifts the columns.
    """
    width = max((len(r) for r in grid), default=0)
    padded = [list(r) + [""] * (width - len(r)) for r in grid]
    header = 1
    while header < len(padded) and (padded[header][0] is Merged.DOWN or padded[header][0] == ""):
        header += 1
    rows: list[tuple[str, ...]] = []
    for r, cells in enumerate(padded):
        out: list[str] = []
        for c, cell in enumerate(cells):
            if cell is Merged.DOWN and r >= header and rows:
                out.append(rows[-1][c])
            elif isinstance(cell, Merged):
                out.append("")
            else:
                out.append(join_wrapped(cell))
        if r < header or any(out):
            rows.append(tuple(out))
    return Table(rows=tuple(rows), header_rows=min(header, len(rows)))


def continue_table(head: Table, tail: Table) -> Table:
    """head with tail's rows after it (a table a page break cut): a repeated header dropped, a row cut by the
    break rejoined. Rows are padded to the wider of the two, so a trailing empty column does not tell them apart."""
    width = max(len(r) for r in head.rows + tail.rows)

    def pad(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
        return [r + ("",) * (width - len(r)) for r in rows]

    rows, merged = pad(tail.rows), pad(head.rows)
    if rows[: head.header_rows] == merged[: head.header_rows]:
        rows = rows[head.header_rows :]
    if rows and not rows[0][0] and len(merged) > head.header_rows:
        # No 序号: the rest of the last row, cut by the page break.
        last, cont = merged[-1], rows.pop(0)
        merged[-1] = tuple(a + b for a, b in zip(last, cont))
    return Table(rows=tuple(merged + rows), header_rows=head.header_rows)


class Layout:
    """Text lines with their pages, the headings a format marks and the tables a reader resolved."""

    def __init__(self, name: str):
        self.name = name
        self.lines: list[str] = []
        self.pages: list[int | None] = []
        self.headings: dict[int, int] = {}
        self.tables: dict[int, Table] = {}  # first text line -> table

    def _add(self, text: str, page: int | None) -> int:
        self.lines.append(text)
        self.pages.append(page)
        return len(self.lines)

    def title(self, parts: list[str]) -> None:
        """The title lines, first in the text (qa.parse reads the first group of lines as the title)."""
        for part in parts:
            self._add(part, None)
        self._add("", None)

    def line(self, text: str, page: int | None = None) -> None:
        """A line of running text; a blank line follows so a wrapped paragraph is rejoined by sentence."""
        text = text.replace("\t", " ").strip()
        if text:
            self._add(text, page)
            self._add("", page)

    def heading(self, text: str, level: int, page: int | None = None) -> None:
        """A heading the format marks (a Word heading style), at its level."""
        text = text.replace("\t", " ").strip()
        if text:
            self.headings[self._add(text, page)] = level
            self._add("", page)

    def table(self, table: Table, page: int | None = None) -> None:
        """A table, one line per row; a table of one column is running text."""
        if len(table.rows) <= table.header_rows or max(len(r) for r in table.rows) < 2:
            for row in table.rows:
                self.line(" ".join(c for c in row if c), page)
            return
        first = len(self.lines) + 1
        for row in table.rows:
            # A leading empty cell keeps its tab, and an all-empty row a visible mark, so no line is blank.
            self._add("\t".join(row) if any(row) else "\t", page)
        self.tables[first] = table
        self._add("", page)

    def text(self) -> str:
        """The text the document reads as (what grounding checks search)."""
        return "\n".join(self.lines) + "\n"

    def build(self) -> Document:
        """Parse the text, then give each block its page and each table the rows the reader resolved."""
        text = self.text()
        doc = parse_text(text, self.name, self.headings)
        offsets = [0]
        for line in self.lines:
            offsets.append(offsets[-1] + len(line) + 1)
        blocks: list[Block] = []
        for block in doc.blocks:
            if block.kind == "table":
                blocks.extend(self._tables_in(block, offsets))
                continue
            page = self.pages[block.loc.line_start - 1]
            blocks.append(replace(block, page=page) if page is not None else block)
        return replace(doc, blocks=tuple(blocks))

    def _tables_in(self, block: Block, offsets: list[int]) -> list[Block]:
        """The reader's tables within a parsed table block (tables only blank lines apart parse as one)."""
        out = []
        for first, table in sorted(self.tables.items()):
            if not block.loc.line_start <= first <= block.loc.line_end:
                continue
            last = first + len(table.rows) - 1
            end = offsets[last - 1] + len(self.lines[last - 1])
            data_lines = range(first + table.header_rows, last + 1)
            numbers = table.numbers or tuple(data_lines)
            out.append(
                replace(
                    block,
                    text="\n".join(self.lines[first - 1 : last]),
                    loc=Location(self.name, first, last, offsets[first - 1], end),
                    page=self.pages[first - 1] if self.pages[first - 1] is not None else block.page,
                    title=table.title or (block.title if first == block.loc.line_start else ""),
                    rows=table.rows,
                    header_rows=table.header_rows,
                    row_lines=tuple((n, n) for n in numbers),
                    columns=table.columns,
                )
            )
        return out
