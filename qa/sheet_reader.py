"""Excel (.xlsx) and CSV -> Document: each sheet one table block, titled by the sheet's name or title row.

openpyxl rather than pandas: it gives merged ranges and each cell's number format, so a cell reads as
printed (0.2 formatted 0.00% is "20.00%", as the report prints it) and a merged title or group label is
known for what it is. A record keeps its sheet row in `lines` and its cell in `cell` (B7), so a citation
can name file, sheet and cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .errors import CorpusError
from .layout import Grid, Layout, Merged, Table, resolve_grid
from .parse import Document, read_text

NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?%?$")


def read_sheet(path: Path) -> tuple[Document, str]:
    """Read an .xlsx or .csv into a Document (one table per sheet) and the text it was parsed from."""
    if path.suffix.lower() == ".csv":
        sheets = [(path.stem, _csv_grid(path))]
    else:
        sheets = _xlsx_grids(path)
    layout = Layout(path.name)
    layout.title([path.stem])
    found = 0
    for name, (grid, numbers) in sheets:
        table = _sheet_table(path, name, grid, numbers)
        if table is not None:
            layout.table(table)
            found += 1
    if not found:
        raise CorpusError(f"{path.name}: 表格文件没有数据 (no sheet holds a table)")
    return layout.build(), layout.text()


def _csv_grid(path: Path) -> tuple[Grid, list[int]]:
    rows = list(csv.reader(read_text(path).splitlines()))
    return [list(r) for r in rows], list(range(1, len(rows) + 1))


def _xlsx_grids(path: Path) -> list[tuple[str, tuple[Grid, list[int]]]]:
    try:
        # data_only: a formula reads as the value Excel last computed, which is what the sheet shows
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise CorpusError(f"{path.name}: 无法打开 Excel 文件 (not a readable .xlsx: {e})") from e
    out = []
    for ws in book.worksheets:
        covered: dict[tuple[int, int], Merged] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered[(r, c)] = Merged.RIGHT if r == rng.min_row else Merged.DOWN
        grid: Grid = []
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            grid.append([covered.get((cell.row, cell.column)) or _shown(cell) for cell in row])
        out.append((ws.title, (grid, list(range(1, len(grid) + 1)))))
    return out


def _shown(cell) -> str:
    """A cell's value as the sheet shows it (percent and fixed decimals from its number format)."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return v.date().isoformat() if isinstance(v, dt.datetime) else str(v).strip()
    fmt = cell.number_format or "General"
    decimals = len(m.group(1)) if (m := re.search(r"\.(0+)", fmt)) else 0
    if "%" in fmt:
        return f"{v * 100:.{decimals}f}%"
    if decimals:
        return f"{v:.{decimals}f}"
    return str(int(v)) if float(v).is_integer() else f"{v:.15g}"


def _filled(row: list[str | Merged]) -> list[str]:
    return [c for c in row if isinstance(c, str) and c.strip()]


def _sheet_table(path: Path, name: str, grid: Grid, numbers: list[int]) -> Table | None:
    """The sheet as one table: a single-cell first row is its title, the next row its header."""
    kept = [(n, r) for n, r in zip(numbers, grid) if _filled(r)]
    if not kept:
        return None  # an empty sheet is no table
    used = [c for c in range(max(len(r) for _, r in kept)) if any(c < len(r) and r[c] != "" for _, r in kept)]
    first_col, last_col = used[0], used[-1]
    title = name
    if len(_filled(kept[0][1])) == 1 and len(kept) > 1:
        title = _filled(kept[0][1])[0]
        kept = kept[1:]
    header = _filled(kept[0][1])
    if len(kept) < 2:
        return None  # a title or a header alone: no rows to read
    if len(header) < 2 or any(NUMBER.match(c.strip()) for c in header):
        raise CorpusError(
            f"{path.name}: 工作表“{name}”没有可识别的表头 (sheet {name!r} has no recognisable header row:"
            " the first row must name each column)"
        )
    table = resolve_grid([r[first_col : last_col + 1] for _, r in kept])
    # resolve_grid keeps every header row and drops only empty data rows, of which `kept` has none
    data_numbers = tuple(n for n, _ in kept[table.header_rows :])
    columns = tuple(get_column_letter(c + 1) for c in range(first_col, last_col + 1))
    return Table(table.rows, table.header_rows, numbers=data_numbers, columns=columns, title=title)
