"""/reports: report subscriptions and the delivery log (with resend)."""

import pandas as pd
import streamlit as st

from core.delivery.options import Options
from core.delivery.schedules import PRESETS, cron_for
from core.delivery.subscription_status import SubscriptionStatus
from core.errors import DomainError
from core.reports.registry import BUILDERS
from dashboard import auth, core_calls, delivery_calls

CUSTOM_CHOICE = "custom cron (below)"


def _last(r: SubscriptionStatus) -> str:
    """``sent Mon 30 Nov 16:00 UTC``, ``failed: the reason``, or ``not run yet``."""
    if r.last_result is None or r.last_at is None:
        return "not run yet"
    text = f"{r.last_result} {r.last_at:%a %-d %b %H:%M} UTC"
    return f"{text}: {r.last_error}" if r.last_error and r.last_result != "sent" else text


user = auth.require_page("reports")
st.title("Reports")
st.caption("Scheduled report emails, and every email the platform has sent or tried to send.")
subs_tab, log_tab = st.tabs(["Subscriptions", "Delivery log"])

with subs_tab:
    rows = delivery_calls.statuses(user)
    subs = [r.sub for r in rows]
    if subs:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "ID": r.sub.id,
                        "Report": r.sub.report,
                        "Entity": r.sub.entity,
                        "Schedule": r.schedule,
                        "Cron": r.sub.cron,
                        "Time zone": r.sub.tz,
                        "Next run": f"{r.next_run:%a %-d %b %H:%M %Z}",
                        "Last result": _last(r),
                        "Failures": r.failures,
                        "Attachments": ", ".join(r.options.attach).upper() or "—",
                        "Skip if empty": "yes" if r.options.skip_if_empty else "no",
                        "Recipients": r.sub.recipients.replace(",", ", "),
                        "Created by": r.sub.created_by,
                    }
                    for r in rows
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        left, now, right = st.columns([3, 1, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Subscription", [s.id for s in subs], key="sub_remove")
        if now.button("Send now", icon=":material/send:", width="stretch"):
            try:
                log = delivery_calls.send_subscription_now(int(chosen), user)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.toast(
                    f"Subscription {chosen}: {log.status}"
                    + (f" ({log.error})" if log.error else "")
                )
                st.rerun()
        if right.button("Remove", icon=":material/delete:", width="stretch"):
            try:
                core_calls.unsubscribe(int(chosen), user)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.toast(f"Subscription {chosen} removed")
                st.rerun()
    else:
        st.info("No subscriptions yet.")
    entities = dict(core_calls.entities(user.entities))
    if user.entities is None:  # a schedule for "all" needs every entity: see core.delivery
        entities = {"all": "All entities (consolidated)"} | entities
    with st.form("new_subscription", clear_on_submit=False):
        st.markdown("**New subscription**")
        c1, c2 = st.columns(2)
        name = c1.selectbox("Report", sorted(BUILDERS))
        entity = c2.selectbox("Entity", list(entities), format_func=entities.get)
        to = st.text_input("Recipients", value=core_calls.default_recipients(user))
        c3, c4 = st.columns(2)
        choices = [*PRESETS, CUSTOM_CHOICE]
        when = c3.selectbox(
            "Schedule",
            choices,
            format_func=lambda c: c if c == CUSTOM_CHOICE else f"{c}  ·  {cron_for(c)}",
        )
        tz = c4.text_input("Time zone", value=core_calls.portfolio_tz())
        custom = c3.text_input(
            "Schedule (cron)",
            value="0 7 * * MON",
            help="Used with “custom cron”: minute hour day month weekday",
        )
        c5, c6 = st.columns(2)
        files = c5.multiselect(
            "Attach", ["pdf", "xlsx"], format_func=str.upper, help="Files sent with each email"
        )
        skip = c6.checkbox(
            "Skip if empty",
            help="Send nothing (logged as skipped) when every figure is missing or zero",
        )
        if st.form_submit_button("Add subscription", type="primary"):
            cron = custom if when == CUSTOM_CHOICE else cron_for(when)
            try:
                sub = delivery_calls.subscribe_with(
                    name,
                    entity=entity,
                    to=[to],
                    cron=cron,
                    tz=tz,
                    options=Options(tuple(files), skip),
                    user=user,
                )
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.toast(f"Subscription {sub.id} added")
                st.rerun()

with log_tab:
    logs = core_calls.deliveries(user)
    if not logs:
        st.info("Nothing sent yet. Use “Send as email” on any report page.")
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "ID": d.id,
                        "When (UTC)": d.sent_at.strftime("%Y-%m-%d %H:%M"),
                        "Report": d.report,
                        "Entity": d.entity,
                        "Period": d.period,
                        "Recipients": d.recipients.replace(",", ", "),
                        "Status": d.status,
                        "Via": d.backend,
                        "Error": d.error or "",
                    }
                    for d in logs
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        again = left.selectbox(
            "Delivery",
            [d.id for d in logs],
            key="resend_id",
            format_func=lambda i: next(
                f"{d.id}: {d.subject} → {d.recipients}" for d in logs if d.id == i
            ),
        )
        if right.button("Resend", icon=":material/forward_to_inbox:"):
            try:
                log = core_calls.resend_delivery(int(again), user)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.toast(f"Resent: {log.status}")
                st.rerun()
