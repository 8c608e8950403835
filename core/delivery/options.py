"""A subscription's options: which files it attaches and whether an empty report is skipped."""

from __future__ import annotations

from dataclasses import dataclass

from core.ledger.models import SubscriptionOptions
from core.ledger.store import LedgerStore


@dataclass(frozen=True)
class Options:
    """``attach``: the kinds of file sent with each email; ``skip_if_empty``: send nothing
    (log ``skipped``) when no KPI has a value for the period."""

    attach: tuple[str, ...] = ()
    skip_if_empty: bool = False


def options_of(store: LedgerStore, sub_id: int) -> Options:
    """The subscription's options (the defaults when none were set)."""
    with store.session() as s:
        row = s.get(SubscriptionOptions, sub_id)
    if row is None:
        return Options()
    return Options(tuple(k for k in row.attach.split(",") if k), row.skip_if_empty)


def options_row(sub_id: int, options: Options) -> SubscriptionOptions:
    """The row to store with a new subscription."""
    return SubscriptionOptions(
        subscription_id=sub_id, attach=",".join(options.attach), skip_if_empty=options.skip_if_empty
    )
