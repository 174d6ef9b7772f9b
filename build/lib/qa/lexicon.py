"""The domain's word lists, loaded once from lexicon.toml (reviewed by people, applied by code)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

LEXICON: dict = tomllib.loads((Path(__file__).with_name("lexicon.toml")).read_text(encoding="utf-8"))


def any_of(*path: str) -> re.Pattern:
    """A pattern matching any word of one lexicon list, e.g. any_of("status", "planned")."""
    group = LEXICON
    for key in path:
        group = group[key]
    return re.compile("|".join(map(re.escape, group)))
