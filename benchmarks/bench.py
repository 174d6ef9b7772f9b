"""`qa bench`: build times, start-up, latency by answer kind, peak memory, a LangChain baseline, and scale.

Every measured build or serving run happens in a fresh subprocess (`python benchmarks/bench.py --worker <task>
<params>`),
so its start-up and its peak RSS (ru_maxrss) are its own; the parent only prepares directories and
environments, collects one JSON result per run and writes them all to args.out. Targets are printed
next to the figures, never asserted: a benchmark reports, tests decide.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qa.config import load_settings
from qa.corpus import corpus_files, corpus_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # the repository: benchmarks are run from a checkout, not from the wheel
GOLD = ROOT / "tests" / "gold" / "public.jsonl"
TARGETS = {
    "figure_p95_ms": 100,
    "passage_p95_ms": 300,
    "warm_build_s": 20,
    "build_rss_mb": 1300,
    "serving_rss_mb": 1024,
    "app_page_s": 8,
}
KINDS = ("figure", "computed", "passage", "not_found")
REAL_MODEL_MAX_DOCS = 10  # larger synthetic corpora use the fake embedder (labelled in the JSON)
SCALE_QUESTIONS = 30  # per corpus size, spread over the documents
SCALE_BUDGET_S = 600  # stop asking after this long (latency grows with the corpus)
SEED = 20230601
WARM_UP = "2022年生产安全事故死亡人数"
FAKE_NOTE = (
    "QA_EMBED_MODEL=fake (hashed character bigrams): build time excludes real embedding and dense "
    "retrieval is meaningless; estimated_real_build_s adds the unique chunks at the measured real rate"
)


# ---- parent -------------------------------------------------------------------------------------


def run_bench(args) -> int:
    """Run the benchmarks, print a summary with the targets and write the JSON to args.out."""
    quick = bool(getattr(args, "quick", False))
    scales = [int(x) for x in str(getattr(args, "scale", "1,10,100")).split(",") if x.strip()]
    out = Path(getattr(args, "out", ROOT / "benchmarks" / "results.json"))
    settings = load_settings()
    reports = corpus_files(settings.corpus_dir)
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_CHROMA")}
    env.update(
        QA_CORPUS_DIR=str(settings.corpus_dir),
        QA_MODEL_DIR=str(settings.model_dir),
        QA_EMBED_MODEL=settings.embed_model,
        TOKENIZERS_PARALLELISM="false",
    )
    res: dict = {"meta": _meta(settings, quick), "targets": TARGETS, "build": {}}
    try:
        res["model"] = _run("model", {**env, "QA_MODEL_DIR": str(work / "model-fresh")}, work)
        shutil.rmtree(work / "model-fresh", ignore_errors=True)
        if not quick:
            res["build"]["cold"] = _run(
                "build", {**env, "QA_MODEL_DIR": str(work / "model-cold"), "QA_INDEX_DIR": str(work / "cold")}, work
            )
            shutil.rmtree(work / "model-cold", ignore_errors=True)
        warm_env = {**env, "QA_INDEX_DIR": str(work / "warm")}
        res["build"]["warm"] = _run("build", warm_env, work)
        if quick:
            res["build"]["cold"] = {
                "skipped": "--quick",
                "note": "estimate = model.build_s + build.warm.seconds",
                "estimate_s": round(res["model"]["build_s"] + res["build"]["warm"]["seconds"], 1),
            }
        res["build"]["warm"]["index_mb"] = _size_mb(work / "warm")
        floor = _run("floor", warm_env, work)
        warm_s = res["build"]["warm"]["seconds"]
        res["build"]["floor"] = {
            **floor,
            "build_over_encode": round(warm_s / floor["encode_s"], 2) if floor["encode_s"] else None,
            "build_over_load_and_encode": (
                round(warm_s / (floor["load_s"] + floor["encode_s"]), 2) if floor["encode_s"] else None
            ),
        }
        res["build"]["reindex"] = _reindex(env, work, reports[0])
        res["serving"] = _run("serve", warm_env, work, {"gold": str(GOLD)})
        res["app_start"] = _app_start(warm_env, work)
        res["baseline"] = _run("baseline", env, work, {"gold": str(GOLD)})
        res["ours_over_baseline"] = _ratios(res)
        rate = res["build"]["warm"]["embedded"] / max(res["build"]["warm"]["seconds"], 1e-9)
        res["scale"] = [_scale(n, env, work, reports[0], quick, rate) for n in scales]
    finally:
        res["meta"]["load_average_end"] = list(os.getloadavg())
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", "utf-8")
        shutil.rmtree(work, ignore_errors=True)
    _print_summary(res, out)
    return 0


def _meta(settings, quick: bool) -> dict:
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": quick,
        "model": settings.embed_model,
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "load_average_start": list(os.getloadavg()),
        "store": "embedded Chroma (QA_CHROMA_* ignored)",
    }


def _run(task: str, env: dict, work: Path, params: dict | None = None) -> dict:
    """Run one worker in a fresh process; return its JSON result plus the process wall time."""
    print(f"[bench] {task} {env.get('QA_INDEX_DIR', '')} …", file=sys.stderr, flush=True)
    result_file = Path(tempfile.mkstemp(dir=work, suffix=".json")[1])
    log = work / f"{task}.log"
    params = {**(params or {}), "result": str(result_file), "spawned": time.time()}
    started = time.perf_counter()
    with open(log, "w") as err:
        done = subprocess.run(
            [sys.executable, str(HERE / "bench.py"), "--worker", task, json.dumps(params)],
            env=env,
            cwd=ROOT,
            stdout=err,
            stderr=err,
        )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"bench worker {task} failed ({done.returncode}):\n{tail}")
    result = json.loads(result_file.read_text("utf-8"))
    result["process_s"] = round(wall, 2)
    return result


def _app_start(env: dict, work: Path) -> dict:
    """`python app.py` on a built index: seconds to the page (first HTTP 200) and to the first answer.

    The page is served before the index and the model are loaded; a question asked then waits for them."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with open(work / "app.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            env={**env, "QA_HOST": "127.0.0.1", "QA_PORT": str(port), "QA_AUTH": "", "QA_AUTH_FILE": ""},
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        try:
            page = None
            while page is None and time.perf_counter() - started < 300:
                try:
                    with urllib.request.urlopen(url + "/", timeout=2):
                        page = time.perf_counter() - started
                except OSError:
                    time.sleep(0.1)
            request = urllib.request.Request(
                url + "/gradio_api/call/ask",
                data=json.dumps({"data": ["2022年生产安全事故死亡人数", "[]"]}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=300) as resp:
                event = json.loads(resp.read())["event_id"]
            with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event}", timeout=300) as resp:
                answered = b"event: complete" in resp.read()
            first = time.perf_counter() - started
            rss = _process_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
    return {"page_s": round(page or -1, 2), "first_answer_s": round(first, 2), "answered": answered, "rss_mb": rss}


