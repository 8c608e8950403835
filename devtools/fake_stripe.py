"""A Stripe-shaped HTTP server on loopback, for tests and local runs of `sync-stripe`.

It serves ``GET /v1/balance_transactions`` the way Stripe does (newest first, ``limit``,
``starting_after``, ``created[gte]``/``created[lt]``, ``has_more``, bearer-key auth, Stripe's
error bodies), so the real ``stripe`` client pages, retries and fails against it for real.
Faults are queued per request: ``"429"`` (rate limited, retry advised), ``"429-stop"``
(rate limited, no retry), ``"500"``, ``"drop"`` (the connection closes without an answer).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeStripe:
    """The server's state: its key, balance transactions, queued faults and a request log."""

    api_key: str
    transactions: list[dict[str, Any]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *txns: dict[str, Any]) -> None:
        """Add balance transactions (any order; served newest first)."""
        with self.lock:
            self.transactions.extend(txns)
            self.transactions.sort(key=lambda t: (t["created"], t["id"]), reverse=True)

    def page(self, params: dict[str, str]) -> dict[str, Any]:
        """One list page, as Stripe answers it."""
        limit = max(1, min(100, int(params.get("limit", "10"))))
        rows = self.transactions
        if "created[gte]" in params:
            rows = [t for t in rows if t["created"] >= int(params["created[gte]"])]
        if "created[lt]" in params:
            rows = [t for t in rows if t["created"] < int(params["created[lt]"])]
        after = params.get("starting_after")
        if after:
            ids = [t["id"] for t in rows]
            if after not in ids:
                raise LookupError(after)
            rows = rows[ids.index(after) + 1 :]
        return {
            "object": "list",
            "url": "/v1/balance_transactions",
            "has_more": len(rows) > limit,
            "data": rows[:limit],
        }


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message}}


def _handler(state: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: dict[str, Any], **headers: str) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.send_header("Request-Id", f"req_{len(state.requests)}")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            with state.lock:
                state.requests.append({"path": url.path, **params})
                fault = state.faults.pop(0) if state.faults else None
            if fault == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if self.headers.get("Authorization") != f"Bearer {state.api_key}":
                key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                masked = key[:8] + "*" * 4 + key[-4:] if len(key) > 12 else "****"
                message = f"Invalid API Key provided: {masked}"
                self._send(401, _error("invalid_request_error", message))
                return
            if fault in ("429", "429-stop"):
                retry = "true" if fault == "429" else "false"
                self._send(
                    429,
                    _error("rate_limit_error", "Too many requests hit the API too quickly."),
                    Stripe_Should_Retry=retry,
                )
                return
            if fault == "500":
                self._send(500, _error("api_error", "Something went wrong on Stripe's end."))
                return
            if url.path != "/v1/balance_transactions":
                self._send(404, _error("invalid_request_error", f"Unrecognized URL {url.path}"))
                return
            try:
                with state.lock:
                    body = state.page(params)
            except LookupError as exc:
                message = f"No such balance transaction: '{exc.args[0]}'"
                self._send(400, _error("invalid_request_error", message))
                return
            self._send(200, body)

    return Handler


@contextmanager
def fake_stripe(api_key: str) -> Iterator[FakeStripe]:
    """Serve a FakeStripe on a free loopback port for the duration of the block."""
    state = FakeStripe(api_key=api_key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def balance_transaction(
    txn_id: str,
    created: int,
    amount: int,
    *,
    type: str = "charge",
    fee: int = 0,
    description: str = "",
    currency: str = "usd",
    reporting_category: str | None = None,
) -> dict[str, Any]:
    """A balance transaction shaped like Stripe's (amounts in cents, ``net`` = amount - fee)."""
    return {
        "id": txn_id,
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created + 2 * 86400,
        "created": created,
        "currency": currency,
        "description": description or None,
        "fee": fee,
        "fee_details": [{"amount": fee, "type": "stripe_fee", "currency": currency}] if fee else [],
        "net": amount - fee,
        "reporting_category": reporting_category or type,
        "source": f"src_{txn_id}",
        "status": "available",
        "type": type,
    }
