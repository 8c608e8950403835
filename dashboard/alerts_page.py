"""The /alerts page: KPI alerts of the user's scope, their state and history, and a new one.

Every change goes through the core with the signed-in user as the actor (dashboard/alerts_calls);
the core decides what is valid and who may touch which rule, and this page shows its answer.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.alerts.describe import CONDITION_WORDS, rule_text, state_word
from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.ledger.models_alerts import AlertFiring, AlertRule
from dashboard import alerts_calls, core_calls
from dashboard.flash import flash, show_flash

ALL = "all"
MODES = {
    "once": "Once, then again after it is back on the good side",
    "every": "Every day while crossed",
}


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _attempt(action: Callable[[], object], done: str) -> None:
    """Run a core call; on success flash ``done`` and rerun, else show the refusal."""
    try:
        action()
    except DomainError as exc:
        st.error(exc.message, icon=":material/error:")
        for problem in exc.problems:
            st.caption(f"• {problem}")
        return
    flash(done, ":material/check_circle:")
    st.rerun()


def _rules_table(rules: list[AlertRule], names: dict[str, str]) -> None:
    labels: dict[str, str] = {}
    for entity in {r.entity for r in rules}:
        labels |= {f"{entity}/{k}": v for k, v in alerts_calls.kpi_choices(entity)}
    rows = [
        {
            "ID": r.id,
            "KPI": labels.get(f"{r.entity}/{r.kpi}", r.kpi),
            "State": state_word(r),
            "Condition": CONDITION_WORDS.get(r.condition, r.condition)
            + ("" if r.threshold is None else f" {_number(r.threshold)}"),
            "Entity": names.get(r.entity, r.entity),
            "Sends": r.mode,
            "Last value": _number(r.last_value),
            "Fired at (UTC)": r.fired_at.strftime("%Y-%m-%d %H:%M") if r.fired_at else "never",
            "Recipients": r.recipients.replace(",", ", "),
        }
        for r in rules
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _history(firings: list[AlertFiring]) -> None:
    if not firings:
        st.caption("Not fired yet.")
        return
    rows = [
        {
            "When (UTC)": f.fired_at.strftime("%Y-%m-%d %H:%M"),
            "Status": f.status,
            "Value": _number(f.value),
            "Previous": _number(f.previous),
            "Month": f.period,
            "Recipients": f.recipients.replace(",", ", "),
            "Error": f.error or "",
        }
        for f in firings
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _manage(rules: list[AlertRule], user: UserScope) -> None:
    """Pick a rule: pause or resume it, remove it, and read its history."""
    by_id = {r.id: r for r in rules}
    left, mid, right = st.columns([4, 1, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Alert", list(by_id), format_func=lambda i: f"{i}: {rule_text(by_id[i])}", key="alert_pick"
    )
    rule = by_id[chosen]
    label, icon = (
        ("Resume", ":material/play_arrow:") if rule.paused else ("Pause", ":material/pause:")
    )
    if mid.button(label, icon=icon, key="alert_pause", width="stretch"):
        verb = "resumed" if rule.paused else "paused"
        _attempt(
            lambda: alerts_calls.pause(chosen, not rule.paused, user), f"Alert {chosen} {verb}"
        )
    if right.button("Remove", icon=":material/delete:", key="alert_remove", width="stretch"):
        _attempt(lambda: alerts_calls.remove(chosen, user), f"Alert {chosen} removed")
    st.markdown(f"**History of alert {chosen}**")
    _history(alerts_calls.history(chosen, user))


def _new_alert(user: UserScope, names: dict[str, str]) -> None:
    """The new-alert form: KPI, entity, condition, threshold, recipients, once or every."""
    with st.container(border=True):
        st.markdown("**New alert**")
        c1, c2 = st.columns(2)
        entity = c1.selectbox("Entity", list(names), format_func=names.get, key="alert_entity")
        choices = dict(alerts_calls.kpi_choices(entity))
        kpi = c2.selectbox("KPI", list(choices), format_func=lambda k: choices[k], key="alert_kpi")
        c3, c4 = st.columns(2)
        condition = c3.radio(
            "When it is",
            list(CONDITION_WORDS),
            format_func=CONDITION_WORDS.get,
            horizontal=True,
            key="alert_condition",
        )
        threshold = c4.number_input(
            "Threshold",
            value=0.0,
            step=1.0,
            disabled=condition == "off_target",
            help="Off target uses the KPI's own target and direction instead",
            key="alert_threshold",
        )
        to = st.text_input("Recipients", value=core_calls.default_recipients(user), key="alert_to")
        mode = st.radio(
            "Send", list(MODES), format_func=MODES.get, horizontal=True, key="alert_mode"
        )
        if st.button("Add alert", type="primary", icon=":material/add_alert:"):
            _attempt(
                lambda: alerts_calls.add_alert(
                    user,
                    kpi=kpi,
                    entity=entity,
                    condition=condition,
                    threshold=None if condition == "off_target" else float(threshold),
                    to=[to],
                    every=mode == "every",
                ),
                "Alert added",
            )


def show(user: UserScope) -> None:
    """Draw the page for a user the caller has let in."""
    st.title("Alerts")
    st.caption(
        "An email when a KPI crosses a line: below or above a number, or off its target. "
        "Checked every hour and after each import or sync."
    )
    show_flash()
    names = dict(core_calls.entities(user.entities))
    if user.entities is None:  # an alert on "all" needs every entity: see core.alerts
        names = {ALL: "All entities (consolidated)"} | names
    rules = alerts_calls.alert_rules(user)
    if rules:
        _rules_table(rules, names)
        _manage(rules, user)
    else:
        st.info("No alerts yet. Add one below, e.g. the CFO's runway below 6 months.")
    _new_alert(user, names)
