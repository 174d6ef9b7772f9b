"""Answer -> HTML for the chat, and Answer -> plain text for copying: pure functions, testable without Gradio.

Everything a document or a question supplies is escaped as text; only the markup written here is HTML.
"""

from __future__ import annotations

import html
import re

from .types import Answer, Citation

KIND_LABELS = {"figure": "数字", "computed": "计算", "passage": "段落", "not_found": "未找到"}

CITE_HEADINGS = {"computed": "算式中各数的出处", "not_found": "报告中相近的内容"}

SHORT_TITLE_CHARS = 10
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def text_html(text: str) -> str:
    """Text shown as text: escaped, line breaks kept, no blank line (which would end an HTML block)."""
    return html.escape(text.strip(), quote=False).replace("\n", "<br>")


def plain_text(content: str) -> str:
    """Text back from the app's own markup (a question's bubble, an answer's lead)."""
    return html.unescape(re.sub(r"<[^>]*>", "", content.replace("<br>", "\n")))


def answer_figures(answer: Answer) -> list[str]:
    """The numbers an answer states (not years), to highlight in its quotes."""
    if answer.kind not in ("figure", "computed"):
        return []
    lead = answer.answer.split("——", 1)[0] + " " + answer.working
    found = [m.group() for m in NUMBER.finditer(lead) if lead[m.end() : m.end() + 1] != "年"]
    return sorted(set(found), key=len, reverse=True)


def attr(text: str) -> str:
    """Text as an attribute value; a line break is written as &#10; since a blank line would end the HTML block."""
    return html.escape(text).replace("\n", "&#10;")


def highlight(quote: str, figures: list[str]) -> str:
    """The quote escaped as text, each figure wrapped in <mark> where it stands as a whole number."""
    escaped = text_html(quote)
    if not figures:
        return escaped
    # Whole numbers only: not inside 2022 or 6.5, nor a heading's "6." or a table name's "2-1".
    pattern = re.compile(r"(?<![A-Za-z\d.,-])(" + "|".join(re.escape(f) for f in figures) + r")(?![\d.．、]|[,-]\d)")
    return pattern.sub(r"<mark>\1</mark>", escaped)


def quoted(cite: Citation) -> str:
    """What a citation quotes: a table row's cells the answer uses (column and value as printed), else its text."""
    if cite.cells:
        shown = [(c, v) for c, v in cite.cells if c in cite.used] or list(cite.cells)
        return "；".join(f"{c} {v or '（空）'}" for c, v in shown)
    return cite.text.strip()


def copy_text(cite: Citation) -> str:
    """A citation as it is pasted into a briefing; a table cell by its table, row and column, as printed."""
    where = "，".join(x for x in (f"第{cite.page}页" if cite.page else "", cite.section, cite.table_row) if x)
    if cite.cells:
        return f"据《{cite.title or cite.doc}》（{where}）：{quoted(cite)}"
    return f"据《{cite.title or cite.doc}》（{where}）：“{quoted(cite)}”"


def source_text(cite: Citation) -> str:
    """Where a citation stands, for a list of sources: 《title》，section，第N页, then a table row or sheet cell."""
    page = f"第{cite.page}页" if cite.page and not cite.doc.lower().endswith(".docx") else ""
    return "，".join(x for x in (f"《{cite.title or cite.doc}》", cite.section, page, cite.table_row) if x)


def table_html(cite: Citation, figures: list[str]) -> str:
    """A table row as a small table: its columns, its values as printed, the ones the answer uses marked."""
    head = "".join(f"<th>{html.escape(c, quote=False)}</th>" for c, _ in cite.cells)
    values = "".join(
        f'<td class="qa-used">{highlight(v, figures) or "（空）"}</td>'
        if c in cite.used
        else f"<td>{text_html(v) or '（空）'}</td>"
        for c, v in cite.cells
    )
    return f'<table class="qa-row"><thead><tr>{head}</tr></thead><tbody><tr>{values}</tr></tbody></table>'


def short_title(title: str, keep: int = SHORT_TITLE_CHARS) -> str:
    """A long title's end ("…实施情况中期评估报告"): it names the kind of document, and fits a phone's line."""
    return title if len(title) <= keep + 6 else "…" + title[-keep:]


def render_citation(n: int, cite: Citation, figures: list[str]) -> str:
    a, b = cite.lines
    lines = f"第{a}行" if a == b else f"第{a}–{b}行"
    title = cite.title or cite.doc
    rest = " · ".join(x for x in (cite.section, f"第{cite.page}页" if cite.page else "", lines, cite.table_row) if x)
    quote = table_html(cite, figures) if cite.cells else f'<div class="qa-quote">{highlight(cite.text, figures)}</div>'
    # The short title is shown, the full one on hover and in the copied citation.
    named = f'<span title="{html.escape(title)}">《{html.escape(short_title(title), quote=False)}》</span>'
    return (
        f'<div class="qa-cite"><div class="qa-cite-head">[{n}] {named} · {html.escape(rest, quote=False)}'
        f'<button class="qa-copy" value="{attr(copy_text(cite))}">复制引用</button></div>'
        f"{quote}</div>"
    )


def lead_text(answer: Answer) -> str:
    """The answer itself; a passage answer's paragraphs are its citations, each shown once with its source."""
    return answer.answer.split("\n\n（出处：", 1)[0] if answer.kind == "passage" else answer.answer


def render_answer(answer: Answer, brief_id: str = "") -> str:
    """One answer as HTML: the answer first, then working, 另见 and the citations."""
    figures = answer_figures(answer)
    lead = lead_text(answer)
    parts = [
        f'<div class="qa-answer" data-kind="{answer.kind}">',
        f'<div class="qa-lead"><span class="qa-kind">{KIND_LABELS.get(answer.kind, "")}</span>{text_html(lead)}</div>',
    ]
    if answer.working:
        parts.append(f'<div class="qa-working">算式：{text_html(answer.working)}</div>')
    also = [a for a in answer.also if a not in answer.answer]
    if also:
        parts.append('<div class="qa-also">另见：' + "；".join(text_html(a) for a in also) + "</div>")
    if answer.citations:
        parts.append(f'<div class="qa-cites-head">{CITE_HEADINGS.get(answer.kind, "出处")}：</div>')
        cites = [render_citation(n, c, figures) for n, c in enumerate(answer.citations, start=1)]
        # Every input of a computation and every paragraph of a passage stays in view.
        shown = len(cites) if answer.kind in ("computed", "passage") else 1
        parts += cites[:shown]
        if cites[shown:]:
            more = "".join(cites[shown:])
            parts.append(f"<details><summary>更多出处（{len(cites) - shown}）</summary>{more}</details>")
    # Gradio's own copy icons paste this markup; this button copies the answer as text with its sources.
    parts.append(
        f'<div class="qa-tools"><button class="qa-copy qa-copy-answer" value="{attr(answer_text(answer))}">'
        "复制回答（含出处）</button>"
        # The server-issued answer id: the 简报 tab builds its item from the answer kept under it.
        + (f'<button class="qa-brief-add" value="{html.escape(brief_id)}">加入简报</button>' if brief_id else "")
        + "</div>"
    )
    parts.append("</div>")
    return "".join(parts)


def answer_text(answer: Answer) -> str:
    """An answer as plain text, ready to paste: the answer, its working, then each quotation with its source."""
    lines = [answer.answer.strip()]
    if answer.working:
        lines.append(f"算式：{answer.working}")
    for n, cite in enumerate(answer.citations, start=1):
        lines.append(f"[{n}] {copy_text(cite)}")
    return "\n".join(lines)
