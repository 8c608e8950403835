"""One report request from every door: frozen, hashable, its scope resolved once in the core,
and a reader outside it refused (Forbidden) by every door that takes it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.config import Settings
from core.delivery.reports import delivery_log, send_report
from core.delivery.senders import OutboxSender
from core.errors import Forbidden, Invalid
from core.ledger.store import LedgerStore
from core.reports import request as request_module
from core.reports.accounting import uncategorized_for
from core.reports.drilldown import drill_down_for
from core.reports.registry import build_report
from core.reports.request import ReportRequest, resolve_request
from core.reports.targets import save_targets_for
from tests.conftest import BANK, entry

TZ = ZoneInfo("America/Los_Angeles")
PERIOD = 202610


def reader(entities: set[str] | None, role: str = "owner") -> UserScope:
    """A dashboard user limited to ``entities`` (None: every entity)."""
    scope = None if entities is None else frozenset(entities)
    return UserScope(email=f"{role}@example.com", name=role, role=role, entities=scope)


def ask(who: UserScope, entity: str, report: str = "cfo", **kw: Any) -> ReportRequest:
    return ReportRequest(reader=who, report=report, entity=entity, period=PERIOD, **kw)


@pytest.fixture
def books(store: LedgerStore) -> LedgerStore:
    """Two entities with a sale each and one uncategorized line each, in October 2026."""
    for eid in ("A", "B"):
        store.add_entity(id=eid, name=f"Company {eid}")
        store.post(
            [
                entry(eid, date(2026, 10, 5), "sale", (BANK, 100), ("Income:Sales", -100)),
                entry(eid, date(2026, 10, 6), "mystery", ("Expenses:Uncategorized", 7), (BANK, -7)),
            ]
        )
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"EXEC_DATA_DIR": str(tmp_path)})


def test_the_request_is_frozen_and_hashable() -> None:
    request = ask(reader({"A", "B"}), "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.entity = "B"  # type: ignore[misc]
    same = ask(reader({"B", "A"}), "A")
    assert hash(request) == hash(same) and {request: 1}[same] == 1
    assert request != ask(reader({"A"}), "A")


def test_the_cache_key_is_what_the_report_depends_on() -> None:
    cfo, ceo = reader({"A", "B"}, "cfo"), reader({"B", "A"}, "ceo")
    assert ask(cfo, "A").cache_key == ask(ceo, "A", comparison="ytd").cache_key
    assert ask(cfo, "A").cache_key != ask(reader({"A"}), "A").cache_key  # another scope
    assert ask(cfo, "A").cache_key != ask(reader(None), "A").cache_key
    day = date(2026, 10, 15)
    assert (
        ask(cfo, "A", "client-billing").cache_key
        != ask(cfo, "A", "client-billing", as_of=day).cache_key
    )
    hash(ask(cfo, "A").cache_key)


def test_an_unknown_comparison_is_refused() -> None:
    with pytest.raises(Invalid, match="comparison"):
        ask(reader(None), "A", comparison="qoq")


def test_the_scope_follows_the_reader(books: LedgerStore) -> None:
    assert resolve_request(books, ask(reader({"A"}), "all")).entity_ids == ("A",)
    assert resolve_request(books, ask(OPERATOR, "all")).entity_ids == ("A", "B")


def _doors(store: LedgerStore, settings: Settings) -> dict[str, Callable[[ReportRequest], object]]:
    """Every core function a door hands a request to."""
    built = build_report(store, ask(OPERATOR, "A"), tz=TZ)  # a report to save targets against
    sender = OutboxSender(settings.outbox_dir)
    return {
        "report": lambda r: build_report(store, r, tz=TZ),
        "drill": lambda r: drill_down_for(store, r, "revenue"),
        "queue": lambda r: uncategorized_for(store, r),
        "targets": lambda r: save_targets_for(store, r, report=built, values={"revenue": 1.0}),
        "send": lambda r: send_report(store, sender, settings, r, to=["a@example.com"]),
    }


@pytest.mark.parametrize("door", ["report", "drill", "queue", "targets", "send"])
def test_the_scope_is_resolved_once_per_call(
    books: LedgerStore, settings: Settings, monkeypatch: pytest.MonkeyPatch, door: str
) -> None:
    call = _doors(books, settings)[door]
    calls: list[str] = []
    real = request_module.resolve_scope

    def counted(*args: Any, **kw: Any) -> Any:
        calls.append(kw["entity"])
        return real(*args, **kw)

    monkeypatch.setattr(request_module, "resolve_scope", counted)
    call(ask(reader({"A"}), "A"))
    assert calls == ["A"]


@pytest.mark.parametrize("door", ["report", "drill", "queue", "targets", "send"])
def test_a_reader_outside_the_scope_is_refused_by_every_door(
    books: LedgerStore, settings: Settings, door: str
) -> None:
    call = _doors(books, settings)[door]
    before = books.targets("B")
    with pytest.raises(Forbidden, match="'B'"):
        call(ask(reader({"A"}), "B"))
    assert books.targets("B") == before
    assert delivery_log(books, actor=OPERATOR) == []  # nothing sent, nothing logged
    call(ask(reader({"A", "B"}), "B"))  # the same door lets a reader with B in
