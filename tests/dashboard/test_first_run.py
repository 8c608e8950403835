"""AppTest of a first run: report pages on an empty ledger, and the demo banner's way out."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import UserScope, add_user
from core.config import get_settings
from core.ledger.store import open_ledger
from core.onboarding.businesses import add_business, set_archived
from tests.dashboard.conftest import PASSWORD, sign_in
from tests.dashboard.test_businesses_page import empty_ledger  # noqa: F401  (fixture)

OWNER = UserScope("owner@example.com", "Owner", "owner", None)


def _open(email: str, script: str) -> AppTest:
    at = sign_in(email)
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


def _links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def test_owner_sees_the_setup_checklist_not_an_error(empty_ledger: Path) -> None:  # noqa: F811
    at = _open("owner@example.com", "views/cfo.py")
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == ["CFO"]
    # 1 done: the cfo user counts as invited
    assert any("Set up your books · 1 of 6 done" in h.value for h in at.subheader), (
        [h.value for h in at.subheader],
        [m.value for m in at.markdown],
    )
    assert any("**Add your businesses**" in m.value for m in at.markdown)
    assert "Open Businesses" in _links(at)
    assert not [b for b in at.button if b.key == "setup_dismiss"]  # dismissing is /businesses'


def test_others_get_a_plain_sentence(empty_ledger: Path) -> None:  # noqa: F811
    at = _open("cfo@example.com", "views/cfo.py")
    assert not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == [
        "The owner has not added any businesses yet. This page fills in once they do."
    ]
    assert not at.subheader


def test_demo_banner_links_the_owner_to_replace_the_demo(ledger_dir: Path) -> None:
    owner = _open("owner@example.com", "views/cfo.py")
    assert any("Demo data" in w.value for w in owner.warning)
    assert "Replace the demo with my data" in _links(owner)
    cfo = _open("dump@example.com", "views/cfo.py")
    assert any("Demo data" in w.value for w in cfo.warning)
    assert "Replace the demo with my data" not in _links(cfo)


def test_a_reader_with_no_shared_business_is_told_to_ask(empty_ledger: Path) -> None:  # noqa: F811
    store = open_ledger(get_settings().ledger_url)
    # scoped to a business that is archived later: the ledger has one, the reader sees none
    mine = add_business(store, OWNER, name="Harbor Tours", kind="sailing-charters")
    add_user(
        store, email="acct@example.com", role="accountant", password=PASSWORD, entities=mine.id
    )
    add_business(store, OWNER, name="Bay Rentals", kind="rental-property")
    set_archived(store, OWNER, mine.id, archived=True)
    at = _open("acct@example.com", "views/accounting.py")
    assert [i.value for i in at.info] == [
        "No business has been shared with you yet. Ask the owner to give you access."
    ]
