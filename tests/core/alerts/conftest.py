"""Alert fixtures: a hand ledger of one business whose cash the tests move, and a recorder."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.alerts.rules import add_rule
from core.auth.dashboard_users import OPERATOR, UserScope
from core.config import Settings
from core.delivery.message import Outgoing
from core.ledger.models_alerts import AlertRule
from core.ledger.store import LedgerStore
from tests.conftest import BANK, entry

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wed 25 Nov, 10:00 in Los Angeles
TOMORROW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
ACME = "Acme"


class Recorder:
    """A sender keeping what it was given (thread-safe; ``delay`` widens races)."""

    name = "recorder"

    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[Outgoing] = []
        self.delay = delay
        self._lock = threading.Lock()

    def send(self, msg: Outgoing) -> list[str]:
        time.sleep(self.delay)
        with self._lock:
            self.sent.append(msg)
            return [f"m{len(self.sent)}"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with an outbox in the temp dir (Los Angeles time, the default)."""
    return Settings.from_env({"EXEC_DATA_DIR": str(tmp_path)})


def acme_ledger(store: LedgerStore) -> LedgerStore:
    """Acme with $1,000 in the bank on 2 Nov and a second business that never moves."""
    store.add_entity(id=ACME, name="Acme <Boats> & Co")
    store.add_entity(id="Other", name="Other Co")
    move_cash(store, 1000, day=date(2026, 11, 2))
    store.post([entry("Other", date(2026, 11, 2), "seed", (BANK, 50), ("Equity:Owner", -50))])
    return store


@pytest.fixture
def hand(store: LedgerStore) -> LedgerStore:
    """The hand ledger on SQLite."""
    return acme_ledger(store)


def move_cash(store: LedgerStore, dollars: float, *, day: date = date(2026, 11, 10)) -> None:
    """Put money in (positive) or take it out of Acme's bank account."""
    other = "Income:Charters" if dollars > 0 else "Expenses:Fuel"
    store.post(
        [entry(ACME, day, f"move {dollars}", (BANK, dollars), (other, -dollars))],
    )


def rule(
    store: LedgerStore,
    settings: Settings,
    kpi: str = "cfo.cash",
    *,
    condition: str = "below",
    threshold: float | None = 500,
    entity: str = ACME,
    every: bool = False,
    to: str = "boss@example.com",
    actor: UserScope = OPERATOR,
) -> AlertRule:
    """Add a rule on behalf of ``actor`` (the operator by default)."""
    return add_rule(
        store,
        kpi=kpi,
        entity=entity,
        condition=condition,
        threshold=threshold,
        to=[to],
        every=every,
        actor=actor,
        settings=settings,
        now=NOW,
    )


# the SES fixture of the delivery tests: a clean moto with a verified sender
from tests.core.delivery.conftest import SENDER, sent_raw, ses  # noqa: E402, F401
