"""Dashboard roles and the pages each may open (CONTRACT section 5)."""

from __future__ import annotations

DASHBOARD_ROLES = ("owner", "ceo", "cfo", "cto", "cmo", "accountant")

# page url path -> roles that may open it; the owner sees everything
PAGE_ROLES: dict[str, frozenset[str]] = {
    "ceo": frozenset({"owner", "ceo"}),
    "cfo": frozenset({"owner", "ceo", "cfo", "accountant"}),
    "cto": frozenset({"owner", "ceo", "cto"}),
    "cmo": frozenset({"owner", "ceo", "cmo"}),
    "forecast": frozenset({"owner", "ceo", "cfo"}),
    "accounting": frozenset({"owner", "cfo", "accountant"}),
    "rental": frozenset({"owner", "ceo", "cfo", "accountant"}),
    "yacht-delivery": frozenset({"owner", "ceo", "cfo", "accountant"}),
    "client-billing": frozenset({"owner", "ceo", "cfo", "accountant"}),
    "operations": frozenset({"owner", "ceo"}),
    "reports": frozenset({"owner", "ceo", "cfo"}),
    "alerts": frozenset({"owner", "ceo", "cfo"}),
    "data": frozenset({"owner", "cfo", "accountant"}),
    "records": frozenset({"owner", "cfo", "accountant"}),
    "close": frozenset({"owner", "cfo", "accountant"}),
    "users": frozenset({"owner"}),
    "businesses": frozenset({"owner"}),
}


def may_open(role: str, page: str) -> bool:
    """True when ``role`` may open the page at url path ``page``."""
    return role in PAGE_ROLES.get(page, frozenset())
