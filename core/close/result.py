"""What a close check answers: pass, fail, warn or skip, a summary and the evidence rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from core.ledger.models import Account

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
EVIDENCE_SHOWN = 50  # rows of evidence kept per check (the count is always whole)


@dataclass(frozen=True)
class CheckResult:
    """One check of one entity and month: its status, a one-line summary and the evidence."""

    id: str
    title: str
    status: str
    summary: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``close status``."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "evidence_count": self.evidence_count,
            "evidence": self.evidence,
        }


def plural(n: int, word: str) -> str:
    """``1 line``, ``2 lines``."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def check_result(
    cid: str, title: str, status: str, summary: str, evidence: Sequence[dict[str, Any]] = ()
) -> CheckResult:
    """A result keeping the first ``EVIDENCE_SHOWN`` evidence rows and their whole count."""
    rows = list(evidence)
    return CheckResult(cid, title, status, summary, rows[:EVIDENCE_SHOWN], len(rows))


def accounts_of(conn: Any, entity_id: str, *where: Any) -> dict[int, str]:
    """The entity's accounts (id -> path) matching ``where``."""
    q = select(Account.id, Account.path).where(Account.entity_id == entity_id, *where)
    return {row.id: row.path for row in conn.execute(q)}


def failing(results: Sequence[CheckResult]) -> list[CheckResult]:
    """The checks that block a lock (warnings and skipped checks do not)."""
    return [r for r in results if r.status == FAIL]
