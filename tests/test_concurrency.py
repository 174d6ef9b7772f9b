"""Twenty simultaneous users for about 30 seconds, with the real model: no errors, and every answer the
same as the one a single user gets. Once against the library's Answerer in threads, once through the
app's /ask API (gradio_client against `python app.py` on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from qa.evaluate import percentile

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
GOLD = ROOT / "tests" / "gold" / "public.jsonl"
CLIENTS = 20
SECONDS = 30
MAX_ROUNDS = 40  # per client, so a fast machine still stops


def _questions() -> list[str]:
    """Two questions of every gold category: figures, sums, passages, sections and refusals."""
    picked: dict[str, list[str]] = {}
    for line in GOLD.read_text("utf-8").splitlines():
        item = json.loads(line)
        picked.setdefault(item["category"], [])
        if len(picked[item["category"]]) < 2:
            picked[item["category"]].append(item["question"])
    return [q for qs in picked.values() for q in qs]


QUESTIONS = _questions()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Environment of an index of the report built with the real model (in a subprocess)."""
    tmp = tmp_path_factory.mktemp("concurrency")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / REPORT.name)
    env = {k: v for k, v in os.environ.items() if k not in ("QA_CHROMA_HOST", "QA_EMBED_MODEL", "QA_AUTH")}
    env.update(QA_CORPUS_DIR=str(corpus), QA_INDEX_DIR=str(tmp / "index"), TOKENIZERS_PARALLELISM="false")
    subprocess.run(
        [sys.executable, "-m", "qa.cli", "index"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=3600,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return env


def _comparable(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "latency_ms"}


def _client_loop(ask, first: int, deadline: float) -> list[tuple[str, dict, float]]:
    """One user: ask the questions in turn (starting at a different one per user) until the deadline."""
    out = []
    for r in range(MAX_ROUNDS):
        if time.monotonic() > deadline:
            break
        q = QUESTIONS[(first + r) % len(QUESTIONS)]
        started = time.perf_counter()
        answer = ask(q)
        out.append((q, _comparable(answer), (time.perf_counter() - started) * 1000))
    return out


def _hammer(make_ask, expected: dict[str, dict], label: str) -> None:
    deadline = time.monotonic() + SECONDS
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(lambda i=i: _client_loop(make_ask(), i, deadline)) for i in range(CLIENTS)]
        results = [row for f in futures for row in f.result()]  # a client's exception is raised here
    latencies = [ms for _, _, ms in results]
    print(
        f"\n{label}: {len(results)} answers from {CLIENTS} clients, p50 {percentile(latencies, 50):.0f} ms, "
        f"p95 {percentile(latencies, 95):.0f} ms, max {max(latencies):.0f} ms"
    )
    assert len(results) >= CLIENTS
    different = [(q, got) for q, got, _ in results if got != expected[q]]
    assert different == []


def test_library_answerer_shared_by_20_threads(built, monkeypatch):
    from qa.answer import Answerer
    from qa.config import load_settings
    from qa.index import open_index

    for name in ("QA_CORPUS_DIR", "QA_INDEX_DIR"):
        monkeypatch.setenv(name, built[name])
    for name in ("QA_CHROMA_HOST", "QA_EMBED_MODEL"):
        monkeypatch.delenv(name, raising=False)
    answerer = Answerer(open_index(load_settings()))
    expected = {q: _comparable(answerer.ask(q).to_dict()) for q in QUESTIONS}
    assert any(a["kind"] == "figure" for a in expected.values())
    assert any(a["kind"] == "not_found" for a in expected.values())
    _hammer(lambda: lambda q: answerer.ask(q).to_dict(), expected, "library, 20 threads")


@pytest.fixture(scope="module")
def app_url(built, tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("app") / "app.log", "w")  # noqa: SIM115 (closed after the fixture)
    env = {**built, "QA_HOST": "127.0.0.1", "QA_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 600
        while True:
            assert proc.poll() is None, f"app.py exited ({proc.returncode}); see {log.name}"
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "app.py did not answer within 600 s"
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_app_api_serves_20_clients(app_url):
    from gradio_client import Client

    def make_ask():
        client = Client(app_url, verbose=False, download_files=False, analytics_enabled=False)
        return lambda q: client.predict(q, "[]", api_name="/ask")

    single = make_ask()
    expected = {q: _comparable(single(q)) for q in QUESTIONS}
    assert any(a["kind"] == "figure" for a in expected.values())
    _hammer(make_ask, expected, "app /ask, 20 gradio clients")
