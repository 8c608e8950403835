"""Claims under concurrency and random sequences, on every backend.

50 threads race for one slot (exactly one wins), and a Hypothesis state machine claims and
releases at random while checking the invariants after every step.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from core.errors import Conflict, Forbidden, NotFound
from core.ops.models import OpsUser
from core.ops.service import OpsService
from core.ops.store import OpsStore
from tests.core.ops.conftest import LA, Clock, dynamodb_client, trip


def test_fifty_threads_one_slot_exactly_one_wins(ops_store: OpsStore, ops: OpsService) -> None:
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    event = ops.create_event(admin, trip(slots={"captain": 0, "crew": 1}))
    crew = [ops.add_user(email=f"c{i}@example.com", name=f"C{i}", role="crew") for i in range(50)]
    barrier = threading.Barrier(len(crew))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: OpsUser) -> None:
        barrier.wait()
        try:
            ops.claim(user, event.id, "crew")
            result = "won"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in crew]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(outcomes)) == ["slot_full", "won"]
    assert outcomes.count("won") == 1 and len(outcomes) == 50
    assert len(ops_store.claims(event.id)) == 1


def test_one_person_racing_for_two_overlapping_events_gets_one(
    ops_store: OpsStore, ops: OpsService
) -> None:
    admin = ops.add_user(email="admin@example.com", name="Admin", role="admin")
    a = ops.create_event(admin, trip(hours=10, duration=180))
    b = ops.create_event(admin, trip(hours=11, duration=180))
    sailor = ops.add_user(email="s@example.com", name="S", role="crew")
    barrier = threading.Barrier(2)
    won: list[str] = []

    def attempt(event_id: str) -> None:
        barrier.wait()
        try:
            ops.claim(sailor, event_id, "crew")
            won.append(event_id)
        except Conflict:
            pass

    threads = [threading.Thread(target=attempt, args=(e.id,)) for e in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(won) == 1
    assert len(ops_store.user_claims(sailor.id)) == 1


class ClaimMachine(RuleBasedStateMachine):
    """Random claims and releases; the invariants must hold after every step."""

    make_store: Callable[[], OpsStore]

    def __init__(self) -> None:
        super().__init__()
        store = self.make_store()
        store.init()
        self.store = store
        self.ops = OpsService(store, tz=LA, lat=32.7157, lon=-117.1611, clock=Clock())
        admin = self.ops.add_user(email="admin@example.com", name="Admin", role="admin")
        self.admin = admin
        # A 10:00-13:00, B 12:00-14:00 (overlaps A), C 15:00-16:00
        self.events = [
            self.ops.create_event(
                admin, trip(hours=10, duration=180, slots={"captain": 1, "crew": 1})
            ),
            self.ops.create_event(
                admin, trip(hours=12, duration=120, slots={"captain": 1, "crew": 2})
            ),
            self.ops.create_event(
                admin, trip(hours=15, duration=60, slots={"captain": 0, "crew": 1})
            ),
        ]
        self.users = [
            self.ops.add_user(email=f"u{i}@example.com", name=f"U{i}", role="crew")
            for i in range(3)
        ] + [
            self.store.add_user(
                OpsUser(
                    uuid.uuid4().hex,
                    "cap@example.com",
                    "Cap",
                    "captain",
                    licence_expires=self.events[0].starts_at.date() + timedelta(days=400),
                )
            )
        ]

    @rule(u=st.integers(0, 3), e=st.integers(0, 2), role=st.sampled_from(["captain", "crew"]))
    def claim(self, u: int, e: int, role: str) -> None:
        try:
            self.ops.claim(self.users[u], self.events[e].id, role)
        except Conflict:
            pass
        except Forbidden:  # crew asking for a captain slot
            assert role == "captain" and self.users[u].role == "crew"

    @rule(u=st.integers(0, 3), e=st.integers(0, 2))
    def release(self, u: int, e: int) -> None:
        with contextlib.suppress(NotFound):
            self.ops.release(self.admin, self.events[e].id, self.users[u].id)

    @invariant()
    def never_over_capacity_nor_twice_per_event(self) -> None:
        for event in self.events:
            claims = self.store.claims(event.id)
            for role in ("captain", "crew"):
                assert sum(1 for c in claims if c.role == role) <= event.slots[role]
            holders = [c.user_id for c in claims]
            assert len(holders) == len(set(holders))

    @invariant()
    def never_overlapping(self) -> None:
        by_id = {e.id: e for e in self.events}
        for user in self.users:
            held = [by_id[c.event_id] for c in self.store.user_claims(user.id)]
            for i, a in enumerate(held):
                for b in held[i + 1 :]:
                    assert not a.overlaps(b.starts_at, b.ends_at)


@pytest.mark.parametrize("backend", ["sqlite", "dynamodb"])
def test_claim_state_machine(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if backend == "sqlite":
        from core.ops.sqlite import SqliteOpsStore

        def make() -> OpsStore:
            return SqliteOpsStore(tmp_path / f"{uuid.uuid4().hex}.db")
    else:
        from core.ops.dynamodb import DynamoOpsStore

        client = dynamodb_client(request.getfixturevalue("dynamodb_endpoint"))

        def make() -> OpsStore:
            return DynamoOpsStore(f"sm-{uuid.uuid4().hex[:10]}", client=client)

    machine = type(f"ClaimMachine_{backend}", (ClaimMachine,), {"make_store": staticmethod(make)})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
