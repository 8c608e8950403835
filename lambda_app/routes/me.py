"""/api/me/...: the signed-in person's calendar feed link and availability (``GET /api/me``
itself is in the handler)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from core.ops.calendar_records import Away
from core.ops.rules.calendar import feed_url
from lambda_app.deps import deps
from lambda_app.http import body, json_response, user

router = Router()


def _feed(rotate: bool) -> Response[str]:
    d = deps()
    token = d.ops.feed_token(user(router), d.access.secret(), rotate=rotate)
    return json_response(200, {"url": feed_url(d.settings.app_url, token)})


@router.get("/calendar")
def calendar_link() -> Response[str]:
    """200 {url}: the caller's secret calendar feed address (the same on every ask)."""
    return _feed(rotate=False)


@router.post("/calendar")
def rotate_calendar_link() -> Response[str]:
    """200 {url}: a new feed address; the old one answers 404 from now on."""
    return _feed(rotate=True)


def _windows(windows: list[Away]) -> Response[str]:
    return json_response(
        200,
        {
            "unavailable": [
                {"from": w.starts_at.isoformat(), "to": w.ends_at.isoformat()} for w in windows
            ]
        },
    )


@router.get("/availability")
def availability() -> Response[str]:
    """200 {unavailable: [{from, to}]} (UTC) for the caller (not guests)."""
    return _windows(deps().ops.availability(user(router)))


@router.put("/availability")
def set_availability() -> Response[str]:
    """200 {unavailable: [...]}: the caller's list replaced; 422 with fields for bad input."""
    return _windows(deps().ops.set_availability(user(router), body(router)))
