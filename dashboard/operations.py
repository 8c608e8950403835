"""The Operations page's widgets: event list and calendar, timing card, slot board,
checklist progress, guest manifest, and the create/edit forms. Every change goes through
``core.ops.service``; nothing here decides a rule.

Text people typed (titles, vessels, names, emails) is shown as plain text (``st.text``,
dataframe cells) or escaped (``plain``): never read as Markdown, which would fetch images
and follow links from an event title."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.errors import DomainError, Invalid
from core.ops.calendar_grid import month_grid
from core.ops.models import Event, OpsUser
from core.ops.rules.events import EventView
from core.ops.rules.fields import MAX_DURATION_MINUTES, MAX_GUESTS, MAX_SLOTS, MIN_DURATION_MINUTES
from core.ops.service import OpsService
from dashboard import core_calls
from dashboard.ops_availability import available_to_ask

STATUS_COLOR = {"scheduled": "blue", "cancelled": "gray", "completed": "green"}
GUEST_BADGE = {
    "on_hold": ("On hold: waiver missing", "orange"),
    "cleared": ("Waiver signed", "green"),
    "checked_in": ("Checked in", "blue"),
}


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$&=^\"'])")


def plain(text: str) -> str:
    """``text`` escaped for a Markdown element (headings, alerts, toasts): every ASCII
    punctuation mark backslash-escaped, line breaks flattened."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def act(action: Callable[[], object], success: str) -> None:
    """Run a change; a toast on success, the core's message (with field errors) otherwise."""
    try:
        action()
    except Invalid as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        st.error(plain(f"{exc.message}{' (' + details + ')' if details else ''}"))
        return
    except DomainError as exc:
        st.error(plain(str(exc)))
        return
    st.toast(plain(success), icon=":material/check:")
    st.rerun()


def local(t: datetime, tz: ZoneInfo) -> str:
    """A short local time like ``Sat 6 Jun, 17:30``."""
    return t.astimezone(tz).strftime("%a %-d %b, %H:%M")


def event_label(e: Event, tz: ZoneInfo) -> str:
    """How an event reads in a picker."""
    cancelled = " (cancelled)" if e.status == "cancelled" else ""
    return f"{local(e.starts_at, tz)} · {e.title} · {e.vessel or 'no vessel'}{cancelled}"


def checklist_percent(done: int, total: int) -> int:
    """Checklist progress in whole percent: "9.09%" reads as false precision for 1 of 11."""
    return round(100 * done / total) if total else 0


def event_table(service: OpsService, events: list[Event]) -> None:
    """Upcoming events (as listed for the actor) with open slots and guest counts."""
    rows = []
    for e in events:
        v = service.describe(e)
        rows.append(
            {
                "When": local(e.starts_at, service.tz),
                # what a skipper acts on first, narrow enough to fit a phone beside "When"
                "Open crew": v.open_slots("crew"),
                "On hold": v.guests_on_hold,
                "Checklist": checklist_percent(v.checklist_done, v.checklist_total),
                "Event": e.title,
                "Open captain": v.open_slots("captain"),
                "Guests": f"{v.guests_total}/{e.guests_max}",
                "Vessel": e.vessel,
                "Status": e.status,
                "After dusk": "yes" if v.timing.returns_after_dusk else "",
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Checklist": st.column_config.ProgressColumn(
                "Checklist", min_value=0, max_value=100, format="%d%%"
            )
        },
    )


def month_calendar(events: list[Event], tz: ZoneInfo, month: date) -> None:
    """A month grid with each day's trips; the padding days of the next and previous months
    stay empty (their trips are in their own month's grid)."""
    st.markdown(f"**{month.strftime('%B %Y')}**")
    head = st.columns(7)
    for col, name in zip(head, calendar.day_abbr, strict=True):
        col.caption(name)
    for week in month_grid(events, tz, month):
        cols = st.columns(7)
        for col, cell in zip(cols, week, strict=True):
            with col.container(border=True, height=110):
                st.caption(str(cell.day.day) if cell.day else "")
                for e in cell.events:
                    when = e.starts_at.astimezone(tz).strftime("%H:%M")
                    cancelled = " (cancelled)" if e.status == "cancelled" else ""
                    st.text(f"{when} {e.title}{cancelled}")


