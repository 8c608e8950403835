"""/records: forms and CSV uploads for rental, delivery and billing records."""

from dashboard import auth, records

records.show(auth.require_page("records"))
