"""The dashboard's only door to the core, and the only place with Streamlit caches."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.config import get_settings
from core.ledger.store import LedgerStore, ledger_revision, open_ledger
from core.periods import month_add, month_of
from core.reports.model import Report
from core.reports.registry import build_report
from core.reports.scope import resolve_scope


@st.cache_resource
def ledger() -> LedgerStore:
    """The process-wide ledger store."""
    return open_ledger(get_settings().ledger_url)


@st.cache_data(ttl=30, show_spinner=False)
def _report(
    name: str, entity: str, period: int, allowed: tuple[str, ...] | None, revision: tuple[int, int]
) -> Report:
    store = ledger()
    scope = resolve_scope(store, entity=entity, period=period, allowed=allowed)
    return build_report(name, store, scope, tz=get_settings().tz)


def report(name: str, *, entity: str, period: int, allowed: frozenset[str] | None) -> Report:
    """Build (or reuse) a report; scope is checked in the core against ``allowed``."""
    allowed_key = None if allowed is None else tuple(sorted(allowed))
    return _report(name, entity, period, allowed_key, ledger_revision(ledger()))


def entities(allowed: frozenset[str] | None) -> list[tuple[str, str]]:
    """(id, name) of the entities the user may see."""
    return [(e.id, e.name) for e in ledger().list_entities() if allowed is None or e.id in allowed]


def has_demo_data() -> bool:
    """True while the ledger holds the demo portfolio."""
    return ledger().has_demo_data()


def months_available(count: int = 36) -> list[int]:
    """Recent months, newest first, ending with the current month."""
    current = month_of(datetime.now(get_settings().tz).date())
    return [month_add(current, -i) for i in range(count)]


def current_month() -> int:
    """This month in the portfolio time zone."""
    return month_of(datetime.now(get_settings().tz).date())
