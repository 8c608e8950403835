"""/data: where the numbers come from. Source status, "sync now" with progress, CSV imports."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from core.errors import DomainError
from core.sources.runs import SOURCES, RunStatus, age_text
from dashboard import auth, core_calls, import_panel
from dashboard.flash import flash, show_flash

STATUS_ICON = {"ok": "✅", "error": "❌", "running": "⏳"}

user = auth.require_page("data")
st.title("Data")
st.caption(
    "Where the numbers come from: Stripe, AWS and git syncs, the secret scan, and bank or card "
    "statements. A sync that fails writes nothing partial; its message says what to fix."
)

choices = dict(core_calls.entities(user.entities))
if not choices:
    st.info("No entities in your scope yet.")
    st.stop()
sidebar = st.session_state.get("filters")
if "data_entity" not in st.session_state and sidebar is not None and sidebar.entity in choices:
    st.session_state["data_entity"] = sidebar.entity  # start from the business already in view
entity = st.selectbox(
    "Business to sync and import into",
    list(choices),
    format_func=choices.get,
    key="data_entity",
    help="Syncs and imports always write to one business (the sidebar's choice is for reports).",
)

show_flash()

now = datetime.now(UTC)
latest: dict[str, RunStatus] = {
    r.source: r for r in core_calls.source_runs(user.entities) if r.entity_id == entity
}


def _run(source: str) -> None:
    """Run a source with a progress bar; the outcome shows after the rerun."""
    bar = st.progress(0.0, text=f"{SOURCES[source]}: starting")
    try:
        summary = core_calls.sync_source(
            source, entity, user, lambda share, text: bar.progress(min(max(share, 0.0), 1.0), text)
        )
    except DomainError as exc:
        flash(f"{SOURCES[source]}: {exc}", style="error")
    except Exception as exc:  # recorded on the run too; shown plainly rather than as a trace
        flash(f"{SOURCES[source]} failed: {exc}", style="error")
    else:
        flash(f"{SOURCES[source]}: {summary}", style="success")
    st.rerun()


st.subheader("Sources")
for setup in core_calls.source_setups(entity):
    run = latest.get(setup.source)
    with st.container(border=True):
        name_col, state_col, button_col = st.columns([2, 5, 1.3], vertical_alignment="center")
        name_col.markdown(f"**{setup.label}**")
        if run is None:
            state = "Never synced."
        else:
            icon = STATUS_ICON.get(run.status, "")
            state = (
                f"{icon} **{run.status}** · {age_text(run.started_at, now)} · "
                f"{run.items:,} items · {run.message or '—'}"
            )
        state_col.markdown(state)
        if not setup.ready:
            state_col.caption(f"Not configured: {setup.hint}.")
        if setup.source == "stripe":
            since = run.started_at if run is not None else now - timedelta(days=30)
            events = core_calls.stripe_webhook_events(since)
            if events:
                newest = events[0]
                state_col.caption(
                    f"Webhook: {len(events)} event(s) since the last sync, newest "
                    f"{newest.type} {age_text(newest.received_at, now)}. Sync to post them."
                )
        if button_col.button(
            "Sync now",
            key=f"sync_{setup.source}",
            icon=":material/sync:",
            disabled=not setup.ready,
            width="stretch",
        ):
            _run(setup.source)

import_panel.show(user, choices)

st.subheader("Recent runs")
history = core_calls.source_history(user.entities)
if not history:
    st.info("No syncs yet.")
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Started": r.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "Entity": choices.get(r.entity_id, r.entity_id),
                    "Source": SOURCES.get(r.source, r.source),
                    "Status": f"{STATUS_ICON.get(r.status, '')} {r.status}",
                    "Items": r.items,
                    "Message": r.message,
                }
                for r in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )
