"""Business audits (rental, yacht delivery, client billing): records, store access, demo."""
