"""Scopes: a user limited to some entities only sets, sees and receives alerts on those, from
every door (the core functions the page calls, the schedule's run)."""

from __future__ import annotations

import pytest

from core.alerts.rules import get_rule, list_rules, remove_rule, rule_history, set_paused
from core.alerts.run import run_alerts
from core.auth.dashboard_users import OPERATOR, UserScope, add_user, get_user, set_role
from core.config import Settings
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore
from tests.core.alerts.conftest import ACME, NOW, Recorder, rule

PASSWORD = "x" * 12


def user(store: LedgerStore, email: str, role: str = "cfo", entities: str = ACME) -> UserScope:
    add_user(store, email=email, role=role, password=PASSWORD, entities=entities)
    return get_user(store, email)


def test_a_scoped_user_sets_alerts_on_their_entities_only(
    hand: LedgerStore, settings: Settings
) -> None:
    cfo = user(hand, "acme-cfo@example.com")
    mine = rule(hand, settings, threshold=5000, actor=cfo, to="acme-cfo@example.com")
    assert mine.created_by == "acme-cfo@example.com"
    for entity in ("Other", "all"):
        with pytest.raises(Forbidden, match="your own entities"):
            rule(hand, settings, entity=entity, actor=cfo)
    theirs = rule(hand, settings, entity="Other", threshold=5000)  # by the operator
    assert [r.id for r in list_rules(hand, actor=cfo)] == [mine.id]
    for act in (
        lambda: get_rule(hand, theirs.id or 0, actor=cfo),
        lambda: set_paused(hand, theirs.id or 0, True, actor=cfo),
        lambda: remove_rule(hand, theirs.id or 0, actor=cfo),
        lambda: rule_history(hand, theirs.id or 0, actor=cfo),
    ):
        with pytest.raises(NotFound):  # exactly like a rule that does not exist
            act()
    assert len(list_rules(hand, actor=OPERATOR)) == 2


def test_recipients_must_be_allowed_the_entity(hand: LedgerStore, settings: Settings) -> None:
    user(hand, "other-cfo@example.com", entities="Other")
    with pytest.raises(Forbidden, match=r"other-cfo@example\.com"):
        rule(hand, settings, to="other-cfo@example.com")
    assert list_rules(hand, actor=OPERATOR) == []


def test_roles_without_the_alerts_page_are_refused(hand: LedgerStore, settings: Settings) -> None:
    accountant = user(hand, "books@example.com", role="accountant", entities="all")
    with pytest.raises(Forbidden, match="may not manage alerts"):
        list_rules(hand, actor=accountant)
    with pytest.raises(Forbidden):
        rule(hand, settings, actor=accountant)


def test_a_run_refuses_a_rule_whose_creator_lost_the_entity(
    hand: LedgerStore, settings: Settings
) -> None:
    cfo = user(hand, "acme-cfo@example.com")
    r = rule(hand, settings, threshold=5000, actor=cfo, to="acme-cfo@example.com")
    set_role(hand, OPERATOR, "acme-cfo@example.com", role="cfo", entities="Other")
    mail = Recorder()
    result = run_alerts(hand, mail, settings, now=NOW)
    assert (result.sent, result.refused) == (0, 1) and mail.sent == []
    [firing] = rule_history(hand, r.id or 0, actor=OPERATOR)
    assert firing.status == "refused" and "may no longer see" in (firing.error or "")
    assert run_alerts(hand, mail, settings, now=NOW).refused == 0  # logged once, not retried


def test_a_run_refuses_a_recipient_who_lost_the_entity(
    hand: LedgerStore, settings: Settings
) -> None:
    user(hand, "acme-cfo@example.com")
    rule(hand, settings, threshold=5000, to="acme-cfo@example.com")
    set_role(hand, OPERATOR, "acme-cfo@example.com", role="cfo", entities="Other")
    mail = Recorder()
    assert run_alerts(hand, mail, settings, now=NOW).refused == 1
    assert mail.sent == []


def test_bad_rules_list_every_problem_and_write_nothing(
    hand: LedgerStore, settings: Settings
) -> None:
    with pytest.raises(Invalid) as caught:
        rule(hand, settings, "cfo.nope", entity="Nowhere", to="not-an-address")
    message = str(caught.value)
    assert "unknown entity 'Nowhere'" in message
    assert "no KPI 'nope'" in message and "runway_months" in message
    assert "not-an-address" in message
    with pytest.raises(Invalid, match="unknown report 'bogus'"):
        rule(hand, settings, "bogus.cash")
    with pytest.raises(Invalid, match=r"report\.kpi"):
        rule(hand, settings, "cash")
    with pytest.raises(Invalid, match="needs a threshold"):
        rule(hand, settings, threshold=None)
    assert list_rules(hand, actor=OPERATOR) == []
