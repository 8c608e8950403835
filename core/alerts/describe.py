"""A rule and its state in words, the same on the command line and the /alerts page."""

from __future__ import annotations

from core.ledger.models_alerts import AlertRule

CONDITION_WORDS = {"below": "below", "above": "above", "off_target": "off target"}


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def rule_text(rule: AlertRule) -> str:
    """``cfo.runway_months for all below 6, once``."""
    words = CONDITION_WORDS.get(rule.condition, rule.condition)
    if rule.threshold is not None:
        words += f" {_number(rule.threshold)}"
    return f"{rule.kpi} for {rule.entity} {words}, {rule.mode}"


def state_word(rule: AlertRule) -> str:
    """``paused``, ``not evaluated yet``, ``crossed``, ``armed`` or ``fired, waiting``."""
    if rule.paused:
        return "paused"
    if rule.crossed is None:
        return "not evaluated yet"
    if rule.mode == "once" and not rule.armed:
        return "fired, re-arms when back on the good side"
    return "crossed" if rule.crossed else "armed"


def state_summary(rule: AlertRule) -> str:
    """The state word, when it last fired and the last value read."""
    fired = f"fired {rule.fired_at:%Y-%m-%d %H:%M} UTC" if rule.fired_at else "never fired"
    return f"{state_word(rule)}; {fired}; last value {_number(rule.last_value)}"
