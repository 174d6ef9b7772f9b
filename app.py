"""报告问答 web app: a thin Gradio shell over qa.answer — one respond(message, history), no retrieval here.

Source text and questions are always html-escaped before they reach the page; the only markup the app
adds is its own (layout, <mark> around the answer's figures, copy buttons).
"""

from __future__ import annotations

import html
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from qa import dashboard_export as export
from qa.answer import Answerer, check_question
from qa.brief import BadBriefItem, BriefItem, basket_html, item_from_answer, item_from_dict, item_to_dict, with_heading
from qa.brief import to_docx as brief_docx
from qa.brief import to_markdown as brief_markdown
from qa.config import Settings, load_settings
from qa.corpus import MB, accepted_types, add_document, corpus_files, remove_document
from qa.dashboard import IndicatorStatus
from qa.errors import BadQuestion, IndexBusy, QAError, UploadRefused
from qa.feedback import Feedback, FeedbackLog
from qa.index import BuildReport, build_index, open_index
from qa.readers import SUFFIXES
from qa.render import plain_text, render_answer, text_html
from qa.security import Guard, LoginGuard, read_users
from qa.service import open_or_build
from qa.types import Answer

log = logging.getLogger("qa.app")

EXAMPLES = [
    "2022年生产安全事故死亡人数",
    "去年执法罚了多少钱",
    "城镇燃气安全方面做了哪些工作",
    "应急预案修编情况在哪一节",
]
STAGES = {"parse": "解析文档", "embed": "计算向量", "store": "写入向量库"}
COUNT_HEADERS = ["状态", "数量", "其中与报告所述不同"]
BUSY = "索引正在由另一个任务重建，请稍后再试。"
NOT_READY = "索引尚未就绪，请稍后再试。"
FAILED = "处理问题时出错，请换一种问法或稍后再试（详情已写入日志）。"
ADMINS_ONLY = "只有管理员可以重建索引。"
DOCS_ADMINS_ONLY = "只有管理员可以上传或删除文档。"
UPLOAD_OVERHEAD = 64 * 1024  # a multipart body's headers and boundaries beside the files
UPLOAD_BATCH = 10  # the files at the size limit one upload may carry (the browser sends them in one request)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
ISSUED_KEPT = 10_000  # answers remembered for feedback, newest kept
LOAD_WAIT = 600  # seconds a question waits for the index and model being loaded at start-up
LOADING = "正在加载索引与模型，加载完成后立即回答……"

CSS = """
.qa-lead { font-size: 1.08em; font-weight: 600; }
.qa-kind { font-size: .75em; padding: 0 .4em; border-radius: .3em; background: #e8eef7; margin-right: .4em; }
.qa-cite { border-left: 3px solid #c9d3e0; padding: .2em .6em; margin: .5em 0; }
.qa-cite-head { font-size: .85em; color: #555; }
.qa-quote { white-space: pre-wrap; margin: .3em 0; }
.qa-quote mark { background: #ffe27a; padding: 0 .1em; }
.qa-copy { font-size: 14px; margin-left: .5em; cursor: pointer; border: 1px solid #bbb; border-radius: .3em;
           padding: .1em .5em; background: #fff; }
#qa-count { font-size: 13px; color: #666; text-align: right; min-height: 1.2em; }
#qa-count.over { color: #a33; font-weight: 600; }
.qa-error { color: #a33; }
.qa-loading { color: #666; font-style: italic; }
.qa-row { border-collapse: collapse; margin: .3em 0; font-size: .9em; display: block; overflow-x: auto; }
.qa-row th, .qa-row td { border: 1px solid #d5dce6; padding: .1em .4em; font-weight: normal; white-space: nowrap; }
.qa-row th { background: #f3f6fa; color: #555; }
.qa-row td.qa-used { background: #fff4c2; }
.qa-docs { border-collapse: collapse; margin: .5em 0; font-size: .9em; }
.qa-docs th, .qa-docs td { border: 1px solid #d5dce6; padding: .2em .6em; text-align: left; }
.qa-docs th { background: #f3f6fa; font-weight: normal; color: #555; }
#qa-records td, #qa-records th { max-width: 14em; min-width: 3.5em; }
#qa-records td { vertical-align: top; }
.qa-brief-add { font-size: 14px; margin-left: .5em; cursor: pointer; border: 1px solid #9ab; border-radius: .3em;
                padding: .1em .5em; background: #f3f8ff; }
.qa-brief { padding-left: 1.4em; }
.qa-brief li { margin: .6em 0; overflow-wrap: anywhere; }
.qa-brief-head { font-weight: 700; }
.qa-brief-q { color: #555; font-size: .9em; }
.qa-brief-tools { flex-wrap: wrap; gap: .4em; }
"""
# One delegated listener, as chat messages are re-rendered often. The text rides in the button's value:
# Gradio's sanitizer keeps value but drops data-* attributes. Plain http on a LAN is no secure context,
# where navigator.clipboard is missing, hence the textarea fallback.
COPY_JS = """<script>
// 加入简报 hands the answer's server-issued id to the hidden #qa-brief-pick box; the server does the rest.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest(".qa-brief-add");
  var box = document.querySelector("#qa-brief-pick textarea, #qa-brief-pick input");
  if (!b || !box) return;
  e.preventDefault();
  box.value = (b.getAttribute("value") || "") + ":" + Date.now();
  box.dispatchEvent(new Event("input", {bubbles: true}));
  var t = b.textContent; b.textContent = "已加入";
  setTimeout(function () { b.textContent = t; }, 1500);
});
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest(".qa-copy");
  if (!b) return;
  e.preventDefault();
  var text = b.getAttribute("value") || "";
  function done() {
    var t = b.textContent; b.textContent = "已复制";
    setTimeout(function () { b.textContent = t; }, 1500);
  }
  function fallback() {
    var area = document.createElement("textarea");
    area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove(); done();
  }
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
});
// A new answer is scrolled to its start (Gradio's own autoscroll, to the bottom, is off).
var qaAnswers = 0;
new MutationObserver(function () {
  var all = document.querySelectorAll(".qa-answer, .qa-error");
  if (all.length > qaAnswers) all[all.length - 1].scrollIntoView({block: "start", behavior: "smooth"});
  qaAnswers = all.length;
  // Gradio labels each message with its raw HTML; a screen reader should read the text.
  document.querySelectorAll("[aria-label]").forEach(function (m) {
    var label = m.getAttribute("aria-label");
    var raw = /^(bot|user)'s message: </.test(label);
    if (!raw && m.getAttribute("data-qa-label") !== "pending") return;
    var who = raw ? (label.indexOf("bot") === 0 ? "回答：" : "问题：") : label;
    var text = m.textContent.replace(/\\s+/g, " ").trim();
    // The label is set before the message renders; it is filled in once the text is there.
    m.setAttribute("data-qa-label", text ? "done" : "pending");
    m.setAttribute("aria-label", who + text.slice(0, 300));
  });
}).observe(document.documentElement,
            {childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label"]});
// Characters typed, shown near the limit, so a long question is shortened before it is sent.
document.addEventListener("input", function (e) {
  var box = e.target.closest && e.target.closest("#qa-box");
  var count = document.getElementById("qa-count");
  if (!box || !count) return;
  var limit = parseInt(count.getAttribute("data-limit"), 10), n = e.target.value.length;
  count.textContent = n >= 0.8 * limit ? n + " / " + limit + " 字" : "";
  count.classList.toggle("over", n > limit);
});
</script>"""


