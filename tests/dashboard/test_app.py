"""AppTest of the dashboard: sign-in, role navigation, the CFO page shows the core's numbers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.periods import month_of
from core.reports.cfo import build_cfo
from core.reports.formatting import kpi_value_text
from core.reports.scope import resolve_scope
from tests.dashboard.conftest import APP, PASSWORD, sign_in


def expected_cfo(entity: str) -> dict[str, str]:
    settings = get_settings()
    store = open_ledger(settings.ledger_url)
    period = month_of(datetime.now(settings.tz).date())  # the default: this month to date
    report = build_cfo(store, resolve_scope(store, entity=entity, period=period), tz=settings.tz)
    return {k.label: kpi_value_text(k.id, k.value, k.unit) for k in report.kpis}


def test_sign_in_form_comes_first(ledger_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert len(at.metric) == 0


def test_wrong_password_shows_an_error_and_no_numbers(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com", "not-the-password")
    assert any("incorrect" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_owner_lands_on_the_ceo_page(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    assert [t.value for t in at.title] == ["CEO report"]


def test_owner_sees_the_core_numbers_on_the_cfo_page(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    shown = {m.label: m.value for m in at.metric}
    expected = expected_cfo("all")
    for label in ("Revenue", "Expenses", "Net income", "Cash", "Burn rate", "Runway"):
        assert shown[label] == expected[label]
    assert any("Demo data" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 4
    assert at.selectbox[0].value == "all"


def test_switching_entity_changes_the_numbers(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    at.switch_page("views/cfo.py").run()
    at.selectbox[0].set_value("QuickDumpNow").run()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Revenue"] == expected_cfo("QuickDumpNow")["Revenue"]
    assert at.query_params["entity"] == "QuickDumpNow"


def test_scoped_user_sees_only_their_entity(ledger_dir: Path) -> None:
    at = sign_in("dump@example.com")
    assert at.selectbox[0].options == ["QuickDumpNow"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Revenue"] == expected_cfo("QuickDumpNow")["Revenue"]


def test_scoped_user_cannot_open_another_entity_by_url(ledger_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "JADA"
    at.run()
    at.text_input[0].input("dump@example.com")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert any("do not have access" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_cto_lands_on_the_cto_page_only(ledger_dir: Path) -> None:
    at = sign_in("cto@example.com")
    assert [t.value for t in at.title] == ["CTO report"]
    try:
        at.switch_page("views/cfo.py")
    except ValueError as exc:  # the CFO page is not registered for a cto
        assert "views/cfo.py" not in str(exc).split("Known pages:")[1]
    else:
        raise AssertionError("a cto could open the CFO page")
