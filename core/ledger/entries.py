"""An entry to post and what a posting wrote; the checks an entry must pass before it is
written (balanced, whole cents in bounds, colon account paths).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from core.errors import Invalid
from core.ledger.amounts import amount_problem
from core.ledger.models import COST_BEHAVIORS, ROOTS

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 &/._'-]*$")


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
