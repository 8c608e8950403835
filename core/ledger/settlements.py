"""The triggers that keep ``audit_invoice_settlements`` (one row per invoice: the day of its
last payment once its payments sum to its amount) correct on every write to invoices and
payments, whoever writes: the demo, the CLI, a test or plain SQL. SQLite and PostgreSQL each
get their own dialect.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

TABLE = "audit_invoice_settlements"

# the settlement row of the invoices matching ``{where}`` (an invoice paid in full on the day of
# its last payment; null while the payments do not sum to the amount)
_SETTLE = f"""
INSERT INTO {TABLE} (invoice_id, entity_id, issued_on, settled_on)
SELECT i.id, i.entity_id, i.issued_on,
       CASE WHEN i.amount_cents = COALESCE(SUM(p.amount_cents), 0) THEN MAX(p.paid_on) END
FROM audit_invoices i LEFT JOIN audit_invoice_payments p ON p.invoice_id = i.id
WHERE {{where}}
GROUP BY i.id, i.entity_id, i.issued_on, i.amount_cents
"""


def _refresh(invoice_id: str) -> str:
    """Statements that recompute the settlement of one invoice (gone if the invoice is)."""
    return (
        f"DELETE FROM {TABLE} WHERE invoice_id = {invoice_id}; "
        + _SETTLE.format(where=f"i.id = {invoice_id}").strip()
        + ";"
    )


# (table, event, the invoice ids whose settlement the event can change)
_EVENTS = (
    ("audit_invoices", "INSERT", ("NEW.id",)),
    ("audit_invoices", "UPDATE", ("OLD.id", "NEW.id")),
    ("audit_invoices", "DELETE", ("OLD.id",)),
    ("audit_invoice_payments", "INSERT", ("NEW.invoice_id",)),
    ("audit_invoice_payments", "UPDATE", ("OLD.invoice_id", "NEW.invoice_id")),
    ("audit_invoice_payments", "DELETE", ("OLD.invoice_id",)),
)


def _trigger_name(table: str, event: str) -> str:
    return f"trg_{table}_{event.lower()}_settle"


# (trigger name, table it is on)
TRIGGERS = tuple((_trigger_name(table, event), table) for table, event, _ in _EVENTS)


def _sqlite_statements() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, event)} AFTER {event} ON {table} "
        f"BEGIN {' '.join(_refresh(i) for i in ids)} END"
        for table, event, ids in _EVENTS
    ]


def _postgres_statements() -> list[str]:
    out = [
        "CREATE OR REPLACE FUNCTION audit_invoice_settle(inv varchar) RETURNS void "
        f"LANGUAGE sql AS $$ {_refresh('inv')} $$"
    ]
    for table, event, ids in _EVENTS:
        function = f"{_trigger_name(table, event)}_fn"
        calls = " ".join(f"PERFORM audit_invoice_settle({i});" for i in ids)
        out += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {calls} RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return out


def install_settlements(conn: Connection, *, fill: bool) -> None:
    """Create the triggers (safe to run again); with ``fill``, then settle every invoice that
    has no row yet (a database made before the table existed). The triggers come first: on
    PostgreSQL creating them locks out writes to both tables until the fill commits."""
    if conn.engine.dialect.name == "postgresql":
        # replacing them locks both tables: only when one is missing (a store opens often)
        names = [name for name, _ in TRIGGERS]
        have = conn.scalar(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = ANY(:names)"), {"names": names}
        )
        statements = _postgres_statements() if have != len(names) else []
    else:
        statements = _sqlite_statements()
    for statement in statements:
        conn.exec_driver_sql(statement)
    if fill:
        conn.execute(text(_SETTLE.format(where=f"i.id NOT IN (SELECT invoice_id FROM {TABLE})")))
