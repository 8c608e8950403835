"""The four anomaly rules, pure functions over the rows of :mod:`core.close.anomalies_reads`.

- large charge: more than ``large_ratio`` x the median of the same counterparty and account
  over the ``large_months`` months before the charge's month;
- likely duplicate: the same amount and counterparty within ``duplicate_days`` days, two
  different entries, unless that counterparty is routinely paid that amount more than once a
  month (it was, in one of the months before: a price list, not a double charge) or is paid
  ``duplicate_busy`` times or more in the month or the month before (per-job payments);
- first-time counterparty: the first charge to a counterparty not paid in the
  ``first_time_months`` before, above ``first_time_min_cents``, in books old enough to know;
- cloud cost jump: a service's cost on a day over ``cloud_ratio`` x the median of its billed
  days among the ``cloud_days`` before, for a service billed on most days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from core.close.anomalies_model import Anomaly, Thresholds, anomaly_id, money
from core.close.anomalies_reads import Charge, HistoryRow
from core.periods import month_add, month_of


def weighted_median(values: Iterable[tuple[int, int]]) -> float | None:
    """The median of ``(value, count)`` pairs; None when there are none."""
    pairs = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _, n in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based ranks of the middle one or two
    found: list[int] = []
    seen = 0
    for value, n in pairs:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return sum(found) / len(found)


def _of_charge(kind: str, c: Charge, message: str, baseline_cents: int | None = None) -> Anomaly:
    """An anomaly about one charge (its entry and account make the id)."""
    parts = [c.entry_id, c.account] if kind == "large_charge" else [c.entry_id]
    return Anomaly(
        id=anomaly_id(kind, c.entity_id, parts),
        kind=kind,
        entity_id=c.entity_id,
        day=c.day,
        counterparty=c.counterparty,
        account=c.account,
        cents=c.cents,
        message=message,
        entry_ids=(c.entry_id,),
        baseline_cents=baseline_cents,
    )


def large_charges(
    charges: Sequence[Charge], history: Sequence[HistoryRow], since: date, th: Thresholds
) -> list[Anomaly]:
    """Charges from ``since`` on above ``large_ratio`` x their 6-month median."""
    by_group: dict[tuple[str, str, str], list[HistoryRow]] = defaultdict(list)
    for h in history:
        by_group[(h.entity_id, h.account, h.key)].append(h)
    medians: dict[tuple[str, str, str, int], float | None] = {}  # once per group and month
    found = []
    for c in charges:
        if c.day < since:
            continue
        month = month_of(c.day)
        group = (c.entity_id, c.account, c.key)
        if (*group, month) not in medians:
            first = month_add(month, -th.large_months)
            rows = [h for h in by_group[group] if first <= h.month < month]
            enough = sum(h.count for h in rows) >= th.large_min_history
            medians[(*group, month)] = (
                weighted_median((h.cents, h.count) for h in rows) if enough else None
            )
        median = medians[(*group, month)]
        if not median or c.cents <= th.large_ratio * median:
            continue
        found.append(
            _of_charge(
                "large_charge",
                c,
                f"{c.counterparty}: {money(c.cents)} on {c.account}, "
                f"{c.cents / median:.1f}x its {th.large_months}-month median "
                f"of {money(round(median))}",
                baseline_cents=round(median),
            )
        )
    return found


def _repeats(history: Sequence[HistoryRow]) -> dict[tuple[str, str, int], set[int]]:
    """(entity, counterparty, amount) -> the months it was paid more than once."""
    per_month: dict[tuple[str, str, int, int], int] = defaultdict(int)
    for h in history:
        per_month[(h.entity_id, h.key, h.cents, h.month)] += h.count
    out: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for (e, k, c, m), n in per_month.items():
        if n >= 2:
            out[(e, k, c)].add(m)
    return out


def _busy(history: Sequence[HistoryRow], th: Thresholds) -> set[tuple[str, str, int]]:
    """(entity, counterparty, month) paid at least ``duplicate_busy`` times that month: so often
    that two equal amounts a few days apart are ordinary (a price list, per-job wages)."""
    per_month: dict[tuple[str, str, int], int] = defaultdict(int)
    for h in history:
        per_month[(h.entity_id, h.key, h.month)] += h.count
    return {k for k, n in per_month.items() if n >= th.duplicate_busy}


def duplicates(
    charges: Sequence[Charge], history: Sequence[HistoryRow], since: date, th: Thresholds
) -> list[Anomaly]:
    """Runs of charges with the same amount and counterparty, each within ``duplicate_days``
    of the one before, ending from ``since`` on."""
    groups: dict[tuple[str, str, int], list[Charge]] = defaultdict(list)
    for c in charges:
        groups[(c.entity_id, c.key, c.cents)].append(c)
    repeats = _repeats(history)
    busy = _busy(history, th)
    found = []
    gap = timedelta(days=th.duplicate_days)
    for (entity, key, cents), items in groups.items():
        items.sort(key=lambda c: (c.day, c.entry_id))
        runs: list[list[Charge]] = []
        for c in items:
            last = runs[-1][-1] if runs else None
            # two entries never share a fingerprint (it is unique): a re-imported row is
            # skipped at import, so two entries here are two postings of the same charge
            if last and c.day - last.day <= gap and c.entry_id != last.entry_id:
                runs[-1].append(c)
                continue
            runs.append([c])
        for run in runs:
            if len(run) < 2 or run[-1].day < since:
                continue
            month = month_of(run[0].day)
            first = month_add(month, -th.large_months)
            if any(first <= m < month for m in repeats.get((entity, key, cents), ())):
                continue  # routinely paid this amount twice a month: a price, not a mistake
            if {(entity, key, month), (entity, key, month_add(month, -1))} & busy:
                continue
            ids = tuple(sorted({c.entry_id for c in run}))
            days = ", ".join(sorted({c.day.isoformat() for c in run}))
            found.append(
                Anomaly(
                    id=anomaly_id("duplicate", entity, [cents, *ids]),  # an entry may have 2 lines
                    kind="duplicate",
                    entity_id=entity,
                    day=run[-1].day,
                    counterparty=run[0].counterparty,
                    account=run[-1].account,
                    cents=cents,
                    message=(
                        f"{run[0].counterparty}: {money(cents)} charged {len(ids)} times "
                        f"within {th.duplicate_days} days ({days})"
                    ),
                    entry_ids=ids,
                )
            )
    return found


def first_time(
    charges: Sequence[Charge],
    history: Sequence[HistoryRow],
    since: date,
    th: Thresholds,
    paid_before: Callable[[Charge, int, int], bool] | None = None,
) -> list[Anomaly]:
    """The first charge to a counterparty not paid in the months before, above the threshold.

    ``charges`` must hold every charge from the first day of ``since``'s month on; months of
    the look-back older than ``history`` holds are asked of ``paid_before(charge, first month,
    end month)`` (few charges get that far: only unknown counterparties above the threshold)."""
    covered = min((h.month for h in history), default=None)
    paid_months: dict[tuple[str, str], set[int]] = defaultdict(set)
    books_start: dict[str, int] = {}
    for h in history:
        paid_months[(h.entity_id, h.key)].add(h.month)
        books_start[h.entity_id] = min(books_start.get(h.entity_id, h.month), h.month)
    seen: set[tuple[str, str]] = set()
    found = []
    for c in sorted(charges, key=lambda c: (c.day, c.entry_id)):
        group = (c.entity_id, c.key)
        if group in seen:
            continue
        seen.add(group)
        month = month_of(c.day)
        if c.day < since or c.cents < th.first_time_min_cents:
            continue
        if books_start.get(c.entity_id, month) > month_add(month, -th.first_time_books_months):
            continue  # books too young to call anyone new
        first = month_add(month, -th.first_time_months)
        if any(first <= m < month for m in paid_months[group]):
            continue
        older = paid_before is not None and covered is not None and first < covered
        if older and paid_before(c, first, covered):  # type: ignore[misc, arg-type]
            continue
        found.append(
            _of_charge(
                "new_counterparty",
                c,
                f"{c.counterparty}: first payment in {th.first_time_months} months, "
                f"{money(c.cents)} on {c.account}",
            )
        )
    return found


def cloud_spikes(charges: Sequence[Charge], since: date, th: Thresholds) -> list[Anomaly]:
    """Days from ``since`` on when a daily-billed cloud service cost over ``cloud_ratio`` x its
    median billed day of the ``cloud_days`` before."""
    per_day: dict[tuple[str, str], dict[date, list[Charge]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for c in charges:
        per_day[(c.entity_id, c.key)][c.day].append(c)
    found = []
    for (entity, _key), days in per_day.items():
        costs = {d: sum(c.cents for c in cs) for d, cs in days.items()}
        for day in sorted(costs):
            if day < since:
                continue
            prior = [
                cost
                for d, cost in costs.items()
                if day - timedelta(days=th.cloud_days) <= d < day and cost > 0
            ]
            if len(prior) < th.cloud_min_days:
                continue
            median = weighted_median((cost, 1) for cost in prior)
            if not median or costs[day] <= th.cloud_ratio * median:
                continue
            items = days[day]
            service = items[0].counterparty
            found.append(
                Anomaly(
                    id=anomaly_id("cloud_spike", entity, [service.upper(), day.isoformat()]),
                    kind="cloud_spike",
                    entity_id=entity,
                    day=day,
                    counterparty=service,
                    account=items[0].account,
                    cents=costs[day],
                    message=(
                        f"{service}: {money(costs[day])} on {day.isoformat()}, "
                        f"{costs[day] / median:.1f}x its {th.cloud_days}-day median "
                        f"of {money(round(median))}"
                    ),
                    entry_ids=tuple(sorted({c.entry_id for c in items})),
                    baseline_cents=round(median),
                )
            )
    return found
