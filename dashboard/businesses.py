"""The /businesses page: the setup checklist, and the owner's businesses (add, rename,
archive, chart of accounts), plus "Replace the demo with my data".

Every change goes through the core with the signed-in user as the actor; the core decides who
may do it and what is valid. Its field errors are shown under the field they are about.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.onboarding.businesses import (
    CURRENCIES,
    Business,
    add_account,
    add_business,
    chart_of_accounts,
    list_businesses,
    rename_business,
    set_archived,
)
from core.onboarding.checklist import SetupChecklist, set_checklist_dismissed, setup_checklist
from core.onboarding.demo_removal import replace_demo
from core.onboarding.templates import KINDS
from dashboard import core_calls
from dashboard.field_errors import attempt
from dashboard.flash import flash, show_flash
from dashboard.navigation import BY_URL


def _round(name: str) -> int:
    """How many times form ``name`` went through: part of its widget keys, so it starts empty."""
    return int(st.session_state.get(f"_biz_round_{name}", 0))


def _done(name: str, message: str) -> None:
    st.session_state[f"_biz_round_{name}"] = _round(name) + 1
    flash(message, ":material/check_circle:")
    st.rerun()


def checklist(actor: UserScope, setup: SetupChecklist, *, dismissible: bool = True) -> None:
    """The setup steps, each ticked or not, with a link to where it is done."""
    with st.container(border=True, key="setup_checklist"):
        done = sum(s.done for s in setup.steps)
        st.subheader(f"Set up your books · {done} of {len(setup.steps)} done")
        for step in setup.steps:
            mark = (
                ":green[:material/check_circle:]"
                if step.done
                else ":gray[:material/radio_button_unchecked:]"
            )
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"{mark} **{step.title}**" + ("" if step.done else f"  \n{step.hint}"))
            page = BY_URL.get(step.page)
            if page is not None:
                right.page_link(page.script, label=f"Open {page.title}", icon=page.icon)
        if dismissible and st.button(
            "Dismiss the checklist", icon=":material/close:", key="setup_dismiss"
        ):
            set_checklist_dismissed(core_calls.ledger(), actor, dismissed=True)
            st.rerun()


def _demo_banner(actor: UserScope) -> None:
    with st.container(border=True, key="replace_demo"):
        st.markdown(
            "**The demo portfolio is still here.** Replacing it removes only the demo "
            "businesses and all of their figures; your own businesses stay."
        )
        sure = st.checkbox("Yes, remove every demo business and its data", key="demo_sure")
        if st.button(
            "Replace the demo with my data",
            icon=":material/delete_sweep:",
            disabled=not sure,
            key="demo_replace",
        ):
            removed: list[list[str]] = []
            if attempt(lambda: removed.append(replace_demo(core_calls.ledger(), actor)), {}):
                st.cache_data.clear()  # every cached report read the demo
                _done("demo", f"Removed {len(removed[0])} demo businesses")


def _table(rows: list[Business]) -> None:
    if not rows:
        st.info("No businesses yet: add your first one below.", icon=":material/storefront:")
        return
    frame = pd.DataFrame(
        [
            {
                "Business": b.name,
                "Kind": b.kind_label,
                "Currency": b.currency,
                "Status": "archived" if b.archived else ("demo" if b.is_demo else "active"),
                "Id": b.id,
            }
            for b in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _add_form(actor: UserScope) -> None:
    n = _round("add")
    with st.form(f"add_business_{n}", border=True):
        st.markdown("**Add a business**")
        left, right = st.columns(2)
        with left:
            name = st.text_input("Name", key=f"biz_name_{n}", placeholder="Harbor Tours LLC")
            name_slot = st.empty()
        with right:
            kind = st.selectbox("Kind", list(KINDS), format_func=KINDS.get, key=f"biz_kind_{n}")
            kind_slot = st.empty()
        currency = st.selectbox("Currency", CURRENCIES, key=f"biz_currency_{n}")
        currency_slot = st.empty()
        st.caption("Its chart of accounts starts from the kind's template; you can add more.")
        submitted = st.form_submit_button("Add business", type="primary", icon=":material/add:")
    if not submitted:
        return
    slots = {"name": name_slot, "kind": kind_slot, "currency": currency_slot}
    added: list[Business] = []
    if attempt(
        lambda: added.append(
            add_business(core_calls.ledger(), actor, name=name, kind=kind, currency=currency)
        ),
        slots,
    ):
        _done("add", f"Added {added[0].name} ({added[0].kind_label})")


def _rename_form(actor: UserScope, chosen: Business) -> None:
    n = _round("rename")
    with st.form(f"rename_{chosen.id}_{n}", border=False):
        name = st.text_input("New name", value=chosen.name, key=f"rename_name_{chosen.id}_{n}")
        slot = st.empty()
        submitted = st.form_submit_button("Rename", icon=":material/edit:")
    if submitted and attempt(
        lambda: rename_business(core_calls.ledger(), actor, chosen.id, name=name), {"name": slot}
    ):
        st.cache_data.clear()  # report names are cached with the reports
        _done("rename", f"Renamed to {name.strip()}")


def _archive(actor: UserScope, chosen: Business) -> None:
    archived = not chosen.archived  # what the button makes it
    if chosen.archived:
        st.caption("Archived: hidden from the report pickers; its history stays.")
        label, icon, message = "Bring back", ":material/unarchive:", "is back in the pickers"
    else:
        st.caption("Archiving hides it from the report pickers. Nothing is deleted.")
        label, icon, message = "Archive", ":material/archive:", "is archived"
    if st.button(label, icon=icon, key=f"archive_{chosen.id}") and attempt(
        lambda: set_archived(core_calls.ledger(), actor, chosen.id, archived=archived), {}
    ):
        _done("archive", f"{chosen.name} {message}")


def _accounts(actor: UserScope, chosen: Business) -> None:
    rows = chart_of_accounts(core_calls.ledger(), chosen.id)
    st.dataframe(
        pd.DataFrame(
            [{"Account": a.path, "Type": a.root, "Cost": a.cost_behavior or ""} for a in rows]
        ),
        hide_index=True,
        width="stretch",
        height=240,
    )
    n = _round("account")
    with st.form(f"account_{chosen.id}_{n}", border=False):
        left, right = st.columns([2, 1])
        with left:
            path = st.text_input(
                "New account", key=f"acct_path_{chosen.id}_{n}", placeholder="Expenses:Dockage"
            )
            path_slot = st.empty()
        with right:
            behavior = st.selectbox(
                "Cost", ["fixed", "variable", None], key=f"acct_cost_{chosen.id}_{n}",
                format_func=lambda b: b or "not an expense",
            )  # fmt: skip
            behavior_slot = st.empty()
        submitted = st.form_submit_button("Add account", icon=":material/add:")
    if submitted and attempt(
        lambda: add_account(
            core_calls.ledger(), actor, chosen.id, path=path, cost_behavior=behavior
        ),
        {"path": path_slot, "cost_behavior": behavior_slot},
    ):
        _done("account", f"Added {path.strip()} to {chosen.name}")


def show(actor: UserScope) -> None:
    """The whole page for the signed-in owner ``actor``."""
    st.title("Businesses")
    st.caption("The businesses in your portfolio, and the steps to get your own books in.")
    show_flash()
    store = core_calls.ledger()
    setup = setup_checklist(store)
    if not setup.dismissed:
        checklist(actor, setup)
    elif st.button("Show the setup checklist", icon=":material/checklist:"):
        set_checklist_dismissed(store, actor, dismissed=False)
        st.rerun()
    if core_calls.has_demo_data():
        _demo_banner(actor)
    rows = list_businesses(store)
    _table(rows)
    _add_form(actor)
    own = [b for b in rows if not b.is_demo]
    if not own:
        return
    st.subheader("Change a business", divider="gray")
    by_id = {b.id: b for b in own}
    chosen = by_id[
        st.selectbox("Business", list(by_id), format_func=lambda i: by_id[i].name, key="biz_pick")
    ]
    rename_tab, archive_tab, accounts_tab = st.tabs(["Rename", "Archive", "Chart of accounts"])
    with rename_tab:
        _rename_form(actor, chosen)
    with archive_tab:
        _archive(actor, chosen)
    with accounts_tab:
        _accounts(actor, chosen)
