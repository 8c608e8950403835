"""The Operations page's float plan: where a trip is (not departed, out, overdue, back) with
Departed and Back for an admin ashore, and each business's shore contact. Every change goes
through ``core.ops.service``; nothing here decides a rule."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.ops.float_notices import how_late
from core.ops.models import OpsUser
from core.ops.rules.events import EventView
from core.ops.rules.float_plans import MAX_SOULS
from core.ops.service import OpsService
from dashboard.operations import act, local, plain


def _who(service: OpsService, actor: OpsUser, user_id: str) -> str:
    names = {u.id: u.name for u in service.crew(actor)}
    return names.get(user_id, user_id.split(":", 1)[-1])  # dashboard ids carry the email


def float_plan_card(service: OpsService, actor: OpsUser, view: EventView, now: datetime) -> None:
    """The trip's float plan: its state in one line, and Departed or Back."""
    plan, tz, event = view.float_plan, service.tz, view.event
    if plan is None:
        if event.status != "scheduled":
            st.caption("No float plan: the trip is not going out.")
            return
        opens = service.departure_opens(event)
        if now < opens:
            st.caption(
                f"Not departed yet. Departed opens {local(opens, tz)}, a day before the trip: "
                "the captain taps it in the crew app."
            )
            return
        st.caption(
            "Not departed yet. The captain taps Departed in the crew app; an admin ashore can "
            "file it here instead."
        )
        _departed_form(service, actor, view)
        return
    facts = (
        f"departed {local(plan.departed_at, tz)} · ETA {local(plan.eta, tz)} · "
        f"{plan.souls_on_board} aboard · filed by {_who(service, actor, plan.by)}"
    )
    if plan.returned_at is not None:
        st.success(
            plain(f"Back at {local(plan.returned_at, tz)}: {facts}"), icon=":material/anchor:"
        )
        return
    late = plan.overdue_by(now)
    if late is not None:
        st.error(
            plain(
                f"Overdue by {how_late(late)}: {facts}. The shore contact and admins are emailed."
            ),
            icon=":material/sos:",
        )
    elif now > plan.eta:
        st.warning(
            plain(f"Past its ETA by {how_late(now - plan.eta)}: {facts}"),
            icon=":material/schedule:",
        )
    else:
        st.info(plain(f"Out: {facts}"), icon=":material/sailing:")
    if st.button("Mark back", key=f"back-{event.id}", icon=":material/anchor:"):
        act(lambda: service.mark_back(actor, event.id), "Marked back: the float plan is closed")


def _departed_form(service: OpsService, actor: OpsUser, view: EventView) -> None:
    due = view.timing.return_at
    with st.form(f"depart-{view.event.id}"):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("ETA date", value=due.date(), key=f"eta-d-{view.event.id}")
        at = c2.time_input("ETA time", value=due.time(), key=f"eta-t-{view.event.id}")
        souls = c3.number_input(
            "Souls on board",
            min_value=1,
            max_value=MAX_SOULS,
            step=1,
            value=1,
            key=f"souls-{view.event.id}",
        )
        if st.form_submit_button("Departed", icon=":material/sailing:"):
            eta = datetime.combine(day, at, tzinfo=service.tz)
            body = {"eta": eta.isoformat(), "souls_on_board": int(souls)}
            act(lambda: service.depart(actor, view.event.id, body), "Departed: float plan filed")


def shore_contact_form(service: OpsService, actor: OpsUser, entities: list[str]) -> None:
    """Who ashore gets a business's overdue-trip emails (with its admins)."""
    st.markdown("**Shore contact**: emailed with the admins when a trip is overdue")
    if not entities:
        st.caption("No businesses to set a shore contact for.")
        return
    entity = st.selectbox("Business", entities, key="shore-entity")
    current = service.shore_contact(actor, entity)
    if current is None:
        st.caption("No shore contact yet: overdue emails go to the admins only.")
    with st.form(f"shore-{entity}"):
        c1, c2, c3 = st.columns(3)
        email = c1.text_input("Shore contact email", value=current.email if current else "")
        name = c2.text_input("Shore contact name", value=current.name if current else "")
        phone = c3.text_input("Shore contact phone", value=current.phone if current else "")
        if st.form_submit_button("Save shore contact"):
            data = {"email": email, "name": name, "phone": phone}
            act(lambda: service.set_shore_contact(actor, entity, data), "Shore contact saved")
