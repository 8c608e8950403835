"""Business records (rental, yacht delivery, client billing) that post to the ledger.

Each row belongs to one entity (``entity_id``) so ``LedgerStore.delete_entities`` removes it
generically. Money is integer cents. A record that posted a journal entry carries that entry's
``fingerprint`` (``journal_entries.fingerprint``), so a test or an auditor can match the two.
Ids are strings prefixed with the entity id (``51st-St:L3``): stable across re-seeds and free of
clashes between entities. Dates of things that have not happened yet are null.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

# -- 3028 51st St rental ----------------------------------------------------------------------


class RentalProperty(SQLModel, table=True):
    """A property with the valuation its cap rate is stated against."""

    __tablename__ = "audit_rental_properties"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    valuation_cents: int
    valuation_date: dt.date


class RentalUnit(SQLModel, table=True):
    """A lettable unit of a property."""

    __tablename__ = "audit_rental_units"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    property_id: str = Field(foreign_key="audit_rental_properties.id")
    name: str
    bedrooms: int
    market_rent_cents: int


class Lease(SQLModel, table=True):
    """A tenant's lease of one unit from ``start`` to ``end`` inclusive."""

    __tablename__ = "audit_leases"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    unit_id: str = Field(foreign_key="audit_rental_units.id", index=True)
    tenant: str
    start: dt.date
    end: dt.date
    rent_cents: int
    renewal_of: str | None = None  # the lease this one renews (same tenant)


class RentCharge(SQLModel, table=True):
    """Rent due for one lease and month (prorated for partial months).

    Posts Dr Assets:AccountsReceivable / Cr Income:Rent on ``due_date``."""

    __tablename__ = "audit_rent_charges"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    lease_id: str = Field(foreign_key="audit_leases.id", index=True)
    unit_id: str = Field(foreign_key="audit_rental_units.id")
    month: int = Field(index=True)
    due_date: dt.date
    amount_cents: int
    fingerprint: str


class RentPayment(SQLModel, table=True):
    """A tenant's payment of a charge. Posts Dr Assets:Bank:Checking / Cr AccountsReceivable."""

    __tablename__ = "audit_rent_payments"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    charge_id: str = Field(foreign_key="audit_rent_charges.id", index=True)
    paid_on: dt.date
    amount_cents: int
    fingerprint: str


class MaintenanceTicket(SQLModel, table=True):
    """A repair request; its cost posts Dr Expenses:Repairs / Cr Bank when it is closed."""

    __tablename__ = "audit_maintenance_tickets"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    unit_id: str = Field(foreign_key="audit_rental_units.id")
    category: str
    description: str
    opened_on: dt.date
    closed_on: dt.date | None = None
    cost_cents: int = 0
    fingerprint: str | None = None  # null while open or when it cost nothing


# -- Expert Yacht Delivery --------------------------------------------------------------------

DELIVERY_STAGES = ("lead", "quoted", "booked", "underway", "delivered", "invoiced", "paid")


class DeliveryJob(SQLModel, table=True):
    """One delivery from lead to payment; ``stage`` is where it stood when last written.

    Posts, when they happen: costs on ``delivered_on`` (Dr Expenses:CrewFees/Fuel/Travel, Cr
    Bank), the invoice on ``invoiced_on`` (Dr Assets:AccountsReceivable / Cr Income:Deliveries)
    and the payment on ``paid_on`` (Dr Bank / Cr AccountsReceivable)."""

    __tablename__ = "audit_delivery_jobs"
    __table_args__ = (
        # the totals of the deliveries in a date window read from the index alone
        Index(
            "ix_audit_delivery_jobs_delivered",
            "entity_id",
            "delivered_on",
            "nautical_miles",
            "actual_days",
            "planned_days",
            "crew_cost_cents",
            "fuel_cost_cents",
            "travel_cost_cents",
            "quoted_cost_cents",
            "invoice_cents",
            "quote_cents",
        ),
        # the pipeline on a day: paid jobs counted from the index, the rest read by it
        Index("ix_audit_delivery_jobs_paid", "entity_id", "paid_on", "quote_cents"),
    )
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    vessel: str
    origin: str
    destination: str
    nautical_miles: int
    stage: str
    lead_on: dt.date
    quoted_on: dt.date | None = None
    booked_on: dt.date | None = None
    planned_start: dt.date
    planned_days: int
    started_on: dt.date | None = None
    delivered_on: dt.date | None = None
    actual_days: int | None = None
    delay_reason: str | None = None
    quote_cents: int = 0  # the price quoted to the owner
    quoted_cost_cents: int = 0  # the cost estimate behind the quote
    crew_cost_cents: int = 0
    fuel_cost_cents: int = 0
    travel_cost_cents: int = 0
    invoice_cents: int = 0
    invoiced_on: dt.date | None = None
    due_on: dt.date | None = None
    paid_on: dt.date | None = None
    cost_fingerprint: str | None = None
    invoice_fingerprint: str | None = None
    payment_fingerprint: str | None = None


# -- DangerousCentaur client billing ----------------------------------------------------------


