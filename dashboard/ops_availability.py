"""The slot board's "available to ask" list: the in-scope captains and crew free for the
chosen trip (decided in the core: ``OpsService.available_crew``)."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from core.ops.models import OpsUser
from core.ops.rules.events import EventView
from core.ops.service import OpsService


def available_to_ask(service: OpsService, actor: OpsUser, view: EventView) -> None:
    """Who could take an open slot: not on a clashing trip, not marked unavailable."""
    if view.event.status != "scheduled" or not any(
        view.open_slots(role) > 0 for role in view.event.slots
    ):
        return
    try:
        free = service.available_crew(actor, view.event.id)
    except DomainError:  # not an admin of this trip: nothing to show
        return
    st.markdown("**Available to ask**")
    if not free:
        st.caption("Nobody else is free for this trip.")
        return
    st.caption(
        " · ".join(f"{u.name} ({u.role})" for u in free),
        help="Captains and crew of this entity without a clashing trip who have not "
        "marked themselves unavailable.",
    )
