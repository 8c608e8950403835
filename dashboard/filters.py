"""Sidebar filters (entity, month), kept in the URL so a view can be shared or bookmarked."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import Invalid
from core.periods import format_period, month_add, month_label, parse_period
from core.reports.scope import ALL
from dashboard import data


@dataclass(frozen=True)
class Filters:
    """What the pages report on."""

    entity: str
    period: int
    compare: str = "mom"


# what the KPI tiles' change is measured against
COMPARISONS = {
    "mom": "Previous month",
    "yoy": "Same month last year",
    "ytd": "Year to date vs last year",
}


def _entity_options(user: UserScope) -> dict[str, str]:
    visible = data.entities(user.entities)
    options: dict[str, str] = {}
    if len(visible) > 1:
        label = "All entities (consolidated)" if user.entities is None else "All my entities"
        options[ALL] = label
    options.update(visible)
    return options


def _sync_url() -> None:
    st.query_params["entity"] = st.session_state["f_entity"]
    st.query_params["period"] = format_period(st.session_state["f_period"])
    st.query_params["compare"] = st.session_state["f_compare"]


def sidebar_filters(user: UserScope) -> Filters:
    """Render the entity and month pickers; the URL's values win on first load."""
    options = _entity_options(user)
    months = data.months_available()
    current = data.current_month()
    requested = st.query_params.get("entity")
    if "f_entity" not in st.session_state:
        st.session_state["f_entity"] = (
            requested if requested in options else next(iter(options), ALL)
        )
    if "f_period" not in st.session_state:
        try:
            wanted = parse_period(st.query_params.get("period", ""))
        except Invalid:
            wanted = month_add(current, -1)  # the last closed month
        st.session_state["f_period"] = wanted if wanted in months else month_add(current, -1)
    st.sidebar.selectbox(
        "Entity", list(options), format_func=options.get, key="f_entity", on_change=_sync_url
    )
    st.sidebar.selectbox(
        "Month",
        months,
        format_func=lambda m: month_label(m) + (" (to date)" if m == current else ""),
        key="f_period",
        on_change=_sync_url,
    )
    if "f_compare" not in st.session_state:
        wanted_compare = st.query_params.get("compare", "mom")
        st.session_state["f_compare"] = wanted_compare if wanted_compare in COMPARISONS else "mom"
    st.sidebar.radio(
        "Compare with",
        list(COMPARISONS),
        format_func=COMPARISONS.get,
        key="f_compare",
        on_change=_sync_url,
    )
    # an entity named in the URL but outside the user's scope goes to the core, which refuses it
    entity = requested if requested and requested not in options else st.session_state["f_entity"]
    return Filters(
        entity=entity, period=st.session_state["f_period"], compare=st.session_state["f_compare"]
    )
