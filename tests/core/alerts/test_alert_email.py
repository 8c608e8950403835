"""The alert email through SES (moto): what crossed, value, threshold, previous value, the
KPI's last 12 months inline, and a link to the report's page with its filters."""

from __future__ import annotations

from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from core.alerts.run import run_alerts
from core.config import Settings
from core.delivery.senders import SesSender
from core.ledger.store import LedgerStore
from tests.core.alerts.conftest import NOW, SENDER, move_cash, rule, sent_raw


def test_the_alert_email_says_what_crossed_with_its_chart_and_link(
    hand: LedgerStore, tmp_path: Any, ses: Any, moto_endpoint: str
) -> None:
    settings = Settings.from_env(
        {
            "EXEC_DATA_DIR": str(tmp_path),
            "SES_FROM_ADDRESS": SENDER,
            "DASHBOARD_URL": "https://dash.example.com",
        }
    )
    rule(hand, settings, threshold=500, to="boss@example.com")
    sender = SesSender(client=ses, max_send_rate=1000)
    assert run_alerts(hand, sender, settings, now=NOW).sent == 0  # $1,000: the previous value
    move_cash(hand, -800)
    assert run_alerts(hand, sender, settings, now=NOW).sent == 1

    [raw] = sent_raw(moto_endpoint)
    assert set(raw["destinations"]) == {"boss@example.com"}  # (moto lists header and envelope)
    mail = message_from_string(raw["raw_data"], policy=policy.default)
    assert isinstance(mail, EmailMessage)
    assert mail["Subject"] == "Alert: Cash is $200, below $500 (Acme <Boats> & Co)"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    for line in ("Value now:      $200", "Threshold:      $500", "Previous value: $1,000"):
        assert line in text
    link = "https://dash.example.com/cfo?entity=Acme&period=2026-11&compare=mom"
    assert f"Open in the dashboard: {link}" in text
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Acme &lt;Boats&gt; &amp; Co" in html and "<Boats>" not in html  # escaped
    assert f'href="{link.replace("&", "&amp;")}"' in html
    assert 'src="cid:alert-kpi"' in html and "Cash, last 12 months" in html
    [png] = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert png["Content-ID"] == "<alert-kpi>"
    assert png.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
