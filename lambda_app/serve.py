"""Local development server: the SPA folder and `/api` through the same Lambda handler.

`python -m lambda_app.serve [--host 127.0.0.1] [--port 8787]` (or `make api`). Each HTTP
request under /api becomes an API Gateway HTTP API (payload 2.0) event; anything else is a
static file from ``frontend/`` (index.html for unknown paths, as a single-page app expects).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import logging
import mimetypes
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FRONTEND = Path(__file__).with_name("frontend")
SECURITY_HEADERS = {
    # no inline script or style anywhere: the SPA is built to run under this policy
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
MAX_READ = 1024 * 1024  # read at most this much; the handler itself refuses > 64 KiB
INTERNAL = {"error": "internal", "message": "something went wrong on our side; try again"}

logger = logging.getLogger(__name__)


def to_event(
    method: str, target: str, headers: dict[str, str], body: bytes, ip: str
) -> dict[str, Any]:
    """The API Gateway v2 event for one HTTP request."""
    url = urlsplit(target)
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    text_ok = True
    try:
        text = body.decode()
    except UnicodeDecodeError:
        text_ok, text = False, base64.b64encode(body).decode()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": url.path,
        "rawQueryString": url.query,
        "headers": {k.lower(): v for k, v in headers.items()},
        "queryStringParameters": query or None,
        "requestContext": {
            "http": {
                "method": method,
                "path": url.path,
                "protocol": "HTTP/1.1",
                "sourceIp": ip,
                "userAgent": headers.get("User-Agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": int(time.time() * 1000),
            "domainName": headers.get("Host", "localhost"),
            "accountId": "local",
            "apiId": "local",
        },
        "body": text if body else None,
        "isBase64Encoded": not text_ok,
    }


def static_file(path: str) -> Path:
    """The front-end file a path names, or index.html (the SPA routes the rest itself)."""
    try:
        file = (FRONTEND / path.lstrip("/")).resolve()
        if file.is_relative_to(FRONTEND.resolve()) and file.is_file():
            return file
    except (OSError, ValueError):  # a NUL in the path, a name too long for the system
        pass
    return FRONTEND / "index.html"


# One request at a time through the handler, as in a Lambda environment: the Powertools
# resolver keeps the current event and route context on the app, shared by every thread.
_HANDLER_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    """Routes /api to the Lambda handler and serves the SPA."""

    server_version = "exec-ops-local"

    def _api(self) -> None:
        from lambda_app.handler import lambda_handler

        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._json(400, {"error": "bad_request", "message": "a bad Content-Length header"})
            return
        if self.headers.get("Transfer-Encoding"):  # unread, a chunked body would be taken
            self.close_connection = True  # for the next request on this connection
            self._json(400, {"error": "bad_request", "message": "send a Content-Length"})
            return
        if length > MAX_READ:  # refused unread: close, or the rest would be read as a request
            self.close_connection = True
            self._json(413, {"error": "too_large", "message": "the body is over 64 KiB"})
            return
        body = self.rfile.read(length) if length else b""
        event = to_event(self.command, self.path, dict(self.headers), body, self.client_address[0])
        with _HANDLER_LOCK:
            out = lambda_handler(event, None)
        payload = out.get("body") or ""
        data = base64.b64decode(payload) if out.get("isBase64Encoded") else payload.encode()
        self.send_response(out["statusCode"])
        for name, value in (out.get("headers") or {}).items():
            self.send_header(name, value)
        for name, values in (out.get("multiValueHeaders") or {}).items():
            for value in values:
                self.send_header(name, value)
        self._finish(data)

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self._finish(json.dumps(payload).encode())

    def _finish(self, data: bytes) -> None:
        self.send_header("Content-Length", str(len(data)))
        self._security_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _security_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)

    def _static(self) -> None:
        file = static_file(urlsplit(self.path).path)
        if not file.is_file():
            self.send_error(404, "no front end built yet")
            return
        data = file.read_bytes()
        self.send_response(200)
        self.send_header(
            "Content-Type", mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        self.send_header("Cache-Control", "no-cache")
        self._finish(data)

    def _dispatch(self) -> None:
        # the last resort of the local server: whatever fails, the client gets an answer
        # (the Lambda handler has its own; this covers the server's part around it)
        try:
            if urlsplit(self.path).path.startswith("/api"):
                self._api()
            elif self.command in ("GET", "HEAD"):
                self._static()
            else:
                self._json(405, {"error": "not_allowed", "message": "static files are read-only"})
        except Exception:
            logger.exception("unhandled error serving %s %s", self.command, self.path[:200])
            self.close_connection = True
            with contextlib.suppress(Exception):  # the answer may be half sent already
                self._json(500, INTERNAL)

    def __getattr__(self, name: str) -> Any:
        """Every method (OPTIONS, HEAD, or one that does not exist) goes through _dispatch,
        so the API answers it in JSON rather than the stock 501 page."""
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet unless asked."""
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class LocalServer(ThreadingHTTPServer):
    """A thread per connection, with room for a burst of clients while the handler is busy."""

    daemon_threads = True
    request_queue_size = 128


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description="Local ops API and SPA")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    server = LocalServer((args.host, args.port), Handler)
    server.verbose = args.verbose  # type: ignore[attr-defined]
    print(f"ops API and app on http://{args.host}:{args.port} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
