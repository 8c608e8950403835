"""Links from a report (an email, a notice) back to its page in the dashboard.

The query string is the one the dashboard's sidebar filters read on first load
(``dashboard/filters.py``): ``entity`` (an entity id or ``all``), ``period`` (``YYYY-MM``) and
``compare`` (``mom``, ``yoy`` or ``ytd``).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from core.errors import Invalid
from core.periods import format_period, parse_period
from core.reports.model import Report
from core.reports.scope import ALL, MINE

# report name -> st.Page url path (CONTRACT section 5)
PAGE_PATHS = {
    "ceo": "ceo",
    "cfo": "cfo",
    "cto": "cto",
    "cmo": "cmo",
    "accounting": "accounting",
    "rental": "rental",
    "yacht-delivery": "yacht-delivery",
    "client-billing": "client-billing",
    "forecast": "forecast",
}
COMPARISONS = ("mom", "yoy", "ytd")
CONSOLIDATED = frozenset({ALL, MINE})


def has_page(report_name: str) -> bool:
    """Whether the dashboard has a page for the report ``report_name``."""
    return report_name in PAGE_PATHS


def dashboard_link(report: Report, base_url: str, *, compare: str = "mom") -> str:
    """``<base_url>/<page>?entity=<id or all>&period=<YYYY-MM>&compare=<mom|yoy|ytd>``;
    Invalid for a report without a page (see ``has_page``)."""
    page = PAGE_PATHS.get(report.report)
    if page is None:
        raise Invalid(f"report {report.report!r} has no dashboard page")
    if compare not in COMPARISONS:
        raise Invalid(f"compare must be one of {', '.join(COMPARISONS)}, not {compare!r}")
    return base_url.rstrip("/") + page_link(report, page, compare=compare)


def page_link(report: Report, page: str, *, compare: str = "mom", **extra: str) -> str:
    """``/<page>?entity=..&period=..&compare=..`` (plus ``extra`` query keys) for a dashboard
    page seen in ``report``'s scope and month: a path without a host, for the page's links."""
    return scope_link(page, report.entity, parse_period(report.period), compare=compare, **extra)


def scope_link(page: str, entity: str, period: int, *, compare: str = "", **extra: str) -> str:
    """``/<page>?entity=<id or all>&period=<YYYY-MM>[&compare=..]``: a path inside the
    dashboard for a scope's entity and a month (the Needs attention list, the strip)."""
    # the page offers one "all" choice and narrows it to the reader's own entities itself
    entity = ALL if entity in CONSOLIDATED else entity
    query = urlencode(
        {
            "entity": entity,
            "period": format_period(period),
            **({"compare": compare} if compare else {}),
            **extra,
        },
        quote_via=quote,  # %20, not "+": the same in every browser and mail client
    )
    return f"/{quote(page)}?{query}"
