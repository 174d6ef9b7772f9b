"""👍/👎 on answers the server gave, appended to a size-capped, rotated JSON-lines file."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_FIELD = 2000  # characters kept of a question or an answer
MAX_BYTES = 5_000_000  # the file is rotated past this size
BACKUPS = 3  # feedback.jsonl.1 … .3 are kept


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer, identified by the id the server gave that answer."""

    answer_id: str
    liked: bool
    question: str
    kind: str
    answer: str
    user: str = ""
    time: str = ""


class FeedbackLog:
    """Appends Feedback to a file, rotating it (file.1, file.2 …) when it grows past max_bytes."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        self._lock = threading.Lock()

    def record(self, item: Feedback) -> None:
        entry = asdict(item)
        entry["time"] = entry["time"] or time.strftime("%Y-%m-%dT%H:%M:%S%z")
        for key in ("question", "answer"):
            entry[key] = entry[key][:MAX_FIELD]
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size + len(line.encode("utf-8")) > self.max_bytes:
                self._rotate()
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)

    def _rotate(self) -> None:
        for n in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{n + 1}"))
        self.path.replace(self.path.with_name(f"{self.path.name}.1"))
