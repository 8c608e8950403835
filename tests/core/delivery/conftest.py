"""Delivery fixtures: a seeded ledger and a moto server for SES (it has no local server)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.demo import seed_demo
from core.ledger.store import LedgerStore
from tests.conftest import aws

SENDER = "reports@example.com"


@pytest.fixture
def ses(moto_endpoint: str) -> Iterator[Any]:
    """A sesv2 client on a clean moto with a verified sender."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"))
    aws("ses", moto_endpoint).verify_email_identity(EmailAddress=SENDER)
    yield aws("sesv2", moto_endpoint)


def sent_raw(endpoint: str) -> list[dict[str, Any]]:
    """Raw messages moto accepted (read back from its data endpoint)."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json") as r:
        return json.load(r)["ses"]["RawMessage"]


@pytest.fixture
def ledger(store: LedgerStore) -> LedgerStore:
    """The demo ledger over 14 months."""
    seed_demo(store, months=14, today=date(2026, 11, 24))
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with an outbox in the temp dir and an audit BCC."""
    return Settings.from_env({"EXEC_DATA_DIR": str(tmp_path), "REPORT_BCC": "audit@example.com"})
