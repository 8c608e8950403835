"""Budgets: the owner's amount per account group and month, imported or edited, and budget
against actual per account group for a month and the year to date."""
