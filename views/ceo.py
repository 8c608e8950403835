"""/ceo: revenue against targets, assets, operational shortfalls and the KPI framework."""

from dashboard import report_page

report_page.show("ceo")
