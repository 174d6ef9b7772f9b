"""Adding documents to the corpus from the app and removing them: names, types, sizes, unreadable files, who may."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import app
from qa.config import load_settings
from qa.corpus import add_document, corpus_files, remove_document, safe_target
from qa.errors import UploadRefused

HEADER = [
    "序号",
    "指标",
    "规划目标",
    "2020年基数",
    "2021年实际数",
    "比2020年降幅(±%)",
    "2022年实际数",
    "比2020年降幅(±%)",
]
ROWS = [
    ["1", "生产安全事故死亡人数", "下降15%", "15", "12", "-20", "6", "-60"],
    ["2", "亿元GDP生产安全事故死亡率", "下降33%", "0.015", "0.012", "-20", "0.006", "-60"],
]


def write_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["表2-1 主要指标"], HEADER, *ROWS])
    return path


def write_docx(path: Path) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("一、总体情况", level=1)
    document.add_paragraph("2022年各类生产安全事故死亡人数6人，较2020年下降60%。")
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for r, row in enumerate([HEADER, *ROWS]):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.save(str(path))
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text("某市安全发展规划中期评估报告\n一、总体情况\n正文。\n", "utf-8")
    return folder


@pytest.fixture
def uploads(tmp_path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    "name, kept",
    [
        ("表2-1.csv", "表2-1.csv"),
        ("/etc/x.pdf", "x.pdf"),  # an absolute path: only its base name is kept
        ("C:\\Users\\ann\\报告.docx", "报告.docx"),  # a whole Windows path, as old browsers send it
        ("re\x00po\x1frt\u202e.csv", "report.csv"),  # control and bidi characters are dropped
    ],
)
def test_a_name_keeps_its_base_name(corpus, name, kept):
    assert safe_target(name, corpus) == corpus.resolve() / kept


@pytest.mark.parametrize(
    "name, says",
    [
        ("../../x.pdf", "语料目录之外"),
        ("..\\x.docx", "语料目录之外"),
        ("a/../../x.csv", "语料目录之外"),
        ("", "文件名为空"),
        ("\x00\x07", "文件名为空"),
        (".hidden.csv", "以点开头"),
        ("/tmp/.bashrc.txt", "以点开头"),
        ("..", "语料目录之外"),
        ("x" * 300 + ".txt", "太长"),
    ],
)
def test_a_hostile_or_empty_name_is_refused(corpus, name, says):
    with pytest.raises(UploadRefused, match=says):
        safe_target(name, corpus)


def test_an_unsupported_type_is_refused_with_the_accepted_ones(corpus, uploads):
    source = uploads / "setup.exe"
    source.write_bytes(b"MZ\x90\x00")
    with pytest.raises(UploadRefused) as refused:
        add_document(source, source.name, corpus, max_mb=50)
    assert str(refused.value) == "不支持的文件类型“setup.exe”。可上传：.txt、.md、.pdf、.docx、.xlsx、.csv"
    assert [p.name for p in corpus.iterdir()] == ["report.txt"]


def test_a_name_that_is_a_link_out_of_the_corpus_is_refused(corpus, tmp_path):
    (corpus / "elsewhere.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(UploadRefused, match="语料目录之外"):
        safe_target("elsewhere.csv", corpus)


def test_an_oversize_file_is_refused_by_the_configured_limit(corpus, uploads, monkeypatch):
    monkeypatch.setenv("QA_MAX_UPLOAD_MB", "1")
    settings = load_settings()
    assert settings.max_upload_mb == 1
    source = uploads / "big.txt"
    source.write_text("安全生产。\n" * 200_000, "utf-8")  # 3 MB
    with pytest.raises(UploadRefused, match=r"“big.txt”有 3\.\d MB，超过上限 1 MB"):
        add_document(source, source.name, corpus, settings.max_upload_mb)
    assert not (corpus / "big.txt").exists()


def test_the_upload_limit_defaults_to_50_mb(monkeypatch):
    monkeypatch.delenv("QA_MAX_UPLOAD_MB", raising=False)
    assert load_settings().max_upload_mb == 50


def test_a_corrupt_pdf_is_refused_and_not_left_in_the_corpus(corpus, uploads):
    source = uploads / "scan.pdf"
    source.write_bytes(b"%PDF-1.4\n this is not really a pdf \n%%EOF\n")
    with pytest.raises(UploadRefused, match=r"^“scan.pdf”无法读取，未加入语料：scan.pdf: PDF"):
        add_document(source, source.name, corpus, max_mb=50)
    assert sorted(p.name for p in corpus.iterdir()) == ["report.txt"]  # no trial or partial copy either


def test_a_good_csv_is_saved_under_its_name(corpus, uploads):
    source = write_csv(uploads / "表2-1.csv")
    saved = add_document(source, source.name, corpus, max_mb=50)
    assert saved == corpus.resolve() / "表2-1.csv"
    assert saved.read_bytes() == source.read_bytes()
    assert [p.name for p in corpus_files(corpus)] == ["report.txt", "表2-1.csv"]
    assert not list(corpus.glob(".*"))


def test_a_good_docx_is_saved(corpus, uploads):
    source = write_docx(uploads / "评估报告.docx")
    assert add_document(source, source.name, corpus, max_mb=50).name == "评估报告.docx"


def test_a_file_of_the_same_name_is_replaced_only_when_the_new_one_reads(corpus, uploads):
    kept = write_csv(corpus / "表2-1.csv").read_bytes()
    broken = uploads / "表2-1.csv"
    broken.write_bytes(b"")
    with pytest.raises(UploadRefused, match="无法读取"):
        add_document(broken, broken.name, corpus, max_mb=50)
    assert (corpus / "表2-1.csv").read_bytes() == kept
    better = uploads / "new" / "表2-1.csv"
    better.parent.mkdir()
    with open(better, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["表2-1 主要指标"], HEADER, ROWS[0]])
    add_document(better, better.name, corpus, max_mb=50)
    assert (corpus / "表2-1.csv").read_bytes() == better.read_bytes()


def test_only_a_listed_document_is_removed(corpus, tmp_path):
    write_csv(corpus / "表2-1.csv")
    (corpus / "notes.log").write_text("不是文档", "utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("语料之外", "utf-8")
    for name in ("notes.log", "../outside.txt", str(outside), "", "没有这个.txt"):
        with pytest.raises(UploadRefused, match="语料中没有文档"):
            remove_document(name, corpus)
    assert outside.exists() and (corpus / "notes.log").exists()
    assert remove_document("表2-1.csv", corpus) == corpus / "表2-1.csv"
    assert [p.name for p in corpus_files(corpus)] == ["report.txt"]
    with pytest.raises(UploadRefused, match="唯一的文档"):
        remove_document("report.txt", corpus)


# ---- the app's handlers --------------------------------------------------------------------------


class FakeIndex:
    built_at = "2026-01-02T03:04:05+0800"
    model = "fake"
    docs: list[dict] = []
    records: list = []
    chunks: list = []


@pytest.fixture
def service(tmp_path, corpus, monkeypatch):
    """The app's Service over a temporary corpus, with a build that only records that it ran."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    svc = app.Service(load_settings(), index=FakeIndex())
    builds = []

    def fake_build(settings, rebuild=False, progress=None):
        builds.append(sorted(p.name for p in corpus_files(settings.corpus_dir)))
        return type("Report", (), {"docs": len(builds[-1]), "chunks": 3, "embedded": 1, "seconds": 0.1})()

    monkeypatch.setattr(app, "build_index", fake_build)
    monkeypatch.setattr(app.Service, "load", lambda self: None)
    monkeypatch.setattr(app, "_service", svc)
    svc.builds = builds  # type: ignore[attr-defined]
    return svc


