"""What the routes need, built once per Lambda container (lazily, to keep cold starts short)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.ops_access.wiring import OpsAccess


@lru_cache(maxsize=1)
def deps() -> OpsAccess:
    """The process-wide dependencies; tests call ``deps.cache_clear()`` between setups."""
    from core.config import get_settings
    from core.delivery.senders import make_sender
    from core.ops_access.wiring import build_ops_access
    from lambda_app.telemetry import MeteredSender

    settings = get_settings()
    return build_ops_access(settings, sender=MeteredSender(make_sender(settings)))
