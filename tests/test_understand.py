"""qa.understand: years, normalisation, measures, units, intents and follow-up questions."""

from __future__ import annotations

import pytest

from qa.understand import content_terms, is_followup, normalise, read_years, resolve_followup, synonyms_of, understand

# ---- years --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, years",
    [
        ("2022年生产安全事故死亡人数", (2022,)),
        ("22年生产安全事故起数", (2022,)),
        ("2022年度事故起数", (2022,)),
        ("2021年、2022年特种设备事故死亡人数各是多少", (2021, 2022)),
        ("生产安全事故起数", ()),
    ],
)
def test_years_as_printed_or_short(question, years):
    q = understand(question)
    assert q.years == years
    assert q.year_note == ""


@pytest.mark.parametrize(
    "question, year, note",
    [
        ("去年事故起数", 2022, "去年 → 2022年（按报告成文时间2023年）"),
        ("前年死了多少人", 2021, "前年 → 2021年（按报告成文时间2023年）"),
    ],
)
def test_relative_years_are_read_against_the_report_year_with_a_note(question, year, note):
    q = understand(question, report_year=2023)
    assert q.years == (year,)
    assert q.year_note == note


def test_relative_year_follows_the_report_year_given():
    assert read_years("去年事故起数", 2025) == ([2024], [], "去年 → 2024年（按报告成文时间2025年）")


def test_year_after_bi_is_a_base_year():
    q = understand("2022年生产安全事故起数比2021年少了多少")
    assert (q.years, q.base_years) == ((2022,), (2021,))


def test_short_years_outside_the_plausible_range_are_ignored():
    assert read_years("近50年一遇", 2023) == ([], [], "")


# ---- normalisation ------------------------------------------------------------------------------


def test_full_width_digits_are_normalised():
    assert normalise("２０２２年事故起数") == "2022年事故起数"
    assert understand("２０２２年事故起数").years == (2022,)


def test_traditional_characters_are_simplified():
    assert normalise("生產安全事故起數") == "生产安全事故起数"
    assert understand("2022年生產安全事故起數").text == "2022年生产安全事故起数"


def test_control_characters_and_outer_spaces_are_dropped():
    assert normalise("  2022年\u0007事故起数\u200b  ") == "2022年事故起数"


# ---- measures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, measures",
    [
        ("运营车辆万车死亡率的规划目标", ("target",)),
        ("亿元企业二级安全标准化创建的2020年基数是多少家", ("base",)),
        ("生产安全事故死亡人数比2020年降了多少", ("change",)),
        ("比2020年降了多少", ("change",)),
        ("运营车辆万车死亡率 2022年实际数", ("actual",)),
        ("2022年生产安全事故起数", ()),
    ],
)
def test_measures(question, measures):
    assert understand(question).measures == measures


def test_comparison_against_2020_alone_asks_for_the_change_column():
    q = understand("2022年生产安全事故起数比2020年降了多少", base_year=2020)  # the tables' 基数 year
    assert (q.years, q.base_years, q.intent) == ((2022,), (2020,), "figure")
    assert "change" in q.measures


# ---- asked units --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, units",
    [
        ("奖补资金发了多少钱", ("元",)),
        ("2021年累计培训了多少人", ("人", "名", "人次")),  # attendance is counted in 人次
        ("智慧安监平台注册了多少家企业", ("家", "个", "户", "所")),  # measure words accepted for one another
        ("安全学校开课多少场次", ("场次", "场")),
        ("普查的航道有多长", ("公里", "km", "米")),
        ("高新技术产业产值占比是多少", ("%",)),
        ("危险废物违法处罚金额", ("元",)),
    ],
)
def test_asked_units(question, units):
    # order matters (the first is preferred); a unit named twice counts once
    assert tuple(dict.fromkeys(understand(question).units)) == units


def test_count_of_penalties_is_not_read_as_an_amount():
    q = understand("交通专项行动行政处罚了多少起")
    assert q.units == ("起",)
    assert "处罚金额" not in q.text


def test_colloquial_phrasing_is_rewritten_to_the_reports_words():
    assert understand("前年死了多少人").text == "前年死亡人数是多少"
    assert understand("危废罚了多少钱").text == "危废处罚金额是多少"