def no_progress(*args, **kwargs):
    return None


def test_upload_saves_what_reads_and_reindexes_once(service, uploads):
    good = write_csv(uploads / "表2-1.csv")
    bad = uploads / "setup.exe"
    bad.write_bytes(b"MZ")
    status, _, _, choices, emptied = app.upload([str(good), str(bad)], progress=no_progress)
    assert status.startswith("已加入语料：表2-1.csv。\n\n不支持的文件类型“setup.exe”")
    assert "重建完成：2 个文档" in status
    assert service.builds == [["report.txt", "表2-1.csv"]]
    assert choices["choices"] == ["report.txt", "表2-1.csv"] and emptied is None


def test_upload_of_nothing_readable_does_not_reindex(service, uploads):
    bad = uploads / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    status = app.upload([str(bad)], progress=no_progress)[0]
    assert status.startswith("“scan.pdf”无法读取") and service.builds == []


def test_a_file_name_in_the_status_is_text_not_markup(service, uploads):
    bad = uploads / "<img src=x onerror=alert(1)>.exe"
    bad.write_bytes(b"MZ")
    status = app.upload([str(bad)], progress=no_progress)[0]
    assert "<img" not in status and "&lt;img src=x onerror=alert(1)&gt;.exe" in status


def test_remove_deletes_a_listed_document_and_reindexes(service, corpus):
    write_csv(corpus / "表2-1.csv")
    status, _, _, choices = app.remove("表2-1.csv", progress=no_progress)
    assert status.startswith("已删除：表2-1.csv。\n\n重建完成：1 个文档")
    assert service.builds == [["report.txt"]] and choices["choices"] == ["report.txt"]
    assert app.remove("../index/x.txt", progress=no_progress)[0] == "语料中没有文档“../index/x.txt”。"
    assert service.builds == [["report.txt"]]


