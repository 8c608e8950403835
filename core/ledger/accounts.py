"""Account paths the generators and reports name in code (every other path comes from data)."""

from __future__ import annotations

BANK = "Assets:Bank:Checking"  # the operating account the demo books pay from and into
RECEIVABLE = "Assets:AccountsReceivable"  # invoices and rent charged, not yet paid
