"""Alerts on a hand ledger: crossing and re-arm, once vs every, below/above/off target."""

from __future__ import annotations

from datetime import date, timedelta

from core.alerts.rules import get_rule, rule_history, set_paused
from core.alerts.run import run_alerts
from core.auth.dashboard_users import OPERATOR
from core.config import Settings
from core.delivery.reports import delivery_log
from core.ledger.models import Target
from core.ledger.store import LedgerStore
from tests.conftest import entry
from tests.core.alerts.conftest import ACME, NOW, TOMORROW, Recorder, move_cash, rule


def test_once_fires_on_the_crossing_and_rearms_after_one_good_evaluation(
    hand: LedgerStore, settings: Settings
) -> None:
    r = rule(hand, settings, threshold=500)  # Acme's cash is $1,000
    mail = Recorder()
    quiet = run_alerts(hand, mail, settings, now=NOW)
    assert (quiet.evaluated, quiet.sent) == (1, 0) and mail.sent == []

    move_cash(hand, -800)  # $200: crossed
    fired = run_alerts(hand, mail, settings, now=NOW)
    assert fired.sent == 1 and len(mail.sent) == 1
    assert "Cash is $200, below $500" in mail.sent[0].subject
    still = run_alerts(hand, mail, settings, now=NOW + timedelta(hours=1))
    assert still.sent == 0 and len(mail.sent) == 1  # once: quiet while still crossed
    state = get_rule(hand, r.id or 0, actor=OPERATOR)
    assert (state.armed, state.crossed, state.last_value) == (False, True, 200)

    move_cash(hand, 1000)  # $1,200: one evaluation back on the good side re-arms it
    run_alerts(hand, mail, settings, now=NOW + timedelta(hours=2))
    assert get_rule(hand, r.id or 0, actor=OPERATOR).armed
    move_cash(hand, -1100)  # $100: the second crossing fires again
    again = run_alerts(hand, mail, settings, now=NOW + timedelta(hours=3))
    assert again.sent == 1 and len(mail.sent) == 2
    history = rule_history(hand, r.id or 0, actor=OPERATOR)
    assert [(f.occurrence, f.status, f.value, f.previous) for f in history] == [
        ("once-1", "sent", 100, 1200),
        ("once-0", "sent", 200, 1000),
    ]
    logs = delivery_log(hand, actor=OPERATOR)
    assert [(d.requested_by, d.status) for d in logs] == [("alert 1", "sent")] * 2


def test_every_fires_each_evaluation_while_crossed_at_most_once_a_day(
    hand: LedgerStore, settings: Settings
) -> None:
    rule(hand, settings, condition="above", threshold=900, every=True)  # $1,000: crossed
    mail = Recorder()
    assert run_alerts(hand, mail, settings, now=NOW).sent == 1
    same_day = run_alerts(hand, mail, settings, now=NOW + timedelta(hours=2))
    assert (same_day.sent, same_day.skipped) == (0, 1)
    assert run_alerts(hand, mail, settings, now=TOMORROW).sent == 1
    move_cash(hand, -500)  # $500: back under 900, nothing more
    assert run_alerts(hand, mail, settings, now=TOMORROW + timedelta(days=1)).sent == 0
    assert len(mail.sent) == 2


def test_off_target_uses_the_kpis_direction(hand: LedgerStore, settings: Settings) -> None:
    # uncategorized lines go "down": three lines against a target of one is off target
    hand.set_targets([Target(entity_id=ACME, kpi_id="uncategorized_count", month=202611, value=1)])
    rule(hand, settings, "accounting.uncategorized_count", condition="off_target", threshold=None)
    mail = Recorder()
    assert run_alerts(hand, mail, settings, now=NOW).sent == 0  # none yet: good for a down KPI
    for i in range(3):
        hand.post(
            [
                entry(
                    ACME,
                    date(2026, 11, 12 + i),
                    f"card {i}",
                    ("Expenses:Uncategorized", 10),
                    ("Assets:Bank:Checking", -10),
                )
            ]
        )
    assert run_alerts(hand, mail, settings, now=NOW).sent == 1
    assert "Uncategorized lines is 3, off target" in mail.sent[0].subject


def test_an_up_kpi_off_target_fires_under_its_target(hand: LedgerStore, settings: Settings) -> None:
    hand.set_targets([Target(entity_id=ACME, kpi_id="cash", month=202611, value=5000)])
    rule(hand, settings, condition="off_target", threshold=None)  # $1,000 of $5,000
    assert run_alerts(hand, Recorder(), settings, now=NOW).sent == 1


def test_a_paused_rule_is_not_evaluated(hand: LedgerStore, settings: Settings) -> None:
    r = rule(hand, settings, threshold=5000)
    set_paused(hand, r.id or 0, True, actor=OPERATOR)
    mail = Recorder()
    assert run_alerts(hand, mail, settings, now=NOW).evaluated == 0
    set_paused(hand, r.id or 0, False, actor=OPERATOR)
    assert run_alerts(hand, mail, settings, now=NOW).sent == 1


class Broken:
    name = "broken"

    def send(self, msg: object) -> list[str]:
        from core.errors import Unavailable

        raise Unavailable("mail server down")


def test_a_failed_alert_is_sent_by_the_next_run(hand: LedgerStore, settings: Settings) -> None:
    r = rule(hand, settings, threshold=5000)
    failed = run_alerts(hand, Broken(), settings, now=NOW)  # type: ignore[arg-type]
    assert failed.failed == 1 and get_rule(hand, r.id or 0, actor=OPERATOR).armed
    mail = Recorder()
    assert run_alerts(hand, mail, settings, now=NOW).sent == 1
    [firing] = rule_history(hand, r.id or 0, actor=OPERATOR)
    assert (firing.status, firing.error) == ("sent", None)


def test_rules_on_other_entities_wait_for_their_own_changes(
    hand: LedgerStore, settings: Settings
) -> None:
    rule(hand, settings, threshold=5000)
    rule(hand, settings, entity="Other", threshold=5000)
    rule(hand, settings, entity="all", threshold=5000)
    mail = Recorder()
    result = run_alerts(hand, mail, settings, now=NOW, entity=ACME)
    assert (result.evaluated, result.sent) == (2, 2)  # Acme's and all's
    subjects = sorted(m.subject for m in mail.sent)
    assert subjects[0].endswith("(Acme <Boats> & Co)")
    assert subjects[1].endswith("(All entities (consolidated))")
