"""`python -m core`: exit codes (0 ok, 2 bad input with nothing written), output formats."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.ledger.store import open_ledger


def run(*args: str) -> int:
    return main(list(args))


def test_entity_add_and_list(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("entity", "add", "Acme", "--name", "Acme Boats", "--kind", "charter") == 0
    assert run("entity", "add", "Acme", "--name", "Again") == 2
    assert "already exists" in capsys.readouterr().err
    assert run("entity", "list") == 0
    assert "Acme\tAcme Boats\tcharter" in capsys.readouterr().out


def test_seed_report_json_and_text(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("seed-demo", "--months", "14") == 0
    assert "seeded 6 demo entities" in capsys.readouterr().out
    assert run("seed-demo", "--months", "14") == 2  # not empty: refused
    assert "not empty" in capsys.readouterr().err
    assert run("seed-demo", "--if-empty") == 0
    capsys.readouterr()

    assert run("report", "cfo", "--entity", "all", "--period", "2026-01", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "cfo" and data["period"] == "2026-01"
    ids = {k["id"]: k for k in data["kpis"]}
    assert ids["net_income"]["value"] == pytest.approx(
        ids["revenue"]["value"] - ids["expenses"]["value"], abs=0.01
    )
    assert run("report", "cfo", "--entity", "JADA", "--period", "2026-01") == 0
    assert "CFO report: JADA (sailing yacht), Jan 2026" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "cfo", "--entity", "Nope", "--period", "2026-01"), "unknown entity"),
        (("report", "cfo", "--entity", "all", "--period", "2026-13"), "is not a month"),
        (
            ("report", "cfo", "--entity", "all", "--period", "2026-01", "--as-of", "2026-01-31"),
            "--as-of applies to client-billing only",
        ),
        (("report", "bogus", "--entity", "all", "--period", "2026-01"), "unknown report"),
        (("seed-demo", "--scale", "0"), "--scale"),
    ],
)
def test_bad_input_exits_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert run(*args) == 2
    assert message in capsys.readouterr().err


def test_dashboard_user_from_stdin(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-password\n"))
    assert run("dashboard-user", "add", "Ann@Example.com", "--role", "cfo", "--password-stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run("dashboard-user", "add", "bob@example.com", "--role", "cfo", "--password-stdin") == 2
    assert "at least 12 characters" in capsys.readouterr().err
    assert run("dashboard-user", "list") == 0
    out = capsys.readouterr().out
    assert "ann@example.com\tcfo\tall" in out and "bob@" not in out


def test_ensure_owner_prints_a_password_once(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("dashboard-user", "ensure-owner") == 0
    first = capsys.readouterr().out
    assert "password:" in first
    assert run("dashboard-user", "ensure-owner") == 0
    assert capsys.readouterr().out == ""
    store = open_ledger(f"sqlite:///{data_dir}/ledger.db")
    from core.auth.dashboard_users import list_users

    [owner] = list_users(store)
    password = first.split("password:")[1].split()[0]
    assert owner.role == "owner" and password not in owner.password_hash


PASSWORD = "a-long-enough-password"


@pytest.fixture
def two_users(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An owner and a CFO scoped to entity A, each with a live dashboard session."""
    from core.auth.dashboard_sessions import start_session
    from core.auth.dashboard_users import add_user

    store = open_ledger(f"sqlite:///{data_dir}/ledger.db")
    store.add_entity(id="A", name="Alpha")
    add_user(store, email="owner@example.com", role="owner", password=PASSWORD)
    add_user(store, email="cfo@example.com", role="cfo", password=PASSWORD, entities="A")
    for email in ("owner@example.com", "cfo@example.com"):
        start_session(store, email, client="10.0.0.5")
    return data_dir


def _users_and_sessions(data_dir: Path) -> list[tuple[object, ...]]:
    from core.auth.dashboard_sessions import list_sessions
    from core.auth.dashboard_users import list_users

    store = open_ledger(f"sqlite:///{data_dir}/ledger.db")
    return [
        (
            u.email,
            u.role,
            u.entities,
            u.password_hash,
            [s.state() for s in list_sessions(store, u.email)],
        )
        for u in list_users(store)
    ]


