"""/accounting: trial balance, statements, revenue recognition, chart of accounts, queue."""

from dashboard import report_page
from dashboard.rule_maker import rule_maker

user, _, filters = report_page.show("accounting")
rule_maker(user, filters)
