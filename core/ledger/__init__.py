"""Double-entry ledger: entities, accounts, journal entries and their monthly rollup."""
