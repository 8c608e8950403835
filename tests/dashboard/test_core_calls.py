"""The dashboard's cached calls into the core take one ReportRequest: the cache keys on what
the report depends on, and a reader outside the scope is refused by the core at every call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.auth.dashboard_users import get_user
from core.errors import Forbidden
from core.reports.request import ReportRequest
from dashboard import core_calls

PERIOD = 202610


def ask(email: str, entity: str, comparison: str = "mom") -> ReportRequest:
    reader = get_user(core_calls.ledger(), email)
    return ReportRequest(
        reader=reader, report="cfo", entity=entity, period=PERIOD, comparison=comparison
    )


def test_readers_with_one_scope_share_the_cached_report(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[ReportRequest] = []
    real = core_calls.build_report

    def counted(store: Any, request: ReportRequest, **kw: Any) -> Any:
        built.append(request)
        return real(store, request, **kw)

    monkeypatch.setattr(core_calls, "build_report", counted)
    core_calls.report(ask("owner@example.com", "all"))
    core_calls.report(ask("owner@example.com", "all", comparison="ytd"))  # a page setting only
    assert len(built) == 1
    scoped = core_calls.report(ask("dump@example.com", "all"))  # another scope: built anew
    assert len(built) == 2 and scoped.entity == "mine"


DOORS: dict[str, Callable[[ReportRequest], object]] = {
    "report": core_calls.report,
    "drill": lambda r: core_calls.drill(r, "revenue"),
    "queue": core_calls.queue,
    "targets": lambda r: core_calls.save_report_targets(r, values={}, rest_of_year=False),
    "email_preview": core_calls.email_preview,
    "send": lambda r: core_calls.send_report_email(r, to=["dump@example.com"]),
}


@pytest.mark.parametrize("door", list(DOORS))
def test_every_call_refuses_an_entity_outside_the_readers_scope(
    ledger_dir: Path, door: str
) -> None:
    with pytest.raises(Forbidden, match="JADA"):
        DOORS[door](ask("dump@example.com", "JADA"))
    assert core_calls.deliveries(get_user(core_calls.ledger(), "owner@example.com")) == []
