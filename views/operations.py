"""/operations: charter events, crew slots, checklists and guests."""

from datetime import datetime, timedelta

import streamlit as st

from core.ops.rules.events import UPCOMING_AHEAD
from dashboard import auth, core_calls, ops_float, ops_offers, ops_weather
from dashboard import operations as ui

user = auth.require_page("operations")
service = core_calls.ops()
actor = core_calls.ops_actor(user)
tz = service.tz
now = datetime.now(tz)
events = service.upcoming(actor, now)
entities = [eid for eid, _ in core_calls.entities(user.entities)]

st.title("Operations")
st.caption(f"Charter events in the next {UPCOMING_AHEAD.days} days · times in {tz}")
ui.last_link()
upcoming, month_view, new, crew, weather = st.tabs(
    ["Upcoming", "Calendar", "New event", "Crew", "Weather"]
)
with upcoming:
    if not events:
        st.info("No upcoming events. Create one in the “New event” tab.")
    else:
        ui.event_table(service, events)
        chosen = st.selectbox(
            "Event", events, format_func=lambda e: ui.event_label(e, tz), key="ops_event"
        )
        view = service.view(actor, chosen.id)
        st.subheader(ui.plain(chosen.title), divider="gray")
        st.badge(chosen.status.title(), color=ui.STATUS_COLOR[chosen.status])  # type: ignore[arg-type]
        ui.timing_card(view)
        ops_float.float_plan_card(service, actor, view, now)
        slots, checklist = st.columns(2, gap="large")
        with slots:
            st.markdown("#### Slot board")
            ui.slot_board(service, actor, view)
            ops_offers.offer_board(service, actor, view)
        with checklist:
            st.markdown("#### Checklist")
            ui.checklist_progress(service, actor, view)
        st.markdown("#### Guests")
        ui.manifest(service, actor, view)
        with st.expander("Edit or cancel this event"):
            ui.event_form(service, actor, entities, chosen)
            if chosen.status == "scheduled" and st.button("Cancel event", type="secondary"):
                ui.act(
                    lambda: core_calls.access().cancel_event(actor, chosen.id), "Event cancelled"
                )
with month_view:
    this_month = now.date().replace(day=1)
    ui.month_calendar(events, tz, this_month)
    ui.month_calendar(events, tz, (this_month + timedelta(days=32)).replace(day=1))
with new:
    ui.event_form(service, actor, entities)
with crew:
    ui.invite_form(actor, entities)
    ops_float.shore_contact_form(service, actor, entities)
    people = service.crew(actor)
    st.dataframe(
        [
            {
                "Name": u.name,
                "Email": u.email,
                "Role": u.role,
                "Licence until": u.licence_expires.isoformat() if u.licence_expires else "",
            }
            for u in people
        ],
        hide_index=True,
        width="stretch",
    )
with weather:
    ops_weather.vessel_limits_form(service, actor, entities)
