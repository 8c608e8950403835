"""The ledger store: SQLModel tables over SQLite (default) or PostgreSQL.

Every write goes through :meth:`LedgerStore.post`, which validates first, then writes the
entries, their lines and the ``monthly_totals`` rollup in one transaction: all or nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, create_engine, delete, event, func, insert, inspect, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.schema import CreateIndex
from sqlmodel import Session, SQLModel

from core.errors import Conflict, Invalid, NotFound
from core.ledger import (
    models_assets,  # noqa: F401  (registers tables)
    models_entities,  # noqa: F401  (registers tables)
    models_marketing,  # noqa: F401  (registers tables)
    models_records,  # registers tables; create_all adds its later indexes
    models_sources,  # noqa: F401  (registers tables)
    models_tech,  # noqa: F401  (registers tables)
)
from core.ledger.amounts import amount_problem
from core.ledger.models import (
    COST_BEHAVIORS,
    ROOTS,
    Account,
    Entity,
    JournalEntry,
    JournalLine,
    LedgerMeta,
    MonthlyTotal,
    Target,
)
from core.periods import month_of
from core.private_files import private_sqlite

_ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 &/._'-]*$")
_CHUNK = 500


@dataclass(frozen=True)
class NewEntry:
    """An entry to post: ``lines`` are (account path, signed cents), debits positive."""

    entity_id: str
    date: date
    description: str
    lines: Sequence[tuple[str, int]]
    memo: str = ""
    source: str = "manual"
    fingerprint: str | None = None
    intercompany: bool = False
    counterparty: str | None = None
    cost_behaviors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PostResult:
    """What a posting wrote."""

    posted: int
    skipped: int
    lines: int


class TotalRow(NamedTuple):
    """One rollup row joined with its account."""

    entity_id: str
    path: str
    root: str
    cost_behavior: str | None
    month: int
    intercompany: bool
    cents: int


class UncategorizedLine(NamedTuple):
    """A line waiting for a category."""

    entry_id: int
    entity_id: str
    date: date
    description: str
    path: str
    cents: int


def account_root(path: str) -> str:
    """The root type of a colon path; raises Invalid on a malformed path."""
    parts = path.split(":")
    if parts[0] not in ROOTS:
        raise Invalid(f"account {path!r} must start with one of {', '.join(ROOTS)}")
    if len(parts) < 2 or not all(_SEGMENT.match(p) for p in parts):
        raise Invalid(f"account {path!r} is not a colon path like Expenses:Fuel")
    return parts[0]


def entry_problems(entry: NewEntry) -> list[str]:
    """Every reason an entry cannot be posted (empty when it is fine)."""
    problems: list[str] = []
    if len(entry.lines) < 2:
        problems.append("an entry needs at least two lines")
    if any(not isinstance(cents, int) for _, cents in entry.lines):
        problems.append("amounts must be whole cents")
    too_big = [
        f"amount of {path} {why}"
        for path, cents in entry.lines
        if isinstance(cents, int) and (why := amount_problem(cents))
    ]
    problems.extend(too_big)
    total = sum(cents for _, cents in entry.lines)
    if total != 0 and not too_big:  # a sum of out-of-bound amounts may not even fit a float
        problems.append(f"lines sum to {total / 100:.2f}, not 0 (unbalanced entry)")
    if not entry.description.strip():
        problems.append("description is empty")
    for path, _ in entry.lines:
        try:
            account_root(path)
        except Invalid as exc:
            problems.append(exc.message)
    for path, behavior in entry.cost_behaviors.items():
        if behavior not in COST_BEHAVIORS:
            problems.append(f"cost_behavior of {path} must be fixed or variable")
    return problems


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_insert(dialect_name: str) -> Any:
    """The dialect's ``insert`` that has ``on_conflict_do_*`` (SQLite and PostgreSQL both do)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    return upsert


def path_under(column: Any, prefix: str) -> Any:
    """SQL for "the account path is ``prefix`` or below it", case-sensitive on every backend.

    Not LIKE: SQLite's LIKE ignores ASCII case and PostgreSQL's does not, and ``_`` in a path
    would be a wildcard. substr compares exact characters, as the reports' Python does.
    """
    head = prefix + ":"
    return or_(column == prefix, func.substr(column, 1, len(head)) == head)


def path_ends_with(column: Any, suffix: str) -> Any:
    """SQL for "the account path ends with ``suffix``", case-sensitive on every backend."""
    return func.substr(column, func.length(column) - len(suffix) + 1) == suffix


def is_collision(exc: OperationalError) -> bool:
    """True for PostgreSQL's deadlock and serialization failures: concurrent writes collided."""
    return getattr(exc.orig, "sqlstate", None) in {"40P01", "40001"}


