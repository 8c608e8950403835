"""Scopes, guest links, resends, strict text and per-recipient nudges through the API, on
both ops stores."""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.errors import Unavailable
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, ops_records, outbox, sign_in_as
from tests.lambda_app.test_api import trip

CENTAUR = "DangerousCentaur"
WAIVER = {
    "full_name": "Gail Guest",
    "date_of_birth": "1990-04-30",
    "emergency_contact_name": "Gus Guest",
    "emergency_contact_phone": "+1 619 555 0100",
    "signature": "Gail Guest",
    "accept": True,
}


def last_code(tmp: Path, to: str) -> str:
    """The code in the newest mail to ``to``."""
    sent = [m for m in outbox(tmp) if m["to"] == [to]]
    assert sent, f"no mail to {to}"
    raw = (tmp / "outbox" / sent[-1]["file"]).read_bytes()
    msg = email.message_from_bytes(raw)
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    found = re.search(r"code=([A-Z0-9]+)", text.get_payload(decode=True).decode())
    assert found
    return found.group(1)


def claim(api: Callable[..., Reply], code: str) -> Reply:
    reply = api("POST", "/api/auth/claim", body={"code": code})
    assert reply.status == 200, reply.body
    return reply


def scoped_admin(api: Callable[..., Reply], root: str, email: str) -> str:
    """An admin invited over DangerousCentaur only; their token."""
    inv = api(
        "POST",
        "/api/auth/invite",
        token=root,
        body={"email": email, "name": "Cent", "role": "admin", "entities": [CENTAUR]},
    )
    assert inv.status == 201, inv.body
    return claim(api, inv.body["code"]).body["token"]


def test_a_scoped_admin_stays_in_its_entities(api: Callable[..., Reply]) -> None:
    root, _ = sign_in_as("admin")
    queen = api("POST", "/api/events", token=root, body=trip(days=3)).body["id"]
    guest = api(
        "POST",
        f"/api/events/{queen}/guests",
        token=root,
        body={"email": "q@example.com", "name": "Q"},
    ).body["id"]
    cent = scoped_admin(api, root, "cent@example.com")
    mine = api("POST", "/api/events", token=cent, body=trip(days=4, entity=CENTAUR))
    assert mine.status == 201
    listed = api("GET", "/api/events", token=cent).body["events"]
    assert [e["id"] for e in listed] == [mine.body["id"]]
    assert api("POST", "/api/events", token=cent, body=trip(days=5)).status == 403
    for method, path, body in [
        ("GET", f"/api/events/{queen}", None),
        ("GET", f"/api/events/{queen}/manifest", None),
        ("PATCH", f"/api/events/{queen}", {"title": "Mine"}),
        ("DELETE", f"/api/events/{queen}", None),
        ("POST", f"/api/events/{queen}/guests", {"email": "z@example.com", "name": "Z"}),
        ("POST", f"/api/events/{queen}/guests/{guest}/resend", None),
        ("POST", f"/api/events/{queen}/guests/{guest}/check-in", None),
        ("GET", f"/api/events/{queen}/checklist", None),
    ]:
        got = api(method, path, token=cent, body=body)
        assert got.status == 404, (method, path, got)
    # invites: never beyond the inviter's scope; an invitee gets the inviter's by default
    wide = {"email": "w@example.com", "name": "W", "role": "admin", "entities": ["Other"]}
    assert api("POST", "/api/auth/invite", token=cent, body=wide).status == 403
    event_invite = {"email": "e@example.com", "name": "E", "role": "crew", "event_id": queen}
    assert api("POST", "/api/auth/invite", token=cent, body=event_invite).status == 404
    crew = {"email": "n@example.com", "name": "N", "role": "crew"}
    made = api("POST", "/api/auth/invite", token=cent, body=crew)
    assert made.status == 201
    assert deps().ops.find_user("n@example.com").entities == frozenset({CENTAUR})
    # a re-sent invite keeps someone's scope, even from an admin over everything
    assert api("POST", "/api/auth/invite", token=root, body=crew).status == 201
    assert deps().ops.find_user("n@example.com").entities == frozenset({CENTAUR})
    # a scoped admin cannot take over someone who works beyond its scope
    global_crew = {"email": "gc@example.com", "name": "G", "role": "crew"}
    assert api("POST", "/api/auth/invite", token=root, body=global_crew).status == 201
    takeover = {"email": "gc@example.com", "name": "G", "role": "admin"}
    assert api("POST", "/api/auth/invite", token=cent, body=takeover).status == 403
    assert deps().ops.find_user("gc@example.com").role == "crew"


