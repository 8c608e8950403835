"""Posting: entries, their lines and the monthly_totals rollup written in one transaction,
all or nothing; accounts are created on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from core.errors import Conflict, Invalid
from core.ledger.database import LedgerDatabase
from core.ledger.entries import NewEntry, PostResult, account_root, entry_problems
from core.ledger.models import Account, Entity, JournalEntry, JournalLine, MonthlyTotal
from core.ledger.period_locks import refuse_locked_months
from core.ledger.sql import chunks, is_collision, upsert_insert
from core.periods import month_of


class Posting(LedgerDatabase):
    """Writes balanced entries, their lines and the rollup, all or nothing."""

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
        for chunk in chunks(fingerprints):
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
        months: dict[str, set[int]] = {}
        for e in fresh:
            months.setdefault(e.entity_id, set()).add(month_of(e.date))
        for entity_id, entity_months in sorted(months.items()):
            refuse_locked_months(conn, entity_id, entity_months)  # a closed month: nothing posted

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
        for chunk in chunks(rows, 2000):
            conn.execute(stmt, list(chunk))
