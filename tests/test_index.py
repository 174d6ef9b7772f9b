"""Index builds with the fake embedder in temporary directories: idempotent, incremental, atomic, checked on open."""

from __future__ import annotations

import json
import sqlite3

import pytest
from fakes import fake_corpus

from qa import embed, index, records
from qa.config import load_settings
from qa.errors import CorpusError, IndexBusy, IndexMissing
from qa.parse import parse_text
from qa.tables import table_records

FIRE = """消防工作报告

一、消防

全市共配备22个卫星消防站，连续50个月“零亡人”。消防救援5分钟响应覆盖建成区。

（一）火灾防控

开展高层建筑消防安全专项整治，检查单位1200家。督促整改火灾隐患3400处。
"""

GAS = """燃气工作报告

一、城镇燃气

计划2025年底前基本完成存量城市燃气管道老化更新改造任务。完成燃气用户安全检查8.2万户。

表2-1 燃气指标统计表
序号\t指标\t规划目标\t2020年基数\t2021年\t\t2022年\t
\t\t\t\t2021年实际数\t比2020年降幅(±%)\t2022年实际数\t比2020年降幅(±%)
1\t燃气事故起数下降\t>20%\t12\t9\t-25.00%\t6\t-50.00%
"""


class CountingEmbedder(embed.FakeEmbedder):
    """The fake embedder, remembering every passage it was asked to embed."""

    def __init__(self):
        self.passages: list[str] = []

    def embed_passages(self, texts):
        self.passages.extend(texts)
        return super().embed_passages(texts)


@pytest.fixture
def env(tmp_path, monkeypatch):
    counting = CountingEmbedder()
    fake_corpus(tmp_path, monkeypatch, {"fire.txt": FIRE, "gas.md": GAS}, counting)
    return counting


def _texts(opened, doc: str) -> set[str]:
    return {c.text for c in opened.chunks if c.doc == doc}


def test_first_build_then_nothing_to_embed(env):
    settings = load_settings()
    first = index.build_index(settings)
    assert (first.docs, first.added, first.skipped) == (2, ("fire.txt", "gas.md"), ())
    assert first.embedded == first.chunks == len(env.passages)
    env.passages.clear()
    second = index.build_index(settings)
    assert second.embedded == 0 and env.passages == []
    assert second.unchanged == ("fire.txt", "gas.md") and second.build_id != first.build_id
    assert len(index.open_index(settings).chunks) == first.chunks


def test_changing_one_document_embeds_only_its_new_chunks(env):
    settings = load_settings()
    index.build_index(settings)
    env.passages.clear()
    (settings.corpus_dir / "gas.md").write_text(GAS.replace("8.2万户", "9.6万户"), "utf-8")
    report = index.build_index(settings)
    assert report.changed == ("gas.md",) and report.unchanged == ("fire.txt",)
    assert report.embedded == len(env.passages) == 1
    assert "9.6万户" in env.passages[0]
    opened = index.open_index(settings)
    assert any("9.6万户" in t for t in _texts(opened, "gas.md"))
    assert not any("8.2万户" in c.text for c in opened.chunks)


def test_deleting_a_document_removes_its_chunks(env):
    settings = load_settings()
    index.build_index(settings)
    (settings.corpus_dir / "gas.md").unlink()
    report = index.build_index(settings)
    assert report.removed == ("gas.md",) and report.embedded == 0
    opened = index.open_index(settings)
    assert [d["name"] for d in opened.docs] == ["fire.txt"]
    assert {c.doc for c in opened.chunks} == {"fire.txt"}
    assert opened.records == []
    assert opened.retriever.store.count() == len(opened.chunks)
    assert all(h.chunk.doc == "fire.txt" for h in opened.search("燃气管道老化更新改造", 5))


def test_hits_name_their_document(env):
    settings = load_settings()
    index.build_index(settings)
    opened = index.open_index(settings)
    for mode in ("hybrid", "keyword"):
        assert opened.search("卫星消防站有多少个", 1, mode=mode)[0].chunk.doc == "fire.txt"
        assert opened.search("燃气管道老化更新改造任务", 1, mode=mode)[0].chunk.doc == "gas.md"
    # the fake embedder only knows shared character pairs: ask it in the report's own words
    assert opened.search("全市共配备22个卫星消防站，连续50个月“零亡人”。", 1, mode="dense")[0].chunk.doc == "fire.txt"
    assert opened.search("完成燃气用户安全检查8.2万户。", 1, mode="dense")[0].chunk.doc == "gas.md"


