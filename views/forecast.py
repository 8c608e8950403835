"""/forecast: the 13-week cash forecast with what-ifs, the items behind each week, recurring
items, the owner's budget and break-even trips (owner, CEO, CFO)."""

import streamlit as st

from core.reports.scope import ALL, MINE
from dashboard import auth, components, core_calls, forecast_calls, report_page, theme
from dashboard.email_dialog import email_button
from dashboard.filters import Filters
from dashboard.flash import show_flash
from dashboard.forecast_budgets import break_even_section, budget_editor
from dashboard.forecast_chart import draw
from dashboard.forecast_items import items_table
from dashboard.forecast_recurring import recurring_section
from dashboard.forecast_scenario import inputs, save_form
from dashboard.forecast_tiles import tiles

WEEKS = [4, 8, 13, 26, 52]

user = auth.require_page("forecast")
if not core_calls.entities(user.entities):
    report_page.first_run(user, "forecast")
    st.stop()
theme.apply()
show_flash()
f: Filters = st.session_state["filters"]
as_of = forecast_calls.today()
with st.container(horizontal=True, vertical_alignment="center", key=theme.HEADER):
    st.title("Forecast", width="content")
    names = dict(core_calls.entities(user.entities))
    scope = "All my entities" if f.entity in (ALL, MINE) else names.get(f.entity, f.entity)
    st.markdown(
        f"**{scope} · cash by week** :small[:gray[from {as_of:%b %-d, %Y} "
        f"({core_calls.portfolio_tz()})]]",
        width="stretch",
    )
    with st.container(width="content"):
        email_button(f.request("forecast", user, as_of=as_of))

headline, chart = st.container(), st.container()  # drawn first, filled once the inputs are read
with st.expander("What if…", expanded=True, icon=":material/tune:"):
    weeks = st.segmented_control(
        "Weeks ahead", WEEKS, default=13, key="fc_weeks", format_func=lambda n: f"{n} weeks"
    )
    weeks = int(weeks or 13)
    base = components.guarded(lambda: forecast_calls.forecast(user, f.entity, as_of, weeks))
    what_if = inputs(user, f.entity, base)
scenario = (
    components.guarded(
        lambda: forecast_calls.forecast(user, f.entity, as_of, weeks, what_if.scenario)
    )
    if what_if.scenario is not None
    else None
)
with headline:
    tiles(base, scenario, "forecast")
with chart:
    draw(base, scenario, "fc_chart")
if what_if.explain:
    st.markdown("**The scenario:** " + "; ".join(what_if.explain))
    save_form(user, f.entity, what_if)
items_table(scenario or base, title="Scenario" if scenario else "Baseline")

st.divider()
ids = forecast_calls.scope_ids(user, f.entity)
single = None if f.entity in (ALL, MINE) else f.entity
recurring, budget, trips = st.tabs(["Recurring items", "Budget", "Break-even trips"])
with recurring:
    recurring_section(user, ids, single, as_of)
with budget:
    budget_editor(user, f.entity, f.period // 100)
with trips:
    break_even_section(f.request("forecast", user), names)
