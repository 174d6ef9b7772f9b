"""The real default model and embedded Chroma on the real report: build, rebuild for free, and find the evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa import index
from qa.config import DEFAULT_MODEL, load_settings
from qa.evaluate import EVIDENCE_CATEGORIES, evidence_hit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
GOLD = ROOT / "tests" / "gold" / "public.jsonl"
PARAPHRASED = ROOT / "benchmarks" / "paraphrased.jsonl"


def _items(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [it for it in items if it["category"] in EVIDENCE_CATEGORIES]


def _hit_rate(opened, items: list[dict]) -> float:
    hits = sum(
        evidence_hit([{"text": h.chunk.text} for h in opened.search(it["question"], 5)], it["evidence"]) for it in items
    )
    return hits / len(items)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / REPORT.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QA_EMBED_MODEL", DEFAULT_MODEL)
        mp.setenv("QA_CORPUS_DIR", str(corpus))
        mp.setenv("QA_INDEX_DIR", str(tmp / "index"))
        mp.setenv("TOKENIZERS_PARALLELISM", "false")
        mp.delenv("QA_CHROMA_HOST", raising=False)
        settings = load_settings()
        yield settings, index.build_index(settings)


def test_build_embeds_every_chunk_into_embedded_chroma(built):
    settings, report = built
    assert report.docs == 1 and report.embedded == report.chunks > 400
    manifest = json.loads((report.path / "manifest.json").read_text("utf-8"))
    assert manifest["store"]["mode"] == "embedded" and (report.path / "chroma").is_dir()
    assert manifest["embedder"] == DEFAULT_MODEL


def test_second_build_embeds_nothing(built):
    settings, _ = built
    again = index.build_index(settings)
    assert again.embedded == 0 and again.unchanged == (REPORT.name,)


def test_fused_retrieval_finds_the_evidence(built):
    settings, _ = built
    opened = index.open_index(settings)
    assert opened.retriever.store.count() == len(opened.chunks)
    assert _hit_rate(opened, _items(GOLD)) >= 0.95
    assert _hit_rate(opened, _items(PARAPHRASED)) >= 0.9


def test_dense_alone_understands_a_paraphrase(built):
    settings, _ = built
    hits = index.open_index(settings).search("最危险的破旧房子处理了多少", 5, mode="dense")
    assert any("D级危房" in h.chunk.text for h in hits)


def test_a_section_is_found_by_the_meaning_of_its_heading(built):
    from qa.answer import Answerer

    settings, _ = built
    answerer = Answerer(index.open_index(settings), settings)
    # none of the heading's words but 问题 is asked; the heading says the same in other words
    ans = answerer.ask("执行规划时暴露的不足和短板，报告写在哪一块？")
    assert ans.kind == "passage"
    assert "存在的主要问题" in ans.answer.split("\n")[0]
    # a topic is still found where its passages are (the words of the content, not of a heading)
    topic = answerer.ask("D级危房的处置写在报告哪一部分")
    assert topic.kind == "passage" and "城市建设" in topic.answer.split("\n")[0]
