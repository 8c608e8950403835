"""Account management decided in core, on SQLite and PostgreSQL: who may change whom."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from core.auth.dashboard_sessions import (
    list_sessions,
    session_user,
    sign_out_user,
    start_session,
    user_sessions,
)
from core.auth.dashboard_users import (
    OPERATOR,
    UserScope,
    add_user,
    create_user,
    ensure_owner,
    get_user,
    list_users,
    remove_user,
    set_password,
    set_role,
)
from core.auth.sign_in import (
    MAX_FAILURES,
    WINDOW,
    change_own_password,
    password_change_required,
    sign_in,
)
from core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Unauthorized
from core.ledger.store import LedgerStore
from tests.core.auth.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fast_bcrypt")
NEW = "a-brand-new-password"
OWNER, CFO, CTO = "owner@example.com", "cfo@example.com", "cto@example.com"


@pytest.fixture
def team(ledger: LedgerStore) -> LedgerStore:
    ledger.add_entity(id="A", name="Alpha")
    ledger.add_entity(id="B", name="Beta")
    add_user(ledger, email=OWNER, role="owner", password=PASSWORD)
    add_user(ledger, email=CFO, role="cfo", password=PASSWORD, entities="A")
    add_user(ledger, email=CTO, role="cto", password=PASSWORD)
    return ledger


def signs_in(store: LedgerStore, email: str, password: str) -> bool:
    try:
        sign_in(store, email, password, client="")
    except Unauthorized:
        return False
    return True


def signs_in_later(store: LedgerStore, email: str, password: str) -> bool:
    """Whether the password works once the sign-in window has passed."""
    later = datetime.now(UTC) + WINDOW
    return sign_in(store, email, password, client="", now=later).email == email


def snapshot(store: LedgerStore) -> list[tuple[str, str, str, str]]:
    return [(u.email, u.role, u.entities, u.password_hash) for u in list_users(store)]


# A scoped CFO tries every owner-only action on another user; each is refused, nothing changes.
NON_OWNER_ACTIONS: dict[str, Callable[[LedgerStore, UserScope], Any]] = {
    "set_password": lambda s, actor: set_password(s, actor, CTO, NEW),
    "set_password_self": lambda s, actor: set_password(s, actor, CFO, NEW),
    "set_role": lambda s, actor: set_role(s, actor, CTO, role="accountant"),
    "promote_self": lambda s, actor: set_role(s, actor, CFO, role="owner"),
    "remove_user": lambda s, actor: remove_user(s, actor, CTO),
    "remove_owner": lambda s, actor: remove_user(s, actor, OWNER),
    "create_user": lambda s, actor: create_user(
        s, actor, email="new@example.com", role="owner", password=PASSWORD
    ),
    "sign_out_user": lambda s, actor: sign_out_user(s, actor, CTO),
    "user_sessions": lambda s, actor: user_sessions(s, actor, CTO),
}


@pytest.mark.parametrize("action", NON_OWNER_ACTIONS)
def test_a_non_owner_may_not_manage_users(team: LedgerStore, action: str) -> None:
    cto_token = start_session(team, CTO)
    before = snapshot(team)
    with pytest.raises(Forbidden):
        NON_OWNER_ACTIONS[action](team, get_user(team, CFO))
    assert snapshot(team) == before
    assert session_user(team, cto_token) is not None


def test_a_user_sees_and_ends_only_their_own_sessions(team: LedgerStore) -> None:
    cfo = get_user(team, CFO)
    token = start_session(team, CFO, client="laptop")
    assert [i.client for i in user_sessions(team, cfo, CFO)] == ["laptop"]
    assert sign_out_user(team, cfo, CFO) == 1 and session_user(team, token) is None
    owner_view = user_sessions(team, get_user(team, OWNER), CFO)
    assert [i.state() for i in owner_view] == ["revoked"]


def test_an_owner_creates_a_user(team: LedgerStore) -> None:
    owner = get_user(team, OWNER)
    with pytest.raises(Invalid) as err:
        create_user(team, owner, email="bad", role="king", password="short", entities="Ghost")
    assert len(err.value.problems) == 4
    made = create_user(
        team,
        owner,
        email="New@Example.com",
        role="cmo",
        password=PASSWORD,
        entities="B",
        must_change=True,
    )
    assert made == get_user(team, "new@example.com") and made.entities == frozenset({"B"})
    assert password_change_required(team, "new@example.com")
    with pytest.raises(Conflict):
        create_user(team, OPERATOR, email="new@example.com", role="cmo", password=PASSWORD)


def test_a_demoted_owner_loses_rights_at_once(team: LedgerStore) -> None:
    add_user(team, email="co@example.com", role="owner", password=PASSWORD)
    stale = get_user(team, "co@example.com")  # the scope a page read before the change
    set_role(team, OPERATOR, "co@example.com", role="ceo")
    with pytest.raises(Forbidden):
        set_password(team, stale, CFO, NEW)


def test_an_unknown_actor_is_not_the_operator(team: LedgerStore) -> None:
    impostor = UserScope(email="ghost@example.com", name="", role="owner", entities=None)
    with pytest.raises(Forbidden):
        remove_user(team, impostor, CFO)


def test_change_own_password(team: LedgerStore) -> None:
    here = start_session(team, CFO, client="here")
    there = start_session(team, CFO, client="there")
    with pytest.raises(Unauthorized, match="Current password is incorrect"):
        change_own_password(team, CFO, "wrong current", NEW)
    with pytest.raises(Invalid) as err:
        change_own_password(team, CFO, PASSWORD, "short")
    assert "at least 12" in str(err.value)
    with pytest.raises(Invalid, match="differ"):
        change_own_password(team, CFO, PASSWORD, PASSWORD)
    assert session_user(team, there) is not None  # nothing happened yet
    change_own_password(team, CFO.upper(), PASSWORD, NEW, keep_token=here)
    assert session_user(team, here) is not None and session_user(team, there) is None
    assert signs_in(team, CFO, NEW) and not signs_in(team, CFO, PASSWORD)
    change_own_password(team, CFO, NEW, PASSWORD)  # no token kept: every session ends
    assert session_user(team, here) is None


def test_guessing_the_current_password_is_throttled(team: LedgerStore) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(Unauthorized, match="Current password is incorrect"):
            change_own_password(team, CFO, f"guess {_}", NEW, client="10.0.0.9")
    with pytest.raises(RateLimited):
        change_own_password(team, CFO, PASSWORD, NEW, client="10.0.0.9")
    assert signs_in_later(team, CFO, PASSWORD)


def test_owner_sets_a_password_and_signs_the_user_out(team: LedgerStore) -> None:
    token = start_session(team, CFO)
    with pytest.raises(Invalid):
        set_password(team, get_user(team, OWNER), CFO, "short")
    assert session_user(team, token) is not None
    set_password(team, get_user(team, OWNER), CFO, NEW, must_change=True)
    assert session_user(team, token) is None
    assert signs_in(team, CFO, NEW) and password_change_required(team, CFO)
    change_own_password(team, CFO, NEW, "the user's own choice")
    assert not password_change_required(team, CFO)
    with pytest.raises(NotFound):
        set_password(team, OPERATOR, "nobody@example.com", NEW)


def test_first_owner_changes_the_printed_password(ledger: LedgerStore) -> None:
    created = ensure_owner(ledger)
    assert created is not None
    email, printed = created
    assert password_change_required(ledger, email)
    change_own_password(ledger, email, printed, NEW)
    assert not password_change_required(ledger, email)
    assert not signs_in(ledger, email, printed)


def test_set_role_checks_input_and_revokes_on_change(team: LedgerStore) -> None:
    token = start_session(team, CFO)
    with pytest.raises(Invalid) as err:
        set_role(team, OPERATOR, CFO, role="king", entities="A,Ghost")
    assert "role must be one of" in str(err.value) and "unknown entity Ghost" in str(err.value)
    with pytest.raises(NotFound):
        set_role(team, OPERATOR, "nobody@example.com", role="cfo")
    same = set_role(team, OPERATOR, CFO, role="cfo", entities="A")
    assert same == get_user(team, CFO) and session_user(team, token) is not None
    changed = set_role(team, get_user(team, OWNER), CFO, role="cfo", entities="B,A")
    assert changed.entities == frozenset({"A", "B"}) == get_user(team, CFO).entities
    assert session_user(team, token) is None


def test_the_last_owner_stays(team: LedgerStore) -> None:
    owner = get_user(team, OWNER)
    with pytest.raises(Conflict) as err:
        set_role(team, owner, OWNER, role="ceo")
    assert err.value.code == "last_owner"
    with pytest.raises(Conflict):
        remove_user(team, OPERATOR, OWNER)
    set_role(team, owner, CTO, role="owner")
    remove_user(team, owner, OWNER)  # another owner exists now; an owner may remove themself
    assert [u.email for u in list_users(team) if u.role == "owner"] == [CTO]


def test_remove_user(team: LedgerStore) -> None:
    token = start_session(team, CFO)
    remove_user(team, get_user(team, OWNER), CFO.upper())
    assert session_user(team, token) is None
    assert list_sessions(team, CFO)[0].revoked_at is not None
    with pytest.raises(NotFound):
        get_user(team, CFO)
    with pytest.raises(NotFound):
        remove_user(team, OPERATOR, CFO)
    assert not signs_in(team, CFO, PASSWORD)
    add_user(team, email=CFO, role="cfo", password=NEW)  # a new user with the same email
    assert not password_change_required(team, CFO)


def test_two_owners_demoting_each_other_keep_one(team: LedgerStore) -> None:
    add_user(team, email="co@example.com", role="owner", password=PASSWORD)
    stores = [team, LedgerStore(team.url)]  # two server processes
    pairs = [(OWNER, "co@example.com"), ("co@example.com", OWNER)]
    start = threading.Barrier(2)

    def demote(i: int) -> str:
        actor, target = pairs[i]
        start.wait()
        try:
            set_role(stores[i], UserScope(actor, "", "owner", None), target, role="ceo")
        except (Conflict, Forbidden) as exc:
            return type(exc).__name__
        return "demoted"

    try:
        for _ in range(8):  # a race: a few rounds make a lost check show
            for email, _ in pairs:
                set_role(team, OPERATOR, email, role="owner")
            with ThreadPoolExecutor(2) as pool:
                outcomes = sorted(pool.map(demote, range(2)))
            # the second to run finds its actor demoted (Forbidden) or the target last
            assert outcomes[0] in {"Conflict", "Forbidden"} and outcomes[1] == "demoted"
            assert len([u for u in list_users(team) if u.role == "owner"]) == 1
    finally:
        stores[1].engine.dispose()


def test_a_database_of_an_earlier_version_keeps_working(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    old = LedgerStore(url)
    with old.engine.begin() as conn:  # the dashboard_users table as earlier versions made it
        conn.execute(
            text(
                "CREATE TABLE dashboard_users (email VARCHAR NOT NULL PRIMARY KEY, name VARCHAR"
                " NOT NULL, role VARCHAR NOT NULL, entities VARCHAR NOT NULL, password_hash"
                " VARCHAR NOT NULL, created_at DATETIME NOT NULL)"
            )
        )
    old.engine.dispose()
    store = LedgerStore(url)
    store.create_all()  # adds the new tables only
    add_user(store, email=OWNER, role="owner", password=PASSWORD)
    with store.engine.begin() as conn:  # a user made before: no row in the new tables
        conn.execute(text("DELETE FROM dashboard_user_state"))
    assert not password_change_required(store, OWNER)
    assert sign_in(store, OWNER, PASSWORD, client="c").role == "owner"
    token = start_session(store, OWNER)
    assert session_user(store, token) is not None
    set_password(store, OPERATOR, OWNER, NEW, must_change=True)
    assert password_change_required(store, OWNER)
