"""The CEO's shortfall of months past due for closing (``core.close.past_due``), as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from core.close.past_due import CLOSE_BY_DAY, months_past_due
from core.ledger.store import LedgerStore
from core.periods import month_label
from core.reports.model import Column, Finding, Table


def close_past_due_items(
    store: LedgerStore, entity_ids: Sequence[str], names: Mapping[str, str], today: date
) -> list[Table | Finding]:
    """The CEO's shortfall table of months past due for closing (nothing when all are closed)."""
    late = months_past_due(store, entity_ids, today)
    if not late:
        return []
    rows = [
        {
            "entity": names.get(p.entity_id, p.entity_id),
            "due": month_label(p.due_month),
            "locked_through": month_label(p.locked_through) if p.locked_through else "never",
            "months_open": p.months,
        }
        for p in late
    ]
    return [
        Table(
            id="close_past_due",
            title=f"Months past due for closing (locked by the {CLOSE_BY_DAY}th of the next month)",
            columns=[
                Column("entity", "Entity"),
                Column("due", "Should be locked through"),
                Column("locked_through", "Locked through"),
                Column("months_open", "Months past due", "count"),
            ],
            rows=rows,
        )
    ]
