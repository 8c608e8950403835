"""Every record form by table name and family, for the Records page and CSV uploads."""

from __future__ import annotations

from core.auth.dashboard_users import UserScope
from core.errors import NotFound
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
