"""The dashboard's sign-in: its users, roles, password sign-in and sessions (over the ledger)."""
