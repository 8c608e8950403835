"""Sidebar filters (entity, month), kept in the URL so a view can be shared or bookmarked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import Invalid
from core.periods import format_period, month_label, parse_period
from core.reports.request import COMPARISONS, ReportRequest
from core.reports.scope import ALL
from dashboard import core_calls


@dataclass(frozen=True)
class Filters:
    """What the pages report on."""

    entity: str
    period: int
    compare: str = "mom"

    def request(
        self, report: str, reader: UserScope, *, as_of: date | None = None
    ) -> ReportRequest:
        """The one value a page hands the core for ``report``, read by ``reader``."""
        return ReportRequest(
            reader=reader,
            report=report,
            entity=self.entity,
            period=self.period,
            comparison=self.compare,
            as_of=as_of,
        )


def _entity_options(user: UserScope) -> dict[str, str]:
    visible = core_calls.entities(user.entities)
    options: dict[str, str] = {}
    if len(visible) > 1:
        label = "All entities (consolidated)" if user.entities is None else "All my entities"
        options[ALL] = label
    options.update(visible)
    return options


def _chosen(name: str) -> object:
    return st.session_state[f"filter_{name}"]


def _changed(name: str) -> None:
    """A picker changed: keep its value (plain state survives page switches) and the URL."""
    st.session_state[f"filter_{name}"] = st.session_state[f"f_{name}"]
    st.query_params["entity"] = _chosen("entity")
    st.query_params["period"] = format_period(_chosen("period"))  # type: ignore[arg-type]
    st.query_params["compare"] = _chosen("compare")


def _initial(user_options: dict[str, str], months: list[int], current: int) -> None:
    """First load: the URL's values where valid, else the defaults."""
    requested = st.query_params.get("entity")
    if "filter_entity" not in st.session_state:
        st.session_state["filter_entity"] = (
            requested if requested in user_options else next(iter(user_options), ALL)
        )
    if "filter_period" not in st.session_state:
        try:
            wanted = parse_period(st.query_params.get("period", ""))
        except Invalid:
            wanted = current  # this month to date: the figures move every day
        st.session_state["filter_period"] = wanted if wanted in months else current
    if "filter_compare" not in st.session_state:
        wanted_compare = st.query_params.get("compare", "mom")
        st.session_state["filter_compare"] = (
            wanted_compare if wanted_compare in COMPARISONS else "mom"
        )


def sidebar_filters(user: UserScope) -> Filters:
    """Render the entity, month and comparison pickers; the URL's values win on first load.

    The choices live in plain session state and each widget is drawn from it with an explicit
    index: widget state is dropped on a run that does not draw the widget (a page switch), and
    the picker must still show what the page reports on.
    """
    options = _entity_options(user)
    months = core_calls.months_available()
    current = core_calls.current_month()
    _initial(options, months, current)
    entity_choice = _chosen("entity")
    st.sidebar.selectbox(
        "Entity",
        list(options),
        index=list(options).index(entity_choice) if entity_choice in options else 0,
        format_func=options.get,
        key="f_entity",
        on_change=_changed,
        args=("entity",),
    )
    st.sidebar.selectbox(
        "Month",
        months,
        index=months.index(_chosen("period")),  # type: ignore[arg-type]
        format_func=lambda m: month_label(m) + (" (to date)" if m == current else ""),
        key="f_period",
        on_change=_changed,
        args=("period",),
    )
    st.sidebar.radio(
        "Compare with",
        list(COMPARISONS),
        index=list(COMPARISONS).index(str(_chosen("compare"))),
        format_func=COMPARISONS.get,
        key="f_compare",
        on_change=_changed,
        args=("compare",),
    )
    requested = st.query_params.get("entity")
    # an entity named in the URL but outside the user's scope goes to the core, which refuses it
    entity = requested if requested and requested not in options else str(entity_choice)
    return Filters(
        entity=entity,
        period=int(_chosen("period")),  # type: ignore[call-overload]
        compare=str(_chosen("compare")),
    )
