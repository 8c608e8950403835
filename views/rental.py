"""/rental: rent roll, collections, vacancy, maintenance, NOI, cap rate and lease expiries."""

from dashboard import report_page

report_page.show("rental", empty="No rental records for {entity}.")
