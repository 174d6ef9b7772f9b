"""A message -> the asks in it: "X是多少？Y呢？" is two questions, "A和B各几座" is two.

Each ask inherits the year and the subject of the ask before it when it names none of its own, and the
request frame of a briefing ("我在整理材料，麻烦查一下…") is dropped. The patterns are about how
people put several questions in one message, not about particular questions; the frame words are data
in lexicon.toml.
"""
from __future__ import annotations

import re

from .lexicon import LEXICON, any_of
from .understand import RELATIVE_YEARS, YEAR_TEXT, content_terms, normalise, rewrite

ASK_MARK = any_of("asks", "question_words")
EACH = re.compile(r"各(?:是|为|有|自)?(?=多少|几|多大|多长|多高|建|完成|有|是)|分别")
YEAR_WORDS = re.compile(YEAR_TEXT.pattern + "|" + "|".join(RELATIVE_YEARS))


def drop_frame(text: str) -> str:
    """Remove the request frame around the questions (我要写…材料，帮我查一下，…给我)."""
    for pattern in LEXICON["frames"]["patterns"]:
        text = re.sub(pattern, "，", text)
    return text.strip("，,。 ")


def _pieces(text: str) -> list[str]:
    """Clauses at sentence and clause punctuation; an enumeration comma splits only between two asks."""
    out = []
    for piece in re.split(r"[？?；;。！!\n，]|(?<!\d),|,(?!\d{3})", text):
        piece = piece.strip(" ：:")
        if not piece:
            continue
        sub = re.split(r"、", piece)
        if len(sub) > 1 and all(ASK_MARK.search(s) for s in sub):
            out.extend(s.strip() for s in sub if s.strip())
        else:
            out.append(piece)
    return out


def _each(ask: str) -> list[str]:
    """'A和B各几座' -> ['A几座', 'B几座']; other asks unchanged."""
    m = EACH.search(ask)
    if not m:
        return [ask]
    head, tail = ask[:m.start()], re.sub(r"^(?:各|分别)(?:是|为|有|自)?", "", ask[m.start():])
    items = [i for i in re.split(r"和|与|及|以及|、|跟", head) if i.strip()]
    if len(items) < 2:
        return [head + tail]
    return [i.strip() + tail for i in items]


def split_asks(question: str, report_year: int) -> list[str]:
    """The separate asks of one message, each made to stand alone; one element for a simple question."""
    text = drop_frame(normalise(question))
    pieces = _pieces(text)
    asks: list[tuple[str, bool]] = []     # (ask, is an item of an enumeration: names its own subject)
    context = ""
    for piece in pieces:
        if not ASK_MARK.search(piece) and not _bare_ask(piece):
            context += piece + "，"        # a clause that only sets the scene belongs to the next ask
            continue
        items = _each(context + piece)
        asks.extend((i, len(items) > 1 and k > 0) for k, i in enumerate(items))
        context = ""
    if context and asks:
        asks[-1] = (asks[-1][0] + "，" + context.rstrip("，"), asks[-1][1])
    if len(asks) <= 1:
        return [question]
    return _inherit(asks, report_year)


def _bare_ask(piece: str) -> bool:
    """A clause with a column word asks even without a question word ('2022年实际数')."""
    return bool(re.search(r"目标|基数|实际数|降幅|增幅", piece))


QUANTITY_NOUN = any_of("asks", "counting_nouns")
GENERIC = any_of("asks", "which_figure")


def _inherit(asks: list[tuple[str, bool]], report_year: int) -> list[str]:
    """Give each ask the year and the subject of the one before when it names at most one word of its own."""
    out: list[str] = []
    prev_year, prev_subject = "", ""
    for ask, item in asks:
        ask = rewrite(ask)
        years = YEAR_WORDS.findall(ask)
        own = [t for t in content_terms(YEAR_WORDS.sub(" ", ask)) if not GENERIC.search(t)]
        text = ask
        short = len(re.sub(r"呢|吗|多少|几|多大|多长|多高|多久|是|有|[？?，,。]", "", YEAR_WORDS.sub("", ask))) <= 3
        if (not own or short) and prev_subject:
            # The part names what it counts (起数呢) but not of what: the earlier part's subject, minus its own
            # counting noun, supplies that.
            subject = QUANTITY_NOUN.sub("", prev_subject) if QUANTITY_NOUN.search(ask) else prev_subject
            text = subject + text
        column_only = re.search(r"目标|要求|基数", ask) and not years
        if not years and prev_year and not column_only:
            text = prev_year + text
        out.append(text)
        if years:
            prev_year = years[0] if re.search(r"\d|年", years[0]) else prev_year
        if own:
            prev_subject = _subject(YEAR_WORDS.sub("", ask))
    return out


def _subject(ask: str) -> str:
    """The words of an ask before its question word: what it is about."""
    m = ASK_MARK.search(ask)
    head = ask[:m.start()] if m else ask
    head = re.sub(r"(?:的)?(?:规划目标|目标值|目标|要求|基数|实际数|降幅|增幅)(?:达到|是|为)?", "", head)
    return re.sub(r"(是|有|为|的|了|共|一共|总共|共有|达到)+$", "", head.strip("，,：: "))
