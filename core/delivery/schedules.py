"""Report schedules in words, and the cron strings behind them.

A schedule is stored as a five-field cron (CONTRACT section 3); the pages let the owner pick it
in words. ``cron_for`` reads the phrases ``describe`` writes, so the two round-trip:

    daily at 7:00                   0 7 * * *
    every weekday at 7:00           0 7 * * MON-FRI
    Mondays at 8:00                 0 8 * * MON
    the 1st of the month at 7:00    0 7 1 * *

Any other cron is shown as ``custom: <cron>``.
"""

from __future__ import annotations

import re

from core.errors import Invalid

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = "MON-FRI"
CUSTOM = "custom: "

# the schedules the pages offer first
PRESETS = (
    "every weekday at 7:00",
    "Mondays at 8:00",
    "the 1st of the month at 7:00",
    "daily at 7:00",
)

_AT = r"at (?P<h>\d{1,2}):(?P<m>\d{2})"
_DAILY = re.compile(rf"^(?:daily|every day) {_AT}$", re.I)
_WEEKDAY = re.compile(rf"^every weekday {_AT}$", re.I)
_WEEKLY = re.compile(rf"^(?:every )?(?P<day>[a-z]+?)s? {_AT}$", re.I)
_MONTHLY = re.compile(rf"^(?:the )?(?P<dom>\d{{1,2}})(?:st|nd|rd|th)? of the month {_AT}$", re.I)
_CRON = re.compile(r"^(?P<m>\d{1,2}) (?P<h>\d{1,2}) (?P<dom>\S+) \* (?P<dow>\S+)$")


def _time(h: str, m: str) -> tuple[int, int]:
    hour, minute = int(h), int(m)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise Invalid(f"{h}:{m} is not a time of day (0:00 to 23:59)")
    return hour, minute


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def cron_for(phrase: str) -> str:
    """The cron string of a schedule in words (Invalid when the words are not understood)."""
    text = " ".join(phrase.split())
    if text.lower().startswith(CUSTOM):
        return text[len(CUSTOM) :].strip()
    if match := _DAILY.match(text):
        h, m = _time(match["h"], match["m"])
        return f"{m} {h} * * *"
    if match := _WEEKDAY.match(text):
        h, m = _time(match["h"], match["m"])
        return f"{m} {h} * * {WEEKDAYS}"
    if match := _MONTHLY.match(text):
        day = int(match["dom"])
        if not 1 <= day <= 28:  # 29-31 would skip the short months
            raise Invalid("pick a day of the month from the 1st to the 28th")
        h, m = _time(match["h"], match["m"])
        return f"{m} {h} {day} * *"
    if match := _WEEKLY.match(text):
        name = match["day"].lower()
        for code, full in zip(DAYS, DAY_NAMES, strict=True):
            if name == full.lower():
                h, m = _time(match["h"], match["m"])
                return f"{m} {h} * * {code}"
    raise Invalid(
        f"{phrase!r} is not a schedule in words; try one of: " + "; ".join(PRESETS),
        fields={"schedule": "not understood"},
    )


def describe(cron: str) -> str:
    """A cron string in words, or ``custom: <cron>`` when it is none of the phrases."""
    text = " ".join(cron.split())
    match = _CRON.match(text)
    if match is None:
        return CUSTOM + text
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        return CUSTOM + text
    at = f"at {hour}:{minute:02d}"
    dom, dow = match["dom"], match["dow"].upper()
    if dom == "*" and dow == "*":
        return f"daily {at}"
    if dom == "*" and dow in (WEEKDAYS, "1-5"):
        return f"every weekday {at}"
    if dom == "*":
        day = {code: i for i, code in enumerate(DAYS)} | {str((i + 1) % 7): i for i in range(7)}
        if dow in day:
            return f"{DAY_NAMES[day[dow]]}s {at}"
    if dow == "*" and dom.isdigit() and 1 <= int(dom) <= 28:
        return f"the {_ordinal(int(dom))} of the month {at}"
    return CUSTOM + text
