"""The synthetic corpus generator: documents parse like the report, titles differ, questions have one answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from synth import generate

from qa.evaluate import contains
from qa.parse import heading_of, parse_file, parse_text
from qa.tables import table_records

REPORT = Path(__file__).resolve().parent.parent / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
SOURCE = REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    return out, generate(SOURCE, 4, out, seed=11)


def test_documents_parse_like_the_report(made):
    out, docs = made
    original = parse_text(SOURCE, REPORT.name)
    for d in docs:
        parsed = parse_file(out / d["doc"])
        assert len(parsed.toc) == len(original.toc)
        assert sum(b.kind == "table" for b in parsed.blocks) == sum(b.kind == "table" for b in original.blocks)
        assert len(table_records(parsed)) == len(table_records(original))
        headings = [b for b in parsed.blocks if b.kind == "heading"]
        assert len(headings) == sum(b.kind == "heading" for b in original.blocks)
        assert all(b.page is not None for b in headings)


def test_sections_are_shuffled_and_renumbered(made):
    out, docs = made
    original = [b.text for b in parse_text(SOURCE, REPORT.name).blocks if b.kind == "heading" and b.level == 2]
    for d in docs:
        parsed = parse_file(out / d["doc"])
        level2 = [b for b in parsed.blocks if b.kind == "heading" and b.level == 2]
        assert sorted(_title(b.text) for b in level2) == sorted(_title(t) for t in original)
        by_chapter: dict[str, list[str]] = {}
        for b in level2:
            by_chapter.setdefault(b.section[0], []).append(heading_of(b.text)[1])
        for numbers in by_chapter.values():
            assert numbers == list("一二三四五六七八九")[: len(numbers)]
    orders = {
        tuple(_title(b.text) for b in parse_file(out / d["doc"]).blocks if b.kind == "heading" and b.level == 2)
        for d in docs
    }
    assert len(orders) > 1


def test_titles_are_distinct_and_name_the_place(made):
    _, docs = made
    titles = [d["title"] for d in docs]
    assert len(set(titles)) == len(titles)
    for d in docs:
        assert d["title"].startswith(d["place"] + "市")
        assert "昆山" not in (made[0] / d["doc"]).read_text("utf-8")


def test_years_are_shifted(made):
    out, docs = made
    for d in docs:
        text = (out / d["doc"]).read_text("utf-8")
        assert f"{2023 + d['year_shift']}年6月" in text


def test_expected_figures_occur_only_in_their_own_document(made):
    out, docs = made
    texts = {d["doc"]: (out / d["doc"]).read_text("utf-8") for d in docs}
    assert all(d["questions"] for d in docs)
    for d in docs:
        for q in d["questions"]:
            assert q["doc"] == d["doc"]
            assert d["place"] in q["question"]
            assert contains(texts[d["doc"]], q["expected_raw"])
            assert not contains(SOURCE, q["expected"])
            others = [name for name, text in texts.items() if name != d["doc"] and contains(text, q["expected"])]
            assert others == []


def test_same_seed_same_corpus(tmp_path):
    a = generate(SOURCE, 2, tmp_path / "a", seed=5)
    b = generate(SOURCE, 2, tmp_path / "b", seed=5)
    assert a == b
    assert (tmp_path / "a" / "synth-001.txt").read_bytes() == (tmp_path / "b" / "synth-001.txt").read_bytes()


def test_too_many_documents_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at most"):
        generate(SOURCE, 1000, tmp_path, seed=1)


def _title(text: str) -> str:
    return re.sub(r"\s", "", heading_of(text)[2])