def _process_rss_mb(pid: int) -> float:
    """Resident memory of a running process (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def _reindex(env: dict, work: Path, report: Path) -> dict:
    """Two documents: add a second one to the warm index, change it, rebuild; only its chunks are re-embedded."""
    from synth import generate

    corpus = work / "two-docs"
    corpus.mkdir()
    shutil.copy(report, corpus / report.name)
    made = generate(report.read_text("utf-8"), 1, corpus, SEED)[0]
    shutil.copytree(work / "warm", work / "two")
    two_env = {**env, "QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(work / "two")}
    added = _run("build", two_env, work)
    changed_doc = corpus / made["doc"]
    raw = made["questions"][0]["expected_raw"]
    number = made["questions"][0]["expected"]
    text = changed_doc.read_text("utf-8")
    changed_doc.write_text(text.replace(raw, raw.replace(number, str(int(float(number)) + 1), 1), 1), "utf-8")
    changed = _run("build", two_env, work)
    noop = _run("build", two_env, work)
    return {
        "docs": 2,
        "add_second_doc": added,
        "change_one_doc": changed,
        "no_change": noop,
        "changed_doc_chunks": changed["doc_chunks"][made["doc"]],
        "only_changed_doc_embedded": changed["changed"] == [made["doc"]]
        and changed["embedded"] <= changed["doc_chunks"][made["doc"]],
    }


def _scale(n: int, env: dict, work: Path, report: Path, quick: bool, real_rate: float) -> dict:
    from synth import generate

    corpus = work / f"scale-{n}"
    made = generate(report.read_text("utf-8"), n, corpus, SEED)
    rounds = max((len(d["questions"]) for d in made), default=0)
    questions = [d["questions"][r] for r in range(rounds) for d in made if r < len(d["questions"])]
    questions = questions[:SCALE_QUESTIONS]
    (work / f"scale-{n}.json").write_text(json.dumps(questions, ensure_ascii=False), "utf-8")
    real = n <= (1 if quick else REAL_MODEL_MAX_DOCS)
    scale_env = {**env, "QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(work / f"scale-{n}-index")}
    if not real:
        scale_env["QA_EMBED_MODEL"] = "fake"
    build = _run("build", scale_env, work)
    serve = _run("serve", scale_env, work, {"synth": str(work / f"scale-{n}.json"), "budget_s": SCALE_BUDGET_S})
    row = {
        "docs": n,
        "embedder": env["QA_EMBED_MODEL"] if real else "fake",
        "chunks": build["chunks"],
        "embedded": build["embedded"],
        "build_s": build["seconds"],
        "build_rss_mb": build["rss_mb"],
        "index_mb": _size_mb(work / f"scale-{n}-index"),
        "corpus_mb": _size_mb(corpus),
        "questions": serve["asked"],
        "latency_ms": serve["latency_ms"],
        "serving_rss_mb": serve["rss_mb"],
        "startup_s": serve["startup_s"],
        "cites_right_doc": serve["cites_right_doc"],
        "right_doc_in_citations": serve["right_doc_in_citations"],
        "answer_correct": serve["answer_correct"],
    }
    if not real:
        row["note"] = FAKE_NOTE
        row["estimated_real_build_s"] = round(build["seconds"] + build["embedded"] / real_rate, 0)
    shutil.rmtree(work / f"scale-{n}-index", ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    return row


def _size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)


def _ratios(res: dict) -> dict:
    ours, base = res["serving"], res["baseline"]

    def ratio(a, b):
        return round(a / b, 3) if a is not None and b else None

    return {
        "build_s": ratio(res["build"]["warm"]["seconds"], base["build_s"]),
        "latency_p50": ratio(ours["latency_ms"]["all"]["p50"], base["latency_ms"]["p50"]),
        "latency_p95": ratio(ours["latency_ms"]["all"]["p95"], base["latency_ms"]["p95"]),
        "rss": ratio(ours["rss_mb"], base["rss_mb"]),
        "accuracy": ratio(ours["summary"]["accuracy"], base["hybrid"]["accuracy"]),
        "evidence_hit_at_5": ratio(ours["summary"]["evidence_hit_at_5"], base["hybrid"]["evidence_hit_at_5"]),
    }


def _print_summary(res: dict, out: Path) -> None:
    b, s, t = res["build"], res["serving"], TARGETS
    lat = s["latency_ms"]
    cold = b["cold"].get("seconds") or f"未测（--quick），估计 {b['cold']['estimate_s']}"
    lines = [
        f"模型构建 {res['model']['build_s']} s，加载 {res['model']['load_s']} s",
        f"索引构建：冷启动 {cold}；热 {b['warm']['seconds']} s（目标 ≤ {t['warm_build_s']} s）；"
        f"改动两文档之一后重建 {b['reindex']['change_one_doc']['seconds']} s，"
        f"库的下限（sentence-transformers 加载 {b['floor']['load_s']} s + 编码 {b['floor']['encode_s']} s）："
        f"构建 ÷ 编码 {b['floor']['build_over_encode']}×，"
        f"构建 ÷（加载+编码）{b['floor']['build_over_load_and_encode']}×；"
        f"重新嵌入 {b['reindex']['change_one_doc']['embedded']}/{b['reindex']['changed_doc_chunks']} 个片段",
        f"启动（进程到 Answerer）{s['startup_s']} s；首个回答 {s['first_answer_s']} s",
        f"网页应用：页面可用 {res['app_start']['page_s']} s（目标 ≤ {t['app_page_s']} s），"
        f"首个回答 {res['app_start']['first_answer_s']} s，服务内存 {res['app_start']['rss_mb']} MB",
        f"figure p50/p95 {lat['figure']['p50']}/{lat['figure']['p95']} ms（目标 p95 ≤ {t['figure_p95_ms']} ms）",
        f"passage p50/p95 {lat['passage']['p50']}/{lat['passage']['p95']} ms（目标 p95 ≤ {t['passage_p95_ms']} ms）",
        f"computed p95 {lat['computed']['p95']} ms；not_found p95 {lat['not_found']['p95']} ms",
        f"峰值内存：构建 {b['warm']['rss_mb']} MB（目标 ≤ {t['build_rss_mb']} MB），"
        f"服务 {s['rss_mb']} MB（目标 ≤ {t['serving_rss_mb']} MB）",
        f"准确率 {s['summary']['accuracy']}，证据 hit@5 {s['summary']['evidence_hit_at_5']}；"
        f"基线（LangChain+BM25）准确率 {res['baseline']['hybrid']['accuracy']}，"
        f"hit@5 {res['baseline']['hybrid']['evidence_hit_at_5']}",
        f"ours/baseline {json.dumps(res['ours_over_baseline'])}",
    ]
    for row in res.get("scale", []):
        lines.append(
            f"N={row['docs']:>3} [{row['embedder']}] 构建 {row['build_s']} s，索引 {row['index_mb']} MB，"
            f"p50/p95 {row['latency_ms']['p50']}/{row['latency_ms']['p95']} ms，"
            f"内存 {row['serving_rss_mb']} MB，引用正确文档 {row['cites_right_doc']}"
        )
    print("\n".join(lines))
    print(f"结果已写入 {out}")


# ---- workers (each runs in its own process) -----------------------------------------------------


def _rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentiles(values: list[float]) -> dict:
    from qa.evaluate import percentile

    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "mean": round(statistics.mean(values), 1) if values else None,
    }


def _work_model(params: dict) -> dict:
    from dataclasses import replace

    from qa.config import DEFAULT_MODEL
    from qa.embed import ensure_default_model, get_embedder

    settings = replace(load_settings(), embed_model=DEFAULT_MODEL)
    started = time.perf_counter()
    ensure_default_model(settings, progress=lambda msg: None)
    built = time.perf_counter()
    get_embedder(settings)
    return {"build_s": round(built - started, 2), "load_s": round(time.perf_counter() - built, 2), "rss_mb": _rss_mb()}


def _work_build(params: dict) -> dict:
    from qa.index import build_index

    report = build_index(load_settings())
    manifest = json.loads((report.path / "manifest.json").read_text("utf-8"))
    return {
        "seconds": round(report.seconds, 2),
        "embedded": report.embedded,
        "chunks": report.chunks,
        "docs": report.docs,
        "model": report.model,
        "added": list(report.added),
        "changed": list(report.changed),
        "unchanged": list(report.unchanged),
        "skipped": list(report.skipped),
        "doc_chunks": {d["name"]: d["chunks"] for d in manifest["docs"]},
        "rss_mb": _rss_mb(),
    }


def _work_floor(params: dict) -> dict:
    """The library's own floor for the build: sentence-transformers loading the model and encoding the
    index's chunks, every core, batches of 32, no prompt, no cache, nothing written."""
    from qa.embed import get_embedder, use_all_cores
    from qa.index import open_index

    settings = load_settings()
    texts = [c.text for c in open_index(settings).chunks]
    started = time.perf_counter()
    model = getattr(get_embedder(settings), "_model", None)
    loaded = time.perf_counter()
    if model is None:  # QA_EMBED_MODEL=fake: there is no library to compare with
        return {"chunks": len(texts), "load_s": 0.0, "encode_s": 0.0, "rss_mb": _rss_mb(), "note": "fake embedder"}
    use_all_cores()  # the same threads the build uses while it embeds
    model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return {
        "chunks": len(texts),
        "load_s": round(loaded - started, 2),
        "encode_s": round(time.perf_counter() - loaded, 2),
        "rss_mb": _rss_mb(),
    }


