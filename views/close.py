"""/close: month-end close per business (checks, period lock, audit log)."""

from dashboard import auth, close_page

close_page.show(auth.require_page("close"))