def test_opened_index_holds_docs_records_and_figures(env):
    settings = load_settings()
    report = index.build_index(settings)
    opened = index.open_index(settings)
    assert opened.model == "fake" and opened.built_at and opened.path == report.path
    fire = next(d for d in opened.docs if d["name"] == "fire.txt")
    assert fire["title"] == "消防工作报告"
    assert [s["title"] for s in fire["sections"]] == ["一、消防", "（一）火灾防控"]
    assert fire["chunks"] == sum(c.doc == "fire.txt" for c in opened.chunks)
    assert len(fire["sha256"]) == 64
    assert opened.records == table_records(parse_text(GAS, "gas.md"))
    assert any(f.raw == "22个" for f in opened.figures)
    row = next(c for c in opened.chunks if c.kind == "table_row")
    assert row.text.startswith("表2-1 燃气指标统计表 第1行：燃气事故起数下降")


def test_only_the_serving_build_and_the_one_before_are_kept(env):
    settings = load_settings()
    ids = [index.build_index(settings).build_id for _ in range(3)]
    kept = sorted(p.name for p in (settings.index_dir / "builds").iterdir())
    assert kept == sorted(ids[1:])
    assert (settings.index_dir / "CURRENT").read_text().strip() == ids[2]


def test_failed_build_leaves_the_previous_index_serving(env, monkeypatch):
    settings = load_settings()
    first = index.build_index(settings)
    (settings.corpus_dir / "gas.md").unlink()

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(records, "write", broken)
    with pytest.raises(sqlite3.OperationalError):
        index.build_index(settings)
    assert (settings.index_dir / "CURRENT").read_text().strip() == first.build_id
    assert len(index.open_index(settings).docs) == 2
    monkeypatch.undo()


def test_corrupt_or_foreign_index_asks_for_a_rebuild(env, monkeypatch):
    settings = load_settings()
    with pytest.raises(IndexMissing, match="qa index --rebuild"):
        index.open_index(settings)
    report = index.build_index(settings)
    manifest = report.path / "manifest.json"
    good = manifest.read_text("utf-8")

    manifest.write_text("{not json", "utf-8")
    with pytest.raises(IndexMissing, match="qa index --rebuild"):
        index.open_index(settings)

    data = json.loads(good)
    data["model"] = "another-model"
    manifest.write_text(json.dumps(data), "utf-8")
    with pytest.raises(IndexMissing, match="another-model"):
        index.open_index(settings)

    manifest.write_text(good, "utf-8")
    (report.path / "records.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(IndexMissing, match="qa index --rebuild"):
        index.open_index(settings)

    index.build_index(settings, rebuild=True)
    assert len(index.open_index(settings).docs) == 2


def test_rebuild_re_embeds_everything(env):
    settings = load_settings()
    first = index.build_index(settings)
    again = index.build_index(settings, rebuild=True)
    assert again.embedded == first.chunks


def test_a_second_build_is_refused_while_one_runs(env):
    settings = load_settings()
    with index._lock(settings.index_dir), pytest.raises(IndexBusy):
        index.build_index(settings)


def test_unreadable_files_are_skipped_by_name(env, caplog):
    settings = load_settings()
    (settings.corpus_dir / "empty.txt").write_bytes(b"")
    (settings.corpus_dir / "gbk.txt").write_bytes(FIRE.replace("消防工作报告", "国标编码报告").encode("gb18030"))
    (settings.corpus_dir / "notes.docx").write_bytes(b"PK\x03\x04")
    report = index.build_index(settings)
    # a broken .docx is read now (it used to be ignored), and skipped by name like an empty .txt
    assert report.docs == 3 and [s.split(":")[0] for s in report.skipped] == ["empty.txt", "notes.docx"]
    assert "empty.txt" in caplog.text and "notes.docx" in caplog.text
    titles = {d["title"] for d in index.open_index(settings).docs}
    assert "国标编码报告" in titles


def test_empty_corpus_is_an_error(env):
    settings = load_settings()
    for p in settings.corpus_dir.iterdir():
        p.unlink()
    with pytest.raises(CorpusError, match="corpus"):
        index.build_index(settings)