@dataclass
class Service:
    """The serving index and its answerer, swapped whole after a rebuild; a rebuild runs beside it."""

    settings: Settings
    index: object = None
    answerer: object = None
    feedback: FeedbackLog | None = None
    progress: tuple[str, float] = ("", 0.0)  # the running build's stage and share done
    issued: OrderedDict = field(default_factory=OrderedDict)  # answer id -> what was shown, for feedback
    ready: threading.Event = field(default_factory=threading.Event)  # set once index and model are loaded
    _build: Future | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        index = open_index(self.settings)
        self.index, self.answerer = index, Answerer(index, self.settings)

    def rebuild(self, full: bool) -> tuple[Future, bool]:
        """The running build, or a new one: (its future, whether it was already running).

        Questions keep being answered from the current index; the new one is swapped in when built."""
        with self._lock:
            if self._build is not None and not self._build.done():
                return self._build, True
            future: Future = Future()
            self._build = future
            self.progress = ("parse", 0.0)

        def report(stage: str, done: int, total: int) -> None:
            self.progress = (stage, done / max(total, 1))

        def run() -> None:
            try:
                result = build_index(self.settings, rebuild=full, progress=report)
                self.load()
                future.set_result(result)
            except BaseException as err:  # the caller reads it from the future
                future.set_exception(err)

        threading.Thread(target=run, name="qa-rebuild", daemon=True).start()
        return future, False

    def issue(self, data: dict, item: BriefItem | None = None) -> str:
        """Remember an answer shown (and its briefing item), under a new id the feedback and 简报 must name."""
        answer_id = uuid.uuid4().hex
        with self._lock:
            self.issued[answer_id] = {**data, "item": item} if item else data
            while len(self.issued) > ISSUED_KEPT:
                self.issued.popitem(last=False)
        return answer_id


_service: Service | None = None


# ---- answers ----------------------------------------------------------------------------------


def ask(question: str, history: list[str]) -> Answer:
    """The library's Answer for a question, or a QAError whose message can be shown as it is."""
    service = _service
    if service is None:
        raise QAError(NOT_READY)
    check_question(question, service.settings.max_question_chars)
    if service.answerer is None:
        # The page is served before the index and the model are loaded: a question waits for them.
        service.ready.wait(LOAD_WAIT)
    if service.answerer is None:
        raise QAError(NOT_READY)
    return service.answerer.ask(question, history)


def user_message(err: QAError) -> str:
    """What a person is told about a library error; the details go to the log."""
    if isinstance(err, IndexBusy):
        return BUSY
    if isinstance(err, BadQuestion) or type(err) is QAError:
        return str(err)
    log.error("问题处理失败: %r", err)
    return FAILED


def respond(message: str, history: list) -> str:
    """The chat reply (HTML) to a message, given the chat so far (messages or earlier questions)."""
    return reply(message, history)[0]


