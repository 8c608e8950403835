"""Month-of-year demand (Jan..Dec) the demo generators share: the ledger's and marketing's."""

from __future__ import annotations

CHARTER_SEASON = [0.45, 0.5, 0.6, 0.75, 0.95, 1.35, 1.65, 1.6, 1.1, 0.8, 0.55, 0.6]
DELIVERY_SEASON = [0.5, 0.6, 1.4, 1.6, 1.3, 0.7, 0.5, 0.5, 0.8, 1.5, 1.5, 0.8]
JUNK_SEASON = [0.85, 0.85, 1.0, 1.15, 1.15, 1.1, 1.05, 1.05, 1.0, 0.95, 0.9, 0.9]
