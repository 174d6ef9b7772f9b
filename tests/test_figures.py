"""qa.figures: quantities in running text, as printed, with unit, year and clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.figures import clauses, extract_figures, find_figures, sentences, years_in
from qa.parse import parse_file, parse_text
from qa.types import Figure

REPORT = Path(__file__).resolve().parent.parent / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"


@pytest.fixture(scope="module")
def figures() -> list[Figure]:
    return extract_figures(parse_file(REPORT))


def only(figures, raw: str, clause_part: str = "") -> Figure:
    found = [f for f in figures if f.raw == raw and clause_part in f.clause]
    assert len(found) == 1, [(f.raw, f.clause) for f in found]
    return found[0]


def figures_of(text: str) -> list[tuple[str, float, str, str]]:
    """(raw, value, unit, year) of every figure in a one-paragraph mini report."""
    doc = parse_text(f"报告\n\n一、情况\n\n{text}\n", "mini.txt")
    return [(f.raw, f.value, f.unit, f.year) for f in extract_figures(doc)]


# ---- on the real report -------------------------------------------------------------------------


def test_amount_joined_across_a_page_break_keeps_its_unit(figures):
    f = only(figures, "2051.02万元")
    assert (f.value, f.unit) == (2051.02, "万元")
    assert f.clause == "126个项目累计发放奖补资金2051.02万元。"
    assert f.subject == "126个项目累计发放奖补资金"
    assert f.section == ("三、主要任务实施情况", "（一）城市安全发展体系逐步形成", "4.城市安全发展责任体系不断完善")
    assert f.page == 13
    assert f.lines == (238, 242)


def test_number_with_a_space_before_its_unit_is_kept_as_printed(figures):
    f = only(figures, "6627 件")
    assert (f.value, f.unit, f.clause) == (6627.0, "件", "共调拨 6627 件物资，")


def test_year_after_bi_or_jiao_is_a_base_not_the_figures_year(figures):
    f = only(figures, "1.87%")
    assert f.clause == "较2020年降低1.87%。"
    assert f.year == "2022"
    assert f.sentence.startswith("2022年工业企业较大以上安全风险报告16037家")


def test_year_comes_from_the_clause_first(figures):
    f = only(figures, "17起")
    assert (f.year, f.clause) == ("2021", "2021年全市共发生各类安全生产事故17起，")
    f = only(figures, "10起", "2022年")
    assert f.year == "2022"


def test_bare_figure_stated_as_a_value(figures):
    f = only(figures, "0.0012")
    assert (f.value, f.unit, f.year) == (0.0012, "", "2022")
    assert f.clause == "2022年亿元GDP生产安全事故死亡率为0.0012，"


def test_scale_words_stay_in_the_unit(figures):
    f = only(figures, "65万余处")
    assert (f.value, f.unit) == (65.0, "万余处")
    f = only(figures, "3.2万平方米", "基地占地46.5亩、建筑面积3.2万平方米，")
    assert (f.value, f.unit) == (3.2, "万平方米")


def test_figures_come_only_from_paragraphs(figures):
    # the census table prints 274个; it is a table record, not a prose figure
    assert not any(f.raw == "274个" for f in figures)
    assert all(f.doc == "kunshan-safety-plan-midterm-evaluation-2023.txt" for f in figures)


def test_no_figure_is_a_year_or_a_document_number(figures):
    for f in figures:
        assert f.unit or "." in f.raw, f.raw  # bare figures are decimals stated as values
        before = f.clause[: f.clause.index(f.raw)]
        assert not before.endswith(("〔", "[", "【")), f.clause
        assert not f.raw.rstrip().endswith(("年", "号")), f.raw


def test_every_figure_occurs_in_its_clause_and_sentence(figures):
    for f in figures:
        assert f.raw in f.clause
        assert f.clause in f.sentence


def test_lead_is_the_paragraphs_first_sentence(figures):
    f = only(figures, "5536条")
    assert f.lead == (
        "危险化学品：2022年市、区镇两级累计检查企业2218家次，查改隐患5536条，限期整改企业148家，"
        "责令暂停企业31家，受理办结举报投诉47件。"
    )
    assert f.clause == "查改隐患5536条，"
    assert f.year == "2022"


def test_change_in_a_sentence_with_a_bracketed_base_belongs_to_the_sentence_year(figures):
    f = only(figures, "20%", "2020年基数15人")
    assert f.year == "2021"


# ---- on small texts -----------------------------------------------------------------------------


def test_document_numbers_and_years_are_not_figures():
    assert figures_of("出台《实施方案》（昆办发〔2022〕60号），2022年完成检查15次。") == [("15次", 15.0, "次", "2022")]


def test_bare_number_after_wei_is_a_figure():
    assert figures_of("2022年亿元GDP生产安全事故死亡率为0.0012。") == [("0.0012", 0.0012, "", "2022")]


def test_bare_number_without_a_verb_is_not_a_figure():
    assert figures_of("按照第3版标准，于2021年6月完成修订。") == []


def test_percent_and_full_width_percent():
    assert figures_of("平安校园创建率达90%，覆盖率达100％。") == [("90%", 90.0, "%", ""), ("100％", 100.0, "％", "")]


def test_longest_unit_wins():
    assert [m.group(0) for m in find_figures("检查8188家次，出动17789人次，建筑面积3.2万平方米")] == [
        "8188家次",
        "17789人次",
        "3.2万平方米",
    ]


def test_number_inside_a_bracketed_document_number_is_skipped():
    assert find_figures("〔2021〕183号") == []


def test_years_in_skips_comparison_bases():
    assert years_in("2022年比2021年增加5起，较2020年下降") == ["2022"]
    assert years_in("《昆山国土空间总体规划（2021-2035年）》") == ["2021", "2035"]


def test_sentences_and_clauses_keep_their_punctuation():
    assert sentences("甲完成5项。乙完成6项；丙？") == ["甲完成5项。", "乙完成6项；", "丙？"]
    assert clauses("甲完成5项，乙完成6项：丙。") == ["甲完成5项，", "乙完成6项：", "丙。"]


def test_clauses_split_at_ascii_commas_between_words():
    assert clauses("基地占地46.5亩,建筑面积3.2万平方米,计划2023年底竣工验收。") == [
        "基地占地46.5亩,",
        "建筑面积3.2万平方米,",
        "计划2023年底竣工验收。",
    ]