def reply(message: str, history: list, raise_bad: bool = False) -> tuple[str, dict]:
    """The chat reply (HTML) and what was shown, as data (question, kind, answer) for feedback.

    raise_bad: a question that cannot be asked (BadQuestion) is raised instead of answered with a message."""
    try:
        answer = ask(message, earlier_questions(history))
    except QAError as err:
        if raise_bad and isinstance(err, BadQuestion):
            raise
        text = user_message(err)
        return f'<div class="qa-error">{text_html(text)}</div>', {
            "question": message or "",
            "kind": "message",
            "answer": text,
        }
    data = {"question": message, "kind": answer.kind, "answer": answer.answer}
    if _service is not None:
        data["id"] = _service.issue(data, item_from_answer(answer))
    return render_answer(answer, data.get("id", "")), data


def earlier_questions(history: list) -> list[str]:
    """The user's earlier questions, oldest first, leaving out those that only got an error."""
    questions, pending = [], None
    for item in history or []:
        if isinstance(item, str):
            questions.append(item)
            continue
        content = message_text(item.get("content", ""))
        if item.get("role") == "user":
            pending = plain_text(content)
        elif pending is not None:
            if not content.startswith('<div class="qa-error">'):
                questions.append(pending)
            pending = None
    return questions


def message_text(content) -> str:
    """A chat message's text, whether given as a string or as a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return "".join(message_text(part) for part in content or [])


def chat(message: str, history: list, shown: dict | None = None) -> tuple[list, str, dict]:
    """Submit handler: the chat with the question and its reply appended, an emptied textbox, and the
    answers shown so far by message index (kept in gr.State, so feedback never re-reads the HTML).

    A question that cannot be asked (empty, too long) is not sent: the text stays in the box and a notice
    says why, so nothing typed is lost and no empty bubble appears."""
    history = list(history or [])
    try:
        html_reply, data = reply(message, history, raise_bad=True)
    except BadQuestion as err:
        gr.Warning(str(err))
        return history, message, shown or {}
    history += [
        {"role": "user", "content": f'<div class="qa-q">{text_html(message or "")}</div>'},
        {"role": "assistant", "content": html_reply},
    ]
    shown = {**(shown or {}), len(history) - 1: data}
    return history, "", shown


def chat_when_ready(message: str, history: list, shown: dict | None = None):
    """chat(), shown as 正在加载… first when the index and model are still loading at start-up."""
    service = _service
    if service is not None and service.answerer is None and (message or "").strip():
        waiting = list(history or []) + [
            {"role": "user", "content": f'<div class="qa-q">{text_html(message)}</div>'},
            {"role": "assistant", "content": f'<div class="qa-loading">{LOADING}</div>'},
        ]
        yield waiting, "", shown or {}
        service.ready.wait(LOAD_WAIT)
    yield chat(message, history, shown)


def api_ask(question: str, history_json: str = "[]") -> dict:
    """Answer one question; history_json is a JSON list of earlier questions. Returns `qa ask --json`."""
    try:
        history = json.loads(history_json or "[]")
    except ValueError:
        history = None
    if not isinstance(history, list) or not all(isinstance(q, str) for q in history):
        raise gr.Error('history_json 应为由问题字符串组成的 JSON 数组，例如 ["2022年生产安全事故死亡人数"]')
    try:
        return ask(question, history).to_dict()
    except QAError as err:
        raise gr.Error(user_message(err)) from None


def record_feedback(shown: dict, data: gr.LikeData, request: gr.Request = None) -> None:
    """Record a 👍/👎 on an answer this server gave; anything else (a forged rating, an unknown id) is dropped."""
    liked = {"Like": True, "Dislike": False}.get(data.liked, data.liked) if isinstance(data.liked, str) else data.liked
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    item = (shown or {}).get(index) or (shown or {}).get(str(index)) or {}
    given = _service.issued.get(item.get("id", "")) if _service else None
    if not isinstance(liked, bool) or given is None:
        log.warning("忽略无法对应到已给出回答的评价（index=%r）", index)
        return
    user = getattr(request, "username", "") or ""
    _service.feedback.record(
        Feedback(
            answer_id=item["id"],
            liked=liked,
            question=given["question"],
            kind=given["kind"],
            answer=given["answer"],
            user=user,
        )
    )


# ---- 指标看板 and 文档 tabs -------------------------------------------------------------------------


def dashboard_statuses() -> list[IndicatorStatus]:
    """Each indicator row of the index's indicator tables, judged, with the report's own verdicts."""
    answerer = _service.answerer if _service else None
    return answerer.statuses() if answerer is not None else []  # judged once per index, with the chat's


def record_rows(query: str = "") -> dict:
    """The 指标看板 table: one row per indicator as printed, with status, rule and source, keeping the rows
    that contain all the words of the query."""
    statuses = dashboard_statuses()
    years = export.years_of(statuses)
    return {"headers": export.headers(years), "data": export.rows(statuses, years, query)}


def dashboard_side(query: str = "") -> tuple[list, dict, str | None]:
    """Beside the table: the count of each status, the indicators to chart, and the table shown as .xlsx."""
    statuses = dashboard_statuses()
    if not statuses:
        return export.counts_rows([]), gr.update(choices=[], value=None), None
    path = download_folder("dashboard-") / "指标看板.xlsx"
    export.write_xlsx(statuses, path, query)
    choices = [export.choice_label(s) for s in statuses]
    return export.counts_rows(statuses), gr.update(choices=choices), str(path)


DOWNLOADS = Path(tempfile.gettempdir()) / f"baogao-qa-downloads-{os.getpid()}"
DOWNLOAD_KEEP_S = 3600  # a file to download is fetched within seconds; an hour later its folder goes


def download_folder(prefix: str) -> Path:
    """A fresh folder for one file to download; folders older than an hour are removed on the way."""
    DOWNLOADS.mkdir(exist_ok=True)
    cutoff = time.time() - DOWNLOAD_KEEP_S
    for old in DOWNLOADS.iterdir():
        if old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=DOWNLOADS))


def choose_row(evt: gr.SelectData) -> str | None:
    """The chart's indicator for a row clicked in the table (表, 序号 and 指标 are its first cells)."""
    cells = evt.row_value or []
    return f"{cells[0]} 第{cells[1]}行 {cells[2]}" if len(cells) > 2 else None


