"""A payment of something owed (a rent charge, an invoice): checked and posted the same way.

It may not be more than is still owed (counting payments earlier in the same upload), nor
dated before the charge was due or the invoice issued; it posts Dr Assets:Bank:Checking / Cr
Assets:AccountsReceivable on the day paid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import SQLModel

from core.ledger.accounts import BANK, RECEIVABLE
from core.records.form_fields import FormField
from core.records.forms import Built, Draft, RecordForm


def within_owed(d: Draft, model: Any, parent: Any, key: str, amount: int) -> bool:
    """Whether ``amount`` fits what is still owed on ``parent`` (noting it for the batch)."""
    column = getattr(model, key)
    paid = d.conn.scalar(
        select(func.coalesce(func.sum(model.amount_cents), 0)).where(column == parent.id)
    )
    paid = int(paid or 0) + d.batch.applied.get(parent.id, 0)
    owed = parent.amount_cents - paid
    if amount > owed:
        d.fail("amount", f"is more than the ${owed / 100:,.2f} still owed")
        return False
    d.batch.applied[parent.id] = d.batch.applied.get(parent.id, 0) + amount
    return True


def receipt(
    d: Draft,
    *,
    key: str,
    owed_model: type[SQLModel],
    payment_model: type[SQLModel],
    since: str,
    since_text: str,
    text: str,
) -> Built | None:
    """A payment of the record field ``key`` points at; None with the problems noted.

    ``since`` is the owed record's date column a payment cannot precede (``since_text`` says
    what it is); ``text`` is the entry's description (``{owed}`` is the owed record)."""
    v = d.values
    owed = d.ref(key, owed_model)
    if v["amount"] <= 0:
        d.fail("amount", "must be more than zero")
    if owed is None or d.problems:
        return None
    if v["paid_on"] < getattr(owed, since):
        d.fail("paid_on", f"is before {since_text} ({getattr(owed, since)})")
        return None
    if not within_owed(d, payment_model, owed, key, v["amount"]):
        return None
    lines = [(BANK, v["amount"]), (RECEIVABLE, -v["amount"])]
    entry = d.entry("paid_on", text.format(owed=owed), lines, "payment")
    row = {
        key: owed.id,
        "paid_on": v["paid_on"],
        "amount_cents": v["amount"],
        "fingerprint": entry.fingerprint,
    }
    return Built(row, [("paid_on", entry)])


def receipt_form(
    table: str,
    title: str,
    family: str,
    model: type[SQLModel],
    id_prefix: str,
    *,
    key: str,
    key_label: str,
    owed_table: str,
    build: Callable[[Draft], Built | None],
) -> RecordForm:
    """The form of a payment: what it pays (``key``), the day paid and the amount."""
    fields = (
        FormField(key, key_label, ref=owed_table),
        FormField("paid_on", "Paid on", "date"),
        FormField("amount", "Amount ($)", "money"),
    )
    return RecordForm(
        table, title, family, model, id_prefix, fields, build,
        posts="Dr Assets:Bank:Checking / Cr Assets:AccountsReceivable on the day paid",
        label=("paid_on", "amount_cents"),
    )  # fmt: skip
