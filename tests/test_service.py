"""qa.service.open_or_build: open, or build once; a broken index is rebuilt only when the caller asks."""

from __future__ import annotations

import pytest

from qa import service
from qa.config import load_settings
from qa.errors import IndexMissing


class Built:
    docs, chunks, seconds = 1, 3, 1.0


@pytest.fixture
def calls(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path))
    seen: list[str] = []

    def open_index(settings):
        seen.append("open")
        if "build" not in seen:
            raise IndexMissing("尚未建立索引")
        return object()

    monkeypatch.setattr(service, "open_index", open_index)
    monkeypatch.setattr(service, "build_index", lambda settings, progress=None: seen.append("build") or Built())
    monkeypatch.setattr(service, "Answerer", lambda index, settings=None: ("answerer", index))
    return seen


def test_a_missing_index_is_built_once_then_opened(calls):
    messages = []
    answerer = service.open_or_build(load_settings(), say=messages.append)
    assert calls == ["open", "build", "open"] and answerer[0] == "answerer"
    assert any("正在自动建立" in m for m in messages)


def test_no_build_when_the_caller_says_so(calls):
    with pytest.raises(IndexMissing):
        service.open_or_build(load_settings(), build_if_missing=False)
    assert calls == ["open"]


def test_an_unreadable_index_is_rebuilt_only_on_request(calls, tmp_path):
    (tmp_path / "CURRENT").write_text("builds/broken")
    with pytest.raises(IndexMissing):
        service.open_or_build(load_settings())
    assert calls == ["open"]
    service.open_or_build(load_settings(), rebuild_unreadable=True, say=lambda m: None)
    assert calls[-2:] == ["build", "open"]
