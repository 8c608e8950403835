"""Every report renders as an email with its numbers, charts as CID images, escaped text."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape

from core.delivery.message import Outgoing, to_mime
from core.ledger.store import LedgerStore
from core.reports.email import _ENV, render_email
from core.reports.formatting import format_value
from core.reports.registry import BUILDERS, build_scoped
from core.reports.scope import resolve_scope
from tests.conftest import BANK, entry

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_report_renders_its_numbers_and_charts(ledger: LedgerStore, name: str) -> None:
    report = build_scoped(name, ledger, resolve_scope(ledger, entity="all", period=202610), tz=LA)
    email = render_email(report, demo=True)
    assert email.subject == f"{report.title}: All entities (consolidated), Oct 2026"
    for k in report.kpis:
        assert k.label in email.html and format_value(k.value, k.unit) in email.html
        assert format_value(k.value, k.unit) in email.text
    charts = [i for s in report.sections for i in s.items if i.type == "chart"]
    assert len(email.images) == len(charts)
    assert name != "cfo" or len(charts) >= 4
    for cid, png in email.images.items():
        assert f'src="cid:{cid}"' in email.html
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "America/Los_Angeles" in email.html and "data through" in email.html
    assert "Demo data" in email.html
    tables = [i for s in report.sections for i in s.items if i.type == "table"]
    for t in tables:
        assert str(escape(t.title)) in email.html  # autoescaped, as Jinja2 does
        first = t.columns[0]
        for row in t.rows:
            cell = (
                row[first.key] if first.unit == "text" else format_value(row[first.key], first.unit)
            )
            assert f">{escape(cell)}</td>" in email.html


def test_text_and_html_parts_and_inline_images_in_the_mime(ledger: LedgerStore) -> None:
    report = build_scoped("cfo", ledger, resolve_scope(ledger, entity="JADA", period=202610), tz=LA)
    email = render_email(report)
    mime = to_mime(
        Outgoing(
            "r@example.com",
            ["a@example.com"],
            email.subject,
            email.text,
            email.html,
            images=email.images,
        )
    )
    parsed = message_from_bytes(mime.as_bytes(), policy=policy.default)
    assert parsed.get_body(("plain",)).get_content().startswith("CFO report: JADA")
    html = parsed.get_body(("html",))
    assert "cid:chart-pnl_trend" in html.get_content()
    cids = {p["Content-ID"] for p in parsed.walk() if p.get_content_type() == "image/png"}
    assert cids == {f"<{c}>" for c in email.images}


def test_markup_in_ledger_data_is_escaped(store: LedgerStore) -> None:
    store.add_entity(id="X", name="<script>alert('x')</script> Boats")
    store.post(
        [
            entry(
                "X",
                date(2026, 10, 2),
                "<script>alert(1)</script>",
                (BANK, 10),
                ("Income:Sales", -10),
                memo="<script>alert(2)</script>",
            )
        ]
    )
    report = build_scoped("cfo", store, resolve_scope(store, entity="X", period=202610), tz=LA)
    html = render_email(report, charts=False).html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Boats" in html


def test_autoescape_is_on_whatever_the_template_name() -> None:
    for name in ("x.txt", "x.j2", "x"):
        template = _ENV.from_string("{{ v }}")
        assert template.render(v="<b>") == "&lt;b&gt;", name
    assert _ENV.autoescape is True
