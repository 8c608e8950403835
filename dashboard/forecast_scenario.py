"""The Forecast page's what-if inputs: revenue of an account group up or down, a one-off
cost, the rental vacant for N months, losing the charter weekends of a month, and a saved
scenario; applied live, and saveable by name for one business."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.forecast.model import Forecast, Scenario
from core.forecast.presets import (
    CHARTERS,
    RENT,
    Preset,
    combine,
    one_off_cost,
    rental_vacant,
    revenue_change,
)
from core.periods import month_label, month_of, month_range
from core.reports.scope import ALL, MINE
from dashboard import forecast_calls
from dashboard.flash import flash

NO_SAVED = "None"
NO_MONTH = 0


@dataclass(frozen=True)
class WhatIf:
    """The scenario the inputs make (None: nothing changed) and a sentence per change."""

    scenario: Scenario | None
    explain: list[str]


def income_groups(base: Forecast) -> list[str]:
    """The income account groups (``Income:X``) the forecast has flows on."""
    groups = {
        ":".join(i.account.split(":")[:2]) for i in base.items if i.account.startswith("Income:")
    }
    return sorted(groups)


def _saved(user: UserScope, entity: str) -> Preset | None:
    if entity in (ALL, MINE):
        st.caption("Saved scenarios belong to one business: pick one to load or save them.")
        return None
    saved = {s.scenario.name or "": s.scenario for s in forecast_calls.scenarios(user, entity)}
    name = st.selectbox("Saved scenario", [NO_SAVED, *saved], key="fc_saved")
    if name == NO_SAVED:
        return None
    s = saved[name]
    return Preset(s.adjusts, s.one_offs, explain=f"Saved scenario “{name}”")


def inputs(user: UserScope, entity: str, base: Forecast) -> WhatIf:
    """The what-if inputs (four columns, stacked on a phone) and the scenario they make."""
    groups = income_groups(base)
    horizon = month_range(month_of(base.weeks[0].start), month_of(base.weeks[-1].end))
    presets: list[Preset] = []
    problems: list[str] = []
    left, mid, right, last = st.columns(4)
    with left:
        group = st.selectbox("Revenue of", groups or ["Income"], key="fc_group")
        pct = st.slider("Up or down (%)", -100, 100, 0, step=5, key="fc_pct")
        if pct:
            presets.append(revenue_change(group, pct))
    with mid:
        cost = st.number_input(
            "One-off cost ($)", min_value=0.0, value=0.0, step=500.0, key="fc_cost"
        )
        day = st.date_input(
            "Paid on",
            value=base.as_of + timedelta(days=14),
            min_value=base.weeks[0].start,
            max_value=base.weeks[-1].end,
            key="fc_cost_day",
        )
        if cost > 0 and isinstance(day, date):
            presets.append(one_off_cost(day, cost, "One-off cost"))
    with right:
        vacant = st.number_input(
            "Rental vacant for (months)",
            min_value=0,
            max_value=12,
            value=0,
            key="fc_vacant",
            disabled=RENT not in groups,
            help=f"No {RENT} from the first day of next month, for that many months.",
        )
        if vacant:
            nxt = base.as_of.replace(day=1) + timedelta(days=32)
            presets.append(rental_vacant(int(vacant), start=nxt.replace(day=1)))
    with last:
        month = st.selectbox(
            "Lose the charter weekends of",
            [NO_MONTH, *horizon],
            format_func=lambda m: "No month" if m == NO_MONTH else month_label(m),
            key="fc_weekends",
            disabled=CHARTERS not in groups,
        )
        if month != NO_MONTH:
            try:
                ids = forecast_calls.scope_ids(user, entity)
                presets.append(forecast_calls.weekends_lost(ids, month, base.as_of))
            except DomainError as exc:
                problems.append(str(exc))
        loaded = _saved(user, entity)
        if loaded is not None:
            presets.append(loaded)
    for problem in problems:
        st.error(problem)
    scenario = combine(presets) if presets else None
    return WhatIf(scenario, [p.explain for p in presets])


def save_form(user: UserScope, entity: str, what_if: WhatIf) -> None:
    """Save the scenario the inputs make under a name (one business at a time)."""
    if entity in (ALL, MINE) or what_if.scenario is None:
        return
    with st.form("fc_save", border=False, enter_to_submit=True):
        cols = st.columns([3, 1], vertical_alignment="bottom")
        name = cols[0].text_input("Save this scenario as", placeholder="e.g. Slow summer")
        if cols[1].form_submit_button("Save scenario", icon=":material/save:", width="stretch"):
            named = Scenario(name.strip(), what_if.scenario.adjusts, what_if.scenario.one_offs)
            try:
                forecast_calls.save_scenario(user, entity, named)
            except DomainError as exc:
                st.error(str(exc))
                return
            flash(f"Saved scenario “{name.strip()}”", ":material/save:")
            st.rerun()
