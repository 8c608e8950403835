"""Month-end close: checks, the period lock and the anomaly digest."""
