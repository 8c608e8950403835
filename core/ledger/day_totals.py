"""The triggers that keep the per-day totals (``audit_time_days``, ``audit_delivered_days``)
equal to their records on every write, whoever writes: the demo, the CLI, an import's undo,
a record form or plain SQL. Each insert adds its row's values to its day, each delete
subtracts them (a day with nothing left goes), an update does both: additive changes, so
concurrent writers on PostgreSQL serialize on the day's row instead of overwriting each
other's totals. SQLite and PostgreSQL share the statements; each wraps them its own way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, inspect, text


@dataclass(frozen=True)
class DayTotals:
    """A per-day rollup: its table, the source table and day column, and each total's SQL over
    one source row (``{r}`` stands for the row: NEW, OLD or a table alias)."""

    table: str
    source: str
    day: str
    totals: tuple[tuple[str, str], ...]  # (column, expression); the first counts the rows

    def _add(self, r: str) -> str:
        cols = ", ".join(c for c, _ in self.totals)
        values = ", ".join(e.format(r=r) for _, e in self.totals)
        sums = ", ".join(f"{c} = {self.table}.{c} + excluded.{c}" for c, _ in self.totals)
        return (
            f"INSERT INTO {self.table} (entity_id, day, {cols}) "
            f"SELECT {r}.entity_id, {r}.{self.day}, {values} WHERE {r}.{self.day} IS NOT NULL "
            f"ON CONFLICT (entity_id, day) DO UPDATE SET {sums};"
        )

    def _subtract(self, r: str) -> str:
        key = f"entity_id = {r}.entity_id AND day = {r}.{self.day}"
        minus = ", ".join(f"{c} = {c} - ({e.format(r=r)})" for c, e in self.totals)
        return (
            f"UPDATE {self.table} SET {minus} WHERE {key}; "
            f"DELETE FROM {self.table} WHERE {key} AND {self.totals[0][0]} = 0;"
        )

    def events(self) -> tuple[tuple[str, str], ...]:
        """(event, statements) for the source table's row triggers."""
        return (
            ("INSERT", self._add("NEW")),
            ("UPDATE", self._subtract("OLD") + " " + self._add("NEW")),
            ("DELETE", self._subtract("OLD")),
        )

    def trigger(self, event: str) -> str:
        """The name of the trigger of one event."""
        return f"trg_{self.source}_{event.lower()}_{self.table}"

    def fill(self) -> str:
        """Totals of every day from the rows already there (a database made before the table)."""
        cols = ", ".join(c for c, _ in self.totals)
        sums = ", ".join(f"SUM({e.format(r='r')})" for _, e in self.totals)
        return (
            f"INSERT INTO {self.table} (entity_id, day, {cols}) "
            f"SELECT r.entity_id, r.{self.day}, {sums} FROM {self.source} r "
            f"WHERE r.{self.day} IS NOT NULL GROUP BY r.entity_id, r.{self.day}"
        )


# an entry's value: minutes * rate // 60 rounded down as Python does (SQL division truncates
# toward zero; the remainder is made non-negative first), as ``billing_queries._worth``
_WORTH = "({r}.minutes * {r}.rate_cents - (({r}.minutes * {r}.rate_cents) % 60 + 60) % 60) / 60"

TIME_DAYS = DayTotals(
    table="audit_time_days",
    source="audit_time_entries",
    day="day",
    totals=(("entries", "1"), ("minutes", "{r}.minutes"), ("value_cents", _WORTH)),
)
DELIVERED_DAYS = DayTotals(
    table="audit_delivered_days",
    source="audit_delivery_jobs",
    day="delivered_on",
    totals=(
        ("jobs", "1"),
        ("nautical_miles", "{r}.nautical_miles"),
        ("days", "COALESCE({r}.actual_days, 0)"),
        ("crew_cost_cents", "{r}.crew_cost_cents"),
        ("quoted_cost_cents", "{r}.quoted_cost_cents"),
        (
            "actual_cost_cents",
            "{r}.crew_cost_cents + {r}.fuel_cost_cents + {r}.travel_cost_cents",
        ),
        (
            "price_cents",
            "CASE WHEN {r}.invoice_cents != 0 THEN {r}.invoice_cents ELSE {r}.quote_cents END",
        ),
        (
            "on_time",
            "CASE WHEN {r}.actual_days IS NOT NULL AND {r}.actual_days <= {r}.planned_days "
            "THEN 1 ELSE 0 END",
        ),
    ),
)
ROLLUPS = (TIME_DAYS, DELIVERED_DAYS)
TRIGGERS = tuple(
    (rollup.trigger(event), rollup.source) for rollup in ROLLUPS for event, _ in rollup.events()
)


def _sqlite_statements(rollup: DayTotals) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {rollup.trigger(event)} AFTER {event} ON {rollup.source} "
        f"BEGIN {statements} END"
        for event, statements in rollup.events()
    ]


def _postgres_statements(rollup: DayTotals) -> list[str]:
    out = []
    for event, statements in rollup.events():
        name = rollup.trigger(event)
        out += [
            f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {statements} RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {rollup.source} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
        ]
    return out


def missing_tables(conn: Connection) -> set[str]:
    """The rollup tables this database does not have yet (call before creating tables)."""
    inspector = inspect(conn)
    return {r.table for r in ROLLUPS if not inspector.has_table(r.table)}


def install_day_totals(conn: Connection, *, fill: set[str]) -> None:
    """Create the triggers (safe to run again), then fill the tables named in ``fill`` (just
    created on a database that has records already) from the rows there."""
    if conn.engine.dialect.name == "postgresql":
        # replacing them locks the tables: only when one is missing (a store opens often)
        names = [name for name, _ in TRIGGERS]
        have = conn.scalar(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = ANY(:names)"), {"names": names}
        )
        make = _postgres_statements if have != len(names) else lambda _rollup: []
    else:
        make = _sqlite_statements
    # the driver's own SQL: psycopg reads % as a placeholder unless doubled
    percent = "%%" if conn.engine.dialect.name == "postgresql" else "%"
    for rollup in ROLLUPS:
        for statement in make(rollup):
            conn.exec_driver_sql(statement.replace("%", percent))
        if rollup.table in fill:
            conn.execute(text(rollup.fill()))
