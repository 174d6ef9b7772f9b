"""The domain's word lists, loaded once from lexicon.toml (reviewed by people, applied by code)."""
from __future__ import annotations

import tomllib
from pathlib import Path

LEXICON: dict = tomllib.loads((Path(__file__).with_name("lexicon.toml")).read_text(encoding="utf-8"))
