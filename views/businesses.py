"""/businesses: the owner adds, renames and archives businesses; the setup checklist."""

from dashboard import auth, businesses

businesses.show(auth.require_page("businesses"))
