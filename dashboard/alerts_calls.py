"""The /alerts page's calls into the core (who may do what is decided there)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core.alerts import kpis, rules
from core.auth.dashboard_users import UserScope
from core.config import get_settings
from core.ledger.models_alerts import AlertFiring, AlertRule
from dashboard.core_calls import ledger


def alert_rules(user: UserScope) -> list[AlertRule]:
    """The rules within the user's scope, oldest first."""
    return rules.list_rules(ledger(), actor=user)


def history(rule_id: int, user: UserScope) -> list[AlertFiring]:
    """One rule's firings, newest first."""
    return rules.rule_history(ledger(), rule_id, actor=user)


@st.cache_data(ttl=300, show_spinner=False, max_entries=64)
def kpi_choices(entity: str) -> list[tuple[str, str]]:
    """(``report.kpi``, label) of every KPI an alert may watch on ``entity``."""
    return kpis.kpi_choices(ledger(), entity, settings=get_settings(), now=datetime.now(UTC))


def add_alert(
    user: UserScope,
    *,
    kpi: str,
    entity: str,
    condition: str,
    threshold: float | None,
    to: list[str],
    every: bool,
) -> AlertRule:
    """Create a rule on behalf of the user (refusals are the core's)."""
    return rules.add_rule(
        ledger(),
        kpi=kpi,
        entity=entity,
        condition=condition,
        threshold=threshold,
        to=to,
        every=every,
        actor=user,
        settings=get_settings(),
    )


def pause(rule_id: int, paused: bool, user: UserScope) -> AlertRule:
    """Pause or resume a rule."""
    return rules.set_paused(ledger(), rule_id, paused, actor=user)


def remove(rule_id: int, user: UserScope) -> None:
    """Delete a rule and its history."""
    rules.remove_rule(ledger(), rule_id, actor=user)
