"""Charter operations: events, crew slots, checklists, guests and waivers, timing.

``service.OpsService`` holds every rule, over a store it keeps private. ``store`` defines the
storage by concern (charter records, login codes and counters, once-only marks, inbound
webhook events); ``sqlite.py`` and ``dynamodb.py`` implement all of them. ``factory.open_ops``
opens the configured store and hands out the service and the narrow parts others use.
"""
