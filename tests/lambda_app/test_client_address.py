"""Rate limits count people, not CloudFront edges, and a caller cannot pick its own address."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.config import get_settings
from lambda_app.deps import deps
from lambda_app.handler import lambda_handler
from tests.lambda_app.conftest import Reply, api_event

VERIFY = "origin-verify-" + "k7Qm2Zr9Lp4Xw8Vt"
EDGE = "130.176.1.1"  # the address API Gateway sees behind CloudFront


@pytest.fixture
def behind_cloudfront(
    api: Callable[..., Reply], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., int]:
    """Claims sent as CloudFront would forward them: from the edge, with the viewer in XFF."""
    monkeypatch.setenv("ORIGIN_VERIFY_SECRET", VERIFY)
    get_settings.cache_clear()
    deps.cache_clear()

    def claim(viewer: str, *, proof: str | None = VERIFY, xff: str | None = None) -> int:
        event = api_event("POST", "/api/auth/claim", body={"code": "WRONG23456"}, ip=EDGE)
        event["headers"]["x-forwarded-for"] = xff if xff is not None else f"{viewer}, {EDGE}"
        if proof is not None:
            event["headers"]["x-origin-verify"] = proof
        return lambda_handler(event, None)["statusCode"]

    return claim


def test_a_viewer_locked_out_does_not_lock_out_neighbours(
    behind_cloudfront: Callable[..., int],
) -> None:
    assert [behind_cloudfront("203.0.113.5") for _ in range(5)] == [401] * 5
    assert behind_cloudfront("203.0.113.5") == 429  # the same person: locked out
    assert behind_cloudfront("203.0.113.77") == 401  # someone else on the same edge: not


def test_without_the_proof_the_forwarded_address_is_ignored(
    behind_cloudfront: Callable[..., int],
) -> None:
    # a caller going around CloudFront cannot dodge the limit by inventing addresses
    codes = [
        behind_cloudfront("x", proof=p, xff=f"198.51.100.{i}")
        for i, p in enumerate([None, "wrong", None, "", None, "guess"])
    ]
    assert codes == [401] * 5 + [429]


def test_a_spoofed_first_hop_does_not_count_as_the_viewer(
    behind_cloudfront: Callable[..., int],
) -> None:
    """CloudFront appends the real viewer: what the viewer wrote before it is ignored."""
    codes = [behind_cloudfront("x", xff=f"10.0.0.{i}, 203.0.113.9, {EDGE}") for i in range(6)]
    assert codes == [401] * 5 + [429]
