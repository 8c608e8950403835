"""Marketing metrics on small hand-computed numbers."""

from __future__ import annotations

import pytest

from core.metrics.marketing import (
    OtaAssumptions,
    OtaEstimate,
    campaign_roi,
    cost_per_acquisition,
    direct_share,
    net_per_booking,
    net_revenue,
    ota_estimate,
    percent,
    rank_estimates,
)

VIATOR = OtaAssumptions(
    commission=0.2, reach_factor=0.5, conversion=0.4, cannibalization=0.1, monthly_fee=50.0
)


def test_ota_estimate_by_hand() -> None:
    # 10 bookings/month x 0.5 reach x 0.4 conversion = 2 bookings; x $200 = $400 gross;
    # commission 20% = $80; cannibalized 10% = $40; fee $50 -> 400 - 80 - 40 - 50 = $230
    est = ota_estimate(10, 200.0, VIATOR)
    assert est.bookings == pytest.approx(2.0)
    assert est.gross == pytest.approx(400.0)
    assert est.commission == pytest.approx(80.0)
    assert est.cannibalized == pytest.approx(40.0)
    assert est.fee == 50.0
    assert est.net == pytest.approx(230.0)


def test_cannibalization_term_is_exact() -> None:
    # the same $230, counted booking by booking: 0.2 of the 2 bookings move from direct ($200)
    # to the OTA ($160): -$8; the other 1.8 are new at $160: +$288; less the $50 fee
    moved, new = 2 * 0.1, 2 * 0.9
    assert ota_estimate(10, 200.0, VIATOR).net == pytest.approx(new * 160 - moved * 40 - 50)


def test_no_bookings_means_only_the_fee() -> None:
    est = ota_estimate(0, 0.0, VIATOR)
    assert (est.bookings, est.gross, est.net) == (0.0, 0.0, -50.0)


def test_rank_is_best_net_first_and_stable() -> None:
    def e(net: float) -> OtaEstimate:
        return OtaEstimate(0, 0, 0, 0, 0, net)

    ranked = rank_estimates([("a", e(10)), ("b", e(-5)), ("c", e(30)), ("d", e(10))])
    assert [k for k, _ in ranked] == ["c", "a", "d", "b"]


def test_campaign_roi_and_cpa() -> None:
    assert campaign_roi(500.0, 100.0) == pytest.approx(400.0)
    assert campaign_roi(50.0, 100.0) == pytest.approx(-50.0)
    assert campaign_roi(0.0, 100.0) == pytest.approx(-100.0)
    assert campaign_roi(100.0, 0.0) is None
    assert cost_per_acquisition(300.0, 4) == 75.0
    assert cost_per_acquisition(300.0, 0) is None


def test_shares_and_net() -> None:
    assert direct_share(3, 4) == 75.0
    assert direct_share(0, 0) is None
    assert percent(1, 8) == 12.5
    assert net_revenue(1000.0, 150.0, 50.0) == 800.0
    assert net_per_booking(1000.0, 150.0, 50.0, 4) == 200.0
    assert net_per_booking(0.0, 0.0, 100.0, 0) is None