def test_a_guest_link_gives_a_guest_session_even_for_crew(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin")
    sign_in_as("crew", email="cora@example.com")
    far = (datetime.now(UTC) + timedelta(days=300)).date()
    event = api(
        "POST", "/api/events", token=root, body=trip(starts_at=f"{far}T16:30:00-08:00")
    ).body["id"]
    other = api("POST", "/api/events", token=root, body=trip(days=3)).body["id"]
    added = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "cora@example.com", "name": "Cora"},
    )
    assert added.status == 201
    code = last_code(tmp_path, "cora@example.com")
    session = claim(api, code).body
    assert session["user"]["role"] == "guest"
    expires = datetime.fromisoformat(session["expires_at"])
    assert expires <= datetime.now(UTC) + timedelta(hours=12, minutes=1)
    token = session["token"]
    assert api("GET", "/api/me", token=token).body["role"] == "guest"
    year = {"to": (datetime.now(UTC) + timedelta(days=365)).isoformat()}
    listed = api("GET", "/api/events", token=token, query=year).body["events"]
    assert [e["id"] for e in listed] == [event]
    assert api("GET", f"/api/events/{other}", token=token).status == 404
    assert (
        api("POST", f"/api/events/{other}/claims", token=token, body={"role": "crew"}).status == 403
    )
    signed = api("POST", f"/api/events/{event}/waiver", token=token, body=WAIVER)
    assert signed.status == 200 and signed.body["status"] == "cleared"
    # the stored crew record is untouched, and signing out a guest session keeps it crew
    assert api("POST", "/api/auth/logout-all", token=token).status == 204
    assert deps().ops.find_user("cora@example.com").role == "crew"


def test_guest_codes_live_at_most_invite_ttl_and_can_be_resent(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin")
    far = (datetime.now(UTC) + timedelta(days=300)).date()
    event = api(
        "POST", "/api/events", token=root, body=trip(starts_at=f"{far}T16:30:00-08:00")
    ).body["id"]
    guest = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "far@example.com", "name": "Far"},
    ).body["id"]
    first = last_code(tmp_path, "far@example.com")
    codes = [c for c in _live_codes() if c["purpose"] == "guest"]
    assert codes and all(
        c["expires_at"] <= datetime.now(UTC) + timedelta(hours=24, minutes=1) for c in codes
    )
    resent = api("POST", f"/api/events/{event}/guests/{guest}/resend", token=root)
    assert resent.status == 202 and resent.body["sent"] is True
    second = last_code(tmp_path, "far@example.com")
    assert second != first
    assert claim(api, second).body["user"]["role"] == "guest"
    crew, _ = sign_in_as("crew")
    assert api("POST", f"/api/events/{event}/guests/{guest}/resend", token=crew).status == 403
    missing = api("POST", f"/api/events/{event}/guests/nobody/resend", token=root)
    assert missing.status == 404


def _live_codes() -> list[dict[str, Any]]:
    """Every stored login code (SQLite: the codes table; DynamoDB: a scan)."""
    from core.ops.codec import load
    from core.ops.login_codes import LoginCode

    store = ops_records()
    if store.backend == "sqlite":
        import json
        import sqlite3

        with sqlite3.connect(store.path) as conn:  # type: ignore[attr-defined]
            rows = conn.execute("SELECT body FROM codes").fetchall()
        found = [load(LoginCode, json.loads(r[0])) for r in rows]
    else:
        import json

        items = store.client.scan(TableName=store.table)["Items"]  # type: ignore[attr-defined]
        found = [
            load(LoginCode, json.loads(i["body"]["S"]))
            for i in items
            if i["PK"]["S"].startswith("CODE#")
        ]
    return [{"purpose": c.purpose, "expires_at": c.expires_at} for c in found]


def test_a_failed_guest_mail_keeps_the_guest_and_says_resend(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip()).body["id"]

    class Down:
        def send(self, msg: Any) -> list[str]:
            raise Unavailable("SES refused the message: Throttling")

    working = deps().access.sender
    monkeypatch.setattr(deps().access, "sender", Down())
    failed = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "m@example.com", "name": "Mia"},
    )
    assert failed.status == 503 and failed.body["error"] == "mail_not_sent"
    assert "resend" in failed.body["message"]
    manifest = api("GET", f"/api/events/{event}/manifest", token=root).body["guests"]
    assert [(g["email"], g["status"]) for g in manifest] == [("m@example.com", "on_hold")]
    monkeypatch.setattr(deps().access, "sender", working)
    again = api("POST", f"/api/events/{event}/guests/{manifest[0]['id']}/resend", token=root)
    assert again.status == 202
    assert last_code(tmp_path, "m@example.com")


