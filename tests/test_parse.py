"""qa.parse on the real report: title, table of contents, sections and pages, page-break repairs, tables."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from qa.errors import CorpusError
from qa.parse import Document, heading_of, parse_file, parse_text, read_text

REPORT = Path(__file__).resolve().parent.parent / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
TITLE = "昆山市安全发展和应急管理“十四五”规划暨安全发展城市建设规划实施情况中期评估报告"


@pytest.fixture(scope="module")
def source() -> str:
    return read_text(REPORT)


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_file(REPORT)


def block_at(doc: Document, line: int, kind: str = "paragraph"):
    """The block of a kind whose source lines cover a line."""
    found = [b for b in doc.blocks if b.kind == kind and b.loc.line_start <= line <= b.loc.line_end]
    assert len(found) == 1, f"{len(found)} {kind} blocks at line {line}"
    return found[0]


def table_titled(doc: Document, prefix: str):
    found = [b for b in doc.blocks if b.kind == "table" and b.title.startswith(prefix)]
    assert len(found) == 1
    return found[0]


# ---- title and table of contents ----------------------------------------------------------------


def test_title_is_the_first_group_of_lines(doc):
    assert doc.name == "kunshan-safety-plan-midterm-evaluation-2023.txt"
    assert doc.title == TITLE


def test_toc_is_read_with_numbering_keys_and_printed_pages(doc):
    assert len(doc.toc) == 79
    assert doc.toc[0] == (("引言",), "引 言", 1)
    assert doc.toc[1] == (("一",), "一、评估目的、重点、方法和原则", 3)
    assert (("三", "二", "5"), "5.隐患排查治理不断深入推进", 24) in doc.toc
    # entries whose "- " was lost in extraction ("4.重大风险联防联控不断形成\t22 -") still count
    assert (("三", "二", "4"), "4.重大风险联防联控不断形成", 22) in doc.toc
    # dotted leaders are dropped from the title
    assert (("五",), "五、保障措施落实情况评估", 70) in doc.toc
    assert doc.toc[-1] == (("六", "二"), "（二）《规划》实施后续建议", 82)


def test_toc_lines_are_kept_out_of_the_body(doc):
    # the table of contents runs from line 11 (目 录) to line 94; the body starts at 引 言 on line 96
    assert doc.blocks[0].kind == "heading"
    assert doc.blocks[0].text == "引 言"
    assert doc.blocks[0].loc.line_start == 96
    assert all(b.loc.line_start >= 96 for b in doc.blocks)
    toc_line = re.compile(r"\t\s*-?\s*\d{1,3}\s*-\s*$")
    for b in doc.blocks:
        assert not toc_line.search(b.text.split("\n")[0]), b.text[:40]
        assert not b.text.startswith("引 言\t")


# ---- headings, sections and pages ---------------------------------------------------------------


def test_paragraph_section_path_and_page_come_from_headings_and_toc(doc):
    para = block_at(doc, 296)  # "危险化学品：2022年市、区镇两级累计检查企业2218家次…"
    assert para.text.startswith("危险化学品：2022年市、区镇两级累计检查企业2218家次")
    assert para.section == ("三、主要任务实施情况", "（二）安全风险防控体系日趋完善", "5. 隐患排查治理不断深入推进")
    assert para.page == 24


def test_unnumbered_heading_known_from_toc(doc):
    intro = block_at(doc, 98)
    assert intro.section == ("引 言",)
    assert intro.page == 1


@pytest.mark.parametrize(
    "line, level, text, section, page",
    [
        (577, 2, "(二) 智慧应急能力提升工程", ("四、重点工程进展情况", "(二) 智慧应急能力提升工程"), 63),
        (591, 2, "（三）灾害应对能力提升工程", ("四、重点工程进展情况", "（三）灾害应对能力提升工程"), 64),
        (
            579,
            3,
            "1. 应急指挥系统工程",
            ("四、重点工程进展情况", "(二) 智慧应急能力提升工程", "1. 应急指挥系统工程"),
            63,
        ),
        (
            727,
            4,
            "(1) 《规划》指标完成和评估统计存在缺口",
            (
                "六、《规划》实施评估结论",
                "（一）《规划》实施总体评价",
                "5.规划实施过程中存在的主要问题",
                "(1) 《规划》指标完成和评估统计存在缺口",
            ),
            80,
        ),
    ],
)
def test_headings_full_and_half_width_brackets(doc, line, level, text, section, page):
    h = block_at(doc, line, kind="heading")
    assert (h.level, h.text, h.section, h.page) == (level, text, section, page)


def test_heading_after_a_deeper_one_drops_the_deeper_levels(doc):
    # （三） follows "(二) … > 3. 自然灾害监测预警工程": its paragraph must not keep the 3. level
    para = block_at(doc, 593)
    assert para.section == ("四、重点工程进展情况", "（三）灾害应对能力提升工程")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("(二) 智慧应急能力提升工程", (2, "二", "智慧应急能力提升工程")),
        ("（三）灾害应对能力提升工程", (2, "三", "灾害应对能力提升工程")),
        ("三、主要任务实施情况", (1, "三", "主要任务实施情况")),
        ("5. 隐患排查治理不断深入推进", (3, "5", "隐患排查治理不断深入推进")),
        ("(1) 《规划》指标完成和评估统计存在缺口", (4, "1", "《规划》指标完成和评估统计存在缺口")),
        ("（2）部分主要任务、重点工程推进缓慢", (4, "2", "部分主要任务、重点工程推进缓慢")),
    ],
)
def test_heading_of_recognises_numbering(line, expected):
    assert heading_of(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2. 坚持防抗救一体化，加快建设“全灾种”的应急管理体系。",  # a sentence, ends with 。
        "（1）责任落实。《规划》发布以来，各部门、区镇认真围绕本地区",  # a numbered paragraph
        "3.2万平方米",  # a decimal, not "3."
        "1\t生产安全事故起数下降\t>20%",  # a table row
        "",
    ],
)
def test_heading_of_rejects_sentences_numbers_and_rows(line):
    assert heading_of(line) is None


def test_numbered_paragraph_is_not_a_heading(doc):
    para = block_at(doc, 719)
    assert para.text.startswith("（1）责任落实。")
    assert para.section[-1] == "4.保障措施具体有力"


# ---- page breaks --------------------------------------------------------------------------------


def test_sentence_cut_by_page_break_is_joined(doc):
    para = block_at(doc, 169)
    assert para.text == "4.较大及以上事故起数统计。2021年、2022年全市未发生较大及以上生产安全事故。"
    assert (para.loc.line_start, para.loc.line_end) == (169, 171)
    assert block_at(doc, 171) is para


def test_number_and_unit_split_by_page_break_are_joined(doc):
    para = block_at(doc, 242)
    assert (para.loc.line_start, para.loc.line_end) == (238, 242)
    assert "126个项目累计发放奖补资金2051.02万元。" in para.text


def test_word_split_by_page_break_is_joined(doc):
    para = block_at(doc, 621)
    assert (para.loc.line_start, para.loc.line_end) == (619, 621)
    assert "共登记大中小型应急救援装备414项，" in para.text
    assert "应急救援装\n" not in para.text


def test_paragraph_ending_a_sentence_is_not_joined_to_the_next(doc):
    a, b = block_at(doc, 163), block_at(doc, 165)
    assert a is not b
    assert (a.loc.line_start, a.loc.line_end) == (163, 163)


def test_bold_markers_are_removed(doc):
    para = block_at(doc, 124)
    assert para.text.startswith("——系统全面、突出重点。深入评估")
    assert "**" not in "".join(b.text for b in doc.blocks)


# ---- locations ----------------------------------------------------------------------------------


def test_every_block_location_slices_back_to_its_source_lines(doc, source):
    lines = source.split("\n")
    for b in doc.blocks:
        loc = b.loc
        assert loc.doc == doc.name
        span = source[loc.char_start : loc.char_end]
        assert span == "\n".join(lines[loc.line_start - 1 : loc.line_end]), (b.kind, loc)


def test_paragraph_text_is_its_source_span_without_breaks(doc, source):
    for b in doc.blocks:
        if b.kind not in ("paragraph", "heading"):
            continue
        span = source[b.loc.char_start : b.loc.char_end]
        assert re.sub(r"\s", "", span).replace("**", "") == re.sub(r"\s", "", b.text), b.loc


def test_table_location_covers_all_its_lines(doc, source):
    t = table_titled(doc, "表2-1")
    assert (t.loc.line_start, t.loc.line_end) == (140, 154)
    assert source[t.loc.char_start : t.loc.char_end] == t.text
    assert t.text.startswith("序号\t指标\t规划目标")
    assert t.text.endswith("13\t重点行业领域安全生产责任险投保率\t100%\t168\t230\t36.90%\t296\t76.19%")


# ---- tables -------------------------------------------------------------------------------------


def test_table_2_1_title_and_two_line_header(doc):
    t = table_titled(doc, "表2-1")
    assert t.title == "表2-1 “十四五”以来安全生产相关指标统计表"
    assert t.header_rows == 2
    assert t.rows[0] == ("序号", "指标", "规划目标", "2020年基数", "2021年", "", "2022年", "")
    assert t.rows[1] == ("", "", "", "", "2021年实际数", "比2020年降幅(±%)", "2022年实际数", "比2020年降幅(±%)")
    assert t.rows[2] == ("1", "生产安全事故起数下降", ">20%", "33", "17", "-48.48%", "10", "-69.70%")
    assert len(t.rows) == 2 + 13
    assert t.row_lines == tuple((n, n) for n in range(142, 155))
    assert t.section == ("二、主要指标完成情况",)
    assert t.page == 6


def test_table_title_is_not_left_as_a_caption(doc):
    captions = [b.text for b in doc.blocks if b.kind == "caption"]
    assert not any(c.startswith("表2-") for c in captions)
    assert "图2-1 “十四五”以来相关指标下降情况" in captions


def test_table_2_2_wrapped_cell_is_joined_and_repeated_header_dropped(doc):
    t = table_titled(doc, "表2-2")
    assert t.header_rows == 2
    data = t.rows[t.header_rows :]
    assert [r[0] for r in data] == ["1", "2", "3", "4", "5", "6", "7"]
    row5 = data[4]
    assert row5[1] == "城市防洪排涝标准"
    assert row5[2] == (
        "城市中心区按100年一遇设防，能抵御200年一遇设计洪水。其他区域按50年一遇设防，"
        "能抵御100年一遇设计洪水；治涝按20年一遇标准建设；新、改建雨水管网按照3-5年标准建设"
    )
    assert row5[3:] == ("100%",) * 5
    assert t.row_lines[4] == (195, 199)
    # the header repeated after the page break (lines 197-198) is neither a row nor part of row 5
    assert not any("序号" in cell or "实际数" in cell for r in data for cell in r)


def test_census_table_gets_a_derived_title_and_its_split_cell_joined(doc):
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.title for t in tables] == [
        "表2-1 “十四五”以来安全生产相关指标统计表",
        "表2-2 “十四五”以来防灾减灾相关指标统计表",
        "表2-3 “十四五”以来应急救援相关指标统计表",
        "普查成果分类统计",
    ]
    census = tables[3]
    assert census.header_rows == 1
    data = census.rows[1:]
    assert [r[0] for r in data] == [str(n) for n in range(1, 47)]
    row39 = data[38]
    assert row39[:6] == ("39", "", "", "水路承灾体", "航道", "26.13公里")
    assert census.row_lines[38] == (447, 450)


def test_census_repeated_headers_are_not_rows(doc):
    census = table_titled(doc, "普查成果分类统计")
    assert sum(1 for r in census.rows if r[0] == "序号") == 1


# ---- reading files ------------------------------------------------------------------------------


def test_read_text_decodes_gb18030(tmp_path):
    text = "昆山市安全发展和应急管理\n2022年全市共发生各类安全生产事故10起。\n"
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read_text(path) == text


def test_read_text_strips_bom_and_normalises_line_ends(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff第一行\r\n第二行\r第三行".encode("utf-8"))
    assert read_text(path) == "第一行\n第二行\n第三行"


def test_parse_file_of_gb18030_matches_utf8(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(MINI.encode("utf-8"))
    b.write_bytes(MINI.encode("gb18030"))
    from_utf8, from_gb = parse_file(a), parse_file(b)
    assert from_gb.title == from_utf8.title == "示例市安全生产中期评估报告"
    assert [replace(blk, loc=replace(blk.loc, doc="a.txt")) for blk in from_gb.blocks] == list(from_utf8.blocks)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "文件为空"),
        (b"  \n\t\r\n", "文件为空"),
        (b"PK\x03\x04\x00\x00binary", "不是文本文件"),
        (b"\xff\xff\xfe abc", "无法识别的编码"),
    ],
)
def test_unreadable_files_raise_corpus_error(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(CorpusError, match=message):
        read_text(path)
    with pytest.raises(CorpusError):
        parse_file(path)


# ---- a synthetic mini-report --------------------------------------------------------------------

MINI = """
示例市安全生产
中期评估报告

