"""A real Chroma server (`chroma run`): build into it with the real model, answer through it from two
processes at once, and fail fast with StoreUnavailable when it goes away."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from qa import index
from qa.answer import Answerer
from qa.config import load_settings
from qa.errors import StoreUnavailable
from qa.evaluate import contains

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
CHROMA = Path(sys.executable).parent / "chroma"
DEATHS = "2022年生产安全事故死亡人数"
GAS = "城镇燃气安全方面做了哪些工作"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` on a free port in a temporary directory, started and stopped by the test."""

    def __init__(self, path: Path):
        self.port = _free_port()
        self.log = open(path.parent / f"chroma-{self.port}.log", "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, "chroma run exited; see " + self.log.name
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "chroma run did not answer within 60 s"
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def server(tmp_path):
    srv = ChromaServer(tmp_path / "chroma-data")
    yield srv
    srv.stop()


@pytest.fixture
def served(tmp_path, monkeypatch, server):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / REPORT.name)
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("QA_CHROMA_PORT", str(server.port))
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    return server


def _ask_in_a_process(*questions: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ask", "--json", *questions],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _without_timing(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "latency_ms"}


def test_build_and_answer_through_the_server_from_two_processes(served, monkeypatch):
    monkeypatch.delenv("QA_EMBED_MODEL", raising=False)  # the real default model
    settings = load_settings()
    report = index.build_index(settings)
    assert report.docs == 1 and report.embedded == report.chunks
    manifest = json.loads((report.path / "manifest.json").read_text("utf-8"))
    assert manifest["store"]["mode"] == "server"
    assert not (report.path / "chroma").exists()
    assert manifest["store"]["collection"] in index.store.list_collections(index.store.connect(settings))

    opened = index.open_index(settings)
    answer = Answerer(opened).ask(DEATHS)
    assert answer.kind == "figure" and contains(answer.answer[:100], "6")
    hits = opened.search(GAS, 5, mode="dense")
    assert len(hits) == 5 and any("燃气" in h.chunk.text for h in hits)

    first, second = _ask_in_a_process(DEATHS, GAS), _ask_in_a_process(DEATHS, GAS)
    outputs = []
    for proc in (first, second):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        outputs.append([json.loads(line) for line in out.splitlines() if line.strip()])
    assert [_without_timing(a) for a in outputs[0]] == [_without_timing(a) for a in outputs[1]]
    assert contains(outputs[0][0]["answer"][:100], "6")
    assert outputs[0][1]["citations"]

    again = index.build_index(settings)  # nothing changed: no embedding, new collection
    assert again.embedded == 0 and again.unchanged == (REPORT.name,)
    assert contains(Answerer(index.open_index(settings)).ask(DEATHS).answer[:100], "6")


def test_server_going_away_is_store_unavailable(served, monkeypatch):
    monkeypatch.setenv("QA_EMBED_MODEL", "fake")
    monkeypatch.setenv("QA_CHROMA_TIMEOUT", "2")
    settings = load_settings()
    index.build_index(settings)
    opened = index.open_index(settings)
    assert opened.search(GAS, 3, mode="dense")
    served.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        opened.search(GAS, 3, mode="dense")
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{served.port}"):
        index.open_index(settings)
    assert time.monotonic() - started < 10
