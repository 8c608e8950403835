"""/cfo: the CFO report for the selected entity and month."""

from dashboard import report_page

report_page.show("cfo")
