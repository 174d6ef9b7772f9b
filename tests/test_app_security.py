"""The real app with login on, probed over plain HTTP as a security reviewer would.

Each endpoint with and without login, an oversized request, 20 wrong passwords, a re-index by a user who is
not an administrator, and 20 questions asked while an administrator's full rebuild runs.
"""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest
import requests
from app_server import built_index, running_app

pytestmark = pytest.mark.slow

USERS = {"ann": "ann-password-1", "bob": "bob-password-1"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("secure") / "index"
    shutil.copytree(built_index(tmp_path_factory.mktemp("secure-base")), index_dir)
    log = tmp_path_factory.mktemp("secure-log") / "app.log"
    auth = ",".join(f"{u}:{p}" for u, p in USERS.items())
    with running_app(index_dir, log, QA_AUTH=auth, QA_ADMINS="ann") as url:
        yield url.rstrip("/"), log


def session(url: str, user: str) -> requests.Session:
    s = requests.Session()
    assert s.post(f"{url}/login", data={"username": user, "password": USERS[user]}).status_code == 200
    return s


def call(s: requests.Session, url: str, fn_index: int, data: list, timeout: float = 300) -> list:
    """Run one event through Gradio's queue the way the page does, and return its output."""
    session_hash = f"t{time.monotonic_ns()}"
    joined = s.post(
        f"{url}/gradio_api/queue/join",
        json={"fn_index": fn_index, "data": data, "session_hash": session_hash, "event_data": None, "trigger_id": None},
    )
    assert joined.status_code == 200, joined.text
    with s.get(f"{url}/gradio_api/queue/data?session_hash={session_hash}", stream=True, timeout=timeout) as resp:
        for line in resp.iter_lines():
            if line.startswith(b"data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    assert msg.get("success"), msg
                    return msg["output"]["data"]
    raise AssertionError("the event never completed")


def rebuild_fn(s: requests.Session, url: str) -> int:
    """The index of the re-index event: the one that takes the 全部重新计算 checkbox and fills three outputs."""
    config = s.get(f"{url}/config").json()
    kinds = {c["id"]: c["type"] for c in config["components"]}
    return next(
        i
        for i, dep in enumerate(config["dependencies"])
        if len(dep["outputs"]) == 3 and [kinds[x] for x in dep["inputs"]] == ["checkbox"]
    )


def test_every_endpoint_needs_a_login_and_closed_ones_stay_closed(app_url):
    url, _ = app_url
    anonymous, ann = requests.Session(), session(url, "ann")
    for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json"):
        assert anonymous.get(url + path).status_code == 401, path
        assert ann.get(url + path).status_code == 200, path
    for path in ("/openapi.json", "/docs", "/monitoring", "/monitoring/summary"):
        assert anonymous.get(url + path).status_code == 404, path
        assert ann.get(url + path).status_code == 404, path
    page = anonymous.get(url + "/")
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_an_oversized_feedback_request_is_refused(app_url):
    url, _ = app_url
    big = {"fn_index": 0, "data": [None, {"index": 1, "value": "x" * 3_000_000, "liked": True}], "session_hash": "x"}
    assert session(url, "bob").post(f"{url}/gradio_api/queue/join", json=big).status_code == 413


def test_a_non_admin_cannot_reindex(app_url):
    url, log = app_url
    bob = session(url, "bob")
    status = call(bob, url, rebuild_fn(bob, url), [True])[0]
    assert status == "只有管理员可以重建索引。"
    assert "拒绝非管理员的重建请求" in log.read_text("utf-8")


def test_questions_asked_during_a_full_rebuild_are_all_answered(app_url):
    url, _ = app_url
    ann = session(url, "ann")
    results: dict = {}
    builder = threading.Thread(target=lambda: results.update(status=call(ann, url, rebuild_fn(ann, url), [True])[0]))
    builder.start()
    time.sleep(2)  # the build has started: parsing and loading its model
    answers = []
    for _ in range(20):
        reply = ann.post(f"{url}/gradio_api/call/ask", json={"data": ["2022年生产安全事故死亡人数", "[]"]})
        event = reply.json()["event_id"]
        stream = ann.get(f"{url}/gradio_api/call/ask/{event}", timeout=120).text
        data = next(line[5:] for line in stream.splitlines() if line.startswith("data:"))
        answers.append((builder.is_alive(), json.loads(data)[0]))
    builder.join(600)
    during = [answer for alive, answer in answers if alive]
    assert len(during) >= 10, "the rebuild ended before most questions were asked"
    assert all(a["kind"] == "figure" and a["answer"].startswith("6人") for _, a in answers)
    assert results["status"].startswith("重建完成")


def test_twenty_wrong_passwords_are_throttled_and_logged(app_url):
    url, log = app_url
    codes = [
        requests.post(f"{url}/login", data={"username": "bob", "password": f"guess{n}"}).status_code for n in range(20)
    ]
    assert codes == [400] * 20
    # Locked now: even the right password is refused for a while.
    assert requests.post(f"{url}/login", data={"username": "bob", "password": USERS["bob"]}).status_code == 400
    text = log.read_text("utf-8")
    assert text.count("登录失败：用户 'bob'") >= 5 and "登录被暂时锁定" in text
