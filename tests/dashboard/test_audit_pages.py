"""AppTest of /rental, /yacht-delivery and /client-billing: core figures, empties, scopes, as-of."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_of
from core.reports.formatting import format_value
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in

PAGES = {
    "rental": ("views/rental.py", "No rental records for JADA"),
    "yacht-delivery": ("views/yacht_delivery.py", "No yacht-delivery records for JADA"),
    "client-billing": ("views/client_billing.py", "No client-billing records for JADA"),
}


def _core(name: str, entity: str = "all"):
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    return build_scoped(
        name, store, resolve_scope(store, entity=entity, period=period), tz=settings.tz
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_page_shows_the_core_figures(ledger_dir: Path, name: str) -> None:
    at = sign_in("owner@example.com")
    at.switch_page(PAGES[name][0]).run()
    assert not at.exception, at.exception
    report = _core(name)
    shown = {m.label: m.value for m in at.metric}
    assert len(shown) == len(report.kpis)
    for k in report.kpis:
        assert shown[k.label] == format_value(k.value, k.unit), k.id
    assert len(at.dataframe) >= 3


@pytest.mark.parametrize("name", list(PAGES))
def test_entity_without_records_gets_an_info_message(ledger_dir: Path, name: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("owner@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page(PAGES[name][0]).run()
    assert not at.exception, at.exception
    assert any(PAGES[name][1] in i.value for i in at.info)
    assert len(at.metric) == 0


@pytest.mark.parametrize("name", list(PAGES))
def test_scoped_user_cannot_open_another_entity(ledger_dir: Path, name: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page(PAGES[name][0]).run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_aging_date_picker_rebuilds_the_aging(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/client_billing.py").run()
    assert not at.exception, at.exception
    report = _core("client-billing")
    default_title = next(s.title for s in report.sections if s.id == "aging")
    assert default_title.endswith(str(at.date_input[0].value))
    agree = [str(m.value) for m in at.markdown if "AR aging total" in str(m.value)]  # a finding
    assert agree and "they agree" in agree[0]
    chosen = date.fromisoformat(default_title[-10:]).replace(day=10)
    at.date_input[0].set_value(chosen).run()
    assert not at.exception, at.exception
    assert (
        at.query_params["as_of"] == [chosen.isoformat()]
        or at.query_params["as_of"] == chosen.isoformat()
    )
    texts = [str(m.value) for m in at.markdown if "AR aging total" in str(m.value)]
    assert texts and f"on {chosen}" in texts[0] and "they agree" in texts[0]
    assert any(f"on {chosen}" in str(t.value) for t in at.markdown)
