"""Adding business records from a form or a CSV file: validated, authorised, posted at once.

Every door (the Records page, a CSV upload, a test) calls ``add_record`` or ``load_records_csv``
with the signed-in user as the actor. The owner, the CFO and the accountant may add records,
each only within their entity scope (:mod:`core.ledger.access`). A record and the journal
entries it posts (rent due, an invoice, a payment...) are written in one transaction, like
the demo's: the entry's fingerprint is stored on the record (``records:<id>:<what>``).

A CSV upload is all or nothing: every row is checked first, and one bad row means nothing is
written and every problem is listed with its row number (the header is row 1).

The record families define their forms (:mod:`core.records.rental_forms`,
:mod:`core.records.delivery_forms`, :mod:`core.records.billing_forms`);
:mod:`core.records.record_tables` finds them by table name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlmodel import SQLModel

from core.auth.dashboard_users import UserScope
from core.errors import Invalid, NotFound
from core.ledger.access import authorize_books
from core.ledger.models import Entity
from core.ledger.period_locks import locked_months_problem
from core.ledger.revision import bump_revision
from core.ledger.store import LedgerStore, NewEntry
from core.periods import month_of
from core.records.form_fields import FormField, parse_fields

Adder = Callable[[LedgerStore, UserScope, str, Mapping[str, Any]], str]
MAX_CSV_ROWS = 20_000
DOING = "add records"


@dataclass
class Batch:
    """What the rows of one write share: ids taken, and amounts already applied per record
    (two payments of one invoice in one file must not pay it twice over)."""

    ids: set[str] = field(default_factory=set)
    applied: dict[str, int] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)


@dataclass
class Draft:
    """A record being checked: its id, the parsed values, and the problems found so far."""

    conn: Connection
    entity_id: str
    id: str
    values: dict[str, Any]
    problems: dict[str, str]
    batch: Batch

    def ref(self, name: str, model: type[SQLModel]) -> Any:
        """The record field ``name`` points at (in this entity), or None with a problem noted."""
        value = self.values.get(name)
        if value is None:
            return None
        table = model.__table__  # type: ignore[attr-defined]
        row = self.conn.execute(
            select(table).where(
                model.id == qualified(self.entity_id, value),  # type: ignore[attr-defined]
                model.entity_id == self.entity_id,  # type: ignore[attr-defined]
            )
        ).first()
        if row is None:
            self.problems.setdefault(name, f"no {value!r} in this business")
            return None
        return row  # a row of columns: attribute access by column name

    def fail(self, name: str, problem: str) -> None:
        """Note a problem with field ``name`` (the first one found stays)."""
        self.problems.setdefault(name, problem)

    def entry(
        self, when_field: str, text: str, lines: list[tuple[str, int]], what: str, **kw: Any
    ) -> NewEntry:
        """The journal entry this record posts, dated by field ``when_field``."""
        return NewEntry(
            entity_id=self.entity_id,
            date=self.values[when_field],
            description=text,
            lines=[(path, cents) for path, cents in lines if cents],
            source="records",
            fingerprint=f"records:{self.id}:{what}",
            **kw,
        )


@dataclass(frozen=True)
class Built:
    """A checked record: its columns (without id and entity) and the entries it posts, with
    the field whose date each entry takes (a locked period is reported there)."""

    row: dict[str, Any]
    entries: list[tuple[str, NewEntry]] = field(default_factory=list)


@dataclass(frozen=True)
class RecordForm:
    """One kind of record: its table name, title, model, fields and how a draft is built."""

    table: str
    title: str
    family: str
    model: type[SQLModel]
    id_prefix: str
    fields: tuple[FormField, ...]
    build: Callable[[Draft], Built | None]
    posts: str = ""  # what it posts, in words, for the page
    label: tuple[str, ...] = ("name",)  # the columns that name a record in a picker

    @property
    def plural(self) -> str:
        """The title of many (``Time entries``)."""
        return self.title[:-1] + "ies" if self.title.endswith("y") else self.title + "s"

    def template_header(self) -> str:
        """The CSV header line of this table (an optional ``id`` first)."""
        return ",".join(["id", *(f.name for f in self.fields)]) + "\n"


def qualified(entity_id: str, record_id: str) -> str:
    """A record id with its entity prefix (``L0003`` -> ``51st-St:L0003``)."""
    record_id = record_id.strip()
    prefix = f"{entity_id}:"
    return record_id if record_id.startswith(prefix) else prefix + record_id


def _exists(conn: Connection, model: type[SQLModel], record_id: str) -> bool:
    column = model.id  # type: ignore[attr-defined]
    return conn.scalar(select(func.count()).where(column == record_id)) > 0


def _new_id(conn: Connection, form: RecordForm, entity_id: str, batch: Batch) -> str:
    """The next free ``entity:<prefix><n>`` id."""
    column = form.model.entity_id  # type: ignore[attr-defined]
    n = int(conn.scalar(select(func.count()).where(column == entity_id)) or 0) + len(batch.ids)
    while True:
        n += 1
        candidate = f"{entity_id}:{form.id_prefix}{n:04d}"
        if candidate not in batch.ids and not _exists(conn, form.model, candidate):
            return candidate


def _draft(
    conn: Connection, form: RecordForm, entity_id: str, raw: Mapping[str, Any], batch: Batch
) -> tuple[str, Built | None, dict[str, str]]:
    """Check one record; its id, what to write (None when refused) and the problems."""
    values, problems = parse_fields(form.fields, raw)
    given = raw.get("id")
    if given is not None and str(given).strip():
        record_id = qualified(entity_id, str(given))
        if record_id in batch.ids or _exists(conn, form.model, record_id):
            problems["id"] = f"{record_id!r} already exists"
    else:
        record_id = _new_id(conn, form, entity_id, batch)
    draft = Draft(conn, entity_id, record_id, values, problems, batch)
    built = None
    if not problems:
        built = form.build(draft)
    if built is not None and not problems:
        for when, entry in built.entries:
            if problem := locked_months_problem(conn, entity_id, {month_of(entry.date)}):
                problems.setdefault(when, problem)
    if problems:
        return record_id, None, problems
    batch.ids.add(record_id)
    return record_id, built, problems


def _write(
    store: LedgerStore, form: RecordForm, entity_id: str, drafts: list[tuple[str, Built]]
) -> None:
    """Post every entry and insert every record in one transaction."""
    rows = [{"id": rid, "entity_id": entity_id, **b.row} for rid, b in drafts]
    entries = [entry for _, b in drafts for _, entry in b.entries]

    def insert_rows(conn: Connection) -> None:
        conn.execute(insert(form.model), rows)
        bump_revision(conn)  # records without an entry change the audit pages too

    store.post(entries, also=insert_rows)


def authorize_records(store: LedgerStore, actor: UserScope, entity_id: str) -> None:
    """Who may add or change records of ``entity_id`` (the books' rule), and that it exists."""
    authorize_books(actor.role, actor.entities, entity_id, doing=DOING)
    with store.engine.connect() as conn:
        if conn.scalar(select(func.count()).where(Entity.id == entity_id)) == 0:
            raise NotFound(f"no business {entity_id!r}")


def add_record(
    store: LedgerStore,
    actor: UserScope,
    form: RecordForm,
    *,
    entity_id: str,
    fields: Mapping[str, Any],
) -> str:
    """Add one record of ``form`` for ``actor`` and post its entries; the new record's id.

    Invalid with ``fields`` (field name -> reason) when a field is wrong; nothing is written.
    """
    authorize_records(store, actor, entity_id)
    with store.engine.connect() as conn:
        record_id, built, problems = _draft(conn, form, entity_id, fields, Batch())
    if built is None:
        raise Invalid(f"{form.title.lower()} not added", fields=problems)
    _write(store, form, entity_id, [(record_id, built)])
    return record_id


def adder(form: RecordForm) -> Adder:
    """The ``add_<record>(store, actor, entity_id, fields)`` function of one form."""

    def add(store: LedgerStore, actor: UserScope, entity_id: str, fields: Mapping[str, Any]) -> str:
        return add_record(store, actor, form, entity_id=entity_id, fields=fields)

    add.__doc__ = f"Add a {form.title.lower()} for ``actor`` and post its entries; its id."
    return add


def _csv_rows(form: RecordForm, content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the file is not UTF-8 text (save it as CSV UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    known = {"id", *(f.name for f in form.fields)}
    problems = [f"row 1: unknown column {h!r}" for h in header if h not in known]
    problems += [
        f"row 1: missing column {f.name!r}"
        for f in form.fields
        if f.required and f.name not in header
    ]
    if problems:
        raise Invalid(
            "the header does not match the template; nothing was written", problems=problems
        )
    rows = [{k.strip(): (v or "") for k, v in row.items() if k is not None} for row in reader]
    if not rows:
        raise Invalid("the file has no rows under its header; nothing was written")
    if len(rows) > MAX_CSV_ROWS:
        raise Invalid(f"at most {MAX_CSV_ROWS:,} rows per file; nothing was written")
    return rows


def load_records_csv(
    store: LedgerStore, actor: UserScope, form: RecordForm, *, entity_id: str, content: bytes
) -> int:
    """Add every row of a CSV file as records of ``form`` (all or nothing); how many were added.

    One bad row: nothing is written; Invalid lists every problem with its row number.
    """
    authorize_records(store, actor, entity_id)
    rows = _csv_rows(form, content)
    labels = {"id": "Id"} | {f.name: f.label for f in form.fields}  # in column order
    order = {name: i for i, name in enumerate(labels)}
    batch = Batch()
    drafts: list[tuple[str, Built]] = []
    problems: list[str] = []
    with store.engine.connect() as conn:
        for number, raw in enumerate(rows, start=2):
            record_id, built, found = _draft(conn, form, entity_id, raw, batch)
            for name in sorted(found, key=lambda n: order.get(n, len(order))):
                problems.append(f"row {number}: {labels.get(name, name)} {found[name]}")
            if built is not None:
                drafts.append((record_id, built))
    if problems:
        raise Invalid(
            f"{len(problems)} problem(s) in the file; nothing was written", problems=problems
        )
    _write(store, form, entity_id, drafts)
    return len(drafts)
