"""/api/calendar: a person's trips as an iCalendar feed (public: the token is the credential)."""

from __future__ import annotations

from urllib.parse import urlparse

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.ops.ics import feed_ics
from lambda_app.deps import deps
from lambda_app.http import client_address

router = Router()


@router.get("/<token>.ics")
def feed(token: str) -> Response[str]:
    """200 text/calendar; 404 (one body) for an unknown, rotated or malformed token."""
    d = deps()
    found = d.ops.feed(token, client_address(router))
    domain = urlparse(d.settings.app_url).hostname or "localhost"
    ics = feed_ics(found.entries, name=found.user.name, domain=domain, now=found.at)
    return Response(
        status_code=200,
        content_type="text/calendar; charset=utf-8",
        body=ics.decode("utf-8"),
        headers={"Cache-Control": "private, max-age=300"},
    )
