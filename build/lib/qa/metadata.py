"""Questions about a document itself (its title, who prepared it, its date), answered from its title page."""

from __future__ import annotations

import re

from .lexicon import LEXICON, any_of
from .types import Answer, Citation

ABOUT_DOC = any_of("title_page", "about")
ASKS = tuple((what, any_of("title_page", what)) for what in ("title", "by", "date"))


def asked(question: str) -> str | None:
    """Which fact of the title page the question asks for, or None."""
    if not ABOUT_DOC.search(question):
        return None
    for what, pattern in ASKS:
        if pattern.search(question):
            return what
    return None


def asks_word(term: str) -> bool:
    """True if the term is part of a word that asks about the title page ("编制" of "编制单位")."""
    return any(term in w for what in ("about", "title", "by", "date") for w in LEXICON["title_page"][what])


def answer(question: str, what: str, docs: list[dict]) -> Answer | None:
    """The title, preparer or date of each document, quoted from its title page."""
    lines, cites = [], []
    for d in docs:
        front = list(d.get("front") or [])
        date = next((f for f in front if re.search(r"(?:19|20)\d{2}\s*年", f)), "")
        by = next((f for f in front if f != date and not re.search(r"\d", f)), "")
        value = {"title": d.get("title", ""), "by": by, "date": date}[what]
        if not value:
            continue
        label = {"title": "报告标题", "by": "编制单位", "date": "成文日期"}[what]
        lines.append(f"{value} —— {label}（见封面）" + (f"，《{d['title']}》" if what != "title" else ""))
        cites.append(
            Citation(
                text="\n".join([d.get("title", "")] + front),
                doc=d["name"],
                section="封面",
                page=None,
                lines=(1, 1),
                title=d.get("title", ""),
            )
        )
    if not lines:
        return None
    return Answer(question=question, answer="\n".join(lines), kind="passage", citations=tuple(cites[:5]))
