"""A link and its short code are one grant, on both ops stores: spending one spends the other,
even when both are used at the same moment; the short code's shape and hashing."""

from __future__ import annotations

import threading
from pathlib import Path

from core.errors import DomainError
from core.ops.store import OpsStore
from core.ops_access.access import AccessService, Invitation
from core.ops_access.codes import ALPHABET, code_hash
from core.ops_access.short_codes import new_short_code, short_hash
from tests.core.ops.conftest import ops_store  # noqa: F401 (fixture)
from tests.core.ops_access.test_claim_lockout import access_over


def test_short_codes_are_two_groups_of_the_unambiguous_alphabet() -> None:
    codes = {new_short_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        first, second = code.split("-")
        assert len(first) == len(second) == 4 and set(first + second) <= set(ALPHABET)


def test_a_short_hash_is_bound_to_the_email_and_forgives_typing() -> None:
    assert short_hash("A@Example.com ", "k7qm 3xpa") == short_hash("a@example.com", "K7QM-3XPA")
    assert short_hash("b@example.com", "K7QM-3XPA") != short_hash("a@example.com", "K7QM-3XPA")
    assert short_hash("a@example.com", "K7QM-3XPA") != code_hash("K7QM3XPA")


def race(access: AccessService, inv: Invitation, n: int) -> list[str]:
    """Claim the link and the short code at the same moment; which of them won."""
    barrier = threading.Barrier(2)
    wins: list[str] = []

    def attempt(which: str) -> None:
        barrier.wait()
        try:
            if which == "link":
                access.claim(inv.code, f"203.0.113.{n}")
            else:
                access.claim_short(inv.user.email, inv.short_code, f"203.0.114.{n}")
            wins.append(which)
        except DomainError:
            pass

    threads = [threading.Thread(target=attempt, args=(w,)) for w in ("link", "short")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return wins


def test_the_link_and_the_short_code_at_once_give_one_session_at_most(
    ops_store: OpsStore,  # noqa: F811
    tmp_path: Path,
) -> None:
    access, _ = access_over(ops_store, tmp_path)
    admin = access.ops.add_user(email="root@example.com", name="Root", role="admin")
    for n in range(6):
        inv = access.invite(admin, email=f"race{n}@example.com", name="R", role="crew", send=False)
        assert inv.short_code
        assert len(race(access, inv, n)) <= 1
