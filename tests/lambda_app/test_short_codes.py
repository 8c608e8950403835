"""Short sign-in codes over HTTP, on both stores: in every login and invite email, single
use, spent together with their link, and locked after five failures per email or client."""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from pathlib import Path

from core.ops_access.codes import ALPHABET
from tests.lambda_app.conftest import Reply, outbox, sign_in_as
from tests.lambda_app.test_ops_scopes import last_code

SHORT = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b")


def mail_parts(tmp: Path, to: str) -> tuple[str, str]:
    """The text and HTML of the newest mail to ``to``."""
    sent = [m for m in outbox(tmp) if m["to"] == [to]]
    assert sent, f"no mail to {to}"
    msg = email.message_from_bytes((tmp / "outbox" / sent[-1]["file"]).read_bytes())
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in msg.walk()
        if not p.is_multipart()
    }
    return parts["text/plain"], parts["text/html"]


def short_code(tmp: Path, to: str) -> str:
    text, html = mail_parts(tmp, to)
    found = SHORT.search(text)
    assert found, text
    assert found.group(1) in html
    return found.group(1)


def invite(api: Callable[..., Reply], admin: str, to: str, role: str = "crew") -> Reply:
    reply = api(
        "POST", "/api/auth/invite", token=admin, body={"email": to, "name": "Cora", "role": role}
    )
    assert reply.status == 201, reply.body
    return reply


def short_claim(api: Callable[..., Reply], to: str, code: str, ip: str = "198.51.100.7") -> Reply:
    return api("POST", "/api/auth/claim", body={"email": to, "short_code": code}, ip=ip)


def test_an_invite_email_carries_a_short_code_that_signs_in_once(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    inv = invite(api, admin, "Cora@Example.com")
    code = short_code(tmp_path, "cora@example.com")
    assert inv.body["short_code"] == code
    raw = code.replace("-", "")
    assert len(raw) == 8 and set(raw) <= set(ALPHABET)
    # typed in lower case, without the dash, with the email as typed: still the same code
    claimed = short_claim(api, "CORA@example.com ", raw.lower())
    assert claimed.status == 200, claimed.body
    assert claimed.body["user"]["email"] == "cora@example.com"
    assert claimed.body["user"]["role"] == "crew"
    assert short_claim(api, "cora@example.com", code).status == 401  # single use
    # ... and the link of the same email is spent with it
    link = api("POST", "/api/auth/claim", body={"code": inv.body["code"]})
    assert link.status == 401


def test_using_the_link_spends_the_short_code(api: Callable[..., Reply], tmp_path: Path) -> None:
    admin, _ = sign_in_as("admin")
    invite(api, admin, "cy@example.com")
    code = short_code(tmp_path, "cy@example.com")
    link = last_code(tmp_path, "cy@example.com")
    assert api("POST", "/api/auth/claim", body={"code": link}).status == 200
    assert short_claim(api, "cy@example.com", code).status == 401


def test_a_login_link_email_carries_a_short_code(api: Callable[..., Reply], tmp_path: Path) -> None:
    sign_in_as("crew", email="kim@example.com")
    assert api("POST", "/api/auth/login-link", body={"email": "kim@example.com"}).status == 202
    code = short_code(tmp_path, "kim@example.com")
    assert short_claim(api, "kim@example.com", code).status == 200


def test_a_short_code_works_only_with_its_own_email(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    invite(api, admin, "a1@example.com")
    invite(api, admin, "b1@example.com")
    code = short_code(tmp_path, "a1@example.com")
    assert short_claim(api, "b1@example.com", code).status == 401
    assert short_claim(api, "a1@example.com", code).status == 200


def test_five_failures_for_one_email_lock_it_from_any_address(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    invite(api, admin, "lock@example.com")
    code = short_code(tmp_path, "lock@example.com")
    for n in range(5):  # five guesses, each from a different address
        assert (
            short_claim(api, "lock@example.com", "ABCD-EFG" + "H", ip=f"203.0.113.{n}").status
            == 401
        )
    # locked for that email: even the right code, from a fresh address
    assert short_claim(api, "lock@example.com", code, ip="203.0.113.99").status == 429
    # another email from the same addresses is not locked
    invite(api, admin, "free@example.com")
    other = short_code(tmp_path, "free@example.com")
    assert short_claim(api, "free@example.com", other, ip="203.0.113.1").status == 200


def test_five_failures_from_one_address_lock_it_for_every_email(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    admin, _ = sign_in_as("admin")
    invite(api, admin, "ok@example.com")
    code = short_code(tmp_path, "ok@example.com")
    for n in range(5):
        assert (
            short_claim(api, f"guess{n}@example.com", "ABCD-EFGH", ip="203.0.113.50").status == 401
        )
    assert short_claim(api, "ok@example.com", code, ip="203.0.113.50").status == 429
    assert short_claim(api, "ok@example.com", code, ip="203.0.113.51").status == 200


def test_bad_claim_bodies_are_422_with_fields(api: Callable[..., Reply]) -> None:
    cases = [
        ({"short_code": "ABCD-EFGH"}, "email"),
        ({"short_code": "ABCD-EFGH", "email": "not an email"}, "email"),
        ({"short_code": 12345678, "email": "a@example.com"}, "short_code"),
        ({"short_code": "", "email": "a@example.com"}, "short_code"),
        ({"short_code": "A" * 33, "email": "a@example.com"}, "short_code"),
        ({}, "code"),
    ]
    for payload, field in cases:
        reply = api("POST", "/api/auth/claim", body=payload)
        assert reply.status == 422 and field in reply.body["fields"], (payload, reply.body)
