"""Chunking: whole sentences, never across paragraphs or sections, verbatim text, exact lines, stable ids."""

from __future__ import annotations

from pathlib import Path

from qa.chunk import MAX_CHARS, chunk_document, keyword_text, pack, split_sentences
from qa.parse import parse_file, parse_text, read_text

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"

SAMPLE = """测试报告

一、总体情况

第一句话。第二句话！第三句？

（一）分项

这一段在分页处被截

断了，然后继续。最后一句。

表2-1 测试指标统计表
序号\t指标\t规划目标\t2020年基数\t2021年\t\t2022年\t
\t\t\t\t2021年实际数\t比2020年降幅(±%)\t2022年实际数\t比2020年降幅(±%)
1\t生产安全事故起数下降\t>20%\t33\t17\t-48.48%\t10\t-69.70%
2\t生产安全事故死亡人数下降\t>20%\t15\t12\t-20.00%\t6\t-60.00%
"""


def _squeeze(text: str) -> str:
    return "".join(text.split()).replace("**", "")


def _sample():
    return chunk_document(parse_text(SAMPLE, "t.txt"), SAMPLE)


def test_sentences_keep_their_punctuation_and_closing_quotes():
    text = "他说：“完成了。”然后离开！还有吗？最后；没有结尾"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "他说：“完成了。”",
        "然后离开！",
        "还有吗？",
        "最后；",
        "没有结尾",
    ]


def test_pack_fills_up_to_the_limit_and_repeats_one_sentence():
    spans = [(0, 40), (40, 80), (80, 120), (120, 160)]
    assert pack(spans, max_chars=100, overlap=1) == [(0, 80), (40, 120), (80, 160)]
    assert pack(spans, max_chars=100, overlap=0) == [(0, 80), (80, 160)]


def test_a_sentence_longer_than_the_limit_stands_alone():
    assert pack([(0, 10), (10, 300), (300, 310)], max_chars=100, overlap=1) == [(0, 10), (10, 300), (300, 310)]


def test_sample_chunks_are_exact():
    chunks = _sample()
    assert [(c.kind, c.text, c.section, c.lines) for c in chunks[:4]] == [
        ("heading", "一、总体情况", ("一、总体情况",), (3, 3)),
        ("text", "第一句话。第二句话！第三句？", ("一、总体情况",), (5, 5)),
        ("heading", "（一）分项", ("一、总体情况", "（一）分项"), (7, 7)),
        # joined across the page break, its lines spanning both halves
        ("text", "这一段在分页处被截断了，然后继续。最后一句。", ("一、总体情况", "（一）分项"), (9, 11)),
    ]


def test_table_rows_become_readable_sentences():
    rows = [c for c in _sample() if c.kind == "table_row"]
    assert len(rows) == 2
    first = rows[0].text
    assert first.startswith("表2-1 测试指标统计表 第1行：生产安全事故起数下降；")
    for part in ("规划目标 >20%", "2020年基数 33", "2021年实际数 17", "2022年实际数 10", "-69.70%"):
        assert part in first
    assert rows[0].lines == (16, 16) and rows[1].lines == (17, 17)


def test_ids_are_stable_and_unique():
    first, second = _sample(), _sample()
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    assert all(len(c.id) == 16 for c in first)


def test_repeated_sentences_get_distinct_ids():
    text = "标题\n\n一、章\n\n重复的话。\n\n重复的话。\n"
    chunks = [c for c in chunk_document(parse_text(text, "r.txt"), text) if c.kind == "text"]
    assert [c.text for c in chunks] == ["重复的话。", "重复的话。"]
    assert chunks[0].id != chunks[1].id


def test_keyword_text_puts_the_chunk_under_its_heading():
    chunks = _sample()
    assert keyword_text(chunks[1]) == "一、总体情况：第一句话。第二句话！第三句？"
    assert keyword_text(chunks[2]) == "一、总体情况 （一）分项"


def test_report_chunks_are_verbatim_bounded_and_traceable():
    doc = parse_file(REPORT)
    source = read_text(REPORT)
    lines = source.split("\n")
    paragraphs = {b.text for b in doc.blocks if b.kind in ("paragraph", "caption")}
    chunks = chunk_document(doc, source)
    text_chunks = [c for c in chunks if c.kind == "text"]
    assert len(text_chunks) > 200
    for c in text_chunks:
        # verbatim: inside one paragraph, so never across a paragraph or section boundary
        assert any(c.text in p for p in paragraphs), c.text[:40]
        # longer than the limit only when it is one sentence
        assert len(c.text) <= MAX_CHARS or len(split_sentences(c.text)) == 1
        # its lines hold it, and no narrower range does
        a, b = c.lines
        squeezed = _squeeze(c.text)
        assert squeezed in _squeeze("".join(lines[a - 1 : b])), (c.lines, c.text[:30])
        if a < b:
            assert squeezed not in _squeeze("".join(lines[a:b]))
            assert squeezed not in _squeeze("".join(lines[a - 1 : b - 1]))
    rows = [c for c in chunks if c.kind == "table_row"]
    assert sum(c.text.startswith("表2-1 “十四五”以来安全生产相关指标统计表 第") for c in rows) == 13
