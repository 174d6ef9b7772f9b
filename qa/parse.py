"""Source text -> Blocks (headings, paragraphs, tables) with locations, repairing PDF-extraction scars.

Hand-written because the input is text pulled out of a PDF, not a format any parser library reads:
the table of contents, page breaks inside sentences and tab-separated tables split across pages need
rules that know how Chinese government reports are laid out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .types import Block, BlockKind, Location

CN_NUM = "一二三四五六七八九十"
# Heading patterns, outermost first: 一、 / （一） / 1. / (1) — full- and half-width brackets both occur.
HEADING_PATTERNS = (
    (1, re.compile(rf"^([{CN_NUM}]+)\s*、\s*(.+)$")),
    (2, re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[)）]\s*(.+)$")),
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.+)$")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.+)$")),
)
TOC_ENTRY = re.compile(r"^(.*?)[\s.…·]*-?\s*(\d{1,3})\s*-\s*$")
CLOSING = tuple("。！？；：”」』）)…") + ("**",)
TABLE_TITLE = re.compile(r"^表\s*\d+[-－—]\d+\s*\S")
CAPTION = re.compile(r"^图\s*\d+[-－—]\d+\s*\S")
MAX_HEADING_CHARS = 40


@dataclass(frozen=True)
class Document:
    """A parsed document: its title, table of contents and blocks in reading order."""

    name: str
    title: str
    blocks: tuple[Block, ...]
    toc: tuple[tuple[tuple[str, ...], str, int], ...]  # (numbering key, title, printed page)
    report_year: int | None = None  # from the date on the title page ("2023年6月"), for 去年/今年
    front: tuple[str, ...] = ()  # the title page's other lines: who prepared it, its date


@dataclass
class _Line:
    no: int  # 1-based line number
    start: int  # char offset of the line in the text
    text: str  # the line without its newline

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def read_text(path: Path) -> str:
    """Decode a corpus file: UTF-8 first, then GB18030 (common in Chinese offices)."""
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{path.name}: 文件为空 (empty file)")
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{path.name}: 不是文本文件 (binary file)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise CorpusError(f"{path.name}: 无法识别的编码 (neither UTF-8 nor GB18030)")


def parse_file(path: Path) -> Document:
    """Read and parse one corpus file."""
    return parse_text(read_text(path), path.name)


def heading_of(text: str) -> tuple[int, str, str] | None:
    """Return (level, number, title) if the line is a section heading, else None."""
    s = text.strip().replace("**", "")
    if not s or "\t" in text or len(s) > MAX_HEADING_CHARS or "。" in s.rstrip("。")[:-1]:
        return None
    if s.endswith(("。", "，", "；", "：", "、")):
        return None
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(s)
        if m:
            return level, m.group(1), m.group(2).strip()
    return None


def _split_lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for no, raw in enumerate(text.split("\n"), start=1):
        lines.append(_Line(no, pos, raw))
        pos += len(raw) + 1
    return lines


def _title_and_toc_end(lines: list[_Line]) -> tuple[str, int, list[tuple[str, int]]]:
    """Find the title (first group of lines), and the table of contents with where it ends."""
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    title_parts = []
    while i < len(lines) and not lines[i].blank:
        title_parts.append(lines[i].text.strip())
        i += 1
    title = "".join(title_parts)
    toc_at = next((k for k, ln in enumerate(lines[:200]) if re.sub(r"\s", "", ln.text) == "目录"), None)
    if toc_at is None:
        return title, i, []
    entries, k = [], toc_at + 1
    while k < len(lines):
        ln = lines[k]
        if ln.blank:
            k += 1
            continue
        m = TOC_ENTRY.match(ln.text.strip())
        if not m:
            break
        entries.append((m.group(1).strip(" \t.…"), int(m.group(2))))
        k += 1
    return title, k, entries


def _toc_keys(entries: list[tuple[str, int]]) -> list[tuple[tuple[str, ...], str, int]]:
    """Give each TOC entry the numbering path it sits under, e.g. ('三', '二', '5')."""
    path: list[str] = []
    out: list[tuple[tuple[str, ...], str, int]] = []
    for text, page in entries:
        h = heading_of(text)
        key: tuple[str, ...]
        if h is None:
            key = (re.sub(r"\s", "", text),)
            path = list(key)
        else:
            level, number, _ = h
            path = path[: level - 1] + [""] * max(0, level - 1 - len(path)) + [number]
            key = tuple(path)
        out.append((key, text, page))
    return out


def _ends_open(text: str) -> bool:
    """True when a line ends mid-sentence (a page break cut it)."""
    s = text.rstrip()
    return bool(s) and not s.endswith(CLOSING)


def _front_lines(lines: list[_Line], title: str) -> tuple[str, ...]:
    """Title-page lines after the title and before the table of contents."""
    out = []
    for ln in lines:
        t = re.sub(r"\s+", "", ln.text)
        if not t or t in title or t == "目录":
            continue
        if TOC_ENTRY.match(ln.text.strip()):
            break
        out.append(ln.text.strip())
    return tuple(out[:4])


def parse_text(text: str, name: str, headings: Mapping[int, int] | None = None) -> Document:
    """Parse decoded report text into a Document; `headings` (line -> level) names headings a format marks."""
    known = headings or {}  # Word's heading styles: unnumbered headings no pattern would recognise
    lines = _split_lines(text)
    title, body_start, toc_entries = _title_and_toc_end(lines)
    front = "\n".join(ln.text for ln in lines[:body_start])
    dated = re.search(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月", front)
    toc = _toc_keys(toc_entries)
    pages = {key: page for key, _, page in toc}
    toc_titles = {re.sub(r"\s", "", t): key for key, t, _ in toc}

    blocks: list[Block] = []
    section: list[str] = []
    keys: list[str] = []
    i = body_start
    n = len(lines)

    def page_now() -> int | None:
        for depth in range(len(keys), 0, -1):
            if tuple(keys[:depth]) in pages:
                return pages[tuple(keys[:depth])]
        return None

    def add(kind: BlockKind, text: str, first: _Line, last: _Line, **extra) -> None:
        """A block of the given kind spanning first..last, under the current section and page."""
        blocks.append(
            Block(
                kind=kind,
                text=text,
                loc=Location(name, first.no, last.no, first.start, last.end),
                section=tuple(s for s in section if s),
                page=page_now(),
                **extra,
            )
        )

    while i < n:
        ln = lines[i]
        if ln.blank:
            i += 1
            continue
        stripped = ln.text.strip()
        squeezed = re.sub(r"\s", "", stripped)
        if "\t" in ln.text:
            table_lines, i = _collect_table(lines, i)
            tbl_title = ""
            if blocks and blocks[-1].kind == "caption" and TABLE_TITLE.match(blocks[-1].text):
                tbl_title = blocks.pop().text
            elif blocks and blocks[-1].kind == "paragraph":
                tbl_title = _derived_title(blocks[-1].text)
            rows, header_rows, row_lines = _table_rows(table_lines)
            text = "\n".join(line.text for line in table_lines)
            add(
                "table",
                text,
                table_lines[0],
                table_lines[-1],
                title=tbl_title,
                rows=rows,
                header_rows=header_rows,
                row_lines=row_lines,
            )
            continue
        h = heading_of(stripped)
        if h is not None or ln.no in known or squeezed in toc_titles:
            # Unnumbered headings (引言) are known from the table of contents.
            level, key_part = (h[0], h[1]) if h else (1, squeezed)
            if ln.no in known:
                level = known[ln.no]
            label = stripped.replace("**", "")
            keys = keys[: level - 1] + [""] * max(0, level - 1 - len(keys)) + [key_part]
            section = section[: level - 1] + [""] * max(0, level - 1 - len(section)) + [label]
            add("heading", label, ln, ln, level=level)
            i += 1
            continue
        if TABLE_TITLE.match(stripped) or CAPTION.match(stripped):
            nxt = _next_nonblank(lines, i + 1)
            is_table_title = nxt is not None and "\t" in lines[nxt].text and TABLE_TITLE.match(stripped)
            if is_table_title or CAPTION.match(stripped):
                add("caption", stripped, ln, ln)
                i += 1
                continue
        # A paragraph, joined across page breaks while it ends mid-sentence.
        first, last, parts = ln, ln, [stripped]
        i += 1
        while _ends_open(parts[-1]):
            j = _next_nonblank(lines, i)
            if j is None:
                break
            cand = lines[j]
            cs = cand.text.strip()
            if "\t" in cand.text or heading_of(cs) or cand.no in known or TABLE_TITLE.match(cs) or CAPTION.match(cs):
                break
            parts.append(cs)
            last = cand
            i = j + 1
        joined = "".join(parts).replace("**", "")
        add("paragraph", joined, first, last)
    return Document(
        name=name,
        title=title,
        blocks=tuple(blocks),
        toc=tuple(toc),
        report_year=int(dated.group(1)) if dated else None,
        front=_front_lines(lines[:body_start], title),
    )


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def _collect_table(lines: list[_Line], i: int) -> tuple[list[_Line], int]:
    """Collect tab-separated lines; blank lines between them (page breaks) keep the table going."""
    out = []
    while i < len(lines):
        ln = lines[i]
        if ln.blank:
            j = _next_nonblank(lines, i)
            if j is None or "\t" not in lines[j].text:
                break
            i = j
            continue
        if "\t" not in ln.text:
            break
        out.append(ln)
        i += 1
    return out, i


def _derived_title(paragraph: str) -> str:
    """Name an untitled table after the clause that introduces it ('…统计如下：')."""
    last = re.split(r"[。；]", paragraph.rstrip("：:。"))[-1]
    last = re.sub(r"^(所完成的|完成的|具体)", "", last)
    return re.sub(r"(如下|见下表)$", "", last).strip()


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")]


def _trim(cells: list[str]) -> list[str]:
    out = list(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0] == "序号"


def _table_rows(table_lines: list[_Line]) -> tuple[tuple[tuple[str, ...], ...], int, tuple[tuple[int, int], ...]]:
    """Repair a table: two-line headers, headers repeated after a page break, cells wrapped onto the next line."""
    header: list[list[str]] = []
    data: list[list[str]] = []
    spans: list[list[int]] = []
    in_header = False
    for ln in table_lines:
        cells = _cells(ln.text)
        if header and _trim(cells) in [_trim(h) for h in header]:
            continue  # a header line repeated after a page break
        if _is_header(cells):
            in_header = not header  # a repeated header after a page break is dropped
            if in_header:
                header.append(cells)
            continue
        first = cells[0]
        if first == "" and in_header and not data:
            header.append(cells)  # second header line (e.g. 2021年实际数 under 2021年)
            continue
        in_header = False
        if first == "" and data and any(cells):
            prev = data[-1]  # a cell wrapped onto the next line: append to the cell above
            prev.extend([""] * (len(cells) - len(prev)))
            for k, c in enumerate(cells):
                if c:
                    prev[k] = prev[k] + c
            spans[-1][1] = ln.no
            continue
        data.append(cells)
        spans.append([ln.no, ln.no])
    width = max((len(r) for r in header + data), default=0)
    rows = tuple(tuple(r + [""] * (width - len(r))) for r in header + data)
    return rows, len(header), tuple((a, b) for a, b in spans)