def show_chart(label: str | None):
    """The chosen indicator's values against its target, and the chart as a PNG to download."""
    status = next((s for s in dashboard_statuses() if export.choice_label(s) == label), None)
    if status is None:
        return None, None
    figure = export.chart(status)
    path = download_folder("chart-") / f"{export.short_table(status.table)}-{status.row}.png"
    figure.savefig(path, format="png")
    return figure, str(path)


def docs_html() -> str:
    """The documents indexed (type, pages or sheets, tables, records, chunks, when indexed), their sections
    with pages, and when and with which model the index was built."""
    index = _service.index if _service else None
    if index is None:
        return f"<p>{NOT_READY}</p>"
    out = [
        f"<p>索引建立于 {html.escape(local_time(index.built_at))}，嵌入模型 {html.escape(str(index.model))}，"
        f"共 {len(index.docs)} 个文档。</p>",
        '<table class="qa-docs"><tr><th>文档</th><th>类型</th><th>页数/工作表</th><th>表格</th>'
        "<th>记录</th><th>片段</th><th>索引时间</th></tr>",
    ]
    for doc in index.docs:
        name = doc["name"]
        records = [r for r in index.records if r.doc == name]
        kind = Path(name).suffix.lower().lstrip(".")
        pages = doc.get("pages")
        unit = "" if pages is None else f"{pages} 个工作表" if kind in ("xlsx", "csv") else f"{pages} 页"
        cells = [
            name,
            kind,
            unit or "—",
            str(len({r.table for r in records})),
            str(len(records)),
            str(doc.get("chunks", 0)),
            local_time(doc.get("indexed_at") or index.built_at),
        ]
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    for doc in index.docs:
        out.append(
            f"<h3>{html.escape(doc.get('title') or doc['name'])}</h3>"
            f"<p>{html.escape(doc['name'])}，{doc.get('chunks', 0)} 个片段</p><ul>"
        )
        for s in doc.get("sections", []):
            page = f"（第{s['page']}页）" if s.get("page") else ""
            indent = max(0, int(s.get("level") or 1) - 1) * 1.5
            out.append(f'<li style="margin-left:{indent}em">{html.escape(s["title"])}{page}</li>')
        out.append("</ul>")
    return "".join(out)


def local_time(stamp) -> str:
    """An ISO time stamp as this machine's local time, the way people write it (2026年11月30日 14:29)."""
    try:
        moment = datetime.fromisoformat(str(stamp)).astimezone()
    except ValueError:
        return str(stamp)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def may_reindex(settings: Settings, username: str | None) -> bool:
    """With login on, the users named in QA_ADMINS; without it, only an app that listens on this machine."""
    if settings.login:
        return bool(username) and username in settings.admins
    return settings.host in LOOPBACK


def admin_view(request: gr.Request = None) -> tuple[dict, dict]:
    """The re-index, upload and remove controls, shown only to those who may use them, and the documents."""
    allowed = may_reindex(_service.settings, getattr(request, "username", None))
    return gr.update(visible=allowed), doc_choices() if allowed else gr.update(choices=[], value=None)


def rebuild(full: bool, request: gr.Request = None, progress=gr.Progress()) -> tuple[str, str, dict]:  # noqa: B008
    """Bring the index up to date (full=True re-embeds everything) while questions are still answered.

    A request while a build runs waits for that build instead of starting another."""
    if not may_reindex(_service.settings, getattr(request, "username", None)):
        log.warning("拒绝非管理员的重建请求：%r", getattr(request, "username", None))
        return ADMINS_ONLY, docs_html(), record_rows()
    return reindex(full, progress)


