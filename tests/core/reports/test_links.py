"""Links back to the dashboard: the page, and the query the sidebar filters read."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from core.errors import Invalid
from core.reports.links import PAGE_PATHS, dashboard_link
from core.reports.model import Report
from core.reports.registry import BUILDERS
from core.reports.scope import ALL, MINE

BASE = Report(
    report="yacht-delivery",
    title="Yacht delivery report",
    entity="ExpertYachtDelivery",
    entity_name="Expert Yacht Delivery",
    period="2026-10",
    as_of="2026-11-24T08:00:00-08:00",
    timezone="America/Los_Angeles",
    currency="USD",
    kpis=[],
)


def test_link_names_page_entity_period_and_comparison() -> None:
    link = dashboard_link(BASE, "http://localhost:8501")
    assert link == (
        "http://localhost:8501/yacht-delivery?entity=ExpertYachtDelivery&period=2026-10&compare=mom"
    )


@pytest.mark.parametrize("entity", [ALL, MINE])
def test_consolidated_reports_link_to_all(entity: str) -> None:
    link = dashboard_link(replace(BASE, report="cfo", entity=entity), "https://dash.example.com/")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "dash.example.com", "/cfo")
    assert parse_qs(parts.query) == {"entity": [ALL], "period": ["2026-10"], "compare": ["mom"]}


def test_values_are_url_encoded() -> None:
    odd = replace(BASE, entity="Bob & Sons #1/x?y=z")
    link = dashboard_link(odd, "https://dash.example.com/base", compare="yoy")
    assert "Bob%20%26%20Sons%20%231%2Fx%3Fy%3Dz" in link
    parts = urlsplit(link)
    assert parts.path == "/base/yacht-delivery" and not parts.fragment
    assert parse_qs(parts.query)["entity"] == ["Bob & Sons #1/x?y=z"]
    assert parse_qs(parts.query)["compare"] == ["yoy"]


def test_unknown_comparison_or_report_is_refused() -> None:
    with pytest.raises(Invalid):
        dashboard_link(BASE, "http://x", compare="week")
    with pytest.raises(Invalid):
        dashboard_link(replace(BASE, report="forecast-xyz"), "http://x")


def test_every_report_has_a_page_that_exists() -> None:
    from dashboard.navigation import PAGES  # the test may import streamlit; core may not

    urls = {p.url for p in PAGES}
    assert set(PAGE_PATHS) == set(BUILDERS)
    for name, path in PAGE_PATHS.items():
        assert path in urls, name


def test_core_link_and_email_code_never_import_streamlit() -> None:
    code = "import sys, core.reports.email, core.reports.links; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
