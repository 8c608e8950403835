"""Email chart PNGs: an empty chart is a short line of text, money ticks read -$2,500."""

from __future__ import annotations

import struct

from core.reports.charts_png import _tick_label, chart_png
from core.reports.model import Chart, Series

X = ["Aug 26", "Sep 26", "Oct 26"]


def size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_an_empty_chart_is_a_short_sentence_not_axes() -> None:
    empty = Chart("campaign_roi", "ROI", X, [Series("ROI", [None, 0.0, None])], unit="percent")
    full = Chart("campaign_roi", "ROI", X, [Series("ROI", [None, 12.0, None])], unit="percent")
    assert size(chart_png(empty))[1] < size(chart_png(full))[1] / 2


def test_money_ticks_put_the_sign_first() -> None:
    label = _tick_label("USD", 0)
    assert (label(-2500.0, None), label(0.0, None), label(25000.0, None)) == (
        "-$2,500",
        "$0",
        "$25,000",
    )
    assert _tick_label("percent", 0)(50.0, None) == "50%"


def test_a_signed_capped_chart_with_a_money_axis_on_the_right_draws() -> None:
    chart = Chart(
        "pipeline",
        "Jobs by stage",
        ["lead", "paid"],
        [Series("Jobs", [1.0, 64.0], "bar", "#1F4E79")],
        unit="count",
        secondary=Series("Quoted value", [5984.0, 280_000.0], "line"),
        secondary_unit="USD",
    )
    assert size(chart_png(chart))[0] > 0