def test_dashboard_user_passwd(
    two_users: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.auth.sign_in import password_change_required, sign_in

    monkeypatch.setattr("sys.stdin", io.StringIO("another-long-password\n"))
    assert (
        run("dashboard-user", "passwd", "CFO@example.com", "--password-stdin", "--must-change") == 0
    )
    assert "password of cfo@example.com set" in capsys.readouterr().out
    store = open_ledger(f"sqlite:///{two_users}/ledger.db")
    assert sign_in(store, "cfo@example.com", "another-long-password", client="c").role == "cfo"
    assert password_change_required(store, "cfo@example.com")
    states = {u[0]: u[4] for u in _users_and_sessions(two_users)}
    assert states == {"cfo@example.com": ["revoked"], "owner@example.com": ["live"]}


def test_dashboard_user_sessions_and_revoke(
    two_users: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("dashboard-user", "sessions", "cfo@example.com") == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split("\t") == ["id", "created", "last_seen", "expires", "client", "state"]
    handle, created, _, expires, client, state = row.split("\t")
    assert len(handle) == 8 and created.endswith(" UTC") and expires > created
    assert (client, state) == ("10.0.0.5", "live")
    assert run("dashboard-user", "revoke", "cfo@example.com") == 0
    assert "signed out 1 live session of cfo@example.com" in capsys.readouterr().out
    assert run("dashboard-user", "sessions", "cfo@example.com") == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("\trevoked")
    assert run("dashboard-user", "revoke", "cfo@example.com") == 0
    assert "signed out 0 live sessions" in capsys.readouterr().out


def test_dashboard_user_set_role_and_remove(
    two_users: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("dashboard-user", "set-role", "cfo@example.com", "--role", "accountant") == 0
    assert "cfo@example.com is now accountant (entities: all)" in capsys.readouterr().out
    states = {u[0]: (*u[1:3], u[4]) for u in _users_and_sessions(two_users)}
    assert states["cfo@example.com"] == ("accountant", "all", ["revoked"])
    assert run("dashboard-user", "remove", "cfo@example.com") == 0
    assert "removed dashboard user cfo@example.com" in capsys.readouterr().out
    assert [u[0] for u in _users_and_sessions(two_users)] == ["owner@example.com"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("passwd", "nobody@example.com", "--password-stdin"), PASSWORD, "no dashboard user"),
        (("passwd", "cfo@example.com", "--password-stdin"), "short", "at least 12 characters"),
        (("passwd", "cfo@example.com"), PASSWORD, "--password-stdin is required"),
        (("remove", "nobody@example.com"), "", "no dashboard user"),
        (("remove", "owner@example.com"), "", "last owner"),
        (("set-role", "cfo@example.com", "--role", "king"), "", "role must be one of"),
        (
            ("set-role", "cfo@example.com", "--role", "cfo", "--entities", "A,Ghost"),
            "",
            "unknown entity Ghost",
        ),
        (
            ("set-role", "cfo@example.com", "--role", "cfo", "--entities", " , "),
            "",
            "--entities must be",
        ),
        (("set-role", "owner@example.com", "--role", "ceo"), "", "last owner"),
        (("set-role", "nobody@example.com", "--role", "cfo"), "", "no dashboard user"),
        (("sessions", "nobody@example.com"), "", "no dashboard user"),
        (("revoke", "nobody@example.com"), "", "no dashboard user"),
    ],
)
def test_dashboard_user_bad_input_exits_2_and_writes_nothing(
    two_users: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    stdin: str,
    message: str,
) -> None:
    before = _users_and_sessions(two_users)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin + "\n"))
    assert run("dashboard-user", *args) == 2
    assert message in capsys.readouterr().err
    assert _users_and_sessions(two_users) == before


