"""The real app in a subprocess, for the slow API and browser tests (imported by both)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 300  # seconds; a loaded 2-core machine can take minutes to import torch and gradio
_built: dict[str, Path] = {}


def built_index(base: Path) -> Path:
    """An index of the real corpus with the real default model, built once per test process."""
    if "dir" not in _built:
        from qa.config import load_settings
        from qa.index import build_index

        index_dir = base / "index"
        build_index(replace(load_settings(), index_dir=index_dir))
        _built["dir"] = index_dir
    return _built["dir"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(index_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(
        QA_INDEX_DIR=str(index_dir),
        QA_HOST="127.0.0.1",
        QA_PORT=str(port),
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    for key in ("QA_MODEL_DIR", "QA_EMBED_MODEL"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra)
    return env


def run_app(index_dir: Path, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
    """Run app.py to its end (for start-up failures) and return what it printed."""
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=app_env(index_dir, free_port(), **extra),
        timeout=timeout,
    )


@contextmanager
def running_app(index_dir: Path, log: Path, **extra: str) -> Iterator[str]:
    """Start app.py on a free port and yield its URL once it answers; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=app_env(index_dir, port, **extra),
        )
        try:
            _wait_until_up(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}:\n{log.read_text('utf-8')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"app.py did not answer within {START_TIMEOUT}s:\n{log.read_text('utf-8')[-3000:]}")
