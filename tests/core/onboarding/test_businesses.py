"""Businesses: add with a chart of accounts per kind, rename, archive; owner only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from core.auth.dashboard_users import OPERATOR, UserScope, add_user, get_user
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore, NewEntry
from core.onboarding.businesses import (
    active_entities,
    add_account,
    add_business,
    chart_of_accounts,
    list_businesses,
    rename_business,
    set_archived,
)
from core.onboarding.templates import BY_KIND, KINDS, template_for


def user(store: LedgerStore, email: str, role: str) -> UserScope:
    add_user(store, email=email, role=role, password="x" * 12)
    return get_user(store, email)


@pytest.fixture
def owner(store: LedgerStore) -> UserScope:
    return user(store, "owner@example.com", "owner")


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_business_starts_with_its_kinds_chart(
    store: LedgerStore, owner: UserScope, kind: str
) -> None:
    added = add_business(store, owner, name="Harbor Tours", kind=kind)
    paths = {a.path: a.cost_behavior for a in chart_of_accounts(store, added.id)}
    assert paths == dict(template_for(kind))
    assert "Assets:Bank:Checking" in paths and "Expenses:Uncategorized" in paths
    income = [p for p, _ in BY_KIND[kind] if p.startswith("Income:")]
    assert income and all(p in paths for p in income)
    assert added.id == "Harbor-Tours" and added.currency == "USD"


def test_the_templates_name_the_accounts_the_reports_read() -> None:
    assert ("Income:Rent", None) in template_for("rental-property")
    assert ("Income:Charters", None) in template_for("sailing-charters")
    assert ("Expenses:DumpFees", "variable") in template_for("junk-removal")
    assert ("Income:Consulting", None) in template_for("software-consultancy")
    assert ("Income:Deliveries", None) in template_for("yacht-delivery")


def test_postings_use_the_template_accounts(store: LedgerStore, owner: UserScope) -> None:
    b = add_business(store, owner, name="Dumpers", kind="junk-removal")
    before = {a.path: a.id for a in chart_of_accounts(store, b.id)}
    store.post(
        [
            NewEntry(
                b.id,
                date(2026, 10, 3),
                "Dump fee",
                [("Expenses:DumpFees", 40_00), ("Assets:Bank:Checking", -40_00)],
            )
        ]
    )
    after = {a.path: a.id for a in chart_of_accounts(store, b.id)}
    assert after == before  # no second account made


def test_bad_input_is_reported_per_field_and_nothing_written(
    store: LedgerStore, owner: UserScope
) -> None:
    add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    with pytest.raises(Invalid) as caught:
        add_business(store, owner, name="harbor tours", kind="bakery", currency="EUR")
    assert set(caught.value.fields) == {"name", "kind", "currency"}
    with pytest.raises(Invalid) as caught:
        add_business(store, owner, name="   ", kind="rental-property")
    assert "name" in caught.value.fields
    assert [b.name for b in list_businesses(store)] == ["Harbor Tours"]


def test_two_businesses_with_similar_names_get_distinct_ids(
    store: LedgerStore, owner: UserScope
) -> None:
    a = add_business(store, owner, name="Bay & Co", kind="rental-property")
    b = add_business(store, owner, name="Bay Co", kind="rental-property")
    c = add_business(store, owner, name="★", kind="rental-property")
    assert (a.id, b.id, c.id) == ("Bay-Co", "Bay-Co-2", "business")


@pytest.mark.parametrize("role", ["ceo", "cfo", "accountant"])
def test_only_an_owner_changes_businesses(store: LedgerStore, owner: UserScope, role: str) -> None:
    b = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    other = user(store, f"{role}@example.com", role)
    with pytest.raises(Forbidden):
        add_business(store, other, name="Mine", kind="rental-property")
    with pytest.raises(Forbidden):
        rename_business(store, other, b.id, name="Renamed")
    with pytest.raises(Forbidden):
        set_archived(store, other, b.id, archived=True)
    with pytest.raises(Forbidden):
        add_account(store, other, b.id, path="Expenses:Dockage")
    assert [(x.name, x.archived) for x in list_businesses(store)] == [("Harbor Tours", False)]


def test_a_demoted_owner_is_refused_at_once(store: LedgerStore, owner: UserScope) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE dashboard_users SET role = 'cfo'"))
    with pytest.raises(Forbidden):
        add_business(store, owner, name="Late", kind="rental-property")


def test_rename_keeps_the_id_and_refuses_a_taken_name(store: LedgerStore, owner: UserScope) -> None:
    a = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    add_business(store, owner, name="Dumpers", kind="junk-removal")
    rename_business(store, OPERATOR, a.id, name="Harbour Tours")
    assert store.get_entity(a.id).name == "Harbour Tours"
    rename_business(store, owner, a.id, name="harbour tours")  # its own name, other case
    with pytest.raises(Invalid) as caught:
        rename_business(store, owner, a.id, name="DUMPERS")
    assert "already exists" in caught.value.fields["name"]
    with pytest.raises(NotFound):
        rename_business(store, owner, "nope", name="X")


def test_archived_businesses_leave_the_pickers_but_keep_their_history(
    store: LedgerStore, owner: UserScope
) -> None:
    a = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    b = add_business(store, owner, name="Dumpers", kind="junk-removal")
    store.post(
        [
            NewEntry(
                a.id,
                date(2026, 10, 3),
                "Charter",
                [("Assets:Bank:Checking", 500_00), ("Income:Charters", -500_00)],
            )
        ]
    )
    set_archived(store, owner, a.id, archived=True)
    assert [e.id for e in active_entities(store)] == [b.id]
    assert {x.id: x.archived for x in list_businesses(store)} == {a.id: True, b.id: False}
    assert sum(r.cents for r in store.monthly_rows([a.id]) if r.root == "Income") == -500_00
    set_archived(store, owner, a.id, archived=False)
    assert {e.id for e in active_entities(store)} == {a.id, b.id}
    # a scoped reader's pickers offer only their own businesses (decided in the core)
    assert [e.id for e in active_entities(store, frozenset({b.id}))] == [b.id]
    assert active_entities(store, frozenset()) == []


def test_entities_from_the_command_line_are_active_usd(store: LedgerStore) -> None:
    store.add_entity(id="Old", name="Old books", kind="business")
    (only,) = list_businesses(store)
    assert (only.currency, only.archived, only.kind_label) == ("USD", False, "business")
    assert [e.id for e in active_entities(store)] == ["Old"]


def test_the_owner_extends_the_chart(store: LedgerStore, owner: UserScope) -> None:
    b = add_business(store, owner, name="Harbor Tours", kind="sailing-charters")
    assert add_account(store, owner, b.id, path="Expenses:Dockage", cost_behavior="variable")
    assert not add_account(store, owner, b.id, path="Expenses:Dockage")  # already there
    paths = {a.path: a.cost_behavior for a in chart_of_accounts(store, b.id)}
    assert paths["Expenses:Dockage"] == "variable"
    assert add_account(store, owner, b.id, path="Expenses:Permits")
    assert {a.path: a.cost_behavior for a in chart_of_accounts(store, b.id)}[
        "Expenses:Permits"
    ] == "fixed"
    with pytest.raises(Invalid) as caught:
        add_account(store, owner, b.id, path="Stuff:Things", cost_behavior="sometimes")
    assert set(caught.value.fields) == {"path", "cost_behavior"}


def test_a_database_from_before_profiles_still_opens(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/old.db"
    old = LedgerStore(url)
    old.create_all()
    old.add_entity(id="Old", name="Old books")
    with old.engine.begin() as conn:
        conn.execute(text("DROP TABLE entity_profiles"))
    old.engine.dispose()
    reopened = LedgerStore(url)
    reopened.create_all()
    set_archived(reopened, OPERATOR, "Old", archived=True)
    assert active_entities(reopened) == []
