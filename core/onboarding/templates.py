"""Charts of accounts a new business starts from, one per kind of business.

The paths are the ones the reports read (``core.ledger.accounts``, ``core.metrics``) and the
demo posts to, so a business's own books land where the CFO, rental, delivery and billing
pages look. Each account is (path, cost behavior): expenses are ``fixed`` or ``variable``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.errors import Invalid
from core.ledger.accounts import BANK, RECEIVABLE
from core.ledger.models import COST_BEHAVIORS, Account
from core.ledger.store import account_root, upsert_insert

# kind stored on the entity -> what the owner reads; the ids are the demo's kinds, so a
# business added here is treated like its demo counterpart (marketing channels, reports)
KINDS: dict[str, str] = {
    "sailing-charters": "Charter",
    "yacht-delivery": "Delivery",
    "junk-removal": "Junk removal",
    "software-consultancy": "Consulting",
    "rental-property": "Rental",
}

FIXED, VARIABLE = "fixed", "variable"
TemplateAccount = tuple[str, str | None]

COMMON: tuple[TemplateAccount, ...] = (
    (BANK, None),
    (RECEIVABLE, None),
    ("Liabilities:CreditCard", None),
    ("Equity:OpeningBalance", None),
    ("Equity:OwnerContributions", None),
    ("Equity:OwnerDistributions", None),
    ("Income:Uncategorized", None),
    ("Expenses:Uncategorized", FIXED),
    ("Expenses:Insurance", FIXED),
    ("Expenses:Software", FIXED),
    ("Expenses:Marketing", FIXED),
    ("Expenses:Stripe Fees", VARIABLE),
)

BY_KIND: dict[str, tuple[TemplateAccount, ...]] = {
    "sailing-charters": (
        ("Income:Charters", None),
        ("Liabilities:DeferredRevenue", None),
        ("Expenses:CrewWages", VARIABLE),
        ("Expenses:Fuel", VARIABLE),
        ("Expenses:Commissions", VARIABLE),
        ("Expenses:Moorage", FIXED),
        ("Expenses:Maintenance", FIXED),
    ),
    "yacht-delivery": (
        ("Income:Deliveries", None),
        ("Liabilities:DeferredRevenue", None),
        ("Expenses:CrewFees", VARIABLE),
        ("Expenses:Fuel", VARIABLE),
        ("Expenses:Travel", VARIABLE),
    ),
    "junk-removal": (
        ("Income:JunkRemoval", None),
        ("Expenses:DumpFees", VARIABLE),
        ("Expenses:Fuel", VARIABLE),
        ("Expenses:Labor", VARIABLE),
        ("Expenses:TruckLease", FIXED),
    ),
    "software-consultancy": (
        ("Income:Consulting", None),
        ("Income:Projects", None),
        ("Expenses:Contractors", VARIABLE),
        ("Expenses:Hosting", FIXED),
        ("Expenses:Salaries", FIXED),
    ),
    "rental-property": (
        ("Income:Rent", None),
        ("Liabilities:SecurityDeposits", None),
        ("Expenses:MortgageInterest", FIXED),
        ("Expenses:PropertyTax", FIXED),
        ("Expenses:Utilities", FIXED),
        ("Expenses:Repairs", VARIABLE),
    ),
}


def kind_problem(kind: str) -> str | None:
    """Why ``kind`` is not a kind of business a template exists for (None when it is)."""
    if kind in KINDS:
        return None
    return "pick one of: " + ", ".join(KINDS.values())


def template_for(kind: str) -> tuple[TemplateAccount, ...]:
    """The accounts a new business of ``kind`` starts with (Invalid for an unknown kind)."""
    problem = kind_problem(kind)
    if problem:
        raise Invalid(f"unknown kind of business {kind!r}", fields={"kind": problem})
    return COMMON + BY_KIND[kind]


def insert_accounts(conn: Connection, entity_id: str, accounts: tuple[TemplateAccount, ...]) -> int:
    """Create the accounts the entity lacks, in the caller's transaction; how many were new."""
    rows: list[dict[str, Any]] = []
    for path, behavior in accounts:
        root = account_root(path)
        if behavior is not None and behavior not in COST_BEHAVIORS:
            raise Invalid(f"cost behavior of {path} must be fixed or variable")
        rows.append({"entity_id": entity_id, "path": path, "root": root, "cost_behavior": behavior})
    stmt = upsert_insert(conn.dialect.name)(Account).on_conflict_do_nothing(
        index_elements=["entity_id", "path"]
    )
    return sum(conn.execute(stmt, [row]).rowcount for row in rows)
