"""Command line: `qa index | ask | brief | eval | bench`; the only place (besides app.py) that prints errors."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import subprocess
import sys
from pathlib import Path

from .config import load_settings
from .errors import BadQuestion, QAError

DEFAULT_GOLD = Path("tests") / "gold" / "public.jsonl"  # relative to the working directory


def _quiet_libraries() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("chromadb").setLevel(logging.ERROR)


def load_answerer(settings=None, build_if_missing: bool = True):
    """Open the index (building it the first time, with progress) and return an Answerer."""
    from .service import open_or_build

    return open_or_build(settings, build_if_missing=build_if_missing)


def cmd_index(args) -> int:
    from .index import build_index, tqdm_progress

    report = build_index(load_settings(), rebuild=args.rebuild, progress=tqdm_progress())
    print(
        f"索引完成：{report.docs} 个文档，{report.chunks} 个片段，新嵌入 {report.embedded} 个，"
        f"用时 {report.seconds:.1f} 秒（模型 {report.model}）"
    )
    for item in report.skipped:
        print(f"已跳过：{item}", file=sys.stderr)
    return 0


def format_answer(a: dict) -> str:
    """Readable text for one answer."""
    out = [f"问：{a['question']}", f"答（{a['kind']}）：{a['answer']}"]
    if a.get("working"):
        out.append(f"计算：{a['working']}")
    for i, c in enumerate(a["citations"], 1):
        page = f"第{c['page']}页，" if c.get("page") else ""
        out.append(
            f"  [{i}] 《{c.get('title') or c['doc']}》（{page}{c['section']}，行{c['lines'][0]}-{c['lines'][1]}）"
        )
        if c.get("cells"):
            # A table row: where it stands, then the columns the answer uses, as printed.
            used = [(col, value) for col, value in c["cells"] if col in c.get("used", [])] or c["cells"]
            out.append(f"      {c['table_row']}：" + "；".join(f"{col} {value}" for col, value in used))
        else:
            out.append(f"      “{c['text'][:200]}”")
    return "\n".join(out)


def cmd_ask(args) -> int:
    answerer = load_answerer()
    history: list[str] = []
    code = 0
    for question in args.questions:
        try:
            result = answerer.ask(question, history if args.chat else None).to_dict()
        except BadQuestion as e:
            result = {
                "question": question,
                "answer": str(e),
                "kind": "not_found",
                "citations": [],
                "latency_ms": 0.0,
                "error": "bad_question",
            }
            code = 2
        history.append(question)
        print(json.dumps(result, ensure_ascii=False) if args.json else format_answer(result) + "\n", flush=True)
    return code


def cmd_brief(args) -> int:
    """Answer each question and write the answers as a briefing (.docx, or Markdown with --md)."""
    from .brief import item_from_answer, to_docx, to_markdown

    if not args.md and not args.out:
        raise QAError("请用 --out 指定 Word 文件（如 简报.docx），或用 --md 输出 Markdown")
    answerer = load_answerer()
    items = []
    for question in args.questions:
        try:
            items.append(item_from_answer(answerer.ask(question)))
        except BadQuestion as e:
            raise QAError(f"问题“{question}”无法回答：{e}") from e
    if args.md:
        text = to_markdown(items, args.title)
        if not args.out:
            print(text, end="")
            return 0
        Path(args.out).write_text(text, "utf-8")
    else:
        try:
            to_docx(items, args.title, args.out)
        except OSError as e:
            raise QAError(f"无法写入 {args.out}：{e.strerror or e}") from e
    print(f"简报已写入 {args.out}（{len(items)} 条）", file=sys.stderr)
    return 0


def cmd_eval(args) -> int:
    from .corpus import corpus_text
    from .evaluate import load_gold, score_item, summarise

    answerer = load_answerer()
    report_text = corpus_text(load_settings().corpus_dir)
    golds = args.gold or [str(DEFAULT_GOLD)]
    missing = [g for g in golds if not Path(g).is_file()]
    if missing:
        raise QAError(f"找不到问题集：{'、'.join(missing)}（用 --gold 指定 JSONL 文件）")
    rows, summaries = [], {}
    for gold_path in golds:
        scored = []
        for item in load_gold(Path(gold_path)):
            result = answerer.ask(item["question"]).to_dict()
            s = score_item(item, result, report_text)
            scored.append(s)
            rows.append(
                {
                    **result,
                    "id": item["id"],
                    "set": Path(gold_path).stem,
                    "category": item["category"],
                    "correct": s.correct,
                    "evidence_hit": s.evidence,
                    "ungrounded": s.ungrounded,
                }
            )
        summaries[Path(gold_path).stem] = summarise(scored)
    if args.out:
        Path(args.out).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    shown = next(iter(summaries.values())) if len(summaries) == 1 else summaries
    print(json.dumps(shown, ensure_ascii=False, indent=2))
    if args.verbose:
        for r in rows:
            if not r["correct"] or r["evidence_hit"] is False:
                print(f"{r['id']} {r['category']} {r['kind']}: {r['question']} -> {r['answer'][:120]}", file=sys.stderr)
    return 0


def cmd_bench(args) -> int:
    # The benchmark lives beside the tests in the repository (benchmarks/bench.py), not in the package.
    script = Path("benchmarks") / "bench.py"
    if not script.is_file():
        raise QAError("qa bench 需要在项目仓库根目录运行（benchmarks/bench.py 不随安装包分发）")
    return subprocess.call([sys.executable, str(script), *[a for a in args.bench_args if a != "--"]])


def cmd_passwd(args) -> int:
    """Print a QA_AUTH_FILE line for a user: the password is read without echo (or from stdin) and hashed."""
    from .security import hash_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"{args.user} 的密码：")
        if password != getpass.getpass("再输入一次："):
            raise QAError("两次输入的密码不一致")
    if len(password) < 8:
        raise QAError("密码至少 8 个字符")
    print(f"{args.user}:{hash_password(password)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="报告问答：对报告提问，给出精确数字与出处。")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("index", help="建立或更新索引 (build or update the index)")
    s.add_argument("--rebuild", action="store_true", help="重新嵌入全部内容 (re-embed everything)")
    s.set_defaults(func=cmd_index)
    s = sub.add_parser("ask", help="提问 (ask questions)")
    s.add_argument("questions", nargs="+", metavar="问题")
    s.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    s.add_argument("--chat", action="store_true", help="把前面的问题当作对话历史（追问）")
    s.set_defaults(func=cmd_ask)
    s = sub.add_parser("brief", help="把问题的回答写成简报 (write a briefing: Word or Markdown)")
    s.add_argument("questions", nargs="+", metavar="问题")
    s.add_argument("--out", help="输出文件：Word（.docx），加 --md 时为 Markdown；--md 不加 --out 则打印")
    s.add_argument("--md", action="store_true", help="输出 Markdown 而不是 Word")
    s.add_argument("--title", default="", help="简报标题，默认“简报”加日期")
    s.set_defaults(func=cmd_brief)
    s = sub.add_parser("eval", help="用金标问题集评测 (run a gold set)")
    s.add_argument("--gold", action="append", help="问题集 JSONL，可重复；默认 tests/gold/public.jsonl")
    s.add_argument("--out", help="逐题结果写入 JSONL")
    s.add_argument("-v", "--verbose", action="store_true", help="列出答错的问题")
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("passwd", help="生成 QA_AUTH_FILE 的一行（加盐哈希） (hash a password)")
    s.add_argument("user", metavar="用户名")
    s.add_argument("--stdin", action="store_true", help="从标准输入读一行密码（脚本用），不交互提示")
    s.set_defaults(func=cmd_passwd)
    s = sub.add_parser(
        "bench", help="性能与规模基准，在仓库根目录运行 (benchmarks: --quick, --out, --scale)", add_help=False
    )
    s.add_argument("bench_args", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        # Everything after `bench` belongs to benchmarks/bench.py (argparse's REMAINDER drops leading options).
        argv = ["bench", "--", *argv[1:]]
    args = build_parser().parse_args(argv)
    _quiet_libraries()
    try:
        return args.func(args)
    except QAError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
