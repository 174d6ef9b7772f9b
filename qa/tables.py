"""Table Blocks -> typed TableRecords, one per cell, with column meaning, year, raw text and value.

Two layouts occur: indicator tables whose columns line up with a two-line header (表2-1…2-3), and the
census table, whose PDF extraction shifted cells sideways row by row. The second is read from the right:
the last quantity is the value, the cell before it names the item, the cells before that refine the
category path, which merged cells leave empty and which is therefore filled down from the rows above.
"""

from __future__ import annotations

import re
from collections import Counter

from .lexicon import LEXICON, any_of
from .parse import Document
from .types import Block, TableRecord

NUMBER = re.compile(r"[-−+]?\d+(?:\.\d+)?")
QUANTITY = re.compile(r"^[<>≥≤]?\s*[-−+]?\d+(?:\.\d+)?\s*[^\d\s]{0,4}$")
YEAR = re.compile(r"(20\d{2}|19\d{2})年")
MONEY = any_of("money", "nouns")
MAGNITUDES = set(LEXICON["money"]["magnitudes"])


def parse_value(raw: str) -> tuple[float | None, str]:
    """Split a printed cell into (value, unit); comparisons and blanks have no value."""
    s = raw.strip()
    if not s or s in {"/", "—", "-"} or s[0] in "<>≥≤":
        m = NUMBER.search(s)
        unit = s[m.end() :].strip() if m else ""
        return None, unit
    m = re.match(r"^([-−+]?\d+(?:\.\d+)?)\s*(.*)$", s)
    if not m:
        return None, ""
    return float(m.group(1).replace("−", "-")), m.group(2).strip()


def column_meaning(label: str) -> tuple[str, int | None]:
    """Map a header label to (measure, year): target, base, actual, change or count."""
    year_m = YEAR.search(label)
    year = int(year_m.group(1)) if year_m else None
    if "目标" in label:
        return "target", None
    if "基数" in label:
        return "base", year
    if "实际" in label:
        return "actual", year
    if any(w in label for w in ("降幅", "增幅", "±", "变化")):
        return "change", year
    return "count", year


def _squeeze(text: str) -> str:
    """Drop the spaces the PDF put inside words ('2020年 基数', '交通运输 局')."""
    return re.sub(r"(?<=[\u4e00-\u9fff(（)）])\s+(?=[\u4e00-\u9fff(（)）])", "", text).strip()


def _column_labels(header: list[tuple[str, ...]]) -> list[str]:
    """Combine a one- or two-line header into one label per column, spreading group labels rightwards."""
    width = max(len(r) for r in header)
    top = list(header[0]) + [""] * (width - len(header[0]))
    group = ""
    labels = []
    for k in range(width):
        if top[k]:
            group = _squeeze(top[k])
        sub = ""
        for row in header[1:]:
            if k < len(row) and row[k]:
                sub = _squeeze(row[k])
        if not sub:
            labels.append(_squeeze(top[k]) if top[k] else "")
            continue
        year_m = YEAR.search(group)
        if year_m and year_m.group(0) not in sub:
            sub = f"{year_m.group(0)}{sub}"
        labels.append(sub)
    return labels


def _is_ragged(data: list[tuple[str, ...]]) -> bool:
    """True when the last filled cell wanders between columns (shifted extraction)."""
    lasts = [max((k for k, c in enumerate(r) if c), default=0) for r in data]
    if not lasts:
        return False
    _, top = Counter(lasts).most_common(1)[0]
    return top / len(lasts) < 0.7


def table_name(block: Block) -> str:
    """The table's printed title, or a derived name."""
    return block.title or "表格"


def _sentence(name: str, seq: str, indicator: str, pairs: list[tuple[str, str]]) -> str:
    cells = "；".join(f"{label} {raw}" for label, raw in pairs if raw)
    return f"{name} 第{seq}行：{indicator}；{cells}。"


