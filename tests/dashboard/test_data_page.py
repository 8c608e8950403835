"""AppTest of /data: source status, sync now (real stripe client, fake Stripe), scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.ledger.store import open_ledger
from core.ops.factory import open_ops
from core.ops.models import InboundEvent, utcnow
from core.sources.runs import latest_runs
from devtools.fake_stripe import FakeStripe, balance_transaction, fake_stripe
from tests.dashboard.conftest import sign_in

KEY = "sk_" + "test_" + "d" * 24
T0 = 1_790_000_000


@pytest.fixture
def stripe_server(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripe]:
    """A fake Stripe with a few transactions, configured for the dashboard."""
    with fake_stripe(KEY) as server:
        server.add(
            *[balance_transaction(f"txn_{i}", T0 + 60 * i, 10_000, fee=320) for i in range(7)]
        )
        monkeypatch.setenv("STRIPE_API_KEY", KEY)
        monkeypatch.setenv("STRIPE_API_BASE", server.base)
        get_settings.cache_clear()
        yield server


def open_data(email: str = "owner@example.com") -> AppTest:
    at = sign_in(email)
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.key == key)


def test_sources_are_listed_and_unconfigured_ones_say_what_to_set(ledger_dir: Path) -> None:
    at = open_data()
    assert [t.value for t in at.title] == ["Data"]
    text = " ".join(m.value for m in at.markdown)
    for label in ("Stripe", "AWS Cost Explorer", "AWS Lambda inventory", "Git history"):
        assert label in text
    assert _button(at, "sync_stripe").disabled
    assert any("STRIPE_API_KEY" in c.value for c in at.caption)
    assert any("GIT_REPOS" in c.value for c in at.caption)


def test_sync_now_posts_and_shows_the_outcome(stripe_server: FakeStripe) -> None:
    at = open_data()
    entity = at.selectbox(key="data_entity").value
    _button(at, "sync_stripe").click().run()
    assert not at.exception, at.exception
    assert any("7 new entries from 7 Stripe transactions" in s.value for s in at.success)
    store = open_ledger(get_settings().ledger_url)
    (run,) = [r for r in latest_runs(store, [entity]) if r.source == "stripe"]
    assert (run.status, run.items) == ("ok", 7)
    assert any("7 items" in m.value for m in at.markdown)
    history = at.dataframe[0].value
    assert list(history["Status"]) == ["✅ ok"] and list(history["Items"]) == [7]


def test_a_failed_sync_shows_its_message_and_writes_nothing(stripe_server: FakeStripe) -> None:
    at = open_data()
    store = open_ledger(get_settings().ledger_url)
    lines = store.line_count()
    stripe_server.faults[:] = ["429-stop"]
    _button(at, "sync_stripe").click().run()
    assert any("rate limiting" in e.value for e in at.error)
    assert store.line_count() == lines
    assert any("❌ **error**" in m.value for m in at.markdown)


def test_webhook_events_waiting_for_a_sync_are_shown(stripe_server: FakeStripe) -> None:
    now = utcnow()
    open_ops(get_settings()).inbound.record_inbound(
        InboundEvent("stripe", "evt_9", "payout.paid", now, now, now + timedelta(days=30))
    )
    at = open_data()
    assert any("1 event(s) since the last sync, newest payout.paid" in c.value for c in at.caption)


def test_a_scoped_user_sees_only_their_entities(ledger_dir: Path) -> None:
    at = open_data("dump@example.com")
    assert at.selectbox(key="data_entity").options == ["QuickDumpNow"]


def test_roles_without_the_page_get_the_access_message(ledger_dir: Path) -> None:
    from core.auth.dashboard_users import UserScope
    from dashboard.auth import USER_KEY

    page = str(Path(__file__).resolve().parents[2] / "views" / "data.py")
    at = AppTest.from_file(page, default_timeout=60)
    at.session_state[USER_KEY] = UserScope("cto@example.com", "CTO", "cto", None)
    at.run()
    assert any("do not have access" in e.value for e in at.error)
    assert not at.button
