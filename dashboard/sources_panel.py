"""The Sources section of /data: each source's status, setup steps, Test and Sync now.

A source that is not set up shows what to set and where, and neither button can be clicked.
"Test" checks the connection without syncing; "Sync now" runs it with a progress bar. Every
check and every rule is the core's (``core.sources.service``); keys never reach the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.sources.runs import SOURCES, RunStatus, age_text
from core.sources.service import SourceSetup
from dashboard import core_calls, data_calls
from dashboard.flash import flash

STATUS_ICON = {"ok": "✅", "error": "❌", "running": "⏳"}


def _run(source: str, entity: str, user: UserScope) -> None:
    """Run a source with a progress bar; the outcome shows after the rerun."""
    bar = st.progress(0.0, text=f"{SOURCES[source]}: starting")
    try:
        summary = data_calls.sync_source(
            source, entity, user, lambda share, text: bar.progress(min(max(share, 0.0), 1.0), text)
        )
    except DomainError as exc:
        flash(f"{SOURCES[source]}: {exc}", style="error")
    except Exception as exc:  # recorded on the run too; shown plainly rather than as a trace
        flash(f"{SOURCES[source]} failed: {exc}", style="error")
    else:
        flash(f"{SOURCES[source]}: {summary}", style="success")
    st.rerun()


def _test(source: str, entity: str, user: UserScope) -> None:
    """Check the connection and show the outcome under the source (nothing is synced)."""
    with st.spinner(f"Testing {SOURCES[source]}…"):
        try:
            check = data_calls.check_connection(source, entity, user)
        except DomainError as exc:
            st.error(str(exc), icon=":material/error:")
            return
    if check.ok:
        st.success(check.message, icon=":material/check_circle:")
    else:
        st.error(check.message, icon=":material/error:")


def _state(run: RunStatus | None, now: datetime) -> str:
    if run is None:
        return "Never synced."
    icon = STATUS_ICON.get(run.status, "")
    return (
        f"{icon} **{run.status}** · {age_text(run.started_at, now)} · "
        f"{run.items:,} items · {run.message or '—'}"
    )


def _webhook_note(run: RunStatus | None, now: datetime) -> str | None:
    since = run.started_at if run is not None else now - timedelta(days=30)
    events = core_calls.stripe_webhook_events(since)
    if not events:
        return None
    newest = events[0]
    return (
        f"Webhook: {len(events)} event(s) since the last sync, newest "
        f"{newest.type} {age_text(newest.received_at, now)}. Sync to post them."
    )


def _source(setup: SourceSetup, run: RunStatus | None, entity: str, user: UserScope) -> None:
    now = datetime.now(UTC)
    with st.container(border=True, key=f"source_{setup.source}"):
        name_col, state_col, button_col = st.columns([2, 5, 1.3], vertical_alignment="center")
        name_col.markdown(f"**{setup.label}**")
        if setup.ready:
            state_col.markdown(_state(run, now))
        else:
            state_col.markdown(":gray[:material/block:] **Not set up.** " + _state(run, now))
            state_col.caption(f"To set it up: {setup.hint}. Keys are never stored in the database.")
        if setup.source == "stripe" and (note := _webhook_note(run, now)):
            state_col.caption(note)
        tested = button_col.button(
            "Test",
            key=f"test_{setup.source}",
            icon=":material/network_check:",
            disabled=not setup.ready,
            width="stretch",
            help="Check the connection without syncing anything.",
        )
        synced = button_col.button(
            "Sync now",
            key=f"sync_{setup.source}",
            icon=":material/sync:",
            disabled=not setup.ready,
            width="stretch",
        )
        if tested:
            _test(setup.source, entity, user)
        if synced:
            _run(setup.source, entity, user)


def show(user: UserScope, entity: str) -> None:
    """The Sources section for ``entity``: one box per source."""
    latest = {r.source: r for r in data_calls.source_runs(user.entities) if r.entity_id == entity}
    st.subheader("Sources")
    for setup in data_calls.source_setups(entity):
        _source(setup, latest.get(setup.source), entity, user)
