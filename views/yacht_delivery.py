"""/yacht-delivery: job pipeline, miles, days, on-time rate, costs, margins and delays."""

from dashboard import report_page

report_page.show(
    "yacht-delivery", empty="No yacht-delivery records for {entity}.", page="yacht-delivery"
)
