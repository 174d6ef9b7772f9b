"""Briefings: items from Answers, the Word file read back with python-docx, Markdown, `qa brief`, the 简报 tab."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from fakes import fake_corpus
from test_index import FIRE, GAS

import app
from qa import brief, cli
from qa.config import load_settings
from qa.index import build_index
from qa.types import Answer, Citation

TITLE = "某市安全发展规划中期评估报告"
SECTION = "二、主要指标完成情况"
DAY = date(2026, 3, 5)
DEATHS = Citation(
    text="2022年各类生产安全事故死亡人数6人，较2020年（2020年基数15人）下降60%。",
    doc="report.txt",
    section=SECTION,
    page=6,
    lines=(136, 136),
    title=TITLE,
)
ROW = "表2-1 主要指标 第1行“生产安全事故起数”"
ROW_TEXT = "1\t生产安全事故起数\t17\t10"
CELLS = (("指标", "生产安全事故起数"), ("2021年实际数", "17"), ("2022年实际数", "10"))
FIGURE = Answer(
    question="2022年生产安全事故死亡人数",
    answer="6人 —— 2022年各类生产安全事故死亡人数6人",
    kind="figure",
    citations=(DEATHS, Citation("另一处", "report.txt", SECTION, 7, (140, 140), TITLE)),
)
COMPUTED = Answer(
    question="2022年生产安全事故起数比2021年少了多少",
    answer="减少7起 —— 表2-1 主要指标",
    kind="computed",
    working="10 − 17 = −7",
    citations=(
        Citation(ROW_TEXT, "report.txt", SECTION, 6, (140, 140), TITLE, ROW, CELLS, ("2021年实际数",)),
        Citation(ROW_TEXT, "report.txt", SECTION, 6, (140, 140), TITLE, ROW, CELLS, ("2022年实际数",)),
    ),
)
WORD_SOURCE = Citation("完成燃气用户安全检查8.2万户。", "gas.docx", "一、城镇燃气", 3, (5, 5), "燃气工作报告")
PASSAGE = Answer(
    question="城镇燃气安全方面做了哪些工作",
    answer="完成燃气用户安全检查8.2万户。\n\n（出处：一、城镇燃气）",
    kind="passage",
    citations=(WORD_SOURCE,),
)
NOT_FOUND = Answer("常住人口有多少", "报告中未找到该问题的答案。", "not_found", citations=(DEATHS,))


def test_items_from_answers():
    figure = brief.item_from_answer(FIGURE, heading="  死亡人数  ")
    assert (figure.question, figure.heading, figure.kind) == (FIGURE.question, "死亡人数", "figure")
    assert figure.lead == FIGURE.answer and figure.quote == DEATHS.text
    assert figure.citations == (DEATHS,)  # a figure's further printings stay in the chat
    computed = brief.item_from_answer(COMPUTED)
    assert computed.working == "10 − 17 = −7" and len(computed.citations) == 2
    assert computed.quote == "2021年实际数 17"  # a table cell by its column, as printed
    assert brief.item_from_answer(PASSAGE).lead == "完成燃气用户安全检查8.2万户。"
    assert brief.item_from_answer(NOT_FOUND).citations == ()  # near matches are no source


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_word_briefing_reads_back(tmp_path):
    items = [brief.item_from_answer(a) for a in (FIGURE, COMPUTED, PASSAGE)]
    items[0] = brief.with_heading(items[0], "安全生产")
    path = tmp_path / "简报.docx"
    brief.to_docx(items, "", path, today=DAY)
    text = paragraphs(path)
    assert text[:2] == ["简报（2026年3月5日）", "2026年3月5日"]
    assert text[2:6] == [
        "1. 安全生产",
        "问：2022年生产安全事故死亡人数",
        "6人 —— 2022年各类生产安全事故死亡人数6人",
        f"“{DEATHS.text}”[1]",
    ]
    assert text[6:11] == [
        "2. 2022年生产安全事故起数比2021年少了多少",
        "减少7起 —— 表2-1 主要指标",
        "算式：10 − 17 = −7",
        "“2021年实际数 17”[2]",
        "“2022年实际数 10”[2]",
    ]
    assert text[11:] == [
        "3. 城镇燃气安全方面做了哪些工作",
        "完成燃气用户安全检查8.2万户。",
        "“完成燃气用户安全检查8.2万户。”[3]",
        "资料来源",
        f"[1] 《{TITLE}》，{SECTION}，第6页",
        f"[2] 《{TITLE}》，{SECTION}，第6页，{ROW}",
        "[3] 《燃气工作报告》，一、城镇燃气",  # a Word source has no printed pages
    ]


def test_word_briefing_names_a_chinese_font(tmp_path):
    path = tmp_path / "b.docx"
    brief.to_docx([brief.item_from_answer(FIGURE)], "安全简报", path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "安全简报"
    for name in ("Normal", "Title", "Heading 1"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:eastAsiaTheme")) is None
    assert doc.styles["Normal"].font.name == "宋体"


def test_twenty_items_export_quickly(tmp_path):
    items = [brief.item_from_answer(a) for a in (FIGURE, COMPUTED, PASSAGE, NOT_FOUND)] * 5
    started = time.perf_counter()
    brief.to_docx(items, "", tmp_path / "b.docx")
    assert time.perf_counter() - started < 2
    assert sum(t.startswith("“") for t in paragraphs(tmp_path / "b.docx")) == 20


def test_markdown_briefing():
    items = [brief.item_from_answer(a) for a in (FIGURE, COMPUTED)]
    text = brief.to_markdown(items, "安全*简报*", today=DAY)
    assert text.startswith("# 安全\\*简报\\*\n\n2026年3月5日\n\n## 1. 2022年生产安全事故死亡人数\n")
    assert "**6人 —— 2022年各类生产安全事故死亡人数6人**" in text
    assert f"> “{DEATHS.text}”[1]" in text
    assert "算式：10 − 17 = −7" in text and "> “2022年实际数 10”[2]" in text
    sources = f"## 资料来源\n\n[1] 《{TITLE}》，{SECTION}，第6页  \n[2] 《{TITLE}》，{SECTION}，第6页，{ROW}\n"
    assert text.endswith(sources)


def test_kept_items_round_trip_and_forgeries_are_refused():
    item = brief.item_from_answer(COMPUTED, heading="起数")
    assert brief.item_from_dict(brief.item_to_dict(item)) == item
    for forged in ("<b>", {"kind": "script"}, {**brief.item_to_dict(item), "citations": [{"text": 1}]}):
        with pytest.raises(brief.BadBriefItem):
            brief.item_from_dict(forged)


def test_basket_html_escapes_everything():
    evil = brief.BriefItem(question="<script>x</script>", lead="<img src=x onerror=alert(1)>", kind="figure", quote="")
    shown = brief.basket_html([brief.with_heading(evil, "<b>标题</b>")])
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown
    assert "&lt;b&gt;标题&lt;/b&gt;" in shown


# ---- `qa brief` over a small index built with the fake embedder --------------------------------------


@pytest.fixture
def corpus_env(tmp_path, monkeypatch):
    fake_corpus(tmp_path, monkeypatch, {"fire.txt": FIRE, "gas.md": GAS})
    return tmp_path


def test_qa_brief_writes_word(corpus_env, capsys):
    build_index(load_settings())
    out = corpus_env / "简报.docx"
    questions = ["全市共配备多少个卫星消防站", "2022年燃气事故起数"]
    code = cli.main(["brief", "--out", str(out), "--title", "消防与燃气", *questions])
    assert code == 0 and "2 条" in capsys.readouterr().err
    text = paragraphs(out)
    assert text[0] == "消防与燃气"
    assert "22个 —— 全市共配备22个卫星消防站" in text
    assert "“全市共配备22个卫星消防站，连续50个月“零亡人”。”[1]" in text
    assert "[1] 《消防工作报告》，一、消防" in text
    assert text[text.index("资料来源") + 2].startswith("[2] 《燃气工作报告》")
    assert "“2022年实际数 6”[2]" in text or "“2022年实际数 6；2022年比2020年降幅(±%) -50.00%”[2]" in text


def test_qa_brief_markdown_to_stdout(corpus_env, capsys):
    build_index(load_settings())
    assert cli.main(["brief", "--md", "全市共配备多少个卫星消防站"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("# 简报（") and "**22个 —— 全市共配备22个卫星消防站**" in shown


def test_qa_brief_on_a_damaged_index_or_without_an_output_says_so(corpus_env, capsys):
    settings = load_settings()
    build_index(settings)
    serving = settings.index_dir / "builds" / (settings.index_dir / "CURRENT").read_text().strip()
    (serving / "manifest.json").write_bytes(b"\x00{not json")
    assert cli.main(["brief", "--out", str(corpus_env / "b.docx"), "全市消防站"]) == 2
    assert "qa index" in capsys.readouterr().err and not (corpus_env / "b.docx").exists()
    assert cli.main(["brief", "全市消防站"]) == 2
    assert "--out" in capsys.readouterr().err


# ---- the 简报 tab's handlers -----------------------------------------------------------------------


class Answers:
    def __init__(self, *answers: Answer):
        self.answers = list(answers)

    def ask(self, question, history=None) -> Answer:
        return self.answers.pop(0)


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    svc = app.Service(load_settings(), index=object(), answerer=Answers(FIGURE, COMPUTED, PASSAGE))
    monkeypatch.setattr(app, "_service", svc)
    return svc


def test_answers_are_added_by_their_issued_id_then_ordered_headed_and_exported(service, tmp_path):
    history, shown = [], {}
    for question in ("死亡人数", "少了多少", "燃气"):
        history, _, shown = app.chat(question, history, shown)
    ids = [shown[n]["id"] for n in (1, 3, 5)]
    assert f'class="qa-brief-add" value="{ids[0]}"' in history[1]["content"]
    basket: list = []
    for answer_id in ids:
        basket = app.add_to_brief(f"{answer_id}:1", shown, basket)
    basket = app.add_to_brief(f"{ids[0]}:2", shown, basket)  # a second click adds nothing
    assert [entry["id"] for entry in basket] == ids
    assert basket[1]["working"] == "10 − 17 = −7" and basket[0]["citations"][0]["page"] == 6

    basket, chosen = app.change_brief(basket, "2", "up")
    assert chosen == "1" and [e["question"] for e in basket][1:] == [PASSAGE.question, COMPUTED.question]
    basket, chosen = app.change_brief(basket, chosen, "heading", "燃气检查")
    basket, chosen = app.change_brief(basket, "0", "remove")
    assert chosen is None and [e["heading"] for e in basket] == ["燃气检查", ""]
    listing, choice = app.brief_view(basket)
    assert "燃气检查" in listing and choice["choices"][0] == ("1. 燃气检查", "0")

    text = paragraphs(app.export_brief(basket, "docx"))
    assert "1. 燃气检查" in text and "算式：10 − 17 = −7" in text
    assert "## 1. 燃气检查" in Path(app.export_brief(basket, "md")).read_text("utf-8")


def test_an_id_this_page_was_not_given_adds_nothing(service):
    _, _, shown = app.chat("死亡人数", [], {})
    other = service.issue({"question": "x", "kind": "figure", "answer": "y"}, brief.item_from_answer(FIGURE))
    with pytest.warns(UserWarning):
        assert app.add_to_brief(f"{other}:1", shown, []) == []  # issued, but to another page
    with pytest.warns(UserWarning):
        assert app.add_to_brief("not-issued:1", {1: {"id": "not-issued"}}, []) == []
    assert app.basket_items([{"id": "a", "kind": "<script>"}, "junk"]) == []
