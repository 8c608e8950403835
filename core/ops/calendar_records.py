"""Records of the calendar feed and availability ([crew-plus]): a person's feed key (only the
token's hash is kept) and the windows they are unavailable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class FeedKey:
    """A person's calendar feed: the nonce their token is derived from and the token's hash."""

    user_id: str
    nonce: str
    token_hash: str
    created_at: datetime


@dataclass(frozen=True)
class Away:
    """A window [starts_at, ends_at) a person is unavailable (UTC)."""

    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """True when [starts_at, ends_at) intersects this window."""
        return self.starts_at < ends_at and starts_at < self.ends_at


def windows_json(windows: list[Away]) -> str:
    """Windows as both stores keep them: a JSON list of [from, to] UTC ISO pairs, by start."""
    ordered = sorted(windows, key=lambda w: w.starts_at)
    return json.dumps(
        [
            [w.starts_at.astimezone(UTC).isoformat(), w.ends_at.astimezone(UTC).isoformat()]
            for w in ordered
        ]
    )


def windows_of(text: str) -> list[Away]:
    """The windows ``windows_json`` wrote."""
    return [Away(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in json.loads(text)]
