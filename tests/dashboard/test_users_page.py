"""AppTest of /users: the owner adds, changes and removes users through the core."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_sessions import list_sessions, start_session
from core.auth.dashboard_users import get_user, list_users
from core.auth.sign_in import password_change_required
from core.config import get_settings
from core.ledger.store import open_ledger
from tests.dashboard.conftest import sign_in


def users_page(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/users.py").run()
    assert not at.exception, at.exception
    return at


def field(at: AppTest, label: str, prefix: str):
    return next(w for w in at.text_input if w.label == label and w.key.startswith(prefix))


def test_owner_adds_a_user_and_bad_input_keeps_what_was_typed(ledger_dir: Path) -> None:
    at = users_page()
    assert [t.value for t in at.title] == ["Users"]
    field(at, "Email", "add_email").input("ann@example.com")
    field(at, "First password", "add_password").input("short")
    next(b for b in at.button if b.label == "Add user").click().run()
    assert any("user not added" in e.value.lower() for e in at.error)
    assert any("12 characters" in c.value for c in at.caption)
    assert field(at, "Email", "add_email").value == "ann@example.com"  # nothing lost
    field(at, "First password", "add_password").input("long-enough-password")
    next(b for b in at.button if b.label == "Add user").click().run()
    assert not at.exception, at.exception
    store = open_ledger(get_settings().ledger_url)
    added = get_user(store, "ann@example.com")
    assert (added.role, added.entities) == ("cfo", None)
    assert password_change_required(store, "ann@example.com")
    assert field(at, "Email", "add_email").value == ""  # a new, empty form after success


def test_owner_cannot_demote_the_last_owner(ledger_dir: Path) -> None:
    at = users_page()
    at.selectbox(key="users_chosen").set_value("owner@example.com").run()
    role = next(s for s in at.selectbox if s.key.startswith("role_role_owner@example.com"))
    role.set_value("ceo")
    next(b for b in at.button if b.label == "Save role and entities").click().run()
    assert any(e.value.startswith("owner@example.com is the last owner") for e in at.error)
    store = open_ledger(get_settings().ledger_url)
    assert get_user(store, "owner@example.com").role == "owner"


def test_other_roles_get_only_the_access_message(ledger_dir: Path) -> None:
    at = sign_in("cto@example.com")
    try:
        at.switch_page("views/users.py")
    except ValueError:
        pass  # not even registered as a script for a cto: the URL shows the access message
    else:
        at.run()
        assert any("do not have access" in e.value for e in at.error)
    emails = [u.email for u in list_users(open_ledger(get_settings().ledger_url))]
    assert "cto@example.com" in emails


def test_owner_ends_another_users_sessions(ledger_dir: Path) -> None:
    store = open_ledger(get_settings().ledger_url)
    start_session(store, "cto@example.com")
    at = users_page()
    at.selectbox(key="users_chosen").set_value("cto@example.com").run()
    next(b for b in at.button if b.key == "revoke_cto@example.com").click().run()
    assert not at.exception, at.exception
    assert [s.state() for s in list_sessions(store, "cto@example.com")] == ["revoked"]
    assert any("Ended 1 session(s) of cto@example.com" in t.value for t in at.toast)
