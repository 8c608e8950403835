"""KPI alerts: rules on any report's KPI, evaluated on a schedule and after ledger changes."""
