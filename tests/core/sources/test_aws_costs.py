"""Cost Explorer sync against moto: cents, pages, the window, demo precedence, errors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.errors import Invalid, Unavailable
from core.ledger.models_tech import CloudCost
from core.ledger.store import LedgerStore
from core.reports.registry import build_scoped
from core.reports.scope import resolve_scope
from core.sources.aws_costs import sync_aws_costs, to_cents
from core.sources.runs import latest_runs, run_history
from core.tech import store as tech_store
from core.tech.store import insert_rows
from tests.core.sources.moto_helpers import (
    access_denied_keys,
    client,
    cost_requests,
    dead_endpoint,
    queue_cost_results,
    reset,
)

TODAY = date(2026, 11, 24)
LA = ZoneInfo("America/Los_Angeles")


def month(start: str, *groups: tuple[str, str], unit: str = "USD") -> dict[str, Any]:
    """One ResultsByTime item as Cost Explorer writes it."""
    return {
        "TimePeriod": {"Start": start, "End": start[:8] + "28"},
        "Total": {},
        "Groups": [
            {"Keys": [svc], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": unit}}}
            for svc, amount in groups
        ],
        "Estimated": False,
    }


def cost_rows(store: LedgerStore, entity: str = "A") -> list[tuple[Any, ...]]:
    c = CloudCost
    q = select(c.month, c.service, c.cost_cents, c.source).where(c.entity_id == entity)
    with store.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(q))


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("1.005", 101),
        ("0.005", 1),
        ("0.0049999", 0),
        ("12.3456789", 1235),
        ("-0.005", -1),  # credits round away from zero too
        ("0", 0),
        ("1500", 150_000),
    ],
)
def test_dollar_strings_become_cents_half_up(amount: str, cents: int) -> None:
    assert to_cents(amount) == cents


def test_every_page_of_the_window_is_written_in_cents(acme: LedgerStore, moto: str) -> None:
    queue_cost_results(
        moto,
        {
            "ResultsByTime": [
                month("2026-09-01", ("AWS Lambda", "1.005"), ("Amazon EC2", "10.004999")),
                month("2026-10-01", ("Amazon EC2", "20")),
            ],
            "NextPageToken": "page-2",
        },
        {  # October's groups continue on the second page
            "ResultsByTime": [
                month("2026-10-01", ("AWS Lambda", "2.5")),
                month("2026-11-01", ("Amazon S3", "0.004"), ("AWS Lambda", "3.333")),
            ]
        },
    )
    seen: list[tuple[float, str]] = []
    summary = sync_aws_costs(
        acme,
        "A",
        client=client("ce", moto),
        months=2,
        today=TODAY,
        progress=lambda share, text: seen.append((share, text)),
    )
    assert cost_rows(acme) == [
        (202609, "AWS Lambda", 101, "cost-explorer"),
        (202609, "Amazon EC2", 1000, "cost-explorer"),
        (202610, "AWS Lambda", 250, "cost-explorer"),
        (202610, "Amazon EC2", 2000, "cost-explorer"),
        (202611, "AWS Lambda", 333, "cost-explorer"),
        (202611, "Amazon S3", 0, "cost-explorer"),
    ]
    first, second = cost_requests()
    assert first == {
        "TimePeriod": {"Start": "2026-09-01", "End": "2026-11-24"},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    }
    assert second == {**first, "NextPageToken": "page-2"}
    assert summary == "6 cost lines of 3 services, 2026-09 to 2026-11: $36.84 in all"
    (run,) = latest_runs(acme, ["A"])
    assert (run.source, run.status, run.items, run.message) == ("aws-costs", "ok", 6, summary)
    shares = [s for s, _ in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0


def test_a_resync_replaces_the_window_only(acme: LedgerStore, moto: str) -> None:
    older = {"entity_id": "A", "month": 202606, "service": "Amazon EC2", "cost_cents": 777}
    insert_rows(acme, CloudCost, [{**older, "source": "cost-explorer"}])
    queue_cost_results(
        moto,
        {"ResultsByTime": [month("2026-10-01", ("Amazon EC2", "5"), ("Amazon RDS", "7"))]},
    )
    sync_aws_costs(acme, "A", client=client("ce", moto), months=1, today=TODAY)
    reset(moto)  # moto answers a repeated request with its first answer; AWS would not
    queue_cost_results(moto, {"ResultsByTime": [month("2026-10-01", ("Amazon EC2", "6"))]})
    summary = sync_aws_costs(acme, "A", client=client("ce", moto), months=1, today=TODAY)
    assert cost_rows(acme) == [  # RDS went to nothing: its stale October line is gone
        (202606, "Amazon EC2", 777, "cost-explorer"),  # outside the window: kept
        (202610, "Amazon EC2", 600, "cost-explorer"),
    ]
    assert summary.startswith("1 cost lines of 1 services, 2026-10 to 2026-11")


def test_the_cto_report_shows_cost_explorer_not_demo_plus_real(
    acme: LedgerStore, moto: str
) -> None:
    demo = [
        ("A", 202610, "Amazon EC2", 50_000),  # hidden by the real October
        ("A", 202610, "GitHub", 4_000),  # a demo-only label: hidden too (same month)
        ("A", 202609, "Amazon EC2", 40_000),  # hidden by the real September
        ("A", 202607, "Amazon EC2", 30_000),  # outside the synced window: the demo stays
        ("B", 202610, "Amazon EC2", 9_900),  # another entity: untouched
    ]
    insert_rows(
        acme,
        CloudCost,
        [{"entity_id": e, "month": m, "service": s, "cost_cents": c} for e, m, s, c in demo],
    )
    queue_cost_results(
        moto,
        {
            "ResultsByTime": [
                month("2026-09-01", ("Amazon EC2", "100.00")),
                month("2026-10-01", ("Amazon EC2", "123.45"), ("AWS Lambda", "1.55")),
            ]
        },
    )
    sync_aws_costs(acme, "A", client=client("ce", moto), months=2, today=TODAY)
    now = datetime(2026, 11, 24, 9, tzinfo=LA)
    report = build_scoped(
        "cto", acme, resolve_scope(acme, entity="A", period=202610), tz=LA, now=now
    )
    cost = report.kpi("cloud_cost")
    assert (cost.value, cost.delta_mom) == (125.0, 25.0)
    assert report.ytd["cloud_cost"].value == 300.0 + 100.0 + 125.0  # July demo + Sep + Oct
    both = build_scoped(
        "cto", acme, resolve_scope(acme, entity="all", period=202610), tz=LA, now=now
    )
    assert both.kpi("cloud_cost").value == 125.0 + 99.0
    assert {(r.service, r.cents) for r in tech_store.costs(acme, ["A"], 202610, 202610)} == {
        ("Amazon EC2", 12_345),
        ("AWS Lambda", 155),
    }


def test_access_denied_is_unavailable_and_keeps_the_old_lines(acme: LedgerStore, moto: str) -> None:
    queue_cost_results(moto, {"ResultsByTime": [month("2026-10-01", ("Amazon EC2", "5"))]})
    sync_aws_costs(acme, "A", client=client("ce", moto), months=1, today=TODAY)
    before = cost_rows(acme)
    with access_denied_keys(moto) as keys, pytest.raises(Unavailable) as caught:
        sync_aws_costs(acme, "A", client=client("ce", moto, **keys), months=1, today=TODAY)
    assert "Cost Explorer refused the request" in str(caught.value)
    assert "ce:GetCostAndUsage" in str(caught.value)
    assert cost_rows(acme) == before == [(202610, "Amazon EC2", 500, "cost-explorer")]
    latest = run_history(acme, ["A"])[0]
    assert latest.status == "error" and "ce:GetCostAndUsage" in latest.message


def test_an_unreachable_endpoint_is_unavailable_and_writes_nothing(acme: LedgerStore) -> None:
    with pytest.raises(Unavailable, match="Cost Explorer could not be reached"):
        sync_aws_costs(acme, "A", client=client("ce", dead_endpoint()), today=TODAY)
    assert cost_rows(acme) == []
    (run,) = latest_runs(acme, ["A"])
    assert run.status == "error" and "could not be reached" in run.message


def test_other_currencies_are_refused(acme: LedgerStore, moto: str) -> None:
    queue_cost_results(
        moto, {"ResultsByTime": [month("2026-10-01", ("Amazon EC2", "5"), unit="EUR")]}
    )
    with pytest.raises(Invalid, match="reports in EUR"):
        sync_aws_costs(acme, "A", client=client("ce", moto), months=1, today=TODAY)
    assert cost_rows(acme) == []


@pytest.mark.parametrize("months", [-1, 38])
def test_months_out_of_range_is_bad_input_before_any_run(acme: LedgerStore, months: int) -> None:
    with pytest.raises(Invalid, match="months must be between 0 and 37"):
        sync_aws_costs(acme, "A", client=object(), months=months, today=TODAY)
    assert latest_runs(acme, ["A"]) == []


def test_first_of_the_month_with_no_whole_month_reads_nothing(acme: LedgerStore) -> None:
    summary = sync_aws_costs(acme, "A", client=object(), months=0, today=date(2026, 11, 1))
    assert summary == "nothing to read yet for 2026-11"
    assert cost_rows(acme) == []
