"""`recurring`, `scenario` and `report forecast` on the command line: JSON, exit 2 listing
every problem with nothing written, email."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR
from core.cli import main
from core.cli.common import open_store
from core.forecast.recurring import list_recurring
from tests.core.forecast.hand_ledger import CLOSINGS, seed


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def hand(data_dir: Path) -> Path:
    seed(open_store())
    return data_dir


def test_report_forecast_json(hand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("report", "forecast", "--entity", "Acme", "--as-of", "2026-01-31", "--weeks", "6")
    assert run(*args, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "forecast" and data["period"] == "2026-01"
    kpis = {k["id"]: k["value"] for k in data["kpis"]}
    assert kpis == {
        "opening_cash": 10900.0,
        "cash_low_point": 14742.31,
        "cash_low_week": "2026-02-01",
        "closing_cash": 15103.86,
        "weeks_below_zero": 0,
    }
    assert [w["closing"] for w in data["weeks"]] == [float(c) for c in CLOSINGS]
    assert set(data["weeks"][0]) == {"start", "end", "inflow", "outflow", "net", "closing"}
    assert data["weeks"][0] == {
        "start": "2026-02-01",
        "end": "2026-02-07",
        "inflow": 4000.0,
        "outflow": -157.69,
        "net": 3842.31,
        "closing": 14742.31,
    }
    what_if = ("--adjust", "Income:Charters=-50%", "--one-off", "2026-02-10=-20000")
    assert run(*args, *what_if, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    kpis = {k["id"]: k["value"] for k in data["kpis"]}
    assert (kpis["cash_low_point"], kpis["cash_low_week"], kpis["weeks_below_zero"]) == (
        -5496.14,
        "2026-03-08",
        5,
    )


def test_a_saved_scenario_by_name(hand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add = ("scenario", "add", "Engine", "--entity", "Acme", "--one-off", "2026-02-10=-20000=Engine")
    assert run(*add) == 0
    assert run(*add) == 2  # the name is taken
    assert run("scenario", "list") == 0
    assert "Acme\tEngine\t2026-02-10=-20000.00" in capsys.readouterr().out
    base = ("report", "forecast", "--entity", "all", "--as-of", "2026-01-31", "--weeks", "6")
    assert run(*base, "--scenario", "Engine", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["weeks"][1]["closing"] == round(float(CLOSINGS[1]) - 20000, 2)
    assert data["forecast"]["scenario"]["name"] == "Engine"
    assert run(*base, "--scenario", "Nope") == 2
    assert run("scenario", "remove", "Engine", "--entity", "Acme") == 0
    capsys.readouterr()
    assert run("scenario", "list") == 0
    assert "Engine" not in capsys.readouterr().out


def test_bad_input_exits_2_listing_every_problem(
    hand: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    bad = ("--as-of", "2026-13-01", "--weeks", "60", "--adjust", "Oops=x", "--one-off", "soon=5")
    assert run("report", "forecast", "--entity", "Acme", *bad) == 2
    err = capsys.readouterr().err
    assert err.count("\n  - ") == 5, err
    add = (
        "recurring",
        "add",
        "--entity",
        "Acme",
        "--name",
        "Fuel",
        "--account",
        "Assets:Bank:X",
        "--amount",
        "x",
        "--every",
        "week",
        "--day",
        "3",
        "--starts",
        "2026-02-30",
    )
    assert run(*add) == 2
    err = capsys.readouterr().err
    assert err.count("\n  - ") == 4, err
    assert len(list_recurring(open_store(), OPERATOR, "Acme")) == 2  # the hand ledger's two


def test_recurring_add_list_remove_and_suggest(
    hand: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add = (
        "recurring",
        "add",
        "--entity",
        "Acme",
        "--name",
        "Loan",
        "--account",
        "Liabilities:Loan",
        "--amount",
        "-750",
        "--every",
        "month",
        "--day",
        "31",
        "--starts",
        "2026-02-01",
    )
    assert run(*add) == 0
    assert "every month on day 31" in capsys.readouterr().out
    assert run("recurring", "list", "--entity", "Acme") == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3 and "Liabilities:Loan\t-750.00" in rows[-1]
    loan_id = rows[-1].split("\t")[0]
    assert run("recurring", "remove", loan_id) == 0
    assert run("recurring", "remove", loan_id) == 2
    assert run("recurring", "suggest", "--entity", "Acme", "--as-of", "2026-01-31") == 0
    assert "no recurring candidates" in capsys.readouterr().out  # fuel amounts vary > 10%


def test_send_as_email_and_a_subscription(hand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("report", "forecast", "--entity", "all", "--send", "--to", "o@example.com") == 0
    assert "sent 'Cash forecast, 13 weeks" in capsys.readouterr().out
    assert (
        run("report", "forecast", "--entity", "all", "--send", "--to", "o@x.com", "--weeks", "4")
        == 2
    )
    assert (
        run(
            "subscription",
            "add",
            "forecast",
            "--entity",
            "all",
            "--to",
            "o@example.com",
            "--cron",
            "0 7 * * MON",
        )
        == 0
    )
    assert run("send-due", "--now", "2099-01-05T16:00:00+00:00") == 0
    assert "sent 1" in capsys.readouterr().out
    index = (hand / "outbox" / "index.jsonl").read_text().splitlines()
    assert [json.loads(line)["subject"] for line in index][-1].startswith("Cash forecast, 13 weeks")


def test_a_period_alone_starts_from_its_end(hand: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("report", "forecast", "--entity", "Acme", "--weeks", "6", "--format", "json")
    assert run(*args, "--period", "2026-01") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["forecast"]["as_of"] == "2026-01-31"
    assert [w["closing"] for w in data["weeks"]] == [float(c) for c in CLOSINGS]
    assert run(*args, "--period", "2026-13") == 2
    assert "--period" in capsys.readouterr().err
