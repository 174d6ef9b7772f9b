"""The real app over HTTP: the /ask endpoint through gradio_client, and start-up with a bad index or setup."""

from __future__ import annotations

import json
import shutil

import pytest
from app_server import built_index, free_port, run_app, running_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return built_index(tmp_path_factory.mktemp("app-api"))


@pytest.fixture(scope="module")
def client(index_dir, tmp_path_factory):
    from gradio_client import Client

    with running_app(index_dir, tmp_path_factory.mktemp("app-api-log") / "app.log") as url:
        yield Client(url, verbose=False)


def test_ask_returns_the_qa_ask_json_shape(client):
    result = client.predict("2022年生产安全事故死亡人数", "[]", api_name="/ask")
    assert {"question", "answer", "kind", "citations", "latency_ms"} <= result.keys()
    assert result["question"] == "2022年生产安全事故死亡人数"
    assert result["kind"] == "figure" and result["answer"].startswith("6")
    assert isinstance(result["latency_ms"], float)
    assert result["citations"]
    for cite in result["citations"]:
        assert {"text", "doc", "section", "page", "lines"} <= cite.keys()
        assert len(cite["lines"]) == 2
    assert "主要指标完成情况" in result["citations"][0]["section"]


def test_history_makes_a_follow_up(client):
    result = client.predict("那2021年呢？", json.dumps(["2022年生产安全事故死亡人数"]), api_name="/ask")
    assert result["answer"].startswith("12")


def test_unanswerable_question_is_refused(client):
    assert client.predict("昆山市常住人口有多少", "[]", api_name="/ask")["kind"] == "not_found"


def test_bad_input_gets_a_message(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="请输入问题"):
        client.predict("", "[]", api_name="/ask")
    with pytest.raises(AppError, match="问题太长"):
        client.predict("问" * 501, "[]", api_name="/ask")
    with pytest.raises(AppError, match="history_json"):
        client.predict("死亡人数", "not json", api_name="/ask")


def _with_cached_vectors(index_dir, target):
    """A fresh index folder that holds only the embedding cache, so a rebuild is quick."""
    target.mkdir()
    shutil.copy(index_dir / "embeddings.sqlite", target / "embeddings.sqlite")
    return target


def test_a_corrupt_index_is_rebuilt_at_start(index_dir, tmp_path):
    from gradio_client import Client

    target = _with_cached_vectors(index_dir, tmp_path / "index")
    (target / "CURRENT").write_text("no-such-build", "utf-8")
    with running_app(target, tmp_path / "app.log") as url:
        result = Client(url, verbose=False).predict("2022年生产安全事故死亡人数", "[]", api_name="/ask")
    assert result["answer"].startswith("6")
    log = (tmp_path / "app.log").read_text("utf-8")
    assert "正在自动建立" in log and "索引已建立" in log


def test_a_missing_model_exits_1_with_a_message(tmp_path):
    done = run_app(tmp_path / "index", QA_EMBED_MODEL=str(tmp_path / "no-such-model"))
    assert done.returncode == 1
    assert "无法启动报告问答" in done.stderr and "no-such-model" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_chroma_server_down_exits_1_with_a_message(index_dir, tmp_path):
    target = _with_cached_vectors(index_dir, tmp_path / "index")
    done = run_app(target, QA_CHROMA_HOST="127.0.0.1", QA_CHROMA_PORT=str(free_port()), QA_CHROMA_TIMEOUT="2")
    assert done.returncode == 1
    assert "无法启动报告问答" in done.stderr and "Chroma" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
