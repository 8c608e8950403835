"""What an anomaly is, its stable id, and the thresholds that decide one (documented defaults)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.ledger.merchant import merchant_name

KINDS = {
    "large_charge": "Large charge",
    "duplicate": "Likely duplicate",
    "new_counterparty": "First-time counterparty",
    "cloud_spike": "Cloud cost jump",
}


@dataclass(frozen=True)
class Thresholds:
    """When a charge is odd enough to show (defaults in docs/close.md, "Anomalies")."""

    large_ratio: float = 3.0  # a charge over 3x the median of its counterparty and account...
    large_months: int = 6  # ...over the 6 months before its month
    large_min_history: int = 3  # a median of fewer charges says little
    duplicate_days: int = 3  # same amount and counterparty within 3 days...
    duplicate_busy: int = 5  # ...unless paid 5+ times a month (every ~6 days: per-job payments)
    first_time_min_cents: int = 500_00  # ANOMALY_FIRST_TIME_MIN (dollars) in the settings
    first_time_months: int = 12  # not paid in the 12 months before...
    first_time_books_months: int = 3  # ...by books at least 3 months older than the charge
    cloud_ratio: float = 2.0  # a day's cost over 2x the median of...
    cloud_days: int = 14  # ...the 14 days before it...
    cloud_min_days: int = 7  # ...when at least 7 of them were billed (a daily-billed service)
    cloud_accounts: tuple[str, ...] = ("Expenses:Hosting", "Expenses:Cloud")


@dataclass(frozen=True)
class Anomaly:
    """One odd charge (or group of charges) with the ledger entries behind it."""

    id: str
    kind: str  # one of KINDS
    entity_id: str
    day: date  # the (latest) charge's date
    counterparty: str
    account: str
    cents: int  # the charge (a day's cost for cloud_spike), positive
    message: str
    entry_ids: tuple[int, ...]
    baseline_cents: int | None = None  # the median it is compared with, if any
    status: str = "open"  # "open" or "expected" (marked by the owner)
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        """The kind as a person reads it."""
        return KINDS[self.kind]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (CLI, `close status`)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "entity": self.entity_id,
            "date": self.day.isoformat(),
            "counterparty": self.counterparty,
            "account": self.account,
            "amount": self.cents / 100,
            "baseline": None if self.baseline_cents is None else self.baseline_cents / 100,
            "message": self.message,
            "entry_ids": list(self.entry_ids),
            "status": self.status,
        }


def anomaly_id(kind: str, entity_id: str, parts: Iterable[object]) -> str:
    """A stable id: the kind and entity with what identifies the charge (entry ids, a day)."""
    key = "|".join([kind, entity_id, *(str(p) for p in parts)])
    return f"{kind[:3]}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def counterparty_name(description: str, counterparty: str | None) -> str:
    """Who was paid: the entry's counterparty, else the merchant in its description."""
    if counterparty and counterparty.strip():
        return counterparty.strip()
    return merchant_name(description)


def money(cents: int) -> str:
    """``$1,234.56``."""
    return f"${cents / 100:,.2f}"
