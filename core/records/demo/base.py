"""What the record-driven demo generators share: the book they post to, the rows they make."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Protocol

from sqlmodel import SQLModel

VARIABLE = "variable"


class Book(Protocol):
    """What the generators need of ``core.demo._Book``."""

    today: date
    start: date

    def add(
        self, entity: str, day: date, text: str, lines: list[tuple[str, int]], **kw: object
    ) -> None: ...


class Rows:
    """Record rows made and not yet written (one list per model, in the order made)."""

    def __init__(self) -> None:
        self.pending: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)

    def add(self, model: type[SQLModel], **values: Any) -> dict[str, Any]:
        """Keep one row of ``model``; the same dict, for the caller to refer to."""
        self.pending[model].append(values)
        return values

    def drain(self) -> dict[type[SQLModel], list[dict[str, Any]]]:
        """The rows made since the last drain (to insert after the month's entries)."""
        out, self.pending = self.pending, defaultdict(list)
        return out


class RecordGenerator:
    """A generator's common state: today, today's month, and where its rows go."""

    def __init__(self, rows: Rows, *, today: date, last: int) -> None:
        self.rows = rows
        self.today = today
        self.last = last  # today's month

    def _row(self, model: type[SQLModel], **values: Any) -> dict[str, Any]:
        return self.rows.add(model, **values)

    def _post(
        self,
        b: Book,
        entity: str,
        day: date,
        text: str,
        lines: list[tuple[str, int]],
        fingerprint: str,
        **kw: object,
    ) -> str | None:
        """Post an entry if it has happened; its fingerprint, or None when it is in the future."""
        if day > self.today:
            return None
        b.add(entity, day, text, lines, fingerprint=fingerprint, **kw)
        return fingerprint
