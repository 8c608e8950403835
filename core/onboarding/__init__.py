"""First run: businesses, their chart of accounts, the setup checklist, replacing the demo."""
