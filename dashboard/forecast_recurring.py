"""Recurring items on the Forecast page: the declared ones, a form to declare one, removing
one, and suggestions found in the history that the owner accepts (nothing is declared without
them)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.forecast.recurring import RecurringItem
from core.forecast.values import WEEKDAYS
from dashboard import forecast_calls
from dashboard.flash import flash


def _when(item: RecurringItem) -> str:
    if item.every == "week":
        day = WEEKDAYS[item.weekday if item.weekday is not None else item.starts.weekday()]
        return f"every week on {day.title()}"
    return f"every month on day {item.day or item.starts.day}"


def frame(items: list[RecurringItem]) -> pd.DataFrame:
    """The declared items as the page lists them."""
    return pd.DataFrame(
        [
            {
                "Id": i.id,
                "Business": i.entity_id,
                "Name": i.name,
                "Account": i.account,
                "Amount": float(i.amount),
                "When": _when(i),
                "From": i.starts.isoformat(),
                "Until": i.ends.isoformat() if i.ends else "",
            }
            for i in items
        ],
        columns=["Id", "Business", "Name", "Account", "Amount", "When", "From", "Until"],
    )


def _problems(exc: DomainError) -> None:
    st.error(exc.message)
    for p in exc.problems:
        st.caption(f"• {p}")


def _add_form(user: UserScope, ids: tuple[str, ...], as_of: date) -> None:
    with st.form("fc_recurring_add", clear_on_submit=False):
        st.markdown("**Declare a recurring item**")
        a, b = st.columns(2)
        entity = a.selectbox("Business", ids, key="fc_r_entity")
        name = b.text_input("Name", placeholder="e.g. Slip rent")
        account = a.text_input("Account", placeholder="e.g. Expenses:Moorage")
        amount = b.text_input("Amount ($, + in, - out)", placeholder="-1850")
        every = a.radio("Every", ["month", "week"], horizontal=True)
        day = b.number_input("Day of the month (monthly)", 1, 31, 1)
        weekday = a.selectbox("Weekday (weekly)", WEEKDAYS)
        starts = b.date_input("From", value=as_of)
        ends = a.date_input("Until (optional)", value=None)
        if st.form_submit_button("Declare", type="primary", icon=":material/add:"):
            try:
                item = forecast_calls.declare(
                    user,
                    entity_id=entity,
                    name=name,
                    account=account,
                    amount=amount,
                    every=every,
                    weekday=weekday if every == "week" else None,
                    day=int(day) if every == "month" else None,
                    starts=starts.isoformat() if isinstance(starts, date) else "",
                    ends=ends.isoformat() if isinstance(ends, date) else None,
                )
            except DomainError as exc:
                _problems(exc)
                return
            flash(f"Declared “{item.name}”", ":material/event_repeat:")
            st.rerun()


def _suggestions(user: UserScope, ids: tuple[str, ...], as_of: date) -> None:
    st.markdown("**Suggestions from your history**")
    found = []
    for entity in ids:
        found.extend(forecast_calls.suggestions(user, entity, as_of))
    if not found:
        st.caption(
            "Nothing looks recurring that is not declared yet (same counterparty and account, "
            "in at least 3 of the last 4 months, amounts within 10%)."
        )
        return
    st.caption(
        "Same counterparty and account in at least 3 of the last 4 months, amounts within "
        "10%. Accept one to declare it; nothing is declared until you do."
    )
    for s in found:
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            when = "weekly" if s.every == "week" else f"monthly, day {s.day}"
            st.markdown(
                f"**{s.name}** · {s.entity_id} · `{s.account}` · ${s.amount:,.2f} · {when} "
                f":small[:gray[seen in {s.months} months]]",
                width="stretch",
            )
            if st.button("Accept", key=f"fc_accept_{s.key}", icon=":material/check:"):
                try:
                    forecast_calls.accept(user, s)
                except DomainError as exc:
                    _problems(exc)
                    return
                flash(f"Declared “{s.name}”", ":material/event_repeat:")
                st.rerun()


def recurring_section(
    user: UserScope, ids: tuple[str, ...], entity: str | None, as_of: date
) -> None:
    """Declared items, the add form, remove, and suggestions, for the page's businesses."""
    items = forecast_calls.recurring(user, entity)
    table = frame(items)
    if items:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={"Amount": st.column_config.NumberColumn("Amount", format="dollar")},
        )
        cols = st.columns([3, 1], vertical_alignment="bottom")
        pick = cols[0].selectbox(
            "Remove an item",
            [i.id for i in items],
            format_func=lambda k: next(f"{i.name} ({i.entity_id})" for i in items if i.id == k),
            key="fc_r_remove",
        )
        if cols[1].button("Remove", icon=":material/delete:", width="stretch"):
            try:
                gone = forecast_calls.undeclare(user, int(pick))
            except DomainError as exc:
                _problems(exc)
            else:
                flash(f"Removed “{gone.name}”", ":material/delete:")
                st.rerun()
    else:
        st.caption("No recurring item declared yet: the baseline forecasts every flow.")
    _add_form(user, ids, as_of)
    _suggestions(user, ids, as_of)
