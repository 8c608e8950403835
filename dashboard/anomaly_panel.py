"""The Close page's "Anomalies" section: the month's odd charges, each with its ledger lines,
"Mark expected" (it stays quiet after) and "Make a rule" from its description.

Every decision (who sees which entity, who may mark, what a rule may do) is the core's.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.close.anomalies import anomaly_lines, mark_expected, period_anomalies, reopen
from core.close.anomalies_model import Anomaly
from core.errors import DomainError
from core.ledger.merchant import merchant_pattern
from core.periods import month_label
from dashboard import core_calls
from dashboard.flash import flash


def _act(action: object, done: str) -> None:
    """Run a mark, reopen or rule; flash ``done`` and rerun, or show the core's refusal."""
    try:
        action()  # type: ignore[operator]
    except DomainError as exc:
        st.error(exc.message, icon=":material/error:")
        for problem in exc.problems:
            st.caption(f"• {problem}")
        return
    flash(done, ":material/check_circle:")
    st.rerun()


def _lines(actor: UserScope, a: Anomaly) -> str:
    """Show the anomaly's ledger lines; the first one's description (for a rule)."""
    lines = anomaly_lines(core_calls.ledger(), actor=actor, anomaly=a)
    st.dataframe(
        pd.DataFrame(
            {
                "Date": [x.date for x in lines],
                "Description": [x.description for x in lines],
                "Account": [x.account for x in lines],
                "Amount": [x.cents / 100 for x in lines],
                "Entry": [x.entry_id for x in lines],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "Amount": st.column_config.NumberColumn("Amount", format="dollar"),
        },
    )
    return lines[0].description if lines else a.counterparty


def _rule(actor: UserScope, a: Anomaly, description: str) -> None:
    """Save a categorization rule from the anomaly's description."""
    pattern = st.text_input(
        "Descriptions matching (regular expression)",
        value=merchant_pattern(description),
        key=f"anomaly_pattern_{a.id}",
    )
    try:
        accounts = core_calls.category_accounts(a.entity_id, money_in=False, user=actor)
    except DomainError as exc:
        st.caption(exc.message)
        return
    account = st.selectbox(
        "Account",
        accounts,
        index=None,
        placeholder="Pick an account or type a new one",
        accept_new_options=True,
        key=f"anomaly_account_{a.id}",
    )
    if st.button("Save rule", disabled=not account, key=f"anomaly_rule_{a.id}"):
        _act(
            lambda: core_calls.make_rule(
                entity_id=a.entity_id,
                pattern=pattern,
                account=str(account),
                cost_behavior=None,
                picked_entry_id=a.entry_ids[0],
                user=actor,
            ),
            f"Rule saved: {a.counterparty} goes to {account}",
        )


def _one(actor: UserScope, a: Anomaly) -> None:
    state = " · marked expected" if a.status == "expected" else ""
    with st.expander(f"{a.label}: {a.message}{state}", icon=":material/warning:"):
        st.caption(f"Anomaly {a.id} · {a.day:%Y-%m-%d} · its ledger lines:")
        description = _lines(actor, a)
        if a.status == "expected":
            if st.button("Reopen", key=f"anomaly_reopen_{a.id}"):
                _act(
                    lambda: reopen(
                        core_calls.ledger(), actor=actor, entity_id=a.entity_id, anomaly_id=a.id
                    ),
                    "Anomaly reopened",
                )
            return
        note = st.text_input("Why it is expected (optional)", key=f"anomaly_note_{a.id}")
        if st.button("Mark expected", type="primary", key=f"anomaly_expected_{a.id}"):
            _act(
                lambda: mark_expected(
                    core_calls.ledger(),
                    actor=actor,
                    entity_id=a.entity_id,
                    anomaly_id=a.id,
                    note=note,
                ),
                "Marked expected: it stays quiet from now on",
            )
        st.markdown("**Make a rule from it**")
        _rule(actor, a, description)


def anomaly_panel(actor: UserScope, entity_id: str, month: int) -> None:
    """The "Anomalies" section for one business and month."""
    st.subheader("Anomalies")
    try:
        found = period_anomalies(
            core_calls.ledger(), actor=actor, entity=entity_id, period=month, include_expected=True
        )
    except DomainError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    opened = [a for a in found if a.status == "open"]
    if not found:
        st.success(f"No anomalies in {month_label(month)}.", icon=":material/check_circle:")
        return
    st.caption(
        f"{len(opened)} open, {len(found) - len(opened)} marked expected in "
        f"{month_label(month)}: large charges, likely duplicates, first-time counterparties "
        "and cloud cost jumps."
    )
    for a in found:
        _one(actor, a)
