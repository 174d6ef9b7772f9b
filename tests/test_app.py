"""The Gradio shell (app.py) with a fake answerer: rendering, escaping, messages, feedback, start-up."""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import gradio as gr
import pytest

import app
from qa import render
from qa.config import load_settings
from qa.dashboard import indicator_statuses
from qa.errors import BadQuestion, IndexBusy, ModelUnavailable, StoreUnavailable
from qa.feedback import Feedback, FeedbackLog
from qa.types import Answer, Citation, TableRecord

TITLE = "某市安全发展规划中期评估报告"
SECTION = "二、主要指标完成情况"
FIGURE_QUOTE = "2022年各类生产安全事故死亡人数6人，较2020年（2020年基数15人）下降60%。"


def cite(text: str = FIGURE_QUOTE, page: int | None = 6, lines=(136, 136)) -> Citation:
    return Citation(text=text, doc="report.txt", section=SECTION, page=page, lines=lines, title=TITLE)


FIGURE = Answer(
    question="2022年生产安全事故死亡人数",
    answer="6人 —— 2022年各类生产安全事故死亡人数6人",
    kind="figure",
    citations=(cite(),),
    latency_ms=3.2,
)


class FakeAnswerer:
    """Returns a fixed answer (or raises) and remembers what it was asked."""

    def __init__(self, answer: Answer = FIGURE, error: Exception | None = None):
        self.answer, self.error, self.calls = answer, error, []

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        self.calls.append((question, list(history or [])))
        if self.error is not None:
            raise self.error
        return replace(self.answer, question=question)

    def statuses(self):
        """The dashboard's statuses, judged as the real answerer judges the index it answers over (the
        service's, which a test may swap)."""
        index = app._service.index if app._service else FakeIndex()
        return indicator_statuses(index.records, getattr(index, "chunks", ()))


class FakeIndex:
    built_at = "2026-01-02T03:04:05+0800"
    model = "fake"
    docs = [
        {
            "name": "report.txt",
            "title": "报告<b>标题</b>",
            "chunks": 3,
            "sections": [
                {"title": SECTION, "path": [SECTION], "level": 1, "page": 6, "line": 120},
                {"title": "（一）安全生产", "path": [SECTION, "（一）安全生产"], "level": 2, "page": 7, "line": 130},
            ],
        }
    ]
    records = [
        TableRecord(
            doc="report.txt",
            table="表2-1 主要指标",
            row=1,
            indicator="生产安全事故死亡人数",
            column="2022年实际数",
            measure="actual",
            year=2022,
            raw="6",
            value=6.0,
            unit="人",
            context="",
            section=(SECTION,),
            page=6,
            lines=(140, 142),
        ),
    ]
    records.append(
        replace(records[0], row=2, indicator="亿元GDP死亡率", raw="0.012", value=0.012, unit="", lines=(143, 143))
    )
    chunks = []


