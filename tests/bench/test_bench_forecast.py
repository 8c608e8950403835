"""The forecast bench's DuckDB baseline computes what the forecast reads: the same opening
cash and the same 13 weeks of cash moved by counter-account."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
from sqlalchemy import text

from bench.bench_forecast import BASELINE
from core.demo import seed_demo
from core.forecast.reads import cash_account_ids, cash_by_counter_account, opening_cash
from core.ledger.store import LedgerStore

AS_OF = date(2026, 11, 24)


def test_the_baseline_reads_what_the_forecast_reads(store: LedgerStore) -> None:
    seed_demo(store, months=4, scale=1, today=AS_OF)
    ids = [e.id for e in store.list_entities()]
    cash = cash_account_ids(store, ids)
    first = AS_OF - timedelta(days=90)
    db = duckdb.connect()
    with store.engine.connect() as conn:
        for table in ("journal_lines", "journal_entries", "accounts"):
            db.register(f"{table}_df", pd.read_sql(text(f"SELECT * FROM {table}"), conn))
            db.execute(f"CREATE TABLE {table} AS SELECT * FROM {table}_df")
    rows = db.execute(BASELINE, {"as_of": AS_OF, "first": first}).fetchall()
    opening = next(int(c) for what, _, c in rows if what == "opening")
    moved = {path: int(c) for what, path, c in rows if what == "moved" and c}
    assert opening == opening_cash(store, ids, cash, AS_OF, consolidated=True) != 0
    ours = cash_by_counter_account(store, cash, first, AS_OF, consolidated=True)
    assert moved == {f"{eid} {path}": c for (eid, path), c in ours.items()}
    assert len(moved) > 10
