"""Dashboard fixtures: a seeded ledger and ops store, users of each kind, AppTest sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.auth.dashboard_users import add_user
from core.config import get_settings
from core.demo import seed_demo
from core.ledger.store import open_ledger
from core.ops.demo import seed_ops_demo
from core.ops.factory import open_ops
from core.ops.models import utcnow

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def ledger_dir(data_dir: Path) -> Iterator[Path]:
    """A seeded ledger with an owner, a scoped cfo and a cto; Streamlit caches cleared."""
    store = open_ledger(get_settings().ledger_url)
    seed_demo(store, months=14, today=datetime.now(get_settings().tz).date())
    add_user(store, email="owner@example.com", role="owner", password=PASSWORD)
    add_user(
        store, email="dump@example.com", role="cfo", password=PASSWORD, entities="QuickDumpNow"
    )
    add_user(store, email="cto@example.com", role="cto", password=PASSWORD)
    seed_ops_demo(open_ops(get_settings()).service, now=utcnow())
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data_dir
    st.cache_data.clear()
    st.cache_resource.clear()


def sign_in(email: str, password: str = PASSWORD, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():  # the URL's filters, read on first load
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at
