"""/alerts: KPI alerts (owner, CEO, CFO), each scoped to the user's entities."""

from dashboard import alerts_page, auth

alerts_page.show(auth.require_page("alerts"))