def reindex(full: bool, progress, changed: bool = False) -> tuple[str, str, dict]:
    """Run (or join) a build, showing its stage, and say how it went; the caller has checked who asks.

    changed: the corpus was just changed, so a build already running (it read the corpus before) is
    waited for and then followed by a new one."""
    service = _service
    future, joined = service.rebuild(full)
    if joined and changed:
        follow(future, progress)
        future, joined = service.rebuild(full)
    follow(future, progress)
    try:
        result: BuildReport = future.result()
    except QAError as err:
        log.error("重建索引失败: %r", err)
        return "重建失败：" + (str(err) if isinstance(err, IndexBusy) else "详情见日志。"), docs_html(), record_rows()
    except Exception as err:  # a build that fails for another reason must not take the app down
        log.exception("重建索引失败: %r", err)
        return "重建失败：详情见日志。", docs_html(), record_rows()
    head = "已有重建任务在进行，现已完成" if joined else "重建完成"
    status = (
        f"{head}：{result.docs} 个文档，{result.chunks} 个片段，新计算向量 {result.embedded} 个，"
        f"用时 {result.seconds:.1f} 秒。新索引已启用。"
    )
    return status, docs_html(), record_rows()


def follow(future: Future, progress) -> None:
    """Show a build's stage and share done until it ends."""
    while not future.done():
        stage, share = _service.progress
        progress(share, desc=STAGES.get(stage, "准备中"))
        time.sleep(0.3)


def doc_choices() -> dict:
    """The documents in the corpus directory, for the remove dropdown."""
    names = [p.name for p in corpus_files(_service.settings.corpus_dir)]
    return gr.update(choices=names, value=None)


def upload(files: list | None, request: gr.Request = None, progress=gr.Progress()):  # noqa: B008
    """Put uploaded files into the corpus (each checked: name, type, size, a trial read), then re-index.

    Returns the status, the 文档 and 指标表 tabs, the remove dropdown and the emptied upload widget."""
    settings = _service.settings
    if not may_reindex(settings, getattr(request, "username", None)):
        log.warning("拒绝非管理员的上传：%r", getattr(request, "username", None))
        return DOCS_ADMINS_ONLY, docs_html(), record_rows(), doc_choices(), None
    added, notes = [], []
    for item in files or []:
        path = Path(getattr(item, "name", item))  # a path, or a file object from older Gradio
        try:
            added.append(add_document(path, path.name, settings.corpus_dir, settings.max_upload_mb).name)
        except UploadRefused as err:
            notes.append(str(err))
        except OSError as err:
            log.error("保存上传文件失败: %r", err)
            notes.append(f"“{path.name}”保存失败（详情见日志）。")
    if not added:
        return escaped(notes or ["没有收到文件。"]), docs_html(), record_rows(), doc_choices(), None
    log.info("已加入语料：%s（用户 %r）", added, getattr(request, "username", None))
    status, docs, rows = reindex(False, progress, changed=True)
    return escaped([f"已加入语料：{'、'.join(added)}。", *notes, status]), docs, rows, doc_choices(), None


def remove(name: str | None, request: gr.Request = None, progress=gr.Progress()):  # noqa: B008
    """Delete one document the corpus lists (by name, never a path from the page), then re-index."""
    settings = _service.settings
    if not may_reindex(settings, getattr(request, "username", None)):
        log.warning("拒绝非管理员的删除：%r", getattr(request, "username", None))
        return DOCS_ADMINS_ONLY, docs_html(), record_rows(), doc_choices()
    try:
        removed = remove_document(name or "", settings.corpus_dir)
    except UploadRefused as err:
        return escaped([str(err)]), docs_html(), record_rows(), doc_choices()
    except OSError as err:
        log.error("删除文档失败: %r", err)
        return "删除失败（详情见日志）。", docs_html(), record_rows(), doc_choices()
    log.info("已从语料删除：%s（用户 %r）", removed.name, getattr(request, "username", None))
    status, docs, rows = reindex(False, progress, changed=True)
    return escaped([f"已删除：{removed.name}。", status]), docs, rows, doc_choices()


def escaped(lines: list[str]) -> str:
    """Status lines for the Markdown status box; a file name is shown as text, never as markup."""
    return "\n\n".join(html.escape(line) for line in lines)


def confirm_step(question: str, yes_label: str) -> tuple[gr.Button, gr.Row]:
    """A hidden row asking to confirm, with its yes and 取消 buttons; 取消 hides it again."""
    with gr.Row(visible=False) as row:
        gr.Markdown(question)
        yes = gr.Button(yes_label, variant="stop", scale=1)
        no = gr.Button("取消", scale=1)
    no.click(lambda: gr.update(visible=False), None, row, api_visibility="private")
    return yes, row


# ---- 简报 tab ----------------------------------------------------------------------------------


def basket_items(basket: list | None) -> list[tuple[str, BriefItem]]:
    """The kept basket as (answer id, item), dropping entries that are not items this app wrote."""
    items = []
    for entry in basket if isinstance(basket, list) else []:
        try:
            items.append((str(entry["id"]), item_from_dict(entry)))
        except (BadBriefItem, KeyError, TypeError):
            log.warning("简报中有无法读取的条目，已略去")
    return items


def kept_basket(items: list[tuple[str, BriefItem]]) -> list[dict]:
    """What the browser keeps of the basket: each answer id and its item's fields (the server forgets answers)."""
    return [{"id": answer_id, **item_to_dict(item)} for answer_id, item in items]


