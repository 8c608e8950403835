"""The Operations page's open offers: the slots their holders offer on the chosen trip, each
with a cancel button for the admin. The rules (who may cancel) are the core's."""

from __future__ import annotations

import streamlit as st

from core.ops.models import OpsUser
from core.ops.rules.events import EventView
from core.ops.service import OpsService
from dashboard.operations import act, local


def offer_board(service: OpsService, actor: OpsUser, view: EventView) -> None:
    """The trip's open offers (slot, who offers it, since when) with a cancel button each."""
    if not view.offers:
        return
    names = {u.id: u.name for u in service.crew(actor)}
    st.markdown("**Offered slots** (anyone qualified can take them in the crew app)")
    for offer in view.offers:
        left, right = st.columns([3, 1], vertical_alignment="center")
        who = names.get(offer.offered_by, offer.offered_by)
        left.text(
            f"{offer.role.title()} {offer.slot_no}: offered by {who} "
            f"since {local(offer.created_at, service.tz)}"
        )
        if right.button(
            "Cancel",  # short: the column beside the slot board's "Remove" buttons is narrow
            key=f"offer-x-{offer.id}",
            icon=":material/undo:",
            help="Cancel this offer: the slot stays with its holder",
        ):
            act(lambda o=offer: service.cancel_offer(actor, o.id), "Offer cancelled")