# ---- intents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, intent",
    [
        ("隐患排查治理在哪一节", "section"),
        ("信用体系建设在报告哪部分", "section"),
        ("2022年比2021年少了多少", "compare"),
        ("2022年生产安全事故起数比2021年少了多少", "compare"),
        ("城镇住宅和城镇非住宅哪个多", "compare"),
        ("高新技术企业数量是多少", "figure"),
        ("2022年生产安全事故起数", "figure"),
        ("评估遵循哪几条原则", "passage"),
        ("昆山市应急管理局局长是谁", "who"),
    ],
)
def test_intents(question, intent):
    assert understand(question).intent == intent


def test_compare_question_is_split_into_parts():
    q = understand("城镇住宅和城镇非住宅哪个多")
    assert q.parts == ("城镇住宅", "城镇非住宅哪个多")


def test_places_are_noticed():
    # Which place is the documents' own is decided against their titles (tests/test_answer.py).
    assert understand("苏州市2022年生产安全事故死亡人数").places == ("苏州市",)
    assert understand("昆山市2022年生产安全事故死亡人数").places == ("昆山市",)


# ---- content terms ------------------------------------------------------------------------------


def test_content_terms_drop_stopwords_years_and_numbers():
    # how jieba segments depends on the words the answerer has taught it, so compare the joined terms
    assert "".join(content_terms("2022年全市生产安全事故死亡人数是多少")) == "生产安全事故死亡人数"
    assert content_terms("2022年的是多少") == ()
    assert content_terms("22年共15起") == ()


def test_relative_year_words_are_not_content_terms():
    q = understand("去年全市发生几起生产安全事故")
    assert "去年" not in q.terms
    assert "前年" not in understand("前年死了多少人").terms


def test_question_counters_are_not_content_terms():
    assert "几起" not in understand("2022年有几起生产安全事故").terms
    assert "几起" not in understand("2021年全市安全生产事故有几起").terms


def test_synonyms_are_looked_up_in_either_direction():
    assert synonyms_of("安责险") == ("安全生产责任险", "安责险", "安全生产责任保险", "安责")
    assert synonyms_of("GDP") == synonyms_of("地区生产总值")
    assert synonyms_of("无关词") == ("无关词",)


# ---- follow-ups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, expected",
    [
        ("那2021年呢？", True),
        ("死亡人数呢", True),
        ("另外，罚款金额是多少", True),
        ("2022年生产安全事故起数", False),
        ("2022年全市生产安全事故死亡人数与2021年相比减少了多少呢？这个数字是否达到了规划目标", False),
    ],
)
def test_is_followup(question, expected):
    assert is_followup(question) is expected


def test_followup_with_a_new_year_keeps_the_subject():
    resolved = resolve_followup("那2021年呢？", ["2022年生产安全事故死亡人数"])
    assert resolved == "2021年生产安全事故死亡人数"


def test_followup_with_a_new_subject_keeps_the_year():
    resolved = resolve_followup("死亡人数呢？", ["2022年生产安全事故起数"])
    assert resolved == "2022年死亡人数"


def test_followup_with_a_relative_year():
    assert resolve_followup("那去年呢？", ["2021年生产安全事故死亡人数"]) == "2022年生产安全事故死亡人数"


def test_followup_uses_the_latest_question():
    history = ["高新技术企业有多少家", "2022年生产安全事故起数"]
    assert resolve_followup("那2021年呢？", history) == "2021年生产安全事故起数"


def test_followup_of_a_question_without_year_prefixes_the_year():
    assert resolve_followup("那2021年呢？", ["生产安全事故起数"]) == "2021年生产安全事故起数"


def test_no_history_or_a_full_question_is_left_alone():
    assert resolve_followup("那2021年呢？", []) == "那2021年呢？"
    full = "2022年建筑工地安全检查次数"
    assert resolve_followup(full, ["2022年生产安全事故起数"]) == full


def test_question_words_sit_on_the_keyword_dictionary_without_changing_it():
    from qa import keyword, understand

    base, tok = keyword.base_tokenizer(), understand._jieba()
    assert tok.FREQ.maps[-1] is base.FREQ  # one copy of jieba's dictionary
    understand.add_words(["甲乙丙丁戊己"])
    assert tok.FREQ.get("甲乙丙丁戊己") and "甲乙丙丁戊己" not in base.FREQ
    assert "甲乙丙丁戊己" not in keyword.tokenize("甲乙丙丁戊己", bigrams=False)
    assert "甲乙丙丁戊己" in understand.tokenize("甲乙丙丁戊己的数量")
