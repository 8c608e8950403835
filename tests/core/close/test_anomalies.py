"""The anomaly digest on a hand ledger: one anomaly of each kind found, none on the clean
months, expected marks keep one quiet, and scoped users see only their entities."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.dashboard_users import OPERATOR, UserScope
from core.close.anomalies import (
    anomaly_lines,
    digest,
    find_anomalies,
    mark_expected,
    period_anomalies,
    reopen,
)
from core.errors import Forbidden, Invalid, NotFound
from core.ledger.store import LedgerStore
from tests.core.close.planted import ENTITY, OTHER, PERIOD, seed

NOV = {"since": date(2026, 11, 1), "until": date(2026, 11, 30)}


def _kinds(store: LedgerStore, actor: UserScope = OPERATOR, **kw: object) -> dict[str, list]:
    found = find_anomalies(store, actor=actor, entity=ENTITY, **{**NOV, **kw})  # type: ignore[arg-type]
    out: dict[str, list] = {}
    for a in found:
        out.setdefault(a.kind, []).append(a)
    return out


def test_one_anomaly_of_each_kind_is_found_on_planted_data(store: LedgerStore) -> None:
    seed(store)
    kinds = _kinds(store)
    assert sorted(kinds) == ["cloud_spike", "duplicate", "large_charge", "new_counterparty"]
    assert all(len(v) == 1 for v in kinds.values()), kinds
    large = kinds["large_charge"][0]
    assert (large.counterparty, large.cents, large.account) == (
        "OFFICE DEPOT",
        400_00,
        "Expenses:Supplies",
    )
    assert large.baseline_cents == 107_50  # the median of 105..110 (May to October)
    dup = kinds["duplicate"][0]
    assert (dup.counterparty, dup.cents, len(dup.entry_ids)) == ("ADOBE CREATIVE CLOUD", 54_99, 2)
    new = kinds["new_counterparty"][0]
    assert (new.counterparty, new.cents) == ("NEWCO CONSULTING LLC", 2_400_00)
    spike = kinds["cloud_spike"][0]
    assert (spike.counterparty, spike.day, spike.cents) == ("AWS", date(2026, 11, 16), 31_00)


def test_the_clean_months_have_no_anomaly(store: LedgerStore) -> None:
    seed(store, planted=False)
    assert find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV) == []
    assert (
        find_anomalies(
            store, actor=OPERATOR, entity="all", since=date(2026, 3, 1), until=date(2026, 11, 30)
        )
        == []
    )


def test_ids_are_stable_and_the_lines_are_the_charges(store: LedgerStore) -> None:
    seed(store)
    first = [a.id for a in period_anomalies(store, actor=OPERATOR, entity=ENTITY, period=PERIOD)]
    again = [a.id for a in period_anomalies(store, actor=OPERATOR, entity="all", period=PERIOD)]
    assert first == again and len(set(first)) == 4
    dup = _kinds(store)["duplicate"][0]
    lines = anomaly_lines(store, actor=OPERATOR, anomaly=dup)
    assert sorted(line.entry_id for line in lines) == sorted(dup.entry_ids * 2)  # both sides
    assert {line.account for line in lines} == {"Expenses:Software", "Assets:Bank:Checking"}


def test_thresholds_decide_a_first_time_counterparty(store: LedgerStore) -> None:
    """Default $500; ANOMALY_FIRST_TIME_MIN raises it (the NewCo charge is $2,400)."""
    from core.close.anomalies_model import Thresholds

    seed(store)
    high = find_anomalies(
        store,
        actor=OPERATOR,
        entity=ENTITY,
        thresholds=Thresholds(first_time_min_cents=3_000_00),
        **NOV,
    )
    assert "new_counterparty" not in {a.kind for a in high}


def test_a_mark_expected_keeps_it_quiet_until_reopened(store: LedgerStore) -> None:
    seed(store)
    dup = _kinds(store)["duplicate"][0]
    mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=dup.id, note="two seats")
    assert "duplicate" not in _kinds(store)
    shown = _kinds(store, include_expected=True)["duplicate"][0]
    assert (shown.id, shown.status) == (dup.id, "expected")
    mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=dup.id)  # again: no error
    reopen(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=dup.id)
    assert _kinds(store)["duplicate"][0].status == "open"
    with pytest.raises(NotFound):
        reopen(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id=dup.id)
    with pytest.raises(Invalid):
        mark_expected(store, actor=OPERATOR, entity_id=ENTITY, anomaly_id="nonsense")


def test_scoped_users_see_only_their_entities(store: LedgerStore) -> None:
    seed(store)
    bolt_cfo = UserScope("c@x.io", "C", "cfo", frozenset({OTHER}))
    with pytest.raises(Forbidden):
        find_anomalies(store, actor=bolt_cfo, entity=ENTITY, **NOV)
    assert find_anomalies(store, actor=bolt_cfo, entity="all", **NOV) == []
    acme_ceo = UserScope("e@x.io", "E", "ceo", frozenset({ENTITY}))
    assert len(find_anomalies(store, actor=acme_ceo, entity="all", **NOV)) == 4
    some = find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV)[0]
    with pytest.raises(Forbidden):  # the CEO sees them, but marking is for the books' roles
        mark_expected(store, actor=acme_ceo, entity_id=ENTITY, anomaly_id=some.id)
    with pytest.raises(Forbidden):
        mark_expected(store, actor=bolt_cfo, entity_id=ENTITY, anomaly_id=some.id)
    with pytest.raises(Forbidden):
        anomaly_lines(store, actor=bolt_cfo, anomaly=some)
    cmo = UserScope("m@x.io", "M", "cmo", None)
    with pytest.raises(Forbidden):
        find_anomalies(store, actor=cmo, entity=ENTITY, **NOV)


def test_digest_is_one_line() -> None:
    assert digest([]) == "no anomalies"


def test_digest_names_the_first_three(store: LedgerStore) -> None:
    seed(store)
    line = digest(find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV))
    assert line.startswith("4 anomalies: ")
    assert "; and 1 more" in line and "\n" not in line


def test_a_write_after_a_digest_is_seen_by_the_next_one(store: LedgerStore) -> None:
    """Anomalies are kept per ledger revision: a new posting shows in the very next digest."""
    from tests.conftest import BANK, entry

    seed(store, planted=False)
    assert find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV) == []
    store.post(
        [entry(ENTITY, date(2026, 11, 9), "OFFICE DEPOT", ("Expenses:Supplies", 900), (BANK, -900))]
    )
    assert [a.kind for a in find_anomalies(store, actor=OPERATOR, entity=ENTITY, **NOV)] == [
        "large_charge"
    ]
