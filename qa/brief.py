"""Briefings: answers collected as BriefItems, written as a Word document or as Markdown for pasting.

Each quotation carries a numbered marker [n] that refers to the 资料来源 list at the end, worded as
qa/render.py words a citation (source_text, quoted), so the chat and the briefing name a source alike.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date
from typing import IO

from .errors import QAError
from .render import lead_text, quoted, source_text
from .types import Answer, Citation

EAST_ASIAN_FONT = "宋体"  # Word and WPS both ship it; without w:eastAsia, Word falls back per glyph
HEADING_LIMIT = 40  # characters of a user's short heading
KINDS = ("figure", "computed", "passage", "not_found")


class BadBriefItem(QAError):
    """A kept briefing item that is not one this code wrote (damaged or forged)."""


@dataclass(frozen=True)
class BriefItem:
    """One answer in a briefing: what was asked, the answer's lead, and the sources quoted for it."""

    question: str
    lead: str  # the answer's own text (the figure or the passage)
    kind: str
    quote: str  # the first source's quotation, as printed
    citations: tuple[Citation, ...] = ()
    working: str = ""  # a computed answer's formula
    heading: str = ""  # the user's short heading, "" to head the item with its question


def item_from_answer(answer: Answer, heading: str = "") -> BriefItem:
    """A briefing item from an Answer; a not-found answer cites nothing (its near matches are no source)."""
    # A figure's further printings stay in the chat; a computation cites each input, a passage each paragraph.
    cites = {"not_found": (), "figure": answer.citations[:1]}.get(answer.kind, answer.citations)
    return BriefItem(
        question=answer.question,
        lead=lead_text(answer).strip(),
        kind=answer.kind,
        quote=quoted(cites[0]) if cites else "",
        citations=tuple(cites),
        working=answer.working,
        heading=heading.strip()[:HEADING_LIMIT],
    )


def default_title(today: date | None = None) -> str:
    """简报 and the date, as a briefing is titled when no title is given."""
    return f"简报（{date_text(today or date.today())}）"


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def numbered(items: list[BriefItem]) -> tuple[list[list[int]], list[str]]:
    """Each item's source numbers, and the numbered sources in order (one number per place cited)."""
    order: dict[tuple, int] = {}
    sources: list[str] = []
    marks = []
    for item in items:
        own = []
        for cite in item.citations:
            key = (source_text(cite), cite.doc, cite.lines)
            if key not in order:
                sources.append(source_text(cite))
                order[key] = len(sources)
            own.append(order[key])
        marks.append(own)
    return marks, sources


def item_lines(item: BriefItem, marks: list[int]) -> list[tuple[str, str]]:
    """An item's body as (style, text) lines: question, answer, formula, each quotation with its marker."""
    lines = []
    if item.heading:
        lines.append(("question", f"问：{item.question}"))
    lines.append(("lead", item.lead))
    if item.working:
        lines.append(("working", f"算式：{item.working}"))
    # A computation's inputs are each quoted with their own source: the table row is named in 资料来源.
    for n, cite in zip(marks, item.citations):
        lines.append(("quote", f"“{quoted(cite)}”[{n}]"))
    return lines


def to_markdown(items: list[BriefItem], title: str = "", today: date | None = None) -> str:
    """The briefing as Markdown, for pasting: a section per item and the 资料来源 list at the end."""
    marks, sources = numbered(items)
    out = [f"# {md(title or default_title(today))}", "", date_text(today or date.today()), ""]
    for n, (item, own) in enumerate(zip(items, marks), start=1):
        out += [f"## {n}. {md(item.heading or item.question)}", ""]
        for style, text in item_lines(item, own):
            shown = md(text)
            out += [f"**{shown}**" if style == "lead" else f"> {shown}" if style == "quote" else shown, ""]
    if sources:
        out += ["## 资料来源", ""] + [f"[{n}] {md(s)}  " for n, s in enumerate(sources, start=1)] + [""]
    return "\n".join(out).rstrip() + "\n"


def md(text: str) -> str:
    """Text kept as text in Markdown: line breaks kept, characters that would start markup escaped."""
    for ch in "\\`*_<>#|":
        text = text.replace(ch, "\\" + ch)
    return text.strip().replace("\n", "  \n")


