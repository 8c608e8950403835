"""Adapters for the owner's real data sources (Stripe, AWS, git, secret scan) and their runs."""
