"""The /close page: entities x months with check status and lock state, the evidence of one
entity's month, lock and unlock with a reason, and the audit log.

The core decides everything (who may lock or unlock, whether the checks allow a lock); the
page shows what it answers and puts its refusals in words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.close.checks import FAIL, PASS, SKIP, WARN, plural
from core.close.locks import UNLOCK_ROLES, audit_log, lock_period, unlock_period
from core.close.status import EntityClose, close_grid
from core.config import get_settings
from core.errors import DomainError
from core.periods import format_period, month_add, month_label, month_of
from dashboard import core_calls
from dashboard.anomaly_panel import anomaly_panel
from dashboard.flash import flash, show_flash

MONTHS_SHOWN = 6
BADGE = {PASS: "✅ pass", FAIL: "❌ fail", WARN: "⚠️ warn", SKIP: "➖ n/a"}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(close: EntityClose, current: int) -> str:
    """One grid cell: the lock state, else the checks' outcome (the running month: in progress)."""
    if close.lock is not None:
        return "🔒 locked" + (" (forced)" if close.lock.forced else "")
    if close.month >= current:
        return "⏳ in progress"
    failing = sum(c.status == FAIL for c in close.checks)
    if failing:
        return f"❌ {failing} failing"
    return "⚠️ ready, warnings" if close.status == WARN else "✅ ready to lock"


def _grid(grid: dict[int, list[EntityClose]], current: int) -> None:
    months = sorted(grid, reverse=True)  # the newest first: what a phone shows without scrolling
    rows: dict[str, dict[str, str]] = {}
    for m in months:
        for close in grid[m]:
            rows.setdefault(close.name, {})[month_label(m)] = _cell(close, current)
    frame = pd.DataFrame.from_dict(rows, orient="index")[[month_label(m) for m in months]]
    frame.index.name = "Business"
    st.dataframe(frame, width="stretch")


def _evidence(close: EntityClose) -> None:
    for check in close.checks:
        label = f"{BADGE[check.status]} · {check.title}: {check.summary}"
        with st.expander(label, expanded=check.status == FAIL):
            if not check.evidence:
                st.caption("No evidence rows.")
                continue
            st.dataframe(pd.DataFrame(check.evidence), hide_index=True, width="stretch")
            if check.evidence_count > len(check.evidence):
                st.caption(f"First {len(check.evidence)} of {check.evidence_count} rows.")


def _run(action: Any, done: str) -> None:
    """Run a lock or unlock; flash ``done`` and rerun, or show the core's refusal."""
    try:
        action()
    except DomainError as exc:
        st.error(_sentence(exc.message), icon=":material/lock:")
        for problem in exc.problems:
            st.caption(f"• {problem}")
        return
    flash(done, ":material/check_circle:")
    st.rerun()


def _lock_forms(actor: UserScope, close: EntityClose) -> None:
    eid, m = close.entity_id, close.month
    period = format_period(m)
    if close.lock is not None:
        lock = close.lock
        st.info(
            f"{close.name} is locked through {format_period(lock.month)} by {lock.locked_by} "
            f"on {lock.locked_at:%Y-%m-%d %H:%M} UTC"
            + (f" (forced: {lock.reason})" if lock.forced else "")
            + ".",
            icon=":material/lock:",
        )
        if actor.role not in UNLOCK_ROLES:
            st.caption("Only the owner can unlock a month.")
            return
        with st.form(f"close_unlock_{eid}_{m}"):
            reason = st.text_input("Reason to reopen", key=f"close_unlock_reason_{eid}_{m}")
            if st.form_submit_button("Unlock", icon=":material/lock_open:"):
                store = core_calls.ledger()
                _run(
                    lambda: unlock_period(store, actor, eid, lock.month, reason=reason),
                    f"Unlocked {close.name} {format_period(lock.month)}",
                )
        return
    failing = [c for c in close.checks if c.status == FAIL]
    with st.form(f"close_lock_{eid}_{m}"):
        st.markdown(f"**Lock {close.name} through {month_label(m)}**")
        st.caption(
            "Locking freezes this month and every earlier one: postings, imports, syncs, "
            "re-categorizing and records dated then are refused until the owner unlocks."
        )
        force = False
        if failing:
            force = st.checkbox(
                f"Lock anyway although {plural(len(failing), 'check')} "
                + ("fails" if len(failing) == 1 else "fail"),
                key=f"close_force_{eid}_{m}",
            )
        reason = st.text_input(
            "Reason" + ("" if failing else " (optional)"), key=f"close_lock_reason_{eid}_{m}"
        )
        if st.form_submit_button("Lock", type="primary", icon=":material/lock:"):
            store = core_calls.ledger()
            _run(
                lambda: lock_period(store, actor, eid, m, force=force, reason=reason),
                f"Locked {close.name} through {period}",
            )


def _audit(names: dict[str, str]) -> None:
    rows = audit_log(core_calls.ledger(), list(names))
    if not rows:
        st.caption("No month has been locked or unlocked yet.")
        return
    table = [
        {
            "When (UTC)": f"{r.at:%Y-%m-%d %H:%M}",
            "Business": names.get(r.entity_id, r.entity_id),
            "Month": format_period(r.month),
            "Action": r.action.replace("_", " "),
            "Who": r.actor,
            "Reason": r.reason,
            "Checks then": ", ".join(
                f"{sum(c['status'] == s for c in r.checks)} {s}"
                for s in (PASS, FAIL, WARN)
                if any(c["status"] == s for c in r.checks)
            ),
            "Failing then": ", ".join(c["id"] for c in r.checks if c["status"] == FAIL),
        }
        for r in rows
    ]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def show(actor: UserScope) -> None:
    """The whole page for the signed-in ``actor`` (owner, CFO or accountant)."""
    st.title("Close")
    st.caption(
        "Month-end close per business: the checks, the lock that freezes a closed month, "
        "and who locked or reopened what."
    )
    show_flash()
    today = datetime.now(get_settings().tz).date()
    last = month_add(month_of(today), -1)  # the month to close now
    months = [month_add(last, -k) for k in range(MONTHS_SHOWN - 1, -1, -1)] + [month_of(today)]
    try:
        grid = close_grid(core_calls.ledger(), actor, months)
    except DomainError as exc:
        st.error(_sentence(exc.message), icon=":material/error:")
        return
    if not grid[last]:
        st.info("No businesses in your scope yet: the owner adds them on the Businesses page.")
        return
    _grid(grid, month_of(today))
    names = {c.entity_id: c.name for c in grid[last]}

    st.subheader("Checks and lock")
    pick, when = st.columns(2)
    entity_id = pick.selectbox("Business", list(names), format_func=names.get, key="close_entity")
    month = when.selectbox(
        "Month", months[::-1], index=1, format_func=month_label, key="close_month"
    )
    close = next(c for c in grid[month] if c.entity_id == entity_id)
    _lock_forms(actor, close)
    _evidence(close)

    anomaly_panel(actor, entity_id, month)

    st.subheader("Audit log")
    _audit(names)