def timing_card(view: EventView) -> None:
    """Boarding, departure, return, sunset and dusk, with a warning after dusk, and the
    trip's weather and go/no-go flag (when the view has them)."""
    t = view.timing
    cols = st.columns(5)
    for col, (label, value) in zip(
        cols,
        [
            ("Boarding", t.boarding_at),
            ("Departure", t.departure_at),
            ("Return", t.return_at),
            ("Sunset", t.sunset_at),
            ("Civil dusk", t.civil_dusk_at),
        ],
        strict=True,
    ):
        col.metric(label, value.strftime("%H:%M"), border=True)
    if t.returns_after_dusk:
        late = t.return_at - t.civil_dusk_at
        st.warning(
            f"Returns after dusk: back at {t.return_at:%H:%M}, "
            f"{int(late.total_seconds() // 60)} min after civil dusk ({t.civil_dusk_at:%H:%M}). "
            "Check navigation lights and night-qualified crew.",
            icon=":material/nightlight:",
        )
    from dashboard.ops_weather import weather_panel  # it builds on this module's helpers

    weather_panel(view.weather, t.departure_at.tzinfo)


def slot_board(service: OpsService, actor: OpsUser, view: EventView) -> None:
    """Who holds which slot, with a remove button per holder."""
    names = {u.id: u.name for u in service.crew(actor)}
    held = {(c.role, c.slot_no): c for c in view.claims}
    for role in ("captain", "crew"):
        for n in range(1, view.event.slots.get(role, 0) + 1):
            claim = held.get((role, n))
            left, right = st.columns([3, 1], vertical_alignment="center")
            if claim:
                left.text(f"{role.title()} {n}: {names.get(claim.user_id, claim.user_id)}")
                if right.button(
                    "Remove", key=f"rm-{view.event.id}-{role}-{n}", icon=":material/person_remove:"
                ):
                    act(
                        lambda c=claim: service.release(actor, view.event.id, c.user_id),
                        "Removed from the slot",
                    )
            else:
                left.markdown(f"{role.title()} {n}: :orange[open]")
    available_to_ask(service, actor, view)


def checklist_progress(service: OpsService, actor: OpsUser, view: EventView) -> None:
    """Progress bar and the items by phase, tickable by an admin."""
    total = view.checklist_total or 1
    share = checklist_percent(view.checklist_done, total)
    st.progress(share / 100, text=f"{view.checklist_done} of {total} done ({share}%)")
    items = service.checklist(actor, view.event.id)
    for phase in ("pre_departure", "underway", "post_trip"):
        with st.expander(phase.replace("_", " ").title()):
            for item in [i for i in items if i.phase == phase]:
                checked = st.checkbox(
                    item.text, value=item.done, key=f"ck-{view.event.id}-{item.id}"
                )
                if checked != item.done:
                    act(
                        lambda i=item, c=checked: service.tick(actor, view.event.id, i.id, c),
                        "Checklist updated",
                    )


def manifest(service: OpsService, actor: OpsUser, view: EventView) -> None:
    """Guests with waiver status and a check-in button; an add-guest form."""
    guests = service.manifest(actor, view.event.id)
    if not guests:
        st.caption("No guests yet.")
    for g in guests:
        text, color = GUEST_BADGE[g.status]
        left, mid, right = st.columns([3, 2, 1.2], vertical_alignment="center")
        since = f"\non hold since {local(g.added_at, service.tz)}" if g.status == "on_hold" else ""
        left.text(f"{g.name}\n{g.email}{since}")
        with mid:
            st.badge(text, color=color)  # type: ignore[arg-type]
        if g.status != "checked_in" and right.button(
            "Check in",
            key=f"ci-{g.id}",
            disabled=g.status == "on_hold",
            help="Waiver required first" if g.status == "on_hold" else None,
        ):
            act(lambda g=g: service.check_in(actor, view.event.id, g.id), f"{g.name} checked in")
        if g.status == "on_hold" and right.button(
            "Resend waiver link", key=f"rs-{g.id}", help="Emails a fresh link"
        ):
            act(lambda g=g: _resend(actor, view, g.id), f"New waiver link sent to {g.email}")
    with st.form(f"guest-{view.event.id}", clear_on_submit=True):
        st.markdown("**Add a guest** (on hold until they sign the waiver)")
        c1, c2 = st.columns(2)
        name = c1.text_input("Guest name")
        email = c2.text_input("Guest email")
        if st.form_submit_button("Add guest"):
            act(lambda: _add_guest(actor, view, email, name), f"{name} added, on hold")


