"""Pure marketing metrics: channel economics, OTA sequencing, blast campaign ROI.

No I/O: callers pass plain numbers (dollars or cents, as long as they are consistent).

OTA sequencing model, per (entity, channel the entity is not listed on), per month::

    bookings      = current monthly bookings x reach factor x conversion
    gross         = bookings x average booking value
    commission    = gross x commission share
    cannibalized  = gross x cannibalization share  (direct bookings the channel would take over)
    net           = gross - commission - cannibalized - monthly fee

A cannibalized booking moves from direct (full value) to the channel (value less commission),
so subtracting ``cannibalization x gross`` after the commission is exact, not an approximation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class OtaAssumptions:
    """What a channel is assumed to do for a new listing (shares as fractions 0..1)."""

    commission: float
    reach_factor: float
    conversion: float
    cannibalization: float
    monthly_fee: float


@dataclass(frozen=True)
class OtaEstimate:
    """Expected monthly effect of listing one entity on one channel."""

    bookings: float
    gross: float
    commission: float
    cannibalized: float
    fee: float
    net: float


def ota_estimate(monthly_bookings: float, avg_value: float, a: OtaAssumptions) -> OtaEstimate:
    """Expected incremental monthly bookings and net revenue of a new listing (see module doc)."""
    bookings = monthly_bookings * a.reach_factor * a.conversion
    gross = bookings * avg_value
    commission = gross * a.commission
    cannibalized = gross * a.cannibalization
    net = gross - commission - cannibalized - a.monthly_fee
    return OtaEstimate(bookings, gross, commission, cannibalized, a.monthly_fee, net)


def rank_estimates(estimates: Iterable[tuple[K, OtaEstimate]]) -> list[tuple[K, OtaEstimate]]:
    """Candidates by expected net, best first (ties keep their input order)."""
    return sorted(estimates, key=lambda kv: -kv[1].net)


def ratio(part: float, whole: float) -> float | None:
    """part / whole, or None when whole is 0."""
    return None if whole == 0 else part / whole


def percent(part: float, whole: float) -> float | None:
    """part / whole as a percentage, or None when whole is 0."""
    r = ratio(part, whole)
    return None if r is None else r * 100


def net_revenue(revenue: float, commission: float, fees: float = 0.0) -> float:
    """What a channel leaves after its commission and listing fees."""
    return revenue - commission - fees


def net_per_booking(revenue: float, commission: float, fees: float, bookings: int) -> float | None:
    """Net revenue per booking; None without bookings."""
    return ratio(net_revenue(revenue, commission, fees), bookings)


def campaign_roi(revenue: float, cost: float) -> float | None:
    """(revenue - cost) / cost as a percentage; None when the campaign cost nothing."""
    return percent(revenue - cost, cost)


def cost_per_acquisition(cost: float, bookings: int) -> float | None:
    """cost / attributed bookings; None when nothing was booked."""
    return ratio(cost, bookings)


def direct_share(direct_bookings: int, all_bookings: int) -> float | None:
    """Share of bookings from direct channels, as a percentage; None without bookings."""
    return percent(direct_bookings, all_bookings)
