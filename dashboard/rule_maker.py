""" "Apply to similar" under the categorization queue: a rule from a line's merchant, the lines
it would move (this month's marked) shown first, then saved and applied in one step."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.books.categorize import RuleMatch
from core.errors import DomainError
from core.ledger.merchant import merchant_pattern
from core.ledger.store import UncategorizedLine
from core.periods import month_label
from dashboard import core_calls
from dashboard.category_queue import line_label, money_in, show_problems
from dashboard.filters import Filters
from dashboard.flash import flash


def _preview(matches: list[RuleMatch], entity_id: str, month: int) -> None:
    here = sum(m.this_month for m in matches)
    st.caption(
        f"Matches {len(matches)} uncategorized line(s) of {entity_id}: {here} in "
        f"{month_label(month)}, {len(matches) - here} in other months."
    )
    if not matches:
        return
    st.dataframe(
        pd.DataFrame(
            {
                "When": [
                    "★ " + month_label(month) if m.this_month else "other month" for m in matches
                ],
                "Date": [m.date for m in matches],
                "Description": [m.description for m in matches],
                "Amount": [abs(m.cents) / 100 for m in matches],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "Amount": st.column_config.NumberColumn("Amount", format="dollar"),
        },
    )


def rule_maker(user: UserScope, f: Filters, lines: list[UncategorizedLine]) -> None:
    """Pick a line, check the proposed pattern's matches, pick the account, save the rule;
    nothing changes until "Save rule and re-categorize", and then all of it or nothing."""
    if not lines:
        return
    st.subheader("Apply to similar", divider="gray")
    st.caption(
        "A rule categorizes every line of the business whose description matches, now and in "
        "later imports. To categorize one line alone, use the table above."
    )
    picked = st.selectbox("Line", lines, format_func=line_label, key="rule_line")
    pattern = st.text_input(
        "Descriptions matching (regular expression, case-insensitive)",
        value=merchant_pattern(picked.description),
        key=f"rule_pattern_{picked.entry_id}",
        help="Proposed from the merchant's name, not the town or store number.",
    )
    incoming = money_in(picked)
    try:
        accounts = core_calls.category_accounts(picked.entity_id, money_in=incoming, user=user)
        matches = core_calls.rule_preview(picked.entity_id, pattern, month=f.period, user=user)
    except DomainError as exc:
        show_problems(exc)
        return
    _preview(matches, picked.entity_id, f.period)
    account = st.selectbox(
        "Account",
        accounts,
        index=None,
        placeholder="Pick an account or type a new one, e.g. Expenses:Supplies",
        accept_new_options=True,
        key=f"rule_account_{picked.entry_id}",
    )
    behavior = None
    if not incoming:
        behavior = st.radio(
            "Cost behavior (for a new account)",
            ["variable", "fixed"],
            horizontal=True,
            key="rule_behavior",
        )
    if st.button(
        "Save rule and re-categorize",
        type="primary",
        icon=":material/rule:",
        disabled=not account or not matches,
        key="save_rule",
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
            show_problems(exc, lines)
            return
        flash(f"Rule saved: {out.moved_lines} line(s) moved to {out.account}", ":material/rule:")
        st.rerun()
