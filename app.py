"""报告问答 web app: a thin Gradio shell over qa.answer — one respond(message, history), no retrieval here.

Source text and questions are always html-escaped before they reach the page; the only markup the app
adds is its own (layout, <mark> around the answer's figures, copy buttons).
"""

from __future__ import annotations

import html
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass, field

import gradio as gr

from qa.answer import Answerer, check_question
from qa.config import Settings, load_settings
from qa.errors import BadQuestion, IndexBusy, QAError
from qa.index import build_index, open_index
from qa.render import plain_text, render_answer, text_html
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
RECORD_HEADERS = ["表", "序号", "指标", "栏目", "原文数值", "单位", "来源行"]
BUSY = "正在重新建立索引，请稍候再提问。"
NOT_READY = "索引尚未就绪，请稍后再试。"
FAILED = "处理问题时出错，请换一种问法或稍后再试（详情已写入日志）。"

CSS = """
.qa-lead { font-size: 1.08em; font-weight: 600; }
.qa-kind { font-size: .75em; padding: 0 .4em; border-radius: .3em; background: #e8eef7; margin-right: .4em; }
.qa-cite { border-left: 3px solid #c9d3e0; padding: .2em .6em; margin: .5em 0; }
.qa-cite-head { font-size: .85em; color: #555; }
.qa-quote { white-space: pre-wrap; margin: .3em 0; }
.qa-quote mark { background: #ffe27a; padding: 0 .1em; }
.qa-copy { font-size: .9em; margin-left: .5em; cursor: pointer; border: 1px solid #bbb; border-radius: .3em;
           padding: 0 .4em; background: #fff; }
.qa-error { color: #a33; }
"""
# One delegated listener, as chat messages are re-rendered often. The text rides in the button's value:
# Gradio's sanitizer keeps value but drops data-* attributes. Plain http on a LAN is no secure context,
# where navigator.clipboard is missing, hence the textarea fallback.
COPY_JS = """<script>
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
</script>"""


@dataclass
class Service:
    """The serving index and its answerer, swapped whole after a rebuild."""

    settings: Settings
    index: object = None
    answerer: object = None
    rebuilding: bool = False
    feedback_lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        index = open_index(self.settings)
        self.index, self.answerer = index, Answerer(index, self.settings)


_service: Service | None = None


# ---- answers ----------------------------------------------------------------------------------


def ask(question: str, history: list[str]) -> Answer:
    """The library's Answer for a question, or a QAError whose message can be shown as it is."""
    service = _service
    if service is None or service.answerer is None:
        raise QAError(NOT_READY)
    if service.rebuilding:
        raise IndexBusy(BUSY)
    check_question(question, service.settings.max_question_chars)
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
    return render_answer(answer), {"question": message, "kind": answer.kind, "answer": answer.answer}


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


def record_feedback(shown: dict, data: gr.LikeData) -> None:
    """Append a 👍/👎 on an answer, with its question, to feedback.jsonl in the index folder."""
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    item = (shown or {}).get(index) or (shown or {}).get(str(index)) or {}
    entry = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "liked": data.liked,
        "question": item.get("question", ""),
        "kind": item.get("kind", "message"),
        "answer": item.get("answer", ""),
    }
    path = _service.settings.index_dir / "feedback.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _service.feedback_lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


# ---- 指标表 and 文档 tabs --------------------------------------------------------------------------


def record_rows(query: str = "") -> list[list]:
    """Every table record as a row, keeping those that contain all the words of the query."""
    index = _service.index if _service else None
    rows = [
        [
            r.table,
            r.row,
            r.indicator,
            r.column,
            r.raw,
            r.unit,
            f"{r.lines[0]}–{r.lines[1]}" if r.lines[0] != r.lines[1] else str(r.lines[0]),
        ]
        for r in (index.records if index else [])
    ]
    words = (query or "").split()
    return [row for row in rows if all(any(w in str(cell) for cell in row) for w in words)]


def docs_html() -> str:
    """The documents indexed, their sections with pages, and when and with which model it was built."""
    index = _service.index if _service else None
    if index is None:
        return f"<p>{NOT_READY}</p>"
    out = [
        f"<p>索引建立于 {html.escape(str(index.built_at))}，嵌入模型 {html.escape(str(index.model))}，"
        f"共 {len(index.docs)} 个文档。</p>"
    ]
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


