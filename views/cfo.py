"""/cfo: the CFO report for the selected entity and month, budget vs actual, the forecast."""

from dashboard import report_page
from dashboard.budget_panel import budget_panel
from dashboard.forecast_panel import forecast_panel

user, report, filters = report_page.show("cfo")
budget_panel(user, filters)
forecast_panel(user, filters)
