"""The local server answers every request, however odd: never a dropped connection or a 5xx
page; API answers are JSON."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devtools.dynamodb_local import free_port
from lambda_app.serve import Handler, LocalServer
from tests.lambda_app.conftest import Reply


@pytest.fixture
def address(api: Callable[..., Reply]) -> Iterator[tuple[str, int]]:
    httpd = LocalServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def raw_request(address: tuple[str, int], data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; (status, headers, body). A dropped connection fails the test."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer, "the server closed the connection without an answer"
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def json_error(body: bytes) -> Any:
    payload = json.loads(body)
    assert set(payload) >= {"error", "message"}
    return payload


@pytest.mark.parametrize("length", ["abc", "-5", "9" * 5000, "1.5"])
def test_a_bad_content_length_is_a_400(address: tuple[str, int], length: str) -> None:
    request = f"POST /api/auth/claim HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}"
    status, _, body = raw_request(address, request.encode())
    assert status == 400 and json_error(body)["error"] == "bad_request"


def test_a_declared_huge_body_is_a_413_unread(address: tuple[str, int]) -> None:
    request = b"POST /api/auth/claim HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{}"
    status, _, body = raw_request(address, request)
    assert status == 413 and json_error(body)["error"] == "too_large"


def test_a_chunked_body_is_a_400(address: tuple[str, int]) -> None:
    request = (
        b"POST /api/auth/claim HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n"
    )
    status, _, body = raw_request(address, request)
    assert status == 400 and json_error(body)["error"] == "bad_request"


@pytest.mark.parametrize("method", ["OPTIONS", "BREW", "TRACE", "PROPFIND"])
def test_any_method_gets_a_json_answer(address: tuple[str, int], method: str) -> None:
    status, _, body = raw_request(
        address, f"{method} /api/events HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    assert 400 <= status < 500 and json_error(body)


def test_head_gets_headers_only(address: tuple[str, int]) -> None:
    status, headers, body = raw_request(address, b"HEAD /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 404 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("path", ["/%00", "/a\x00b", "/../../etc/passwd", "/" + "a" * 5000])
def test_odd_static_paths_get_the_app(address: tuple[str, int], path: str) -> None:
    status, headers, body = raw_request(address, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status == 200 and b"<html" in body.lower() and headers["Content-Type"] == "text/html"


def test_a_failure_around_the_handler_is_a_json_500(
    address: tuple[str, int], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: Any) -> dict[str, Any]:
        return {"statusCode": "not a status"}  # the server chokes on this answer

    monkeypatch.setattr("lambda_app.handler.lambda_handler", broken)
    status, _, body = raw_request(address, b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 500 and json_error(body) == {
        "error": "internal",
        "message": "something went wrong on our side; try again",
    }
    assert any(r.exc_info for r in caplog.records if r.name == "lambda_app.serve")
