"""The parser of a simulated "now" (send-due --now, the reports job's {"now": ...})."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.errors import Invalid
from core.instants import parse_aware


def test_an_aware_time_is_kept_as_given() -> None:
    got = parse_aware("2026-11-30T07:00:00-08:00", "--now")
    assert got == datetime(2026, 11, 30, 15, tzinfo=UTC)
    assert got.utcoffset() == timedelta(hours=-8)  # not converted: the schedule reads it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-30T15:00:00", "--now needs a UTC offset, e.g. 2026-11-30T15:00:00+00:00"),
        ("next monday", "--now 'next monday' is not an ISO 8601 time"),
    ],
)
def test_a_naive_or_unreadable_time_is_refused_naming_the_option(text: str, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_aware(text, "--now")
    assert str(caught.value) == message


def test_the_name_is_the_one_the_caller_gives() -> None:
    with pytest.raises(Invalid, match=r"^now needs a UTC offset"):
        parse_aware("2026-11-30T15:00:00", "now")
    assert parse_aware("2026-11-30T15:00:00+01:00", "now").tzinfo == timezone(timedelta(hours=1))
