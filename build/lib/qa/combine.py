"""Several answers to the asks of one message -> one answer: every part's lead first, then each in full."""

from __future__ import annotations

from .types import Answer

LEAD_SPLIT = " —— "


def lead_of(answer: Answer) -> str:
    """The figure an answer leads with, or what it says is missing."""
    first = answer.answer.split("\n", 1)[0]
    if answer.kind == "not_found":
        return "报告未给出"
    return first.split(LEAD_SPLIT, 1)[0].strip()


def combine(parts: list[Answer], asks: list[str]) -> Answer:
    """One answer holding every part: a short lead per ask, then each part with its own source."""
    leads = [f"（{i}）{lead_of(p)}" for i, p in enumerate(parts, 1)]
    body = [f"（{i}）{ask}\n{p.answer}" for i, (ask, p) in enumerate(zip(asks, parts), 1)]
    answered = [p for p in parts if p.kind != "not_found"]
    # A message with any computed part is computed: its result is not printed in the report.
    kind = (
        "not_found"
        if not answered
        else ("computed" if any(p.kind == "computed" for p in answered) else answered[0].kind)
    )
    # Each part's own first citation comes first, so every lead has its source among the first few.
    cites, seen = [], set()
    for rank in range(5):
        for p in parts:
            if rank < len(p.citations) and p.citations[rank].text not in seen:
                seen.add(p.citations[rank].text)
                cites.append(p.citations[rank])
    text = "；".join(leads) + "\n\n" + "\n\n".join(body)
    if kind == "not_found":
        text = "报告中未找到该问题的答案：" + "；".join(leads) + "\n\n" + "\n\n".join(body)
    return Answer(
        question="",
        answer=text,
        kind=kind,
        citations=tuple(cites[:6]),
        working="\n".join(p.working for p in parts if p.working),
    )
