"""Sync runs and cursors: what /data and the CLI read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from core.errors import Invalid, NotFound
from core.ledger.store import LedgerStore
from core.sources.runs import latest_runs, load_cursor, run_history, save_cursor, sync_run
from tests.conftest import BANK, entry


def _entity(store: LedgerStore, *ids: str) -> None:
    for i in ids:
        store.add_entity(id=i, name=i.upper())


def test_a_run_is_recorded_running_then_ok(store: LedgerStore) -> None:
    _entity(store, "a")
    with sync_run(store, "a", "stripe") as run:
        (status,) = latest_runs(store, ["a"])
        assert status.status == "running" and status.finished_at is None
        run.items, run.message = 3, "3 entries"
    (status,) = latest_runs(store, ["a"])
    assert (status.status, status.items, status.message) == ("ok", 3, "3 entries")
    assert status.finished_at is not None


def test_a_failed_run_keeps_the_message_and_re_raises(store: LedgerStore) -> None:
    _entity(store, "a")
    with pytest.raises(Invalid), sync_run(store, "a", "git"):
        raise Invalid("not a git repository: /nowhere")
    (status,) = latest_runs(store, ["a"])
    assert status.status == "error" and "not a git repository" in status.message


def test_unknown_entity_writes_nothing(store: LedgerStore) -> None:
    with pytest.raises(NotFound), sync_run(store, "ghost", "stripe"):
        pass
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from source_syncs")).scalar() == 0


def test_latest_is_per_entity_and_source_and_scoped(store: LedgerStore) -> None:
    _entity(store, "a", "b")
    ticks = iter(datetime(2026, 11, d, tzinfo=UTC) for d in range(1, 20))
    for entity, source in [("a", "stripe"), ("a", "stripe"), ("a", "git"), ("b", "stripe")]:
        with sync_run(store, entity, source, now=lambda: next(ticks)) as run:
            run.message = f"{entity}-{source}"
    rows = latest_runs(store, ["a"])
    assert [(r.entity_id, r.source) for r in rows] == [("a", "git"), ("a", "stripe")]
    assert all(r.entity_id == "a" for r in run_history(store, ["a"]))
    assert len(run_history(store, ["a", "b"])) == 4


def test_cursor_saved_in_the_posting_transaction(store: LedgerStore) -> None:
    _entity(store, "a")
    assert load_cursor(store, "a", "stripe") is None
    e = entry("a", datetime(2026, 1, 2).date(), "x", (BANK, 5), ("Income:Sales", -5))
    store.post([e], also=lambda conn: save_cursor(conn, "a", "stripe", {"after": "txn_1"}))
    assert load_cursor(store, "a", "stripe") == {"after": "txn_1"}
    store.post([], also=lambda conn: save_cursor(conn, "a", "stripe", {"after": "txn_2"}))
    assert load_cursor(store, "a", "stripe") == {"after": "txn_2"}


def test_cursor_rolls_back_with_a_failed_posting(store: LedgerStore) -> None:
    _entity(store, "a")

    def boom(conn: object) -> None:
        save_cursor(conn, "a", "stripe", {"after": "txn_9"})
        raise RuntimeError("network went away")

    e = entry("a", datetime(2026, 1, 2).date(), "x", (BANK, 5), ("Income:Sales", -5))
    with pytest.raises(RuntimeError):
        store.post([e], also=boom)
    assert load_cursor(store, "a", "stripe") is None
    assert store.line_count() == 0


def test_age_text_reads_like_a_person() -> None:
    from core.sources.runs import age_text

    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert age_text(now, now) == "just now"
    assert age_text(datetime(2026, 11, 24, 11, 55), now) == "5 min ago"  # naive = UTC
    assert age_text(datetime(2026, 11, 24, 9, tzinfo=UTC), now) == "3 h ago"
    assert age_text(datetime(2026, 11, 20, 12, tzinfo=UTC), now) == "4 d ago"


def test_run_instants_come_back_aware(store: LedgerStore) -> None:
    _entity(store, "a")
    with sync_run(store, "a", "stripe"):
        pass
    (status,) = latest_runs(store, ["a"])
    assert status.started_at.tzinfo is not None and status.finished_at is not None
    assert status.finished_at.tzinfo is not None
