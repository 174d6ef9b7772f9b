"""What answers quote and cite: clauses, list items, noun phrases, and Citation records."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from .figures import ITEM_JOIN
from .sentences import sentences
from .types import Citation, Figure, Hit, TableRecord
from .understand import Query


def untracked_indicators(records: list[TableRecord], chunks: list) -> dict[tuple[str, str], Any]:
    """Table indicators the text says are not collected (…等规划指标尚未统计), with the chunk that says so."""
    notes = [c for c in chunks if re.search(r"尚未统计|未纳入统计|暂无统计|无法统计", c.text)]
    out = {}
    for r in records:
        core = re.sub(r"(下降|降至)$", "", r.indicator)
        for c in notes:
            if c.doc == r.doc and len(core) >= 4 and fuzz.partial_ratio(core, c.text) >= 88:
                out[(r.doc, r.indicator)] = c
                break
    return out


def list_item(f: Figure) -> str:
    """The 、-separated item of its clause that holds the figure; a 和/及 before another figure separates
    items too (投入执勤2支国家消防队和15支政府专职消防队)."""
    start = f.clause.find(f.raw)
    if start < 0:
        return f.clause
    joins = list(JOINED.finditer(f.clause))
    left = max([f.clause.rfind(sep, 0, start) for sep in "、，,"] + [m.end() - 1 for m in joins if m.end() <= start])
    rights = [i for i in (f.clause.find(sep, start) for sep in "、，,。；") if i >= 0]
    rights += [m.start() for m in joins if m.start() > start]
    return f.clause[left + 1 : min(rights) if rights else len(f.clause)]


JOINED = re.compile(ITEM_JOIN)


def noun_phrase(subject: str) -> str:
    """The words right before a number, without years and counting words ('2022年各类X' -> 'X')."""
    tail = re.split(r"[，。；：、,]", subject)[-1]
    tail = re.sub(r"(?:19|20)\d{2}年(?:底|末|度)?|各类|全市|累计|共计|共|总计", "", tail)
    return tail.strip()


def narrower_or_broader(a: str, b: str) -> bool:
    """True when one quantity is a sub-category of the other (特种设备…死亡人数 vs …死亡人数)."""
    na, nb = noun_phrase(a), noun_phrase(b)
    if not na or not nb or na == nb:
        return False
    return (nb.endswith(na) or na.endswith(nb)) and min(len(na), len(nb)) >= 3


def is_heading_chunk(chunk) -> bool:
    """A chunk that only repeats its section's heading."""
    return bool(chunk.section) and chunk.text.strip() == chunk.section[-1].strip()


def dedupe_hits(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for h in hits:
        if h.chunk.id not in seen:
            seen.add(h.chunk.id)
            out.append(h)
    return out


def multi_ask(query: Query) -> bool:
    """The question asks for several figures at once ('…各多少', '多少…，多少…')."""
    return len(re.findall(r"多少|几|多大|多长|多高", query.original)) >= 2 or bool(
        re.search(r"各|分别", query.original)
    )


def index_of(items: list[str], item: str) -> int:
    return items.index(item) if item in items else -99


def best_sentence(query: Query, text: str, prefer: re.Pattern | None = None) -> str:
    """The sentence of a passage that carries most of the question; ties go to one matching prefer."""
    sents = sentences(text) or [text]
    return max(sents, key=lambda s: sum(1 for t in query.terms if t in s) + (1.5 if prefer and prefer.search(s) else 0))


def _cite(item, answerer, text: str, path: tuple[str, ...] | None = None, **extra) -> Citation:
    """A citation of a record, figure or chunk: they all carry doc, section, page and lines."""
    return Citation(
        text=text,
        doc=item.doc,
        section=" > ".join(item.section if path is None else path),
        page=item.page,
        lines=item.lines,
        title=answerer.titles.get(item.doc, item.doc),
        **extra,
    )


def row_citation(rec: TableRecord, answerer, used: tuple[str, ...] | None = None) -> Citation:
    """A table row cited as the report prints it: its table, its row, and the columns the answer uses.

    used: the columns of the row the answer reads (None: the record's own column; (): none, for a refusal)."""
    row = answerer.row_records(rec) if hasattr(answerer, "row_records") else [rec]
    name = rec.indicator if rec.measure != "count" else rec.context.split("：", 1)[-1].split("；", 1)[0]
    where = f"{rec.table} 第{rec.row}行“{name}”" if rec.row else f"{rec.table}“{name}”"
    if rec.cell:
        where += f"（单元格 {rec.cell}）"  # a sheet's cell, so a reader finds it in the workbook
    return _cite(
        rec,
        answerer,
        rec.printed or rec.context,
        table_row=where,
        cells=tuple((r.column, r.raw) for r in row),
        used=(rec.column,) if used is None else used,
    )


def figure_citation(f: Figure, answerer) -> Citation:
    return _cite(f, answerer, f.sentence)


def heading_citation(chunk, answerer, path: tuple[str, ...] = ()) -> Citation:
    """A section's heading with its opening text, for 'where is it discussed' answers.

    path: the section cited when the chunk opens one of its sub-sections (a heading with no text of its own)."""
    path = path or chunk.section
    lead = "\n".join(chunk.section[len(path) - 1 :])
    return _cite(chunk, answerer, f"{lead}\n{chunk.text}", path)


def chunk_citation(chunk, answerer) -> Citation:
    return _cite(chunk, answerer, chunk.text)
