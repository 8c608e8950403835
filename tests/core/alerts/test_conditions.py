"""The pure rules: when a KPI has crossed, and what once and every rules do about it."""

from __future__ import annotations

from datetime import date

import pytest

from core.alerts.conditions import Step, is_crossed, step
from core.reports.model import Direction, make_kpi

DAY = date(2026, 11, 25)


def kpi(value: float | None, target: float | None = None, direction: Direction = "up"):  # type: ignore[no-untyped-def]
    return make_kpi(
        "x", "X", "USD", direction, value=value, previous=None, year_ago=None, target=target
    )


@pytest.mark.parametrize(
    ("condition", "threshold", "value", "crossed"),
    [
        ("below", 500, 499.99, True),
        ("below", 500, 500, False),  # at the threshold is not below it
        ("above", 500, 500.01, True),
        ("above", 500, 500, False),
        ("below", 500, None, False),  # no value (e.g. no burn: no runway) never crosses
        ("above", 500, None, False),
    ],
)
def test_thresholds(condition: str, threshold: float, value: float | None, crossed: bool) -> None:
    assert is_crossed(condition, threshold, kpi(value)) is crossed


def test_off_target_follows_the_kpis_direction() -> None:
    # an "up" KPI is off target under its target, a "down" KPI over it (past the 10% slack)
    assert is_crossed("off_target", None, kpi(80, target=100, direction="up"))
    assert not is_crossed("off_target", None, kpi(120, target=100, direction="up"))
    assert is_crossed("off_target", None, kpi(120, target=100, direction="down"))
    assert not is_crossed("off_target", None, kpi(80, target=100, direction="down"))
    assert not is_crossed("off_target", None, kpi(105, target=100, direction="down"))  # watch
    assert not is_crossed("off_target", None, kpi(80))  # no target: never off it


def test_once_fires_armed_then_waits_for_the_good_side() -> None:
    assert step(mode="once", armed=True, cycle=3, crossed=True, day=DAY) == Step(
        True, "once-3", False
    )
    assert step(mode="once", armed=False, cycle=3, crossed=True, day=DAY) == Step(
        False, None, False
    )
    assert step(mode="once", armed=False, cycle=3, crossed=False, day=DAY) == Step(
        False, None, True
    )
    assert step(mode="once", armed=True, cycle=3, crossed=False, day=DAY) == Step(
        False, None, False
    )


def test_every_fires_while_crossed_once_a_day() -> None:
    assert step(mode="every", armed=True, cycle=0, crossed=True, day=DAY).occurrence == (
        "every-2026-11-25"
    )
    assert not step(mode="every", armed=True, cycle=0, crossed=False, day=DAY).fire
