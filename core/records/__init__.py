"""Business records of rental, yacht delivery and client billing: store access, queries, demo."""
