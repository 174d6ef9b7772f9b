"""records.sqlite: chunks (with their keyword tokens), table records and figures of one build.

One table per dataclass, one column per field; tuple fields are stored as JSON. SCHEMA fingerprints the
field lists, so an index written before a field was added is refused rather than misread.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import astuple, fields
from pathlib import Path
from typing import TypeVar

from .types import Chunk, Figure, TableRecord

TABLES = {"chunks": Chunk, "table_records": TableRecord, "figures": Figure}
SCHEMA = hashlib.sha1(
    json.dumps({t: [(f.name, str(f.type)) for f in fields(cls)] for t, cls in TABLES.items()}).encode()
).hexdigest()[:12]


T = TypeVar("T")


def _is_tuple(f) -> bool:
    return str(f.type).startswith("tuple")


def _encode(obj) -> tuple:
    return tuple(json.dumps(v, ensure_ascii=False) if _is_tuple(f) else v for f, v in zip(fields(obj), astuple(obj)))


def _decode(cls: type[T], row) -> T:
    """One row back into its dataclass (one of qa.types)."""
    values = []
    for f, v in zip(fields(cls), row):  # type: ignore[arg-type]
        if _is_tuple(f):
            v = tuple(tuple(x) if isinstance(x, list) else x for x in json.loads(v))
        values.append(v)
    return cls(*values)


def write(
    path: Path, chunks: list[Chunk], tokens: list[list[str]], table_records: list[TableRecord], figures: list[Figure]
) -> None:
    """Write a fresh records.sqlite."""
    con = sqlite3.connect(path)
    try:
        with con:
            for table, cls in TABLES.items():
                cols = ", ".join(f'"{f.name}"' for f in fields(cls))
                extra = ", tokens TEXT" if table == "chunks" else ""
                con.execute(f"CREATE TABLE {table} (ord INTEGER PRIMARY KEY, {cols}{extra})")
            for table, items in (("table_records", table_records), ("figures", figures)):
                n = len(fields(TABLES[table]))
                con.executemany(
                    f"INSERT INTO {table} VALUES (?{', ?' * n})", [(i, *_encode(x)) for i, x in enumerate(items)]
                )
            n = len(fields(Chunk))
            con.executemany(
                f"INSERT INTO chunks VALUES (?{', ?' * (n + 1)})",
                [(i, *_encode(c), json.dumps(t, ensure_ascii=False)) for i, (c, t) in enumerate(zip(chunks, tokens))],
            )
    finally:
        con.close()


def read(path: Path) -> tuple[list[Chunk], list[TableRecord], list[Figure]]:
    """Load chunks, table records and figures (sqlite3.Error if missing or damaged)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def rows(table: str, cls) -> list:
            cols = ", ".join(f'"{f.name}"' for f in fields(cls))
            return con.execute(f"SELECT {cols} FROM {table} ORDER BY ord").fetchall()

        chunks = [_decode(Chunk, r) for r in rows("chunks", Chunk)]
        recs = [_decode(TableRecord, r) for r in rows("table_records", TableRecord)]
        figs = [_decode(Figure, r) for r in rows("figures", Figure)]
    finally:
        con.close()
    return chunks, recs, figs


def read_tokens(path: Path) -> Iterator[list[str]]:
    """Each chunk's keyword tokens in chunk order, one at a time (all at once, 50,000 chunks held ~650 MB)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (t,) in con.execute("SELECT tokens FROM chunks ORDER BY ord"):
            yield json.loads(t)
    finally:
        con.close()
