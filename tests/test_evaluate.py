"""qa.evaluate: the scoring rules of tests/gold/README.md."""

from __future__ import annotations

import json

import pytest

from qa.evaluate import (
    contains,
    evidence_hit,
    load_gold,
    longest_common_run,
    norm,
    percentile,
    score_item,
    summarise,
    ungrounded,
)

# ---- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "haystack, needle, expected",
    [
        ("2022年发生10起", "10", True),
        ("2010年", "10", False),  # not inside a year
        ("10723家", "10", False),  # not the start of a longer number
        ("共210起", "10", False),
        ("降幅-60.00%", "60", True),  # a sign and decimals around it are fine
        ("0.0012", "0.001", False),
        ("0.0012", "0.0012", True),
        ("为1.36", "1.36", True),
        ("规划目标 >20%", "20%", True),
        ("1,234家", "1234", True),  # thousands separators are dropped
        ("１０起", "10", True),  # full-width digits are normalised
        ("按100年 一遇设防", "100年一遇", True),  # whitespace is dropped
        ("城镇非住宅", "城镇非住宅", True),
        ("城镇住宅", "城镇非住宅", False),
        ("任何文字", "", True),
    ],
)
def test_contains_respects_digit_boundaries(haystack, needle, expected):
    assert contains(haystack, needle) is expected


def test_norm():
    assert norm(" １，２３４ 家\n") == "1234家"
    assert norm("a b\tc") == "abc"


def test_norm_keeps_numbers_apart_across_a_chinese_comma():
    assert norm("2022年10，2021年17") == "2022年10,2021年17"
    assert contains("2022年10，2021年17，减少7", "10")
    assert ungrounded("2022年10，2021年17", "2021年17起，2022年10起") == []


def test_longest_common_run():
    assert longest_common_run("abcdef", "xxcdey") == 3
    assert longest_common_run("", "abc") == 0
    assert longest_common_run("生产安全事故", "安全生产事故") == 2


# ---- evidence -----------------------------------------------------------------------------------

EVIDENCE = "0123456789"  # ten characters: a hit needs a run of at least six


@pytest.mark.parametrize(
    "text, expected",
    [
        ("xx012345yy", True),  # six in a row
        ("xx01234yy", False),  # five
        ("0123xx4567", False),  # eight in all, but no run of six
        ("  0 1 2 3 4 5  ", True),  # whitespace does not count
    ],
)
def test_evidence_hit_needs_one_run_of_sixty_percent(text, expected):
    assert evidence_hit([{"text": text}], [EVIDENCE]) is expected


def test_evidence_hit_looks_at_the_first_five_citations_only():
    misses = [{"text": "nothing"}] * 5
    assert evidence_hit(misses + [{"text": EVIDENCE}], [EVIDENCE]) is False
    assert evidence_hit(misses[:4] + [{"text": EVIDENCE}], [EVIDENCE]) is True


def test_evidence_hit_any_of_several_evidence_strings():
    assert evidence_hit([{"text": "abcdefghij"}], ["zzzzzzzzzz", "abcdefgh"]) is True
    assert evidence_hit([], [EVIDENCE]) is False


def test_evidence_with_tabs_matches_a_row_sentence_only_by_its_longest_run():
    row = "1\t生产安全事故起数下降\t>20%\t33\t17\t-48.48%\t10\t-69.70%"
    sentence = "表2-1 第1行：生产安全事故起数下降；规划目标 >20%；2020年基数 33。"
    assert evidence_hit([{"text": sentence}], [row]) is False


# ---- grounding ----------------------------------------------------------------------------------


def test_ungrounded_lists_numbers_the_report_never_prints():
    report = "2022年全市共发生各类安全生产事故10起，死亡6人。"
    assert ungrounded("10起，死亡6人", report) == []
    assert ungrounded("10起，死亡7人", report) == ["7"]
    assert ungrounded("共1起", report) == ["1"]  # 1 only occurs inside 10 and 2022
    assert ungrounded("无数字", report) == []


# ---- scoring ------------------------------------------------------------------------------------