def test_a_change_waits_for_a_running_build_and_then_builds_again(service, corpus, monkeypatch):
    from concurrent.futures import Future

    running: Future = Future()
    calls = []

    def rebuild(full):
        calls.append(full)
        if len(calls) == 1:
            running.set_result(type("Report", (), {"docs": 1, "chunks": 3, "embedded": 0, "seconds": 0.1})())
            return running, True  # joined a build that read the corpus before the change
        done: Future = Future()
        done.set_result(type("Report", (), {"docs": 2, "chunks": 5, "embedded": 2, "seconds": 0.1})())
        return done, False

    monkeypatch.setattr(service, "rebuild", rebuild)
    status = app.reindex(False, no_progress, changed=True)[0]
    assert calls == [False, False] and status.startswith("重建完成：2 个文档")


@pytest.mark.parametrize("env", [{"QA_AUTH": "ann:pw1,bob:pw2", "QA_ADMINS": "ann"}, {"QA_HOST": "0.0.0.0"}])
def test_upload_and_remove_need_the_reindex_permission(service, corpus, uploads, monkeypatch, env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(service, "settings", load_settings())
    write_csv(corpus / "表2-1.csv")
    request = type("Request", (), {"username": "bob" if "QA_AUTH" in env else None})()
    good = write_csv(uploads / "新表.csv")
    assert app.upload([str(good)], request=request, progress=no_progress)[0] == app.DOCS_ADMINS_ONLY
    assert app.remove("表2-1.csv", request=request, progress=no_progress)[0] == app.DOCS_ADMINS_ONLY
    assert [p.name for p in corpus_files(corpus)] == ["report.txt", "表2-1.csv"] and service.builds == []
    visible, choices = app.admin_view(request)
    assert visible["visible"] is False and choices["choices"] == []


def test_documents_tab_lists_type_pages_tables_records_chunks_and_time(service):
    from dataclasses import replace

    from test_app import FakeIndex as IndexWithRecords

    index = IndexWithRecords()
    record = IndexWithRecords.records[0]
    index.docs = [
        {**IndexWithRecords.docs[0], "pages": None, "indexed_at": "2026-01-02T03:04:05+0800"},
        {"name": "表2-1.csv", "title": "表2-1 主要指标", "chunks": 2, "sections": [], "pages": 1},
    ]
    index.records = [*IndexWithRecords.records, replace(record, doc="表2-1.csv", table="表2-1 主要指标")]
    service.index = index
    out = app.docs_html()
    when = app.local_time("2026-01-02T03:04:05+0800")
    assert f"<tr><td>report.txt</td><td>txt</td><td>—</td><td>1</td><td>2</td><td>3</td><td>{when}</td></tr>" in out
    assert f"<tr><td>表2-1.csv</td><td>csv</td><td>1 个工作表</td><td>1</td><td>1</td><td>2</td><td>{when}</td>" in out
