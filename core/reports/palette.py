"""The report colours, shared by every builder so a series means the same colour everywhere."""

BLUE = "#1F4E79"  # revenue, actuals
GREY = "#7A8699"  # costs, targets, "other"
GREEN = "#2E7D32"  # net income, good
RED = "#C62828"  # burn, bad, totals to watch
AMBER = "#E0A100"  # ratios on a second axis
TEAL = "#00838F"
