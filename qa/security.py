"""What stands between the app and the network: password checks, login throttling, request limits, headers.

Passwords are checked against QA_AUTH ("user:pass,…") or QA_AUTH_FILE (salted PBKDF2 hashes written by
`qa passwd`). Repeated failures lock a user name and an address out for a growing time, and are logged.
The middleware refuses oversized bodies before anything reads them, closes endpoints staff never need
(FastAPI's /openapi.json and /docs, Gradio's monitoring) and sets headers that stop the page being framed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from pathlib import Path

from starlette.exceptions import HTTPException

from .errors import ConfigError

log = logging.getLogger("qa.security")

HASH_NAME = "pbkdf2_sha256"
HASH_ROUNDS = 260_000
CLIENT: ContextVar[str] = ContextVar("client", default="")  # the address of the request being served

# Paths no user of the app needs; they are answered 404 whatever the login state.
CLOSED = ("/openapi.json", "/docs", "/redoc", "/monitoring", "/gradio_api/monitoring")
UPLOAD = "/gradio_api/upload"  # where the app's 上传文档 sends files, allowed a larger body
HEADERS = [
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"referrer-policy", b"same-origin"),
]


# ---- passwords -----------------------------------------------------------------------------------


def hash_password(password: str, salt: str | None = None, rounds: int = HASH_ROUNDS) -> str:
    """A salted PBKDF2-SHA256 hash in the form QA_AUTH_FILE stores: pbkdf2_sha256$rounds$salt$hex."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), rounds).hex()
    return f"{HASH_NAME}${rounds}${salt}${digest}"


def verify_password(password: str, stored: str) -> bool:
    """The password matches a stored hash (constant-time compare)."""
    try:
        name, rounds, salt, digest = stored.split("$")
        if name != HASH_NAME:
            return False
        computed = hash_password(password, salt, int(rounds)).rsplit("$", 1)[1]
    except ValueError:
        return False
    return hmac.compare_digest(computed, digest)


def read_users(auth: str, auth_file: Path | None) -> dict[str, Callable[[str], bool]]:
    """user -> a password check, from QA_AUTH pairs and QA_AUTH_FILE lines; ConfigError names a bad entry."""
    users: dict[str, Callable[[str], bool]] = {}
    for pair in (p.strip() for p in auth.split(",") if p.strip()):
        user, sep, password = pair.partition(":")
        if not sep or not user:
            raise ConfigError("QA_AUTH 格式应为 user:pass,user2:pass2")
        users[user] = partial(_same, password)
    if auth_file is not None:
        try:
            lines = auth_file.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise ConfigError(f"无法读取 QA_AUTH_FILE（{auth_file}）：{err.strerror}") from None
        for n, line in enumerate(lines, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            user, sep, stored = line.partition(":")
            if not sep or not user or not stored.startswith(HASH_NAME + "$"):
                raise ConfigError(f"QA_AUTH_FILE 第{n}行格式应为 user:{HASH_NAME}$…（用 qa passwd 生成）")
            users[user] = partial(_matches, stored)
    return users


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _matches(stored: str, given: str) -> bool:
    return verify_password(given, stored)


# ---- login throttling ----------------------------------------------------------------------------


class LoginGuard:
    """Gradio's auth callable: checks a password, and locks out a user name or an address that keeps failing.

    After `free` failures in a row, each further failure locks that name and that address for twice as
    long as the last (2 s, 4 s, … up to `longest`); a lock refuses even the right password, and a success
    clears the count. Every failure is logged with its user and address."""

    def __init__(
        self,
        users: dict[str, Callable[[str], bool]],
        free: int = 5,
        first: float = 2.0,
        longest: float = 300.0,
        free_per_address: int = 20,
    ):
        self.users = users
        self.first, self.longest = first, longest
        # An office behind one address has many users: it may fail more often than one user name.
        self.free = {"user": free, "address": free_per_address}
        self._failures: dict[tuple[str, str], int] = {}
        self._locked: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        keys = [("user", username), ("address", CLIENT.get() or "?")]
        now = time.monotonic()
        with self._lock:
            if any(self._locked.get(k, 0.0) > now for k in keys):
                log.warning("登录被暂时锁定：用户 %r，地址 %s", username, keys[1][1])
                return False
        check = self.users.get(username)
        ok = bool(check and check(password))
        with self._lock:
            for k in keys:
                if ok:
                    self._failures.pop(k, None)
                    self._locked.pop(k, None)
                    continue
                n = self._failures[k] = self._failures.get(k, 0) + 1
                if n >= self.free[k[0]]:
                    self._locked[k] = now + min(self.first * 2 ** (n - self.free[k[0]]), self.longest)
        if not ok:
            log.warning("登录失败：用户 %r，地址 %s", username, keys[1][1])
        return ok


# ---- middleware ----------------------------------------------------------------------------------


class Guard:
    """ASGI middleware: closed paths, a cap on request bodies, security headers, and the client's address."""

    def __init__(self, app, max_body: int = 1_000_000, max_upload: int = 0):
        self.app = app
        self.max_body = max_body
        self.max_upload = max(max_upload, max_body)  # Gradio's file upload, which checks each file's size itself

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if any(path == p or path.startswith(p + "/") for p in CLOSED):
            return await _plain(send, 404, "Not Found")
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        cap = self.max_upload if path == UPLOAD else self.max_body
        if length is not None and (not length.isdigit() or int(length) > cap):
            return await _plain(send, 413, "请求太大")
        CLIENT.set(_client(scope, headers))
        seen = 0
        started = False

        async def capped_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise TooLarge
            return message

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        try:
            await self.app(scope, capped_receive, with_headers)
        except TooLarge:
            if not started:
                await _plain(send, 413, "请求太大")


class TooLarge(HTTPException):
    """A request body grew past the cap while it was being read (the app answers it with 413)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="请求太大")


def _client(scope, headers: dict) -> str:
    """The client's address; behind a reverse proxy on this machine, the one the proxy reports."""
    host = (scope.get("client") or ("", 0))[0]
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")[0].strip()
    return forwarded if forwarded and host in ("127.0.0.1", "::1") else host


async def _plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
            + HEADERS,
        }
    )
    await send({"type": "http.response.body", "body": body})
