"""qa.tables on the real report: typed cell records, column meanings, the census table filled down."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.parse import Document, parse_file, parse_text, read_text
from qa.tables import column_meaning, parse_value, row_sentences, table_records
from qa.types import TableRecord

REPORT = Path(__file__).resolve().parent.parent / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
T21 = "表2-1 “十四五”以来安全生产相关指标统计表"
T22 = "表2-2 “十四五”以来防灾减灾相关指标统计表"
CENSUS = "普查成果分类统计"


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_file(REPORT)


@pytest.fixture(scope="module")
def records(doc) -> list[TableRecord]:
    return table_records(doc)


def cell(records, table: str, row: int, column: str) -> TableRecord:
    found = [r for r in records if r.table == table and r.row == row and r.column == column]
    assert len(found) == 1, [r.column for r in records if r.table == table and r.row == row]
    return found[0]


def census_row(records, row: int) -> TableRecord:
    found = [r for r in records if r.table == CENSUS and r.row == row]
    assert len(found) == 1
    return found[0]


# ---- indicator tables ---------------------------------------------------------------------------


def test_actual_cell_is_typed(records):
    r = cell(records, T21, 2, "2022年实际数")
    assert (r.indicator, r.raw, r.value, r.unit, r.measure, r.year) == (
        "生产安全事故死亡人数下降",
        "6",
        6.0,
        "",
        "actual",
        2022,
    )
    assert r.lines == (143, 143)
    assert r.section == ("二、主要指标完成情况",)
    assert r.page == 6
    assert r.doc == "kunshan-safety-plan-midterm-evaluation-2023.txt"


def test_change_column_takes_its_year_from_the_group_header(records):
    r = cell(records, T21, 2, "2022年比2020年降幅(±%)")
    assert (r.raw, r.value, r.unit, r.measure, r.year) == ("-60.00%", -60.0, "%", "change", 2022)
    r21 = cell(records, T21, 2, "2021年比2020年降幅(±%)")
    assert (r21.raw, r21.measure, r21.year) == ("-20.00%", "change", 2021)


def test_target_with_comparison_sign_has_no_value(records):
    r = cell(records, T21, 2, "规划目标")
    assert (r.raw, r.value, r.unit, r.measure, r.year) == (">20%", None, "%", "target", None)


def test_base_column(records):
    r = cell(records, T21, 1, "2020年基数")
    assert (r.raw, r.value, r.measure, r.year) == ("33", 33.0, "base", 2020)


def test_row_columns_in_order(records):
    row = [r for r in records if r.table == T21 and r.row == 1]
    assert [(r.column, r.raw) for r in row] == [
        ("规划目标", ">20%"),
        ("2020年基数", "33"),
        ("2021年实际数", "17"),
        ("2021年比2020年降幅(±%)", "-48.48%"),
        ("2022年实际数", "10"),
        ("2022年比2020年降幅(±%)", "-69.70%"),
    ]


def test_row_context_is_a_readable_sentence(records):
    r = cell(records, T21, 1, "2022年实际数")
    assert r.context == (
        f"{T21} 第1行：生产安全事故起数下降；规划目标 >20%；2020年基数 33；2021年实际数 17；"
        "2021年比2020年降幅(±%) -48.48%；2022年实际数 10；2022年比2020年降幅(±%) -69.70%。"
    )


def test_spaces_inside_header_words_are_squeezed(records):
    r = cell(records, T22, 3, "2022年实际数")
    assert (r.indicator, r.raw, r.value, r.year) == ("年均每十万人受灾人次", "1374", 1374.0, 2022)
    assert {x.column for x in records if x.table == T22} == {
        "规划目标",
        "2020年基数",
        "2021年实际数",
        "2021年比2020年降幅(±%)",
        "2022年实际数",
        "2022年比2020年降幅(±%)",
    }


def test_wrapped_target_cell_is_one_record(records):
    r = cell(records, T22, 5, "规划目标")
    assert r.raw.endswith("治涝按20年一遇标准建设；新、改建雨水管网按照3-5年标准建设")
    assert r.value is None
    assert r.lines == (195, 199)


def test_empty_cells_give_empty_records(records):
    r = cell(records, T22, 6, "2022年比2020年降幅(±%)")
    assert (r.raw, r.value) == ("", None)


# ---- census table -------------------------------------------------------------------------------


def test_census_row_path_is_filled_down(records):
    r = census_row(records, 2)
    assert (r.indicator, r.raw, r.value, r.unit) == ("医疗卫生机构", "40个", 40.0, "个")
    assert r.context == f"{CENSUS} 第2行：应急管理局 > 承灾体 > 公共服务设施 > 医疗卫生机构；完成调查数量 40个。"
    assert (r.column, r.measure, r.year) == ("完成调查数量", "count", None)


def test_census_shifted_row_keeps_its_department(records):
    r = census_row(records, 28)
    assert (r.indicator, r.raw, r.value, r.unit) == ("城镇非住宅", "56145栋", 56145.0, "栋")
    assert r.context == f"{CENSUS} 第28行：住建局 > 承灾体 > 房屋建筑 > 城镇非住宅；完成调查数量 56145栋。"


def test_census_row_36_keeps_the_housing_department(records):
    r = census_row(records, 36)
    assert (r.indicator, r.raw) == ("工程勘察钻孔", "1个")
    assert r.context == f"{CENSUS} 第36行：住建局 > 地震灾害 > 地震工程 > 工程勘察钻孔；完成调查数量 1个。"


@pytest.mark.parametrize(
    "row, indicator, raw, value, unit",
    [
        (1, "学校", "274个", 274.0, "个"),
        (27, "城镇住宅", "52221栋", 52221.0, "栋"),
        (38, "公路", "1397.513 公里", 1397.513, "公里"),
        (39, "航道", "26.13公里", 26.13, "公里"),
        (43, "输水管道", "72.02km", 72.02, "km"),
        (46, "森林可燃物标准地样地调查和野外火源调查、历史火灾调查和减灾能力调查", "1595个", 1595.0, "个"),
    ],
)
def test_census_values(records, row, indicator, raw, value, unit):
    r = census_row(records, row)
    assert (r.indicator, r.raw, r.value, r.unit) == (indicator, raw, value, unit)


def test_census_has_one_record_per_row(records):
    assert [r.row for r in records if r.table == CENSUS] == list(range(1, 47))


def test_census_department_changes_at_each_new_department(records):
    departments = {r.row: r.context.split("：", 1)[1].split(" > ")[0] for r in records if r.table == CENSUS}
    assert {departments[n] for n in range(1, 27)} == {"应急管理局"}
    assert {departments[n] for n in range(27, 38)} == {"住建局"}
    assert {departments[n] for n in (38, 39)} == {"交通运输局"}
    assert {departments[n] for n in range(40, 45)} == {"水务局"}
    assert (departments[45], departments[46]) == ("气象局", "资规局")


# ---- grounding ----------------------------------------------------------------------------------


def test_every_raw_cell_occurs_in_the_source(records):
    source = read_text(REPORT)
    split_over_lines = {(T22, 5, "规划目标"), (CENSUS, 39, "完成调查数量")}
    for r in records:
        if (r.table, r.row, r.column) in split_over_lines:
            continue
        assert r.raw in source, (r.table, r.row, r.column, r.raw)


def test_cells_split_over_lines_are_the_pieces_of_their_lines(records):
    lines = read_text(REPORT).split("\n")
    r = census_row(records, 39)
    first, last = lines[r.lines[0] - 1], lines[r.lines[1] - 1]
    assert first.split("\t")[5] + last.split("\t")[5] == r.raw == "26.13公里"
    t = cell(records, T22, 5, "规划目标")
    first, last = lines[t.lines[0] - 1], lines[t.lines[1] - 1]
    assert first.split("\t")[2] + last.split("\t")[2] == t.raw


def test_every_record_line_range_lies_inside_its_table(doc, records):
    spans = {b.title: (b.loc.line_start, b.loc.line_end) for b in doc.blocks if b.kind == "table"}
    for r in records:
        start, end = spans[r.table]
        assert start <= r.lines[0] <= r.lines[1] <= end


# ---- row sentences ------------------------------------------------------------------------------


def test_row_sentences_one_per_row(doc):
    rows = row_sentences(doc)
    assert len(rows) == 13 + 7 + 2 + 46
    block, lines, text = rows[0]
    assert block.title == T21
    assert lines == (142, 142)
    assert text.startswith(f"{T21} 第1行：生产安全事故起数下降；规划目标 >20%；")


# ---- parse_value and column_meaning -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("6", (6.0, "")),
        ("0.0012", (0.0012, "")),
        ("-60.00%", (-60.0, "%")),
        ("−5", (-5.0, "")),
        ("+3.5%", (3.5, "%")),
        ("101.84万", (101.84, "万")),
        ("1397.513 公里", (1397.513, "公里")),
        ("72.02km", (72.02, "km")),
        ("274个", (274.0, "个")),
        (">20%", (None, "%")),
        ("<0.15%", (None, "%")),
        ("≥1名", (None, "名")),
        ("≥75%", (None, "%")),
        ("<15000", (None, "")),
        ("/", (None, "")),
        ("—", (None, "")),
        ("", (None, "")),
        ("  ", (None, "")),
        ("流域骨干工程按照防御100年一遇洪水标准建设", (None, "")),
    ],
)
def test_parse_value(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize(
    "label, expected",
    [
        ("规划目标", ("target", None)),
        ("2020年基数", ("base", 2020)),
        ("2021年实际数", ("actual", 2021)),
        ("2022年比2020年降幅(±%)", ("change", 2022)),
        ("完成调查数量", ("count", None)),
    ],
)
def test_column_meaning(label, expected):
    assert column_meaning(label) == expected


def test_single_header_table_in_a_mini_report():
    text = "报告\n\n一、情况\n\n表1-1 指标表\n\n序号\t指标\t2021年实际数\t2022年实际数\n1\t检查企业\t120家\t135家\n"
    recs = table_records(parse_text(text, "mini.txt"))
    assert [(r.row, r.indicator, r.column, r.measure, r.year, r.raw, r.value, r.unit) for r in recs] == [
        (1, "检查企业", "2021年实际数", "actual", 2021, "120家", 120.0, "家"),
        (1, "检查企业", "2022年实际数", "actual", 2022, "135家", 135.0, "家"),
    ]
    assert recs[0].table == "表1-1 指标表"
    assert recs[0].context == "表1-1 指标表 第1行：检查企业；2021年实际数 120家；2022年实际数 135家。"