def rebuild(full: bool, progress=gr.Progress()) -> tuple[str, str, list]:  # noqa: B008 (Gradio injects progress)
    """Bring the index up to date (full=True re-embeds everything) and reload the answerer."""
    service = _service
    if service.rebuilding:
        return "已有重建任务在进行。", docs_html(), record_rows()

    def report(stage: str, done: int, total: int) -> None:
        progress((done, max(total, 1)), desc=STAGES.get(stage, stage))

    service.rebuilding = True
    try:
        result = build_index(service.settings, rebuild=full, progress=report)
        service.load()
        status = (
            f"重建完成：{result.docs} 个文档，{result.chunks} 个片段，新计算向量 {result.embedded} 个，"
            f"用时 {result.seconds:.1f} 秒。"
        )
    except QAError as err:
        log.error("重建索引失败: %r", err)
        status = "重建失败：" + (str(err) if isinstance(err, IndexBusy) else "详情见日志。")
    finally:
        service.rebuilding = False
    return status, docs_html(), record_rows()


# ---- layout and start-up ------------------------------------------------------------------------


def build_demo() -> gr.Blocks:
    """The three tabs wired to the functions above, plus the /ask API."""
    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        gr.Markdown("# 报告问答\n就报告中的数字、做法和章节提问；每个回答都附原文出处。")
        with gr.Tab("问答"):
            chatbot = gr.Chatbot(
                label="对话",
                show_label=False,  # the label and its bar covered the first line of the chat
                height="65vh",
                min_height=420,
                latex_delimiters=[],
                feedback_options=("Like", "Dislike"),
                buttons=[],  # Gradio's copy icons paste raw HTML and its share icon does nothing here
            )
            with gr.Row():
                box = gr.Textbox(
                    placeholder="输入问题，按回车提问，例如：2022年生产安全事故死亡人数",
                    show_label=False,
                    scale=8,
                    autofocus=True,
                )
                send = gr.Button("提问", variant="primary", scale=1)
            shown = gr.State({})
            gr.Examples(EXAMPLES, inputs=[box], label="示例问题")
            gr.ClearButton([box, chatbot, shown], value="清空对话")
            for trigger in (box.submit, send.click):
                trigger(chat, [box, chatbot, shown], [chatbot, box, shown], api_visibility="private")
            chatbot.like(record_feedback, [shown], None, api_visibility="private")
        with gr.Tab("指标表"):
            search = gr.Textbox(label="搜索", placeholder="按表名、指标、栏目或数值筛选，空格分隔多个词")
            table = gr.Dataframe(headers=RECORD_HEADERS, interactive=False, wrap=True, elem_id="qa-records")
            search.change(record_rows, [search], [table], api_visibility="private")
        with gr.Tab("文档"):
            with gr.Row():
                again = gr.Button("重新索引", scale=1)
                full = gr.Checkbox(label="全部重新计算向量（较慢）", value=False, scale=3)
            status = gr.Markdown()
            docs = gr.HTML()
            again.click(rebuild, [full], [status, docs, table], concurrency_limit=1, api_visibility="private")
        demo.load(lambda: (docs_html(), record_rows()), None, [docs, table], api_visibility="private")
        gr.api(api_ask, api_name="ask")
    return demo


def parse_auth(text: str) -> list[tuple[str, str]] | None:
    """QA_AUTH "user:pass,user2:pass2" as Gradio's list of pairs; None when login is off."""
    pairs = [p.strip().split(":", 1) for p in text.split(",") if p.strip()]
    if any(len(p) != 2 or not p[0] for p in pairs):
        raise ValueError("QA_AUTH 格式应为 user:pass,user2:pass2")
    return [(u, p) for u, p in pairs] or None


def start(settings: Settings) -> Service:
    """Open the index (building it, and the model, when missing or unreadable) and load the model."""
    service = Service(settings)
    print(f"正在打开索引 {settings.index_dir} …", flush=True)
    answerer = open_or_build(settings, rebuild_unreadable=True, say=lambda message: print(message, flush=True))
    service.index, service.answerer = answerer.index, answerer
    return service


def main() -> int:
    global _service
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    try:
        settings = load_settings()
        auth = parse_auth(settings.auth)
    except (QAError, ValueError) as err:
        print(f"无法启动报告问答：{err}", file=sys.stderr)
        return 1
    try:
        _service = start(settings)
    except QAError as err:
        print(f"无法启动报告问答：{err}", file=sys.stderr)
        return 1
    print(
        f"索引与模型已就绪（{time.perf_counter() - started:.1f} 秒），启动网页服务 http://{settings.host}:{settings.port}",
        flush=True,
    )
    demo = build_demo()
    demo.queue(default_concurrency_limit=settings.concurrency)
    try:
        demo.launch(
            server_name=settings.host, server_port=settings.port, auth=auth, css=CSS, head=COPY_JS, show_error=False
        )
    except OSError as err:  # the port is taken or the address is not this machine's
        print(f"无法在 {settings.host}:{settings.port} 上提供服务：{err}（可用 QA_PORT 换一个端口）", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