class LedgerStore:
    """Reads and writes the ledger; the only module that issues ledger SQL."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///").split("?", 1)[0]
            if path and path != ":memory:":
                private_sqlite(Path(path))  # 0600 before SQLite creates it (and its -wal/-shm)
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def create_all(self) -> None:
        """Create missing tables and indexes (safe to run again)."""
        SQLModel.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            inspector = inspect(conn)
            for index in models_records.LATER_INDEXES:
                table = index.table.name  # type: ignore[union-attr]
                if index.name not in {ix["name"] for ix in inspector.get_indexes(table)}:
                    # IF NOT EXISTS: another process may be creating it at the same moment
                    conn.execute(CreateIndex(index, if_not_exists=True))

    def session(self) -> Session:
        """A new ORM session (caller closes it)."""
        return Session(self.engine, expire_on_commit=False)

    # -- entities ---------------------------------------------------------------------------
    def add_entity(
        self, *, id: str, name: str, kind: str = "business", is_demo: bool = False
    ) -> Entity:
        """Create an entity; Conflict if the id is taken."""
        if not _ENTITY_ID.match(id):
            raise Invalid(f"entity id {id!r} must be letters, digits, '.', '_' or '-'")
        if not name.strip():
            raise Invalid("entity name is empty")
        entity = Entity(id=id, name=name.strip(), kind=kind.strip() or "business", is_demo=is_demo)
        with self.session() as s:
            if s.get(Entity, id) is not None:
                raise Conflict(f"entity {id!r} already exists")
            s.add(entity)
            try:
                s.commit()
            except IntegrityError as exc:
                raise Conflict(f"entity {id!r} already exists") from exc
        return entity

    def list_entities(self) -> list[Entity]:
        """All entities, by name."""
        with self.session() as s:
            rows = list(s.exec(select(Entity)).scalars())
        # sorted here, not by ORDER BY: PostgreSQL orders text by the database's collation
        # (e.g. en_US puts "b" before "C"); SQLite and Python compare code points
        return sorted(rows, key=lambda e: e.name)

    def get_entity(self, entity_id: str) -> Entity:
        """One entity; NotFound if unknown."""
        with self.session() as s:
            entity = s.get(Entity, entity_id)
        if entity is None:
            raise NotFound(f"unknown entity {entity_id!r} (see `python -m core entity list`)")
        return entity

    def delete_entities(self, entity_ids: Sequence[str]) -> None:
        """Delete entities with every row that belongs to them (accounts, entries, targets...)."""
        ids = list(entity_ids)
        if not ids:
            return
        with self.engine.begin() as conn:
            # every table with an entity_id column (audits, marketing, tech...), dependents first
            for table in reversed(SQLModel.metadata.sorted_tables):
                if "entity_id" in table.c and table.name != Target.__tablename__:
                    conn.execute(delete(table).where(table.c.entity_id.in_(ids)))
            conn.execute(delete(Target).where(Target.entity_id.in_([*ids, "all"])))
            conn.execute(delete(Entity).where(Entity.id.in_(ids)))

    # -- posting ----------------------------------------------------------------------------
    def post(
        self, entries: Sequence[NewEntry], *, also: Callable[[Any], None] | None = None
    ) -> PostResult:
        """Post balanced entries all-or-nothing; entries whose fingerprint exists are skipped.

        ``also(conn)`` runs inside the same transaction (a source saves its cursor there, so
        the cursor never runs ahead of, or behind, what was posted).
        """
        problems = [f"entry {i + 1}: {p}" for i, e in enumerate(entries) for p in entry_problems(e)]
        if problems:
            raise Invalid("nothing was posted", problems=problems)
        try:
            with self.engine.begin() as conn:
                result = self._post(conn, entries) if entries else PostResult(0, 0, 0)
                if also is not None:
                    also(conn)
                return result
        except IntegrityError as exc:
            raise Conflict(
                "a concurrent write collided with this posting; nothing was posted"
            ) from exc
        except OperationalError as exc:
            if not is_collision(exc):
                raise
            raise Conflict(
                "a concurrent write collided with this posting; nothing was posted"
            ) from exc

    def _post(self, conn: Any, entries: Sequence[NewEntry]) -> PostResult:
        entity_ids = sorted({e.entity_id for e in entries})
        known = set(conn.scalars(select(Entity.id).where(Entity.id.in_(entity_ids))))
        unknown = [e for e in entity_ids if e not in known]
        if unknown:
            raise Invalid(f"unknown entity {', '.join(map(repr, unknown))}; nothing was posted")

        fingerprints = [e.fingerprint for e in entries if e.fingerprint]
        existing: set[str] = set()
        for chunk in _chunks(fingerprints):
            existing.update(
                conn.scalars(
                    select(JournalEntry.fingerprint).where(JournalEntry.fingerprint.in_(chunk))
                )
            )
        fresh: list[NewEntry] = []
        for e in entries:
            if e.fingerprint and e.fingerprint in existing:
                continue
            if e.fingerprint:
                existing.add(e.fingerprint)
            fresh.append(e)
        if not fresh:
            return PostResult(posted=0, skipped=len(entries), lines=0)

        account_ids = self._ensure_accounts(conn, fresh)
        entry_ids = list(
            conn.scalars(
                insert(JournalEntry).returning(JournalEntry.id, sort_by_parameter_order=True),
                [
                    {
                        "entity_id": e.entity_id,
                        "date": e.date,
                        "description": e.description,
                        "memo": e.memo,
                        "source": e.source,
                        "fingerprint": e.fingerprint,
                        "intercompany": e.intercompany,
                        "counterparty": e.counterparty,
                    }
                    for e in fresh
                ],
            )
        )
        lines: list[dict[str, Any]] = []
        rollup: dict[tuple[int, int, bool], list[Any]] = {}
        for entry_id, e in zip(entry_ids, fresh, strict=True):
            month = month_of(e.date)
            for path, cents in e.lines:
                account_id = account_ids[(e.entity_id, path)]
                lines.append(
                    {
                        "entry_id": entry_id,
                        "account_id": account_id,
                        "entity_id": e.entity_id,
                        "month": month,
                        "amount_cents": cents,
                        "intercompany": e.intercompany,
                    }
                )
                key = (account_id, month, e.intercompany)
                slot = rollup.setdefault(key, [e.entity_id, 0])
                slot[1] += cents
        conn.execute(insert(JournalLine), lines)
        self._apply_rollup(conn, rollup)
        return PostResult(posted=len(fresh), skipped=len(entries) - len(fresh), lines=len(lines))

    def _ensure_accounts(
        self, conn: Any, entries: Sequence[NewEntry]
    ) -> dict[tuple[str, str], int]:
        wanted: dict[tuple[str, str], str | None] = {}
        for e in entries:
            for path, _ in e.lines:
                key = (e.entity_id, path)
                if key not in wanted or wanted[key] is None:
                    wanted[key] = e.cost_behaviors.get(path)
        entity_ids = sorted({k[0] for k in wanted})
        query = select(Account.id, Account.entity_id, Account.path).where(
            Account.entity_id.in_(entity_ids)
        )
        ids = {(row.entity_id, row.path): row.id for row in conn.execute(query)}
        missing = sorted(key for key in wanted if key not in ids)  # one lock order for all
        if missing:
            rows = [
                {
                    "entity_id": ent,
                    "path": path,
                    "root": account_root(path),
                    "cost_behavior": wanted[(ent, path)]
                    or ("fixed" if path.startswith("Expenses") else None),
                }
                for ent, path in missing
            ]
            # A concurrent posting may create the same account between our read and this
            # insert: skip it and read its row back (PostgreSQL makes the insert wait for the
            # other transaction; without this the second posting failed with a Conflict).
            stmt = upsert_insert(conn.dialect.name)(Account).on_conflict_do_nothing(
                index_elements=["entity_id", "path"]
            )
            conn.execute(stmt, rows)
            ids = {(row.entity_id, row.path): row.id for row in conn.execute(query)}
        return ids

    def _apply_rollup(self, conn: Any, rollup: dict[tuple[int, int, bool], list[Any]]) -> None:
        upsert = upsert_insert(self.engine.dialect.name)
        # sorted: concurrent postings then lock rollup rows in one order (no deadlock)
        rows = [
            {
                "account_id": a,
                "month": m,
                "intercompany": ic,
                "entity_id": ent,
                "amount_cents": cents,
            }
            for (a, m, ic), (ent, cents) in sorted(rollup.items())
        ]
        stmt = upsert(MonthlyTotal)
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "month", "intercompany"],
            set_={"amount_cents": MonthlyTotal.amount_cents + stmt.excluded.amount_cents},
        )
        for chunk in _chunks(rows, 2000):
            conn.execute(stmt, list(chunk))

    # -- reading ----------------------------------------------------------------------------
    def monthly_rows(self, entity_ids: Sequence[str]) -> list[TotalRow]:
        """Rollup rows of the given entities, joined with their accounts."""
        q = (
            select(
                MonthlyTotal.entity_id,
                Account.path,
                Account.root,
                Account.cost_behavior,
                MonthlyTotal.month,
                MonthlyTotal.intercompany,
                MonthlyTotal.amount_cents,
            )
            .join(Account, Account.id == MonthlyTotal.account_id)
            .where(MonthlyTotal.entity_id.in_(list(entity_ids)))
        )
        with self.engine.connect() as conn:
            return [TotalRow(*row) for row in conn.execute(q)]

    def uncategorized_lines(
        self, entity_ids: Sequence[str], *, through_month: int
    ) -> list[UncategorizedLine]:
        """Lines on ``*:Uncategorized`` accounts dated up to the end of ``through_month``."""
        q = (
            select(
                JournalEntry.id,
                JournalEntry.entity_id,
                JournalEntry.date,
                JournalEntry.description,
                Account.path,
                JournalLine.amount_cents,
            )
            .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.entity_id.in_(list(entity_ids)))
            .where(path_ends_with(Account.path, ":Uncategorized"))
            .where(JournalLine.month <= through_month)
            .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
        )
        with self.engine.connect() as conn:
            return [UncategorizedLine(*row) for row in conn.execute(q)]

    def gross_in_month(self, entity_ids: Sequence[str], path: str, month: int) -> tuple[int, int]:
        """(debits, credits) posted to ``path`` in ``month``, both as positive cents."""
        amount = JournalLine.amount_cents
        q = (
            select(
                func.coalesce(func.sum(amount).filter(amount > 0), 0),
                func.coalesce(func.sum(-amount).filter(amount < 0), 0),
            )
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.entity_id.in_(list(entity_ids)))
            .where(Account.path == path)
            .where(JournalLine.month == month)
        )
        with self.engine.connect() as conn:
            debits, credits = conn.execute(q).one()
        return int(debits), int(credits)

    def rollup_matches_lines(self) -> bool:
        """True when ``monthly_totals`` equals a fresh aggregation of the lines (audit check)."""
        fresh = select(
            JournalLine.account_id,
            JournalLine.month,
            JournalLine.intercompany,
            func.sum(JournalLine.amount_cents),
        ).group_by(JournalLine.account_id, JournalLine.month, JournalLine.intercompany)
        stored = select(
            MonthlyTotal.account_id,
            MonthlyTotal.month,
            MonthlyTotal.intercompany,
            MonthlyTotal.amount_cents,
        )
        with self.engine.connect() as conn:
            a = {(r[0], r[1], bool(r[2])): int(r[3]) for r in conn.execute(fresh)}
            b = {(r[0], r[1], bool(r[2])): int(r[3]) for r in conn.execute(stored) if r[3] != 0}
        return {k: v for k, v in a.items() if v != 0} == b

    def targets(self, entity_key: str) -> dict[tuple[str, int], float]:
        """Targets of one entity (or ``all``) keyed by (kpi id, month)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Target.kpi_id, Target.month, Target.value).where(
                    Target.entity_id == entity_key
                )
            )
            return {(kpi, month): value for kpi, month, value in rows}

    def set_targets(
        self, rows: Iterable[Target], *, delete: Iterable[tuple[str, str, int]] = ()
    ) -> None:
        """Insert or replace targets and delete (entity, kpi, month) keys, in one transaction."""
        with self.session() as s:
            for row in rows:
                s.merge(row)
            for entity_key, kpi_id, month in delete:
                found = s.get(Target, (entity_key, kpi_id, month))
                if found is not None:
                    s.delete(found)
            s.flush()
            bump_revision(s.connection())
            s.commit()

    def has_demo_data(self) -> bool:
        """True while any demo entity is in the ledger."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Entity).where(Entity.is_demo)) > 0

    def is_empty(self) -> bool:
        """True when the ledger has no entity."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Entity)) == 0

    def line_count(self) -> int:
        """Number of journal lines."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(JournalLine)) or 0)

    def last_entry_date(self) -> date | None:
        """The date of the newest entry (data freshness)."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.max(JournalEntry.date)))


