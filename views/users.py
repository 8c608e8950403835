"""/users: the owner manages dashboard users (role, entities, password, sessions)."""

from dashboard import auth, user_admin

user_admin.show(auth.require_page("users"))
