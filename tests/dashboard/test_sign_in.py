"""AppTest of sign-in on the core's sessions: sign out, password changes, throttling."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_sessions import list_sessions
from core.auth.dashboard_users import add_user
from core.auth.sign_in import sign_in as core_sign_in
from core.config import get_settings
from core.ledger.store import open_ledger
from tests.dashboard.conftest import PASSWORD, sign_in


def store():
    return open_ledger(get_settings().ledger_url)


def states(email: str) -> list[str]:
    return [s.state() for s in list_sessions(store(), email)]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_sign_in_starts_a_session_and_sign_out_revokes_it(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    assert states("owner@example.com") == ["live"]
    button(at, "Sign out").click().run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert len(at.metric) == 0
    assert states("owner@example.com") == ["revoked"]


def test_sign_out_everywhere_ends_every_session(ledger_dir: Path) -> None:
    core_sign_in(store(), "owner@example.com", PASSWORD, client="")
    other = sign_in("owner@example.com")
    at = sign_in("owner@example.com")
    button(at, "Sign out everywhere").click().run()
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert set(states("owner@example.com")) == {"revoked"}
    other.run()  # another tab's next run finds its session ended
    assert [t.label for t in other.text_input] == ["Email", "Password"]


def test_change_own_password_from_the_account_menu(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    new = "another-long-password"
    at.text_input(key="own_password_0_current").input(PASSWORD)
    at.text_input(key="own_password_0_new").input(new)
    at.text_input(key="own_password_0_again").input(new)
    button(at, "Change password").click().run()
    assert any("Password changed" in s.value for s in at.success)
    assert [t.value for t in at.title] == ["CEO report"]  # still signed in here
    assert core_sign_in(store(), "owner@example.com", new, client="").role == "owner"


def test_a_user_who_must_change_the_password_sees_only_that_form(ledger_dir: Path) -> None:
    add_user(
        store(),
        email="fresh@example.com",
        role="ceo",
        password=PASSWORD,
        must_change_password=True,
    )
    at = sign_in("fresh@example.com")
    assert any("Choose a new password" in m.value for m in at.markdown)
    assert len(at.metric) == 0
    assert [t.label for t in at.text_input] == [
        "Current password",
        "New password",
        "New password again",
    ]
    at.text_input[0].input(PASSWORD)
    at.text_input[1].input("fresh-and-long-password")
    at.text_input[2].input("fresh-and-long-password")
    button(at, "Save new password").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["CEO report"]


def test_too_many_wrong_passwords_show_the_wait_message(ledger_dir: Path) -> None:
    for _ in range(5):
        at = sign_in("cto@example.com", "not-the-password")
        assert any(e.value == "Email or password is incorrect." for e in at.error)
    at = sign_in("cto@example.com")  # the right one, from a new session
    assert any(e.value.startswith("Too many sign-in attempts. Wait") for e in at.error)
    assert len(at.metric) == 0