def to_docx(items: list[BriefItem], title: str, path_or_stream: str | IO[bytes], today: date | None = None) -> None:
    """The briefing as a Word document: title and date, a section per item, the 资料来源 list at the end."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        set_fonts(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_heading(title or default_title(today), level=0)
    doc.add_paragraph(date_text(today or date.today()))
    marks, sources = numbered(items)
    for n, (item, own) in enumerate(zip(items, marks), start=1):
        doc.add_heading(f"{n}. {item.heading or item.question}", level=1)
        for style, text in item_lines(item, own):
            para = doc.add_paragraph()
            run = para.add_run(text)
            run.bold = style == "lead"
            if style == "quote":
                para.paragraph_format.left_indent = Pt(21)
    if sources:
        doc.add_heading("资料来源", level=1)
        for n, source in enumerate(sources, start=1):
            doc.add_paragraph(f"[{n}] {source}")
    doc.save(path_or_stream)


def set_fonts(style) -> None:
    """A style's font, named for Latin text and, through w:eastAsia, for Chinese (what Word and WPS read)."""
    from docx.oxml.ns import qn

    style.font.name = EAST_ASIAN_FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    # A heading names its fonts through the theme, which Word prefers to the names set here.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


# ---- kept in the browser --------------------------------------------------------------------------


def item_to_dict(item: BriefItem) -> dict:
    """An item as JSON-able data (the browser keeps the basket)."""
    return {
        "question": item.question,
        "lead": item.lead,
        "kind": item.kind,
        "quote": item.quote,
        "citations": [c.to_dict() for c in item.citations],
        "working": item.working,
        "heading": item.heading,
    }


def item_from_dict(data: object) -> BriefItem:
    """An item back from kept data, checked field by field; anything else raises BadBriefItem."""
    if not isinstance(data, dict):
        raise BadBriefItem("简报条目格式不对")
    text = {k: data.get(k, "") for k in ("question", "lead", "kind", "quote", "working", "heading")}
    if not all(isinstance(v, str) for v in text.values()) or text["kind"] not in KINDS:
        raise BadBriefItem("简报条目格式不对")
    cites = data.get("citations", [])
    if not isinstance(cites, list):
        raise BadBriefItem("简报条目的出处格式不对")
    return BriefItem(**{**text, "heading": text["heading"][:HEADING_LIMIT]}, citations=tuple(map(citation, cites)))


def citation(data: object) -> Citation:
    """A Citation back from kept data, checked."""
    if not isinstance(data, dict):
        raise BadBriefItem("出处格式不对")
    try:
        lines = tuple(int(x) for x in data.get("lines", (0, 0)))
        page = data.get("page")
        cite = Citation(
            text=str(data["text"]),
            doc=str(data["doc"]),
            section=str(data.get("section", "")),
            page=None if page is None else int(page),
            lines=(lines[0], lines[1]),
            title=str(data.get("title", "")),
            table_row=str(data.get("table_row", "")),
            cells=tuple((str(c), str(v)) for c, v in data.get("cells", ())),
            used=tuple(str(u) for u in data.get("used", ())),
        )
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise BadBriefItem("出处格式不对") from err
    return cite


def with_heading(item: BriefItem, heading: str) -> BriefItem:
    """The item under a new short heading ("" for its question)."""
    return replace(item, heading=heading.strip()[:HEADING_LIMIT])


def basket_html(items: list[BriefItem]) -> str:
    """The 简报 tab's list: each item's heading, question, answer and quotations with their sources, escaped."""
    if not items:
        return '<p class="qa-brief-empty">简报还是空的：在问答中点回答下方的“加入简报”。</p>'
    out = ['<ol class="qa-brief">']
    for item in items:
        head = f'<div class="qa-brief-head">{esc(item.heading)}</div>' if item.heading else ""
        parts = [
            f"<li>{head}",
            f'<div class="qa-brief-q">问：{esc(item.question)}</div>',
            f'<div class="qa-lead">{esc(item.lead)}</div>',
        ]
        if item.working:
            parts.append(f'<div class="qa-working">算式：{esc(item.working)}</div>')
        for cite in item.citations:
            a, b = cite.lines
            lines = f"第{a}行" if a == b else f"第{a}–{b}行"
            parts.append(
                f'<div class="qa-cite"><div class="qa-quote">“{esc(quoted(cite))}”</div>'
                f'<div class="qa-cite-head">{esc(source_text(cite))}，{lines}</div></div>'
            )
        out.append("".join(parts) + "</li>")
    return "".join(out) + "</ol>"


def esc(text: str) -> str:
    """Text shown as text in HTML, line breaks kept."""
    return html.escape(text.strip(), quote=True).replace("\n", "<br>")
