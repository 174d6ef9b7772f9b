"""Plain, frozen records passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table", "toc", "caption"]
AnswerKind = Literal["figure", "computed", "passage", "not_found"]


@dataclass(frozen=True)
class Location:
    """Where a piece of text stands in its source file."""

    doc: str  # file name under corpus/
    line_start: int  # 1-based, inclusive
    line_end: int  # 1-based, inclusive
    char_start: int  # offset into the decoded file text
    char_end: int


@dataclass(frozen=True)
class Block:
    """One structural unit of a document: heading, paragraph, table or caption."""

    kind: BlockKind
    text: str  # repaired text (page breaks joined)
    loc: Location
    section: tuple[str, ...] = ()  # heading path, outermost first
    page: int | None = None  # printed page of the section (from the table of contents)
    level: int = 0  # heading level (1 = 一、 … 4 = (1)), 0 for non-headings
    title: str = ""  # table title, e.g. "表2-1 …"
    rows: tuple[tuple[str, ...], ...] = ()  # table cells after repair (header rows first)
    header_rows: int = 0
    row_lines: tuple[tuple[int, int], ...] = ()  # source line range of each data row (a sheet: its row number)
    columns: tuple[str, ...] = ()  # a sheet's column letters (A, B …) for each cell; empty for other formats


@dataclass(frozen=True)
class TableRecord:
    """One typed table cell: the figure a row gives under one column."""

    doc: str
    table: str  # table title or a derived name
    row: int  # 序号 as printed (or row order)
    indicator: str  # row label (指标 / 调查对象小类 …)
    column: str  # column meaning: 规划目标, 2020年基数, 2021年实际数, 比2020年降幅 …
    measure: str  # normalised column kind: target, base, actual, change, count
    year: int | None
    raw: str  # cell text exactly as printed
    value: float | None  # numeric value where the cell holds one
    unit: str
    context: str  # the row rendered as a readable sentence (for matching, never quoted)
    section: tuple[str, ...]
    page: int | None
    lines: tuple[int, int]
    printed: str = ""  # the row as the report prints it, cells separated by tabs (what a citation quotes)
    cell: str = ""  # a sheet's cell the value stands in (B7): the table is the sheet, so file + sheet + cell


@dataclass(frozen=True)
class Figure:
    """A figure found in running text: the number as printed and what it counts."""

    doc: str
    raw: str  # number exactly as printed, e.g. "2051.02"
    value: float
    unit: str  # e.g. "万元", "起", "%"
    year: str  # year or period named in the sentence, "" if none
    subject: str  # the words before the number in its clause
    clause: str  # the clause holding the number
    sentence: str
    section: tuple[str, ...]
    page: int | None
    lines: tuple[int, int]
    lead: str = ""  # the paragraph's first sentence, which often names the field ("文化娱乐：…")
    earlier: str = ""  # the paragraph's text before the sentence (its last 200 characters): the scene it is set in


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of text with a stable id."""

    id: str
    doc: str
    text: str
    section: tuple[str, ...]
    page: int | None
    lines: tuple[int, int]
    kind: str = "text"  # text | table_row


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval with its fused score."""

    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Citation:
    """A quotable source for an answer."""

    text: str
    doc: str
    section: str
    page: int | None
    lines: tuple[int, int]
    title: str = ""  # document title, for pasting into a briefing
    # A table row's citation: where it stands ("表2-1 … 第1行“…”"), each (column, value as printed), and
    # the columns the answer uses. text is then the row as printed.
    table_row: str = ""
    cells: tuple[tuple[str, str], ...] = ()
    used: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lines"] = list(self.lines)
        return d


@dataclass(frozen=True)
class Answer:
    """What the tool says to one question."""

    question: str
    answer: str
    kind: AnswerKind
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    working: str = ""  # formula shown for computed answers
    also: tuple[str, ...] = ()  # other printings of the same quantity ("另见…")
    resolved: dict = field(default_factory=dict)  # what the question was understood as

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "kind": self.kind,
            "citations": [c.to_dict() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "working": self.working,
            "also": list(self.also),
            "resolved": self.resolved,
        }
