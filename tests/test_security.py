"""Password hashes, login throttling and the request guard, without a browser."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa import security
from qa.errors import ConfigError
from qa.security import CLIENT, Guard, LoginGuard, hash_password, read_users, verify_password


def test_a_hash_verifies_its_password_only_and_is_salted():
    stored = hash_password("correct horse")
    assert stored.startswith("pbkdf2_sha256$")
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert hash_password("correct horse") != stored  # a new salt each time
    assert not verify_password("x", "not-a-hash")


def test_users_come_from_pairs_and_from_a_hash_file(tmp_path):
    path = tmp_path / "users"
    path.write_text(f"# staff\ncarol:{hash_password('s3cret-pass')}\n", "utf-8")
    users = read_users("ann:pw1, bob:p:w", path)
    assert set(users) == {"ann", "bob", "carol"}
    assert users["ann"]("pw1") and not users["ann"]("pw2")
    assert users["bob"]("p:w")
    assert users["carol"]("s3cret-pass") and not users["carol"]("pw1")
    assert read_users("", None) == {}


@pytest.mark.parametrize("auth, content", [("nopassword", None), ("", "carol:plaintext\n"), ("", None)])
def test_bad_login_configuration_is_named(tmp_path, auth, content):
    path = tmp_path / "users"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ConfigError, match="QA_AUTH"):
        read_users(auth, path if auth == "" else None)


def test_repeated_failures_lock_the_user_and_the_address_for_growing_times(monkeypatch, caplog):
    clock = [1000.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: clock[0])
    guard = LoginGuard(read_users("ann:right", None), free=3, first=2.0, longest=60.0, free_per_address=10)
    CLIENT.set("10.0.0.9")
    with caplog.at_level(logging.WARNING, logger="qa.security"):
        assert [guard("ann", "wrong") for _ in range(3)] == [False] * 3
        assert guard("ann", "right") is False  # locked, though the password is right
        clock[0] += 2.5
        assert guard("ann", "right") is True  # the lock ran out; success clears the count
        assert guard("ann", "wrong") is False and guard("ann", "right") is True
    assert "登录失败" in caplog.text and "10.0.0.9" in caplog.text and "锁定" in caplog.text


def test_an_address_that_tries_many_names_is_locked_too(monkeypatch):
    monkeypatch.setattr(security.time, "monotonic", lambda: 50.0)
    guard = LoginGuard(read_users("ann:right", None), free=3, free_per_address=3)
    CLIENT.set("10.0.0.7")
    for name in ("x", "y", "z"):
        assert guard(name, "guess") is False
    assert guard("ann", "right") is False
    CLIENT.set("10.0.0.8")  # another address is not held up by the first one's failures
    assert guard("ann", "right") is True


@pytest.fixture
def client():
    async def echo(request):
        body = await request.body()
        return PlainTextResponse(f"{len(body)} {CLIENT.get()}")

    routes = [
        Route("/", echo, methods=["GET", "POST"]),
        Route("/openapi.json", echo),
        Route("/monitoring/summary", echo),
    ]
    return TestClient(Guard(Starlette(routes=routes), max_body=1000))


def test_every_response_carries_the_security_headers(client):
    for response in (client.get("/"), client.get("/openapi.json"), client.post("/", content=b"x" * 5000)):
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


def test_oversized_bodies_are_refused_before_the_app_reads_them(client):
    assert client.post("/", content=b"x" * 999).text.startswith("999 ")
    assert client.post("/", content=b"x" * 5000).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"x" * 500

    assert client.post("/", content=chunks()).status_code == 413


def test_schema_docs_and_monitoring_are_closed(client):
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/monitoring/summary").status_code == 404
    assert client.get("/").status_code == 200


def test_the_address_is_the_proxys_report_only_behind_a_local_proxy(client):
    assert client.get("/", headers={"X-Forwarded-For": "10.1.2.3"}).text.endswith(" testclient")


def test_qa_passwd_prints_a_line_the_auth_file_accepts(tmp_path, monkeypatch, capsys):
    import io

    from qa.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["passwd", "dana", "--stdin"]) == 0
    line = capsys.readouterr().out.strip()
    path = tmp_path / "users"
    path.write_text(line + "\n", "utf-8")
    assert read_users("", path)["dana"]("long-enough-pw")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["passwd", "dana", "--stdin"]) == 2