def _work_serve(params: dict) -> dict:
    from qa.embed import get_embedder
    from qa.service import open_or_build

    settings = load_settings()
    started = time.perf_counter()
    answerer = open_or_build(settings, build_if_missing=False)
    loaded = time.perf_counter()
    startup = time.time() - params["spawned"]
    get_embedder(settings)
    model_loaded = time.perf_counter()
    answerer.ask(WARM_UP)
    out = {
        "load_answerer_s": round(loaded - started, 2),
        "startup_s": round(startup, 2),
        "model_load_s": round(model_loaded - loaded, 2),
        "first_answer_s": round(time.perf_counter() - loaded, 2),
    }
    if "gold" in params:
        out.update(_serve_gold(answerer, Path(params["gold"]), settings))
    else:
        out.update(_serve_synth(answerer, json.loads(Path(params["synth"]).read_text("utf-8")), params["budget_s"]))
    out["rss_mb"] = _rss_mb()
    return out


def _timed_ask(answerer, question: str) -> tuple[dict, float]:
    started = time.perf_counter()
    result = answerer.ask(question).to_dict()
    return result, (time.perf_counter() - started) * 1000


def _serve_gold(answerer, gold_path: Path, settings) -> dict:
    from qa.evaluate import load_gold, score_item, summarise

    report = corpus_text(settings.corpus_dir)  # the same text `qa eval` checks grounding against
    by_kind: dict[str, list[float]] = {k: [] for k in KINDS}
    scored = []
    for item in load_gold(gold_path):
        result, ms = _timed_ask(answerer, item["question"])
        by_kind.setdefault(result["kind"], []).append(ms)
        scored.append(score_item(item, {**result, "latency_ms": ms}, report))
    every = [ms for v in by_kind.values() for ms in v]
    return {
        "latency_ms": {"all": _percentiles(every), **{k: _percentiles(v) for k, v in by_kind.items()}},
        "summary": summarise(scored),
    }


