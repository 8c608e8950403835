"""`alert add|list|remove` and `alerts run`: exit 2 listing every problem with nothing
written, the import that trips an alert, and the run's counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.auth.dashboard_users import OPERATOR, add_user, set_role
from core.cli import main
from core.config import get_settings
from core.ledger.store import open_ledger
from tests.conftest import BANK
from tests.core.alerts.conftest import NOW, acme_ledger

STATEMENT = "Date,Description,Amount\n2026-11-20,Engine repair,-900.00\n"


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def acme(data_dir: Path) -> Path:
    acme_ledger(open_ledger(get_settings().ledger_url))
    return data_dir


def outbox(data_dir: Path) -> list[dict[str, object]]:
    index = data_dir / "outbox" / "index.jsonl"
    return [json.loads(x) for x in index.read_text().splitlines()] if index.exists() else []


def test_add_list_run_remove(acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add = ("alert", "add", "cfo.cash", "--entity", "Acme", "--below", "5000")
    assert run(*add, "--to", "boss@example.com") == 0
    assert "added alert 1: cfo.cash for Acme below 5,000, once" in capsys.readouterr().out
    assert (
        run(
            "alert",
            "add",
            "cfo.cash",
            "--entity",
            "all",
            "--off-target",
            "--to",
            "a@b.co",
            "--every",
        )
        == 0
    )
    assert "off target, every" in capsys.readouterr().out
    assert run("alerts", "run", "--now", NOW.isoformat()) == 0
    assert "evaluated 2, sent 1" in capsys.readouterr().out  # all has no cash target
    assert run("alert", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("1\tcfo.cash for Acme below 5,000, once\tfired, re-arms")
    assert "last value 1,000" in listing[0] and listing[0].endswith("boss@example.com")
    assert run("alert", "remove", "1") == 0
    assert run("alert", "remove", "1") == 2
    assert "no alert 1" in capsys.readouterr().err
    assert len(outbox(acme)) == 1


def test_bad_input_exits_2_listing_every_problem(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("alert", "add", "cfo.nope", "--entity", "Nowhere", "--above", "1", "--to", "x")
    assert run(*args) == 2
    err = capsys.readouterr().err
    assert "unknown entity 'Nowhere'" in err and "no KPI 'nope'" in err and "'x'" in err
    assert run("alert", "list") == 0
    assert capsys.readouterr().out == ""  # nothing written
    with pytest.raises(SystemExit) as exited:  # argparse: one condition, exactly
        run(
            "alert",
            "add",
            "cfo.cash",
            "--entity",
            "Acme",
            "--below",
            "1",
            "--above",
            "2",
            "--to",
            "a@b.co",
        )
    assert exited.value.code == 2


def test_an_import_that_crosses_sends_the_alert(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(
            "alert",
            "add",
            "cfo.cash",
            "--entity",
            "Acme",
            "--below",
            "500",
            "--to",
            "boss@example.com",
        )
        == 0
    )
    statement = acme / "statement.csv"
    statement.write_text(STATEMENT)
    assert run("import-csv", str(statement), "--entity", "Acme", "--account", BANK) == 0
    [mail] = outbox(acme)  # $1,000 - $900: under $500 the moment the import ends
    assert "Cash is $100, below $500" in json.dumps(mail)
    assert run("import-csv", str(statement), "--entity", "Acme", "--account", BANK) == 0
    assert len(outbox(acme)) == 1  # nothing new posted (duplicates): not evaluated again


def test_a_refused_alert_exits_1(acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_ledger(get_settings().ledger_url)
    add_user(store, email="cfo@example.com", role="cfo", password="x" * 12, entities="Acme")
    assert (
        run(
            "alert",
            "add",
            "cfo.cash",
            "--entity",
            "Acme",
            "--below",
            "5000",
            "--to",
            "cfo@example.com",
        )
        == 0
    )
    set_role(store, OPERATOR, "cfo@example.com", role="cfo", entities="Other")
    assert run("alerts", "run", "--now", NOW.isoformat()) == 1
    captured = capsys.readouterr()
    assert "refused 1" in captured.out and "may no longer see" in captured.err
    assert outbox(acme) == []