def add_to_brief(picked: str, shown: dict, basket: list) -> list:
    """Add an answer this page was given, by its server-issued id; the item is the server's, not the page's."""
    answer_id = (picked or "").split(":", 1)[0]
    mine = {v.get("id") for v in (shown or {}).values() if isinstance(v, dict)}
    given = _service.issued.get(answer_id) if _service and answer_id in mine else None
    items = basket_items(basket)
    if not given or given.get("item") is None:
        gr.Warning("这个回答已过期，无法加入简报；请重新提问后再加入。")
        return kept_basket(items)
    if any(answer_id == kept for kept, _ in items):
        gr.Info("这个回答已在简报中。")
        return kept_basket(items)
    gr.Info(f"已加入简报（共 {len(items) + 1} 条）。")
    return kept_basket([*items, (answer_id, given["item"])])


def brief_view(basket: list, chosen: str | None = None) -> tuple[str, dict]:
    """The 简报 tab's list and the choice of item to move, head or remove (kept on a moved item)."""
    items = basket_items(basket)
    choices = [(f"{n}. {(item.heading or item.question)[:30]}", str(n - 1)) for n, (_, item) in enumerate(items, 1)]
    keep = chosen if chosen in {value for _, value in choices} else None
    return basket_html([item for _, item in items]), gr.update(choices=choices, value=keep)


def change_brief(basket: list, chosen: str | None, action: str, heading: str = "") -> tuple[list, str | None]:
    """Move the chosen item up or down, remove it, or give it a heading; the choice follows a moved item."""
    items = basket_items(basket)
    try:
        n = int(chosen or "")
    except ValueError:
        gr.Warning("请先选择一条。")
        return kept_basket(items), None
    if not 0 <= n < len(items):
        return kept_basket(items), None
    to = {"up": n - 1, "down": n + 1}.get(action, n)
    if action == "remove":
        del items[n]
        return kept_basket(items), None
    if action == "heading":
        items[n] = (items[n][0], with_heading(items[n][1], heading))
    elif 0 <= to < len(items):
        items[n], items[to] = items[to], items[n]
        n = to
    return kept_basket(items), str(n)


def export_brief(basket: list, kind: str) -> str | None:
    """The basket written as a .docx or .md file to download."""
    items = [item for _, item in basket_items(basket)]
    if not items:
        gr.Warning("简报是空的，先在问答中加入回答。")
        return None
    folder = download_folder("brief-")
    path = folder / f"简报-{datetime.now():%Y%m%d}.{kind}"
    if kind == "docx":
        brief_docx(items, "", path)
    else:
        path.write_text(brief_markdown(items, ""), "utf-8")
    return str(path)


def brief_tab(demo: gr.Blocks, settings: Settings, shown: gr.State) -> None:
    """The 简报 tab: answers collected from the chat, ordered, headed and exported; kept in this browser."""
    saved = gr.BrowserState([], storage_key="baogao-qa-brief", secret=browser_secret(settings))
    basket = gr.State([])
    with gr.Tab("简报"):
        listing = gr.HTML(basket_html([]), elem_id="qa-brief-list")
        chosen = gr.Radio(label="选择一条以调整", choices=[], elem_id="qa-brief-choice")
        with gr.Row(elem_classes=["qa-brief-tools"]):
            up = gr.Button("上移", size="sm", min_width=60)
            down = gr.Button("下移", size="sm", min_width=60)
            drop = gr.Button("删除", size="sm", variant="stop", min_width=60)
        with gr.Row(elem_classes=["qa-brief-tools"]):
            heading = gr.Textbox(label="小标题（可选）", max_length=40, scale=4, elem_id="qa-brief-heading")
            name = gr.Button("设为小标题", size="sm", scale=1, min_width=80)
        with gr.Row(elem_classes=["qa-brief-tools"]):
            word = gr.Button("导出 Word", variant="primary", min_width=80)
            markdown = gr.Button("导出 Markdown", min_width=80)
        file = gr.File(label="下载简报", interactive=False, elem_id="qa-brief-file")
    # The chat's 加入简报 buttons write "answer id:time" here (COPY_JS); the time makes a second click a change.
    picked = gr.Textbox(visible="hidden", elem_id="qa-brief-pick")
    private = dict(api_visibility="private")
    picked.change(add_to_brief, [picked, shown, basket], [basket], **private)
    for button, action in ((up, "up"), (down, "down"), (drop, "remove")):
        button.click(lambda b, c, a=action: change_brief(b, c, a), [basket, chosen], [basket, chosen], **private)
    name.click(lambda b, c, h: change_brief(b, c, "heading", h), [basket, chosen, heading], [basket, chosen], **private)
    word.click(lambda b: export_brief(b, "docx"), [basket], [file], **private)
    markdown.click(lambda b: export_brief(b, "md"), [basket], [file], **private)
    basket.change(brief_view, [basket, chosen], [listing, chosen], **private)
    basket.change(lambda b: b, [basket], [saved], **private)
    demo.load(lambda kept: kept if isinstance(kept, list) else [], [saved], [basket], **private)


# ---- layout and start-up ------------------------------------------------------------------------