REPORT = "2022年全市共发生各类安全生产事故10起。2021年17起。"


def result(answer: str, kind: str = "figure", citations=(), latency: float = 5.0) -> dict:
    return {"answer": answer, "kind": kind, "citations": list(citations), "latency_ms": latency}


def test_figure_must_lead_the_answer():
    item = {"category": "table", "must_contain": ["10"], "evidence": []}
    assert score_item(item, result("10起 —— 表2-1"), REPORT).correct is True
    late = "说明" * 60 + "10起"
    assert score_item(item, result(late), REPORT).correct is False
    assert score_item({**item, "category": "descriptive"}, result(late), REPORT).correct is True


def test_refusals_are_scored():
    unans = {"category": "unanswerable", "must_contain": [], "evidence": []}
    refused = score_item(unans, result("报告中未找到", "not_found"), REPORT)
    assert (refused.correct, refused.refused) == (True, True)
    answered = score_item(unans, result("10起"), REPORT)
    assert (answered.correct, answered.refused) == (False, False)
    false_refusal = score_item(
        {"category": "table", "must_contain": ["10"], "evidence": []}, result("报告中未找到", "not_found"), REPORT
    )
    assert (false_refusal.correct, false_refusal.refused) == (False, True)


def test_ungrounded_numbers_are_counted_except_for_computed_answers():
    item = {"category": "table", "must_contain": ["10"], "evidence": []}
    assert score_item(item, result("10起，另有99起"), REPORT).ungrounded == ["99"]
    assert score_item(item, result("10起，减少7起", "computed"), REPORT).ungrounded == []


def test_evidence_is_scored_only_for_evidence_categories():
    cites = [{"text": "2022年全市共发生各类安全生产事故10起。"}]
    prose = {"category": "prose_number", "must_contain": ["10"], "evidence": ["全市共发生各类安全生产事故10起"]}
    assert score_item(prose, result("10起", citations=cites), REPORT).evidence is True
    table = {**prose, "category": "table"}
    assert score_item(table, result("10起", citations=cites), REPORT).evidence is None


def test_summarise():
    items = [
        ({"category": "table", "must_contain": ["10"], "evidence": []}, result("10起", latency=10.0)),
        (
            {"category": "table", "must_contain": ["17"], "evidence": []},
            result("报告中未找到", "not_found", latency=20.0),
        ),
        (
            {"category": "unanswerable", "must_contain": [], "evidence": []},
            result("报告中未找到", "not_found", latency=30.0),
        ),
        (
            {"category": "prose_number", "must_contain": ["10"], "evidence": ["共发生各类安全生产事故10起"]},
            result("10起", citations=[{"text": REPORT}], latency=40.0),
        ),
    ]
    summary = summarise([score_item(i, r, REPORT) for i, r in items])
    assert summary == {
        "questions": 4,
        "accuracy": 0.75,  # the correct refusal counts
        "answerable_accuracy": round(2 / 3, 4),
        "accuracy_by_category": {"prose_number": 1.0, "table": 0.5, "unanswerable": 1.0},
        "evidence_hit_at_5": 1.0,
        "correct_refusals": "1/1",
        "false_refusals": 1,
        "ungrounded_numbers": 0,
        "latency_ms_p50": 30.0,  # nearest rank: index round(0.5 × 3) = 2
        "latency_ms_p95": 40.0,
        "figure_latency_ms_p95": 40.0,
    }


def test_percentile():
    assert percentile([], 50) == 0.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == 4.0


def test_load_gold_skips_blank_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    rows = [{"id": "X1", "question": "问", "category": "table", "must_contain": ["1"], "evidence": []}]
    path.write_text("\n" + json.dumps(rows[0], ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert load_gold(path) == rows


def test_ungrounded_keeps_table_cells_apart():
    report = "3\t亿元地区生产总值生产安全事故死亡率降至\t0.0112\t0.0035\t0.0025"
    assert ungrounded("基数为0.0035", report) == []
    assert ungrounded("0.01120.0035", report) != []
