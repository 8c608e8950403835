"""The calendar records on every ops backend: feed keys by hash, sequences, availability."""

from __future__ import annotations

from datetime import timedelta

from core.ops.calendar_records import Away, FeedKey
from core.ops.store import OpsStore
from tests.core.ops.conftest import NOW


def test_a_feed_key_is_found_by_its_hash_and_replaced_whole(ops_store: OpsStore) -> None:
    assert ops_store.feed_key("u1") is None and ops_store.feed_user("h1") is None
    ops_store.put_feed_key(FeedKey("u1", "n1", "h1", NOW))
    ops_store.put_feed_key(FeedKey("u2", "n2", "h2", NOW))
    assert ops_store.feed_key("u1") == FeedKey("u1", "n1", "h1", NOW)
    assert ops_store.feed_user("h1") == "u1" and ops_store.feed_user("h2") == "u2"
    ops_store.put_feed_key(FeedKey("u1", "n3", "h3", NOW))  # rotated
    assert ops_store.feed_user("h1") is None  # the old hash no longer resolves
    assert ops_store.feed_user("h3") == "u1" and ops_store.feed_user("h2") == "u2"
    assert ops_store.feed_key("u1") == FeedKey("u1", "n3", "h3", NOW)
    ops_store.put_feed_key(FeedKey("u1", "n3", "h3", NOW))  # the same key again: no change
    assert ops_store.feed_user("h3") == "u1"


def test_sequences_count_per_event(ops_store: OpsStore) -> None:
    assert ops_store.sequence("e1") == 0
    assert [ops_store.bump_sequence("e1") for _ in range(3)] == [1, 2, 3]
    assert ops_store.bump_sequence("e2") == 1
    assert ops_store.sequence("e1") == 3 and ops_store.sequence("e2") == 1


def test_availability_is_replaced_per_user_and_read_by_start(ops_store: OpsStore) -> None:
    assert ops_store.availability("u1") == []
    later = Away(NOW + timedelta(days=5), NOW + timedelta(days=6))
    sooner = Away(NOW + timedelta(days=1), NOW + timedelta(days=2))
    ops_store.set_availability("u1", [later, sooner])
    assert ops_store.availability("u1") == [sooner, later]
    assert ops_store.availability("u2") == []
    ops_store.set_availability("u1", [later])
    assert ops_store.availability("u1") == [later]
    ops_store.set_availability("u1", [])
    assert ops_store.availability("u1") == []
