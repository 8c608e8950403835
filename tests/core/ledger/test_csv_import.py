"""CSV import: amount and date formats (the import itself runs on every backend in
tests/contract/test_ledger_csv_import.py)."""

from __future__ import annotations

import pytest

from core.ledger.csv_import import parse_amount, parse_date


@pytest.mark.parametrize(
    ("text", "cents"),
    [("1234.56", 123456), ("$1,234.56", 123456), ("(12.00)", -1200), ("-3", -300), ("-$7.5", -750)],
)
def test_amount_formats(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "(12.00", "1..2", "--5"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_date_formats() -> None:
    assert parse_date("2026-03-09") == parse_date("03/09/2026") == parse_date("3/9/2026")


def test_short_year_and_slashed_iso_dates_of_some_banks() -> None:
    assert parse_date("03/09/26") == parse_date("2026/03/09") == parse_date("2026-03-09")
    with pytest.raises(ValueError, match="MM/DD/YY"):
        parse_date("09.03.2026")