def totals_by_account(rows: Iterable[TotalRow]) -> dict[str, int]:
    """Sum of cents per account path (helper for tests and tables)."""
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r.path] += r.cents
    return dict(out)


_STORES: dict[str, LedgerStore] = {}


def open_ledger(url: str) -> LedgerStore:
    """The process-wide store for ``url``, with its tables created on first use."""
    store = _STORES.get(url)
    if store is None:
        store = LedgerStore(url)
        store.create_all()
        _STORES[url] = store
    return store


def bump_revision(conn: Any) -> None:
    """Mark a change that posts no entry (targets, rules, re-categorized lines)."""
    # one upsert, not UPDATE then INSERT: on PostgreSQL two first bumps at once both found no
    # row to update and the second INSERT failed
    stmt = upsert_insert(conn.dialect.name)(LedgerMeta).values(key="revision", value=1)
    conn.execute(
        stmt.on_conflict_do_update(index_elements=["key"], set_={"value": LedgerMeta.value + 1})
    )


def ledger_revision(store: LedgerStore) -> tuple[int, int]:
    """Changes whenever entries, targets or categories change (a cheap cache key)."""
    with store.engine.connect() as conn:
        entries = conn.scalar(select(func.max(JournalEntry.id))) or 0
        other = conn.scalar(select(LedgerMeta.value).where(LedgerMeta.key == "revision")) or 0
    return int(entries), int(other)
