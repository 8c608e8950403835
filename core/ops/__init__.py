"""Charter operations: events, crew slots, checklists, guests and waivers, timing.

``service.OpsService`` holds every rule; ``store.OpsStore`` is the storage interface with an
embedded SQLite backend (``sqlite.py``) and a DynamoDB single-table backend (``dynamodb.py``).
"""
