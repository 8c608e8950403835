"""AppTest of /alerts: rules added through the core, a bad one refused with its problems, and
a scoped CFO who sees and touches only their business's rules; a CTO is kept out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.alerts.rules import add_rule, list_rules
from core.auth.dashboard_users import OPERATOR, UserScope
from core.config import get_settings
from core.ledger.store import open_ledger
from dashboard.auth import USER_KEY
from tests.dashboard.conftest import sign_in


def open_alerts(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/alerts.py").run()
    assert not at.exception, at.exception
    return at


def operator_rule(entity: str) -> int:
    rule = add_rule(
        open_ledger(get_settings().ledger_url),
        kpi="cfo.cash",
        entity=entity,
        condition="below",
        threshold=1,
        to=["owner@example.com"],
        actor=OPERATOR,
        settings=get_settings(),
        now=datetime.now(UTC),
    )
    return rule.id or 0


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_owner_adds_an_alert_and_a_refused_one_lists_its_problem(ledger_dir: Path) -> None:
    at = open_alerts()
    assert [t.value for t in at.title] == ["Alerts"]
    store = open_ledger(get_settings().ledger_url)
    next(t for t in at.text_input if t.label == "Recipients").input("not-an-address")
    click(at, "Add alert")
    assert any("alert not added" in e.value for e in at.error)
    assert any("not-an-address" in c.value for c in at.caption)
    assert list_rules(store, actor=OPERATOR) == []
    next(t for t in at.text_input if t.label == "Recipients").input("cfo@example.com")
    next(s for s in at.selectbox if s.label == "KPI").set_value("cfo.runway_months")
    next(n for n in at.number_input if n.label == "Threshold").set_value(6.0)
    click(at, "Add alert")
    [rule] = list_rules(store, actor=OPERATOR)
    assert (rule.kpi, rule.entity, rule.threshold, rule.created_by) == (
        "cfo.runway_months",
        "all",
        6.0,
        "owner@example.com",
    )
    frame = at.dataframe[0].value
    assert (frame["KPI"][0], frame["State"][0]) == ("CFO report · Runway", "not evaluated yet")


def test_a_scoped_cfo_sees_and_pauses_only_their_own_rules(ledger_dir: Path) -> None:
    operator_rule("all")
    operator_rule("JADA")
    theirs = operator_rule("QuickDumpNow")
    at = open_alerts("dump@example.com")
    assert list(at.dataframe[0].value["ID"]) == [theirs]
    assert next(s for s in at.selectbox if s.label == "Entity").options == ["QuickDumpNow"]
    click(at, "Pause")
    store = open_ledger(get_settings().ledger_url)
    paused = {r.id: r.paused for r in list_rules(store, actor=OPERATOR)}
    assert paused == {1: False, 2: False, theirs: True}


def test_roles_without_the_page_get_the_access_message(ledger_dir: Path) -> None:
    page = str(Path(__file__).resolve().parents[2] / "views" / "alerts.py")
    at = AppTest.from_file(page, default_timeout=60)
    at.session_state[USER_KEY] = UserScope("cto@example.com", "CTO", "cto", None)
    at.run()
    assert any("do not have access" in e.value for e in at.error)
    assert not at.button and not at.dataframe