def build_demo() -> gr.Blocks:
    """The four tabs wired to the functions above, plus the /ask API."""
    settings = _service.settings if _service else load_settings()
    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        gr.Markdown("# 报告问答\n就报告中的数字、做法和章节提问；每个回答都附原文出处。")
        # The chat is kept in this browser (encrypted with a key kept beside the index) across reloads.
        saved = gr.BrowserState({}, storage_key="baogao-qa-chat", secret=browser_secret(settings))
        with gr.Tab("问答"):
            chatbot = gr.Chatbot(
                label="对话",
                show_label=False,  # the label and its bar covered the first line of the chat
                height="65vh",
                min_height=420,
                latex_delimiters=[],
                feedback_options=("Like", "Dislike"),
                buttons=[],  # Gradio's copy icons paste raw HTML and its share icon does nothing here
                autoscroll=False,  # a new answer is scrolled to its start instead (COPY_JS)
                elem_id="qa-chat",
            )
            with gr.Row():
                box = gr.Textbox(
                    label="问题",  # hidden, but what a screen reader announces
                    placeholder="输入问题，按回车提问，例如：2022年生产安全事故死亡人数",
                    show_label=False,
                    scale=8,
                    autofocus=True,
                    elem_id="qa-box",
                )
                send = gr.Button("提问", variant="primary", scale=1)
            gr.HTML(f'<div id="qa-count" data-limit="{settings.max_question_chars}"></div>')
            shown = gr.State({})
            examples = gr.Examples(EXAMPLES, inputs=[box], label="示例问题（点击即提问）")
            clear = gr.Button("清空对话", variant="secondary")
            asked = [
                trigger(
                    chat,
                    [box, chatbot, shown],
                    [chatbot, box, shown],
                    api_visibility="private",
                    show_progress="minimal",
                )
                for trigger in (box.submit, send.click)
            ]
            asked.append(
                examples.load_input_event.then(
                    chat,
                    [box, chatbot, shown],
                    [chatbot, box, shown],
                    api_visibility="private",
                    show_progress="minimal",
                )
            )
            for event in asked:
                event.then(keep, [chatbot, shown], [saved], api_visibility="private")
            clear.click(lambda: ([], "", {}, {}), None, [chatbot, box, shown, saved], api_visibility="private")
            # Gradio's own clear icon empties the page; what the browser keeps goes with it.
            chatbot.clear(lambda: ({}, {}), None, [shown, saved], api_visibility="private")
            chatbot.like(record_feedback, [shown], None, api_visibility="private")
        with gr.Tab("指标看板"):
            search = gr.Textbox(label="搜索", placeholder="按表、指标、状态或数值筛选，空格分隔多个词")
            table = gr.Dataframe(interactive=False, wrap=True, max_height=520, elem_id="qa-records")
            gr.Markdown("点击表中一行，或在下面选择指标，查看其2020年以来的数值与规划目标。")
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300):
                    pick = gr.Dropdown(label="图表指标", choices=[], elem_id="qa-chart-pick")
                    plot = gr.Plot(label="数值与目标", elem_id="qa-chart", format="png")
                with gr.Column(scale=2, min_width=300):
                    overview = gr.Dataframe(
                        headers=COUNT_HEADERS, interactive=False, label="各状态指标数", elem_id="qa-status-counts"
                    )
                    png = gr.DownloadButton("下载图表 PNG", value=None, elem_id="qa-chart-png")
                    xlsx = gr.DownloadButton("导出看板 .xlsx", value=None, elem_id="qa-dashboard-xlsx")
            search.change(record_rows, [search], [table], api_visibility="private")
            table.change(dashboard_side, [search], [overview, pick, xlsx], api_visibility="private")
            table.select(choose_row, None, [pick], api_visibility="private")
            pick.change(show_chart, [pick], [plot, png], api_visibility="private")
        with gr.Tab("文档"):
            with gr.Group(visible=False) as admin:
                with gr.Row():
                    again = gr.Button("重新索引", scale=1)
                    full = gr.Checkbox(label="全部重新计算向量（较慢）", value=False, scale=3)
                yes, confirm = confirm_step("重建期间仍可照常提问，建好后自动换用新索引。确定重建索引吗？", "确认重建")
                files = gr.File(
                    label=f"上传文档（{accepted_types()}；每个文件不超过 {settings.max_upload_mb} MB）",
                    file_count="multiple",
                    file_types=list(SUFFIXES),
                    type="filepath",
                    elem_id="qa-upload",
                )
                gr.Markdown(
                    f"一次可选多个文件，合计不超过 {UPLOAD_BATCH * settings.max_upload_mb} MB；"
                    "同名文件在新文件可读时替换。上传后自动更新索引，期间仍可照常提问。"
                )
                with gr.Row():
                    chosen = gr.Dropdown(label="删除文档", choices=[], scale=3, elem_id="qa-remove-choice")
                    drop = gr.Button("删除", scale=1)
                sure, confirm_drop = confirm_step("将从语料目录删除所选文档并更新索引。确定删除吗？", "确认删除")
            status = gr.Markdown()
            docs = gr.HTML()
            again.click(lambda: gr.update(visible=True), None, confirm, api_visibility="private")
            yes.click(lambda: gr.update(visible=False), None, confirm, api_visibility="private").then(
                rebuild, [full], [status, docs, table], api_visibility="private"
            )
            files.upload(upload, [files], [status, docs, table, chosen, files], api_visibility="private")
            drop.click(lambda: gr.update(visible=True), None, confirm_drop, api_visibility="private")
            sure.click(lambda: gr.update(visible=False), None, confirm_drop, api_visibility="private").then(
                remove, [chosen], [status, docs, table, chosen], api_visibility="private"
            )
        brief_tab(demo, settings, shown)
        demo.load(restore, [saved, chatbot, shown], [chatbot, shown], api_visibility="private")
        demo.load(when_ready, None, [docs, table], api_visibility="private")
        demo.load(admin_view, None, [admin, chosen], api_visibility="private")
        gr.api(api_ask, api_name="ask")
    return demo


