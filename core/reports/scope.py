"""Which entities a report covers: ``core.ledger.scope``, named here where the reports use it
(the forecast, below the reports, resolves the same scopes)."""

from __future__ import annotations

from core.ledger.scope import ALL, MINE, Scope, resolve_scope

__all__ = ["ALL", "MINE", "Scope", "resolve_scope"]
