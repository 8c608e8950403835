"""The one parser of instants (a date and time with its UTC offset) from outside input.

Years are bounded to 2000-2100: charters are planned in that span, and the bound keeps every
later step (a conversion to UTC, a duration added, a sunset looked up) far from
``datetime``'s own limits of years 1 and 9999, where those steps overflow.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from core.errors import Invalid

FIRST_YEAR = 2000
LAST_YEAR = 2100
EXPECTED = f"an ISO 8601 time with its offset, in the years {FIRST_YEAR}-{LAST_YEAR}"


def parse_instant(value: object, name: str) -> datetime:
    """``value`` (ISO 8601 text or an aware datetime) as a UTC datetime; Invalid naming ``name``.

    Text without an offset, or a year outside 2000-2100 (in its own offset), is refused.
    """
    if isinstance(value, str) and len(value) <= 64:
        with contextlib.suppress(ValueError):  # refused below, as not a datetime
            value = datetime.fromisoformat(value.strip())
    if (
        not isinstance(value, datetime)
        or value.tzinfo is None
        or value.utcoffset() is None
        or not FIRST_YEAR <= value.year <= LAST_YEAR
    ):
        raise Invalid(f"bad {name}", fields={name: EXPECTED})
    # safe: a year in range and an offset under a day cannot leave datetime's range
    return value.astimezone(UTC)


def parse_aware(text: str, name: str) -> datetime:
    """ISO 8601 ``text`` with its offset, as given (a simulated now); Invalid names ``name``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"{name} {text!r} is not an ISO 8601 time") from exc
    if value.tzinfo is None:
        raise Invalid(f"{name} needs a UTC offset, e.g. 2026-11-30T15:00:00+00:00")
    return value