@pytest.fixture
def service(tmp_path, monkeypatch):
    """A Service over a fake index and answerer, installed as the app's."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QA_MAX_QUESTION_CHARS", "30")
    settings = load_settings()
    svc = app.Service(
        settings,
        index=FakeIndex(),
        answerer=FakeAnswerer(),
        feedback=FeedbackLog(settings.index_dir / "feedback.jsonl"),
    )
    monkeypatch.setattr(app, "_service", svc)
    return svc


def test_figure_answer_leads_and_highlights_its_figure(service):
    out = app.respond("2022年生产安全事故死亡人数", [])
    assert out.index("6人 —— 2022年各类") < out.index("qa-cite")
    assert ("2022年各类生产安全事故死亡人数<mark>6</mark>人，较2020年（2020年基数15人）下降60%。") in out
    assert f"《{TITLE}》</span> · {SECTION} · 第6页 · 第136行" in out


def test_highlight_marks_whole_numbers_only():
    quote = "6.特种设备事故16起，表2-6列出6.5与6人、26人；6人"
    assert (
        render.highlight(quote, ["6"]) == "6.特种设备事故16起，表2-6列出6.5与<mark>6</mark>人、26人；<mark>6</mark>人"
    )


def test_figures_to_highlight_leave_out_years_and_passages():
    table = replace(FIGURE, answer="6（2022年实际数）；12（2021年实际数） —— 表2-1，“死亡人数”")
    assert render.answer_figures(table) == ["12", "6"]
    assert render.answer_figures(replace(FIGURE, kind="passage", answer="共建设10个项目")) == []
    computed = replace(FIGURE, kind="computed", answer="减少6人 —— 表2-1", working="12 − 6 = 6")
    assert render.answer_figures(computed) == ["12", "6"]


def test_script_in_passage_and_question_is_shown_as_text(service):
    evil = "<script>alert(1)</script> **粗体** <img src=x onerror=alert(2)> & 6人"
    service.answerer = FakeAnswerer(replace(FIGURE, answer=f"6人 —— {evil}", citations=(cite(evil),)))
    history, box, _ = app.chat("<script>alert(3)</script>问题", [])
    bubble, reply = history[0]["content"], history[1]["content"]
    assert box == ""
    assert "<script" not in reply and "<img" not in reply and "<script" not in bubble
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; **粗体** &lt;img src=x onerror=alert(2)&gt; &amp; <mark>6</mark>人"
    assert shown in reply
    assert bubble == '<div class="qa-q">&lt;script&gt;alert(3)&lt;/script&gt;问题</div>'
    assert 'value="据《某市安全发展规划中期评估报告》（第6页，二、主要指标完成情况）：“&lt;script&gt;' in reply


def test_copy_text_for_a_briefing():
    assert render.copy_text(cite()) == f"据《{TITLE}》（第6页，{SECTION}）：“{FIGURE_QUOTE}”"
    assert render.copy_text(cite(page=None)) == f"据《{TITLE}》（{SECTION}）：“{FIGURE_QUOTE}”"
    assert render.copy_text(replace(cite(), title="")) == f"据《report.txt》（第6页，{SECTION}）：“{FIGURE_QUOTE}”"


def test_computed_answer_shows_working_and_each_input(service):
    service.answerer = FakeAnswerer(
        Answer(
            question="q",
            answer="减少6人（12 − 6 = 6）",
            kind="computed",
            working="12 − 6 = 6",
            citations=(cite("2021年死亡人数12人。", lines=(130, 131)), cite("2022年死亡人数6人。")),
        )
    )
    out = app.respond("2022年比2021年少了多少人", [])
    assert '<div class="qa-working">算式：12 − 6 = 6</div>' in out
    assert "算式中各数的出处" in out and "第130–131行" in out
    assert "2021年死亡人数<mark>12</mark>人。" in out and "2022年死亡人数<mark>6</mark>人。" in out
    assert "<details>" not in out


def test_further_citations_are_folded(service):
    service.answerer = FakeAnswerer(replace(FIGURE, citations=(cite(), cite("第二处"), cite("第三处"))))
    out = app.respond("死亡人数", [])
    assert out.index(FIGURE_QUOTE[:10]) < out.index("<details><summary>更多出处（2）</summary>") < out.index("第二处")


def test_not_found_and_also_are_shown(service):
    service.answerer = FakeAnswerer(
        Answer(
            question="q",
            answer="报告中未找到该问题的答案：报告中没有这一数字。",
            kind="not_found",
            citations=(cite("附近的段落"),),
        )
    )
    out = app.respond("昆山市常住人口有多少", [])
    assert "报告中未找到该问题的答案" in out and "报告中相近的内容" in out and "<mark>" not in out
    service.answerer = FakeAnswerer(replace(FIGURE, also=("2022年特种设备事故死亡人数0人（二、指标）",)))
    assert "另见：2022年特种设备事故死亡人数0人（二、指标）" in app.respond("死亡人数", [])


def test_empty_and_long_questions_get_messages(service):
    assert app.respond("", []) == '<div class="qa-error">请输入问题。</div>'
    assert app.respond("   ", []) == '<div class="qa-error">请输入问题。</div>'
    assert app.respond("问" * 31, []) == '<div class="qa-error">问题太长（31字），请控制在30字以内。</div>'
    assert service.answerer.calls == []


def test_library_errors_become_short_messages(service, caplog):
    service.answerer = FakeAnswerer(error=BadQuestion("问题中没有可识别的文字，请换一种问法。"))
    assert app.respond("？？", []) == '<div class="qa-error">问题中没有可识别的文字，请换一种问法。</div>'
    service.answerer = FakeAnswerer(error=StoreUnavailable("Chroma 服务器 127.0.0.1:8000 无法连接 (details)"))
    with caplog.at_level(logging.ERROR, logger="qa.app"):
        out = app.respond("死亡人数", [])
    assert out == f'<div class="qa-error">{app.FAILED}</div>'
    assert "127.0.0.1:8000" in caplog.text
    service.answerer = FakeAnswerer(error=IndexBusy("another build holds the lock"))
    assert app.respond("死亡人数", []) == f'<div class="qa-error">{app.BUSY}</div>'


def test_questions_during_a_rebuild_are_answered_from_the_current_index(service, monkeypatch):
    release = threading.Event()

    def slow_build(settings, rebuild=False, progress=None):
        release.wait(10)
        return type("Report", (), {"docs": 1, "chunks": 3, "embedded": 2, "seconds": 0.5})()

    monkeypatch.setattr(app, "build_index", slow_build)
    monkeypatch.setattr(app.Service, "load", lambda self: None)
    future, joined = service.rebuild(False)
    try:
        assert not joined and not future.done()
        assert "6人" in app.respond("2022年死亡人数", [])
        assert service.rebuild(False) == (future, True)  # a second request joins the build
    finally:
        release.set()
    assert future.result(10).chunks == 3


def test_follow_ups_pass_the_earlier_questions(service):
    history, _, _ = app.chat("2022年生产安全事故死亡人数", [])
    history, _, _ = app.chat("", history)  # an error turn is not context
    history, _, _ = app.chat("a < b & c", history)
    # Gradio hands the chat back with each content as a list of parts.
    as_sent = [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in history]
    app.respond("那2021年呢？", as_sent)
    assert service.answerer.calls[-1] == ("那2021年呢？", ["2022年生产安全事故死亡人数", "a < b & c"])
    app.respond("那2021年呢？", ["2022年生产安全事故死亡人数"])
    assert service.answerer.calls[-1] == ("那2021年呢？", ["2022年生产安全事故死亡人数"])


def test_feedback_is_recorded_against_the_answer_the_server_gave(service):
    history, _, shown = app.chat("<b>2022年</b>死亡人数", [], {})
    app.record_feedback(shown, gr.LikeData(None, {"index": 1, "value": history[1]["content"], "liked": True}))
    app.record_feedback(shown, gr.LikeData(None, {"index": 1, "value": "forged", "liked": False}))
    lines = (Path(service.settings.index_dir) / "feedback.jsonl").read_text("utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["liked"] for e in entries] == [True, False]
    assert entries[0]["question"] == "<b>2022年</b>死亡人数"
    assert entries[0]["kind"] == "figure" and entries[0]["answer"] == "6人 —— 2022年各类生产安全事故死亡人数6人"
    assert entries[0]["answer_id"] == shown[1]["id"] and len(entries[0]["answer_id"]) == 32


@pytest.mark.parametrize(
    "shown, liked",
    [
        ({1: {"id": "not-issued", "question": "x", "kind": "figure", "answer": "y"}}, True),  # an id never given
        (None, True),  # no answer at that index
        ("issued", "yes"),  # a rating that is neither 👍 nor 👎
    ],
)
def test_feedback_that_names_no_answer_given_is_dropped(service, shown, liked):
    if shown == "issued":
        _, _, shown = app.chat("2022年死亡人数", [], {})
    app.record_feedback(shown or {}, gr.LikeData(None, {"index": 1, "value": "", "liked": liked}))
    assert not (Path(service.settings.index_dir) / "feedback.jsonl").exists()


def test_feedback_fields_are_capped_and_the_file_rotates(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=3000, backups=2)
    for n in range(6):
        log.record(Feedback(answer_id=str(n), liked=True, question="问" * 5000, kind="figure", answer="答" * 5000))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["feedback.jsonl", "feedback.jsonl.1", "feedback.jsonl.2"]
    entry = json.loads((tmp_path / "feedback.jsonl").read_text("utf-8").splitlines()[-1])
    assert len(entry["question"]) == len(entry["answer"]) == 2000


def test_api_returns_the_json_shape(service):
    result = app.api_ask("2022年生产安全事故死亡人数", '["2021年呢"]')
    assert result == replace(FIGURE, question="2022年生产安全事故死亡人数").to_dict()
    assert service.answerer.calls[-1] == ("2022年生产安全事故死亡人数", ["2021年呢"])
    with pytest.raises(gr.Error, match="history_json"):
        app.api_ask("问题", "{not json")
    with pytest.raises(gr.Error, match="请输入问题"):
        app.api_ask("", "[]")


def test_dashboard_tab_filters_counts_charts_and_exports(service):
    from fakes import MemIndex
    from openpyxl import load_workbook

    assert app.record_rows()["data"] == []  # the fake index has no table with a 规划目标 column
    service.index = MemIndex()
    table = app.record_rows("运营车辆")
    assert table["headers"][:3] == ["表", "序号", "指标"] and table["headers"][-4:] == [
        "状态",
        "报告所述",
        "依据",
        "来源",
    ]
    assert [r[:3] for r in table["data"]] == [["表2-1", 7, "运营车辆万车死亡率下降"]]
    counts, pick, xlsx = app.dashboard_side("运营车辆")
    assert counts[0] == ["已达到", 12, 1]
    assert "表2-1 第7行 运营车辆万车死亡率下降" in pick["choices"]
    assert [c.value for c in next(load_workbook(xlsx)["指标看板"].iter_rows(min_row=2))][2] == "运营车辆万车死亡率下降"
    label = app.choose_row(gr.SelectData(None, {"index": [0, 2], "value": "", "row_value": table["data"][0]}))
    assert label == "表2-1 第7行 运营车辆万车死亡率下降"
    figure, png = app.show_chart(label)
    assert figure.axes[0].get_title().startswith("表2-1 第7行") and Path(png).read_bytes()[:4] == b"\x89PNG"
    assert app.show_chart("没有这一行") == (None, None)


def test_documents_tab_escapes_and_lists_sections(service):
    out = app.docs_html()
    assert app.local_time("2026-01-02T03:04:05+0800") in out and "fake" in out
    assert re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d", app.local_time("2026-01-02T03:04:05+0800"))
    assert "报告&lt;b&gt;标题&lt;/b&gt;" in out
    assert f"{SECTION}（第6页）" in out and 'margin-left:1.5em">（一）安全生产（第7页）' in out


def test_rebuild_swaps_in_the_new_index(service, monkeypatch):
    seen = []

    def fake_build(settings, rebuild=False, progress=None):
        progress("embed", 1, 2)
        seen.append(rebuild)
        return type("Report", (), {"docs": 1, "chunks": 3, "embedded": 2, "seconds": 0.5})()

    monkeypatch.setattr(app, "build_index", fake_build)
    monkeypatch.setattr(app.Service, "load", lambda self: setattr(self, "answerer", FakeAnswerer()))
    status, docs, rows = app.rebuild(True, progress=lambda *a, **k: None)
    assert seen == [True]
    assert status.startswith("重建完成：1 个文档，3 个片段，新计算向量 2 个")
    monkeypatch.setattr(app, "build_index", lambda *a, **k: (_ for _ in ()).throw(IndexBusy("锁被占用")))
    assert app.rebuild(False, progress=lambda *a, **k: None)[0] == "重建失败：锁被占用"


@pytest.mark.parametrize(
    "env, user, allowed",
    [
        ({"QA_AUTH": "ann:pw1,bob:pw2", "QA_ADMINS": "ann"}, "ann", True),
        ({"QA_AUTH": "ann:pw1,bob:pw2", "QA_ADMINS": "ann"}, "bob", False),
        ({"QA_AUTH": "ann:pw1"}, "ann", False),  # login on and no admins named: nobody re-indexes from the app
        ({}, None, True),  # no login, listening on this machine only
        ({"QA_HOST": "0.0.0.0"}, None, False),  # no login on a network: nobody
    ],
)
def test_who_may_reindex(monkeypatch, service, env, user, allowed):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    assert app.may_reindex(settings, user) is allowed
    monkeypatch.setattr(service, "settings", settings)
    request = type("Request", (), {"username": user})()
    if not allowed:
        assert app.rebuild(False, request=request, progress=lambda *a, **k: None)[0] == app.ADMINS_ONLY


def test_demo_exposes_the_ask_endpoint(service):
    demo = app.build_demo()
    names = [d.api_name for d in demo.fns.values() if d.api_visibility == "public"]
    assert names == ["ask"]


def test_start_opens_through_the_service_and_rebuilds_an_unreadable_index(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path))
    calls = []

    def open_or_build(settings, **kwargs):
        calls.append(kwargs)
        answerer = FakeAnswerer()
        answerer.index = FakeIndex()
        return answerer

    monkeypatch.setattr(app, "open_or_build", open_or_build)
    svc = app.start(load_settings())
    assert calls[0]["rebuild_unreadable"] is True
    assert svc.answerer is not None and svc.index is not None


@pytest.mark.parametrize(
    "error", [ModelUnavailable("无法加载嵌入模型 /nowhere"), StoreUnavailable("Chroma 服务器 127.0.0.1:1 无法连接")]
)
def test_loading_fails_with_a_message_and_exit_1_when_model_or_store_is_missing(monkeypatch, tmp_path, capsys, error):
    # The page is served first and the index loads beside it; a failure there stops the app as before.
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path))

    def fail(settings, service=None):
        raise error

    def exit_(code):
        raise SystemExit(code)

    monkeypatch.setattr(app, "start", fail)
    monkeypatch.setattr(app.os, "_exit", exit_)
    with pytest.raises(SystemExit) as stopped:
        app.load_in_background(app.Service(load_settings()), 0.0)
    assert stopped.value.code == 1
    assert capsys.readouterr().err == f"无法启动报告问答：{error}\n"


def test_a_question_asked_while_loading_waits_and_is_answered(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path))
    svc = app.Service(load_settings())
    monkeypatch.setattr(app, "_service", svc)

    def load():
        time.sleep(0.5)
        svc.index, svc.answerer = FakeIndex(), FakeAnswerer()
        svc.ready.set()

    threading.Thread(target=load).start()
    steps = list(app.chat_when_ready("2022年死亡人数", [], {}))
    assert app.LOADING in steps[0][0][-1]["content"]  # 正在加载… first
    assert "6人" in steps[-1][0][-1]["content"] and len(steps[-1][0]) == 2


def test_main_rejects_malformed_auth(monkeypatch, capsys):
    monkeypatch.setenv("QA_AUTH", "nopassword")
    assert app.main() == 1
    assert "QA_AUTH" in capsys.readouterr().err


def test_answer_as_plain_text_holds_the_answer_and_each_quoted_source():
    text = render.answer_text(FIGURE)
    assert "<" not in text and text.startswith(FIGURE.answer)
    assert all(f"“{c.text.strip()}”" in text for c in FIGURE.citations)


def test_a_question_that_cannot_be_asked_is_not_sent_and_keeps_its_text(service):
    history, box, _ = app.chat("2022年生产安全事故死亡人数", [])
    too_long = "死亡人数" * 20
    for message in ("", "   ", too_long):
        after, kept, _ = app.chat(message, history)
        assert after == history and kept == message


def test_each_answer_offers_a_clean_text_copy(service):
    out = app.respond("2022年生产安全事故死亡人数", [])
    value = re.search(r'class="qa-copy qa-copy-answer" value="([^"]*)"', out).group(1)
    assert "<" not in html.unescape(value) and html.unescape(value).startswith("6人")


def test_a_long_title_is_shortened_in_the_head_and_kept_whole_on_hover_and_in_the_copy():
    title = "昆山市安全发展和应急管理“十四五”规划暨安全发展城市建设规划实施情况中期评估报告"
    out = render.render_citation(1, replace(cite(), title=title), [])
    assert "《…实施情况中期评估报告》" in out and f'title="{html.escape(title)}"' in out
    assert f"据《{title}》" in html.unescape(out)


def test_a_passage_shows_each_paragraph_once_under_a_short_lead(service):
    passage = Answer(
        question="q",
        answer="短的引导句。\n\n（出处：三、燃气）\n\n第一段。\n\n第二段。",
        kind="passage",
        citations=(cite("第一段。"), cite("第二段。")),
    )
    out = render.render_answer(passage)
    visible = re.sub(r'value="[^"]*"', "", out)  # the copy buttons carry the text, unseen
    assert visible.count("第一段。") == 1 and visible.count("第二段。") == 1
    lead = re.search(r'<div class="qa-lead">(.*?)</div>', out).group(1)
    assert "第一段" not in lead and "短的引导句" in lead
    assert "<details>" not in out  # every paragraph in view, each with its source


def test_the_chat_the_browser_keeps_is_json_and_comes_back(service):
    history, _, shown = app.chat("2022年死亡人数", [], {})
    kept = json.loads(json.dumps(app.keep(history, shown)))  # what the browser stores
    chat, restored = app.restore(kept, [], {})
    assert chat == history
    app.record_feedback(restored, gr.LikeData(None, {"index": 1, "value": "", "liked": True}))
    assert (Path(service.settings.index_dir) / "feedback.jsonl").exists()
    # A question asked before the kept chat arrived is not overwritten by it.
    assert app.restore(kept, [{"role": "user", "content": "x"}], {})[0] == [{"role": "user", "content": "x"}]
    assert app.restore("garbage", [], {}) == ([], {})


def test_download_folders_an_hour_old_are_removed(monkeypatch, tmp_path):
    import os

    import app

    monkeypatch.setattr(app, "DOWNLOADS", tmp_path / "downloads")
    old = app.download_folder("chart-")
    (old / "a.png").write_bytes(b"x")
    hour_ago = time.time() - app.DOWNLOAD_KEEP_S - 5
    os.utime(old, (hour_ago, hour_ago))
    fresh = app.download_folder("brief-")
    assert fresh.is_dir() and not old.exists()
