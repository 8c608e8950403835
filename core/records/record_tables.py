"""Every record form by table name and family, for the Records page and CSV uploads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.auth.dashboard_users import UserScope
from core.errors import NotFound
from core.ledger.access import authorize_books
from core.ledger.store import LedgerStore
from core.records import billing_forms, delivery_forms, rental_forms
from core.records.forms import RecordForm, load_records_csv

FAMILIES = {
    "rental": "Rental",
    "delivery": "Yacht delivery",
    "billing": "Client billing",
}
FORMS: dict[str, RecordForm] = {
    form.table: form for form in (*rental_forms.FORMS, *delivery_forms.FORMS, *billing_forms.FORMS)
}


def form_for(table: str) -> RecordForm:
    """The form of ``table``; NotFound when there is none."""
    try:
        return FORMS[table]
    except KeyError:
        raise NotFound(f"no record table {table!r}") from None


def forms_of(family: str) -> list[RecordForm]:
    """The forms of one family (rental, delivery, billing), in the order records are entered."""
    return [f for f in FORMS.values() if f.family == family]


def load_table_csv(
    store: LedgerStore, actor: UserScope, table: str, *, entity_id: str, content: bytes
) -> int:
    """Add every row of a CSV file to ``table`` (all or nothing); how many were added."""
    return load_records_csv(store, actor, form_for(table), entity_id=entity_id, content=content)


def _label(form: RecordForm, row: Any) -> str:
    parts = []
    for column in form.label:
        value = getattr(row, column)
        if column.endswith("_cents"):
            value = f"${value / 100:,.2f}"
        elif column.endswith("_id") and isinstance(value, str):
            value = value.split(":", 1)[-1]
        parts.append(str(value))
    return " · ".join(parts)


def record_options(
    store: LedgerStore, actor: UserScope, table: str, *, entity_id: str, limit: int = 500
) -> list[tuple[str, str]]:
    """(id, label) of the newest records of ``table`` in ``entity_id`` (for a picker)."""
    form = form_for(table)
    authorize_books(actor.role, actor.entities, entity_id, doing="see records")
    return [
        (row.id, f"{row.id.split(':', 1)[-1]} · {_label(form, row)}")
        for row in _newest(store, form, entity_id, limit)
    ]


def recent_records(
    store: LedgerStore, actor: UserScope, table: str, *, entity_id: str, limit: int = 200
) -> list[dict[str, Any]]:
    """The newest records of ``table`` in ``entity_id`` as column -> value (for a table)."""
    form = form_for(table)
    authorize_books(actor.role, actor.entities, entity_id, doing="see records")
    return [dict(row._mapping) for row in _newest(store, form, entity_id, limit)]


def _newest(store: LedgerStore, form: RecordForm, entity_id: str, limit: int) -> list[Any]:
    table = form.model.__table__  # type: ignore[attr-defined]
    # ids end in a running number: the longest, then the greatest, is the newest
    query = (
        select(table)
        .where(table.c.entity_id == entity_id)
        .order_by(func.length(table.c.id).desc(), table.c.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return list(conn.execute(query))
