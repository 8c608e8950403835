""" "Make a rule from this" under the categorization queue: pick a line, check the pattern's
matches, save the rule and re-categorize in one step."""

from __future__ import annotations

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.ledger.recategorize import suggest_pattern
from dashboard import core_calls
from dashboard.filters import Filters
from dashboard.flash import flash, show_flash


def rule_maker(user: UserScope, f: Filters) -> None:
    """The form; nothing changes until "Save rule" and then everything or nothing does."""
    show_flash()
    st.subheader("Make a rule from a queued line", divider="gray")
    lines = core_calls.queue(f.request("accounting", user))
    if not lines:
        st.success("Nothing waits for a category.", icon=":material/done_all:")
        return
    picked = st.selectbox(
        "Line",
        lines,
        format_func=lambda q: (
            f"{q.date} · {q.entity_id} · {q.description} · ${abs(q.cents) / 100:,.2f}"
        ),
        key="rule_line",
    )
    pattern = st.text_input(
        "Descriptions matching (regular expression, case-insensitive)",
        value=suggest_pattern(picked.description),
        key=f"rule_pattern_{picked.entry_id}",
    )
    money_in = picked.path.startswith("Income")
    accounts = [
        a
        for a in core_calls.entity_accounts(picked.entity_id, user.entities)
        if a.startswith("Income" if money_in else "Expenses")
    ]
    account = st.selectbox(
        "Account",
        accounts,
        index=None,
        placeholder="Pick an account or type a new one, e.g. Expenses:Supplies",
        accept_new_options=True,
        key=f"rule_account_{picked.entry_id}",
    )
    behavior = None
    if not money_in:
        behavior = st.radio(
            "Cost behavior (for a new account)",
            ["variable", "fixed"],
            horizontal=True,
            key="rule_behavior",
        )
    try:
        count = core_calls.rule_matches(picked.entity_id, pattern)
        st.caption(f"Matches {count} uncategorized line(s) of {picked.entity_id}.")
    except DomainError as exc:
        st.error("; ".join(getattr(exc, "problems", []) or [str(exc)]))
        return
    if st.button(
        "Save rule and re-categorize", type="primary", icon=":material/rule:", disabled=not account
    ):
        try:
            out = core_calls.make_rule(
                entity_id=picked.entity_id,
                pattern=pattern,
                account=str(account),
                cost_behavior=behavior,
                picked_entry_id=picked.entry_id,
                user=user,
            )
        except DomainError as exc:
            st.error(str(exc))
            for problem in getattr(exc, "problems", []):
                st.caption(problem)
            return
        flash(f"Rule saved: {out.moved_lines} line(s) moved to {out.account}", ":material/rule:")
        st.rerun()
