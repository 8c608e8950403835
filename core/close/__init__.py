"""Month-end close: the checks of an entity's month, the period lock and its audit log, and
the anomaly digest."""