def test_module_entrypoint_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "EXEC_DATA_DIR": str(tmp_path)}
    bad = subprocess.run(
        [sys.executable, "-m", "core", "report", "cfo", "--entity", "x", "--period", "2026-01"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "unknown entity" in bad.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "core", "no-such-command"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert usage.returncode == 2


def test_import_csv_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    sample, rules = str(fixtures / "bank_sample.csv"), str(fixtures / "rules_sample.yaml")
    base = ["import-csv", sample, "--account", "Assets:Bank:Checking", "--rules", rules]
    assert run(*base, "--entity", "Ghost") == 2
    assert "unknown entity 'Ghost'" in capsys.readouterr().err
    assert run("entity", "add", "Boat", "--name", "Boat Co") == 0
    assert run(*base, "--entity", "Boat", "--dry-run") == 0
    assert "Dry run: would import 7 rows" in capsys.readouterr().out
    assert run(*base, "--entity", "Boat") == 0
    assert "7 new entries" in capsys.readouterr().out
    assert run(*base, "--entity", "Boat") == 0
    assert "0 new entries, 7 already imported" in capsys.readouterr().out


def test_import_with_a_preamble_then_list_and_undo_the_run(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bofa = str(Path(__file__).resolve().parents[1] / "fixtures" / "bofa_checking.csv")
    assert run("entity", "add", "Boat", "--name", "Boat Co") == 0
    base = ["import-csv", bofa, "--account", "Assets:Bank:Checking"]
    with pytest.raises(SystemExit) as usage:  # --entity is required: no default entity
        run(*base)
    assert usage.value.code == 2 and "--entity" in capsys.readouterr().err
    assert run(*base, "--entity", "Boat") == 0
    out = capsys.readouterr().out
    assert "6 new entries" in out and "Skipped 6 lines that are not transactions" in out
    assert "row 1: above the header row" in out and "row 8: a balance line" in out
    assert run("import-runs", "list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].startswith("1\t")
    assert "bofa_checking.csv\t6 imported\t0 already there\t6 lines skipped\tcli" in listed[0]
    assert run("import-runs", "undo", "1") == 0
    assert "removed 6 entries (12 lines)" in capsys.readouterr().out
    assert run("import-runs", "undo", "1") == 2
    assert "already undone" in capsys.readouterr().err
    assert run("import-runs", "undo", "7") == 2
    assert run("import-runs", "list", "--entity", "Boat") == 0
    assert "undone" in capsys.readouterr().out
    from core.config import get_settings

    assert open_ledger(get_settings().ledger_url).line_count() == 0


def test_import_columns_named_on_the_command_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statement = data_dir / "odd.csv"
    statement.write_text("When,Payee,Value\n03/01/2026,Shell,-10.00\n03/02/2026,Client,250\n")
    assert run("entity", "add", "Boat", "--name", "Boat Co") == 0
    base = ["import-csv", str(statement), "--entity", "Boat", "--account", "Assets:Bank:Checking"]
    assert run(*base) == 2
    assert "lacks a column: date" in capsys.readouterr().err
    named = ["--date-column", "When", "--description-column", "Payee", "--amount-column", "value"]
    assert run(*base, *named) == 0
    assert "2 new entries" in capsys.readouterr().out
    assert run(*base, "--date-column", "When") == 2
    assert "mapping is incomplete" in capsys.readouterr().err


def test_report_html_send_and_schedules(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("seed-demo", "--months", "13") == 0
    capsys.readouterr()
    assert run("report", "cfo", "--entity", "JADA", "--period", "2026-10", "--format", "html") == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and "data:image/png;base64," in html
    assert run("report", "cfo", "--entity", "JADA", "--period", "2026-10", "--send") == 2
    assert "--send needs --to" in capsys.readouterr().err
    args = ("report", "cfo", "--entity", "JADA", "--period", "2026-10", "--send", "--to")
    assert run(*args, "a@example.com") == 0
    assert "via outbox" in capsys.readouterr().out
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 1

    sub = ("subscription", "add", "cfo", "--entity", "all", "--to", "a@example.com")
    assert run(*sub, "--cron", "0 7 * *") == 2
    assert "five fields" in capsys.readouterr().err
    assert run(*sub, "--cron", "0 7 * * MON", "--tz", "America/Los_Angeles") == 0
    assert "added subscription 1" in capsys.readouterr().out
    assert run("subscription", "list") == 0
    assert "1\tcfo\tall\t0 7 * * MON" in capsys.readouterr().out
    later = "2099-01-05T16:00:00+00:00"
    assert run("send-due", "--now", later) == 0
    assert "sent 1, failed 0, already sent 0" in capsys.readouterr().out
    assert run("send-due", "--now", later) == 0
    assert "sent 0, failed 0, already sent 1" in capsys.readouterr().out
    assert run("send-due", "--now", "2099-01-05T16:00:00") == 2  # no offset
    assert run("subscription", "remove", "1") == 0
    assert run("subscription", "remove", "1") == 2


def test_ops_admin_prints_a_link_that_signs_in(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("ops-admin", "Boss@Example.com") == 0
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert link.startswith("http://localhost:8787/#/claim?code=")
    from core.config import get_settings
    from core.ops_access.wiring import build_ops_access

    wired = build_ops_access(get_settings())
    session = wired.access.claim(link.split("code=")[1], "127.0.0.1")
    assert (session.user.email, session.user.role) == ("boss@example.com", "admin")


@pytest.mark.parametrize("amount", ["92233720368547758.08", "-92233720368547758.08", "9" * 40])
def test_import_csv_refuses_amounts_near_2_63_with_exit_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str], amount: str
) -> None:
    statement = data_dir / "huge.csv"
    statement.write_text(
        f"date,description,amount\n2026-01-02,Fuel,-10.00\n2026-01-03,X,{amount}\n"
    )
    assert run("entity", "add", "Boat", "--name", "Boat Co") == 0
    args = ["import-csv", str(statement), "--entity", "Boat", "--account", "Assets:Bank:Checking"]
    assert run(*args) == 2
    err = capsys.readouterr().err
    assert "row 3: amount" in err and "largest amount the ledger takes" in err
    assert "Traceback" not in err and "OverflowError" not in err
    from core.config import get_settings

    assert open_ledger(get_settings().ledger_url).line_count() == 0


def test_the_cli_acts_as_the_operator_and_send_due_reports_refusals(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line sees every subscription (the operator's door); a schedule whose
    creator lost the entity is refused by send-due: exit 1, said on stderr and in the log."""
    from sqlalchemy import update

    from core.auth.dashboard_users import OPERATOR, add_user, get_user
    from core.config import get_settings
    from core.delivery.reports import add_subscription, delivery_log
    from core.ledger.models import DashboardUser

    assert run("seed-demo", "--months", "13") == 0
    store = open_ledger(get_settings().ledger_url)
    add_user(store, email="cfo@example.com", role="cfo", password="x" * 12, entities="JADA")
    add_subscription(
        store,
        report="cfo",
        entity="JADA",
        to=["a@example.com"],
        cron="0 7 * * MON",
        tz="UTC",
        actor=get_user(store, "cfo@example.com"),
    )
    with store.session() as s:
        s.exec(update(DashboardUser).values(entities="QuickDumpNow"))  # type: ignore[call-overload]
        s.commit()
    capsys.readouterr()
    assert run("subscription", "list") == 0
    assert "1\tcfo\tJADA\t0 7 * * MON" in capsys.readouterr().out
    assert run("send-due", "--now", "2099-01-05T16:00:00+00:00") == 1
    out, err = capsys.readouterr()
    assert "sent 0, failed 0, already sent 0, refused 1" in out and "refused 1" in err
    [log] = delivery_log(store, actor=OPERATOR)
    assert log.status == "refused" and "may no longer see entity 'JADA'" in (log.error or "")
    assert run("subscription", "remove", "1") == 0
