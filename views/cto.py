"""/cto: stack inventory, security roadmap, cloud cost and dev cycle for the selected scope."""

from dashboard import report_page

report_page.show("cto")
