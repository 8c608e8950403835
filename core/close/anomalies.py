"""The anomaly digest: odd charges found in the ledger, for a user's scope, with the owner's
"expected" marks applied (see :mod:`core.close.anomalies_rules` for the four rules).

Anomalies are found when asked (after an import or a sync, by `close status`, the CLI and the
pages) from narrow reads (:mod:`core.close.anomalies_reads`), and kept in memory per ledger
revision; only the marks are stored. An anomaly's id is stable (its kind, entity and the
entries behind it), so a mark keeps it quiet in every later digest.

Who: the owner, the CFO and the accountant (they close the books) and the CEO (whose page
lists open anomalies) see them, each only for the entities of their scope; the first three
may mark one expected.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from core.auth.dashboard_users import UserScope
from core.close.anomalies_marks import drop_mark, marks_of, save_mark
from core.close.anomalies_model import Anomaly, Thresholds
from core.close.anomalies_reads import Charge, paid_between, read_charges, read_history
from core.close.anomalies_rules import cloud_spikes, duplicates, first_time, large_charges
from core.config import get_settings
from core.errors import Forbidden
from core.ledger.access import BOOK_ROLES, authorize_books
from core.ledger.lines import LedgerLine, entry_lines
from core.ledger.models import ImportRunEntry, JournalEntry
from core.ledger.models_anomalies import AnomalyMark
from core.ledger.store import LedgerStore, ledger_revision
from core.periods import first_day, last_day, month_add, month_of

VIEW_ROLES = BOOK_ROLES | {"ceo"}
KIND_ORDER = ("duplicate", "large_charge", "cloud_spike", "new_counterparty")
_CACHE: dict[tuple[object, ...], tuple[Anomaly, ...]] = {}
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def default_thresholds() -> Thresholds:
    """The documented defaults, with the first-time threshold from ANOMALY_FIRST_TIME_MIN."""
    return Thresholds(first_time_min_cents=round(get_settings().anomaly_first_time_min * 100))


def visible_entities(store: LedgerStore, actor: UserScope, entity: str) -> tuple[str, ...]:
    """The entity ids ``actor`` may see anomalies of: ``entity`` (an id or ``all``)."""
    if actor.role not in VIEW_ROLES:
        raise Forbidden("only the owner, the CEO, the CFO and the accountant see anomalies")
    allowed = actor.entities
    if entity == "all":
        return tuple(e.id for e in store.list_entities() if allowed is None or e.id in allowed)
    store.get_entity(entity)  # NotFound for an unknown id
    if allowed is not None and entity not in allowed:
        raise Forbidden(f"you do not have access to entity {entity!r}")
    return (entity,)


def detect(
    store: LedgerStore,
    entity_ids: Sequence[str],
    since: date,
    until: date,
    th: Thresholds,
) -> list[Anomaly]:
    """Every anomaly dated in [since, until] of ``entity_ids`` (no marks, no access check);
    kept per ledger revision, so asking again before the next write reads nothing."""
    if not entity_ids or until < since:
        return []
    key = (store.url, ledger_revision(store), tuple(sorted(entity_ids)), since, until, th)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is None:
        cached = _detect(store, entity_ids, since, until, th)
        with _CACHE_LOCK:
            _CACHE[key] = cached
            while len(_CACHE) > _CACHE_SIZE:
                del _CACHE[next(iter(_CACHE))]  # the oldest
    return list(cached)


def _detect(
    store: LedgerStore, entity_ids: Sequence[str], since: date, until: date, th: Thresholds
) -> tuple[Anomaly, ...]:
    # from the 1st of since's month (first-time needs the whole month) and the days a
    # duplicate may reach back; the months before as an aggregate (older months are asked
    # only about the few first-time candidates)
    start = min(first_day(month_of(since)), since - timedelta(days=th.duplicate_days))
    charges = read_charges(store, entity_ids, start, until)
    history = read_history(
        store, entity_ids, month_add(month_of(start), -th.large_months), month_of(until)
    )
    cloud = read_charges(
        store, entity_ids, since - timedelta(days=th.cloud_days), until, th.cloud_accounts
    )
    spikes = cloud_spikes(cloud, since, th)
    spiked = {i for a in spikes for i in a.entry_ids}

    def older(charge: Charge, first: int, end: int) -> bool:
        return paid_between(store, charge, first, end)

    found = [
        *duplicates(charges, history, since, th),
        *[a for a in large_charges(charges, history, since, th) if a.entry_ids[0] not in spiked],
        *spikes,
        *first_time(charges, history, since, th, older),
    ]
    found.sort(key=lambda a: (-a.day.toordinal(), KIND_ORDER.index(a.kind), a.id))
    return tuple(found)


def find_anomalies(
    store: LedgerStore,
    *,
    actor: UserScope,
    entity: str,
    since: date,
    until: date,
    include_expected: bool = False,
    thresholds: Thresholds | None = None,
) -> list[Anomaly]:
    """Anomalies dated in [since, until] of ``entity`` (an id or ``all``) that ``actor`` may
    see, newest first; those marked expected only with ``include_expected``."""
    entity_ids = visible_entities(store, actor, entity)
    found = detect(store, entity_ids, since, until, thresholds or default_thresholds())
    marks = marks_of(store, [a.id for a in found])
    marked = [replace(a, status=marks[a.id].status) if a.id in marks else a for a in found]
    return [a for a in marked if include_expected or a.status == "open"]


def open_anomalies(store: LedgerStore, entity_ids: Sequence[str], period: int) -> list[Anomaly]:
    """The open anomalies of ``entity_ids`` in one month (the caller checked access):
    what `close status` reports beside its checks."""
    found = detect(store, entity_ids, first_day(period), last_day(period), default_thresholds())
    marks = marks_of(store, [a.id for a in found])
    return [a for a in found if a.id not in marks]


def period_anomalies(
    store: LedgerStore,
    *,
    actor: UserScope,
    entity: str,
    period: int,
    include_expected: bool = False,
) -> list[Anomaly]:
    """The anomalies of one month (YYYYMM): what `close status` and the Close page list."""
    return find_anomalies(
        store,
        actor=actor,
        entity=entity,
        since=first_day(period),
        until=last_day(period),
        include_expected=include_expected,
    )


def digest(anomalies: Sequence[Anomaly], *, shown: int = 3) -> str:
    """One line: ``2 anomalies: ...; ...`` (the first ``shown``), or ``no anomalies``."""
    open_ = [a for a in anomalies if a.status == "open"]
    if not open_:
        return "no anomalies"
    head = f"{len(open_)} anomal{'y' if len(open_) == 1 else 'ies'}: "
    items = [f"{a.label}: {a.message} [{a.id}]" for a in open_[:shown]]
    more = f"; and {len(open_) - shown} more" if len(open_) > shown else ""
    return head + "; ".join(items) + more


def digest_after_write(
    store: LedgerStore, entity_id: str, since: date, until: date | None = None
) -> str:
    """The digest line an import or a sync adds to its result: open anomalies of the entity
    dated from ``since`` (the earliest date it wrote) to ``until`` (default: today)."""
    until = until or datetime.now(get_settings().tz).date()
    found = detect(store, [entity_id], since, max(since, until), default_thresholds())
    marks = marks_of(store, [a.id for a in found])
    return digest([a for a in found if a.id not in marks])


def digest_after_import(store: LedgerStore, run_id: int, entity_id: str) -> str:
    """The digest line of an import run: open anomalies dated within the dates it posted."""
    with store.engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(JournalEntry.date), func.max(JournalEntry.date))
            .join(ImportRunEntry, ImportRunEntry.entry_id == JournalEntry.id)
            .where(ImportRunEntry.run_id == run_id)
        ).one()
    if first is None:
        return "no anomalies"
    return digest_after_write(store, entity_id, first, last)


def anomaly_lines(store: LedgerStore, *, actor: UserScope, anomaly: Anomaly) -> list[LedgerLine]:
    """The ledger lines of the anomaly's entries (both sides), for a user who may see it."""
    visible_entities(store, actor, anomaly.entity_id)
    return entry_lines(store, [anomaly.entity_id], anomaly.entry_ids)


def mark_expected(
    store: LedgerStore, *, actor: UserScope, entity_id: str, anomaly_id: str, note: str = ""
) -> AnomalyMark:
    """Mark an anomaly of ``entity_id`` expected: it stays quiet in every later digest."""
    authorize_books(actor.role, actor.entities, entity_id, doing="mark anomalies expected")
    return save_mark(
        store, anomaly_id=anomaly_id, entity_id=entity_id, marked_by=actor.email, note=note
    )


def reopen(store: LedgerStore, *, actor: UserScope, entity_id: str, anomaly_id: str) -> None:
    """Take back an "expected" mark: the anomaly shows again."""
    authorize_books(actor.role, actor.entities, entity_id, doing="reopen anomalies")
    drop_mark(store, anomaly_id=anomaly_id, entity_id=entity_id)
