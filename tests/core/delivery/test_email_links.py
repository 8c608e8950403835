"""Every report email links back to its dashboard page, in the HTML and the text part."""

from __future__ import annotations

from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import OPERATOR
from core.config import Settings
from core.delivery.reports import add_subscription, send_due, send_report
from core.delivery.senders import OutboxSender
from core.ledger.store import LedgerStore
from core.reports.email import LINK_TEXT, render_email
from core.reports.registry import build_scoped
from core.reports.request import ReportRequest
from core.reports.scope import resolve_scope
from tests.core.delivery.test_subscriptions import CREATED, MONDAY_8AM_LA

LA = ZoneInfo("America/Los_Angeles")


class Links(HTMLParser):
    """The href and text of every <a>."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.found.append((self._href, data.strip()))
            self._href = None


def dashboard_links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [href for href, text in parser.found if text == LINK_TEXT]


def text_link(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(f"{LINK_TEXT}: ")]
    assert len(lines) == 1, text
    return lines[0].removeprefix(f"{LINK_TEXT}: ")


@pytest.mark.parametrize(
    ("name", "entity", "path"),
    [
        ("cfo", "all", "/cfo"),
        ("yacht-delivery", "ExpertYachtDelivery", "/yacht-delivery"),
        ("client-billing", "DangerousCentaur", "/client-billing"),
        ("rental", "51st-St", "/rental"),
    ],
)
def test_html_and_text_link_to_the_page_entity_and_period(
    ledger: LedgerStore, name: str, entity: str, path: str
) -> None:
    scope = resolve_scope(ledger, entity=entity, period=202610)
    email = render_email(
        build_scoped(name, ledger, scope, tz=LA), charts=False, dashboard_url="http://dash.test"
    )
    wanted = f"http://dash.test{path}?entity={entity}&period=2026-10&compare=mom"
    html_links = dashboard_links(email.html)
    assert html_links and set(html_links) == {wanted}  # the parser unescapes &amp;
    assert "&amp;period=2026-10" in email.html  # autoescaped in the markup
    assert text_link(email.text) == wanted


def test_a_partial_consolidation_links_to_the_pages_all_choice(ledger: LedgerStore) -> None:
    scope = resolve_scope(ledger, entity="all", period=202610, allowed={"JADA", "QuickDumpNow"})
    email = render_email(build_scoped("cfo", ledger, scope, tz=LA), charts=False)
    query = parse_qs(urlsplit(text_link(email.text)).query)
    assert query["entity"] == ["all"]


def test_default_base_is_the_dashboard_url_setting(
    ledger: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.config import get_settings

    monkeypatch.setenv("DASHBOARD_URL", "https://exec.example.com/dash/")
    get_settings.cache_clear()
    try:
        scope = resolve_scope(ledger, entity="JADA", period=202610)
        email = render_email(build_scoped("cfo", ledger, scope, tz=LA), charts=False)
    finally:
        get_settings.cache_clear()
    assert text_link(email.text).startswith("https://exec.example.com/dash/cfo?entity=JADA&")


def _sent(outbox: Path) -> list[tuple[str, str]]:
    """(html, text) of every .eml in the outbox."""
    out = []
    for eml in sorted(outbox.glob("*.eml")):
        parsed = message_from_bytes(eml.read_bytes(), policy=policy.default)
        html = parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]
        text = parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        out.append((html, text))
    return out


def test_on_demand_and_scheduled_sends_carry_the_custom_dashboard_url(
    ledger: LedgerStore, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        {"EXEC_DATA_DIR": str(tmp_path), "DASHBOARD_URL": "https://exec.example.com"}
    )
    sender = OutboxSender(settings.outbox_dir)
    log = send_report(
        ledger,
        sender,
        settings,
        ReportRequest(
            reader=OPERATOR, report="yacht-delivery", entity="ExpertYachtDelivery", period=202610
        ),
        to=["owner@example.com"],
    )
    assert log.status == "sent"
    add_subscription(
        ledger,
        report="cmo",
        entity="QueenofSanDiego",
        to=["cmo@example.com"],
        cron="0 7 * * MON",
        tz="America/Los_Angeles",
        actor=OPERATOR,
        now=CREATED,
    )
    assert send_due(ledger, sender, settings, now=MONDAY_8AM_LA).sent == 1
    links = sorted(text_link(text) for _, text in _sent(settings.outbox_dir))
    assert links == [
        "https://exec.example.com/cmo?entity=QueenofSanDiego&period=2026-11&compare=mom",
        "https://exec.example.com/yacht-delivery?entity=ExpertYachtDelivery&period=2026-10"
        "&compare=mom",
    ]
    for html, text in _sent(settings.outbox_dir):
        assert dashboard_links(html) and set(dashboard_links(html)) == {text_link(text)}


def test_a_report_without_a_page_has_no_link(ledger: LedgerStore) -> None:
    from dataclasses import replace

    scope = resolve_scope(ledger, entity="JADA", period=202610)
    report = replace(build_scoped("cfo", ledger, scope, tz=LA), report="no-such-page")
    email = render_email(report, charts=False)
    assert LINK_TEXT not in email.html and LINK_TEXT not in email.text
    assert "CFO report" in email.html  # the rest of the email is unchanged