def _serve_synth(answerer, questions: list[dict], budget_s: float) -> dict:
    from qa.evaluate import contains

    times, first, anywhere, correct = [], 0, 0, 0
    deadline = time.perf_counter() + budget_s
    for q in questions:
        if time.perf_counter() > deadline:
            break
        result, ms = _timed_ask(answerer, q["question"])
        times.append(ms)
        docs = [c["doc"] for c in result["citations"]]
        right = bool(docs) and docs[0] == q["doc"]
        first += right
        anywhere += q["doc"] in docs
        correct += right and result["kind"] != "not_found" and contains(result["answer"][:100], q["expected"])
    n = max(len(times), 1)
    return {
        "asked": len(times),
        "of": len(questions),
        "latency_ms": _percentiles(times),
        "cites_right_doc": round(first / n, 3),
        "right_doc_in_citations": round(anywhere / n, 3),
        "answer_correct": round(correct / n, 3),
    }


def _work_baseline(params: dict) -> dict:
    """The plain recipe: 500-character splits, the same embedder, Chroma top-5 and jieba BM25; answer = top chunk."""
    import chromadb
    import jieba
    import numpy as np
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from rank_bm25 import BM25Okapi

    from qa.embed import get_embedder
    from qa.evaluate import load_gold, score_item, summarise
    from qa.parse import read_text
    from qa.retrieve import rrf

    settings = load_settings()
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    files = corpus_files(settings.corpus_dir)
    chunks = [(p.name, t) for p in files for t in splitter.split_text(read_text(p))]
    embedder = get_embedder(settings)
    vectors = embedder.embed_passages([t for _, t in chunks])
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    col = client.create_collection("baseline", embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    ids = [str(i) for i in range(len(chunks))]
    col.add(ids=ids, embeddings=np.asarray(vectors, dtype=np.float32))
    bm25 = BM25Okapi([_words(jieba.lcut(t)) for _, t in chunks])
    build_s = time.perf_counter() - started

    report = "\n".join(read_text(p) for p in files)
    variants: dict[str, list] = {"dense": [], "bm25": [], "hybrid": []}
    times = []
    for item in load_gold(Path(params["gold"])):
        t0 = time.perf_counter()
        qv = np.asarray(embedder.embed_queries([item["question"]]), dtype=np.float32)
        dense = [int(i) for i in col.query(query_embeddings=qv, n_results=20)["ids"][0]]
        scores = bm25.get_scores(_words(jieba.lcut(item["question"])))
        keyword = sorted(range(len(chunks)), key=lambda i: (-scores[i], i))[:20]
        fused = rrf({"dense": [str(i) for i in dense], "bm25": [str(i) for i in keyword]}, {})
        hybrid = [int(i) for i, _ in fused]
        times.append((time.perf_counter() - t0) * 1000)
        for name, ranked in (("dense", dense), ("bm25", keyword), ("hybrid", hybrid)):
            top = [chunks[i] for i in ranked[:5]]
            result = {
                "question": item["question"],
                "answer": top[0][1],
                "kind": "passage",
                "citations": [{"doc": d, "text": t} for d, t in top],
                "latency_ms": times[-1],
            }
            variants[name].append(score_item(item, result, report))
    return {
        "recipe": "RecursiveCharacterTextSplitter(500, 50) + same embedder + Chroma EphemeralClient top-5 "
        "+ jieba/rank_bm25; hybrid = reciprocal rank fusion of both; answer = top chunk text",
        "chunks": len(chunks),
        "build_s": round(build_s, 2),
        "latency_ms": _percentiles(times),
        **{name: summarise(s) for name, s in variants.items()},
        "rss_mb": _rss_mb(),
    }


def _words(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t.strip() and not re.fullmatch(r"\W+", t)]


WORKERS = {
    "model": _work_model,
    "build": _work_build,
    "floor": _work_floor,
    "serve": _work_serve,
    "baseline": _work_baseline,
}


def _worker_main(task: str, raw_params: str) -> int:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    params = json.loads(raw_params)
    result = WORKERS[task](params)
    Path(params["result"]).write_text(json.dumps(result, ensure_ascii=False), "utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="qa bench", description="性能与规模基准 (benchmarks)")
    p.add_argument("--out", default=str(HERE / "results.json"))
    p.add_argument("--scale", default="1,10,100", help="合成语料规模 N 列表")
    p.add_argument("--quick", action="store_true", help="只跑快速部分")
    p.add_argument("--worker", nargs=2, metavar=("TASK", "PARAMS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        return _worker_main(*args.worker)
    return run_bench(args)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))  # synth.py beside this file
    sys.exit(main())
