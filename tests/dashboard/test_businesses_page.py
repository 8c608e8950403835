"""AppTest of /businesses from an empty ledger: add, rename, archive, the checklist; owner only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.onboarding.businesses import list_businesses
from tests.dashboard.conftest import PASSWORD, sign_in


@pytest.fixture
def empty_ledger(data_dir: Path) -> Iterator[Path]:
    """No entity at all: an owner and a cfo only, as after `ensure-owner`."""
    store = open_ledger(get_settings().ledger_url)
    add_user(store, email="owner@example.com", role="owner", password=PASSWORD)
    add_user(store, email="cfo@example.com", role="cfo", password=PASSWORD)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data_dir
    st.cache_data.clear()
    st.cache_resource.clear()


def page(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/businesses.py").run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def names() -> list[tuple[str, bool]]:
    store = open_ledger(get_settings().ledger_url)
    return [(b.name, b.archived) for b in list_businesses(store)]


def test_owner_adds_renames_and_archives(empty_ledger: Path) -> None:
    at = page()
    assert [t.value for t in at.title] == ["Businesses"]
    assert any("1 of 6 done" in h.value for h in at.subheader)  # the cfo is invited
    click(at, "Add business")  # no name
    assert [e.value for e in at.error] == ["A business needs a name"]
    assert names() == []

    next(w for w in at.text_input if w.label == "Name").input("Harbor Tours")
    next(s for s in at.selectbox if s.label == "Kind").set_value("sailing-charters")
    click(at, "Add business")
    assert names() == [("Harbor Tours", False)]
    assert any("2 of 6 done" in h.value for h in at.subheader)
    assert next(w for w in at.text_input if w.label == "Name").value == ""  # a fresh form

    next(w for w in at.text_input if w.label == "Name").input("harbor tours")
    click(at, "Add business")
    assert [e.value for e in at.error] == ["A business named 'harbor tours' already exists"]

    next(w for w in at.text_input if w.label == "New name").input("Harbour Tours")
    click(at, "Rename")
    click(at, "Archive")
    assert names() == [("Harbour Tours", True)]


def test_other_roles_get_the_access_message(empty_ledger: Path) -> None:
    at = sign_in("cfo@example.com")
    try:
        at.switch_page("views/businesses.py")
    except ValueError:
        return  # not even registered as a script for a cfo
    at.run()
    assert any("do not have access" in e.value for e in at.error)
    assert not any(b.label == "Add business" for b in at.button)


def test_an_owner_without_businesses_lands_on_businesses(empty_ledger: Path) -> None:
    at = sign_in("owner@example.com")
    assert [t.value for t in at.title] == ["Businesses"]
    store = open_ledger(get_settings().ledger_url)
    store.add_entity(id="Mine", name="Mine")
    st.cache_data.clear()
    at = sign_in("owner@example.com")
    assert [t.value for t in at.title] == ["CEO report"]  # books exist: the usual first page
