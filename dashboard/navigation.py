"""The pages that exist, and which of them a user's role may open."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.auth.roles import may_open


@dataclass(frozen=True)
class PageDef:
    """A built page: url path (CONTRACT section 5), script, title, icon."""

    url: str
    script: str
    title: str
    icon: str


# Only built pages are listed; a page joins this list when it is done.
PAGES = [
    PageDef("ceo", "views/ceo.py", "CEO", ":material/insights:"),
    PageDef("cfo", "views/cfo.py", "CFO", ":material/account_balance:"),
    PageDef("accounting", "views/accounting.py", "Accounting", ":material/menu_book:"),
    PageDef("cmo", "views/cmo.py", "CMO", ":material/campaign:"),
    PageDef("cto", "views/cto.py", "CTO", ":material/memory:"),
    PageDef("rental", "views/rental.py", "Rental", ":material/home_work:"),
    PageDef("yacht-delivery", "views/yacht_delivery.py", "Yacht delivery", ":material/anchor:"),
    PageDef("client-billing", "views/client_billing.py", "Client billing", ":material/receipt:"),
    PageDef("operations", "views/operations.py", "Operations", ":material/sailing:"),
    PageDef("reports", "views/reports.py", "Reports", ":material/mail:"),
    PageDef("data", "views/data.py", "Data", ":material/database:"),
]


def no_pages() -> None:
    """Shown to a role that has no built page yet."""
    st.title("Nothing to show yet")
    st.info("Your role has no dashboard page yet. Ask the owner for access to another page.")


def pages_for(user: UserScope) -> list[st.Page]:
    """The st.Page objects the user's role may open."""
    pages = [
        st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url)
        for p in PAGES
        if may_open(user.role, p.url)
    ]
    return pages or [st.Page(no_pages, title="Welcome", url_path="welcome")]


def sign_in_pages() -> list[st.Page]:
    """The sign-in form under every page URL, so a deep link survives signing in."""
    from dashboard.auth import sign_in_page

    home = st.Page(sign_in_page, title="Sign in", url_path="sign-in", default=True)
    return [home] + [st.Page(sign_in_page, title="Sign in", url_path=p.url) for p in PAGES]
