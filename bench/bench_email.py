"""Email render time per report for one period: build, HTML + text, chart PNGs, MIME size,
and the attachments: the PDF and the XLSX (render time and size).

The baseline in the same run is the plain-text render of the same Report, so the figures
read as "how much the HTML, the charts and the files add"."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from core.auth.dashboard_users import OPERATOR
from core.delivery.message import Outgoing, to_mime
from core.demo import seed_demo
from core.ledger.store import LedgerStore
from core.reports.email import render_email
from core.reports.pdf import render_pdf
from core.reports.registry import BUILDERS, build_report
from core.reports.request import ReportRequest
from core.reports.text import render_text
from core.reports.xlsx import render_xlsx

LA = ZoneInfo("America/Los_Angeles")
REPEAT = 7
PERIOD = 202610


def _median_ms(fn: object, repeat: int = REPEAT) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(samples), 2)


def _request(name: str) -> ReportRequest:
    """The whole portfolio's report for the benchmark's period, as the command line asks it."""
    return ReportRequest(reader=OPERATOR, report=name, entity="all", period=PERIOD)


def _measure(name: str, store: LedgerStore) -> dict[str, object]:
    request = _request(name)
    report = build_report(store, request, tz=LA)
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
    return {
        "report": name,
        "build_ms": _median_ms(lambda: build_report(store, request, tz=LA)),
        "text_ms": _median_ms(lambda: render_text(report)),
        "html_no_charts_ms": _median_ms(lambda: render_email(report, charts=False)),
        "html_with_charts_ms": _median_ms(lambda: render_email(report)),
        "charts": len(email.images),
        "mime_kb": round(len(mime.as_bytes()) / 1024, 1),
        "pdf_ms": _median_ms(lambda: render_pdf(report)),
        "pdf_kb": round(len(render_pdf(report)) / 1024, 1),
        "xlsx_ms": _median_ms(lambda: render_xlsx(report)),
        "xlsx_kb": round(len(render_xlsx(report)) / 1024, 1),
    }


def main() -> int:
    """Measure each report; print a table and write bench/email_results.json."""
    with tempfile.TemporaryDirectory() as tmp:
        store = LedgerStore(f"sqlite:///{tmp}/ledger.db")
        seed_demo(store, months=36, today=date(2026, 11, 24))
        render_email(build_report(store, _request("cfo"), tz=LA))  # warm imports (matplotlib)
        rows = [_measure(name, store) for name in sorted(BUILDERS)]
        store.engine.dispose()
    heads = ("report", "build", "text", "html", "+charts", "charts", "MIME KB")
    heads += ("pdf", "pdf KB", "xlsx", "xlsx KB")
    widths = (14, 8, 8, 8, 9, 7, 8, 8, 8, 8, 8)
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)))
    for r in rows:
        print(
            f"{r['report']:>14} {r['build_ms']:>8} {r['text_ms']:>8} {r['html_no_charts_ms']:>8} "
            f"{r['html_with_charts_ms']:>9} {r['charts']:>7} {r['mime_kb']:>8} {r['pdf_ms']:>8} "
            f"{r['pdf_kb']:>8} {r['xlsx_ms']:>8} {r['xlsx_kb']:>8}"
        )
    out = Path(__file__).with_name("email_results.json")
    out.write_text(json.dumps(rows, indent=2))
    print(f"wrote {out} (times in ms, medians of {REPEAT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