2023年6月

目 录

引 言\t- 1 -
一、总体情况\t- 2 -
（一）事故情况\t- 2 -
1.事故起数\t- 3 -
二、主要任务\t- 5 -

引 言

本报告评估示例市安全生产规划的实施情况。

一、总体情况

（一）事故情况

1.事故起数

2022年全市共发生事故8起，较2020年减

少4起。

表1-1 主要指标统计表

序号\t指标\t2021年\t2022年
1\t事故起数\t10\t8
2\t死亡人数\t5\t3

序号\t指标\t2021年\t2022年
3\t受伤人数（含轻\t12\t9
\t伤）\t\t

(1) 专项整治

开展专项整治3次。

二、主要任务

全年完成培训1200人次。
"""


def test_mini_report_parses_as_expected():
    d = parse_text(MINI, "mini.txt")
    assert d.name == "mini.txt"
    assert d.title == "示例市安全生产中期评估报告"
    assert d.toc == (
        (("引言",), "引 言", 1),
        (("一",), "一、总体情况", 2),
        (("一", "一"), "（一）事故情况", 2),
        (("一", "一", "1"), "1.事故起数", 3),
        (("二",), "二、主要任务", 5),
    )
    summary = [
        (b.kind, b.loc.line_start, b.loc.line_end, b.level, b.page, b.section[-1:], b.text)
        for b in d.blocks
        if b.kind != "table"
    ]
    assert summary == [
        ("heading", 15, 15, 1, 1, ("引 言",), "引 言"),
        ("paragraph", 17, 17, 0, 1, ("引 言",), "本报告评估示例市安全生产规划的实施情况。"),
        ("heading", 19, 19, 1, 2, ("一、总体情况",), "一、总体情况"),
        ("heading", 21, 21, 2, 2, ("（一）事故情况",), "（一）事故情况"),
        ("heading", 23, 23, 3, 3, ("1.事故起数",), "1.事故起数"),
        ("paragraph", 25, 27, 0, 3, ("1.事故起数",), "2022年全市共发生事故8起，较2020年减少4起。"),
        ("heading", 39, 39, 4, 3, ("(1) 专项整治",), "(1) 专项整治"),
        ("paragraph", 41, 41, 0, 3, ("(1) 专项整治",), "开展专项整治3次。"),
        ("heading", 43, 43, 1, 5, ("二、主要任务",), "二、主要任务"),
        ("paragraph", 45, 45, 0, 5, ("二、主要任务",), "全年完成培训1200人次。"),
    ]
    assert d.blocks[-1].section == ("二、主要任务",)
    assert d.blocks[7].section == ("一、总体情况", "（一）事故情况", "1.事故起数", "(1) 专项整治")


def test_mini_report_table_split_by_blank_line():
    d = parse_text(MINI, "mini.txt")
    [table] = [b for b in d.blocks if b.kind == "table"]
    assert table.title == "表1-1 主要指标统计表"
    assert (table.loc.line_start, table.loc.line_end) == (31, 37)
    assert table.header_rows == 1
    assert table.rows == (
        ("序号", "指标", "2021年", "2022年"),
        ("1", "事故起数", "10", "8"),
        ("2", "死亡人数", "5", "3"),
        ("3", "受伤人数（含轻伤）", "12", "9"),
    )
    assert table.row_lines == ((32, 32), (33, 33), (36, 37))
    assert table.section == ("一、总体情况", "（一）事故情况", "1.事故起数")
    assert table.page == 3


def test_text_without_toc_still_parses():
    d = parse_text("报告标题\n\n一、概况\n\n全年检查企业15家次。\n", "plain.txt")
    assert d.title == "报告标题"
    assert d.toc == ()
    assert [(b.kind, b.text, b.section, b.page) for b in d.blocks] == [
        ("heading", "一、概况", ("一、概况",), None),
        ("paragraph", "全年检查企业15家次。", ("一、概况",), None),
    ]
