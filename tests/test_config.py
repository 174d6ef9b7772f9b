"""qa.config: one validated Settings; a bad value is a message naming its variable, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa.config import load_settings
from qa.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "name,value",
    [
        ("QA_PORT", "abc"),
        ("QA_PORT", "70000"),
        ("QA_CHROMA_TIMEOUT", "soon"),
        ("QA_TORCH_THREADS", "-1"),
        ("QA_MAX_QUESTION_CHARS", "0"),
    ],
)
def test_a_bad_value_names_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()


def test_paths_default_to_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("QA_CORPUS_DIR", raising=False)
    monkeypatch.delenv("QA_INDEX_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.corpus_dir.resolve() == tmp_path / "corpus" and s.index_dir.resolve() == tmp_path / "index"


def test_cli_and_app_say_which_variable_is_wrong(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "QA_PORT": "abc", "QA_INDEX_DIR": str(tmp_path)}
    for argv in ([sys.executable, "-m", "qa.cli", "ask", "x"], [sys.executable, str(ROOT / "app.py")]):
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        assert "QA_PORT" in done.stderr and "Traceback" not in done.stderr
