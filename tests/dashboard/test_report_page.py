"""AppTest of what every report page shares: drill-down, the comparison selector, targets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from core.config import get_settings
from core.ledger.models import Target
from core.ledger.store import open_ledger
from core.periods import format_period, month_add, month_of
from core.reports.cfo import build_cfo
from core.reports.formatting import format_delta, format_value
from core.reports.model import Report
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import sign_in


def _cfo(entity: str = "all", period: int | None = None) -> Report:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = period or month_of(datetime.now(settings.tz).date())  # the default: month to date
    return build_cfo(store, resolve_scope(store, entity=entity, period=period), tz=settings.tz)


def test_ledger_lines_sum_to_the_tile(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    revenue = _cfo().kpi("revenue")
    buttons = [b for b in at.button if b.label == "Ledger lines"]
    assert len(buttons) >= 5  # revenue, expenses, net income, cash, burn, deferred...
    buttons[0].click().run()  # the first tile is Revenue
    assert not at.exception, at.exception
    ok = [s.value for s in at.success]
    assert any(f"→ {format_value(revenue.value, 'USD')} = Revenue" in text for text in ok), ok
    lines = at.dataframe[-1].value
    assert round(lines["Amount"].sum(), 2) == revenue.value  # income credits shown positive


def test_comparison_selector_changes_the_deltas(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    report = _cfo()
    revenue = report.kpi("revenue")
    tile = next(m for m in at.metric if m.label == "Revenue")
    assert tile.delta == format_delta(revenue.delta_mom, "USD")
    at.radio(key="f_compare").set_value("yoy").run()
    tile = next(m for m in at.metric if m.label == "Revenue")
    assert tile.delta == format_delta(revenue.delta_yoy, "USD")
    assert at.query_params["compare"] == "yoy"
    at.radio(key="f_compare").set_value("ytd").run()
    ytd = report.ytd["revenue"]
    tile = next(m for m in at.metric if m.label == "Revenue (YTD)")
    assert tile.value == format_value(ytd.value, "USD")
    assert tile.delta == format_delta(ytd.delta, "USD")
    cash = next(m for m in at.metric if m.label == "Cash")  # a balance: vs same point last year
    assert cash.delta == format_delta(report.kpi("cash").delta_yoy, "USD")


def test_owner_edits_a_target_and_the_status_follows(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    at.selectbox[0].set_value("QuickDumpNow").run()
    before = _cfo("QuickDumpNow").kpi("expenses")
    at.button(key="targets-cfo").click().run()  # opens the Targets dialog
    field = at.number_input(key="target_cfo_expenses")
    field.set_value(round((before.value or 0) / 2, 2))
    next(b for b in at.button if b.label == "Save targets").click().run()
    assert not at.exception, at.exception
    after = _cfo("QuickDumpNow").kpi("expenses")
    assert after.target == round((before.value or 0) / 2, 2)
    assert after.status == "bad"


def test_only_the_owner_sees_the_targets_button(ledger_dir: Path) -> None:
    at = sign_in("dump@example.com")
    assert not [b for b in at.button if b.key == "targets-cfo" or b.label == "Targets"]
    assert not [n for n in at.number_input if n.key and n.key.startswith("target_")]


def test_the_ytd_badge_follows_the_ytd_comparison(ledger_dir: Path) -> None:
    """The month misses its revenue target while the year to date beats its own: with "Year
    to date" the Revenue tile's badge is the YTD status, not the month's."""
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    month = month_add(month_of(datetime.now(settings.tz).date()), -1)  # a completed month
    report = _cfo("QuickDumpNow", month)
    if month % 100 == 1:
        pytest.skip("January: the year to date is the month itself")
    revenue = report.kpi("revenue").value or 0
    store.set_targets(
        [
            Target(entity_id="QuickDumpNow", kpi_id="revenue", month=m, value=1.0)
            for m in range(month // 100 * 100 + 1, month)
        ]
        + [Target(entity_id="QuickDumpNow", kpi_id="revenue", month=month, value=revenue * 2)]
    )
    after = _cfo("QuickDumpNow", month)
    assert (after.kpi("revenue").status, after.ytd["revenue"].status) == ("bad", "good")
    at = sign_in("owner@example.com", period=format_period(month))
    at.switch_page("views/cfo.py").run()
    at.selectbox[0].set_value("QuickDumpNow").run()

    def first_badge() -> str:  # the Revenue tile comes first
        return next(m.value for m in at.markdown if "target" in m.value.lower())

    assert "Off target" in first_badge()
    at.radio(key="f_compare").set_value("ytd").run()
    assert not at.exception, at.exception
    assert "On target" in first_badge()


def test_a_drill_link_opens_the_ledger_lines_once(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    assert not at.success  # no dialog without the link's ?drill=
    at.query_params["drill"] = "revenue"  # a Needs attention item's link
    at.run()
    assert not at.exception, at.exception
    revenue = _cfo().kpi("revenue")
    ok = [s.value for s in at.success]
    assert any(f"→ {format_value(revenue.value, 'USD')} = Revenue" in text for text in ok), ok
    assert "drill" not in at.query_params
    at.run()  # the next run (any widget) does not open it again
    assert not at.success


def test_a_drill_link_to_a_kpi_without_lines_opens_nothing(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    at.query_params["drill"] = "runway_months"
    at.run()
    assert not at.exception, at.exception
    assert not at.success
