"""/api/auth: invites (admin), login links, code claims, sign-out everywhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.emails import clean_email
from core.errors import Invalid
from lambda_app.deps import deps
from lambda_app.http import body, client_address, json_response, require_str, user
from lambda_app.serializers import user_json

router = Router()


@router.post("/invite")
def invite() -> Response[str]:
    """201 {code, link, expires_at}; the link is emailed too. ``entities`` (optional, a
    list) narrows the invitee's scope; by default they get the inviting admin's."""
    payload = body(router)
    fields = require_str(payload, "email", "name", "role")
    licence: date | None = None
    if payload.get("licence_expires") is not None:
        try:
            licence = date.fromisoformat(str(payload["licence_expires"]))
        except ValueError as exc:
            raise Invalid(
                "bad licence date", fields={"licence_expires": "a date like 2027-03-31"}
            ) from exc
    event_id = payload.get("event_id")
    if event_id is not None and (not isinstance(event_id, str) or not 0 < len(event_id) <= 64):
        raise Invalid("bad event", fields={"event_id": "an event id"})
    entities = payload.get("entities")
    if entities is not None and (
        not isinstance(entities, list) or not all(isinstance(e, str) for e in entities)
    ):
        raise Invalid("bad entities", fields={"entities": "a list of entity ids"})
    inv = deps().access.invite(
        user(router),
        email=fields["email"],
        name=fields["name"],
        role=fields["role"],
        event_id=event_id,
        licence_expires=licence,
        entities=entities,
    )
    return json_response(
        201,
        {
            "code": inv.code,
            "short_code": inv.short_code,
            "link": inv.link,
            "expires_at": inv.expires_at.isoformat(),
        },
    )


@router.post("/login-link")
def login_link() -> Response[str]:
    """202 always: unknown emails get the same answer, in about the same time."""
    payload = body(router)
    email = payload.get("email")
    deps().access.login_link(clean_email(email), client_address(router))
    return json_response(
        202, {"ok": True, "message": "If that address is registered, a link is on its way."}
    )


@router.post("/claim")
def claim() -> Response[str]:
    """200 {token, expires_at, user} for ``{code}`` (the link's) or ``{email, short_code}``
    (typed in the app); 401 for a bad, used or expired code; 429 when locked."""
    payload = body(router)
    code = payload.get("code")
    if "short_code" in payload and code is None:  # typed in the app, with the email
        short = payload["short_code"]
        if not isinstance(short, str) or not 0 < len(short) <= 32:
            raise Invalid("bad code", fields={"short_code": "the code from your email"})
        email = clean_email(payload.get("email"))
        session = deps().access.claim_short(email, short, client_address(router))
    elif not isinstance(code, str) or not 0 < len(code) <= 64:
        raise Invalid("bad code", fields={"code": "the code from your link"})
    else:
        session = deps().access.claim(code, client_address(router))
    payload: dict[str, Any] = {
        "token": session.token,
        "expires_at": session.expires_at.isoformat(),
        "user": user_json(session.user),
    }
    return json_response(200, payload)


@router.post("/logout-all")
def logout_all() -> Response[str]:
    """204; every token issued before now stops working."""
    deps().access.logout_all(user(router))
    return json_response(204)
