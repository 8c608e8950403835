"""The one-time login code record the ops store keeps (made and spent by ``core.ops_access``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LoginCode:
    """What a code grants; only its hash is ever stored."""

    code_hash: str
    user_id: str
    purpose: str  # invite | login | guest
    expires_at: datetime
    event_id: str | None = None
    # the other half of a link + short code pair: spending either spends both
    pair_hash: str | None = None