class Client(SQLModel, table=True):
    """A client billed on a retainer or by the hour; ``terms_days`` sets invoice due dates."""

    __tablename__ = "audit_clients"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    terms_days: int = 30


class Retainer(SQLModel, table=True):
    """A monthly retainer, invoiced on the first of each month (Income:Consulting)."""

    __tablename__ = "audit_retainers"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    client_id: str = Field(foreign_key="audit_clients.id", index=True)
    monthly_cents: int
    hours_included: int
    start: dt.date
    end: dt.date | None = None


class Project(SQLModel, table=True):
    """An hourly project, invoiced monthly in arrears (Income:Projects)."""

    __tablename__ = "audit_projects"
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    client_id: str = Field(foreign_key="audit_clients.id", index=True)
    name: str
    rate_cents: int  # per hour
    start: dt.date
    end: dt.date


class TimeEntry(SQLModel, table=True):
    """Hours worked for a client, on a project (billable by the hour) or under a retainer."""

    __tablename__ = "audit_time_entries"
    __table_args__ = (
        # per-day totals of a date window read from the index alone
        Index(
            "ix_audit_time_entries_window", "entity_id", "day", "client_id", "minutes", "rate_cents"
        ),
        # unbilled time: entries without an invoice or on invoices issued after a date
        Index(
            "ix_audit_time_entries_invoice",
            "entity_id",
            "invoice_id",
            "day",
            "rate_cents",
            "minutes",
        ),
    )
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    client_id: str = Field(foreign_key="audit_clients.id", index=True)
    project_id: str | None = Field(default=None, foreign_key="audit_projects.id")
    retainer_id: str | None = Field(default=None, foreign_key="audit_retainers.id")
    day: dt.date = Field(index=True)
    minutes: int
    rate_cents: int = 0  # 0 for retainer work (paid by the retainer fee)
    invoice_id: str | None = None  # set once the hours are on an issued invoice


class Invoice(SQLModel, table=True):
    """An issued invoice. Posts Dr Assets:AccountsReceivable / Cr ``income_account``."""

    __tablename__ = "audit_invoices"
    # invoiced totals of a date window read from the index alone
    __table_args__ = (
        Index(
            "ix_audit_invoices_window",
            "entity_id",
            "issued_on",
            "client_id",
            "kind",
            "amount_cents",
        ),
    )
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    client_id: str = Field(foreign_key="audit_clients.id", index=True)
    number: str
    kind: str  # retainer | project
    income_account: str
    issued_on: dt.date = Field(index=True)
    due_on: dt.date
    amount_cents: int
    fingerprint: str


class InvoicePayment(SQLModel, table=True):
    """Money received against an invoice. Posts Dr Bank / Cr Assets:AccountsReceivable."""

    __tablename__ = "audit_invoice_payments"
    # what was paid on each invoice by a date, read from the index alone
    __table_args__ = (
        Index(
            "ix_audit_invoice_payments_paid", "entity_id", "invoice_id", "paid_on", "amount_cents"
        ),
    )
    id: str = Field(primary_key=True, max_length=96)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    invoice_id: str = Field(foreign_key="audit_invoices.id", index=True)
    paid_on: dt.date
    amount_cents: int
    fingerprint: str


class InvoiceSettlement(SQLModel, table=True):
    """When each invoice was settled: the day of its last payment once its payments sum to its
    amount, null while they do not. Database triggers keep one row per invoice
    (``core.ledger.settlements``), so the invoices open on a day are found without summing
    every invoice's payments. Derived: never written by hand, not a record of its own."""

    __tablename__ = "audit_invoice_settlements"
    __table_args__ = (
        # the invoices open on given days, read from the index alone
        Index(
            "ix_audit_invoice_settlements_open",
            "entity_id",
            "settled_on",
            "issued_on",
            "invoice_id",
        ),
    )
    invoice_id: str = Field(primary_key=True, max_length=96)
    entity_id: str
    issued_on: dt.date
    settled_on: dt.date | None = None


# dependents after what they reference: the order records are inserted in
INSERT_ORDER: tuple[type[SQLModel], ...] = (
    RentalProperty,
    RentalUnit,
    Lease,
    RentCharge,
    RentPayment,
    MaintenanceTicket,
    DeliveryJob,
    Client,
    Retainer,
    Project,
    Invoice,
    InvoicePayment,
    TimeEntry,
)

# indexes added after their tables first shipped: ``LedgerStore.create_all`` creates them on
# existing databases too (``create_all`` itself only indexes the tables it creates)
LATER_INDEXES: tuple[Index, ...] = tuple(
    ix
    for model in (DeliveryJob, TimeEntry, Invoice, InvoicePayment)
    for ix in model.__table__.indexes  # type: ignore[attr-defined]
    if ix.name
    in {
        "ix_audit_delivery_jobs_delivered",
        "ix_audit_delivery_jobs_paid",
        "ix_audit_time_entries_window",
        "ix_audit_time_entries_invoice",
        "ix_audit_invoices_window",
        "ix_audit_invoice_payments_paid",
    }
)