def _records_positional(doc: Document, block: Block) -> list[TableRecord]:
    header = list(block.rows[: block.header_rows])
    labels = _column_labels(header)
    out = []
    for row, lines in zip(block.rows[block.header_rows :], block.row_lines):
        seq, indicator = row[0], _squeeze(row[1]) if len(row) > 1 else ""
        columns = [k for k in range(2, min(len(row), len(labels))) if labels[k]]
        pairs = [(labels[k], row[k]) for k in columns]
        context = _sentence(table_name(block), seq, indicator, pairs)
        for k, (label, raw) in zip(columns, pairs):
            measure, year = column_meaning(label)
            cell = f"{block.columns[k]}{lines[0]}" if k < len(block.columns) else ""
            out.append(_record(doc, block, row, lines, indicator, label, measure, year, raw, context, cell))
    return out


def _record(
    doc: Document,
    block: Block,
    row: tuple[str, ...],
    lines: tuple[int, int],
    indicator: str,
    column: str,
    measure: str,
    year: int | None,
    raw: str,
    context: str,
    cell: str = "",
) -> TableRecord:
    """One cell of a table row, with what every cell of the row shares (table, 序号, place, printed row)."""
    value, unit = parse_value(raw)
    if unit in MAGNITUDES and MONEY.search(indicator):
        unit += "元"  # 101.84万 under …直接经济损失…: the row's sum of money, its 元 left off
    seq = row[0]
    return TableRecord(
        doc=doc.name,
        table=table_name(block),
        row=int(seq) if seq.isdigit() else 0,
        indicator=indicator,
        column=column,
        measure=measure,
        year=year,
        raw=raw,
        value=value,
        unit=unit,
        context=context,
        section=block.section,
        page=block.page,
        lines=lines,
        # The row as its line in the report: cells separated by tabs, without trailing empty cells.
        printed="\t".join(row).rstrip("\t"),
        cell=cell,
    )


def _records_ragged(doc: Document, block: Block) -> list[TableRecord]:
    header = [_squeeze(c) for c in block.rows[0] if c]
    value_label = header[-1] if header else "数量"
    path_labels = header[1:-2]  # e.g. 行业部门, 调查对象大类, 调查对象中类
    path = [""] * len(path_labels)
    out = []
    for row, lines in zip(block.rows[block.header_rows :], block.row_lines):
        seq = row[0]
        filled = [(k, _squeeze(c)) for k, c in enumerate(row) if c and k > 0]
        qty = [k for k, c in filled if QUANTITY.match(c)]
        if not qty:
            continue
        vk = qty[-1]
        before = [c for k, c in filled if k < vk]
        if not before:
            continue
        indicator, context_cells = before[-1], before[:-1]
        # The cells given refine the deepest levels of the path; the rest is filled down.
        if context_cells:
            n = min(len(context_cells), len(path))
            path = path[: len(path) - n] + context_cells[-n:]
        raw = dict(filled)[vk]
        where = " > ".join(p for p in path if p)
        context = f"{table_name(block)} 第{seq}行：{where} > {indicator}；{value_label} {raw}。"
        cell = f"{block.columns[vk]}{lines[0]}" if vk < len(block.columns) else ""  # a sheet's cell
        out.append(_record(doc, block, row, lines, indicator, value_label, "count", None, raw, context, cell))
    return out


def table_records(doc: Document) -> list[TableRecord]:
    """Every cell of every table in the document as a TableRecord."""
    out: list[TableRecord] = []
    for block in doc.blocks:
        if block.kind != "table" or block.header_rows == 0:
            continue
        data = list(block.rows[block.header_rows :])
        if _is_ragged(data):
            out.extend(_records_ragged(doc, block))
        else:
            out.extend(_records_positional(doc, block))
    return out


def row_sentences(doc: Document) -> list[tuple[Block, tuple[int, int], str]]:
    """Each table row rendered as one readable sentence, with its source lines."""
    seen: dict[tuple[str, tuple[int, int]], str] = {}
    blocks = {}
    for rec in table_records(doc):
        key = (rec.table, rec.lines)
        seen.setdefault(key, rec.context)
    for block in doc.blocks:
        if block.kind == "table":
            for lines in block.row_lines:
                blocks[(table_name(block), lines)] = block
    return [(blocks[key], key[1], text) for key, text in seen.items() if key in blocks]
