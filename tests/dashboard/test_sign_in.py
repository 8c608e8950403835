"""AppTest of sign-in on the core's sessions: sign out, password changes, throttling."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_sessions import list_sessions
from core.auth.dashboard_users import add_user, get_user, set_password
from core.auth.sign_in import sign_in as core_sign_in
from core.config import get_settings
from core.ledger.store import open_ledger
from dashboard import auth
from dashboard.auth import ACCOUNT_MENU_KEY
from tests.dashboard.conftest import PASSWORD, sign_in


def store():
    return open_ledger(get_settings().ledger_url)


def states(email: str) -> list[str]:
    return [s.state() for s in list_sessions(store(), email)]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def open_account_menu(at: AppTest) -> AppTest:
    """Open the sidebar's Account popover: its content is drawn only while it is open."""
    at.session_state[ACCOUNT_MENU_KEY] = True
    return at.run()


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
    at = open_account_menu(sign_in("owner@example.com"))
    button(at, "Sign out everywhere").click().run()
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert set(states("owner@example.com")) == {"revoked"}
    other.run()  # another tab's next run finds its session ended
    assert [t.label for t in other.text_input] == ["Email", "Password"]


def test_change_own_password_from_the_account_menu(ledger_dir: Path) -> None:
    at = open_account_menu(sign_in("owner@example.com"))
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


def test_the_account_menu_draws_its_form_only_while_open(ledger_dir: Path) -> None:
    at = sign_in("owner@example.com")
    assert "Account" not in {b.label for b in at.button}  # the popover itself is no button
    assert not [t for t in at.text_input if t.key and t.key.startswith("own_password")]
    assert "Sign out everywhere" not in {b.label for b in at.button}
    open_account_menu(at)
    assert {"own_password_0_current", "own_password_0_new"} <= {t.key for t in at.text_input}
    assert "Sign out everywhere" in {b.label for b in at.button}


def test_the_password_flag_is_read_once_per_session(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = auth.password_change_required

    def counted(store: object, email: str) -> bool:
        reads.append(email)
        return real(store, email)  # type: ignore[arg-type]

    monkeypatch.setattr(auth, "password_change_required", counted)
    at = sign_in("owner@example.com")
    first = len(reads)
    at.run()
    at.run()
    assert first >= 1 and len(reads) == first
    assert [t.value for t in at.title] == ["CEO report"]


def test_an_owner_forcing_a_new_password_ends_the_signed_in_session(ledger_dir: Path) -> None:
    at = sign_in("dump@example.com")
    at.run()  # the flag was read (no change needed) and remembered for this token
    owner = get_user(store(), "owner@example.com")
    set_password(store(), owner, "dump@example.com", "temporary-password-1", must_change=True)
    at.run()
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert len(at.metric) == 0
    again = sign_in("dump@example.com", "temporary-password-1")
    assert any("Choose a new password" in m.value for m in again.markdown)
    assert len(again.metric) == 0
