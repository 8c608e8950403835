"""The sidebar's month: this month to date by default; the URL's month wins."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core.config import get_settings
from core.periods import format_period, month_add, month_label, month_of
from tests.dashboard.conftest import sign_in


def _this_month() -> int:
    return month_of(datetime.now(get_settings().tz).date())


def test_the_default_month_is_this_month_to_date(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    assert not at.exception, at.exception
    month = at.selectbox(key="f_period")
    assert month.value == _this_month()
    assert month.format_func(month.value) == f"{month_label(_this_month())} (to date)"
    assert at.query_params.get("period") is None  # nothing chosen yet: nothing written


def test_the_urls_month_wins(ledger_dir: Path) -> None:
    last_month = month_add(_this_month(), -1)
    at = sign_in("owner@example.com", period=format_period(last_month))
    at.switch_page("views/cfo.py").run()
    assert not at.exception, at.exception
    month = at.selectbox(key="f_period")
    assert month.value == last_month
    assert month.format_func(month.value) == month_label(last_month)
