"""/accounting: trial balance, statements, revenue recognition, chart of accounts, queue."""

from dashboard import report_page
from dashboard.budget_panel import budget_panel
from dashboard.category_queue import category_queue
from dashboard.rule_maker import rule_maker

# the queue is drawn here as an editable table, not as the report's read-only one
user, report, filters = report_page.show("accounting", skip=("queue",))
rule_maker(user, filters, category_queue(user, filters, report))
budget_panel(user, filters)
