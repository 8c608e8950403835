"""The pages that exist, and the st.navigation lists built from them.

Every list registers every page URL, signed in or not, so that any URL a user types, bookmarks
or follows from an email resolves to its own page. Why this matters (Streamlit 1.67):

- A URL is looked up by page *name* only on a tab's first run, against the pages of the list
  given to ``st.navigation`` in that run; a name that is not in the list gets the "Page not
  found" dialog and the default page. Later runs carry the page's *hash*, which is derived from
  the ``url_path`` alone, so the same URL in the signed-out list (the sign-in form) and in the
  signed-in list (the page itself) is one page across a sign-in.
- The default page's URL is ``/``: its own ``url_path`` is never matched by name. A real page
  as the default made ``/ceo`` a "Page not found" over the CEO page. So the default here is a
  hidden ``home`` page that moves on to the user's first page.
- Pages outside the user's role are registered hidden and show the access message, instead of
  being missing (which fell back to another page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.auth.roles import may_open

HOME = "home"  # the url_path key of "/": the same in every list, so a sign-in at "/" stays there


@dataclass(frozen=True)
class PageDef:
    """A built page: url path (CONTRACT section 5), script, title, icon, and whether it is a
    report page (those use the sidebar's entity, month and comparison)."""

    url: str
    script: str
    title: str
    icon: str
    report: bool = True


# Every page of the dashboard (CONTRACT section 5); roles decide who sees each in the menu.
PAGES = [
    PageDef("ceo", "views/ceo.py", "CEO", ":material/insights:"),
    PageDef("cfo", "views/cfo.py", "CFO", ":material/account_balance:"),
    PageDef("forecast", "views/forecast.py", "Forecast", ":material/trending_up:"),
    PageDef("accounting", "views/accounting.py", "Accounting", ":material/menu_book:"),
    PageDef("cmo", "views/cmo.py", "CMO", ":material/campaign:"),
    PageDef("cto", "views/cto.py", "CTO", ":material/memory:"),
    PageDef("rental", "views/rental.py", "Rental", ":material/home_work:"),
    PageDef("yacht-delivery", "views/yacht_delivery.py", "Yacht delivery", ":material/anchor:"),
    PageDef("client-billing", "views/client_billing.py", "Client billing", ":material/receipt:"),
    PageDef("operations", "views/operations.py", "Operations", ":material/sailing:", False),
    PageDef("reports", "views/reports.py", "Reports", ":material/mail:", False),
    PageDef("alerts", "views/alerts.py", "Alerts", ":material/notifications:", False),
    PageDef("data", "views/data.py", "Data", ":material/database:", False),
    PageDef("records", "views/records.py", "Records", ":material/edit_note:", False),
    PageDef("close", "views/close.py", "Close", ":material/lock_clock:", False),
    PageDef("users", "views/users.py", "Users", ":material/group:", False),
    PageDef("businesses", "views/businesses.py", "Businesses", ":material/storefront:", False),
]
BY_URL = {p.url: p for p in PAGES}


def no_pages() -> None:
    """Shown to a role that has no built page yet."""
    st.title("Nothing to show yet")
    st.info("Your role has no dashboard page yet. Ask the owner for access to another page.")


def _home() -> None:
    """Never drawn: app.py moves "/" on to the user's first page before running a page."""


def _no_access() -> None:
    from dashboard.auth import access_denied

    access_denied()


@dataclass(frozen=True)
class Navigation:
    """The pages to give st.navigation, the home page ("/") and where home leads."""

    pages: list[st.Page]
    home: st.Page
    first: st.Page


NAV_KEY = "_navigation"  # this session's (role, Navigation): built once per role


def for_user(user: UserScope) -> Navigation:
    """Every page URL: the user's pages in the menu, the others hidden with the access message.

    Built once per session and role and kept in the session's state (a role change builds it
    anew): the pages depend on the role alone. Not shared between sessions: ``st.navigation``
    marks the page it returns as callable on the ``st.Page`` object itself.
    """
    held = st.session_state.get(NAV_KEY)
    if held is not None and held[0] == user.role:
        return held[1]
    built = _navigation(user.role)
    st.session_state[NAV_KEY] = (user.role, built)
    return built


def _navigation(role: str) -> Navigation:
    home = st.Page(_home, title="Home", url_path=HOME, default=True, visibility="hidden")
    pages = [home]
    for p in PAGES:
        if may_open(role, p.url):
            pages.append(st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url))
        else:
            pages.append(st.Page(_no_access, title=p.title, url_path=p.url, visibility="hidden"))
    visible = [p for p in pages[1:] if p.visibility == "visible"]
    if not visible:
        welcome = st.Page(no_pages, title="Welcome", url_path="welcome")
        pages.append(welcome)
        visible = [welcome]
    return Navigation(pages=pages, home=home, first=visible[0])


def every_url(page: Callable[[], None], title: str) -> list[st.Page]:
    """One page function (the sign-in form, the forced password change) under every URL, so
    that the URL asked for survives until the user may see it."""
    home = st.Page(page, title=title, url_path=HOME, default=True)
    return [home] + [st.Page(page, title=title, url_path=p.url) for p in PAGES]


def page_def(page: st.Page) -> PageDef | None:
    """The definition of a navigation page (None for home and the welcome page)."""
    return BY_URL.get(page.url_path)
