"""OTA sequencing: which unlisted channel each entity should list on next, by expected net."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.ledger.models_marketing import MarketingChannel
from core.marketing.records import MarketingRecords, fits
from core.metrics.marketing import OtaAssumptions, OtaEstimate, ota_estimate, rank_estimates, ratio
from core.periods import months_ending

BASELINE_MONTHS = 3  # sequencing uses the mean of the 3 months ending with the period


@dataclass(frozen=True)
class Candidate:
    """An entity and a channel it is not listed on, with the model's inputs."""

    entity_id: str
    channel_id: str
    monthly_bookings: float
    avg_value: float  # dollars


def assumptions(ch: MarketingChannel) -> OtaAssumptions:
    """The stored assumptions of a channel as model inputs (fractions and dollars)."""
    return OtaAssumptions(
        commission=ch.commission_pct / 100,
        reach_factor=ch.reach_factor,
        conversion=ch.conversion,
        cannibalization=ch.cannibalization_pct / 100,
        monthly_fee=ch.monthly_fee_cents / 100,
    )


def sequencing(records: MarketingRecords, m: int) -> list[tuple[Candidate, OtaEstimate]]:
    """Unlisted plausible channels per entity, ranked by expected incremental net a month."""
    months = months_ending(m, BASELINE_MONTHS)
    base: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for x in months:
        for (eid, _), c in records.cells(x).items():
            base[eid][0] += c.bookings
            base[eid][1] += c.value
    listed = records.listed(m)
    found: list[tuple[Candidate, OtaEstimate]] = []
    for eid, (_, kind) in records.entities.items():
        n, value = base.get(eid, [0, 0])
        per_month = n / BASELINE_MONTHS
        avg = (ratio(value, n) or 0.0) / 100
        for ch in records.channels.values():
            if ch.kind == "direct" or (eid, ch.id) in listed or not fits(ch, kind):
                continue
            cand = Candidate(eid, ch.id, per_month, avg)
            found.append((cand, ota_estimate(per_month, avg, assumptions(ch))))
    found.sort(key=lambda ce: (ce[0].entity_id, records.channels[ce[0].channel_id].sort))
    return rank_estimates(found)
