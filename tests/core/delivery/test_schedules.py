"""Schedules in words: phrases to cron and back; anything else is shown as custom."""

from __future__ import annotations

import pytest
from croniter import croniter

from core.delivery.schedules import PRESETS, cron_for, describe
from core.errors import Invalid


@pytest.mark.parametrize(
    ("phrase", "cron"),
    [
        ("every weekday at 7:00", "0 7 * * MON-FRI"),
        ("Mondays at 8:00", "0 8 * * MON"),
        ("the 1st of the month at 7:00", "0 7 1 * *"),
        ("daily at 7:00", "0 7 * * *"),
        ("Sundays at 18:30", "30 18 * * SUN"),
        ("the 15th of the month at 6:05", "5 6 15 * *"),
    ],
)
def test_phrase_and_cron_round_trip(phrase: str, cron: str) -> None:
    assert cron_for(phrase) == cron
    assert describe(cron) == phrase
    assert croniter.is_valid(cron)


def test_every_preset_reads_back_as_itself() -> None:
    assert [describe(cron_for(p)) for p in PRESETS] == list(PRESETS)


def test_other_spellings_are_understood() -> None:
    assert cron_for("every Friday at 9:05") == "5 9 * * FRI"
    assert cron_for("  every   day at 23:59 ") == "59 23 * * *"
    assert describe("0 7 * * 1-5") == "every weekday at 7:00"
    assert describe("0 7 * * 0") == "Sundays at 7:00"


@pytest.mark.parametrize("cron", ["*/5 * * * *", "0 7 31 * *", "0 7 1 1 *", "0 7 * * 1,3", "junk"])
def test_unknown_crons_are_custom(cron: str) -> None:
    assert describe(cron) == f"custom: {cron}"
    assert cron_for(describe(cron)) == cron  # custom round-trips too


@pytest.mark.parametrize(
    "phrase", ["sometimes", "Mondays at 25:00", "the 31st of the month at 7:00", "Moonday at 8:00"]
)
def test_words_not_understood_are_refused(phrase: str) -> None:
    with pytest.raises(Invalid):
        cron_for(phrase)