def when_ready() -> tuple[str, dict]:
    """The 文档 and 指标看板 tabs, once the index is loaded (the page is served before it is)."""
    if _service is not None and _service.answerer is None:
        _service.ready.wait(LOAD_WAIT)
    return docs_html(), record_rows()


def keep(history: list, shown: dict) -> dict:
    """What the browser keeps of the chat: the messages and the answer ids behind them."""
    # The browser keeps JSON, whose keys are strings; feedback looks an index up either way.
    return {"chat": history or [], "shown": {str(k): v for k, v in (shown or {}).items()}}


def restore(saved: dict, chat_now: list, shown_now: dict) -> tuple[list, dict]:
    """The chat this browser kept, unless a question was already asked on this page (it loads late)."""
    if chat_now:
        return chat_now, shown_now
    saved = saved if isinstance(saved, dict) else {}
    chat = saved.get("chat") if isinstance(saved.get("chat"), list) else []
    shown = saved.get("shown") if isinstance(saved.get("shown"), dict) else {}
    return chat, shown


def browser_secret(settings: Settings) -> str:
    """The key the browser-kept chat is encrypted with, made once and kept beside the index."""
    path = settings.index_dir / "browser.key"
    try:
        return path.read_text("ascii").strip()
    except OSError:
        key = secrets.token_hex(16)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(key, "ascii")
        except OSError:
            pass  # a read-only index folder: the chat is kept until the server restarts
        return key


def login_check(settings: Settings) -> LoginGuard | None:
    """The login check for QA_AUTH / QA_AUTH_FILE, throttled; None when login is off."""
    users = read_users(settings.auth, settings.auth_file)
    return LoginGuard(users) if users else None


def start(settings: Settings, service: Service | None = None) -> Service:
    """Open the index (building it, and the model, when missing or unreadable) and load the model."""
    service = service or Service(settings, feedback=FeedbackLog(settings.index_dir / "feedback.jsonl"))
    print(f"正在打开索引 {settings.index_dir} …", flush=True)
    answerer = open_or_build(settings, rebuild_unreadable=True, say=lambda message: print(message, flush=True))
    service.index, service.answerer = answerer.index, answerer
    service.ready.set()
    return service


def load_in_background(service: Service, started: float) -> None:
    """Load the index and the model while the page is already served; a failure stops the app with its message."""
    try:
        start(service.settings, service)
    except QAError as err:
        print(f"无法启动报告问答：{err}", file=sys.stderr, flush=True)
        os._exit(1)  # the web server runs in the main thread: stop the whole process, as before it served
    except Exception as err:  # anything else must not leave a page that waits forever
        log.exception("加载失败: %r", err)
        print(f"无法启动报告问答：{err}", file=sys.stderr, flush=True)
        os._exit(1)
    print(f"索引与模型已就绪（{time.perf_counter() - started:.1f} 秒）", flush=True)


def main() -> int:
    global _service
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    try:
        settings = load_settings()
        auth = login_check(settings)
    except (QAError, ValueError) as err:
        print(f"无法启动报告问答：{err}", file=sys.stderr)
        return 1
    # The page is served first; the index and the model load beside it (a question waits for them).
    _service = Service(settings, feedback=FeedbackLog(settings.index_dir / "feedback.jsonl"))
    threading.Thread(target=load_in_background, args=(_service, started), name="qa-load", daemon=True).start()
    print(f"启动网页服务 http://{settings.host}:{settings.port}（索引与模型在后台加载）", flush=True)
    demo = build_demo()
    demo.queue(default_concurrency_limit=settings.concurrency)
    try:
        demo.launch(
            server_name=settings.host,
            server_port=settings.port,
            auth=auth,
            auth_message="报告问答：请登录" if auth else None,
            css=CSS,
            head=COPY_JS,
            show_error=False,
            enable_monitoring=False,
            footer_links=[],
            max_file_size=settings.max_upload_mb * MB,
            app_kwargs={
                # FastAPI's own schema and docs pages are not for staff; Gradio's API page needs a login.
                "openapi_url": None,
                "docs_url": None,
                "redoc_url": None,
                "middleware": [
                    Middleware(
                        Guard,
                        max_body=settings.max_request_bytes,
                        max_upload=UPLOAD_BATCH * settings.max_upload_mb * MB + UPLOAD_OVERHEAD,
                    )
                ],
            },
        )
    except OSError as err:  # the port is taken or the address is not this machine's
        print(f"无法在 {settings.host}:{settings.port} 上提供服务：{err}（可用 QA_PORT 换一个端口）", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
