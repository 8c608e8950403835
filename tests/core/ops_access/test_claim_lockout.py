"""The failed-claim lockout holds under concurrency, on both ops stores.

Each attempt reserves its place under the limit atomically before the code is looked at, so
a burst of bad claims from one address cannot all be evaluated.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import DomainError, RateLimited, Unauthorized
from core.ops.login_codes import LoginCode
from core.ops.service import OpsService
from core.ops.store import OpsStore
from core.ops_access.access import FAILED_CLAIMS_LIMIT, AccessService
from core.ops_access.codes import code_hash
from tests.core.ops.conftest import LA, NOW, Clock, ops_store  # noqa: F401 (fixture)

SECRET = "k" * 40
BURST = 24
LATER = NOW + timedelta(hours=1)


class CountingStore:
    """The store, counting how many codes were looked up (each one an evaluated claim)."""

    def __init__(self, store: OpsStore) -> None:
        self._store = store
        self.taken = 0
        self._lock = threading.Lock()

    def take_code(self, *args: object, **kwargs: object) -> LoginCode | None:
        with self._lock:
            self.taken += 1
        return self._store.take_code(*args, **kwargs)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def access_over(store: OpsStore, tmp_path: Path) -> tuple[AccessService, CountingStore]:
    counting = CountingStore(store)
    ops = OpsService(counting, tz=LA, lat=32.7, lon=-117.2, clock=Clock())  # type: ignore[arg-type]
    settings = Settings.from_env({"EXEC_DATA_DIR": str(tmp_path), "JWT_SECRET": SECRET})
    access = AccessService(
        ops,
        settings,
        codes=counting,  # type: ignore[arg-type]
        sender=None,  # type: ignore[arg-type]
        secret=lambda: SECRET,
        clock=Clock(),
    )
    return access, counting


def burst(access: AccessService, codes: list[str], client: str) -> Counter[str]:
    """Claim every code at once from one address; how many of each outcome."""
    barrier = threading.Barrier(len(codes))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt(code: str) -> None:
        barrier.wait()
        try:
            access.claim(code, client)
            result = "ok"
        except DomainError as exc:
            result = type(exc).__name__
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=attempt, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_a_burst_of_bad_claims_from_one_address_is_cut_at_the_limit(
    ops_store: OpsStore,  # noqa: F811
    tmp_path: Path,
) -> None:
    access, counting = access_over(ops_store, tmp_path)
    outcomes = burst(access, [f"WRONG{i:03d}XY" for i in range(BURST)], "203.0.113.5")
    assert sum(outcomes.values()) == BURST
    assert counting.taken <= FAILED_CLAIMS_LIMIT
    assert outcomes == {
        Unauthorized.__name__: counting.taken,
        RateLimited.__name__: BURST - counting.taken,
    }
    assert counting.taken == FAILED_CLAIMS_LIMIT  # every reservation was used, none lost


def test_a_good_claim_gives_its_reservation_back(
    ops_store: OpsStore,  # noqa: F811
    tmp_path: Path,
) -> None:
    access, counting = access_over(ops_store, tmp_path)
    user = access.ops.add_user(email="c@example.com", name="C", role="crew")
    for n in range(FAILED_CLAIMS_LIMIT + 2):  # more good claims than the failure limit
        ops_store.put_code(LoginCode(code_hash(f"GOOD{n}CODE"), user.id, "login", LATER))
        assert access.claim(f"GOOD{n}CODE", "203.0.113.6").user.id == user.id
    for _ in range(FAILED_CLAIMS_LIMIT):
        with pytest.raises(Unauthorized):
            access.claim("WRONGCODE9", "203.0.113.6")
    ops_store.put_code(LoginCode(code_hash("LASTCODE22"), user.id, "login", LATER))
    with pytest.raises(RateLimited):  # locked now, even with a good code
        access.claim("LASTCODE22", "203.0.113.6")
    assert counting.taken == 2 * FAILED_CLAIMS_LIMIT + 2
