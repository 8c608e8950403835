"""The dashboard's cached calls into the core take one ReportRequest: the cache keys on what
the report depends on, and a reader outside the scope is refused by the core at every call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.auth.dashboard_users import UserScope, get_user
from core.errors import Forbidden
from core.onboarding.businesses import rename_business
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


def owner() -> UserScope:
    return get_user(core_calls.ledger(), "owner@example.com")


def counting_entity_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    reads: list[object] = []
    real = core_calls.active_entities

    def counted(store: Any, allowed: Any = None) -> Any:
        reads.append(allowed)
        return real(store, allowed)

    monkeypatch.setattr(core_calls, "active_entities", counted)
    return reads


def test_the_page_frame_reads_the_entity_list_once_per_revision(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = counting_entity_reads(monkeypatch)
    for _ in range(3):  # three script runs of one sidebar
        with core_calls.page_frame():
            listed = core_calls.entities(None)
            assert core_calls.has_demo_data()
    assert len(reads) == 1
    assert "QuickDumpNow" in dict(listed)


def test_a_cached_entity_list_is_not_served_to_another_reader(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scoped = get_user(core_calls.ledger(), "dump@example.com").entities
    with core_calls.page_frame():
        everyone = core_calls.entities(None)  # the owner's list, cached first
        mine = core_calls.entities(scoped)
    assert len(everyone) > 1
    assert [e for e, _ in mine] == ["QuickDumpNow"]
    with core_calls.page_frame():  # and the other way round, from the cache
        assert [e for e, _ in core_calls.entities(scoped)] == ["QuickDumpNow"]
        assert core_calls.entities(None) == everyone


def test_a_change_to_the_books_is_seen_by_the_next_page_frame(ledger_dir: Path) -> None:
    with core_calls.page_frame():
        before = dict(core_calls.entities(None))
    rename_business(core_calls.ledger(), owner(), "QuickDumpNow", name="Dump Renamed")
    with core_calls.page_frame():
        assert dict(core_calls.entities(None))["QuickDumpNow"] == "Dump Renamed"
    assert before["QuickDumpNow"] != "Dump Renamed"


def test_outside_the_page_frame_every_call_reads_the_ledger(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = counting_entity_reads(monkeypatch)
    with core_calls.page_frame():
        core_calls.entities(None)
    core_calls.ledger().add_entity(id="Fresh", name="Fresh books")
    assert "Fresh" in dict(core_calls.entities(None))  # a page's own read: fresh
    assert len(reads) == 2


def test_a_business_added_or_deleted_shows_in_the_next_page_frame(ledger_dir: Path) -> None:
    """Adding or deleting an entity moves the ledger revision the sidebar's cache keys on."""
    with core_calls.page_frame():
        assert "Fresh" not in dict(core_calls.entities(None))
    core_calls.ledger().add_entity(id="Fresh", name="Fresh books")
    with core_calls.page_frame():
        assert "Fresh" in dict(core_calls.entities(None))
    core_calls.ledger().delete_entities(["Fresh"])
    with core_calls.page_frame():
        assert "Fresh" not in dict(core_calls.entities(None))
