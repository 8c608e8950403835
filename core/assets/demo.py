"""Demo assets, with monthly usage read back from the demo ledger's own activity.

Vessel days are the days JADA sailed a charter, truck days the days with junk jobs (the
second truck goes out when a day has two or more jobs), property unit-days from rent posted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from core.assets.store import add_assets, add_usage
from core.ledger.models import Account, JournalEntry, JournalLine
from core.ledger.models_assets import Asset, AssetUsage
from core.ledger.store import LedgerStore
from core.periods import days_in, month_of

RENTAL_UNITS = 2


def _assets(today: date) -> list[Asset]:
    renew = date(today.year + 1, 3, 14)
    return [
        Asset(entity_id="JADA", name="JADA, 52 ft sailing yacht", kind="vessel",
              value_cents=385_000_00, revenue_account="Income:VesselLease",
              notes="Bareboat-leased to Queen of San Diego Charters"),
        Asset(entity_id="51st-St", name="3028 51st St (duplex)", kind="property",
              value_cents=1_150_000_00, revenue_account="Income:Rent", notes="Two units"),
        Asset(entity_id="QuickDumpNow", name="Truck 1, 16 yd dump truck", kind="vehicle",
              value_cents=48_000_00, revenue_account="Income:JunkRemoval", revenue_share=0.6),
        Asset(entity_id="QuickDumpNow", name="Truck 2, 12 yd dump truck", kind="vehicle",
              value_cents=39_000_00, revenue_account="Income:JunkRemoval", revenue_share=0.4),
        Asset(entity_id="QueenofSanDiego", name="queenofsandiego.com", kind="domain",
              value_cents=6_500_00, renews_on=renew, notes="Booking site"),
        Asset(entity_id="QuickDumpNow", name="quickdumpnow.com", kind="domain",
              value_cents=4_000_00, renews_on=date(today.year + 1, 7, 2)),
        Asset(entity_id="DangerousCentaur", name="dangerouscentaur.com", kind="domain",
              value_cents=3_000_00, renews_on=date(today.year, 12, 30)),
        Asset(entity_id="ExpertYachtDelivery", name="expertyachtdelivery.com", kind="domain",
              value_cents=2_500_00, renews_on=date(today.year + 1, 1, 19)),
    ]  # fmt: skip


def _jobs_per_day(store: LedgerStore, entity: str, prefix: str) -> dict[date, int]:
    q = (
        select(JournalEntry.date, func.count(func.distinct(JournalEntry.id)))
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            JournalEntry.entity_id == entity, Account.path == prefix, JournalLine.amount_cents < 0
        )
        .group_by(JournalEntry.date)
    )
    with store.engine.connect() as conn:
        return {d: int(n) for d, n in conn.execute(q)}


def seed_assets_demo(store: LedgerStore, *, today: date) -> None:
    """Write the demo assets and a usage row per month of ledger activity."""
    assets = {a.name: a for a in add_assets(store, _assets(today))}
    charters = _jobs_per_day(store, "QueenofSanDiego", "Income:Charters")
    jobs = _jobs_per_day(store, "QuickDumpNow", "Income:JunkRemoval")
    rents = _jobs_per_day(store, "51st-St", "Income:Rent")
    vessel, truck1, truck2, let = (defaultdict(float) for _ in range(4))
    for d in charters:
        vessel[month_of(d)] += 1
    for d, n in jobs.items():
        truck1[month_of(d)] += 1
        if n >= 2:
            truck2[month_of(d)] += 1
    for d, n in rents.items():  # a month's rent posted for a unit: that unit was let all month
        let[month_of(d)] += n * days_in(month_of(d))
    rows: list[AssetUsage] = []
    for name, used, per_month in (
        ("JADA, 52 ft sailing yacht", vessel, 1),
        ("Truck 1, 16 yd dump truck", truck1, 1),
        ("Truck 2, 12 yd dump truck", truck2, 1),
        ("3028 51st St (duplex)", let, RENTAL_UNITS),
    ):
        asset = assets[name]
        for m, days in used.items():
            available = days_in(m) * per_month
            rows.append(
                AssetUsage(
                    asset_id=asset.id or 0,
                    month=m,
                    entity_id=asset.entity_id,
                    used_days=min(days, available),
                    available_days=available,
                )
            )
    add_usage(store, rows)