LINK_KEY = "_ops_last_link"


def _add_guest(actor: OpsUser, view: EventView, email: str, name: str) -> None:
    guest, inv = core_calls.access().add_guest(actor, view.event.id, email=email, name=name)
    st.session_state[LINK_KEY] = (f"Waiver link for {guest.name} (also emailed)", inv.link)


def _resend(actor: OpsUser, view: EventView, guest_id: str) -> None:
    inv = core_calls.access().guest_link(actor, view.event.id, guest_id)
    st.session_state[LINK_KEY] = (f"New waiver link for {inv.user.email} (also emailed)", inv.link)


def last_link() -> None:
    """The link created by the last invite or guest, to copy (shown once)."""
    shown = st.session_state.pop(LINK_KEY, None)
    if shown:
        label, link = shown
        st.success(plain(label), icon=":material/link:")
        st.code(link, language=None)


def invite_form(actor: OpsUser, entities: list[str]) -> None:
    """Invite a captain, crew member or admin for some or all of the entities the actor
    manages; the link is emailed and shown to copy."""
    with st.form("invite", clear_on_submit=True):
        st.markdown("**Invite crew**: they get a sign-in link by email")
        c1, c2 = st.columns(2)
        name = c1.text_input("Name")
        email = c2.text_input("Email")
        role = c1.selectbox("Role", ["crew", "captain", "admin"])
        licence = c2.date_input("Captain's licence valid until", value=None)
        chosen = st.multiselect(
            "Entities", entities, placeholder="All the entities you manage", key="invite-ent"
        )
        if st.form_submit_button("Invite", type="primary"):

            def run() -> None:
                inv = core_calls.access().invite(
                    actor,
                    email=email,
                    name=name,
                    role=role,
                    licence_expires=licence,
                    entities=chosen or None,
                )
                st.session_state[LINK_KEY] = (
                    f"Sign-in link for {inv.user.name} (also emailed, with the code "
                    f"{inv.short_code} to type in the app)",
                    inv.link,
                )

            act(run, f"{name} invited")


def event_form(
    service: OpsService, actor: OpsUser, entities: list[str], existing: Event | None = None
) -> None:
    """Create a new event, or edit ``existing``."""
    tz = service.tz
    key = existing.id if existing else "new"
    start = existing.starts_at.astimezone(tz) if existing else datetime.now(tz) + timedelta(days=3)
    with st.form(f"event-{key}"):
        c1, c2 = st.columns(2)
        title = c1.text_input("Title", value=existing.title if existing else "Sunset sail")
        vessel = c2.text_input("Vessel", value=existing.vessel if existing else "JADA")
        entity = c1.selectbox(
            "Entity",
            entities,
            index=entities.index(existing.entity)
            if existing and existing.entity in entities
            else 0,
        )
        day = c2.date_input("Date", value=start.date())
        at = c1.time_input(
            "Departure", value=time(start.hour, start.minute) if existing else time(17, 30)
        )
        minutes = c2.number_input(
            "Duration (minutes)",
            MIN_DURATION_MINUTES,
            MAX_DURATION_MINUTES,
            existing.duration_minutes if existing else 150,
            step=15,
        )
        captains = c1.number_input(
            "Captain slots", 0, MAX_SLOTS, existing.slots["captain"] if existing else 1
        )
        crew = c2.number_input(
            "Crew slots", 0, MAX_SLOTS, existing.slots["crew"] if existing else 2
        )
        guests = c1.number_input(
            "Guests max", 0, MAX_GUESTS, existing.guests_max if existing else 6
        )
        if st.form_submit_button("Save changes" if existing else "Create event", type="primary"):
            fields = {
                "entity": entity,
                "title": title,
                "vessel": vessel,
                "starts_at": datetime.combine(day, at, tzinfo=tz).isoformat(),
                "duration_minutes": int(minutes),
                "slots": {"captain": int(captains), "crew": int(crew)},
                "guests_max": int(guests),
            }
            if existing:
                act(
                    lambda: core_calls.access().change_event(actor, existing.id, fields),
                    "Event saved",
                )
            else:
                act(lambda: service.create_event(actor, fields), f"{title} created")
