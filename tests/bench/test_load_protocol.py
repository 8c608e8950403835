"""The browserless load client against the real app: it signs in, opens pages, sees them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load_clients import check, protocol_session
from bench.load_protocol import ProtocolSession, Screen
from bench.load_runs import read_runs
from bench.load_servers import demo_dashboard
from bench.load_session import CFO_LABELS, OWNER


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo dashboard on loopback; its URL and its script-run log."""
    data = tmp_path_factory.mktemp("load-protocol")
    run_log = data / "runs.jsonl"
    with demo_dashboard(data, data / "streamlit.log", run_log) as (_, url):
        yield url, run_log


def test_a_protocol_user_signs_in_opens_cfo_changes_the_comparison_and_opens_ceo(
    app: tuple[str, Path],
) -> None:
    url, run_log = app
    session = asyncio.run(protocol_session(url, None, asyncio.Semaphore(1), timeout_s=60))
    assert session.error is None and session.ok
    assert session.sign_in_s and session.cfo_s and session.compare_s and session.ceo_s
    assert session.charts >= 4 and session.kpis >= 8 and session.exception_boxes == 0
    runs = read_runs(run_log.read_text())
    pages = [r["page"] for r in runs if r["ended"] == "done"]
    assert pages[-3:] == ["cfo", "cfo", "ceo"]  # open, the comparison's rerun, CEO
    assert len({r["session"] for r in runs}) == 1


def test_a_wrong_password_shows_the_form_again_and_no_page(app: tuple[str, Path]) -> None:
    url, _ = app

    async def wrong() -> tuple[Screen, Screen]:
        client = ProtocolSession(url, timeout_s=60)
        await client.open()
        try:
            form = await client.load("")
            w = form.widgets
            answer = await client.submit(
                {w["Email"]: OWNER, w["Password"]: "not-it-42"}, w["Sign in"]
            )
            cfo = await client.load("cfo")  # typing the URL while signed out
        finally:
            await client.close()
        return answer, cfo

    answer, cfo = asyncio.run(wrong())
    assert "Sign in" in answer.widgets and not answer.metric_labels
    assert "CEO report" in check(answer, "CEO report", (), 0, 0)
    assert "Sign in" in cfo.widgets and "CFO report" not in cfo.headings


def test_check_names_what_a_user_would_miss() -> None:
    whole = Screen(headings=["CFO report"], metric_labels=[*CFO_LABELS, "a", "b", "c", "d"])
    whole.charts = 4
    assert check(whole, "CFO report", CFO_LABELS, 4, 8) == ""
    assert check(whole, "CEO report", (), 0, 0).startswith("no 'CEO report' heading")
    broken = Screen(headings=["CFO report"], exceptions=["KeyError: 'x'"])
    assert check(broken, "CFO report", (), 0, 0) == "exception box: KeyError: 'x'"
    short = Screen(headings=["CFO report"], metric_labels=["Revenue"])
    assert check(short, "CFO report", CFO_LABELS, 0, 0).startswith("missing KPI tiles: Expenses")
    assert check(whole, "CFO report", CFO_LABELS, 5, 8) == "4 charts and 8 KPI tiles drawn"
