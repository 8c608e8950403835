"""Deterministic demo marketing data: channel catalogue, listings, bookings, blast campaigns.

Same arguments -> same rows (a seeded RNG; "today" is an argument). Volumes and prices follow
the ledger demo (core.demo): charter, junk-removal and delivery counts use the same seasons.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from core.demo_random import random_day, whole_count
from core.demo_seasons import CHARTER_SEASON, DELIVERY_SEASON, JUNK_SEASON
from core.ledger.models import Target
from core.ledger.models_marketing import (
    Campaign,
    ChannelBooking,
    ChannelListing,
    MarketingChannel,
)
from core.ledger.store import LedgerStore
from core.marketing.store import add_rows, save_channels
from core.periods import month_add, month_of, month_range

SEED = 20261124 + 31
EVER = None  # listed since before the demo window

# id, name, kind, fits (entity kinds), commission %, reach, conversion, cannibalization %, fee $
CATALOGUE: list[tuple[str, str, str, str, float, float, float, float, int]] = [
    ("direct", "Direct website", "direct", "*", 0, 0, 0, 0, 0),
    ("referral", "Referral and repeat", "direct", "*", 0, 0, 0, 0, 0),
    (
        "google_business",
        "Google Business",
        "listing",
        "vessel,sailing-charters,junk-removal,software-consultancy,yacht-delivery",
        0,
        0.5,
        0.35,
        40,
        0,
    ),
    (
        "airbnb_experiences",
        "Airbnb Experiences",
        "ota",
        "vessel,sailing-charters",
        20,
        0.8,
        0.4,
        15,
        0,
    ),
    ("viator", "Viator", "ota", "vessel,sailing-charters", 25, 1.0, 0.35, 20, 0),
    ("getyourguide", "GetYourGuide", "ota", "vessel,sailing-charters", 25, 0.7, 0.35, 15, 0),
    ("fareharbor", "FareHarbor", "ota", "vessel,sailing-charters", 6, 0.3, 0.5, 50, 0),
    ("boatsetter", "Boatsetter", "ota", "vessel", 20, 1.2, 0.3, 10, 0),
    ("sailo", "Sailo", "ota", "vessel,sailing-charters", 15, 0.6, 0.3, 10, 0),
    ("yelp", "Yelp", "listing", "junk-removal,sailing-charters", 0, 0.4, 0.3, 30, 300),
    ("thumbtack", "Thumbtack", "marketplace", "junk-removal", 12, 0.5, 0.35, 20, 0),
    ("angi", "Angi", "marketplace", "junk-removal", 15, 0.6, 0.3, 20, 25),
    ("upwork", "Upwork", "marketplace", "software-consultancy", 10, 0.8, 0.25, 10, 20),
    ("zillow", "Zillow Rentals", "listing", "rental-property", 0, 1.0, 0.3, 30, 0),
]


@dataclass(frozen=True)
class _Plan:
    """How one demo entity gets its bookings."""

    base: float  # mean bookings a month before seasonality
    season: list[float] | None
    growth: float  # monthly growth of demand
    prices: list[int]  # dollars
    channels: dict[str, tuple[float, int | None]]  # channel -> (weight, listed N months ago)


FLAT = [1.0] * 12
PLANS: dict[str, _Plan] = {
    "QueenofSanDiego": _Plan(
        16,
        CHARTER_SEASON,
        0.0,
        [650, 850, 1200, 1450, 2400],
        {
            "direct": (0.28, EVER),
            "referral": (0.1, EVER),
            "google_business": (0.14, EVER),
            "viator": (0.22, EVER),
            "fareharbor": (0.12, EVER),
            "getyourguide": (0.14, 9),
        },
    ),
    "JADA": _Plan(
        3, CHARTER_SEASON, 0.0, [900, 1200, 1600], {"direct": (0.7, EVER), "referral": (0.3, EVER)}
    ),
    "QuickDumpNow": _Plan(
        55,
        JUNK_SEASON,
        0.012,
        [149, 249, 349, 449, 599],
        {
            "direct": (0.33, EVER),
            "referral": (0.1, EVER),
            "google_business": (0.25, EVER),
            "yelp": (0.14, EVER),
            "thumbtack": (0.18, 7),
        },
    ),
    "DangerousCentaur": _Plan(
        2,
        FLAT,
        0.0,
        [2000, 3500, 5000, 6500, 9000],
        {"referral": (0.6, EVER), "direct": (0.25, EVER), "google_business": (0.15, EVER)},
    ),
    "51st-St": _Plan(
        0.15, FLAT, 0.0, [2750, 3150], {"zillow": (0.7, EVER), "referral": (0.3, EVER)}
    ),
    "ExpertYachtDelivery": _Plan(
        3,
        DELIVERY_SEASON,
        0.0,
        [1800, 2900, 4200, 6100, 8000],
        {"referral": (0.5, EVER), "direct": (0.35, EVER), "google_business": (0.15, EVER)},
    ),
}


@dataclass(frozen=True)
class _Blast:
    """A recurring campaign of one entity."""

    entity: str
    name: str
    medium: str
    months: tuple[int, ...]  # months of the year it goes out
    sends: int
    fixed_cost: int  # dollars per campaign (design, platform share)
    per_send: float  # dollars per message
    click_rate: tuple[float, float]
    book_rate: tuple[float, float]  # share of clicks that book
    prices: list[int]


BLASTS = [
    _Blast(
        "QueenofSanDiego",
        "Queen newsletter",
        "email",
        tuple(range(1, 13)),
        4200,
        140,
        0.002,
        (0.012, 0.035),
        (0.02, 0.06),
        [650, 850, 1200, 1450],
    ),
    _Blast(
        "QueenofSanDiego",
        "Queen last-minute SMS",
        "sms",
        (4, 6, 8, 12),
        900,
        40,
        0.0279,
        (0.04, 0.09),
        (0.03, 0.08),
        [650, 850],
    ),
    _Blast(
        "QuickDumpNow",
        "QuickDump clean-out SMS",
        "sms",
        (3, 6, 9, 12),
        2500,
        60,
        0.0279,
        (0.03, 0.07),
        (0.04, 0.1),
        [149, 249, 349, 449],
    ),
    _Blast(
        "QuickDumpNow",
        "QuickDump email",
        "email",
        (2, 4, 5, 8, 10, 11),
        6000,
        120,
        0.0015,
        (0.006, 0.02),
        (0.01, 0.04),
        [149, 249, 349],
    ),
    _Blast(
        "DangerousCentaur",
        "Centaur digest",
        "email",
        (1, 4, 7, 10),
        800,
        300,
        0.002,
        (0.01, 0.03),
        (0.0, 0.08),
        [3500, 5000, 6500],
    ),
    _Blast(
        "ExpertYachtDelivery",
        "Delivery season mail",
        "email",
        (2, 9),
        600,
        120,
        0.002,
        (0.02, 0.05),
        (0.0, 0.1),
        [2900, 4200],
    ),
]
# KPI targets the demo sets (owners edit them later): id -> value
TARGETS = {"direct_share": 50.0, "campaign_roi": 800.0, "cost_per_acquisition": 60.0}


def catalogue() -> list[MarketingChannel]:
    """The channel catalogue with its sequencing assumptions."""
    return [
        MarketingChannel(
            id=cid,
            name=name,
            kind=kind,
            fits=fits,
            commission_pct=float(comm),
            reach_factor=float(reach),
            conversion=float(conv),
            cannibalization_pct=float(cann),
            monthly_fee_cents=fee * 100,
            sort=i,
        )
        for i, (cid, name, kind, fits, comm, reach, conv, cann, fee) in enumerate(CATALOGUE)
    ]


def seed_marketing_demo(store: LedgerStore, *, today: date, months: int) -> int:
    """Write the demo marketing rows for the demo entities present; returns rows written."""
    rng = random.Random(SEED)
    store.create_all()
    chans = catalogue()
    save_channels(store, chans)
    commission = {c.id: c.commission_pct for c in chans}
    present = {e.id for e in store.list_entities()}
    last = month_of(today)
    first = month_add(last, -(months - 1))
    start = date(first // 100, first % 100, 1)
    listings: list[dict[str, object]] = []
    since: dict[tuple[str, str], date] = {}
    for eid, plan in PLANS.items():
        if eid not in present:
            continue
        for cid, (_, ago) in plan.channels.items():
            listed_on = (
                start - timedelta(days=400)
                if ago is None
                else date(month_add(last, -ago) // 100, month_add(last, -ago) % 100, 1)
            )
            since[(eid, cid)] = listed_on
            listings.append({"entity_id": eid, "channel_id": cid, "listed_on": listed_on})
    bookings: list[dict[str, object]] = []
    blasts: list[dict[str, object]] = []
    for i, month in enumerate(month_range(first, last)):
        moy = month % 100
        for eid, plan in PLANS.items():
            if eid not in present:
                continue
            season = (plan.season or FLAT)[moy - 1]
            for _ in range(whole_count(rng, plan.base * season * (1 + plan.growth * i))):
                day = random_day(rng, month)
                open_ = [
                    (cid, w) for cid, (w, _) in plan.channels.items() if since[(eid, cid)] <= day
                ]
                cid = rng.choices([c for c, _ in open_], [w for _, w in open_])[0]
                value = rng.choice(plan.prices) * 100 + rng.randint(0, 10) * 500
                if day > today:
                    continue
                bookings.append(
                    {
                        "entity_id": eid,
                        "channel_id": cid,
                        "booked_on": day,
                        "month": month,
                        "value_cents": value,
                        "commission_cents": round(value * commission[cid] / 100),
                    }
                )
        for blast in BLASTS:
            if blast.entity not in present or moy not in blast.months:
                continue
            y = month // 100
            sent_on = date(y, moy, rng.randint(3, 24))
            sends = int(blast.sends * (1 + 0.01 * i)) + rng.randint(-50, 50)
            clicks = round(sends * rng.uniform(*blast.click_rate))
            booked = round(clicks * rng.uniform(*blast.book_rate))
            if sent_on > today:
                continue
            blasts.append(
                {
                    "entity_id": blast.entity,
                    "name": f"{blast.name} {sent_on.strftime('%b %y')}",
                    "medium": blast.medium,
                    "sent_on": sent_on,
                    "month": month,
                    "cost_cents": round((blast.fixed_cost + blast.per_send * sends) * 100),
                    "sends": sends,
                    # SMS has no open tracking: opens stay 0 and the report shows no open rate
                    "opens": round(sends * rng.uniform(0.22, 0.38))
                    if blast.medium == "email"
                    else 0,
                    "clicks": clicks,
                    "bookings": booked,
                    "revenue_cents": sum(rng.choice(blast.prices) * 100 for _ in range(booked)),
                }
            )
    add_rows(store, ChannelListing, listings)
    add_rows(store, ChannelBooking, bookings)
    add_rows(store, Campaign, blasts)
    store.set_targets(
        Target(entity_id=key, kpi_id=kid, month=m, value=value)
        for key in ("all", *sorted(present & set(PLANS)))
        for kid, value in TARGETS.items()
        for m in month_range(first, last)
    )
    return len(listings) + len(bookings) + len(blasts)