@pytest.mark.parametrize("field", ["title", "vessel"])
def test_line_breaks_in_event_text_are_refused(api: Callable[..., Reply], field: str) -> None:
    root, _ = sign_in_as("admin")
    bad = api("POST", "/api/events", token=root, body=trip(**{field: "Sail\r\nBcc: x@evil.test"}))
    assert bad.status == 422 and set(bad.body["fields"]) == {field}
    event = api("POST", "/api/events", token=root, body=trip()).body["id"]
    patched = api("PATCH", f"/api/events/{event}", token=root, body={field: "a\tb"})
    assert patched.status == 422 and set(patched.body["fields"]) == {field}
    assert api("GET", "/api/events", token=root).body["events"][0]["title"] == "Sunset sail"


@pytest.mark.parametrize("address", ["a@example.com,b@example.com", "a b@example.com"])
def test_one_strict_email_check_at_every_door(
    api: Callable[..., Reply], tmp_path: Path, address: str
) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip()).body["id"]
    before = len(outbox(tmp_path))
    guest = api(
        "POST", f"/api/events/{event}/guests", token=root, body={"email": address, "name": "X"}
    )
    assert guest.status == 422 and set(guest.body["fields"]) == {"email"}
    invite = api(
        "POST",
        "/api/auth/invite",
        token=root,
        body={"email": address, "name": "X", "role": "crew"},
    )
    assert invite.status == 422 and set(invite.body["fields"]) == {"email"}
    link = api("POST", "/api/auth/login-link", body={"email": address})
    assert link.status == 422
    assert len(outbox(tmp_path)) == before


def test_a_waiver_cannot_be_signed_again_after_check_in(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip()).body["id"]
    gid = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "g@example.com", "name": "G"},
    ).body["id"]
    token = claim(api, last_code(tmp_path, "g@example.com")).body["token"]
    assert api("POST", f"/api/events/{event}/waiver", token=token, body=WAIVER).status == 200
    again = api("POST", f"/api/events/{event}/waiver", token=token, body=WAIVER)
    assert again.status == 409 and again.body["error"] == "already_signed"
    assert api("POST", f"/api/events/{event}/guests/{gid}/check-in", token=root).status == 200
    late = api(
        "POST", f"/api/events/{event}/waiver", token=token, body={**WAIVER, "full_name": "Other"}
    )
    assert late.status == 409 and late.body["error"] == "already_checked_in"
    kept = ops_records().get_guest(event, gid)
    assert kept.status == "checked_in" and kept.waiver and kept.waiver.full_name == "Gail Guest"


def test_events_window_in_another_offset(api: Callable[..., Reply]) -> None:
    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip(days=3)).body
    starts = datetime.fromisoformat(event["starts_at"]).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Tokyo")
    )
    window = {
        "from": (starts - timedelta(hours=1)).isoformat(),
        "to": (starts + timedelta(hours=1)).isoformat(),
    }
    got = api("GET", "/api/events", token=root, query=window)
    assert got.status == 200, got.body
    assert [e["id"] for e in got.body["events"]] == [event["id"]]


def test_nudges_go_to_each_recipient_alone_and_only_in_scope(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    root, _ = sign_in_as("admin", email="root@example.com")
    sign_in_as("admin", email="second@example.com")
    scoped_admin(api, root, "cent@example.com")
    soon = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0).isoformat()
    api("POST", "/api/events", token=root, body=trip(starts_at=soon))
    before = len(outbox(tmp_path))
    schedule = {
        "source": "aws.events",
        "detail-type": "Scheduled Event",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
    }
    assert lambda_handler(schedule, None)["nudges"] == 2  # open slots, unfinished checklist
    mails = outbox(tmp_path)[before:]
    assert all(len(m["to"]) == 1 for m in mails)
    assert sorted(m["to"][0] for m in mails) == sorted(
        ["root@example.com", "second@example.com"] * 2
    )
    assert lambda_handler(schedule, None)["nudges"] == 0


def test_a_stored_title_with_a_line_break_does_not_break_the_guest_mail(
    api: Callable[..., Reply], tmp_path: Path
) -> None:
    from dataclasses import replace

    root, _ = sign_in_as("admin")
    event = api("POST", "/api/events", token=root, body=trip()).body["id"]
    store = ops_records()
    store.save_event(replace(store.get_event(event), title="Sail\r\nBcc: x@evil.test"))
    added = api(
        "POST",
        f"/api/events/{event}/guests",
        token=root,
        body={"email": "l@example.com", "name": "L"},
    )
    assert added.status == 201, added.body
    [mail] = [m for m in outbox(tmp_path) if m["to"] == ["l@example.com"]]
    assert mail["subject"] == "Your waiver for Sail  Bcc: x@evil.test"
